//! The negotiation stage: which moves are legal, and what offers, counters, gestures,
//! statements and event cards do.

use crate::common::*;
use detente::sim::*;
use std::sync::Arc;

#[test]
fn illegal_actions_are_refused_and_change_nothing() {
    let sc = tutorial();
    let m = calm(&sc);
    assert_eq!(m.stage, Stage::Negotiation);
    assert_eq!(m.talks.turn, Side::A);
    type Expect = fn(&ActionError) -> bool;
    let cases: Vec<(Action, Expect)> = vec![
        (
            Action::Propose {
                side: Side::B,
                offer: offer(&sc, &[("hotline", Side::A)]),
            },
            |e| *e == ActionError::NotYourTurn,
        ),
        (Action::Accept { side: Side::B }, |e| {
            *e == ActionError::NoOfferPending
        }),
        (
            Action::Implement {
                side: Side::A,
                breaks: vec![],
            },
            |e| {
                *e == ActionError::WrongStage {
                    expected: Stage::Implementation,
                    actual: Stage::Negotiation,
                }
            },
        ),
        (
            Action::Propose {
                side: Side::A,
                offer: offer(&sc, &[("no_such_measure", Side::A)]),
            },
            |e| matches!(e, ActionError::UnknownMeasure(_)),
        ),
        (
            Action::Propose {
                side: Side::A,
                offer: Offer {
                    items: vec![],
                    statement: Statement::Warn,
                },
            },
            |e| *e == ActionError::EmptyOffer,
        ),
        (
            Action::Propose {
                side: Side::A,
                offer: offer(&sc, &[("lake_commission", Side::A)]),
            },
            |e| matches!(e, ActionError::PrerequisiteMissing { .. }),
        ),
        (
            Action::Propose {
                side: Side::A,
                offer: offer(&sc, &[("hotline", Side::A), ("hotline", Side::A)]),
            },
            |e| matches!(e, ActionError::Duplicate { .. }),
        ),
        (
            Action::Withdraw {
                side: Side::A,
                commitment: 99,
            },
            |e| *e == ActionError::UnknownCommitment(99),
        ),
        (
            Action::Respond {
                side: Side::A,
                response: "x".into(),
            },
            |e| {
                *e == ActionError::WrongStage {
                    expected: Stage::Events,
                    actual: Stage::Negotiation,
                }
            },
        ),
    ];
    for (a, ok) in cases {
        let mut after = m.clone();
        let err = after.apply(a.clone()).expect_err("must be refused");
        assert!(ok(&err), "{a:?} gave {err:?}");
        assert_eq!(after, m, "{a:?} changed the state");
    }
    // Unaffordable: drain capital first.
    let mut poor = m.clone();
    poor.sides[0].capital = 0.0;
    let before = poor.clone();
    let err = poor
        .apply(Action::Propose {
            side: Side::A,
            offer: offer(&sc, &[("hotline", Side::A)]),
        })
        .unwrap_err();
    assert!(matches!(err, ActionError::Unaffordable { .. }));
    assert_eq!(poor, before);
}

#[test]
fn offer_accept_signs_commitments_and_moves_factions() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let o = offer(&sc, &[("hotline", Side::A), ("hotline", Side::B)]);
    let cap = [m.sides[0].capital, m.sides[1].capital];
    let approval = [m.sides[0].approval.clone(), m.sides[1].approval.clone()];
    m.apply(Action::Propose {
        side: Side::A,
        offer: o,
    })
    .unwrap();
    assert_eq!(m.needs(), vec![(Side::B, Need::Answer)]);
    let ev = m.apply(Action::Accept { side: Side::B }).unwrap();
    assert!(ev.iter().any(
        |e| matches!(e, Event::AgreementSigned { commitments, .. } if commitments.len() == 2)
    ));
    assert_eq!(m.commitments.len(), 2);
    let cost = sc.measures[sc.measure_index("hotline").unwrap()].cost;
    assert!((m.sides[0].capital - (cap[0] - cost)).abs() < 1e-4);
    assert!((m.sides[1].capital - (cap[1] - cost)).abs() < 1e-4);
    for s in Side::BOTH {
        assert_ne!(
            m.sides[s.idx()].approval,
            approval[s.idx()],
            "{s:?}'s factions"
        );
    }
    assert_eq!(m.stage, Stage::Implementation);
}

