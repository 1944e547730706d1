//! The instructor's steering as rules: a card struck on purpose lands where it is aimed, a
//! written card stays within the level's ranges, a pause stops every seat, the clock closes
//! talks, and a record with steering replays to the same match.

use crate::common::{calm, keep_all, offer, sign_hotline, tutorial};
use detente::runner::level_seats;
use detente::sim::steer::{Card, SteerNote, effect_ranges};
use detente::sim::*;
use detente::table::Table;

fn strike(card: Card, struck: &[Side]) -> Steer {
    Steer::Strike {
        card,
        struck: struck.to_vec(),
    }
}

#[test]
fn a_deck_card_strikes_only_the_side_it_is_aimed_at() {
    let sc = tutorial();
    let card = sc.events.iter().find(|e| e.effects.tension != 0.0).unwrap();
    let mut m = calm(&sc);
    let before = (
        m.tension,
        m.sides[0].approval.clone(),
        m.sides[1].approval.clone(),
    );
    let events = m
        .steer(strike(Card::Deck(card.id.clone()), &[Side::B]))
        .unwrap();
    assert!(
        events.iter().any(|e| matches!(e,
            Event::Steered { note: SteerNote::Struck { struck, .. } } if struck == &vec![Side::B]
        )),
        "{events:?}"
    );
    assert_ne!(m.tension, before.0, "the card's tension landed");
    // Nothing drawn from chance: the generator is where it was.
    let fresh = calm(&sc);
    assert_eq!(m.rng, fresh.rng);
    // The card is marked drawn, so a card drawn once per match is not drawn again.
    let i = sc.events.iter().position(|e| e.id == card.id).unwrap();
    assert_eq!(m.drawn[i], 1);
    // Talks go on: the side to speak may still propose.
    let side = m.talks.turn;
    m.apply(Action::Propose {
        side,
        offer: offer(&sc, &[("hotline", Side::A), ("hotline", Side::B)]),
    })
    .unwrap();
}

#[test]
fn a_written_card_must_stay_within_what_the_levels_cards_do() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let ranges = effect_ranges(&sc.events);
    let (_, lo, hi) = *ranges.iter().find(|(f, _, _)| *f == "tension").unwrap();
    assert!(lo <= 0.0 && hi > 0.0, "the tutorial's cards raise tension");
    let card = |tension: f32, title: &str, text: &str| Card::Custom {
        title: title.into(),
        text: text.into(),
        effects: Effects {
            tension,
            ..Default::default()
        },
    };
    let snapshot = format!("{:?}", (m.tension, &m.log, &m.steering));
    for (bad, why) in [
        (
            card(hi + 1.0, "Shots fired", "A warning shot."),
            "over the top",
        ),
        (card(lo - 1.0, "Calm", "All quiet."), "under the bottom"),
        (card(f32::NAN, "Odd", "Odd."), "not a number"),
        (card(1.0, "", "No title."), "no title"),
        (card(1.0, "Bell\u{7}", "Text."), "a control character"),
        (card(1.0, "Long", &"x".repeat(401)), "too long"),
    ] {
        assert!(m.steer(strike(bad, &[Side::A])).is_err(), "{why}");
    }
    assert!(
        m.steer(strike(Card::Deck("no_such_card".into()), &[Side::A]))
            .is_err()
    );
    assert!(
        m.steer(strike(card(1.0, "T", "x"), &[])).is_err(),
        "no target"
    );
    assert!(
        m.steer(strike(card(1.0, "T", "x"), &[Side::A, Side::A]))
            .is_err(),
        "the same side twice"
    );
    assert_eq!(
        snapshot,
        format!("{:?}", (m.tension, &m.log, &m.steering)),
        "a refused steer changes nothing"
    );
    let t0 = m.tension;
    m.steer(strike(
        card(hi, "Shots fired", "A warning shot."),
        &[Side::A, Side::B],
    ))
    .unwrap();
    assert!(m.tension > t0, "a card at the top of the range lands");
}

