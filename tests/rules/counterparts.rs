//! The counterparts: they play legal moves, deterministically, say why in plain words, and
//! answer what the other side and their own home front do.

use crate::common::*;
use detente::ai::{DIFFICULTIES, Negotiator, PERSONALITIES, ReasonCode};
use detente::eval::tournament;
use detente::runner;
use detente::sim::*;
use detente::table;
use proptest::prelude::*;
use std::sync::Arc;

#[test]
fn level_counterparts_play_only_legal_moves_to_the_end() {
    for sc in all_levels() {
        for seed in 0..15 {
            let (m, turns) = play_turns(&sc, seed, runner::level_seats(&sc, seed));
            for t in &turns {
                let d = &t.decision;
                assert!(
                    t.fell_back.is_none() && d.code != ReasonCode::FellBack,
                    "{} seed {seed}: illegal move {:?} ({:?}): {}",
                    sc.id,
                    d.action,
                    t.fell_back,
                    d.reason
                );
                assert!(!d.reason.is_empty());
            }
            assert!(m.is_over());
        }
    }
}

#[test]
fn every_personality_plays_legal_moves_deterministically() {
    for sc in all_levels() {
        for (k, &p) in PERSONALITIES.iter().enumerate() {
            for (l, &d) in DIFFICULTIES.iter().enumerate() {
                let q = PERSONALITIES[(k + l + 1) % 4];
                let seed = (k * 3 + l) as u64;
                let play = || {
                    let (m, turns) = play_turns(
                        &sc,
                        seed,
                        seats(
                            counterpart(&sc, p, d, Side::A, seed),
                            counterpart(&sc, q, Difficulty::Normal, Side::B, seed),
                        ),
                    );
                    let mut reasons = Vec::new();
                    for t in turns {
                        let dec = t.decision;
                        assert!(
                            t.fell_back.is_none(),
                            "{p:?}/{d:?} on {}: {:?} {}",
                            sc.id,
                            dec.action,
                            dec.reason
                        );
                        reasons.push((dec.code, dec.reason));
                    }
                    (m, reasons)
                };
                let (m1, r1) = play();
                let (m2, r2) = play();
                assert!(m1.is_over());
                assert_eq!(m1, m2, "{p:?}/{d:?} is deterministic");
                assert_eq!(r1, r2);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn any_pair_of_counterparts_plays_legally_and_replays(seed in any::<u64>(), a in 0usize..12, b in 0usize..12, level in 0usize..3) {
        let levels = all_levels();
        let sc = levels[level % levels.len()].clone();
        let pool = tournament::pool();
        let mk = || {
            seats(
                counterpart(&sc, pool[a].0, pool[a].1, Side::A, seed),
                counterpart(&sc, pool[b].0, pool[b].1, Side::B, seed),
            )
        };
        let (m, turns) = play_turns(&sc, seed, mk());
        for t in &turns {
            prop_assert!(t.fell_back.is_none(), "{:?}: {}", t.decision.action, t.decision.reason);
        }
        prop_assert!(m.is_over());
        let again = runner::play(sc.clone(), seed, mk());
        prop_assert_eq!(&again, &m);
        prop_assert_eq!(Match::replay(sc.clone(), &m.record(None)).unwrap(), m);
    }
}

#[test]
fn every_reason_code_comes_with_a_plain_sentence() {
    // Each style against another on every shipped level: whatever kind of claim a counterpart
    // makes, the player reads it in words.
    let pool = tournament::pool();
    let mut seen = std::collections::HashSet::new();
    for sc in all_levels() {
        for (k, &(p, d)) in pool.iter().enumerate() {
            let (q, e) = pool[(k * 5 + 3) % pool.len()];
            let seed = k as u64;
            let (_, turns) = play_turns(
                &sc,
                seed,
                seats(
                    counterpart(&sc, p, d, Side::A, seed),
                    counterpart(&sc, q, e, Side::B, seed),
                ),
            );
            for t in turns {
                let dec = t.decision;
                let r = &dec.reason;
                assert_ne!(dec.code, ReasonCode::FellBack, "{}: {r}", sc.id);
                assert!(
                    !r.is_empty()
                        && r.trim() == r
                        && !r.contains('\n')
                        && r.starts_with(char::is_uppercase)
                        && r.ends_with('.'),
                    "{}: {:?} comes with {r:?}",
                    sc.id,
                    dec.code
                );
                seen.insert(dec.code);
            }
        }
    }
    // The matches reach well beyond the commonest claims (26 kinds when written), or the check
    // would mean little.
    assert!(seen.len() >= 20, "only {seen:?}");
}

#[test]
fn counterpart_refuses_a_package_its_factions_would_not_ratify() {
    let sc = tutorial();
    let mut m = calm(&sc);
    for a in &mut m.sides[1].approval {
        *a = 30.0;
    }
    // Ask B for the concession its own factions hate most.
    let hated = sc
        .measures
        .iter()
        .filter(|x| x.by.allows(Side::B))
        .min_by(|x, y| {
            let r = |mm: &&MeasureDef| {
                politics::package_reaction(&sc, Side::B, &[item(&mm.id, Side::B)])
                    .iter()
                    .sum::<f32>()
            };
            r(x).total_cmp(&r(y))
        })
        .unwrap();
    let o = offer(&sc, &[(hated.id.as_str(), Side::B)]);
    m.apply(Action::Propose {
        side: Side::A,
        offer: o,
    })
    .unwrap();
    let mut ai = table::level_counterpart(sc.public(), Side::B, 1);
    let d = b_decides(&m, &mut ai);
    assert!(
        !matches!(d.action, Action::Accept { .. }),
        "accepted: {}",
        d.reason
    );
    assert!(
        matches!(
            d.code,
            ReasonCode::CannotRatify | ReasonCode::CannotSellAtHome
        ),
        "explains why: {:?} {}",
        d.code,
        d.reason
    );
}

#[test]
fn reciprocator_answers_a_gesture_with_a_gesture() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let g = sc
        .measures
        .iter()
        .find(|x| x.gesture && x.by.allows(Side::A) && x.requires.is_empty())
        .unwrap();
    m.apply(Action::Gesture {
        side: Side::A,
        measure: g.id.clone(),
        verification: None,
    })
    .unwrap();
    m.apply(Action::EndTalks { side: Side::A }).unwrap();
    m.apply(Action::Implement {
        side: Side::A,
        breaks: vec![],
    })
    .unwrap();
    assert_eq!((m.round, m.talks.turn), (2, Side::B));
    let mut ai = counterpart(
        &sc,
        Personality::Reciprocator,
        Difficulty::Normal,
        Side::B,
        1,
    );
    let d = b_decides(&m, &mut ai);
    assert!(
        matches!(d.action, Action::Gesture { side: Side::B, .. }),
        "{:?}: {}",
        d.action,
        d.reason
    );
    assert_eq!(d.code, ReasonCode::AnswerInKind, "{}", d.reason);
    // A hawk does not.
    let mut hawk = counterpart(&sc, Personality::Hawk, Difficulty::Normal, Side::B, 1);
    assert!(!matches!(
        b_decides(&m, &mut hawk).action,
        Action::Gesture { .. }
    ));
}

/// Both sides hold the hotline; A's copy is then caught broken `times` times.
fn caught_cheating(times: usize) -> Match {
    let sc = Arc::new(with_detection(&tutorial(), 1.0));
    let mut m = Match::new(sc, 5);
    let id = sign_hotline(&mut m);
    for round in 0..times {
        m.apply(Action::Implement {
            side: Side::B,
            breaks: vec![],
        })
        .unwrap();
        m.apply(Action::Implement {
            side: Side::A,
            breaks: vec![id],
        })
        .unwrap();
        if round + 1 < times {
            let side = m.talks.turn;
            m.apply(Action::EndTalks { side }).unwrap();
        }
    }
    if m.talks.turn == Side::A {
        m.apply(Action::EndTalks { side: Side::A }).unwrap();
        m.apply(Action::Implement {
            side: Side::B,
            breaks: vec![],
        })
        .unwrap();
        m.apply(Action::Implement {
            side: Side::A,
            breaks: vec![],
        })
        .unwrap();
    }
    assert_eq!(m.talks.turn, Side::B);
    assert_eq!(m.stage, Stage::Negotiation);
    m
}

#[test]
fn reciprocator_forgives_once_then_retaliates_for_a_caught_breach() {
    let once = caught_cheating(1);
    let mut ai = counterpart(
        &once.scenario,
        Personality::Reciprocator,
        Difficulty::Normal,
        Side::B,
        2,
    );
    let d = b_decides(&once, &mut ai);
    assert!(
        !matches!(d.action, Action::Withdraw { .. }),
        "a single lapse is forgiven: {}",
        d.reason
    );

    let twice = caught_cheating(2);
    let mut ai = counterpart(
        &twice.scenario,
        Personality::Reciprocator,
        Difficulty::Normal,
        Side::B,
        2,
    );
    let d = b_decides(&twice, &mut ai);
    assert!(
        matches!(d.action, Action::Withdraw { side: Side::B, .. }),
        "{:?}: {}",
        d.action,
        d.reason
    );
    assert_eq!(d.code, ReasonCode::CaughtBreaking, "{}", d.reason);

    let mut hawk = counterpart(
        &once.scenario,
        Personality::Hawk,
        Difficulty::Normal,
        Side::B,
        2,
    );
    assert!(
        matches!(b_decides(&once, &mut hawk).action, Action::Withdraw { .. }),
        "a hawk answers the first breach"
    );
}

#[test]
fn leader_near_ouster_refuses_an_unpopular_concession_and_says_why() {
    let sc = tutorial();
    let mut m = calm(&sc);
    // B's leader is close to falling and its most hawkish faction is at 28%.
    let hawkish = sc
        .side_b
        .factions
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.hawkish.total_cmp(&b.1.hawkish))
        .unwrap()
        .0;
    for (i, a) in m.sides[1].approval.iter_mut().enumerate() {
        *a = if i == hawkish { 28.0 } else { 30.0 };
    }
    assert!(
        m.approval(Side::B) < sc.side_b.ouster_below + 10.0,
        "the leader is close to falling"
    );
    let hated = sc
        .measures
        .iter()
        .filter(|x| x.by.allows(Side::B) && x.requires.is_empty())
        .min_by(|x, y| {
            let r = |mm: &MeasureDef| {
                politics::package_reaction(&sc, Side::B, &[item(&mm.id, Side::B)])[hawkish]
            };
            r(x).total_cmp(&r(y))
        })
        .unwrap();
    assert!(politics::package_reaction(&sc, Side::B, &[item(&hated.id, Side::B)])[hawkish] < 0.0);
    // Sweeten it so the package itself is attractive.
    let sweet: Vec<(&str, Side)> = sc
        .measures
        .iter()
        .filter(|x| x.by.allows(Side::A) && x.requires.is_empty())
        .take(3)
        .map(|x| (x.id.as_str(), Side::A))
        .chain([(hated.id.as_str(), Side::B)])
        .collect();
    m.sides[0].capital = 30.0;
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer(&sc, &sweet),
    })
    .unwrap();
    for p in PERSONALITIES {
        let mut ai = counterpart(&sc, p, Difficulty::Normal, Side::B, 3);
        let d = b_decides(&m, &mut ai);
        assert!(
            !matches!(d.action, Action::Accept { .. }),
            "{p:?} accepted: {}",
            d.reason
        );
        let name = &sc.side_b.factions[hawkish].name;
        assert_eq!(d.code, ReasonCode::CannotSellAtHome, "{p:?}: {}", d.reason);
        assert!(
            d.reason.contains(name.as_str()) && d.reason.contains("28%"),
            "{p:?} names the faction and its approval: {}",
            d.reason
        );
    }
}

