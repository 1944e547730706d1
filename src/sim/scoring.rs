//! Scores: private utility, joint stability, and the best joint outcomes a level allows.

use super::event::Ending;
use super::scenario::{Scenario, Side};
use super::state::Match;
use super::tuning::{
    FRONTIER_STEPS, LOAD_FLOOR, MAX_ITEMS, OUSTED_UTILITY_SHARE, SESSION_FRONTIER_STEPS,
    STABILITY_CALM_WEIGHT, STABILITY_PHASE_POINTS, STABILITY_TRUST_WEIGHT,
};
use serde::{Deserialize, Serialize};

/// A side's priority weight for an area, normalised so a side's weights sum to 1.
pub fn priority(sc: &Scenario, side: Side, area: super::scenario::Area) -> f32 {
    sc.weights()[side.idx()][area as usize]
}

/// Raw private utility to `side` of measure `measure` undertaken by `by`.
pub fn item_utility(sc: &Scenario, side: Side, measure: usize, by: Side) -> f32 {
    let m = &sc.measures[measure];
    let w = priority(sc, side, m.area);
    if by == side {
        -w * m.burden
    } else {
        w * m.value
    }
}

/// Every commitment the catalogue allows: (measure index, undertaker).
pub fn candidates(sc: &Scenario) -> Vec<(usize, Side)> {
    let mut v = Vec::new();
    for (i, m) in sc.measures.iter().enumerate() {
        for s in Side::BOTH {
            if m.by.allows(s) {
                v.push((i, s));
            }
        }
    }
    v
}

/// The lowest and highest raw utility any package can give `side`.
pub fn utility_range(sc: &Scenario, side: Side) -> (f32, f32) {
    let mut lo = 0.0;
    let mut hi = 0.0;
    for (i, by) in candidates(sc) {
        let u = item_utility(sc, side, i, by);
        if u < 0.0 {
            lo += u;
        } else {
            hi += u;
        }
    }
    (lo, hi)
}

/// Normalised utility (0..1) of a package of (measure, undertaker) to each side.
pub fn package_point(
    sc: &Scenario,
    items: impl Iterator<Item = (usize, Side)> + Clone,
) -> [f32; 2] {
    normalise(sc.ranges(), raw_point(sc, items))
}

/// Raw private utility to each side of a package of (measure, undertaker).
fn raw_point(sc: &Scenario, items: impl Iterator<Item = (usize, Side)> + Clone) -> [f32; 2] {
    Side::BOTH.map(|s| {
        items
            .clone()
            .map(|(i, by)| item_utility(sc, s, i, by))
            .sum()
    })
}

/// Raw utilities mapped to 0..1 over each side's (lowest, highest) range.
fn normalise(ranges: [(f32, f32); 2], raw: [f32; 2]) -> [f32; 2] {
    [0, 1].map(|k| {
        let (lo, hi) = ranges[k];
        (raw[k] - lo) / (hi - lo).max(1e-6)
    })
}

/// The best joint outcomes of a set of possible commitments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frontier {
    /// Pareto-optimal points (normalised utility of A, of B), sorted by A's utility.
    pub points: Vec<[f32; 2]>,
    /// The point of no agreement.
    pub disagreement: [f32; 2],
    /// The Nash bargaining point: the frontier point maximising the product of gains.
    pub nash: [f32; 2],
    /// The commitments of the Nash point's package.
    pub nash_package: Vec<(usize, Side)>,
    /// Each side's lowest and highest raw utility, which normalisation maps to 0 and 1.
    pub ranges: [(f32, f32); 2],
}

impl Frontier {
    /// Product of gains over the disagreement point (0 if either side loses).
    pub fn nash_product(&self, p: [f32; 2]) -> f32 {
        let a = p[0] - self.disagreement[0];
        let b = p[1] - self.disagreement[1];
        if a <= 0.0 || b <= 0.0 { 0.0 } else { a * b }
    }