#[test]
fn counter_replaces_the_offer_and_exchanges_are_bounded() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let a = offer(&sc, &[("hotline", Side::A)]);
    let b = offer(&sc, &[("hotline", Side::B)]);
    m.apply(Action::Propose {
        side: Side::A,
        offer: a.clone(),
    })
    .unwrap();
    m.apply(Action::Counter {
        side: Side::B,
        offer: b.clone(),
    })
    .unwrap();
    assert_eq!(m.talks.pending.as_ref().map(|p| p.0), Some(Side::B));
    m.apply(Action::Counter {
        side: Side::A,
        offer: a,
    })
    .unwrap();
    assert_eq!(m.talks.exchanges_used, sc.exchanges);
    let before = m.clone();
    assert_eq!(
        m.apply(Action::Counter {
            side: Side::B,
            offer: b
        }),
        Err(ActionError::NoExchangesLeft)
    );
    assert_eq!(m, before);
    let ev = m.apply(Action::Reject { side: Side::B }).unwrap();
    assert!(
        ev.iter().any(|e| matches!(
            e,
            Event::TalksEnded {
                by: None,
                agreed: false
            }
        )),
        "talks end when exchanges run out"
    );
    assert_eq!(m.round, 2, "with nothing to implement the round closes");
}

#[test]
fn gesture_enters_force_and_builds_trust_when_kept() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let g = sc
        .measures
        .iter()
        .find(|m| m.gesture && m.by.allows(Side::A) && m.requires.is_empty())
        .unwrap();
    let trust_b = m.trust[1];
    m.apply(Action::Gesture {
        side: Side::A,
        measure: g.id.clone(),
        verification: None,
    })
    .unwrap();
    assert_eq!(m.commitments.len(), 1);
    assert_eq!(
        m.apply(Action::Gesture {
            side: Side::A,
            measure: g.id.clone(),
            verification: None
        }),
        Err(ActionError::GestureUsed)
    );
    m.apply(Action::EndTalks { side: Side::A }).unwrap();
    m.apply(Action::Implement {
        side: Side::A,
        breaks: vec![],
    })
    .unwrap();
    assert!(
        m.trust[1] > trust_b,
        "B's trust in A grows: {} -> {}",
        trust_b,
        m.trust[1]
    );
    assert_eq!(m.round, 2);
}

#[test]
fn event_card_waits_for_the_struck_side() {
    let sc = tutorial();
    let mut s = (*sc).clone();
    s.event_chance = 1.0;
    let m = (0..50)
        .map(|seed| Match::new(Arc::new(s.clone()), seed))
        .find(|m| m.stage == Stage::Events)
        .expect("a card is drawn");
    let (side, need) = m.needs()[0];
    assert_eq!(need, Need::Respond);
    let v = m.view(side);
    let r = v.event.unwrap().my_responses[0].clone();
    let mut after = m.clone();
    assert!(
        after
            .apply(Action::Propose {
                side,
                offer: offer(&sc, &[("hotline", side)])
            })
            .is_err()
    );
    assert_eq!(after, m);
    after.apply(Action::Respond { side, response: r }).unwrap();
    assert!(
        after
            .log
            .iter()
            .any(|l| matches!(l.event, Event::EventAnswered { .. }))
    );
}

#[test]
fn statements_move_trust_tension_and_home_factions() {
    let sc = tutorial();
    let run = |st: Statement| {
        let mut m = calm(&sc);
        let mut o = offer(&sc, &[("hotline", Side::B)]);
        o.statement = st;
        m.apply(Action::Propose {
            side: Side::A,
            offer: o,
        })
        .unwrap();
        m.apply(Action::Reject { side: Side::B }).unwrap();
        m.apply(Action::EndTalks { side: Side::B }).unwrap();
        (m.trust[1], m.tension, m.sides[0].approval.clone())
    };
    let (warn_trust, warn_tension, warn_approval) = run(Statement::Warn);
    let (ack_trust, ack_tension, ack_approval) = run(Statement::AcknowledgeHarm);
    assert!(
        ack_trust > warn_trust + 5.0,
        "acknowledging harm earns trust a warning costs"
    );
    assert!(warn_tension > ack_tension);
    let hawk = sc
        .side_a
        .factions
        .iter()
        .position(|f| f.hawkish > 0.3)
        .unwrap();
    assert!(
        warn_approval[hawk] > ack_approval[hawk],
        "hawks prefer the warning"
    );
}

