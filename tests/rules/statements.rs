//! What counterparts say with their packages, and how they take a mediator's proposal: the
//! statement follows the occasion in each character's voice, and a mediator's package on the
//! table changes what a counterpart signs and tables.

use crate::common::*;
use detente::ai::{Counterpart, Negotiator, ReasonCode, Signing};
use detente::runner;
use detente::sim::*;
use std::collections::BTreeMap;
use std::sync::Arc;

const CHARACTERS: [Personality; 4] = [
    Personality::Hawk,
    Personality::Dove,
    Personality::Reciprocator,
    Personality::Pragmatist,
];

/// The tutorial without events, every check finding every breach. Both sides hold the hotline;
/// `a_breaks` and `b_breaks` say whether each breaks it in the first round. Returns the
/// statement with the first package B's normal counterpart tables afterwards (its other moves,
/// a withdrawal in answer or a gesture, are made on the way).
fn statement_after(p: Personality, a_breaks: bool, b_breaks: bool) -> Statement {
    let sc = Arc::new(with_detection(&tutorial(), 1.0));
    let mut m = Match::new(sc.clone(), 5);
    let mut ai = counterpart(&sc, p, Difficulty::Normal, Side::B, 3);
    sign_hotline(&mut m);
    for (side, breaks) in [(Side::A, a_breaks), (Side::B, b_breaks)] {
        let id = m.commitments.iter().find(|c| c.by == side).unwrap().id;
        let breaks = if breaks { vec![id] } else { vec![] };
        m.apply(Action::Implement { side, breaks }).unwrap();
    }
    assert_eq!(m.stage, Stage::Negotiation);
    for _ in 0..20 {
        if m.talks.turn != Side::B {
            ai.decide(&m.view_brief(Side::B), sc.public());
            let side = m.talks.turn;
            m.apply(Action::EndTalks { side }).unwrap();
            keep_all(&mut m);
            continue;
        }
        let d = b_decides(&m, &mut ai);
        if let Action::Propose { offer, .. } = &d.action {
            return offer.statement;
        }
        m.apply(d.action).unwrap();
        keep_all(&mut m);
    }
    panic!("{p:?} never tabled a package");
}

#[test]
fn a_breach_is_answered_in_words_as_each_character_would() {
    for p in CHARACTERS {
        let clean = statement_after(p, false, false);
        let wronged = statement_after(p, true, false);
        let at_fault = statement_after(p, false, true);
        assert_ne!(
            clean,
            Statement::Warn,
            "{p:?} warns with nothing to warn of"
        );
        match p {
            // The hawk and the reciprocator warn a partner just caught cheating.
            Personality::Hawk | Personality::Reciprocator => {
                assert_eq!(wronged, Statement::Warn, "{p:?}")
            }
            // The dove stays calm; the pragmatist does not apologise for their breach.
            Personality::Dove => assert_ne!(wronged, Statement::Warn),
            Personality::Pragmatist => assert_ne!(wronged, Statement::AcknowledgeHarm),
        }
        // Caught breaking its own word, the dove and the reciprocator make amends.
        if matches!(p, Personality::Dove | Personality::Reciprocator) {
            assert_eq!(at_fault, Statement::AcknowledgeHarm, "{p:?}");
        }
    }
}

#[test]
fn statements_vary_with_the_situation_over_many_matches() {
    for id in ["river_accord", "ceasefire_line"] {
        let sc = shipped(id);
        let mut kinds: BTreeMap<Statement, usize> = BTreeMap::new();
        for seed in 0..30 {
            let (_, turns) = play_turns(&sc, seed, runner::level_seats(&sc, seed));
            for t in turns {
                if let Action::Propose { offer, .. } | Action::Counter { offer, .. } =
                    t.decision.action
                {
                    *kinds.entry(offer.statement).or_default() += 1;
                }
            }
        }
        let total: usize = kinds.values().sum();
        let most = kinds.values().copied().max().unwrap_or(0);
        assert!(kinds.len() >= 3, "{id}: {kinds:?}");
        assert!(
            (most as f32) < 0.75 * total as f32,
            "{id}: one kind dominates: {kinds:?}"
        );
    }
}

/// `sc` without events and with a mediator who always steps in after two rounds without a deal,
/// played through `dry` rounds of closed talks.
fn mediated(sc: &Scenario, dry: usize) -> Match {
    let mut s = (*quiet_level(sc)).clone();
    s.mediator = Some(MediatorDef {
        name: "Envoy".into(),
        chance: 1.0,
    });
    let mut m = Match::new(Arc::new(s), 7);
    for _ in 0..dry {
        quiet_round(&mut m);
    }
    m
}

/// B's counterpart's answer to A proposing `offer` in `m`.
fn answer(m: &Match, ai: &mut Counterpart, offer: &Offer) -> detente::ai::Decision {
    let mut m = m.clone();
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap();
    b_decides(&m, ai)
}

#[test]
fn a_mediators_package_is_signed_more_readily_and_tabled() {
    let (mut only_with, mut only_without, mut tabled) = (0, 0, 0);
    for sc in all_levels() {
        for p in CHARACTERS {
            for d in [Difficulty::Normal, Difficulty::Hard] {
                // Round 3: A has the floor and the mediator's package is on the table.
                let m = mediated(&sc, 2);
                let bridge = m.bridge.clone().expect("the mediator steps in");
                if m.check_offer(Side::A, &bridge).is_err() {
                    continue;
                }
                let mut without = m.clone();
                without.bridge = None;
                let signs = |m: &Match| {
                    let mut ai = counterpart(&sc, p, d, Side::B, 1);
                    let d = answer(m, &mut ai, &bridge);
                    (d.code.signing(), d.code)
                };
                let (with, code) = signs(&m);
                let (alone, _) = signs(&without);
                match (with.is_some(), alone.is_some()) {
                    (true, false) => {
                        assert_eq!(with, Some(Signing::Mediated), "{p:?} {d:?}: {code:?}");
                        only_with += 1;
                    }
                    (false, true) => only_without += 1,
                    _ => {}
                }
                // Round 4: B has the floor, and a mediator's package again.
                let m = mediated(&sc, 3);
                assert_eq!(m.talks.turn, Side::B);
                let mut ai = counterpart(&sc, p, d, Side::B, 1);
                let d = b_decides(&m, &mut ai);
                if d.code == ReasonCode::MediatorsPackage {
                    let Action::Propose { offer, .. } = &d.action else {
                        panic!("{:?}", d.action)
                    };
                    assert_eq!(Some(&offer.items), m.bridge.as_ref().map(|b| &b.items));
                    tabled += 1;
                }
            }
        }
    }
    assert_eq!(
        only_without, 0,
        "a mediator's package made an offer harder to sign"
    );
    assert!(
        only_with > 0,
        "the mediator's package never changed an answer"
    );
    assert!(tabled > 0, "no counterpart tabled the mediator's package");
}
