//! The home front: ratification at home, and leaders who fall.

use crate::common::*;
use detente::sim::*;
use std::sync::Arc;

#[test]
fn ratification_fails_when_factions_would_revolt() {
    let sc = tutorial();
    let mut s = (*sc).clone();
    s.event_chance = 0.0;
    s.side_b.ratify_at = 99.0;
    let mut m = Match::new(Arc::new(s), 3);
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer(&sc, &[("hotline", Side::B)]),
    })
    .unwrap();
    let ev = m.apply(Action::Accept { side: Side::B }).unwrap();
    assert!(ev.iter().any(|e| matches!(
        e,
        Event::Ratification {
            side: Side::B,
            passed: false,
            ..
        }
    )));
    assert!(m.commitments.is_empty());
    assert!(!m.preview(Side::B, &[item("hotline", Side::B)]).ratifies);
}

#[test]
fn leader_falls_and_treaties_outlast_him() {
    let sc = tutorial();
    let mut s = (*sc).clone();
    s.event_chance = 0.0;
    s.side_a.on_ouster = OnOuster::Successor("General Vask".into());
    let mut m = Match::new(Arc::new(s), 9);
    let commission = m.scenario.measure_index("lake_commission").unwrap();
    let hotline = m.scenario.measure_index("hotline").unwrap();
    for (i, term) in [(hotline, Term::Pledge), (commission, Term::Treaty(3))] {
        m.commitments.push(state::Commitment {
            id: 50 + i as u32,
            measure: i,
            by: Side::A,
            verification: None,
            term,
            signed_round: 1,
            gesture: false,
            kept: 0,
            hidden_breaches: 0,
            banked: 0,
            caught: 0,
        });
    }
    for a in &mut m.sides[0].approval {
        *a = 1.0;
    }
    m.apply(Action::EndTalks { side: Side::A }).unwrap();
    m.apply(Action::Implement {
        side: Side::A,
        breaks: vec![],
    })
    .unwrap();
    m.apply(Action::Implement {
        side: Side::B,
        breaks: vec![],
    })
    .ok();
    assert!(m.log.iter().any(|l| matches!(&l.event, Event::LeaderFell { side: Side::A, successor: Some(n) } if n == "General Vask")));
    assert_eq!(m.sides[0].leader, "General Vask");
    assert!(m.sides[0].hardliner);
    assert!(
        m.commitments.iter().any(|c| c.measure == commission),
        "the treaty survives the change of leader"
    );
    assert!(m.ending.is_none());
}

#[test]
fn leader_fall_with_defeat_ends_the_match() {
    let sc = tutorial();
    let mut m = calm(&sc);
    for a in &mut m.sides[1].approval {
        *a = 0.0;
    }
    m.apply(Action::EndTalks { side: Side::A }).unwrap();
    assert_eq!(m.ending, Some(Ending::Ousted(Side::B)));
    assert_eq!(
        m.apply(Action::EndTalks { side: Side::B }),
        Err(ActionError::MatchOver)
    );
}
