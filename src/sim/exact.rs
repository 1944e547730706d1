//! The exact frontier of the deals open at one moment, under the rules' own constraints: each
//! side pays its commitments from the capital it holds, at most [`MAX_ITEMS`] to a package, and a
//! commitment whose prerequisite is a measure not yet in force needs that measure in the same
//! package. Measured within the bargaining zone, from no agreement (each side's 0) to each
//! side's best agreement that leaves the other no worse off than no agreement.
//!
//! Commitments are split by who pays: one side's choice touches only its own capital, so each
//! side's packages are searched alone (keeping, for each size and set of prerequisites given and
//! needed, the packages no other beats on both utilities and cost), then paired.

use super::derived::Needs;
use super::rules::Board;
use super::scenario::{Scenario, Side};
use super::state::Match;
use super::tuning::MAX_ITEMS;
use std::collections::HashMap;

/// A commitment that could join a package now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Raw utility to A and to B.
    pub utility: [f32; 2],
    /// Capital its undertaker pays.
    pub cost: f32,
    pub by: Side,
    /// Prerequisite measures (bits) it supplies to a package, and those it needs from one.
    pub gives: u64,
    pub needs: u64,
}

/// (size, prerequisites given, prerequisites needed).
type Key = (usize, u64, u64);

/// The Pareto-optimal raw points of every package of `items` both sides can pay for.
pub fn frontier(items: &[Candidate], capital: [f32; 2], max_items: usize) -> Vec<[f32; 2]> {
    let halves = Side::BOTH.map(|s| side_sets(items, s, capital[s.idx()].max(0.0), max_items));
    // B's packages of up to k items, for each pair of prerequisite sets.
    let mut upto: HashMap<(u64, u64), Vec<Vec<[f32; 2]>>> = HashMap::new();
    for (&(k, g, n), pts) in &halves[1] {
        let e = upto
            .entry((g, n))
            .or_insert_with(|| vec![Vec::new(); max_items + 1]);
        for slot in &mut e[k..] {
            slot.extend_from_slice(pts);
        }
    }
    for v in upto.values_mut() {
        for slot in v.iter_mut() {
            *slot = pareto(std::mem::take(slot));
        }
    }
    let mut all = Vec::new();
    for (&(ka, ga, na), pa) in &halves[0] {
        for (&(gb, nb), pbs) in &upto {
            if (na | nb) & !(ga | gb) != 0 {
                continue;
            }
            for p in pa {
                for q in &pbs[max_items - ka] {
                    all.push([p[0] + q[0], p[1] + q[1]]);
                }
            }
        }
    }
    pareto(all)
}

/// One side's packages: for each key, those not beaten on both utilities and cost, projected to
/// their utilities (and Pareto-filtered there).
fn side_sets(
    items: &[Candidate],
    side: Side,
    budget: f32,
    max_items: usize,
) -> HashMap<Key, Vec<[f32; 2]>> {
    let mut states: HashMap<Key, Vec<[f32; 3]>> = HashMap::new();
    states.insert((0, 0, 0), vec![[0.0; 3]]);
    for it in items.iter().filter(|c| c.by == side) {
        let mut added: Vec<(Key, [f32; 3])> = Vec::new();
        for (&(k, g, n), pts) in &states {
            if k >= max_items {
                continue;
            }
            for p in pts {
                let cost = p[2] + it.cost;
                if cost <= budget + 1e-4 {
                    added.push((
                        (k + 1, g | it.gives, n | it.needs),
                        [p[0] + it.utility[0], p[1] + it.utility[1], cost],
                    ));
                }
            }
        }
        let mut touched = Vec::new();
        for (key, p) in added {
            states.entry(key).or_default().push(p);
            touched.push(key);
        }
        touched.sort_unstable();
        touched.dedup();
        for key in touched {
            if let Some(v) = states.get_mut(&key) {
                *v = undominated(std::mem::take(v));
            }
        }
    }
    states
        .into_iter()
        .map(|(key, pts)| (key, pareto(pts.iter().map(|p| [p[0], p[1]]).collect())))
        .collect()
}