#[test]
fn mediator_tables_a_bridge_after_two_dry_rounds() {
    let sc = tutorial();
    let mut s = (*sc).clone();
    s.event_chance = 0.0;
    s.mediator = Some(MediatorDef {
        name: "Envoy".into(),
        chance: 1.0,
    });
    let mut m = Match::new(Arc::new(s), 1);
    assert!(m.bridge.is_none());
    quiet_round(&mut m);
    quiet_round(&mut m);
    let bridge = m.bridge.clone().expect("the mediator steps in");
    let v = m.view(m.talks.turn);
    assert_eq!(v.bridge.as_ref(), Some(&bridge));
    // The bridge is a legal offer either side can adopt, if it can pay for its part.
    for side in Side::BOTH {
        let checked = m.check_offer(side, &bridge);
        assert!(
            matches!(checked, Ok(()) | Err(ActionError::Unaffordable { .. })),
            "{side:?}: {checked:?}"
        );
    }
}

/// Asks `check` about `a` in `m`, then makes the move on a copy: the check must leave the match
/// as it was and give the very answer the move gets.
fn check_agrees_with_apply(m: &Match, a: &Action) -> Result<(), ActionError> {
    let before = m.clone();
    let checked = m.check(a);
    assert_eq!(*m, before, "checking {a:?} changed the match");
    let mut after = m.clone();
    let applied = after.apply(a.clone()).map(|_| ());
    assert_eq!(checked, applied, "check and apply disagree on {a:?}");
    if applied.is_err() {
        assert_eq!(after, before, "a refused {a:?} changed the match");
    }
    checked
}

#[test]
fn check_is_a_dry_run_that_agrees_with_apply() {
    let sc = tutorial();
    let hotline = |side| Action::Propose {
        side,
        offer: offer(&sc, &[("hotline", Side::A), ("hotline", Side::B)]),
    };
    let keep = |side| Action::Implement {
        side,
        breaks: vec![],
    };
    // Talks open, an offer on the table, then the carrying out: at each, moves the rules take
    // and moves they refuse.
    let mut m = calm(&sc);
    assert_eq!(check_agrees_with_apply(&m, &hotline(Side::A)), Ok(()));
    assert_eq!(
        check_agrees_with_apply(&m, &hotline(Side::B)),
        Err(ActionError::NotYourTurn)
    );
    assert_eq!(
        check_agrees_with_apply(&m, &Action::Accept { side: Side::B }),
        Err(ActionError::NoOfferPending)
    );
    assert!(check_agrees_with_apply(&m, &keep(Side::A)).is_err());
    m.apply(hotline(Side::A)).unwrap();
    assert_eq!(
        check_agrees_with_apply(&m, &Action::Accept { side: Side::B }),
        Ok(())
    );
    assert!(check_agrees_with_apply(&m, &Action::Accept { side: Side::A }).is_err());
    assert!(check_agrees_with_apply(&m, &hotline(Side::A)).is_err());
    m.apply(Action::Accept { side: Side::B }).unwrap();
    assert_eq!(m.stage, Stage::Implementation);
    assert_eq!(check_agrees_with_apply(&m, &keep(Side::A)), Ok(()));
    let a_line = m.commitments.iter().find(|c| c.by == Side::A).unwrap().id;
    let b_line = m.commitments.iter().find(|c| c.by == Side::B).unwrap().id;
    let breaking = |side, id| Action::Implement {
        side,
        breaks: vec![id],
    };
    assert_eq!(
        check_agrees_with_apply(&m, &breaking(Side::A, a_line)),
        Ok(())
    );
    assert!(check_agrees_with_apply(&m, &breaking(Side::A, b_line)).is_err());
    assert!(check_agrees_with_apply(&m, &hotline(Side::A)).is_err());
    m.apply(keep(Side::A)).unwrap();
    assert!(check_agrees_with_apply(&m, &keep(Side::A)).is_err());
    assert_eq!(check_agrees_with_apply(&m, &keep(Side::B)), Ok(()));
}