    /// A point's Nash product over the Nash point's (1 at the Nash point, 0 with no gain).
    pub fn nash_ratio(&self, p: [f32; 2]) -> f32 {
        self.nash_product(p) / self.nash_product(self.nash).max(1e-9)
    }

    /// Normalised utilities (0..1 over this frontier's ranges) of raw utilities.
    pub fn normalise(&self, raw: [f32; 2]) -> [f32; 2] {
        normalise(self.ranges, raw)
    }

    /// Normalised utilities of a package of (measure, undertaker).
    pub fn place(&self, sc: &Scenario, items: &[(usize, Side)]) -> [f32; 2] {
        self.normalise(raw_point(sc, items.iter().copied()))
    }

    /// Euclidean distance from `p` to the frontier (0 on or beyond it).
    pub fn distance(&self, p: [f32; 2]) -> f32 {
        let mut best = f32::MAX;
        for w in self.points.windows(2) {
            best = best.min(seg_dist(p, w[0], w[1]));
        }
        if let Some(q) = self.points.first() {
            best = best.min(((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt());
        }
        if self
            .points
            .iter()
            .any(|q| p[0] >= q[0] - 1e-6 && p[1] >= q[1] - 1e-6)
        {
            return 0.0;
        }
        best
    }
}

fn seg_dist(p: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 <= 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    };
    let (x, y) = (a[0] + t * dx, a[1] + t * dy);
    ((p[0] - x).powi(2) + (p[1] - y).powi(2)).sqrt()
}

/// Political capital a side receives over its first `rounds` rounds (the whole match when
/// `rounds` is the level's length).
pub fn capital_budget(sc: &Scenario, side: Side, rounds: u32) -> f32 {
    let d = sc.side(side);
    d.capital.min(d.max_capital) + d.capital_per_round * rounds.saturating_sub(1) as f32
}

/// Commitments that could be packed together, with what each is worth and costs.
struct Catalogue {
    cands: Vec<(usize, Side)>,
    utils: Vec<[f32; 2]>,
    costs: Vec<f32>,
    budget: [f32; 2],
    max_items: usize,
}

impl Catalogue {
    fn new(sc: &Scenario, cands: Vec<(usize, Side)>, budget: [f32; 2], max_items: usize) -> Self {
        let utils = cands
            .iter()
            .map(|&(i, by)| Side::BOTH.map(|s| item_utility(sc, s, i, by)))
            .collect();
        let costs = cands
            .iter()
            .map(|&(i, _)| {
                let m = &sc.measures[i];
                m.cost + m.verification.iter().map(|v| v.cost).fold(0.0, f32::min)
            })
            .collect();
        Catalogue {
            cands,
            utils,
            costs,
            budget: budget.map(|b| b.max(0.0)),
            max_items,
        }
    }

    /// Greedy package for weights on each side's raw utility: positive-worth commitments,
    /// ranked by worth per share of the payer's budget (`by_load`) or by worth alone, taken
    /// while both sides can pay and the item limit allows.
    fn pack(&self, w: [f32; 2], by_load: bool, order: &mut Vec<(usize, f32)>) -> Vec<usize> {
        order.clear();
        for (j, u) in self.utils.iter().enumerate() {
            let worth = w[0] * u[0] + w[1] * u[1];
            if worth > 0.0 {
                let key = if by_load {
                    let load = self.costs[j] / self.budget[self.cands[j].1.idx()].max(1e-6);
                    worth / (load + LOAD_FLOOR)
                } else {
                    worth
                };
                order.push((j, key));
            }
        }
        order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut spent = [0.0f32; 2];
        let mut pick = Vec::new();
        for &(j, _) in order.iter() {
            if pick.len() >= self.max_items {
                break;
            }
            let by = self.cands[j].1.idx();
            if spent[by] + self.costs[j] <= self.budget[by] + 1e-4 {
                spent[by] += self.costs[j];
                pick.push(j);
            }
        }
        pick
    }

