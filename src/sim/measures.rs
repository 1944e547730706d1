//! Measures: checking a commitment against the catalogue, and applying effects.

use super::action::{ActionError, Item};
use super::scenario::{Effects, MeasureDef, Side};
use super::state::{Match, clamp100};
pub use super::tuning::SELF_REPORT_DETECTION;

/// Political capital a commitment costs its undertaker when signed.
pub fn item_cost(m: &MeasureDef, verification: Option<usize>) -> f32 {
    m.cost
        + verification
            .and_then(|v| m.verification.get(v))
            .map_or(0.0, |v| v.cost)
}

/// Chance a breach of this commitment is caught in a round.
pub fn detection(m: &MeasureDef, verification: Option<usize>) -> f32 {
    verification
        .and_then(|v| m.verification.get(v))
        .map_or(SELF_REPORT_DETECTION, |v| v.detection.clamp(0.0, 1.0))
}

/// Name of the verification chosen.
pub fn verification_name(m: &MeasureDef, verification: Option<usize>) -> String {
    verification
        .and_then(|v| m.verification.get(v))
        .map_or_else(|| "self-report".to_string(), |v| v.name.clone())
}

impl Match {
    /// Check one commitment; `package` holds the other commitments signed with it,
    /// which count for prerequisites.
    pub fn check_item(&self, item: &Item, package: &[Item]) -> Result<usize, ActionError> {
        super::rules::check_item(self, item, package)
    }

    /// Whether every prerequisite of measure `i` holds now (nothing counted from a package).
    pub fn prerequisites_met(&self, i: usize) -> bool {
        self.prerequisites_met_by(i, |m| self.in_force(m))
    }

    /// The same check, with `in_force` telling whether a measure is in force.
    pub(crate) fn prerequisites_met_by(&self, i: usize, in_force: impl Fn(usize) -> bool) -> bool {
        super::rules::prerequisites_met_by(self, i, in_force)
    }

    /// Apply effects seen from `actor`'s side, scaled.
    pub(crate) fn apply_effects(&mut self, actor: Side, e: &Effects, scale: f32) {
        let other = actor.other();
        self.tension = clamp100(self.tension + e.tension * scale);
        self.trust[other.idx()] = clamp100(self.trust[other.idx()] + e.trust * scale);
        self.trust[actor.idx()] = clamp100(self.trust[actor.idx()] + e.own_trust * scale);
        // The level and the sides are borrowed apart (a copy of the level's handle would cost
        // two atomic operations, at every effect).
        let sc = &*self.scenario;
        let cap = sc.side(actor).max_capital;
        let hawks = sc.side(actor).factions.iter().map(|f| f.hawkish);
        let s = &mut self.sides[actor.idx()];
        s.economy = clamp100(s.economy + e.economy * scale);
        s.security = clamp100(s.security + e.security * scale);
        s.capital = (s.capital + e.capital * scale).clamp(0.0, cap);
        for (a, h) in s.approval.iter_mut().zip(hawks) {
            *a = clamp100(*a + (e.approval + e.hawks * h) * scale);
        }
        let o = self.side_mut(other);
        o.economy = clamp100(o.economy + e.other_economy * scale);
        o.security = clamp100(o.security + e.other_security * scale);
    }
}