/// Points no other beats on both utilities and (lower) cost.
fn undominated(mut pts: Vec<[f32; 3]>) -> Vec<[f32; 3]> {
    pts.sort_by(|a, b| {
        b[0].total_cmp(&a[0])
            .then(b[1].total_cmp(&a[1]))
            .then(a[2].total_cmp(&b[2]))
    });
    let mut kept: Vec<[f32; 3]> = Vec::with_capacity(pts.len());
    for p in pts {
        // Everything kept has at least p's first utility.
        if !kept.iter().any(|q| q[1] >= p[1] && q[2] <= p[2]) {
            kept.push(p);
        }
    }
    kept
}

/// The Pareto-optimal points of a set, sorted by the first utility (rising).
pub fn pareto(mut pts: Vec<[f32; 2]>) -> Vec<[f32; 2]> {
    pts.sort_by(|a, b| b[0].total_cmp(&a[0]).then(b[1].total_cmp(&a[1])));
    let mut out: Vec<[f32; 2]> = Vec::new();
    for p in pts {
        if out.last().is_none_or(|q| p[1] > q[1]) {
            out.push(p);
        }
    }
    out.reverse();
    out
}

/// The exact frontier inside the bargaining zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Each side's best raw utility among agreements that leave the other side no worse off
    /// than no agreement.
    pub best: [f32; 2],
    /// Frontier points inside the zone, scaled so no agreement is (0, 0) and each side's best
    /// is 1 on its axis.
    pub points: Vec<[f32; 2]>,
}

impl Zone {
    /// The zone of a raw frontier; `None` when a side can gain nothing from any agreement.
    pub fn new(frontier: &[[f32; 2]]) -> Option<Zone> {
        let inside: Vec<[f32; 2]> = frontier
            .iter()
            .copied()
            .filter(|p| p[0] >= 0.0 && p[1] >= 0.0)
            .collect();
        let best = [0, 1].map(|k| inside.iter().map(|p| p[k]).fold(0.0, f32::max));
        if best.iter().any(|&b| b <= 1e-6) {
            return None;
        }
        let points = inside
            .iter()
            .map(|p| [p[0] / best[0], p[1] / best[1]])
            .collect();
        Some(Zone { best, points })
    }

    /// A raw point scaled to the zone.
    pub fn scale(&self, raw: [f32; 2]) -> [f32; 2] {
        [raw[0] / self.best[0], raw[1] / self.best[1]]
    }

    /// Distance, in the zone's scale, from a raw point to the nearest frontier point.
    pub fn distance(&self, raw: [f32; 2]) -> f32 {
        let p = self.scale(raw);
        self.points
            .iter()
            .map(|q| ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt())
            .fold(f32::INFINITY, f32::min)
    }
}

impl Match {
    /// Every commitment that could join a package now: not held, its phase reached, and each
    /// prerequisite measure either in force or one the same package could carry.
    pub fn package_candidates(&self) -> Vec<Candidate> {
        let sc: &Scenario = &self.scenario;
        let n = sc.measures.len();
        let mut held = vec![[false; 2]; n];
        for c in &self.commitments {
            held[c.measure][c.by.idx()] = true;
        }
        let in_force = |m: usize| held[m][0] || held[m][1];
        let mut bits: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for &(i, by) in sc.candidates().iter() {
            if held[i][by.idx()] {
                continue;
            }
            let mut needs = 0u64;
            let mut ok = true;
            for r in self.requirements(i) {
                match *r {
                    Needs::Measure(m) if in_force(m) => {}
                    Needs::Measure(m) => {
                        let b = match bits.iter().position(|&x| x == m) {
                            Some(b) => b,
                            None if bits.len() < 64 => {
                                bits.push(m);
                                bits.len() - 1
                            }
                            None => {
                                ok = false;
                                break;
                            }
                        };
                        needs |= 1 << b;
                    }
                    Needs::Phase(p) => ok &= self.phase() >= p,
                    Needs::Unknown => ok = false,
                }
            }
            if !ok {
                continue;
            }
            let gives = i;
            out.push((
                gives,
                Candidate {
                    utility: Side::BOTH.map(|s| super::scoring::item_utility(sc, s, i, by)),
                    cost: sc.measures[i].cost,
                    by,
                    gives: 0,
                    needs,
                },
            ));
        }
        // A commitment gives the prerequisite bit of its measure, once all bits are known.
        out.into_iter()
            .map(|(m, mut c)| {
                c.gives = bits.iter().position(|&x| x == m).map_or(0, |b| 1u64 << b);
                c
            })
            .collect()
    }

