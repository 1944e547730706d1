//! A bargaining core over any outcome space of discrete issues with additive utilities: an
//! aspiration that falls with time (Boulware or Conceder by character), a search for the offer
//! that meets it and gives the other side most as far as a model of them tells, a frequency model
//! learnt from their offers, and acceptance (the offer is at least what we would propose next, or
//! the deadline is upon us and it beats the reservation). It knows nothing of the game's levels:
//! `detente agent` puts it behind a line-delimited JSON protocol ([`wire`]), and the game's
//! counterparts may one day sit on it.

pub mod baseline;
mod model;
mod search;
pub mod wire;

pub use model::FrequencyModel;
pub use search::Search;

use crate::sim::rng::Rng;
use crate::sim::{Difficulty, Personality};
use std::collections::HashSet;

/// One outcome: the index of the chosen value of each issue, in issue order.
pub type Outcome = Vec<u16>;

/// Most values one issue may have (an outcome stores value indices as `u16`).
pub const MAX_VALUES: usize = u16::MAX as usize;

/// An additive utility: the sum over issues of a weighted value utility, and the worth of no
/// agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Additive {
    /// `table[i][v]`: weight of issue `i` times the utility of its value `v`.
    pub table: Vec<Vec<f64>>,
    /// What no agreement is worth, on the same scale.
    pub reservation: f64,
}

impl Additive {
    /// Weights and value utilities per issue; every issue needs at least one value and every
    /// number must be finite.
    pub fn new(weights: &[f64], values: &[Vec<f64>], reservation: f64) -> Result<Self, String> {
        if weights.len() != values.len() {
            return Err(format!(
                "{} weights for {} issues",
                weights.len(),
                values.len()
            ));
        }
        if values.is_empty() {
            return Err("no issues".into());
        }
        if !reservation.is_finite() {
            return Err("the reservation value is not a finite number".into());
        }
        let mut table = Vec::with_capacity(values.len());
        for (i, (w, vs)) in weights.iter().zip(values).enumerate() {
            if vs.is_empty() || vs.len() > MAX_VALUES {
                return Err(format!(
                    "issue {i} has {} values (1 to {MAX_VALUES})",
                    vs.len()
                ));
            }
            if !w.is_finite() || vs.iter().any(|v| !v.is_finite()) {
                return Err(format!("issue {i} has a number that is not finite"));
            }
            table.push(vs.iter().map(|v| w * v).collect());
        }
        Ok(Additive { table, reservation })
    }

    /// Number of values of each issue.
    pub fn sizes(&self) -> Vec<usize> {
        self.table.iter().map(Vec::len).collect()
    }

    /// Utility of an outcome (which must have a valid value for every issue).
    pub fn utility(&self, o: &[u16]) -> f64 {
        self.table.iter().zip(o).map(|(t, &v)| t[v as usize]).sum()
    }

    /// Whether `o` names a value of every issue.
    pub fn fits(&self, o: &[u16]) -> bool {
        o.len() == self.table.len()
            && self
                .table
                .iter()
                .zip(o)
                .all(|(t, &v)| (v as usize) < t.len())
    }

    /// The outcome worth most, and its utility.
    pub fn best(&self) -> (Outcome, f64) {
        self.extreme(|a, b| a > b)
    }

    /// The outcome worth least, and its utility.
    pub fn worst(&self) -> (Outcome, f64) {
        self.extreme(|a, b| a < b)
    }

    fn extreme(&self, better: impl Fn(f64, f64) -> bool) -> (Outcome, f64) {
        let mut o = Vec::with_capacity(self.table.len());
        let mut u = 0.0;
        for t in &self.table {
            let mut k = 0;
            for (v, &x) in t.iter().enumerate() {
                if better(x, t[k]) {
                    k = v;
                }
            }
            o.push(k as u16);
            u += t[k];
        }
        (o, u)
    }