#[test]
fn a_counterpart_offers_checks_on_its_own_promises_once_asked() {
    let sc = tutorial();
    let checked = sc.measures[sc.measure_index("patrol_notice").unwrap()]
        .verification
        .iter()
        .position(|v| v.detection >= 0.5)
        .expect("the tutorial's patrol notice can be checked");
    let mut m = calm(&sc);
    m.sides[0].capital = 30.0;
    m.sides[1].capital = 30.0;
    let mut ask = offer(&sc, &[("hotline", Side::A), ("patrol_notice", Side::B)]);
    ask.items[1].verification = Some(checked);
    m.apply(Action::Propose {
        side: Side::A,
        offer: ask,
    })
    .unwrap();
    let mut ai = counterpart(&sc, Personality::Pragmatist, Difficulty::Hard, Side::B, 2);
    b_decides(&m, &mut ai);
    m.apply(Action::Reject { side: Side::B }).unwrap();
    // Give B the floor for its own package.
    m.talks.turn = Side::B;
    m.talks.exchanges_used = 0;
    let d = b_decides(&m, &mut ai);
    let Action::Propose { offer: o, .. } = d.action else {
        panic!("B tables a package: {:?} {}", d.action, d.reason)
    };
    let own: Vec<&Item> = o
        .items
        .iter()
        .filter(|it| {
            it.by == Side::B
                && sc.measures[sc.measure_index(&it.measure).unwrap()]
                    .verification
                    .iter()
                    .any(|v| v.detection >= 0.5)
        })
        .collect();
    assert!(!own.is_empty(), "B offers something checkable: {o:?}");
    for it in own {
        let mm = &sc.measures[sc.measure_index(&it.measure).unwrap()];
        assert!(
            measures::detection(mm, it.verification) >= 0.5,
            "{} offered without the check they asked for",
            it.measure
        );
    }
}

