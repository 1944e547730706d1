//! The playtest behind `detente check --play`: a level built to fail gets exactly the warnings
//! it deserves, a shipped level's report is the same for the same seed, and its counts add up.

use crate::common::*;
use detente::eval::playtest::{self, Report, WarningKind};
use detente::level;
use detente::runner;
use detente::sim::*;
use detente::table::{Seat, counterpart};
use std::path::PathBuf;
use std::sync::Arc;

/// `sc` written as a level file in the temporary folder.
fn write_level(sc: &Scenario, name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "detente-playtest-{}-{name}.ron",
        std::process::id()
    ));
    let text = ron::ser::to_string_pretty(sc, ron::ser::PrettyConfig::default()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// The tutorial changed by `f`, written out and loaded back through the checker, so every
/// variant below is a level an instructor could have written: valid, only badly tuned.
fn tutorial_with(name: &str, f: impl FnOnce(&mut Scenario)) -> Arc<Scenario> {
    let mut sc = (*tutorial()).clone();
    f(&mut sc);
    let path = write_level(&sc, name);
    let loaded = level::load(&path);
    let _ = std::fs::remove_file(&path);
    Arc::new(loaded.unwrap_or_else(|e| panic!("{name} is not valid: {e}")))
}

fn kinds(r: &Report) -> Vec<(WarningKind, &str)> {
    let mut v: Vec<(WarningKind, &str)> = r
        .warnings
        .iter()
        .map(|w| (w.kind, w.subject.as_str()))
        .collect();
    v.sort();
    v
}

fn measure(id: &str, by: Party, cost: f32, checks: &[f32]) -> MeasureDef {
    let mut m = tutorial().measures[0].clone();
    m.id = id.into();
    m.name = id.replace('_', " ");
    m.by = by;
    m.cost = cost;
    m.gesture = false;
    m.verification = checks
        .iter()
        .map(|&cost| Verification {
            name: "Surveyors".into(),
            detection: 0.6,
            cost,
            needs_observers: false,
        })
        .collect();
    m
}

fn card(id: &str, trigger: Trigger) -> EventDef {
    let mut e = tutorial().events[1].clone();
    e.id = id.into();
    e.once = false;
    e.trigger = trigger;
    e
}

#[test]
fn the_shipped_tutorial_is_clean() {
    let r = playtest::run(tutorial(), 2, 1);
    assert_eq!(kinds(&r), vec![]);
}

#[test]
fn a_measure_above_the_cap_is_unaffordable() {
    // 8 + 25 for its only check is more than Brevik's cap of 30, whatever the rounds bring.
    let sc = tutorial_with("unaffordable", |sc| {
        sc.measures
            .push(measure("ferry_bridge", Party::B, 8.0, &[25.0, 40.0]));
    });
    let r = playtest::run(sc, 2, 1);
    assert_eq!(
        kinds(&r),
        vec![(WarningKind::MeasureUnaffordable, "ferry_bridge")]
    );
}

#[test]
fn a_measure_beyond_the_savings_of_the_match_is_unaffordable() {
    // Aldora starts with 2 and gains 1 a round: 7 by round 6, short of 8 though under its cap.
    let sc = tutorial_with("poor", |sc| {
        sc.side_a.capital = 2.0;
        sc.side_a.capital_per_round = 1.0;
        sc.measures
            .push(measure("lake_dredging", Party::A, 8.0, &[]));
    });
    let r = playtest::run(sc, 1, 1);
    let about: Vec<WarningKind> = r
        .warnings
        .iter()
        .filter(|w| w.subject == "lake_dredging")
        .map(|w| w.kind)
        .collect();
    assert_eq!(about, vec![WarningKind::MeasureUnaffordable]);
}

#[test]
fn a_card_whose_trigger_cannot_hold_is_never_drawn() {
    let sc = tutorial_with("undrawable", |sc| {
        sc.events.push(card(
            "ice_fishing",
            Trigger {
                measure_in_force: Some("hotline".into()),
                measure_absent: Some("hotline".into()),
                ..Trigger::default()
            },
        ));
        sc.events.push(card(
            "regatta",
            Trigger {
                min_phase: Some("good_neighbours".into()),
                max_phase: Some("standoff".into()),
                ..Trigger::default()
            },
        ));
    });
    let r = playtest::run(sc, 2, 1);
    assert_eq!(
        kinds(&r),
        vec![
            (WarningKind::EventNeverDrawn, "ice_fishing"),
            (WarningKind::EventNeverDrawn, "regatta"),
        ]
    );
    let stat = |id: &str| r.events.iter().find(|e| e.id == id).unwrap().clone();
    assert_eq!(stat("ice_fishing").eligible_rounds, 0);
    assert_eq!(stat("regatta").drawn, playtest::Tally::default());
}

#[test]
fn an_unreachable_phase_and_what_hangs_on_it() {
    // Nobody's trust reaches 100 within six rounds, so 'talking' and everything after it stay
    // out of reach, with the measure that needs it and the ending built on the last phase.
    let sc = tutorial_with("unreachable", |sc| {
        sc.phases[1].min_trust = 100.0;
    });
    let r = playtest::run(sc, 2, 1);
    assert_eq!(
        kinds(&r),
        vec![
            (WarningKind::BestEndingNever, "good_neighbours"),
            (WarningKind::EndingAlways, "round_limit"),
            (WarningKind::MeasureNeverSigned, "lake_commission"),
            (WarningKind::PhaseNeverReached, "good_neighbours"),
            (WarningKind::PhaseNeverReached, "talking"),
        ]
    );
    assert_eq!(r.endings.round_limit, r.games);
}

#[test]
fn a_clash_line_that_every_card_crosses_ends_every_game() {
    // Tension starts at 45 and every card adds 5: with a card each round and the clash line at
    // 46, every match ends as round 1 begins, before anyone has said a word.
    let sc = tutorial_with("powder_keg", |sc| {
        sc.end.clash_at = 46.0;
        sc.event_chance = 1.0;
        for e in &mut sc.events {
            e.effects.tension = 5.0;
        }
    });
    let r = playtest::run(sc.clone(), 1, 1);
    assert_eq!(r.endings.clash, r.games);
    let mut expected = vec![
        (WarningKind::BestEndingNever, "good_neighbours"),
        (WarningKind::EndingAlways, "clash"),
        (WarningKind::PhaseNeverReached, "talking"),
        (WarningKind::PhaseNeverReached, "good_neighbours"),
        // Its trigger waits for round 3.
        (WarningKind::EventNeverDrawn, "opposition_rally"),
    ];
    expected.extend(
        sc.measures
            .iter()
            .map(|m| (WarningKind::MeasureNeverSigned, m.id.as_str())),
    );
    expected.sort();
    assert_eq!(kinds(&r), expected);
}

#[test]
fn a_meter_held_at_its_bound_is_pinned() {
    // Every commitment pulls tension down by 15 a round: after the first deal it sits at the
    // floor, and nothing a later step does can show.
    let sc = tutorial_with("dead_calm", |sc| {
        for m in &mut sc.measures {
            m.effects.tension = -15.0;
        }
    });
    let r = playtest::run(sc, 1, 1);
    let pinned: Vec<(WarningKind, &str)> = kinds(&r)
        .into_iter()
        .filter(|(k, _)| *k == WarningKind::MeterPinned)
        .collect();
    assert_eq!(pinned, vec![(WarningKind::MeterPinned, "tension")]);
}

#[test]
fn a_shipped_levels_report_is_the_same_for_the_same_seed() {
    let sc = shipped("river_accord");
    let run = |seed| {
        let mut r = playtest::run(sc.clone(), 1, seed);
        r.elapsed_s = 0.0;
        r
    };
    let first = run(5);
    assert_eq!(first, run(5));
    assert_ne!(
        first.mechanics,
        run(6).mechanics,
        "another seed, other games"
    );
}

#[test]
fn the_counts_add_up() {
    let sc = shipped("ceasefire_line");
    let r = playtest::run(sc.clone(), 1, 3);
    let n = detente::eval::tournament::pool().len() as u32;
    assert_eq!(r.pairings, n * n);
    assert_eq!(r.games, r.pairings * r.games_per_pairing);
    assert_eq!(r.endings.total(), r.games);
    assert!(r.rounds >= r.games && r.rounds <= r.games * sc.rounds);
    let m = &r.mechanics;
    for t in [
        m.agreements,
        m.gestures,
        m.ratification_failures,
        m.leader_falls,
        m.mediator_proposals,
        m.breaches_caught,
        m.breaches_hidden,
    ] {
        assert!(t.games <= r.games && t.games <= t.times, "{t:?}");
    }
    match r.mean_first_agreement_round {
        Some(x) => assert!((1.0..=sc.rounds as f64).contains(&x)),
        None => assert_eq!(m.agreements.games, 0),
    }
    // Every game starts in the first phase, and a later phase is reached only through the ones
    // before it.
    assert_eq!(r.phases[0].games_reached, r.games);
    for w in r.phases.windows(2) {
        assert!(w[1].games_reached <= w[0].games_reached);
    }
    for e in &r.events {
        assert!(e.drawn.times <= e.eligible_rounds, "{}", e.id);
        assert!(e.drawn.games <= r.games);
    }
    for ms in &r.measures {
        assert!(ms.signed.games <= r.games, "{}", ms.id);
    }
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["warnings"].is_array());
    assert_eq!(json["endings"]["normalization"], r.endings.normalization);
}