    /// Number of outcomes (saturating).
    pub fn outcomes(&self) -> u64 {
        self.table
            .iter()
            .fold(1u64, |n, t| n.saturating_mul(t.len() as u64))
    }
}

/// A character's way of bargaining, settled once from personality and difficulty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stance {
    /// Exponent `e` of the concession curve `1 - t^(1/e)`: below 1 concedes late (Boulware),
    /// above 1 early (Conceder).
    pub exponent: f64,
    /// Share of the room above the reservation the opening asks for.
    pub opening: f64,
    /// How far it mirrors the other side's concessions (0: not at all; 1: in full).
    pub mirror: f64,
    /// Whether it picks, among offers that meet its aspiration, the one its model says gives
    /// the other side most (otherwise any such offer, at random).
    pub models: bool,
    /// Random wobble of the aspiration, as a share of the room above the reservation.
    pub noise: f64,
    /// Share of the room kept until the last turns: the curve falls only to here before them.
    pub hold: f64,
}

impl Stance {
    /// The stance of a personality at a difficulty.
    pub fn new(p: Personality, d: Difficulty) -> Self {
        let (exponent, mirror, hold) = match p {
            Personality::Hawk => (0.03, 0.0, 0.4),
            Personality::Pragmatist => (0.05, 0.0, 0.3),
            Personality::Reciprocator => (0.25, 1.0, 0.2),
            Personality::Dove => (1.5, 0.0, 0.0),
        };
        match d {
            Difficulty::Easy => Stance {
                exponent: exponent * 3.0,
                opening: 0.85,
                mirror,
                models: false,
                noise: 0.05,
                hold: 0.0,
            },
            Difficulty::Normal => Stance {
                exponent: exponent * 1.5,
                opening: 0.95,
                mirror,
                models: true,
                noise: 0.0,
                hold: hold / 2.0,
            },
            Difficulty::Hard => Stance {
                exponent,
                opening: 1.0,
                mirror,
                models: true,
                noise: 0.0,
                hold,
            },
        }
    }
}

/// Where the talks stand in time when a move is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// Share of the time gone, 0..1.
    pub t: f64,
    /// Turns left before the deadline, this one included, when the deadline is counted in
    /// turns; otherwise the bargainer guesses from the pace so far.
    pub turns_left: Option<u32>,
}

/// An answer to the other side's offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    Accept,
    Reject,
    /// Walk away: no agreement left could beat the reservation.
    End,
}

/// Turns at the end in which the bargainer offers back the best the other side has offered (or,
/// when nothing they offered beats its reservation, concedes down to it): its last offer that
/// can still be answered falls in them whichever side moves on which turns.
const LAST_TURNS: f64 = 3.0;

/// Turns left at which nothing it offers could be answered: it takes anything above its
/// reservation.
const LAST_WORD: f64 = 1.0;

/// One negotiator over an additive outcome space.
#[derive(Debug, Clone)]
pub struct Bargainer {
    pub own: Additive,
    pub stance: Stance,
    search: Search,
    model: FrequencyModel,
    rng: Rng,
    max: f64,
    /// Floor of the curve: the reservation, or the worst outcome when that is higher.
    floor: f64,
    /// The other side's offers: (time, our utility).
    received: Vec<(f64, f64)>,
    /// Their offer worth most to us so far.
    best_received: Option<(Outcome, f64)>,
    /// Times of our own moves, to guess how many turns a time-based deadline leaves.
    turns: Vec<f64>,
    /// The lowest aspiration reached: the curve never climbs back.
    low: f64,
    /// Every outcome it has offered: a new one that meets the aspiration is preferred to a
    /// repeat, which tells the other side more of what we value and shows movement to those
    /// who concede only as the other side does.
    offered: HashSet<Outcome>,
}