    /// The exact frontier of the deals open now, within the bargaining zone.
    pub fn zone(&self) -> Option<Zone> {
        let items = self.package_candidates();
        let capital = Side::BOTH.map(|s| self.side(s).capital);
        Zone::new(&frontier(&items, capital, MAX_ITEMS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(u: [f32; 2], cost: f32, by: Side) -> Candidate {
        Candidate {
            utility: u,
            cost,
            by,
            gives: 0,
            needs: 0,
        }
    }

    /// Every subset, checked one by one: the yardstick for small cases.
    fn brute(items: &[Candidate], capital: [f32; 2], max_items: usize) -> Vec<[f32; 2]> {
        let mut pts = Vec::new();
        for mask in 0u32..(1 << items.len()) {
            let chosen: Vec<&Candidate> = (0..items.len())
                .filter(|&k| mask & (1 << k) != 0)
                .map(|k| &items[k])
                .collect();
            if chosen.len() > max_items {
                continue;
            }
            let spent = Side::BOTH.map(|s| {
                chosen
                    .iter()
                    .filter(|c| c.by == s)
                    .map(|c| c.cost)
                    .sum::<f32>()
            });
            if spent[0] > capital[0] + 1e-4 || spent[1] > capital[1] + 1e-4 {
                continue;
            }
            let given = chosen.iter().fold(0, |g, c| g | c.gives);
            if chosen.iter().any(|c| c.needs & !given != 0) {
                continue;
            }
            pts.push(chosen.iter().fold([0.0, 0.0], |a, c| {
                [a[0] + c.utility[0], a[1] + c.utility[1]]
            }));
        }
        pareto(pts)
    }

    #[test]
    fn matches_every_subset_with_budgets_a_size_limit_and_prerequisites() {
        let mut rng = crate::sim::rng::Rng::new(5);
        for case in 0..40 {
            let items: Vec<Candidate> = (0..12)
                .map(|k| {
                    let by = if k % 2 == 0 { Side::A } else { Side::B };
                    let (give, take) = (rng.unit(), rng.unit());
                    let u = match by {
                        Side::A => [-give, take],
                        Side::B => [take, -give],
                    };
                    let mut c = item(u, (rng.unit() * 4.0).round(), by);
                    // Items 0 and 1 supply prerequisites that items 4 and 7 need.
                    if k < 2 {
                        c.gives = 1 << k;
                    }
                    if k == 4 {
                        c.needs = 1;
                    }
                    if k == 7 {
                        c.needs = 0b10;
                    }
                    c
                })
                .collect();
            let capital = [3.0 + (case % 4) as f32, 2.0 + (case % 3) as f32];
            let max_items = 3 + case % 4;
            let got = frontier(&items, capital, max_items);
            let want = brute(&items, capital, max_items);
            assert_eq!(got.len(), want.len(), "case {case}: {got:?} {want:?}");
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g[0] - w[0]).abs() < 1e-5 && (g[1] - w[1]).abs() < 1e-5,
                    "{case}"
                );
            }
        }
    }

    #[test]
    fn the_zone_runs_from_no_agreement_to_each_sides_best() {
        let f = pareto(vec![
            [-0.5, 2.0],
            [0.0, 1.0],
            [1.0, 0.5],
            [2.0, 0.0],
            [3.0, -1.0],
        ]);
        let z = Zone::new(&f).expect("a zone");
        assert_eq!(z.best, [2.0, 1.0]);
        assert_eq!(z.points, vec![[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]);
        assert_eq!(z.distance([1.0, 0.5]), 0.0);
        assert!((z.distance([0.0, 0.0]) - 0.5f32.sqrt()).abs() < 1e-6);
        assert!(Zone::new(&pareto(vec![[0.0, 0.0], [1.0, -1.0]])).is_none());
    }
}