#[test]
fn the_playtest_plays_the_same_games_as_a_headless_run() {
    // Each game is the match `play_headless` plays from its seed.
    let sc = tutorial();
    let r = playtest::run(sc.clone(), 1, 9);
    let pool = detente::eval::tournament::pool();
    let n = pool.len();
    let (mut clash, mut normalized, mut first) = (0, 0, 0u64);
    let mut caught = 0;
    for a in 0..n {
        for b in 0..n {
            let s = playtest::game_seed(9, a * n + b, 0);
            let seat = |k: usize, side: Side| {
                Seat::Counterpart(Box::new(counterpart(
                    sc.public(),
                    side,
                    s,
                    pool[k].0,
                    pool[k].1,
                )))
            };
            let m = runner::play_headless(sc.clone(), s, [seat(a, Side::A), seat(b, Side::B)]);
            clash += u32::from(m.ending == Some(Ending::Clash));
            normalized += u32::from(m.ending == Some(Ending::Normalization));
            caught += m.breaches.iter().filter(|b| b.caught).count() as u32;
            first += m
                .log
                .iter()
                .find(|l| matches!(l.event, Event::AgreementSigned { .. }))
                .map_or(0, |l| l.round as u64);
        }
    }
    assert_eq!(r.endings.clash, clash);
    assert_eq!(r.endings.normalization, normalized);
    assert_eq!(r.mechanics.breaches_caught.times, caught);
    let mean = r.mean_first_agreement_round.unwrap();
    assert!((mean * r.mechanics.agreements.games as f64 - first as f64).abs() < 1e-6);
}

#[test]
fn check_play_exits_3_on_warnings_0_when_clean_and_1_on_errors() {
    use clap::Parser;
    let code = |args: &[&str]| {
        let mut all = vec!["detente", "check", "--play", "--games", "1"];
        all.extend_from_slice(args);
        detente::cli::run(detente::cli::Cli::parse_from(all))
    };
    let mut sc = (*tutorial()).clone();
    sc.measures
        .push(measure("ferry_bridge", Party::B, 8.0, &[25.0]));
    let broken = write_level(&sc, "cli");
    let warned = code(&["--json", broken.to_str().unwrap()]);
    let _ = std::fs::remove_file(&broken);
    assert_eq!(warned, 3);
    assert_eq!(code(&["levels/tutorial.ron"]), 0);
    assert_eq!(
        code(&["levels/tutorial.ron", "tests/fixtures/semantic.ron"]),
        1
    );
}