impl Bargainer {
    /// A bargainer with utility `own` and a character; `seed` drives its random choices.
    pub fn new(own: Additive, stance: Stance, seed: u64) -> Self {
        let (_, max) = own.best();
        let (_, min) = own.worst();
        let floor = own.reservation.max(min);
        let model = FrequencyModel::new(&own.sizes());
        Bargainer {
            search: Search::new(&own),
            model,
            rng: Rng::new(seed),
            max,
            floor,
            received: Vec::new(),
            best_received: None,
            turns: Vec::new(),
            low: f64::INFINITY,
            offered: HashSet::new(),
            own,
            stance,
        }
    }

    /// The model of the other side learnt so far.
    pub fn model(&self) -> &FrequencyModel {
        &self.model
    }

    /// Whether some agreement would beat no agreement.
    pub fn can_gain(&self) -> bool {
        self.max > self.own.reservation + 1e-9
    }

    /// The utility it aims for at `now` (0..1 of time), before the last turns; never rises.
    pub fn aspiration(&mut self, now: Moment) -> f64 {
        let s = self.stance;
        let room = (self.max - self.floor).max(0.0);
        let t = now.t.clamp(0.0, 1.0);
        let mut give = 1.0 - s.opening + s.opening * t.powf(1.0 / s.exponent.max(1e-3));
        if s.mirror > 0.0 {
            give = give.min(s.mirror * self.their_concession() + 1.0 - s.opening);
            // The deadline still binds a reciprocator: it never holds out past a Boulware curve.
            give = give.max(t.powf(10.0));
        }
        if self.last_turns(now) {
            // The last offers that can still be answered: down to the reservation if need be.
            give = 1.0;
        } else {
            give = give.min(1.0 - s.hold);
        }
        if s.noise > 0.0 {
            give += s.noise * (self.rng.unit() as f64 - 0.5);
        }
        let a = self.floor + room * (1.0 - give.clamp(0.0, 1.0));
        self.low = self.low.min(a);
        self.low
    }

    /// How far the other side has moved toward us: the best of their offers over their first,
    /// as a share of our room above the reservation.
    fn their_concession(&self) -> f64 {
        let (Some(first), Some((_, best))) = (self.received.first(), &self.best_received) else {
            return 0.0;
        };
        let room = (self.max - self.floor).max(1e-9);
        ((best - first.1) / room).clamp(0.0, 1.0)
    }

    /// Whether the deadline is within the last turns (twice as many when they are guessed from
    /// the pace, which may change).
    fn last_turns(&self, now: Moment) -> bool {
        let margin = if now.turns_left.is_some() { 1.0 } else { 2.0 };
        self.turns_left(now) <= LAST_TURNS * margin
    }

    fn turns_left(&self, now: Moment) -> f64 {
        if let Some(n) = now.turns_left {
            return n as f64;
        }
        // Without a count of turns, guess from the pace of our own past moves.
        let n = self.turns.len();
        if n < 2 {
            return f64::INFINITY;
        }
        let pace = (self.turns[n - 1] - self.turns[0]) / (n - 1) as f64;
        if pace <= 0.0 {
            return f64::INFINITY;
        }
        (1.0 - now.t).max(0.0) / pace
    }

    /// Our offer at `now`; `None` to walk away (no agreement could beat the reservation).
    pub fn propose(&mut self, now: Moment) -> Option<Outcome> {
        if !self.can_gain() {
            return None;
        }
        let o = self.plan(now);
        self.turns.push(now.t);
        self.offered.insert(o.clone());
        Some(o)
    }

    /// What we would offer at `now`, without recording it as a move.
    fn plan(&mut self, now: Moment) -> Outcome {
        let target = self.aspiration(now);
        // What they offered already they will most likely sign: never ask for less.
        if let Some((o, u)) = &self.best_received
            && (*u >= target || (self.last_turns(now) && *u >= self.own.reservation))
        {
            return o.clone();
        }
        let opp = if self.stance.models {
            self.model.table()
        } else {
            // No model: a random taste in place of theirs picks some offer that meets the aim.
            self.model
                .sizes()
                .iter()
                .map(|&n| (0..n).map(|_| self.rng.unit() as f64).collect())
                .collect()
        };
        let offered = &self.offered;
        self.search
            .find_fresh(&self.own, &opp, target, &|o| offered.contains(o))
    }

