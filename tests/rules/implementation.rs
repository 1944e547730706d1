//! Carrying out commitments: breaches caught and unseen, and how commitments end.

use crate::common::*;
use detente::sim::*;
use std::sync::Arc;

#[test]
fn caught_breach_crashes_trust_and_raises_tension() {
    let sc = Arc::new(with_detection(&tutorial(), 1.0));
    let mut m = Match::new(sc, 5);
    let id = sign_hotline(&mut m);
    let (trust, tension) = (m.trust[1], m.tension);
    m.apply(Action::Implement {
        side: Side::B,
        breaks: vec![],
    })
    .unwrap();
    let ev = m
        .apply(Action::Implement {
            side: Side::A,
            breaks: vec![id],
        })
        .unwrap();
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::BreachCaught { side: Side::A, .. }))
    );
    assert!(
        m.trust[1] <= trust - 10.0,
        "trust {trust} -> {}",
        m.trust[1]
    );
    assert!(m.tension > tension);
    assert!(m.breaches.iter().any(|b| b.caught && b.side == Side::A));
    assert!(
        ev.iter().any(|e| matches!(e, Event::Headline { .. })),
        "the press reports it"
    );
}

#[test]
fn hidden_breach_is_seen_only_by_the_breaker() {
    let sc = Arc::new(with_detection(&tutorial(), 0.0));
    let mut m = Match::new(sc, 5);
    let id = sign_hotline(&mut m);
    m.apply(Action::Implement {
        side: Side::A,
        breaks: vec![id],
    })
    .unwrap();
    m.apply(Action::Implement {
        side: Side::B,
        breaks: vec![],
    })
    .unwrap();
    assert!(
        m.log_for(Side::A)
            .any(|l| matches!(l.event, Event::BreachHidden { .. }))
    );
    assert!(
        !m.log_for(Side::B)
            .any(|l| matches!(l.event, Event::BreachHidden { .. }))
    );
    let vb = m.view(Side::B);
    assert!(
        vb.commitments
            .iter()
            .all(|c| c.hidden_breaches.is_none() || c.by == Side::B)
    );
    assert_eq!(
        m.view(Side::A)
            .commitments
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .hidden_breaches,
        Some(1)
    );
    assert!(
        m.breaches.iter().any(|b| !b.caught),
        "revealed in the debrief record"
    );
}

#[test]
fn sunset_commitments_expire() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let i = sc.measure_index("hotline").unwrap();
    m.commitments.push(state::Commitment {
        id: 77,
        measure: i,
        by: Side::A,
        verification: None,
        term: Term::Sunset(1),
        signed_round: 1,
        gesture: false,
        kept: 0,
        hidden_breaches: 0,
        banked: 0,
        caught: 0,
    });
    m.apply(Action::EndTalks { side: Side::A }).unwrap();
    m.apply(Action::Implement {
        side: Side::A,
        breaks: vec![],
    })
    .unwrap();
    assert!(m.commitments.is_empty());
    assert!(m.log.iter().any(|l| matches!(
        l.event,
        Event::CommitmentEnded {
            reason: EndReason::Expired,
            ..
        }
    )));
}

#[test]
fn treaties_lapse_at_review_when_trust_has_collapsed() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let i = sc.measure_index("hotline").unwrap();
    for (id, term) in [(90, Term::Treaty(1)), (91, Term::Pledge)] {
        m.commitments.push(state::Commitment {
            id,
            measure: i,
            by: if id == 90 { Side::A } else { Side::B },
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
    m.trust = [10.0, 10.0];
    quiet_round(&mut m);
    assert!(m.log.iter().any(|l| matches!(
        l.event,
        Event::CommitmentEnded {
            commitment: 90,
            reason: EndReason::ReviewFailed,
            ..
        }
    )));
    assert!(
        m.commitments.iter().any(|c| c.id == 91),
        "a pledge has no review"
    );
}

/// One round of carrying out the hotline, as A did it.
struct Carried {
    /// What A's move set off.
    events: Vec<Event>,
    /// A's security just before and just after its own move.
    security: (f32, f32),
}

impl Carried {
    fn caught(&self) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e, Event::BreachCaught { side: Side::A, .. }))
    }

    fn kept(&self) -> Option<u32> {
        self.events.iter().find_map(|e| match e {
            Event::Implemented {
                side: Side::A,
                kept,
            } => Some(*kept),
            _ => None,
        })
    }
}