    fn raw(&self, pick: &[usize]) -> [f32; 2] {
        pick.iter().fold([0.0, 0.0], |acc, &j| {
            [acc[0] + self.utils[j][0], acc[1] + self.utils[j][1]]
        })
    }

    /// Sweep the weight between the two sides (`steps` + 1 weights, two rankings each), keep
    /// the undominated packages and find the Nash point.
    fn frontier(&self, ranges: [(f32, f32); 2], steps: usize) -> Frontier {
        let span = [0, 1].map(|k| (ranges[k].1 - ranges[k].0).max(1e-6));
        let mut f = Frontier {
            points: Vec::new(),
            disagreement: [0.0; 2],
            nash: [0.0; 2],
            nash_package: Vec::new(),
            ranges,
        };
        f.disagreement = f.normalise([0.0, 0.0]);
        f.nash = f.disagreement;
        let mut pts: Vec<([f32; 2], Vec<usize>)> = Vec::new();
        let mut order = Vec::with_capacity(self.cands.len());
        for k in 0..=steps {
            let l = k as f32 / steps as f32;
            for by_load in [true, false] {
                let pick = self.pack([l / span[0], (1.0 - l) / span[1]], by_load, &mut order);
                let p = f.normalise(self.raw(&pick));
                if !pts
                    .iter()
                    .any(|(q, _)| (q[0] - p[0]).abs() < 1e-6 && (q[1] - p[1]).abs() < 1e-6)
                {
                    pts.push((p, pick));
                }
            }
        }
        let all: Vec<[f32; 2]> = pts.iter().map(|(p, _)| *p).collect();
        pts.retain(|(p, _)| {
            !all.iter()
                .any(|q| q[0] >= p[0] && q[1] >= p[1] && (q[0] > p[0] || q[1] > p[1]))
        });
        pts.sort_by(|a, b| a.0[0].total_cmp(&b.0[0]));
        f.points = pts.iter().map(|(p, _)| *p).collect();
        let mut best = 0.0;
        for (p, pick) in &pts {
            let np = f.nash_product(*p);
            if np > best {
                best = np;
                f.nash = *p;
                f.nash_package = pick.iter().map(|&j| self.cands[j]).collect();
            }
        }
        f
    }

    /// Each side's lowest and highest raw utility a package could give it.
    fn ranges(&self) -> [(f32, f32); 2] {
        let mut order = Vec::new();
        [[1.0, 0.0], [0.0, 1.0]].map(|w| {
            let k = if w[0] > 0.0 { 0 } else { 1 };
            let hi = self.raw(&self.pack(w, true, &mut order))[k];
            let lo = self.raw(&self.pack(w.map(|x| -x), true, &mut order))[k];
            (lo.min(0.0), hi.max(0.0))
        })
    }
}

/// Compute the frontier of what the level allows: for each weight between the two sides'
/// utilities, the commitments with positive weighted joint worth are taken while each side's
/// capital over the whole match can pay for them. Supported points of that sweep,
/// Pareto-filtered, make the frontier (a greedy approximation of the budgeted problem;
/// prerequisites and phases are not modelled).
pub fn frontier(sc: &Scenario) -> Frontier {
    frontier_within(sc, sc.rounds)
}

/// The frontier of what the capital of the first `rounds` rounds can pay for: the yardstick
/// for a match that ended early, which never received the rest.
pub fn frontier_within(sc: &Scenario, rounds: u32) -> Frontier {
    let budget = Side::BOTH.map(|s| capital_budget(sc, s, rounds));
    let cat = Catalogue::new(sc, candidates(sc), budget, usize::MAX);
    cat.frontier(sc.ranges(), FRONTIER_STEPS)
}

/// The deals open at one moment of a match: every commitment that could be tabled now (not in
/// force, prerequisites met), at most [`MAX_ITEMS`] to a package, paid from the
/// capital each side holds now. Utilities are normalised over this moment's possible packages,
/// as a one-shot bargaining domain would be, so an agreement's distance to this frontier says
/// how much value the two sides left on the table in that deal.
pub fn session_frontier(sc: &Scenario, open: Vec<(usize, Side)>, capital: [f32; 2]) -> Frontier {
    let cat = Catalogue::new(sc, open, capital, MAX_ITEMS);
    let ranges = cat.ranges();
    cat.frontier(ranges, SESSION_FRONTIER_STEPS)
}

/// One signed agreement against the deals open when it was signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealReport {
    pub round: u32,
    /// The commitments signed, as (measure index, undertaker).
    pub items: Vec<(usize, Side)>,
    /// The deal's worth to each side, normalised over the packages open at the time.
    pub point: [f32; 2],
    /// Distance to the frontier of those packages (0 on it).
    pub distance: f32,
    /// Its product of gains over the best product open then; `None` when no deal open then
    /// could give both sides a gain.
    pub nash_ratio: Option<f32>,
    /// Distance to the exact frontier of the packages open then (capital, item cap and
    /// prerequisites as the rules apply them), within the bargaining zone: no agreement at 0
    /// and each side's best agreement at 1 on its axis. `None` when a side could gain nothing.
    #[serde(default)]
    pub zone_distance: Option<f32>,
}

