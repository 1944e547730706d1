//! The tournament of every personality and difficulty against every other.

use crate::common::*;
use detente::eval::tournament;

#[test]
fn tournament_covers_every_pairing_in_both_roles() {
    let sc = tutorial();
    let rounds = sc.rounds as f64;
    let t = tournament::run(sc, 1, 7, |_, _| {});
    let pool = tournament::pool();
    let n = pool.len();
    assert_eq!(n, 12);
    assert_eq!(t.games, (n * (n - 1)) as u64);
    // One row per entry of the pool, in its order.
    assert_eq!(t.personalities.len(), n);
    for (e, (p, d)) in t.personalities.iter().zip(&pool) {
        assert_eq!(e.name, format!("{p:?}").to_lowercase());
        assert_eq!(e.difficulty, format!("{d:?}").to_lowercase());
    }
    for (k, e) in t.personalities.iter().enumerate() {
        let who = format!("{} {}", e.name, e.difficulty);
        // Every other entry, once in each role.
        assert_eq!(e.games as usize, 2 * (n - 1), "{who}");
        // Every decision was timed.
        assert!(e.decision_ms_p50 > 0.0, "{who}: no decision times");
        // The rows of the matrices are the entry's games against each opponent, and every
        // opponent is met equally often, so the entry's own figures are their means.
        let row_mean = |row: &[f64]| {
            let others: Vec<f64> = (0..n).filter(|&j| j != k).map(|j| row[j]).collect();
            others.iter().sum::<f64>() / others.len() as f64
        };
        assert!(t.agreement_matrix[k][k].is_nan(), "{who} played itself");
        assert!(
            (row_mean(&t.agreement_matrix[k]) - e.agreement_rate).abs() < 1e-9,
            "{who}"
        );
        assert!(
            (row_mean(&t.own_utility_matrix[k]) - e.own_utility).abs() < 1e-6,
            "{who}"
        );
        // Whether a game reached an agreement is the same for both of its players.
        for j in 0..n {
            if j != k {
                assert_eq!(t.agreement_matrix[k][j], t.agreement_matrix[j][k], "{who}");
            }
        }
        // The agreements counted from the log and the deals measured by replay agree: a game
        // with an agreement has at least one deal, a game without has none.
        let agreed_games = (e.agreement_rate * e.games as f64).round() as u32;
        assert!(e.agreements >= agreed_games, "{who}: {e:?}");
        assert_eq!(e.agreements == 0, agreed_games == 0, "{who}: {e:?}");
        assert_eq!(e.mean_first_agreement_round.is_nan(), agreed_games == 0);
        if agreed_games > 0 {
            assert!(
                (1.0..=rounds).contains(&e.mean_first_agreement_round),
                "{who}: {e:?}"
            );
        }
    }
    for e in &t.personalities {
        // Every game lasts between one season and the whole level.
        let per_game = e.agreements as f64 / e.games as f64;
        assert!(e.deals_per_season <= per_game + 1e-9, "{e:?}");
        assert!(e.deals_per_season >= per_game / rounds - 1e-9, "{e:?}");
        if e.agreements > 0 {
            assert!(
                (0.0..=2f64.sqrt()).contains(&e.pareto_distance_zone),
                "{e:?}"
            );
        }
    }
    let agreements: u32 = t.personalities.iter().map(|e| e.agreements).sum();
    assert!(agreements > 0, "some deals are signed");
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
        "deals_per_season",
        "pareto_distance_zone",
        "mean_first_agreement_round",
        "decision_ms_p50",
        "decision_ms_p99",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn a_tournament_is_the_same_for_the_same_seed() {
    // Everything but the clock: how long decisions took is measured, not played.
    let figures = |t: &tournament::Tournament| {
        let mut v = serde_json::to_value(t).unwrap();
        v.as_object_mut().unwrap().remove("elapsed_s");
        for e in v["personalities"].as_array_mut().unwrap() {
            let e = e.as_object_mut().unwrap();
            e.remove("decision_ms_p50");
            e.remove("decision_ms_p99");
        }
        v
    };
    let sc = tutorial();
    let first = tournament::run(sc.clone(), 1, 3, |_, _| {});
    let again = tournament::run(sc, 1, 3, |_, _| {});
    assert_eq!(figures(&first), figures(&again));
}
