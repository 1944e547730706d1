//! One negotiating engine whose character comes from its `Style`: how fast it concedes, whether
//! it opens with gestures, mirrors, verifies, forgives, models the other side and reads its press.

mod answer;
mod events;
mod implement;
mod memory;
mod propose;
mod search;
mod signals;
mod terms;
mod value;

use super::{Decision, Negotiator, OpponentModel, ReasonCode, Style};
use crate::sim::PublicLevel;
use crate::sim::rng::Rng;
use crate::sim::scenario::{Side, Statement};
use crate::sim::{Action, Need, Offer, SideView, Stage};

/// A counterpart: an engine tuned by its style, with a memory of the other side's conduct.
pub struct Counterpart {
    pub style: Style,
    rng: Rng,
    model: OpponentModel,
    /// The last offer of theirs the model learnt from.
    last_seen: Option<u64>,
    /// The last package this side tabled.
    last_offer_key: Option<u64>,
    /// The other side's record of breaches and withdrawals.
    conduct: memory::Conduct,
    /// Defections let pass so far.
    forgiven: u32,
    /// Withdrawals owed in answer to defections.
    owed: u32,
    /// Their gestures already answered.
    gestures_answered: Vec<u32>,
    owe_gesture: bool,
    /// Aspiration added after being cheated (a hawk does not forget).
    hardened: f32,
    /// Aspiration learnt from how the other side answered: up after an accepted proposal,
    /// down after a refused one (only sharper counterparts learn this).
    probe: f32,
    /// The commitments of this side's last proposal, to see whether it was signed.
    last_proposal: Option<Vec<(usize, Side)>>,
    /// Best and first share of this side's best the other side's offers gave it (to mirror their
    /// concessions).
    their_first: Option<f32>,
    their_best: f32,
    /// Their last public message, for mirroring.
    their_statement: Option<Statement>,
    /// They have asked for real verification of this side's commitments.
    they_verify: bool,
    /// The commitments of the other side's latest offer.
    their_last: Option<Vec<(usize, Side)>>,
    /// This side's last package, if the other side did not sign it.
    refused: Option<Vec<(usize, Side)>>,
    /// (round, best share offered in it, best share offered before it).
    movement: (u32, f32, f32),
    /// Rounds in a row the other side's offers have not improved.
    stalled: u32,
    /// The catalogue's total stake for each side, and how many offers the model had seen
    /// when it was worked out (both stay put until the model learns something new).
    spans: Option<(u32, f32, f32)>,
    /// The round in which it last restated its terms on its own package.
    insisted: Option<u32>,
    /// The last decision's pool, for the next one to reuse its own scores. Only ever reached
    /// through `&mut self` (`Mutex::get_mut`, which takes no lock): the mutex only makes the
    /// counterpart shareable between threads, as every negotiator must be.
    kept: std::sync::Mutex<Option<search::Kept>>,
}

/// The (measure index, undertaker) pairs of an offer; a measure the level does not hold (which
/// the rules never let into an offer) stands as `usize::MAX`. Kept by index, not by id, so that
/// remembering an offer copies no text and comparing one compares numbers.
fn commitments_of(t: &PublicLevel, o: &Offer) -> Vec<(usize, Side)> {
    o.items
        .iter()
        .map(|it| (measure_at(t, &it.measure), it.by))
        .collect()
}

/// The index of measure `id` (`usize::MAX` if the level holds none).
fn measure_at(t: &PublicLevel, id: &str) -> usize {
    t.measure_index(id).unwrap_or(usize::MAX)
}

/// The same commitments in two offers, whatever their terms and checks.
fn same_items(items: &[crate::sim::Item], other: &[crate::sim::Item]) -> bool {
    items.len() == other.len()
        && items.iter().all(|it| {
            other
                .iter()
                .any(|o| o.measure == it.measure && o.by == it.by)
        })
}

/// The same commitments, whatever their terms and checks.
fn same_commitments(t: &PublicLevel, items: &[crate::sim::Item], other: &[(usize, Side)]) -> bool {
    items.len() == other.len()
        && items.iter().all(|it| {
            let i = measure_at(t, &it.measure);
            other.iter().any(|&(m, by)| m == i && by == it.by)
        })
}

/// A fingerprint of an offer's commitments, to spot a package tabled before.
fn offer_key(o: &Offer) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // A word at a time: a byte at a time was a long chain of multiplications each decision.
    let mut h = crate::sim::scenario::Fnv.build_hasher();
    for it in &o.items {
        h.write(it.measure.as_bytes());
        h.write_u8(it.by as u8);
    }
    h.finish()
}

impl Counterpart {
    /// A counterpart with its own generator, derived from the match seed and its side.
    pub fn new(style: Style, side: Side, seed: u64) -> Self {
        Counterpart {
            style,
            rng: Rng::new(seed ^ ((0xA1 + side.idx() as u64) * 0x9E37_79B9)),
            model: OpponentModel::default(),
            last_seen: None,
            last_offer_key: None,
            conduct: memory::Conduct::default(),
            forgiven: 0,
            owed: 0,
            gestures_answered: Vec::new(),
            owe_gesture: false,
            hardened: 0.0,
            probe: 0.0,
            last_proposal: None,
            their_first: None,
            their_best: 0.0,
            their_statement: None,
            they_verify: false,
            movement: (0, 0.0, 0.0),
            their_last: None,
            refused: None,
            stalled: 0,
            spans: None,
            insisted: None,
            kept: Default::default(),
        }
    }

