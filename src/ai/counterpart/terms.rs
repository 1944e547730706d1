//! The fine print of a commitment: which verification to ask for or offer, and which term.

use super::Counterpart;
use super::value::{Ctx, weighted};
use crate::sim::PublicLevel;
use crate::sim::SideView;
use crate::sim::scenario::{MeasureDef, Side, Term, Verification};

/// Faith in the other side's word below which a counterpart that trusts the first check listed
/// asks for the strongest instead (half of it gone: a second defection for the characters that
/// forgive least, a third for the dove).
pub(super) const LET_DOWN: f32 = 0.5;

impl Counterpart {
    /// The verification this side asks for (or chooses, for its own commitments);
    /// `capital_worth` is what a unit of the payer's capital could buy this side elsewhere.
    pub(super) fn pick_verification(
        &self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
        m: &MeasureDef,
        by: Side,
        capital_worth: f32,
    ) -> Option<usize> {
        let me = v.side;
        let observers = t.observers();
        let usable = |v: &Verification| !v.needs_observers || observers;
        if m.verification.is_empty() {
            return None;
        }
        let options = m.verification.iter().enumerate().filter(|(_, v)| usable(v));
        if by != me && self.style.models {
            // Verification is paid from their capital, which could otherwise buy more for us:
            // a modeller asks for a check only where the belief it adds outweighs that (a hawk,
            // which believes little without one, still asks often).
            let value = weighted(v, c.prio[m.area as usize], m, by).max(0.0) / c.span;
            let score = |o: Option<usize>| {
                value * self.credibility(v, m, o)
                    - capital_worth
                        * o.and_then(|i| m.verification.get(i))
                            .map_or(0.0, |x| x.cost)
            };
            options
                .map(|(i, _)| Some(i))
                .chain([None])
                .max_by(|a, b| score(*a).total_cmp(&score(*b)))
                .flatten()
        } else if by != me && (self.style.verify || self.conduct.belief.0 < LET_DOWN) {
            // Whoever has been let down more than once asks for the strongest check there is.
            options
                .max_by(|a, b| a.1.detection.total_cmp(&b.1.detection))
                .map(|(i, _)| i)
        } else if by != me {
            usable(&m.verification[0]).then_some(0)
        } else if self.they_verify && !self.style.logrolls {
            // They asked for checks on our promises: offer the cheapest that they would count.
            self.check_they_count(t, m)
        } else {
            options
                .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
                .map(|(i, _)| i)
        }
    }

    /// The cheapest check on a promise of this side's that a partner who asked for checks would
    /// count (or the cheapest there is).
    pub(super) fn check_they_count(&self, t: &PublicLevel, m: &MeasureDef) -> Option<usize> {
        let observers = t.observers();
        let options = m
            .verification
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.needs_observers || observers);
        options
            .clone()
            .filter(|(_, v)| v.detection >= 0.5)
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
            .or_else(|| options.min_by(|a, b| a.1.cost.total_cmp(&b.1.cost)))
            .map(|(i, _)| i)
    }

    /// The term this side wants for a commitment; `mine` when this side undertakes it.
    pub(super) fn pick_term(&self, m: &MeasureDef, mine: bool) -> Term {
        let standard = || {
            m.terms
                .iter()
                .copied()
                .find(|t| matches!(t, Term::Treaty(_)))
                .or_else(|| m.terms.first().copied())
                .unwrap_or(Term::Pledge)
        };
        if !self.style.reads_fine_print {
            return standard();
        }
        // A sharp negotiator reads the fine print: its own burdens end by themselves, the
        // other side's promises last. Rounds a term keeps a commitment in force (a pledge
        // only lapses with a fallen leader; a treaty may fail its review).
        let lasts = |t: &Term| match *t {
            Term::Sunset(n) => n as f32,
            Term::Treaty(n) => 2.0 * n as f32,
            Term::Pledge => 100.0,
        };
        let pick = if mine {
            m.terms.iter().min_by(|a, b| lasts(a).total_cmp(&lasts(b)))
        } else {
            m.terms.iter().max_by(|a, b| lasts(a).total_cmp(&lasts(b)))
        };
        pick.copied().unwrap_or_else(standard)
    }
}