impl Match {
    /// Every agreement signed so far, each measured against the deals open when it was signed
    /// (worked out by replaying the match's actions).
    pub fn deal_reports(&self) -> Vec<DealReport> {
        let mut m = Match::new(self.scenario.clone(), self.seed);
        let mut out = Vec::new();
        for a in &self.actions {
            let before = matches!(a, super::Action::Accept { .. }).then(|| {
                (
                    m.open_commitments(),
                    Side::BOTH.map(|s| m.side(s).capital),
                    m.package_candidates(),
                )
            });
            let start = m.log.len();
            if m.apply_quiet(a.clone()).is_err() {
                break;
            }
            let Some((open, capital, cands)) = before else {
                continue;
            };
            for l in &m.log[start..] {
                if let super::Event::AgreementSigned { commitments, .. } = &l.event {
                    let items: Vec<(usize, Side)> = m
                        .commitments
                        .iter()
                        .filter(|c| commitments.contains(&c.id))
                        .map(|c| (c.measure, c.by))
                        .collect();
                    let f = session_frontier(&self.scenario, open.clone(), capital);
                    let point = f.place(&self.scenario, &items);
                    // The frontier is a greedy approximation: a deal beyond it is the better
                    // estimate of the best product.
                    let best = f.nash_product(f.nash).max(f.nash_product(point));
                    let exact = super::exact::frontier(&cands, capital, MAX_ITEMS);
                    let zone_distance = super::exact::Zone::new(&exact)
                        .map(|z| z.distance(raw_point(&self.scenario, items.iter().copied())));
                    out.push(DealReport {
                        zone_distance,
                        round: l.round,
                        distance: f.distance(point),
                        nash_ratio: (best > 1e-6).then(|| f.nash_product(point) / best),
                        items,
                        point,
                    });
                }
            }
        }
        out
    }

    /// Commitments that could be tabled now, as (measure index, undertaker).
    pub fn open_commitments(&self) -> Vec<(usize, Side)> {
        if let Some(pre) = self.scenario.prerequisites() {
            // What is in force, a bit per measure for each undertaker.
            let mut held = [0u64; 2];
            for c in &self.commitments {
                held[c.by.idx()] |= 1 << c.measure;
            }
            let any = held[0] | held[1];
            let all = self.scenario.candidates();
            let mut open = Vec::with_capacity(all.len());
            open.extend(
                all.iter().copied().filter(|&(i, by)| {
                    held[by.idx()] & (1 << i) == 0 && pre[i].met(any, self.phase)
                }),
            );
            return open;
        }
        // One pass over the commitments instead of one per candidate.
        let n = self.scenario.measures.len();
        let mut held = vec![[false; 2]; n];
        for c in &self.commitments {
            held[c.measure][c.by.idx()] = true;
        }
        self.scenario
            .candidates()
            .iter()
            .copied()
            .filter(|&(i, by)| {
                !held[i][by.idx()] && self.prerequisites_met_by(i, |m| held[m][0] || held[m][1])
            })
            .collect()
    }

