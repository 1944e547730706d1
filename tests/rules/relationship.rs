//! The relationship between the two states: its phases and the clash that ends it.

use crate::common::*;
use detente::sim::*;

#[test]
fn phase_advances_when_trust_tension_and_areas_allow_it() {
    let sc = tutorial();
    let mut m = calm(&sc);
    assert_eq!(m.phase, 0);
    m.trust = [60.0, 60.0];
    m.tension = 20.0;
    quiet_round(&mut m);
    assert_eq!(m.phase, 0, "no communication measure in force yet");
    let mut m = calm(&sc);
    m.trust = [60.0, 60.0];
    m.tension = 20.0;
    sign_and_keep(&mut m, &[("hotline", Side::A), ("hotline", Side::B)]);
    assert_eq!(sc.phases[m.phase].id, "talking");
    assert!(
        m.log
            .iter()
            .any(|l| matches!(&l.event, Event::PhaseChanged { up: true, .. }))
    );
}

#[test]
fn tension_at_the_clash_line_ends_in_a_clash() {
    let sc = tutorial();
    let mut m = calm(&sc);
    m.tension = sc.end.clash_at - 0.5;
    m.apply(Action::EndTalks { side: Side::A }).unwrap();
    assert_eq!(m.ending, Some(Ending::Clash));
    assert_eq!(m.scores().utility, [0.0, 0.0]);
}
