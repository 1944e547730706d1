//! Levels, positions and moves shared by the test modules.

use detente::ai::{Counterpart, Decision, Negotiator};
use detente::level;
use detente::sim::*;
use detente::table::{Seat, Table, Turn};
use std::path::Path;
use std::sync::Arc;

pub fn tutorial() -> Arc<Scenario> {
    Arc::new(level::load(Path::new("levels/tutorial.ron")).expect("tutorial loads"))
}

pub fn all_levels() -> Vec<Arc<Scenario>> {
    level::load_dir(Path::new("levels"))
        .into_iter()
        .map(|e| Arc::new(e.result.expect("every shipped level is valid")))
        .collect()
}

/// The shipped level with this id.
pub fn shipped(id: &str) -> Arc<Scenario> {
    all_levels()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no shipped level {id}"))
}

/// `sc` without event cards or a mediator.
pub fn quiet_level(sc: &Scenario) -> Arc<Scenario> {
    let mut s = sc.clone();
    s.event_chance = 0.0;
    s.mediator = None;
    Arc::new(s)
}

/// A match at the negotiation stage, with event cards switched off.
pub fn calm(sc: &Scenario) -> Match {
    Match::new(quiet_level(sc), 11)
}

pub fn item(m: &str, by: Side) -> Item {
    Item {
        measure: m.into(),
        by,
        verification: None,
        term: Term::Pledge,
    }
}

pub fn term_of(sc: &Scenario, id: &str) -> Term {
    sc.measure_index(id)
        .and_then(|i| sc.measures[i].terms.first().copied())
        .unwrap_or(Term::Pledge)
}

/// An offer of these commitments, each on the first term its measure allows.
pub fn offer(sc: &Scenario, items: &[(&str, Side)]) -> Offer {
    Offer {
        items: items
            .iter()
            .map(|(m, s)| Item {
                term: term_of(sc, m),
                ..item(m, *s)
            })
            .collect(),
        statement: Statement::Reassure,
    }
}

/// `sc` without events or mediator, where every measure has one check that finds a breach
/// with probability `p`.
pub fn with_detection(sc: &Scenario, p: f32) -> Scenario {
    let mut s = sc.clone();
    s.event_chance = 0.0;
    s.mediator = None;
    for m in &mut s.measures {
        m.verification = vec![Verification {
            name: "Test monitors".into(),
            detection: p,
            cost: 0.0,
            needs_observers: false,
        }];
    }
    s
}

/// Both sides sign the hotline under its check; returns the id of A's commitment.
pub fn sign_hotline(m: &mut Match) -> u32 {
    let sc = m.scenario.clone();
    let mut o = offer(&sc, &[("hotline", Side::A), ("hotline", Side::B)]);
    for it in &mut o.items {
        it.verification = Some(0);
    }
    m.apply(Action::Propose {
        side: Side::A,
        offer: o,
    })
    .unwrap();
    m.apply(Action::Accept { side: Side::B }).unwrap();
    m.commitments.iter().find(|c| c.by == Side::A).unwrap().id
}

/// Both sides carry out every commitment, where the rules still ask them to.
pub fn keep_all(m: &mut Match) {
    for s in Side::BOTH {
        if m.stage == Stage::Implementation && !m.sides[s.idx()].implemented {
            m.apply(Action::Implement {
                side: s,
                breaks: vec![],
            })
            .unwrap();
        }
    }
}

/// A proposes `items`, B accepts, and both carry them out.
pub fn sign_and_keep(m: &mut Match, items: &[(&str, Side)]) {
    let sc = m.scenario.clone();
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer(&sc, items),
    })
    .unwrap();
    m.apply(Action::Accept { side: Side::B }).unwrap();
    assert_eq!(
        m.stage,
        Stage::Implementation,
        "signed and due for carrying out"
    );
    keep_all(m);
}

/// The side to speak closes the talks at once, and everything in force is carried out.
pub fn quiet_round(m: &mut Match) {
    let side = m.talks.turn;
    m.apply(Action::EndTalks { side }).unwrap();
    keep_all(m);
}

/// A counterpart of this character, built the way the game builds them.
pub fn counterpart(
    sc: &Scenario,
    p: Personality,
    d: Difficulty,
    side: Side,
    seed: u64,
) -> Counterpart {
    detente::table::counterpart(sc.public(), side, seed, p, d)
}

/// What B's counterpart would do in `m`, seeing what a table shows it.
pub fn b_decides(m: &Match, ai: &mut Counterpart) -> Decision {
    ai.decide(&m.view_brief(Side::B), m.scenario.public())
}

/// Both seats held by these counterparts.
pub fn seats(a: Counterpart, b: Counterpart) -> [Seat; 2] {
    [
        Seat::Counterpart(Box::new(a)),
        Seat::Counterpart(Box::new(b)),
    ]
}

/// Play a match at a table to the end, keeping every move the counterparts made.
pub fn play_turns(sc: &Arc<Scenario>, seed: u64, seats: [Seat; 2]) -> (Match, Vec<Turn>) {
    let mut t = Table::new(sc.clone(), seed, seats);
    let mut turns = Vec::new();
    while let Some(turn) = t.step() {
        turns.push(turn);
        assert!(turns.len() < 10_000, "{} seed {seed} never ends", sc.id);
    }
    (t.into_match(), turns)
}
