//! Simple opponents to measure the bargainer against: the textbook time-based negotiators
//! (Conceder, linear, Boulware) that accept what is at least their next offer, a random one, and
//! a hardliner that asks for its best outcome and takes nothing less.

use super::{Additive, Moment, Negotiate, Outcome, Response, Search};
use crate::sim::rng::Rng;
use std::collections::HashSet;

/// A simple opponent's kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Concedes along `1 - t^(1/e)`: e above 1 early (Conceder), 1 linearly, below 1 late
    /// (Boulware); no model of the other side.
    TimeBased(f64),
    /// Random offers; accepts an offer above its reservation with a random threshold.
    Random,
    /// Offers its best outcome every turn and accepts only that.
    Hardliner,
    /// Concedes one outcome down its own ranking only once the other side has made as many
    /// different offers as it has (MiCRO); accepts what is at least its lowest offer so far.
    Micro,
}

impl Kind {
    /// The opponents of the local evaluation, by name.
    pub const ALL: [(&'static str, Kind); 6] = [
        ("conceder", Kind::TimeBased(2.0)),
        ("linear", Kind::TimeBased(1.0)),
        ("boulware", Kind::TimeBased(0.2)),
        ("random", Kind::Random),
        ("hardliner", Kind::Hardliner),
        ("micro", Kind::Micro),
    ];
}

/// One simple opponent.
#[derive(Debug, Clone)]
pub struct Simple {
    kind: Kind,
    own: Additive,
    search: Search,
    rng: Rng,
    best: (Outcome, f64),
    floor: f64,
    /// Its different offers so far, in order (MiCRO).
    mine: Vec<Outcome>,
    /// The other side's different offers so far (MiCRO).
    theirs: HashSet<Outcome>,
}

impl Simple {
    pub fn new(kind: Kind, own: Additive, seed: u64) -> Self {
        let best = own.best();
        let floor = own.reservation.max(own.worst().1);
        Simple {
            kind,
            search: Search::new(&own),
            rng: Rng::new(seed),
            own,
            best,
            floor,
            mine: Vec::new(),
            theirs: HashSet::new(),
        }
    }

    /// MiCRO's next offer: a new one a step down its ranking when the other side has moved as
    /// often as it has, else one it made before.
    fn micro(&mut self) -> Outcome {
        let Some(last) = self.mine.last() else {
            self.mine.push(self.best.0.clone());
            return self.best.0.clone();
        };
        if self.theirs.len() >= self.mine.len() {
            let u = self.own.utility(last);
            let flat: Vec<Vec<f64>> = self.own.sizes().iter().map(|&n| vec![0.0; n]).collect();
            let next = self.search.below(&self.own, &flat, u);
            if let Some(o) =
                next.filter(|o| self.own.utility(o) >= self.floor && !self.mine.contains(o))
            {
                self.mine.push(o.clone());
                return o;
            }
        }
        let k = self.rng.below(self.mine.len());
        self.mine[k].clone()
    }

    fn target(&self, t: f64, e: f64) -> f64 {
        self.floor + (self.best.1 - self.floor) * (1.0 - t.clamp(0.0, 1.0).powf(1.0 / e))
    }

    /// Some outcome at or just above `target`, chosen at random (a random taste stands in for
    /// any view of the other side).
    fn near(&mut self, target: f64) -> Outcome {
        let taste: Vec<Vec<f64>> = self
            .own
            .sizes()
            .iter()
            .map(|&n| (0..n).map(|_| self.rng.unit() as f64).collect())
            .collect();
        self.search.find(&self.own, &taste, target)
    }
}

impl Negotiate for Simple {
    fn propose(&mut self, now: Moment) -> Option<Outcome> {
        Some(match self.kind {
            Kind::TimeBased(e) => {
                let target = self.target(now.t, e);
                self.near(target)
            }
            Kind::Random => self
                .own
                .sizes()
                .iter()
                .map(|&n| self.rng.below(n) as u16)
                .collect(),
            Kind::Hardliner => self.best.0.clone(),
            Kind::Micro => self.micro(),
        })
    }

    fn respond(&mut self, offer: &[u16], now: Moment) -> Response {
        let u = self.own.utility(offer);
        let yes = match self.kind {
            // What its next offer would be worth, without drawing it.
            Kind::TimeBased(e) => u >= self.target(now.t, e) - 1e-9,
            Kind::Random => {
                let bar = self.floor + (self.best.1 - self.floor) * self.rng.unit() as f64;
                u >= bar
            }
            Kind::Hardliner => u >= self.best.1 - 1e-9,
            Kind::Micro => {
                self.theirs.insert(offer.to_vec());
                let lowest = self
                    .mine
                    .iter()
                    .map(|o| self.own.utility(o))
                    .fold(self.best.1, f64::min);
                u >= lowest - 1e-9
            }
        };
        if yes && u >= self.own.reservation {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// A generated domain: both sides' utilities over the same issues, each 0..1 (weights summing
/// to 1, every issue's values spread from 0 to 1).
#[derive(Debug, Clone)]
pub struct Domain {
    pub sides: [Additive; 2],
}

/// A random domain of `issues` issues with 2 to `values` values each. On each issue, with
/// chance `opposition`, the second side's order of the values is the first's reversed (with
/// some noise); otherwise its own random order. `reservations` are each side's, 0..1.
pub fn generate(
    seed: u64,
    issues: usize,
    values: usize,
    opposition: f64,
    reservations: [f64; 2],
) -> Domain {
    let mut rng = Rng::new(seed);
    let mut unit = || rng.unit() as f64;
    let sizes: Vec<usize> = (0..issues)
        .map(|_| 2 + (unit() * (values.max(2) - 1) as f64) as usize)
        .map(|n| n.min(values.max(2)))
        .collect();
    let spread = |xs: Vec<f64>| -> Vec<f64> {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        xs.iter().map(|x| (x - lo) / (hi - lo).max(1e-9)).collect()
    };
    let mut utils: [Vec<Vec<f64>>; 2] = [Vec::new(), Vec::new()];
    for &n in &sizes {
        let a = spread((0..n).map(|_| unit()).collect());
        let b = if unit() < opposition {
            spread(a.iter().map(|x| 1.0 - x + 0.3 * unit()).collect())
        } else {
            spread((0..n).map(|_| unit()).collect())
        };
        utils[0].push(a);
        utils[1].push(b);
    }
    let mut weights = || -> Vec<f64> {
        let w: Vec<f64> = (0..issues).map(|_| 0.05 + unit()).collect();
        let s: f64 = w.iter().sum();
        w.iter().map(|x| x / s).collect()
    };
    let wa = weights();
    let wb = weights();
    let make = |w: &[f64], u: &[Vec<f64>], r: f64| {
        Additive::new(w, u, r).expect("generated numbers are finite")
    };
    Domain {
        sides: [
            make(&wa, &utils[0], reservations[0]),
            make(&wb, &utils[1], reservations[1]),
        ],
    }
}
