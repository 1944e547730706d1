//! The bargaining core measured on generated domains: a chosen character against itself, the
//! other characters and the simple opponents (Conceder, linear, Boulware, random, hardliner), every
//! entrant against every other in both roles, with agreement rate, own utility and, where the
//! space can be listed, distance of each agreement to the exact Pareto frontier.

use crate::ai::bargain::baseline::{Domain, Kind, Simple, generate};
use crate::ai::bargain::{Additive, Bargainer, Negotiate, Search, Stance, alternate};
use crate::sim::rng::Rng;
use crate::sim::{Difficulty, Personality};
use serde::Serialize;
use std::time::Instant;

/// Turns to the deadline the evaluation plays each domain with.
pub const DEADLINES: [u32; 3] = [20, 100, 400];

/// Least gain over no agreement some outcome must give both sides of a generated domain.
const ZONE: f64 = 0.05;

/// Largest space whose exact frontier the evaluation works out.
const FRONTIER_LIMIT: u64 = 200_000;

/// One entrant of the evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entrant {
    Core(Stance),
    Simple(Kind),
}

impl Entrant {
    fn make(&self, own: Additive, seed: u64) -> Box<dyn Negotiate> {
        match *self {
            Entrant::Core(s) => Box::new(Bargainer::new(own, s, seed)),
            Entrant::Simple(k) => Box::new(Simple::new(k, own, seed)),
        }
    }
}

/// An entrant's figures over all its sessions.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub name: String,
    pub sessions: u32,
    /// Share of sessions that ended in an agreement.
    pub agreement_rate: f64,
    /// Mean own utility (0..1; the reservation when there was no agreement).
    pub own_utility: f64,
    /// Mean utility of its opponents.
    pub opponent_utility: f64,
    /// Mean distance of its agreements to the exact Pareto frontier (listable spaces only).
    pub pareto_distance: f64,
    /// Own utility against each entrant, in entrant order.
    pub own_against: Vec<f64>,
    /// Agreement rate against each entrant, in entrant order.
    pub agreement_against: Vec<f64>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub seed: u64,
    pub domains: u32,
    pub deadlines: Vec<u32>,
    pub sessions: u64,
    pub elapsed_s: f64,
    pub entrants: Vec<Row>,
}

/// The entrants: `ours` first, then the other hard characters, then the simple opponents.
pub fn entrants(ours: (Personality, Difficulty)) -> Vec<(String, Entrant)> {
    let label = |p: Personality, d: Difficulty| format!("{p:?}:{d:?}").to_lowercase();
    let mut v = vec![(
        label(ours.0, ours.1),
        Entrant::Core(Stance::new(ours.0, ours.1)),
    )];
    for p in crate::ai::PERSONALITIES {
        let d = Difficulty::Hard;
        if (p, d) != ours {
            v.push((label(p, d), Entrant::Core(Stance::new(p, d))));
        }
    }
    for (name, k) in Kind::ALL {
        v.push((name.to_string(), Entrant::Simple(k)));
    }
    v
}

/// The `k`-th generated domain from `seed`: 1 to 10 issues of 2 to 10 values, more or less
/// opposed, with no reservation half the time and up to 0.4 otherwise, always with some
/// outcome both sides prefer to no agreement.
pub fn domain(seed: u64, k: u32) -> Domain {
    let mut r = Rng::new(seed.wrapping_mul(7919).wrapping_add(k as u64));
    let issues = 1 + r.below(10);
    let values = 2 + r.below(9);
    let opposition = 0.4 + 0.5 * r.unit() as f64;
    let res = [(); 2].map(|_| {
        if r.chance(0.5) {
            0.0
        } else {
            0.4 * r.unit() as f64
        }
    });
    let d = generate(r.next_u64(), issues, values, opposition, res);
    // Keep a bargaining zone: when no outcome the search finds gives both sides a twentieth
    // more than no agreement, neither has a reservation (a session without a zone measures
    // nothing).
    let [a, b] = &d.sides;
    let o = Search::new(a).find(a, &b.table, a.reservation + ZONE);
    if a.utility(&o) >= a.reservation + ZONE && b.utility(&o) >= b.reservation + ZONE {
        return d;
    }
    let mut d = d;
    d.sides[0].reservation = 0.0;
    d.sides[1].reservation = 0.0;
    d
}

/// Every Pareto-optimal (utility of side 0, of side 1) of a listable space, sorted by the first.
fn frontier(d: &Domain) -> Option<Vec<[f64; 2]>> {
    let [a, b] = &d.sides;
    if a.outcomes() > FRONTIER_LIMIT {
        return None;
    }
    let sizes = a.sizes();
    let mut pts = Vec::new();
    let mut o = vec![0u16; sizes.len()];
    loop {
        pts.push([a.utility(&o), b.utility(&o)]);
        let mut i = 0;
        while i < sizes.len() {
            o[i] += 1;
            if (o[i] as usize) < sizes[i] {
                break;
            }
            o[i] = 0;
            i += 1;
        }
        if i == sizes.len() {
            break;
        }
    }
    pts.sort_by(|p, q| q[0].total_cmp(&p[0]).then(q[1].total_cmp(&p[1])));
    let mut out: Vec<[f64; 2]> = Vec::new();
    for p in pts {
        if out.last().is_none_or(|q| p[1] > q[1]) {
            out.push(p);
        }
    }
    out.reverse();
    Some(out)
}