    /// Rounds played so far (at least one, at most the level's length).
    pub fn rounds_played(&self) -> u32 {
        (self.history.len() as u32).clamp(1, self.scenario.rounds)
    }

    /// The frontier the match is judged against: what the capital of the rounds it lasted
    /// could buy (the level's whole frontier once every round is played).
    pub fn frontier_played(&self) -> Frontier {
        let played = self.rounds_played();
        if played == self.scenario.rounds {
            self.scenario.frontier().clone()
        } else {
            frontier_within(&self.scenario, played)
        }
    }

    /// The deals open now (see [`session_frontier`]).
    pub fn session_frontier(&self) -> Frontier {
        session_frontier(
            &self.scenario,
            self.open_commitments(),
            Side::BOTH.map(|s| self.side(s).capital),
        )
    }
}

/// Final scores of a match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Each side's private utility, 0..1: the mean over rounds of what its commitments in force
    /// were worth to it (the rounds left after normalization at the package in force; 0 after a
    /// clash; halved for a side whose leader fell for good).
    pub utility: [f32; 2],
    /// Each side's weighted domestic approval at the end, 0..100.
    pub approval: [f32; 2],
    /// Joint stability, 0..100: low tension, mutual trust and a mature relationship.
    pub stability: f32,
    /// The package in force at the end, as normalised utilities.
    pub final_point: [f32; 2],
    pub ending: Option<Ending>,
}

impl Match {
    /// Normalised utility to each side of the commitments in force now.
    pub fn in_force_point(&self) -> [f32; 2] {
        package_point(
            &self.scenario,
            self.commitments.iter().map(|c| (c.measure, c.by)),
        )
    }

    /// Joint stability now, 0..100.
    pub fn stability(&self) -> f32 {
        let phases = self.scenario.phases.len().max(2) - 1;
        let phase = self.phase as f32 / phases as f32;
        let trust = (self.trust[0] + self.trust[1]) / 2.0;
        (STABILITY_CALM_WEIGHT * (100.0 - self.tension)
            + STABILITY_TRUST_WEIGHT * trust
            + STABILITY_PHASE_POINTS * phase)
            .clamp(0.0, 100.0)
    }

    /// Scores as they stand.
    pub fn scores(&self) -> Scores {
        let played = self.history.len().max(1) as f32;
        let mut utility = Side::BOTH.map(|s| self.side(s).utility_sum / played);
        let final_point = self.in_force_point();
        match self.ending {
            // Normalization locks the relationship in: the seasons the match no longer needs
            // count at what is in force, so reaching it early is never worse than dawdling.
            Some(Ending::Normalization) => {
                let rounds = (self.scenario.rounds as f32).max(played);
                utility = Side::BOTH.map(|s| {
                    (self.side(s).utility_sum + final_point[s.idx()] * (rounds - played)) / rounds
                });
            }
            Some(Ending::Clash) => utility = [0.0, 0.0],
            Some(Ending::Ousted(s)) => utility[s.idx()] *= OUSTED_UTILITY_SHARE,
            _ => {}
        }
        Scores {
            utility,
            approval: Side::BOTH.map(|s| self.approval(s)),
            stability: if self.ending == Some(Ending::Clash) {
                0.0
            } else {
                self.stability()
            },
            final_point,
            ending: self.ending,
        }
    }
}