#[test]
fn a_pause_stops_every_seat_and_a_resume_lets_them_go_on() {
    let sc = tutorial();
    let mut t = Table::new(sc.clone(), 3, level_seats(&sc, 3));
    // Let the counterparts play a little, then pause.
    for _ in 0..3 {
        t.step();
    }
    t.steer(Steer::Pause).unwrap();
    let moves = t.whole().actions.len();
    assert!(t.needs().is_empty(), "nobody owes a move while paused");
    assert!(t.step().is_none(), "counterparts wait too");
    assert_eq!(t.whole().actions.len(), moves);
    let v = t.view(Side::A);
    assert!(v.paused && v.needs.is_empty());
    let any = detente::table::fallback(&t.whole().view(t.whole().talks.turn));
    assert_eq!(t.whole().check(&any), Err(ActionError::Paused));
    assert!(t.steer(Steer::Pause).is_err(), "paused twice");
    t.steer(Steer::Resume).unwrap();
    assert!(!t.needs().is_empty());
    assert!(t.step().is_some(), "play goes on");
    assert!(t.steer(Steer::Resume).is_err(), "not paused");
}

#[test]
fn the_clock_closes_talks_and_only_while_they_are_on() {
    let sc = tutorial();
    let mut m = calm(&sc);
    assert_eq!(m.stage, Stage::Negotiation);
    assert!(
        m.steer(Steer::Timer { secs: Some(1) }).is_err(),
        "too short"
    );
    m.steer(Steer::Timer { secs: Some(120) }).unwrap();
    assert_eq!(m.view(Side::B).round_timer, Some(120));
    sign_hotline(&mut m);
    assert_eq!(m.stage, Stage::Implementation);
    assert_eq!(m.steer(Steer::CloseTalks), Err(SteerError::NotTalking));
    keep_all(&mut m);
    assert_eq!((m.round, m.stage), (2, Stage::Negotiation));
    let side = m.talks.turn;
    m.apply(Action::Propose {
        side,
        offer: offer(&sc, &[("patrol_notice", Side::A)]),
    })
    .unwrap();
    let events = m.steer(Steer::CloseTalks).unwrap();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::TalksEnded { agreed: false, .. }))
    );
    // The hotline in force must be carried out, so the round waits at implementation.
    assert_eq!(m.stage, Stage::Implementation);
    assert!(m.talks.pending.is_none(), "the offer on the table lapses");
    assert_eq!(m.commitments.len(), 2, "nothing new was signed");
}

/// A match between the level's counterparts with steps of every kind along the way.
fn steered_match(seed: u64) -> Match {
    let sc = tutorial();
    let card = sc.events[0].id.clone();
    let mut t = Table::new(sc.clone(), seed, level_seats(&sc, seed));
    let mut n = 0;
    loop {
        n += 1;
        let steer = match n {
            2 => Some(Steer::Timer { secs: Some(90) }),
            4 => Some(strike(Card::Deck(card.clone()), &[Side::A])),
            5 => Some(Steer::Pause),
            6 => Some(strike(
                Card::Custom {
                    title: "Border incident".into(),
                    text: "A patrol boat runs aground.".into(),
                    effects: Effects {
                        tension: 3.0,
                        ..Default::default()
                    },
                },
                &[Side::A, Side::B],
            )),
            7 => Some(Steer::Resume),
            _ if t.stage() == Stage::Negotiation && n % 9 == 0 => Some(Steer::CloseTalks),
            _ => None,
        };
        if let Some(s) = steer {
            t.steer(s).unwrap();
        }
        if t.step().is_none() && !t.whole().paused {
            break;
        }
        assert!(n < 10_000);
    }
    t.into_match()
}

#[test]
fn a_record_with_steering_replays_to_the_same_match() {
    for seed in [1, 5, 9] {
        let m = steered_match(seed);
        assert!(m.ending.is_some());
        assert!(m.steering.len() >= 5, "{} steps", m.steering.len());
        let record = m.record(None);
        // Through JSON, as saves and the archive keep it.
        let record: MatchRecord =
            serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
        let again = Match::replay(m.scenario.clone(), &record).unwrap();
        assert_eq!(again.log, m.log, "seed {seed}");
        assert_eq!(again.ending, m.ending);
        assert_eq!(again.steering, m.steering);
        // The table's replay (counterparts thinking before each move) agrees.
        let sc = tutorial();
        let t = Table::replay(
            sc.clone(),
            &record,
            level_seats(&sc, seed),
            sc.ai.difficulty,
        )
        .unwrap();
        assert_eq!(t.whole().log, m.log);
        // Without the steering the moves no longer make the same match.
        let mut bare = record.clone();
        bare.steering.clear();
        let other = Match::replay(m.scenario.clone(), &bare);
        assert!(
            other.map_or(true, |o| o.log != m.log),
            "steering changed the match"
        );
    }
}