#[test]
fn near_the_clash_line_a_careful_counterpart_answers_events_to_calm() {
    let sc: Arc<Scenario> = shipped("ceasefire_line");
    let mut s = (*sc).clone();
    s.event_chance = 1.0;
    let s = Arc::new(s);
    let mut checked = 0;
    for seed in 0..60 {
        let mut m = Match::new(s.clone(), seed);
        if m.stage != Stage::Events {
            continue;
        }
        m.tension = s.end.clash_at - 3.0;
        let (side, _) = m.needs()[0];
        let v = m.view(side);
        let ev = v.event.clone().unwrap();
        let def = s.events.iter().find(|e| e.id == ev.card).unwrap();
        let options: Vec<&ResponseDef> = def
            .responses
            .iter()
            .filter(|r| ev.my_responses.contains(&r.id))
            .collect();
        let calmest = options
            .iter()
            .map(|r| r.effects.tension)
            .fold(f32::MAX, f32::min);
        if options.iter().all(|r| r.effects.tension == calmest) {
            continue;
        }
        let mut hawk = counterpart(&s, Personality::Hawk, Difficulty::Hard, side, seed);
        let d = hawk.decide(&v, s.public());
        let Action::Respond { response, .. } = d.action else {
            panic!("{:?}", d.action)
        };
        let chosen = options.iter().find(|r| r.id == response).unwrap();
        assert_eq!(
            chosen.effects.tension, calmest,
            "seed {seed}: a hard hawk at tension {:.0} chose '{}'",
            m.tension, chosen.label
        );
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} cards with a choice");
}
