//! The table: a seat moves only for its own side, and a counterpart's refused move falls back
//! to one that moves the match on.

use crate::common::*;
use detente::ai::{Decision, Negotiator, ReasonCode};
use detente::runner;
use detente::sim::*;
use detente::table::{Refusal, Seat, Table, fallback};

#[test]
fn a_seat_moves_only_for_its_own_side() {
    let level = quiet_level(&tutorial());
    let b = detente::table::level_counterpart(level.public(), Side::B, 1);
    let mut t = Table::new(
        level.clone(),
        1,
        [Seat::Local, Seat::Counterpart(Box::new(b))],
    );
    assert_eq!(t.person_need(), Some(Side::A));
    let propose = Action::Propose {
        side: Side::A,
        offer: offer(&level, &[("hotline", Side::A), ("hotline", Side::B)]),
    };
    let before = t.whole().clone();
    let refusals = [
        (
            Side::B,
            propose.clone(),
            Refusal::Rules(ActionError::NotYourSide),
        ),
        (
            Side::B,
            Action::EndTalks { side: Side::B },
            Refusal::HeldByCounterpart,
        ),
        (
            Side::A,
            Action::Accept { side: Side::A },
            Refusal::Rules(ActionError::NoOfferPending),
        ),
    ];
    for (seat, action, refusal) in refusals {
        if refusal != Refusal::HeldByCounterpart {
            assert_eq!(t.check(seat, &action), Err(refusal.clone()), "{action:?}");
        }
        assert_eq!(t.submit(seat, action.clone()), Err(refusal), "{action:?}");
        assert_eq!(t.whole(), &before, "a refused {action:?} changed the match");
    }
    assert_eq!(t.check(Side::A, &propose), Ok(()));
    let seen = t.submit(Side::A, propose).unwrap();
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::OfferMade { side: Side::A, .. }))
    );
    // Now the counterpart answers, and its move is reported with the events it set off.
    let turn = t.step().expect("B answers the offer");
    assert_eq!(turn.side, Side::B);
    assert!(turn.fell_back.is_none());
    assert_eq!(turn.events.end, t.log_len());
    assert!(!turn.events.is_empty());
}

/// A negotiator that only ever asks for a measure no level has.
struct Confused;

fn nonsense(side: Side) -> Offer {
    Offer {
        items: vec![item("no_such_measure", side)],
        statement: Statement::Reassure,
    }
}

impl Negotiator for Confused {
    fn decide(&mut self, view: &SideView, _: &PublicLevel) -> Decision {
        Decision {
            action: Action::Propose {
                side: view.side,
                offer: nonsense(view.side),
            },
            code: ReasonCode::SellableAtHome,
            reason: "It wants what does not exist.".into(),
        }
    }
}

#[test]
fn a_refused_counterpart_move_falls_back_and_the_turn_says_why() {
    let sc = tutorial();
    let confused = || {
        [
            Seat::Counterpart(Box::new(Confused)),
            Seat::Counterpart(Box::new(Confused)),
        ]
    };
    let mut t = Table::new(sc.clone(), 3, confused());
    let mut turns = 0;
    let mut end = t.log_len();
    while let Some(side) = t.counterpart_need() {
        let view = t.view(side);
        let refused = t.whole().check(&Action::Propose {
            side,
            offer: nonsense(side),
        });
        let turn = t.step().expect("a counterpart must move");
        turns += 1;
        assert!(turns < 1_000, "the match never ends");
        assert_eq!(turn.side, side);
        assert_eq!(turn.fell_back.clone().map(Err), Some(refused));
        assert_eq!(turn.decision.code, ReasonCode::FellBack);
        assert_eq!(turn.decision.action, fallback(&view));
        assert_eq!(t.last_decision(side), Some(&turn.decision));
        // Each turn's events follow the last one's.
        assert_eq!(turn.events.start, end);
        end = turn.events.end;
    }
    let m = t.into_match();
    assert!(m.is_over());
    assert_eq!(end, m.log.len());
    assert_eq!(Match::replay(sc.clone(), &m.record(None)).unwrap(), m);
    assert_eq!(runner::play(sc, 3, confused()), m);
}
