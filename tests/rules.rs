//! The rules, the level format and the first counterpart, tested without rendering.

use detente::ai::{Negotiator, ReasonCode, Signing, Table};
use detente::level;
use detente::runner;
use detente::sim::*;
use proptest::prelude::*;
use std::path::Path;
use std::sync::Arc;

fn tutorial() -> Arc<Scenario> {
    Arc::new(level::load(Path::new("levels/tutorial.ron")).expect("tutorial loads"))
}

fn all_levels() -> Vec<Arc<Scenario>> {
    level::load_dir(Path::new("levels"))
        .into_iter()
        .map(|e| Arc::new(e.result.expect("every shipped level is valid")))
        .collect()
}

/// A match at the negotiation stage, with event cards switched off.
fn calm(sc: &Scenario) -> Match {
    let mut s = sc.clone();
    s.event_chance = 0.0;
    s.mediator = None;
    Match::new(Arc::new(s), 11)
}

fn item(m: &str, by: Side) -> Item {
    Item {
        measure: m.into(),
        by,
        verification: None,
        term: Term::Pledge,
    }
}

fn term_of(sc: &Scenario, id: &str) -> Term {
    sc.measure_index(id)
        .and_then(|i| sc.measures[i].terms.first().copied())
        .unwrap_or(Term::Pledge)
}

fn offer(sc: &Scenario, items: &[(&str, Side)]) -> Offer {
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

// ---------- levels ----------

#[test]
fn every_shipped_level_passes_check() {
    let entries = level::load_dir(Path::new("levels"));
    assert!(entries.len() >= 3);
    for e in &entries {
        if let Err(err) = &e.result {
            panic!("{} fails: {err}", e.path.display());
        }
    }
}

#[test]
fn full_scenarios_meet_the_minimums() {
    for sc in all_levels().iter().filter(|s| s.id != "tutorial") {
        assert!(sc.measures.len() >= 15, "{}", sc.id);
        for a in Area::ALL {
            assert!(
                sc.measures.iter().any(|m| m.area == a),
                "{} lacks {a:?}",
                sc.id
            );
        }
        assert!(sc.events.len() >= 10, "{}", sc.id);
        for s in [Some(Side::A), Some(Side::B)] {
            assert!(
                sc.outlets.iter().filter(|o| o.side == s).count() >= 2,
                "{}",
                sc.id
            );
        }
        assert!(sc.outlets.iter().any(|o| o.side.is_none()));
    }
}

fn first_errors(path: &str) -> Vec<String> {
    match level::load(Path::new(path)) {
        Ok(_) => panic!("{path} should fail"),
        Err(e) => e.0.iter().map(|e| e.headline()).collect(),
    }
}

#[test]
fn syntax_error_names_line_and_column() {
    assert_eq!(
        first_errors("tests/fixtures/missing_comma.ron"),
        vec![
            "tests/fixtures/missing_comma.ron:10:5: Expected comma (probably missing at the end of the line before)"
        ]
    );
}

#[test]
fn unknown_field_names_line_column_and_choices() {
    let e = first_errors("tests/fixtures/unknown_field.ron");
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("tests/fixtures/unknown_field.ron:9:5: Unexpected field named `roundz` in `Scenario`, expected one of `id`"),
        "{}",
        e[0]
    );
}

#[test]
fn wrong_type_names_line_and_column() {
    assert_eq!(
        first_errors("tests/fixtures/wrong_type.ron"),
        vec!["tests/fixtures/wrong_type.ron:10:15: Expected integer"]
    );
}

#[test]
fn semantic_errors_are_all_reported_with_field_paths() {
    assert_eq!(
        first_errors("tests/fixtures/semantic.ron"),
        vec![
            "tests/fixtures/semantic.ron:11:5: event_chance: 1.5 is outside 0..1",
            "tests/fixtures/semantic.ron:228:32: measures[4].requires[0]: unknown measure 'hotlin'",
            "tests/fixtures/semantic.ron:379:104: headlines[0].text: no slot {treaty} for Agreement headlines; use one of {actor} {other} {leader} {outlet} {round} {tension} {measure} {count}",
        ]
    );
}

#[test]
fn prerequisite_cycle_is_named() {
    assert_eq!(
        first_errors("tests/fixtures/cycle.ron"),
        vec![
            "tests/fixtures/cycle.ron:147:13: measures[0].requires: prerequisites form a loop: hotline -> lakeside_market -> hotline"
        ]
    );
}

#[test]
fn impossible_end_condition_is_refused() {
    let text = std::fs::read_to_string("levels/tutorial.ron").unwrap();
    let bad = text.replace("hold_rounds: 2", "hold_rounds: 9");
    assert_ne!(bad, text);
    let e = level::parse("x.ron", bad.as_bytes()).unwrap_err();
    assert!(
        e.0.iter()
            .any(|e| e.field == "end.hold_rounds" && e.message.contains("can never be met")),
        "{e}"
    );
}

#[test]
fn invalid_utf8_is_refused_with_position() {
    let e = level::parse("bin.ron", b"Scenario(\n  id: \"\xff\"").unwrap_err();
    assert_eq!(
        e.0[0].headline(),
        "bin.ron:2:8: the file is not valid UTF-8 text (save it as UTF-8)"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn level_parser_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = level::parse("fuzz.ron", &bytes);
    }

    #[test]
    fn level_parser_never_panics_on_damaged_levels(cut in 0usize..20000, junk in "[(),:\"a-z0-9\\[\\] ]{0,8}") {
        let text = std::fs::read_to_string("levels/tutorial.ron").unwrap();
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) { cut -= 1; }
        let damaged = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
        let _ = level::parse("fuzz.ron", damaged.as_bytes());
    }
}

// ---------- rules ----------

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
            |e| matches!(e, ActionError::WrongStage { .. }),
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
            |e| matches!(e, ActionError::WrongStage { .. }),
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