/// Both sides sign the hotline on `sc`; then, round after round, A carries it out first,
/// breaking its own where `breaks` says so, and B keeps its own. Returns the match, A's
/// commitment and each round as A carried it out.
fn a_breaks_the_hotline(
    sc: &Arc<Scenario>,
    seed: u64,
    breaks: &[bool],
) -> (Match, u32, Vec<Carried>) {
    let mut m = Match::new(sc.clone(), seed);
    let id = sign_hotline(&mut m);
    let mut rounds = Vec::new();
    for (k, &broken) in breaks.iter().enumerate() {
        if k > 0 {
            let side = m.talks.turn;
            m.apply(Action::EndTalks { side }).unwrap();
        }
        let before = m.sides[0].security;
        let events = m
            .apply(Action::Implement {
                side: Side::A,
                breaks: if broken { vec![id] } else { vec![] },
            })
            .unwrap();
        let after = m.sides[0].security;
        m.apply(Action::Implement {
            side: Side::B,
            breaks: vec![],
        })
        .unwrap();
        rounds.push(Carried {
            events,
            security: (before, after),
        });
    }
    (m, id, rounds)
}

#[test]
fn an_unseen_breach_looks_kept_to_everyone_but_the_breaker() {
    let sc = Arc::new(with_detection(&tutorial(), 0.0));
    let (kept, _, kept_rounds) = a_breaks_the_hotline(&sc, 5, &[false]);
    let (broken, id, broken_rounds) = a_breaks_the_hotline(&sc, 5, &[true]);
    assert!(!broken_rounds[0].caught());
    // The round reports the commitment carried out, and its effects (on B's trust in A and on
    // tension) apply as if it had been...
    assert_eq!(broken_rounds[0].kept(), Some(1));
    assert_eq!(broken_rounds[0].kept(), kept_rounds[0].kept());
    assert_eq!(broken.trust, kept.trust);
    assert_eq!(broken.tension, kept.tension);
    // ...while the breaker's windfall stays off the public meters.
    assert_eq!(broken_rounds[0].security, kept_rounds[0].security);
    for s in Side::BOTH {
        let (b, k) = (broken.side(s), kept.side(s));
        assert_eq!(
            (b.economy, b.security, b.capital, &b.approval),
            (k.economy, k.security, k.capital, &k.approval),
            "{s:?}"
        );
    }
    // B's view of the match is the one it would have had, had A kept its word.
    let (vb, vk) = (broken.view(Side::B), kept.view(Side::B));
    assert_eq!(vb.commitments, vk.commitments);
    assert_eq!(vb.history, vk.history);
    assert_eq!((vb.me, vb.them), (vk.me, vk.them));
    // The match itself remembers, for the breaker and the debrief.
    let c = broken.commitments.iter().find(|c| c.id == id).unwrap();
    assert_eq!((c.kept, c.hidden_breaches, c.banked), (0, 1, 1));
    assert_eq!(broken.breaches.len(), 1);
}

#[test]
fn the_windfall_of_an_unseen_breach_lands_when_a_breach_of_it_is_caught() {
    // Checks that find a breach half the time; a seed where A's first breach goes unseen and
    // its second is caught, and where A keeping its word first and then breaking is caught too.
    let sc = Arc::new(with_detection(&tutorial(), 0.5));
    let windfall = sc.measures[sc.measure_index("hotline").unwrap()]
        .breach_gain
        .security;
    assert!(windfall > 0.0, "the hotline's breach must pay in security");
    let (seed, (twice, id, twice_rounds), (once, _, once_rounds)) = (0..200u64)
        .map(|seed| {
            (
                seed,
                a_breaks_the_hotline(&sc, seed, &[true, true]),
                a_breaks_the_hotline(&sc, seed, &[false, true]),
            )
        })
        .find(|(_, (_, _, t), (_, _, o))| !t[0].caught() && t[1].caught() && o[1].caught())
        .expect("no seed with an unseen breach and then a caught one");
    let gain = |r: &Carried| r.security.1 - r.security.0;
    // Unseen, the first breach paid nothing on the meters...
    assert_eq!(gain(&twice_rounds[0]), gain(&once_rounds[0]), "seed {seed}");
    assert_eq!(
        twice_rounds[0].security, once_rounds[0].security,
        "seed {seed}"
    );
    // ...and the catch brings it in with the caught breach's own.
    assert!(
        (gain(&twice_rounds[1]) - gain(&once_rounds[1]) - windfall).abs() < 1e-4,
        "seed {seed}: caught after an unseen breach {}, after keeping {}",
        gain(&twice_rounds[1]),
        gain(&once_rounds[1])
    );
    assert!(gain(&once_rounds[1]) > 0.0, "seed {seed}");
    // Nothing is left waiting: a windfall lands once.
    let c = twice.commitments.iter().find(|c| c.id == id).unwrap();
    assert_eq!((c.hidden_breaches, c.caught, c.banked), (1, 1, 0));
    assert_eq!(once.breaches.len(), 1);
}
