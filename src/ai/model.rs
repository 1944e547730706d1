//! What a counterpart infers about the other side's private priorities from its offers.

use crate::sim::Offer;
use crate::sim::PublicLevel;
use crate::sim::scenario::{Area, MeasureDef, Side};

/// A frequency model over areas: what the other side asks for, it values; what it gives
/// readily, it values less.
#[derive(Debug, Clone, PartialEq)]
pub struct OpponentModel {
    asked: [f32; 7],
    given: [f32; 7],
    offers: u32,
    cached: [f32; 7],
    /// Whether the public catalogue has been read (`prime`).
    primed: bool,
    /// Asks read from the public catalogue, per area, before fading.
    prior: [f32; 7],
}

/// Counts of asks per unit of value of a commitment only the modeller can make.
const PRIOR_WEIGHT: f32 = 2.0;
/// After this many of their offers the catalogue's hint counts half.
const PRIOR_FADE: f32 = 10.0;

impl Default for OpponentModel {
    fn default() -> Self {
        OpponentModel {
            asked: [3.0; 7],
            given: [3.0; 7],
            offers: 0,
            cached: [1.0 / 7.0; 7],
            primed: false,
            prior: [0.0; 7],
        }
    }
}

fn area_idx(a: Area) -> usize {
    a as usize
}

impl OpponentModel {
    /// Read the public catalogue once, before any offer: a commitment that only `me` can make
    /// is there for them, so the level's design says they value its area. Per area, the value
    /// of what only `me` can give, less the burden of what only they can give, counts twice as
    /// asks, fading as their own offers come in.
    pub fn prime(&mut self, me: Side, t: &PublicLevel) {
        if self.primed {
            return;
        }
        self.primed = true;
        let mut hint = [0.0f32; 7];
        for m in t.measures() {
            match (m.by.allows(me), m.by.allows(me.other())) {
                (true, false) => hint[area_idx(m.area)] += m.value,
                // An area where they alone give something too is not one they only receive.
                (false, true) => hint[area_idx(m.area)] -= m.burden,
                _ => {}
            }
        }
        self.prior = hint.map(|h| PRIOR_WEIGHT * h.max(0.0));
        self.cached = self.compute();
    }

    /// Learn from an offer the other side made to `me`.
    pub fn observe(&mut self, offer: &Offer, me: Side, t: &PublicLevel) {
        self.offers += 1;
        for it in &offer.items {
            if let Some((_, m)) = t.measure(&it.measure) {
                let a = area_idx(m.area);
                if it.by == me {
                    self.asked[a] += 1.0 + m.value * 0.2;
                } else {
                    self.given[a] += 1.0 + m.burden * 0.2;
                }
            }
        }
        self.cached = self.compute();
    }

    /// How many of the other side's offers the model has learnt from.
    pub fn offers_seen(&self) -> u32 {
        self.offers
    }

    /// Estimated priority weights of the other side, summing to 1.
    pub fn weights(&self) -> [f32; 7] {
        self.cached
    }

    fn compute(&self) -> [f32; 7] {
        // Damped counts: raw frequencies made the model far more certain than a few offers
        // warrant (its error against the true weights was worse than a uniform guess).
        // The catalogue's hint weighs half as much after ten of their offers.
        let fade = PRIOR_FADE / (PRIOR_FADE + self.offers as f32);
        let w: [f32; 7] = std::array::from_fn(|i| {
            (self.asked[i] + self.prior[i] * fade).sqrt() / self.given[i].powf(0.25)
        });
        let total: f32 = w.iter().sum::<f32>().max(1e-6);
        w.map(|x| x / total)
    }

    /// Estimated utility to the other side of a commitment, on their weights' scale.
    pub fn utility(&self, m: &MeasureDef, by: Side, me: Side) -> f32 {
        let w = self.weights()[area_idx(m.area)];
        if by == me { w * m.value } else { -w * m.burden }
    }

    /// Areas ranked by estimated importance to the other side, highest first.
    pub fn ranking(&self) -> Vec<Area> {
        let w = self.weights();
        let mut v: Vec<Area> = Area::ALL.to_vec();
        v.sort_by(|a, b| w[area_idx(*b)].total_cmp(&w[area_idx(*a)]));
        v
    }
}