    /// Answer the other side's offer at `now` (it is also learnt from).
    pub fn respond(&mut self, offer: &[u16], now: Moment) -> Response {
        if !self.can_gain() {
            return Response::End;
        }
        let u = self.own.utility(offer);
        self.observe(offer, u, now.t);
        if u < self.own.reservation {
            return Response::Reject;
        }
        let margin = if now.turns_left.is_some() { 1.0 } else { 2.0 };
        // Nothing later could be answered: anything above the reservation beats no agreement.
        if self.turns_left(now) <= LAST_WORD * margin {
            return Response::Accept;
        }
        // At least what it would offer next; before the last turns that offer may be a fresh
        // one above the aspiration, so the aspiration itself is enough.
        let target = self.aspiration(now);
        let next = self.plan(now);
        let mut bar = self.own.utility(&next);
        if !self.last_turns(now) {
            bar = bar.min(target);
        }
        if u >= bar - 1e-9 {
            return Response::Accept;
        }
        Response::Reject
    }

    fn observe(&mut self, offer: &[u16], u: f64, t: f64) {
        self.model.observe(offer, t);
        self.received.push((t, u));
        if self.best_received.as_ref().is_none_or(|(_, b)| u > *b) {
            self.best_received = Some((offer.to_vec(), u));
        }
    }

    /// The best of the other side's offers so far, to us.
    pub fn best_received(&self) -> Option<&(Outcome, f64)> {
        self.best_received.as_ref()
    }
}

/// Anything that can bargain over an outcome space by alternating offers.
pub trait Negotiate {
    /// An offer at `now`; `None` walks away.
    fn propose(&mut self, now: Moment) -> Option<Outcome>;
    /// An answer to the other side's offer at `now`.
    fn respond(&mut self, offer: &[u16], now: Moment) -> Response;
}

impl Negotiate for Bargainer {
    fn propose(&mut self, now: Moment) -> Option<Outcome> {
        Bargainer::propose(self, now)
    }
    fn respond(&mut self, offer: &[u16], now: Moment) -> Response {
        Bargainer::respond(self, offer, now)
    }
}

/// How a session of alternating offers ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Ending {
    /// The outcome agreed, if any.
    pub agreement: Option<Outcome>,
    /// The turn it ended on (the deadline when time ran out).
    pub turn: u32,
    /// Whether a side walked away.
    pub walked: bool,
}

/// Alternating offers for at most `deadline` turns, `first` opening: each turn after the first,
/// the side to move answers the offer on the table and, refusing it, makes its own.
pub fn alternate(first: &mut dyn Negotiate, second: &mut dyn Negotiate, deadline: u32) -> Ending {
    let mut sides: [&mut dyn Negotiate; 2] = [first, second];
    let mut table: Option<Outcome> = None;
    for turn in 0..deadline {
        let now = Moment {
            t: turn as f64 / deadline as f64,
            turns_left: Some(deadline - turn),
        };
        let me = &mut sides[(turn % 2) as usize];
        if let Some(offer) = &table {
            match me.respond(offer, now) {
                Response::Accept => {
                    return Ending {
                        agreement: table,
                        turn,
                        walked: false,
                    };
                }
                Response::End => {
                    return Ending {
                        agreement: None,
                        turn,
                        walked: true,
                    };
                }
                Response::Reject => {}
            }
        }
        match me.propose(now) {
            Some(o) => table = Some(o),
            None => {
                return Ending {
                    agreement: None,
                    turn,
                    walked: true,
                };
            }
        }
    }
    Ending {
        agreement: None,
        turn: deadline,
        walked: false,
    }
}

#[cfg(test)]
mod tests;
