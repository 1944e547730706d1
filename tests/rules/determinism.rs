//! One level, seed and set of moves make one match, whichever way it is played or stored.

use crate::common::*;
use detente::runner;
use detente::sim::*;
use detente::table::Table;

#[test]
fn same_level_seed_and_actions_give_the_same_match() {
    for sc in all_levels() {
        for seed in [1, 2, 99] {
            let m1 = runner::play(sc.clone(), seed, runner::level_seats(&sc, seed));
            let m2 = runner::play(sc.clone(), seed, runner::level_seats(&sc, seed));
            assert_eq!(m1, m2);
            let record = m1.record(None);
            let replayed = Match::replay(sc.clone(), &record).unwrap();
            assert_eq!(replayed, m1, "{} seed {seed} replays", sc.id);
            let at_table = Table::replay(
                sc.clone(),
                &record,
                runner::level_seats(&sc, seed),
                sc.ai.difficulty,
            )
            .unwrap();
            assert_eq!(
                at_table.whole(),
                &m1,
                "{} seed {seed} replays at a table",
                sc.id
            );
        }
    }
}

#[test]
fn different_seeds_give_different_matches() {
    let sc = shipped("river_accord");
    let logs: Vec<_> = (0..4)
        .map(|seed| runner::play(sc.clone(), seed, runner::level_seats(&sc, seed)).log)
        .collect();
    assert!(logs.windows(2).any(|w| w[0] != w[1]));
}

#[test]
fn transcript_is_identical_for_the_same_seed() {
    let sc = tutorial();
    let (m1, t1) = runner::transcript(sc.clone(), 8, runner::level_seats(&sc, 8));
    let (m2, t2) = runner::transcript(sc.clone(), 8, runner::level_seats(&sc, 8));
    assert_eq!(t1, t2);
    assert_eq!(m1, m2);
    assert!(t1.contains("== Round 1"));
    assert!(t1.contains("Meters: tension"));
    // Writing the transcript does not change the match.
    assert_eq!(m1, runner::play(sc.clone(), 8, runner::level_seats(&sc, 8)));
}

#[test]
fn a_headless_match_is_the_same_match_without_the_wording_of_headlines() {
    for sc in all_levels() {
        for seed in 0..3u64 {
            let full = runner::play(sc.clone(), seed, runner::level_seats(&sc, seed));
            let quiet = runner::play_headless(sc.clone(), seed, runner::level_seats(&sc, seed));
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
fn actions_events_views_and_records_round_trip_through_json() {
    let sc = tutorial();
    let m = runner::play(sc.clone(), 4, runner::level_seats(&sc, 4));
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