    /// Note a package this side tables, to avoid repeating it and to learn from its answer.
    fn remember(&mut self, t: &PublicLevel, offer: &Offer) {
        self.last_offer_key = Some(offer_key(offer));
        self.last_proposal = Some(commitments_of(t, offer));
    }

    /// The model of the other side's priorities.
    pub fn model(&self) -> &OpponentModel {
        &self.model
    }

    /// 0..1: how far this counterpart would believe a promise of the other side on these terms
    /// now (the share of its face value it counts), after their record of conduct.
    pub fn belief_in(&self, v: &SideView, t: &PublicLevel, item: &crate::sim::Item) -> f32 {
        t.measure(&item.measure)
            .map_or(0.0, |(_, m)| self.credibility(v, m, item.verification))
    }

    /// A decision's context in talks, reusing the last decision's pool where it still holds.
    fn talks_ctx(&mut self, v: &SideView, t: &PublicLevel) -> value::Ctx {
        let slot = self
            .kept
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut kept = slot.take();
        let c = self.ctx_keeping(v, t, true, &mut kept);
        *self
            .kept
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = kept;
        c
    }

    /// Take back the pool a decision in talks was lent (see `talks_ctx`).
    fn give_back(&mut self, c: value::Ctx) {
        let kept = self
            .kept
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        search::Kept::give_back(kept, c.pool);
    }

    /// How this counterpart values an offer now: (its gain, what it hopes for, the least it
    /// accepts), all as shares of the best single package it could get now.
    pub fn evaluate(&self, v: &SideView, t: &PublicLevel, offer: &Offer) -> (f32, f32, f32) {
        let c = self.ctx(v, t, true);
        let gain = self.offer_gain(v, t, &c, offer) / c.best;
        (gain, self.want(v, &c), c.floor)
    }
}

impl Negotiator for Counterpart {
    fn decide(&mut self, v: &SideView, t: &PublicLevel) -> Decision {
        self.observe(v, t);
        let (a, b) = self.spans(v, t);
        self.spans = Some((self.model.offers_seen(), a, b));
        // The home front and the candidates are gathered only for the decisions that use them
        // (an answer to an event card needs neither).
        match (v.stage, v.needs.first().copied()) {
            (Stage::Events, Some(Need::Respond)) => self.respond(v, t),
            (Stage::Implementation, Some(Need::Implement)) => {
                let c = self.ctx(v, t, false);
                self.implement(v, t, &c)
            }
            (Stage::Negotiation, Some(Need::Answer)) => {
                let c = self.talks_ctx(v, t);
                let d = match self.retaliate(v, t, &c) {
                    Some(d) => d,
                    None => {
                        let (_, offer) = v.pending.as_ref().expect("an answer needs an offer");
                        self.answer(v, t, &c, offer)
                    }
                };
                self.give_back(c);
                d
            }
            (Stage::Negotiation, Some(Need::Propose)) => {
                let c = self.talks_ctx(v, t);
                let d = match self.retaliate(v, t, &c) {
                    Some(d) => d,
                    None => self.propose(v, t, &c),
                };
                self.give_back(c);
                d
            }
            _ => Decision {
                action: Action::EndTalks { side: v.side },
                code: ReasonCode::NothingAsked,
                reason: "Nothing is asked of us now.".into(),
            },
        }
    }

    fn beliefs(&self) -> Option<[f32; 7]> {
        Some(self.model.weights())
    }
    fn insight(&self) -> Option<crate::ai::Insight> {
        Some(crate::ai::Insight {
            believed: self.model.weights(),
            ranking: self.model.ranking(),
            acts_on_it: self.style.models,
            offers_seen: self.model.offers_seen(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::{AiDef, Difficulty, Personality};

    #[test]
    fn rounds_without_movement_are_counted_and_movement_resets_them() {
        let style = Style::new(Personality::Pragmatist, Difficulty::Hard, &AiDef::default());
        let mut c = Counterpart::new(style, Side::B, 1);
        c.track_movement(2, 0.30);
        c.track_movement(2, 0.35);
        // Round 2 was the first offer seen: that is movement.
        c.track_movement(3, 0.34);
        assert_eq!(c.stalled, 0);
        // Round 3 (0.34) gave no more than round 2's 0.35.
        c.track_movement(4, 0.36);
        assert_eq!(c.stalled, 1);
        // Round 4's 0.36 is within the 0.02 that counts as standing still.
        c.track_movement(5, 0.60);
        assert_eq!(c.stalled, 2);
        // Round 5 moved clearly.
        c.track_movement(6, 0.10);
        assert_eq!(c.stalled, 0);
    }

    #[test]
    fn a_hard_hawk_comes_down_only_when_the_other_side_stands_still() {
        let hawk = |d| {
            Counterpart::new(
                Style::new(Personality::Hawk, d, &AiDef::default()),
                Side::B,
                1,
            )
        };
        let mut hard = hawk(Difficulty::Hard);
        assert_eq!(hard.stall_yield(), 1.0);
        hard.stalled = 2;
        assert!((hard.stall_yield() - 0.5).abs() < 1e-6);
        hard.stalled = 10;
        assert!((hard.stall_yield() - 0.4).abs() < 1e-6, "never below 40%");
        let mut normal = hawk(Difficulty::Normal);
        normal.stalled = 3;
        assert_eq!(
            normal.stall_yield(),
            1.0,
            "only the hard hawk reads a standstill so"
        );
    }
}
