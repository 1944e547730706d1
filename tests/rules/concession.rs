//! Concession as the characters claim it, against scripted partners: a Boulware hawk holds its
//! curve against a partner who refuses everything, a Conceder dove gives early, and the
//! reciprocator concedes in kind: to a partner who moves in value, not to one who never moves.

use crate::common::*;
use detente::ai::{Counterpart, Decision, Negotiator};
use detente::eval::exploits::Strategy;
use detente::sim::*;
use detente::table::{Seat, Table};
use std::sync::{Arc, Mutex};

/// A counterpart at the table that also notes what it hopes for at each of its talks decisions.
struct Watched {
    inner: Counterpart,
    hopes: Arc<Mutex<Vec<(u32, f32)>>>,
}

impl Negotiator for Watched {
    fn decide(&mut self, v: &SideView, t: &PublicLevel) -> Decision {
        let d = self.inner.decide(v, t);
        if v.stage == Stage::Negotiation {
            let nothing = Offer {
                items: Vec::new(),
                statement: Statement::Reassure,
            };
            let (_, hope, _) = self.inner.evaluate(v, t, &nothing);
            self.hopes.lock().unwrap().push((v.round, hope));
        }
        d
    }
}

/// The mean of what `(p, d)` in seat B hopes for at the end of each round's talks against
/// `strategy` in seat A, by round (from round 1), over a few seeds.
fn hopes(
    sc: &Arc<Scenario>,
    strategy: Strategy,
    p: Personality,
    d: Difficulty,
) -> Vec<Option<f32>> {
    let mut sum = vec![(0.0, 0); sc.rounds as usize + 1];
    for seed in 0..6 {
        let log = Arc::new(Mutex::new(Vec::new()));
        let b = Watched {
            inner: counterpart(sc, p, d, Side::B, seed),
            hopes: log.clone(),
        };
        let seats = [
            Seat::Counterpart(Box::new(strategy.negotiator(sc.public(), Side::A, seed))),
            Seat::Counterpart(Box::new(b)),
        ];
        let mut t = Table::headless(sc.clone(), seed, seats);
        while t.step().is_some() {}
        let mut last = std::collections::BTreeMap::new();
        for &(r, h) in log.lock().unwrap().iter() {
            last.insert(r, h);
        }
        for (r, h) in last {
            sum[r as usize].0 += h;
            sum[r as usize].1 += 1;
        }
    }
    sum.iter()
        .skip(1)
        .map(|&(s, n)| (n > 0).then(|| s / n as f32))
        .collect()
}

#[test]
fn a_boulware_hawk_holds_its_curve_against_a_partner_who_refuses_everything() {
    let sc = shipped("river_accord");
    let hawk = hopes(&sc, Strategy::Stubborn, Personality::Hawk, Difficulty::Hard);
    let dove = hopes(&sc, Strategy::Stubborn, Personality::Dove, Difficulty::Hard);
    // Season 2 (after the first season's firmness) against season 5.
    // Some seasons a side never speaks (the other closed the talks): the latest season it did.
    let at = |h: &[Option<f32>], r: usize| {
        h[..r]
            .iter()
            .rev()
            .flatten()
            .next()
            .copied()
            .unwrap_or_else(|| panic!("no talks: {h:?}"))
    };
    let (h2, h5) = (at(&hawk, 2), at(&hawk, 5));
    assert!(h5 >= 0.9 * h2, "the hawk gave way: {hawk:?}");
    // The Conceder gives early, whoever sits across.
    let (d2, d6) = (at(&dove, 2), at(&dove, 6));
    assert!(d6 < 0.8 * d2, "the dove held: {dove:?}");
}

#[test]
fn the_reciprocator_concedes_in_kind_and_not_to_a_partner_who_never_moves() {
    let sc = shipped("river_accord");
    for d in [Difficulty::Normal, Difficulty::Hard] {
        let still = hopes(&sc, Strategy::Stubborn, Personality::Reciprocator, d);
        // Through the first half of the match it asks what it asked in season 2, give or take
        // the little it learns from the answers to its own proposals.
        let start = still[1].unwrap();
        for h in still[1..6].iter().flatten() {
            assert!(
                *h >= start - 0.1,
                "{d:?} conceded to a standstill: {still:?}"
            );
        }
        // A partner who gives more each offer is met halfway and more by season 4.
        let moving = hopes(&sc, Strategy::Lowballer, Personality::Reciprocator, d);
        assert!(
            moving[3].unwrap() < still[3].unwrap() - 0.1,
            "{d:?}: {moving:?} against {still:?}"
        );
    }
}