fn distance(front: &[[f64; 2]], p: [f64; 2]) -> f64 {
    front
        .iter()
        .map(|q| ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt())
        .fold(f64::INFINITY, f64::min)
}

#[derive(Default, Clone)]
struct Acc {
    sessions: u32,
    agreed: u32,
    own: f64,
    opp: f64,
    dist: f64,
    measured: u32,
}

/// Play every entrant against every other (itself included) on `domains` generated domains,
/// each at every deadline of [`DEADLINES`] and in both roles.
pub fn run(
    ours: (Personality, Difficulty),
    domains: u32,
    seed: u64,
    progress: impl FnMut(u64, u64),
) -> Report {
    run_with(&entrants(ours), domains, seed, progress)
}

/// [`run`] with any entrants.
pub fn run_with(
    pool: &[(String, Entrant)],
    domains: u32,
    seed: u64,
    mut progress: impl FnMut(u64, u64),
) -> Report {
    let start = Instant::now();
    let n = pool.len();
    let mut acc = vec![vec![Acc::default(); n]; n];
    let total = domains as u64 * DEADLINES.len() as u64 * (n * n) as u64;
    let mut done = 0;
    for k in 0..domains {
        let d = domain(seed, k);
        let front = frontier(&d);
        for (di, &deadline) in DEADLINES.iter().enumerate() {
            for i in 0..n {
                for j in 0..n {
                    // Entrant i on side 0 opens against entrant j on side 1; side 0 is also
                    // the one that opens (a second session per pair swaps the roles).
                    let s = seed ^ ((k as u64) << 32) ^ ((di * n * n + i * n + j) as u64);
                    let mut a = pool[i].1.make(d.sides[0].clone(), s);
                    let mut b = pool[j].1.make(d.sides[1].clone(), s ^ 0x5bd1);
                    let e = alternate(a.as_mut(), b.as_mut(), deadline);
                    let u = match &e.agreement {
                        Some(o) => [d.sides[0].utility(o), d.sides[1].utility(o)],
                        None => [d.sides[0].reservation, d.sides[1].reservation],
                    };
                    let dist = match (&e.agreement, &front) {
                        (Some(_), Some(f)) => Some(distance(f, u)),
                        _ => None,
                    };
                    for (me, them, side) in [(i, j, 0), (j, i, 1)] {
                        let c = &mut acc[me][them];
                        c.sessions += 1;
                        c.agreed += u32::from(e.agreement.is_some());
                        c.own += u[side];
                        c.opp += u[1 - side];
                        if let Some(x) = dist {
                            c.dist += x;
                            c.measured += 1;
                        }
                    }
                    done += 1;
                    progress(done, total);
                }
            }
        }
    }
    let entrants = pool
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let sum = acc[i].iter().fold(Acc::default(), |mut s, c| {
                s.sessions += c.sessions;
                s.agreed += c.agreed;
                s.own += c.own;
                s.opp += c.opp;
                s.dist += c.dist;
                s.measured += c.measured;
                s
            });
            let per = |x: f64, k: u32| if k > 0 { x / k as f64 } else { f64::NAN };
            Row {
                name: name.clone(),
                sessions: sum.sessions,
                agreement_rate: per(sum.agreed as f64, sum.sessions),
                own_utility: per(sum.own, sum.sessions),
                opponent_utility: per(sum.opp, sum.sessions),
                pareto_distance: per(sum.dist, sum.measured),
                own_against: acc[i].iter().map(|c| per(c.own, c.sessions)).collect(),
                agreement_against: acc[i]
                    .iter()
                    .map(|c| per(c.agreed as f64, c.sessions))
                    .collect(),
            }
        })
        .collect();
    Report {
        seed,
        domains,
        deadlines: DEADLINES.to_vec(),
        sessions: done,
        elapsed_s: start.elapsed().as_secs_f64(),
        entrants,
    }
}

impl Report {
    /// A readable table: entrants by own utility, then the first entrant against each other.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{} generated domains (seed {}), deadlines {:?} turns, every entrant against every other in both roles: {} sessions, {:.1} s\n",
            self.domains, self.seed, self.deadlines, self.sessions, self.elapsed_s
        );
        s += "own, opp: mean utility (the reservation without a deal); pareto: mean distance of agreements to the exact frontier (spaces up to 200,000 outcomes)\n";
        s += &format!(
            "{:>4} {:<20} {:>6} {:>6} {:>6} {:>7}\n",
            "rank", "entrant", "agree", "own", "opp", "pareto"
        );
        let mut order: Vec<usize> = (0..self.entrants.len()).collect();
        order.sort_by(|&a, &b| {
            self.entrants[b]
                .own_utility
                .total_cmp(&self.entrants[a].own_utility)
        });
        for (r, &i) in order.iter().enumerate() {
            let e = &self.entrants[i];
            s += &format!(
                "{:>4} {:<20} {:>6.3} {:>6.3} {:>6.3} {:>7.3}\n",
                r + 1,
                e.name,
                e.agreement_rate,
                e.own_utility,
                e.opponent_utility,
                e.pareto_distance
            );
        }
        if let Some(first) = self.entrants.first() {
            s += &format!("{} against each entrant:\n", first.name);
            s += &format!("{:<20} {:>6} {:>6}\n", "opponent", "agree", "own");
            for (k, e) in self.entrants.iter().enumerate() {
                s += &format!(
                    "{:<20} {:>6.3} {:>6.3}\n",
                    e.name, first.agreement_against[k], first.own_against[k]
                );
            }
        }
        s
    }
}
