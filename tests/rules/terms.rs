//! Terms in answers: a counterpart that reads the fine print in its proposals also counts a
//! promise of the other side's on a short term at less when it answers, within a bound.

use crate::common::*;
use detente::sim::*;

/// What B's counterpart of this difficulty makes of A's patrol notice on `term`, in round 1.
fn worth(d: Difficulty, term: Term) -> f32 {
    let sc = tutorial();
    let m = calm(&sc);
    let ai = counterpart(&sc, Personality::Pragmatist, d, Side::B, 1);
    let mut o = offer(&sc, &[("patrol_notice", Side::A)]);
    o.items[0].term = term;
    ai.evaluate(&m.view_brief(Side::B), sc.public(), &o).0
}

#[test]
fn a_reader_of_the_fine_print_counts_a_short_promise_at_less_within_a_bound() {
    let (pledge, sunset) = (
        worth(Difficulty::Hard, Term::Pledge),
        worth(Difficulty::Hard, Term::Sunset(3)),
    );
    assert!(pledge > 0.0);
    assert!(sunset < pledge, "{sunset} against {pledge}");
    // A three-season sunset covers half of a six-season match: short, but not worthless.
    assert!(sunset > 0.5 * pledge, "{sunset} against {pledge}");
    // Who reads no terms when it proposes reads none when it answers.
    assert_eq!(
        worth(Difficulty::Normal, Term::Pledge),
        worth(Difficulty::Normal, Term::Sunset(3))
    );
}