fn with_detection(sc: &Scenario, p: f32) -> Scenario {
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

fn sign_hotline(m: &mut Match) -> u32 {
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

#[test]
fn tension_at_the_clash_line_ends_in_a_clash() {
    let sc = tutorial();
    let mut m = calm(&sc);
    m.tension = sc.end.clash_at - 0.5;
    m.apply(Action::EndTalks { side: Side::A }).unwrap();
    assert_eq!(m.ending, Some(Ending::Clash));
    assert_eq!(m.scores().utility, [0.0, 0.0]);
}

#[test]
fn a_headless_match_is_the_same_match_without_the_wording_of_headlines() {
    for sc in all_levels() {
        for seed in 0..3u64 {
            let full = runner::play(sc.clone(), seed, &mut runner::level_agents(&sc, seed));
            let quiet =
                runner::play_headless(sc.clone(), seed, &mut runner::level_agents(&sc, seed));
            assert_eq!(full.actions, quiet.actions, "{} seed {seed}", sc.id);
            assert_eq!(full.history, quiet.history, "{} seed {seed}", sc.id);
            assert_eq!(full.scores(), quiet.scores(), "{} seed {seed}", sc.id);
            let headline = |l: &&Logged| matches!(l.event, Event::Headline { .. });
            assert!(full.log.iter().any(|l| headline(&l)));
            assert!(!quiet.log.iter().any(|l| headline(&l)));
            let others = |m: &Match| m.log.iter().filter(|l| !headline(l)).count();
            assert_eq!(others(&full), others(&quiet), "{} seed {seed}", sc.id);
        }
    }
}

#[test]
fn an_early_normalization_counts_the_seasons_left_at_what_is_in_force() {
    let sc = tutorial();
    let early = (0..60u64)
        .map(|seed| runner::play(sc.clone(), seed, &mut runner::level_agents(&sc, seed)))
        .find(|m| m.ending == Some(Ending::Normalization) && (m.history.len() as u32) < sc.rounds)
        .expect("no match ended in normalization before the round limit");
    let played = early.history.len() as f32;
    let rounds = sc.rounds as f32;
    let end = early.in_force_point();
    let scores = early.scores();
    for s in Side::BOTH {
        let sum: f32 = early.history.iter().map(|h| h.utility[s.idx()]).sum();
        let expected = (sum + end[s.idx()] * (rounds - played)) / rounds;
        assert!(
            (scores.utility[s.idx()] - expected).abs() < 1e-5,
            "{s:?}: {} against {expected}",
            scores.utility[s.idx()]
        );
        // The peace holds: the package at the end is at least the season's mean.
        if end[s.idx()] >= sum / played {
            assert!(scores.utility[s.idx()] >= sum / played - 1e-6);
        }
    }
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
fn views_hold_no_private_detail_of_the_other_side() {
    let sc = tutorial();
    let m = calm(&sc);
    for side in Side::BOTH {
        let json = serde_json::to_string(&m.view(side)).unwrap();
        assert!(json.contains(&sc.side(side).brief.replace('\n', "\\n")[..40]));
        let theirs = sc.side(side.other());
        assert!(
            !json.contains(&theirs.brief.replace('\n', "\\n")[..40]),
            "other brief leaked"
        );
        for f in &theirs.factions {
            assert!(
                !json.contains(&format!("\"id\":\"{}\"", f.id)),
                "other faction detail leaked"
            );
        }
    }
}

#[test]
fn actions_events_views_and_records_round_trip_through_json() {
    let sc = tutorial();
    let mut agents = runner::level_agents(&sc, 4);
    let m = runner::play(sc.clone(), 4, &mut agents);
    let rec = m.record(Some("levels/tutorial.ron".into()));
    let back: MatchRecord = serde_json::from_str(&serde_json::to_string(&rec).unwrap()).unwrap();
    assert_eq!(back, rec);
    let events: Vec<Logged> =
        serde_json::from_str(&serde_json::to_string(&m.log).unwrap()).unwrap();
    assert_eq!(events, m.log);
    let v: SideView =
        serde_json::from_str(&serde_json::to_string(&m.view(Side::A)).unwrap()).unwrap();
    assert_eq!(v, m.view(Side::A));
}

#[test]
fn same_level_seed_and_actions_give_the_same_match() {
    for sc in all_levels() {
        for seed in [1, 2, 99] {
            let mut a1 = runner::level_agents(&sc, seed);
            let mut a2 = runner::level_agents(&sc, seed);
            let m1 = runner::play(sc.clone(), seed, &mut a1);
            let m2 = runner::play(sc.clone(), seed, &mut a2);
            assert_eq!(m1, m2);
            let replayed = Match::replay(sc.clone(), &m1.record(None)).unwrap();
            assert_eq!(replayed, m1, "{} seed {seed} replays", sc.id);
        }
    }
}

#[test]
fn different_seeds_give_different_matches() {
    let sc = all_levels()
        .into_iter()
        .find(|s| s.id == "river_accord")
        .unwrap();
    let logs: Vec<_> = (0..4)
        .map(|seed| runner::play(sc.clone(), seed, &mut runner::level_agents(&sc, seed)).log)
        .collect();
    assert!(logs.windows(2).any(|w| w[0] != w[1]));
}

#[test]
fn transcript_is_identical_for_the_same_seed() {
    let sc = tutorial();
    let (_, t1) = runner::transcript(sc.clone(), 8, &mut runner::level_agents(&sc, 8));
    let (_, t2) = runner::transcript(sc.clone(), 8, &mut runner::level_agents(&sc, 8));
    assert_eq!(t1, t2);
    assert!(t1.contains("== Round 1"));
    assert!(t1.contains("Meters: tension"));
}

#[test]
fn frontier_dominates_the_empty_deal_and_contains_the_nash_point() {
    for sc in all_levels() {
        let f = scoring::frontier(&sc);
        assert!(f.points.len() >= 2);
        assert!(f.nash_product(f.nash) > 0.0, "{}", sc.id);
        assert!(f.distance(f.nash) < 1e-4);
        assert!(f.distance(f.disagreement) > 0.0);
        for p in &f.points {
            assert!((0.0..=1.0).contains(&p[0]) && (0.0..=1.0).contains(&p[1]));
        }
    }
}

// ---------- the first counterpart ----------

#[test]
fn level_counterparts_play_only_legal_moves_to_the_end() {
    for sc in all_levels() {
        for seed in 0..15 {
            let mut agents = runner::level_agents(&sc, seed);
            let mut m = Match::new(sc.clone(), seed);
            while let Some((_, d, _)) = runner::step(&mut m, &mut agents) {
                assert!(
                    d.code != ReasonCode::FellBack,
                    "{} seed {seed}: illegal move {:?}: {}",
                    sc.id,
                    d.action,
                    d.reason
                );
                assert!(!d.reason.is_empty());
            }
            assert!(m.is_over());
        }
    }
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
    let mut ai = detente::ai::from_level(&sc, Side::B, 1);
    let d = ai.decide(&m.view(Side::B), Table::new(&sc));
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

// ---------- random play ----------

fn random_action(m: &Match, r: &mut rng::Rng) -> Action {
    let (side, need) = m.needs()[0];
    let v = m.view(side);
    let sc = &m.scenario;
    let random_offer = |r: &mut rng::Rng| {
        let n = 1 + r.below(3);
        let mut items: Vec<Item> = Vec::new();
        for _ in 0..n {
            if v.available.is_empty() {
                break;
            }
            let (id, by) = v.available[r.below(v.available.len())].clone();
            let md = &sc.measures[sc.measure_index(&id).unwrap()];
            let verification = if md.verification.is_empty() || r.chance(0.3) {
                None
            } else {
                Some(r.below(md.verification.len()))
            };
            let term = if md.terms.is_empty() {
                Term::Pledge
            } else {
                md.terms[r.below(md.terms.len())]
            };
            items.push(Item {
                measure: id.to_string(),
                by,
                verification,
                term,
            });
        }
        Offer {
            items,
            statement: Statement::ALL[r.below(5)],
        }
    };
    match need {
        Need::Respond => {
            let rs = v.event.unwrap().my_responses;
            Action::Respond {
                side,
                response: rs[r.below(rs.len())].clone(),
            }
        }
        Need::Answer => match r.below(3) {
            0 => Action::Accept { side },
            1 => Action::Reject { side },
            _ => Action::Counter {
                side,
                offer: random_offer(r),
            },
        },
        Need::Propose => match r.below(5) {
            0 => Action::EndTalks { side },
            1 => {
                let gs: Vec<&MeasureDef> = sc.measures.iter().filter(|m| m.gesture).collect();
                Action::Gesture {
                    side,
                    measure: gs[r.below(gs.len())].id.clone(),
                    verification: None,
                }
            }
            2 if !v.commitments.is_empty() => Action::Withdraw {
                side,
                commitment: v.commitments[r.below(v.commitments.len())].id,
            },
            _ => Action::Propose {
                side,
                offer: random_offer(r),
            },
        },
        Need::Implement => {
            let mine: Vec<u32> = v
                .commitments
                .iter()
                .filter(|c| c.by == side)
                .map(|c| c.id)
                .collect();
            Action::Implement {
                side,
                breaks: mine.into_iter().filter(|_| r.chance(0.2)).collect(),
            }
        }
    }
}

fn meters_in_range(m: &Match) {
    let ok = |x: f32| (0.0..=100.0).contains(&x);
    assert!(ok(m.tension));
    assert!(ok(m.trust[0]) && ok(m.trust[1]));
    for s in &m.sides {
        assert!(s.approval.iter().all(|a| ok(*a)));
        assert!(ok(s.economy) && ok(s.security));
        assert!(s.capital >= 0.0);
    }
    for o in &m.outlets {
        assert!(ok(o.tone));
    }
    assert!(m.phase < m.scenario.phases.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_play_keeps_meters_in_range_and_replays(seed in any::<u64>(), level in 0usize..3, moves in any::<u64>()) {
        let levels = all_levels();
        let sc = levels[level % levels.len()].clone();
        let mut m = Match::new(sc.clone(), seed);
        let mut r = rng::Rng::new(moves);
        let mut steps = 0;
        while !m.is_over() && steps < 600 {
            let a = random_action(&m, &mut r);
            let before = m.clone();
            match m.apply(a) {
                Ok(_) => {}
                Err(_) => {
                    prop_assert_eq!(&m, &before);
                    let side = m.needs()[0].0;
                    m.apply(runner::safe_action(&m, side)).unwrap();
                }
            }
            meters_in_range(&m);
            steps += 1;
        }
        prop_assert!(m.is_over());
        let again = Match::replay(sc.clone(), &m.record(None)).unwrap();
        prop_assert_eq!(again, m);
    }
}

#[test]
fn some_may_be_left_out_around_optional_values() {
    let text = std::fs::read_to_string("levels/tutorial.ron").unwrap();
    let plain = text.replacen(
        "outlet: Some(\"brevik_post\")",
        "outlet: \"brevik_post\"",
        1,
    );
    assert_ne!(plain, text);
    let sc = level::parse("plain.ron", plain.as_bytes()).unwrap();
    assert!(
        sc.headlines
            .iter()
            .any(|h| h.outlet.as_deref() == Some("brevik_post"))
    );
}

// ---------- counterpart personalities ----------

use detente::ai::{Counterpart, DIFFICULTIES, PERSONALITIES, Style};

fn counterpart(sc: &Scenario, p: Personality, d: Difficulty, side: Side, seed: u64) -> Counterpart {
    Counterpart::new(Style::new(p, d, &sc.ai), side, seed)
}

/// Play a match to the end, `a` for side A and `b` for side B, with a safe move wherever a
/// decision is refused. `watch` sees each of B's decisions with the match and the view it came
/// from.
fn play_watching_b(
    sc: &Arc<Scenario>,
    seed: u64,
    a: &mut Counterpart,
    b: &mut Counterpart,
    mut watch: impl FnMut(&Match, &SideView, &Counterpart, &detente::ai::Decision),
) {
    let mut m = Match::new(sc.clone(), seed);
    while !m.is_over() {
        let (side, _) = m.needs()[0];
        let v = m.view(side);
        let d = if side == Side::B {
            let d = b.decide(&v, Table::new(sc));
            watch(&m, &v, b, &d);
            d
        } else {
            a.decide(&v, Table::new(sc))
        };
        if m.apply(d.action).is_err() {
            m.apply(runner::safe_action(&m, side)).unwrap();
        }
    }
}

/// A decision that signs `offer`, or tables the very same commitments again with only their
/// terms changed.
fn assert_signs_or_reterms(d: &detente::ai::Decision, offer: &Offer) {
    let key = |o: &Offer| {
        o.items
            .iter()
            .map(|i| (i.measure.clone(), i.by, i.verification))
            .collect::<Vec<_>>()
    };
    match &d.action {
        Action::Accept { .. } => {}
        Action::Counter { offer: o, .. } => {
            assert_eq!(key(o), key(offer), "{d:?}");
            assert!(o.items != offer.items, "a counter that changes nothing");
        }
        _ => panic!("{d:?}"),
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
                    let mut agents: [Box<dyn Negotiator>; 2] = [
                        Box::new(counterpart(&sc, p, d, Side::A, seed)),
                        Box::new(counterpart(&sc, q, Difficulty::Normal, Side::B, seed)),
                    ];
                    let mut m = Match::new(sc.clone(), seed);
                    let mut reasons = Vec::new();
                    while let Some((_, dec, _)) = runner::step(&mut m, &mut agents) {
                        assert!(
                            dec.code != ReasonCode::FellBack,
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

#[test]
fn every_reason_code_comes_with_a_plain_sentence() {
    // Each style against another on every shipped level: whatever kind of claim a counterpart
    // makes, the player reads it in words.
    let pool = detente::ai::tournament::pool();
    let mut seen = std::collections::HashSet::new();
    for sc in all_levels() {
        for (k, &(p, d)) in pool.iter().enumerate() {
            let (q, e) = pool[(k * 5 + 3) % pool.len()];
            let seed = k as u64;
            let mut agents: [Box<dyn Negotiator>; 2] = [
                Box::new(counterpart(&sc, p, d, Side::A, seed)),
                Box::new(counterpart(&sc, q, e, Side::B, seed)),
            ];
            let mut m = Match::new(sc.clone(), seed);
            while let Some((_, dec, _)) = runner::step(&mut m, &mut agents) {
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

/// A tutorial match with no events, and B's counterpart asked to move.
fn b_decides(m: &Match, ai: &mut Counterpart) -> detente::ai::Decision {
    let sc = m.scenario.clone();
    ai.decide(&m.view(Side::B), Table::new(&sc))
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

/// Up to `n` different commitments drawn at random from what `v` could offer.
fn random_offer(sc: &Scenario, v: &SideView, r: &mut rng::Rng, n: usize) -> Offer {
    let mut items: Vec<Item> = Vec::new();
    for _ in 0..n {
        let (id, by) = v.available[r.below(v.available.len())].clone();
        if !items.iter().any(|i| *i.measure == *id && i.by == by) {
            items.push(Item {
                term: term_of(sc, &id),
                measure: id.to_string(),
                by,
                verification: None,
            });
        }
    }
    Offer {
        items,
        statement: Statement::Reassure,
    }
}

#[test]
fn hawk_never_accepts_below_its_reservation() {
    let mut accepted = 0;
    for sc in all_levels() {
        let mut r = rng::Rng::new(17);
        for seed in 0..30u64 {
            let mut m = calm(&sc);
            m.rng = rng::Rng::new(seed);
            // Late in the match and on the last exchange, where a weak negotiator caves in.
            if seed % 2 == 0 {
                m.round = sc.rounds;
            }
            m.talks.exchanges_used = sc.exchanges - 1;
            let n = 1 + r.below(4);
            let o = random_offer(&sc, &m.view(Side::A), &mut r, n);
            if m.apply(Action::Propose {
                side: Side::A,
                offer: o.clone(),
            })
            .is_err()
            {
                continue;
            }
            let mut hawk = counterpart(&sc, Personality::Hawk, Difficulty::Hard, Side::B, seed);
            let view = m.view(Side::B);
            let (gain, _, reservation) = hawk.evaluate(&view, Table::new(&sc), &o);
            let d = hawk.decide(&view, Table::new(&sc));
            if matches!(d.action, Action::Accept { .. }) {
                accepted += 1;
                assert!(
                    gain >= reservation,
                    "{}: accepted {gain:.2} below reservation {reservation:.2}: {}",
                    sc.id,
                    d.reason
                );
            }
        }
    }
    assert!(accepted > 0, "the hawk accepts something at all");
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
fn pragmatist_learns_the_other_sides_top_priority_from_consistent_offers() {
    for sc in all_levels() {
        let truth = Area::ALL
            .iter()
            .copied()
            .max_by(|a, b| {
                scoring::priority(&sc, Side::A, *a).total_cmp(&scoring::priority(&sc, Side::A, *b))
            })
            .unwrap();
        let cheap: Vec<Area> = {
            let mut v = Area::ALL.to_vec();
            v.sort_by(|a, b| {
                scoring::priority(&sc, Side::A, *a).total_cmp(&scoring::priority(&sc, Side::A, *b))
            });
            v.into_iter().take(3).collect()
        };
        let mut ai = counterpart(&sc, Personality::Pragmatist, Difficulty::Hard, Side::B, 4);
        let mut m = calm(&sc);
        let mut offers = 0;
        for round in 0..6 {
            let v = m.view(Side::A);
            let area = |id: &str| sc.measures[sc.measure_index(id).unwrap()].area;
            let ask: Vec<(std::sync::Arc<str>, Side)> = v
                .available
                .iter()
                .filter(|(id, by)| *by == Side::B && area(id) == truth)
                .take(2)
                .cloned()
                .collect();
            let give: Vec<(std::sync::Arc<str>, Side)> = v
                .available
                .iter()
                .filter(|(id, by)| *by == Side::A && cheap.contains(&area(id)))
                .skip(round % 2)
                .take(1)
                .cloned()
                .collect();
            let items: Vec<(&str, Side)> = ask
                .iter()
                .chain(&give)
                .map(|(id, by)| (&**id, *by))
                .collect();
            if m.stage != Stage::Negotiation || ask.is_empty() {
                break;
            }
            // Keep A at the table for the sake of the test.
            m.talks.turn = Side::A;
            m.talks.exchanges_used = 0;
            m.sides[0].capital = 30.0;
            m.sides[1].capital = 30.0;
            m.apply(Action::Propose {
                side: Side::A,
                offer: offer(&sc, &items),
            })
            .unwrap();
            offers += 1;
            b_decides(&m, &mut ai);
            m.apply(Action::Reject { side: Side::B }).unwrap();
        }
        assert!(offers >= 3, "{}: made {offers} offers", sc.id);
        assert_eq!(
            ai.model().ranking()[0],
            truth,
            "{}: believed {:?}",
            sc.id,
            ai.model().ranking()
        );
    }
}

#[test]
fn in_play_the_model_is_closer_to_the_truth_than_a_uniform_guess() {
    // Ranking the top area right is not enough: trades are built on the weights themselves.
    const SEEDS: u64 = 40;
    for sc in all_levels().into_iter().filter(|s| s.id != "tutorial") {
        let (mut err, mut uniform) = (0.0, 0.0);
        for seed in 0..SEEDS {
            let mut ai = counterpart(
                &sc,
                Personality::Pragmatist,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let mut other = counterpart(
                &sc,
                Personality::Reciprocator,
                Difficulty::Normal,
                Side::A,
                seed,
            );
            play_watching_b(&sc, seed, &mut other, &mut ai, |_, _, _, _| {});
            let truth = sc.weights()[0];
            let w = ai.model().weights();
            err += w.iter().zip(truth).map(|(a, b)| (a - b).abs()).sum::<f32>();
            uniform += truth.iter().map(|b| (1.0 / 7.0 - b).abs()).sum::<f32>();
        }
        assert!(
            err < 0.8 * uniform,
            "{}: model error {:.3} against a uniform guess's {:.3}",
            sc.id,
            err / SEEDS as f32,
            uniform / SEEDS as f32
        );
    }
}

#[test]
fn tournament_covers_every_pairing_in_both_roles() {
    let sc = tutorial();
    let t = detente::ai::tournament::run(sc, 1, 7, |_, _| {});
    assert_eq!(t.personalities.len(), 12);
    assert_eq!(t.games, 12 * 11);
    for e in &t.personalities {
        assert_eq!(e.games, 22, "{} {}", e.name, e.difficulty);
        assert!((0.0..=1.0).contains(&e.agreement_rate));
        assert!(e.decision_ms_p99 >= e.decision_ms_p50);
    }
    let json = serde_json::to_value(&t).unwrap();
    let first = &json["personalities"][0];
    for key in [
        "name",
        "difficulty",
        "agreement_rate",
        "normalization_rate",
        "own_utility",
        "joint_welfare",
        "pareto_distance",
        "nash_ratio",
        "mean_first_agreement_round",
        "decision_ms_p50",
        "decision_ms_p99",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    let agreements: u32 = t.personalities.iter().map(|e| e.agreements).sum();
    assert!(agreements > 0, "some deals are signed");
    for e in t.personalities.iter().filter(|e| e.agreements > 0) {
        assert!((0.0..=1.5).contains(&e.pareto_distance), "{e:?}");
        assert!((0.0..=1.0 + 1e-6).contains(&e.nash_ratio), "{e:?}");
        assert!((0.0..=1.0).contains(&e.first_agreement_in_round_one));
    }
    assert_eq!(t.agreement_matrix.len(), 12);
}

#[test]
fn each_deal_is_measured_against_the_deals_open_when_it_was_signed() {
    for sc in all_levels() {
        let m = calm(&sc);
        let f = m.session_frontier();
        assert!(f.points.len() >= 2, "{}", sc.id);
        // The best deal on offer sits on the frontier with the full Nash product...
        let p = f.place(&sc, &f.nash_package);
        assert!(f.distance(p) < 1e-4, "{}: {p:?}", sc.id);
        assert!((f.nash_ratio(p) - 1.0).abs() < 1e-4);
        // ...and can be paid for now, within the item limit, from what is open.
        assert!(f.nash_package.len() <= offers::MAX_ITEMS);
        let open = m.open_commitments();
        for s in Side::BOTH {
            let cost: f32 = f
                .nash_package
                .iter()
                .filter(|(_, by)| *by == s)
                .map(|&(i, _)| sc.measures[i].cost)
                .sum();
            assert!(
                cost <= m.side(s).capital + 1e-4,
                "{}: {s:?} pays {cost}",
                sc.id
            );
        }
        assert!(f.nash_package.iter().all(|c| open.contains(c)));
        // No deal leaves both with nothing to gain and nothing on the table.
        let none = f.place(&sc, &[]);
        assert_eq!(f.nash_ratio(none), 0.0);
        assert!(f.distance(none) > 0.05, "{}", sc.id);
        // Giving one side everything and the other nothing is far from the Nash point.
        let lopsided: Vec<(usize, Side)> = f
            .nash_package
            .iter()
            .copied()
            .filter(|&(i, by)| scoring::item_utility(&sc, Side::A, i, by) > 0.0)
            .collect();
        assert!(f.nash_ratio(f.place(&sc, &lopsided)) < 0.9, "{}", sc.id);
    }
}

#[test]
fn a_shorter_match_has_a_smaller_frontier() {
    for sc in all_levels() {
        let full = scoring::frontier(&sc);
        let short = scoring::frontier_within(&sc, 1);
        assert_eq!(full.ranges, short.ranges, "one normalisation for both");
        let (np_full, np_short) = (full.nash_product(full.nash), short.nash_product(short.nash));
        assert!(np_full >= np_short - 1e-6, "{}", sc.id);
        // Where the best deal costs more than a side starts with, waiting for capital pays.
        let over_budget = Side::BOTH.iter().any(|&s| {
            full.nash_package
                .iter()
                .filter(|(_, by)| *by == s)
                .map(|&(i, _)| sc.measures[i].cost)
                .sum::<f32>()
                > sc.side(s).capital
        });
        if over_budget {
            assert!(np_full > np_short, "{}", sc.id);
        }
    }
}

#[test]
fn first_round_is_for_positions_not_signatures() {
    let mut early_refusals = 0;
    let mut later_accepts_below_opening = 0;
    for sc in all_levels() {
        let mut r = rng::Rng::new(5);
        for seed in 0..24u64 {
            let p = PERSONALITIES[seed as usize % 4];
            for round in [1, 3] {
                let mut m = calm(&sc);
                m.round = round;
                m.sides[0].capital = 30.0;
                m.sides[1].capital = 30.0;
                let n = 2 + r.below(4);
                let o = random_offer(&sc, &m.view(Side::A), &mut r, n);
                if m.apply(Action::Propose {
                    side: Side::A,
                    offer: o.clone(),
                })
                .is_err()
                {
                    continue;
                }
                let mut ai = counterpart(&sc, p, Difficulty::Normal, Side::B, seed);
                let view = m.view(Side::B);
                let (gain, _, _) = ai.evaluate(&view, Table::new(&sc), &o);
                let d = ai.decide(&view, Table::new(&sc));
                let accepted = matches!(d.action, Action::Accept { .. });
                if round == 1 {
                    assert!(
                        !accepted || gain >= 0.9,
                        "{p:?} signed {gain:.2} in round one: {}",
                        d.reason
                    );
                    if d.code == ReasonCode::FirstSeasonBar {
                        early_refusals += 1;
                    }
                } else if accepted && gain < 0.9 {
                    later_accepts_below_opening += 1;
                }
            }
        }
    }
    assert!(early_refusals > 0, "round-one refusals say why");
    assert!(
        later_accepts_below_opening > 0,
        "the bar is a first-round bar only"
    );
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
    let sc: Arc<Scenario> = all_levels()
        .into_iter()
        .find(|s| s.id == "ceasefire_line")
        .unwrap();
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
        let d = hawk.decide(&v, Table::new(&s));
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

// ---------- more rules ----------

/// End the talks of the current round at once and carry everything out.
/// Both sides carry out every commitment, where the rules still ask them to.
fn keep_all(m: &mut Match) {
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
fn sign_and_keep(m: &mut Match, items: &[(&str, Side)]) {
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

fn quiet_round(m: &mut Match) {
    let side = m.talks.turn;
    m.apply(Action::EndTalks { side }).unwrap();
    keep_all(m);
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
    let side = m.talks.turn;
    // The bridge is a legal offer either side can adopt.
    assert!(
        m.check_offer(side, &bridge).is_ok()
            || matches!(
                m.check_offer(side, &bridge),
                Err(ActionError::Unaffordable { .. })
            )
    );
}

#[test]
fn every_outlet_writes_a_front_page_each_round() {
    let sc = tutorial();
    let mut m = calm(&sc);
    quiet_round(&mut m);
    let heads: Vec<&String> = m
        .log
        .iter()
        .filter_map(|l| match &l.event {
            Event::Headline { outlet, .. } => Some(outlet),
            _ => None,
        })
        .collect();
    for o in &sc.outlets {
        assert!(heads.contains(&&o.id), "{} is silent", o.id);
    }
    assert!(m.outlets.iter().all(|o| !o.front.is_empty()));
}

#[test]
fn home_front_events_are_logged_under_the_round_they_close() {
    let sc = tutorial();
    let mut m = calm(&sc);
    quiet_round(&mut m);
    let heads: Vec<u32> = m
        .log
        .iter()
        .filter(|l| matches!(l.event, Event::Headline { .. }))
        .map(|l| l.round)
        .collect();
    assert!(!heads.is_empty());
    assert!(
        heads.iter().all(|r| *r == 1),
        "round 1's press is logged as round 1: {heads:?}"
    );
    assert!(
        m.log
            .iter()
            .any(|l| l.round == 2 && matches!(l.event, Event::RoundStarted { round: 2 }))
    );
}

#[test]
fn check_is_a_dry_run() {
    let sc = tutorial();
    let m = calm(&sc);
    let ok = Action::Propose {
        side: Side::A,
        offer: offer(&sc, &[("hotline", Side::A)]),
    };
    assert_eq!(m.check(&ok), Ok(()));
    assert_eq!(
        m.check(&Action::Accept { side: Side::B }),
        Err(ActionError::NoOfferPending)
    );
    assert_eq!(m.clone(), m);
    let v = m.view(Side::A);
    assert_eq!(v.outlets.len(), sc.outlets.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn any_pair_of_counterparts_plays_legally_and_replays(seed in any::<u64>(), a in 0usize..12, b in 0usize..12, level in 0usize..3) {
        let levels = all_levels();
        let sc = levels[level % levels.len()].clone();
        let pool = detente::ai::tournament::pool();
        let mk = || -> [Box<dyn Negotiator>; 2] {
            [
                Box::new(counterpart(&sc, pool[a].0, pool[a].1, Side::A, seed)),
                Box::new(counterpart(&sc, pool[b].0, pool[b].1, Side::B, seed)),
            ]
        };
        let mut agents = mk();
        let mut m = Match::new(sc.clone(), seed);
        while let Some((_, d, _)) = runner::step(&mut m, &mut agents) {
            prop_assert!(d.code != ReasonCode::FellBack, "{:?}: {}", d.action, d.reason);
        }
        prop_assert!(m.is_over());
        let again = runner::play(sc.clone(), seed, &mut mk());
        prop_assert_eq!(&again, &m);
        prop_assert_eq!(Match::replay(sc.clone(), &m.record(None)).unwrap(), m);
    }
}

#[test]
fn outlets_word_the_same_story_differently_where_templates_allow() {
    let sc = tutorial();
    let mut m = calm(&sc);
    sign_and_keep(&mut m, &[("hotline", Side::A), ("hotline", Side::B)]);
    let agreement: Vec<String> = m
        .log
        .iter()
        .filter_map(|l| match &l.event {
            Event::Headline { text, .. } if text.contains("Lake hotline") => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(agreement.len() >= 2, "{agreement:?}");
    let distinct: std::collections::BTreeSet<&String> = agreement.iter().collect();
    assert!(
        distinct.len() >= 2,
        "every outlet printed the same line: {agreement:?}"
    );
}

#[test]
fn a_hard_counterpart_signs_when_holding_out_cannot_pay() {
    // When no package that gives the other side what it asked for would give a hard
    // counterpart more than the offer on the table, it signs at once, above its reservation,
    // and never in the first season.
    let mut seen = 0;
    for sc in all_levels() {
        for seed in 0..12u64 {
            let mut ai = counterpart(
                &sc,
                Personality::Pragmatist,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let mut other = counterpart(&sc, Personality::Dove, Difficulty::Easy, Side::A, seed);
            play_watching_b(&sc, seed, &mut other, &mut ai, |m, v, ai, d| {
                if d.code.signing() == Some(Signing::NoBetterPackage) {
                    seen += 1;
                    let (_, offer) = v.pending.clone().expect("an offer to sign");
                    // It signs, or tables the very same package on its own terms.
                    assert_signs_or_reterms(d, &offer);
                    assert!(m.round > 1, "not in the first season");
                    let (gain, _, reservation) = ai.evaluate(v, Table::new(&sc), &offer);
                    assert!(gain >= reservation, "{gain:.2} below {reservation:.2}");
                }
            });
        }
    }
    assert!(seen > 0, "the rule never came into play");
}

#[test]
fn near_the_clash_line_a_careful_counterpart_settles_for_less() {
    // With war the alternative to a deal, the least a careful counterpart accepts falls as
    // tension nears the clash line; a careless (easy) one does not see it coming.
    let sc = all_levels()
        .into_iter()
        .find(|s| s.id == "ceasefire_line")
        .unwrap();
    let reservation = |d: Difficulty, tension: f32| {
        let mut m = calm(&sc);
        m.tension = tension;
        m.apply(Action::Propose {
            side: Side::A,
            offer: offer(&sc, &[("hotline", Side::A)]),
        })
        .unwrap();
        let ai = counterpart(&sc, Personality::Hawk, d, Side::B, 1);
        ai.evaluate(
            &m.view(Side::B),
            Table::new(&sc),
            &offer(&sc, &[("hotline", Side::A)]),
        )
        .2
    };
    let calm_line = sc.end.clash_at - 30.0;
    let brink = sc.end.clash_at - 2.0;
    assert!(reservation(Difficulty::Hard, brink) < 0.6 * reservation(Difficulty::Hard, calm_line));
    assert_eq!(
        reservation(Difficulty::Easy, brink),
        reservation(Difficulty::Easy, calm_line)
    );
}

#[test]
fn after_a_refusal_a_hard_counterpart_offers_the_other_side_more() {
    // The other side's gain as the counterpart's own model estimates it.
    let theirs = |ai: &Counterpart, sc: &Scenario, o: &Offer| -> f32 {
        o.items
            .iter()
            .map(|it| {
                let m = &sc.measures[sc.measure_index(&it.measure).unwrap()];
                ai.model().utility(m, it.by, Side::B)
            })
            .sum()
    };
    let (mut more, mut cases) = (0, 0);
    for sc in all_levels() {
        for seed in 0..8u64 {
            let mut m = calm(&sc);
            // Late enough that its aspiration leaves room to give, and its gesture made.
            m.round = sc.rounds - 1;
            m.sides[1].gesture_used = true;
            m.sides[0].capital = 20.0;
            m.sides[1].capital = 20.0;
            m.talks.turn = Side::B;
            let mut ai = counterpart(
                &sc,
                Personality::Pragmatist,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let Action::Propose { offer: first, .. } = b_decides(&m, &mut ai).action else {
                continue;
            };
            m.apply(Action::Propose {
                side: Side::B,
                offer: first.clone(),
            })
            .unwrap();
            m.apply(Action::Reject { side: Side::A }).unwrap();
            m.talks.turn = Side::B;
            m.talks.exchanges_used = 0;
            let Action::Propose { offer: second, .. } = b_decides(&m, &mut ai).action else {
                continue;
            };
            cases += 1;
            let (was, now) = (theirs(&ai, &sc, &first), theirs(&ai, &sc, &second));
            assert!(
                now >= was - 1e-6,
                "{}: offered them less after a refusal ({was} then {now}, seed {seed}: {first:?} then {second:?})",
                sc.id
            );
            if now > was * 1.05 {
                more += 1;
            }
        }
    }
    assert!(cases >= 6, "only {cases} cases");
    assert!(more > 0, "never offered more after a refusal");
}

/// Rounds a term keeps a commitment in force, as the counterparts reckon it.
fn lasts(t: Term) -> u32 {
    match t {
        Term::Sunset(n) => n,
        Term::Treaty(n) => 2 * n,
        Term::Pledge => 100,
    }
}

#[test]
fn a_hard_counterpart_binds_the_other_side_and_limits_its_own_promises() {
    let mut checked = 0;
    for sc in all_levels() {
        for d in [Difficulty::Easy, Difficulty::Hard] {
            for seed in 0..4u64 {
                let mut m = calm(&sc);
                m.round = 3;
                m.sides[1].gesture_used = true;
                m.talks.turn = Side::B;
                let mut ai = counterpart(&sc, Personality::Pragmatist, d, Side::B, seed);
                let Action::Propose { offer, .. } = b_decides(&m, &mut ai).action else {
                    continue;
                };
                for it in &offer.items {
                    let def = &sc.measures[sc.measure_index(&it.measure).unwrap()];
                    if def.terms.len() < 2 {
                        continue;
                    }
                    checked += 1;
                    let spans: Vec<u32> = def.terms.iter().map(|t| lasts(*t)).collect();
                    let (short, long) =
                        (*spans.iter().min().unwrap(), *spans.iter().max().unwrap());
                    match d {
                        Difficulty::Hard if it.by == Side::B => {
                            assert_eq!(lasts(it.term), short, "{}: own {}", sc.id, it.measure)
                        }
                        Difficulty::Hard => {
                            assert_eq!(lasts(it.term), long, "{}: theirs {}", sc.id, it.measure)
                        }
                        // Everyone else takes the treaty where there is one, else the first term.
                        _ => assert_eq!(
                            it.term,
                            def.terms
                                .iter()
                                .copied()
                                .find(|t| matches!(t, Term::Treaty(_)))
                                .unwrap_or(def.terms[0]),
                            "{}: {}",
                            sc.id,
                            it.measure
                        ),
                    }
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} items with a choice of terms");
}

#[test]
fn a_hard_counterpart_argues_terms_then_signs() {
    // An offer it likes, with its own promises for good and theirs for a short time, comes back
    // as the same package on its terms; it restates them once a season, then signs.
    let sc = tutorial();
    let mut m = calm(&sc);
    m.round = 3;
    m.sides[1].gesture_used = true;
    let offer = Offer {
        items: vec![
            Item {
                term: Term::Pledge,
                ..item("fishing_grounds", Side::A)
            },
            Item {
                term: Term::Pledge,
                ..item("hotline", Side::B)
            },
        ],
        statement: Statement::Reassure,
    };
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap();
    let mut ai = counterpart(&sc, Personality::Dove, Difficulty::Hard, Side::B, 1);
    let d = b_decides(&m, &mut ai);
    let Action::Counter { offer: ours, .. } = d.action.clone() else {
        panic!("expected a counter on its own terms: {d:?}");
    };
    assert!(
        matches!(d.code, ReasonCode::OnOurTerms(_)),
        "{:?}: {}",
        d.code,
        d.reason
    );
    assert_eq!(ours.items.len(), offer.items.len());
    for (a, b) in ours.items.iter().zip(&offer.items) {
        assert_eq!((&a.measure, a.by), (&b.measure, b.by));
    }
    let term = |o: &Offer, id: &str| o.items.iter().find(|i| i.measure == id).unwrap().term;
    assert!(lasts(term(&ours, "fishing_grounds")) >= lasts(Term::Pledge));
    assert!(lasts(term(&ours, "hotline")) < lasts(Term::Pledge));
    m.apply(d.action).unwrap();
    // The other side insists on its first version, with exchanges to spare: the counterpart
    // restates its terms once this season...
    m.apply(Action::Counter {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    m.talks.exchanges_used = 0;
    let d = b_decides(&m, &mut ai);
    assert!(matches!(d.code, ReasonCode::HoldToOurTerms(_)), "{d:?}");
    let Action::Counter { offer: again, .. } = d.action.clone() else {
        panic!("expected its terms once more: {d:?}");
    };
    assert_eq!(again, ours);
    m.apply(d.action).unwrap();
    // ...and when they insist again, it signs their version rather than argue on.
    m.apply(Action::Counter {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    m.talks.exchanges_used = 0;
    let d = b_decides(&m, &mut ai);
    assert!(matches!(d.action, Action::Accept { .. }), "{d:?}");
    // An easy counterpart signs the first offer as it stands.
    let mut m = calm(&sc);
    m.round = 3;
    m.sides[1].gesture_used = true;
    m.apply(Action::Propose {
        side: Side::A,
        offer: Offer {
            items: vec![
                Item {
                    term: Term::Pledge,
                    ..item("fishing_grounds", Side::A)
                },
                Item {
                    term: Term::Pledge,
                    ..item("hotline", Side::B)
                },
            ],
            statement: Statement::Reassure,
        },
    })
    .unwrap();
    let mut easy = counterpart(&sc, Personality::Dove, Difficulty::Easy, Side::B, 1);
    assert!(matches!(
        b_decides(&m, &mut easy).action,
        Action::Accept { .. }
    ));
}

#[test]
fn a_counter_offer_carries_the_offer_it_answers() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let first = offer(&sc, &[("hotline", Side::A), ("hotline", Side::B)]);
    m.apply(Action::Propose {
        side: Side::A,
        offer: first.clone(),
    })
    .unwrap();
    // A fresh proposal answers nothing.
    assert_eq!(m.view(Side::B).answers, None);
    let second = offer(&sc, &[("hotline", Side::A)]);
    m.apply(Action::Counter {
        side: Side::B,
        offer: second.clone(),
    })
    .unwrap();
    for s in Side::BOTH {
        assert_eq!(m.view(s).answers.as_ref(), Some(&first), "{s:?}");
    }
    // A counter to the counter answers the counter, not the first offer.
    m.apply(Action::Counter {
        side: Side::A,
        offer: first.clone(),
    })
    .unwrap();
    assert_eq!(m.view(Side::B).answers.as_ref(), Some(&second));
    // Once the offer is off the table there is nothing to compare.
    m.apply(Action::Reject { side: Side::B }).unwrap();
    assert_eq!(m.view(Side::A).answers, None);
}

#[test]
fn a_hard_counterpart_signs_rather_than_have_a_weak_last_word_refused() {
    // When its counter would close the season's talks and even a step from its refused package
    // gives the other side less than it asked for, a hard counterpart signs what is on the table
    // (above its reservation) instead of losing the season.
    let mut seen = 0;
    for sc in all_levels() {
        for seed in 0..12u64 {
            let mut ai = counterpart(
                &sc,
                Personality::Reciprocator,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let mut other = counterpart(
                &sc,
                Personality::Reciprocator,
                Difficulty::Normal,
                Side::A,
                seed,
            );
            play_watching_b(&sc, seed, &mut other, &mut ai, |m, v, ai, d| {
                if d.code.signing() == Some(Signing::LastWord) {
                    seen += 1;
                    assert_eq!(
                        v.exchanges_left, 1,
                        "only when its counter would close talks"
                    );
                    assert!(m.round > 1, "not in the first season");
                    let (_, offer) = v.pending.clone().expect("an offer to sign");
                    let (gain, _, reservation) = ai.evaluate(v, Table::new(&sc), &offer);
                    assert!(gain >= reservation, "{gain:.2} below {reservation:.2}");
                    // It signs, or tables the same package on its own terms, nothing else.
                    assert_signs_or_reterms(d, &offer);
                }
            });
        }
    }
    assert!(seen > 0, "never signed for want of a strong last word");
}
