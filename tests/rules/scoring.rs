//! Scores and the frontier of the deals a level allows.

use crate::common::*;
use detente::runner;
use detente::sim::*;
use std::sync::Arc;

#[test]
fn frontier_dominates_the_empty_deal_and_contains_the_nash_point() {
    for sc in all_levels() {
        let f = scoring::frontier(&sc);
        let id = &sc.id;
        assert!(f.points.len() >= 2, "{id}");
        // Pareto-optimal: sorted by A's utility, and no point is better for both than another.
        for (i, p) in f.points.iter().enumerate() {
            for q in &f.points[i + 1..] {
                assert!(p[0] <= q[0], "{id}: not sorted: {p:?} before {q:?}");
                let dominates = |x: &[f32; 2], y: &[f32; 2]| {
                    x[0] >= y[0] && x[1] >= y[1] && (x[0] > y[0] || x[1] > y[1])
                };
                assert!(!dominates(q, p) && !dominates(p, q), "{id}: {p:?} {q:?}");
            }
        }
        // The Nash point is on the frontier, has the largest product of gains there, and is
        // where its own package lands.
        assert!(f.distance(f.nash) < 1e-4, "{id}");
        assert!(f.nash_product(f.nash) > 0.0, "{id}");
        for p in &f.points {
            assert!(
                f.nash_product(*p) <= f.nash_product(f.nash) + 1e-6,
                "{id}: {p:?}"
            );
        }
        let placed = f.place(&sc, &f.nash_package);
        assert!(
            (placed[0] - f.nash[0]).abs() < 1e-4 && (placed[1] - f.nash[1]).abs() < 1e-4,
            "{id}: the Nash package lands at {placed:?}, not {:?}",
            f.nash
        );
        // The point of no agreement is the empty package, and the frontier lies beyond it.
        assert_eq!(f.place(&sc, &[]), f.disagreement, "{id}");
        assert!(f.distance(f.disagreement) > 0.0, "{id}");
        // The Nash package is one the two sides could pay for over the whole match.
        for s in Side::BOTH {
            let cost: f32 = f
                .nash_package
                .iter()
                .filter(|(_, by)| *by == s)
                .map(|&(i, _)| sc.measures[i].cost)
                .sum();
            let budget = scoring::capital_budget(&sc, s, sc.rounds);
            assert!(cost <= budget + 1e-4, "{id}: {s:?} pays {cost} of {budget}");
        }
    }
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

/// How far `p` lies beyond the frontier's curve (the points joined by straight lines), in B's
/// utility; 0 or less on or under it.
fn beyond(f: &scoring::Frontier, p: [f32; 2]) -> f32 {
    let pts = &f.points;
    let (first, last) = (pts[0], pts[pts.len() - 1]);
    if p[0] > last[0] {
        return f32::INFINITY;
    }
    if p[0] <= first[0] {
        return p[1] - first[1];
    }
    let w = pts
        .windows(2)
        .find(|w| w[0][0] <= p[0] && p[0] <= w[1][0])
        .expect("sorted by A's utility");
    let t = (p[0] - w[0][0]) / (w[1][0] - w[0][0]).max(1e-9);
    p[1] - (w[0][1] + t * (w[1][1] - w[0][1]))
}

#[test]
fn a_shorter_match_has_a_smaller_frontier() {
    for sc in all_levels() {
        let full = scoring::frontier(&sc);
        let short = scoring::frontier_within(&sc, 1);
        // Whatever one season's capital buys, the whole match's buys too, on the same scale:
        // no point of the short frontier lies beyond the full one.
        for p in &short.points {
            let over = beyond(&full, *p);
            assert!(
                over <= 1e-4,
                "{}: {p:?} lies {over} beyond the full frontier",
                sc.id
            );
        }
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
fn an_early_normalization_counts_the_seasons_left_at_what_is_in_force() {
    let sc = tutorial();
    let early = (0..60u64)
        .map(|seed| runner::play(sc.clone(), seed, runner::level_seats(&sc, seed)))
        .find(|m| m.ending == Some(Ending::Normalization) && m.rounds_played() < sc.rounds)
        .expect("no match ended in normalization before the round limit");
    let played = early.rounds_played();
    // The same match scored as if the level were `rounds` long and it had ended with `ending`.
    let scored = |rounds: u32, ending: Ending| {
        let mut m = early.clone();
        let mut level = (*m.scenario).clone();
        level.rounds = rounds;
        m.scenario = Arc::new(level);
        m.ending = Some(ending);
        m.scores().utility
    };
    // What the seasons played earn on their own: the match had it simply run out of rounds.
    let own = scored(played, Ending::RoundLimit);
    assert_eq!(
        scored(played, Ending::Normalization),
        own,
        "with no seasons left, normalization adds nothing"
    );
    let end = early.in_force_point();
    let score = early.scores().utility;
    let longer = scored(sc.rounds + 6, Ending::Normalization);
    let endless = scored(10_000, Ending::Normalization);
    for s in Side::BOTH {
        let k = s.idx();
        let (lo, hi) = (own[k].min(end[k]), own[k].max(end[k]));
        assert!(
            (lo - 1e-6..=hi + 1e-6).contains(&score[k]),
            "{s:?}: {} outside what was played ({}) and what is in force ({})",
            score[k],
            own[k],
            end[k]
        );
        // The peace holds: a package at the end worth more than the seasons played lifts the
        // score, and reaching it early is never worse than dawdling.
        if end[k] > own[k] + 1e-4 {
            assert!(score[k] > own[k], "{s:?}");
        }
        // The more seasons were left, the more the package in force counts, until it is all
        // that counts.
        if (end[k] - own[k]).abs() > 1e-4 {
            assert!(
                (longer[k] - end[k]).abs() < (score[k] - end[k]).abs(),
                "{s:?}"
            );
        }
        assert!((endless[k] - end[k]).abs() < 1e-2, "{s:?}: {}", endless[k]);
    }
}

/// Raw utility to each side of a package of (measure, undertaker).
fn raw(sc: &Scenario, items: &[(usize, Side)]) -> [f32; 2] {
    Side::BOTH.map(|s| {
        items
            .iter()
            .map(|&(i, by)| scoring::item_utility(sc, s, i, by))
            .sum()
    })
}

#[test]
fn the_exact_frontier_counts_prerequisites_carried_in_the_same_package() {
    for sc in all_levels() {
        let m = Match::new(sc.clone(), 1);
        let open = m.open_commitments();
        let cands = m.package_candidates();
        // Everything open now is a candidate, and so is a commitment whose missing prerequisite
        // could be signed with it.
        assert!(cands.len() >= open.len(), "{}", sc.id);
        let waiting = cands.iter().filter(|c| c.needs != 0).count();
        assert_eq!(cands.len() - waiting, open.len(), "{}", sc.id);
        if sc.id != "tutorial" {
            assert!(
                waiting > 0,
                "{}: no commitment waits on a prerequisite",
                sc.id
            );
        }
    }
}

#[test]
fn no_package_the_greedy_sweep_finds_lies_beyond_the_exact_frontier() {
    for sc in all_levels() {
        let seats = || {
            [Side::A, Side::B].map(|s| {
                detente::table::Seat::Counterpart(Box::new(detente::table::counterpart(
                    sc.public(),
                    s,
                    3,
                    Personality::Pragmatist,
                    Difficulty::Hard,
                )))
            })
        };
        // At the start, and after a whole match has changed what is in force.
        for pass in 0..2 {
            let m = if pass == 0 {
                Match::new(sc.clone(), 3)
            } else {
                runner::play_headless(sc.clone(), 3, seats())
            };
            let capital = Side::BOTH.map(|s| m.side(s).capital);
            let exact = exact::frontier(&m.package_candidates(), capital, 8);
            let greedy = m.session_frontier();
            let p = raw(&sc, &greedy.nash_package);
            assert!(
                exact
                    .iter()
                    .any(|q| q[0] >= p[0] - 1e-4 && q[1] >= p[1] - 1e-4),
                "{} pass {pass}: {p:?} beyond {exact:?}",
                sc.id
            );
            // The empty package is on or under it too.
            assert!(
                exact.iter().any(|q| q[0] >= 0.0 && q[1] >= 0.0),
                "{}",
                sc.id
            );
        }
    }
}
