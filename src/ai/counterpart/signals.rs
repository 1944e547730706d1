//! Public signals: the statement that goes with a package, and unilateral gestures.

use super::value::{Ctx, own_utility};
use super::{Counterpart, same_commitments, same_items};
use crate::ai::{Decision, ReasonCode};
use crate::sim::PublicLevel;
use crate::sim::measures::item_cost;
use crate::sim::politics::statement_effects;
use crate::sim::scenario::{MeasureDef, Personality, Statement};
use crate::sim::{Action, Item, SideView};

/// What a counterpart reads from the table before it speaks.
struct Occasion {
    /// A defection of theirs was seen last round or this one.
    wronged: bool,
    /// A breach of this side's own was caught last round or this one.
    at_fault: bool,
    /// Their commitments have been carried out for a season or more since any defection.
    kept: bool,
    /// The package is one they tabled themselves or the mediator's: a deal is in sight, so a
    /// milestone announced with it is unlikely to ring hollow.
    likely: bool,
    /// The package asks something of this side.
    gives: bool,
    /// 0..1: how close tension is to the clash line, as this counterpart weighs it.
    peril: f32,
    /// Tension is high, though perhaps not yet perilous.
    tense: bool,
    /// A hawkish faction at home is unhappy.
    hawks_restless: bool,
    /// The other side's trust in this one, 0..100.
    their_trust: f32,
}

/// Tension within this distance of the clash line is high enough for a hawk to answer with
/// warnings.
const TENSE_MARGIN: f32 = 35.0;

/// Approval below which a hawkish faction is restless.
const RESTLESS: f32 = 45.0;

/// The other side's trust below which a dove acknowledges past harm.
const DOVE_AMENDS_BELOW: f32 = 25.0;

impl Counterpart {
    /// The occasion for a statement with a package of these items.
    fn occasion(&self, v: &SideView, t: &PublicLevel, items: &[Item]) -> Occasion {
        let fresh = |r: Option<u32>| r.is_some_and(|r| v.round <= r + 1);
        let theirs_in_force = v.commitments.iter().any(|c| c.by != v.side);
        let bridge = v
            .bridge
            .as_ref()
            .is_some_and(|b| same_items(items, &b.items));
        Occasion {
            wronged: fresh(self.conduct.last.as_ref().map(|(r, _)| *r)),
            at_fault: fresh(self.conduct.our_breach),
            kept: theirs_in_force && self.conduct.clean >= 1,
            likely: bridge
                || self
                    .their_last
                    .as_ref()
                    .is_some_and(|l| same_commitments(t, items, l)),
            gives: items.iter().any(|i| i.by == v.side),
            peril: self.peril(v, t),
            tense: v.tension >= t.clash_at() - TENSE_MARGIN,
            hawks_restless: v
                .private
                .factions
                .iter()
                .zip(&v.me.factions)
                .any(|(f, pf)| f.hawkish > 0.3 && pf.approval < RESTLESS),
            their_trust: v.trust[v.side.other().idx()],
        }
    }

    /// The public message that goes with a package of these items, chosen by the occasion in
    /// the personality's own voice (the voices differ in kind, not degree, so they stay rules
    /// rather than settings).
    pub(super) fn statement(&self, v: &SideView, t: &PublicLevel, items: &[Item]) -> Statement {
        let o = self.occasion(v, t, items);
        match self.style.personality {
            // Deterrence: a breach calls for a warning, and so, while tension is low enough to
            // afford one, does a warning of theirs; a careful hawk steps back from the brink.
            // (Warning whenever tension ran high, with every bare demand, or whenever its hawks
            // were restless, drove two hard hawks on the Grey Line from a stability of 84 to
            // 42-77.)
            Personality::Hawk => {
                if o.wronged {
                    Statement::Warn
                } else if o.peril > 0.0 {
                    Statement::Reassure
                } else if o.likely {
                    Statement::Milestone
                } else if self.their_statement == Some(Statement::Warn) && !o.tense {
                    Statement::Warn
                } else if o.gives {
                    Statement::SharedInterest
                } else {
                    Statement::Reassure
                }
            }
            // Amends early, after its own breach and while it is distrusted; calm under
            // pressure, even when wronged; warm when their word is kept.
            Personality::Dove => {
                if o.at_fault || v.round <= 2 || o.their_trust < DOVE_AMENDS_BELOW {
                    Statement::AcknowledgeHarm
                } else if o.likely {
                    Statement::Milestone
                } else if o.wronged || o.peril > 0.0 || o.tense {
                    Statement::Reassure
                } else {
                    Statement::SharedInterest
                }
            }
            // Word for word, after deed for deed: a breach is met with a warning, its own
            // caught breach with amends, their kept word with an appeal to what both gain.
            Personality::Reciprocator => {
                if o.wronged {
                    Statement::Warn
                } else if o.at_fault {
                    Statement::AcknowledgeHarm
                } else if o.likely {
                    Statement::Milestone
                } else {
                    match self.their_statement {
                        Some(Statement::Warn) if o.peril > 0.0 => Statement::Reassure,
                        Some(Statement::Warn) => Statement::Warn,
                        Some(Statement::AcknowledgeHarm) => Statement::AcknowledgeHarm,
                        Some(Statement::SharedInterest | Statement::Milestone) => {
                            Statement::SharedInterest
                        }
                        _ if o.kept => Statement::SharedInterest,
                        _ => Statement::Reassure,
                    }
                }
            }
            Personality::Pragmatist => self.weighed_statement(v, &o),
        }
    }

    /// The pragmatist's statement: the one whose effects serve it best now. Their trust counts
    /// for more the lower it is, calm for more near the clash line, its home front for more the
    /// closer its leader is to falling; a fresh breach of theirs calls for a warning, not
    /// amends, and its own caught breach for amends.
    fn weighed_statement(&self, v: &SideView, o: &Occasion) -> Statement {
        let trust_w = ((60.0 - o.their_trust) / 30.0).clamp(0.1, 1.5);
        let calm_w = 0.2 + 2.0 * o.peril;
        let danger_line = v.private.ouster_below + 12.0;
        let home_w = 0.4 + 1.6 * ((danger_line + 10.0 - v.me.approval) / 20.0).clamp(0.0, 1.0);
        let (weight, hawkish) = v.private.factions.iter().fold((0.0, 0.0), |(w, h), f| {
            (w + f.weight, h + f.weight * f.hawkish)
        });
        let hawkish = hawkish / f32::max(weight, 1e-6) * if o.hawks_restless { 2.0 } else { 1.0 };
        let score = |st: Statement| {
            let (trust, tension, all, hawks) = statement_effects(st, o.likely);
            let mut s = trust_w * trust - calm_w * tension + home_w * (all + hawks * hawkish);
            if o.wronged && st == Statement::Warn {
                s += 2.0;
            }
            if o.at_fault && st == Statement::AcknowledgeHarm {
                s += 2.0;
            }
            s
        };
        Statement::ALL
            .into_iter()
            .filter(|&st| st != Statement::Milestone || o.likely)
            .filter(|&st| st != Statement::AcknowledgeHarm || !o.wronged)
            .max_by(|a, b| score(*a).total_cmp(&score(*b)))
            .unwrap_or(Statement::Reassure)
    }

    /// A unilateral gesture, if this style makes one now (to open, or to answer theirs).
    pub(super) fn gesture(&mut self, v: &SideView, t: &PublicLevel, c: &Ctx) -> Option<Decision> {
        if !self.style.gestures || v.private.gesture_used {
            return None;
        }
        let their_trust = v.trust[v.side.other().idx()];
        let answering = self.owe_gesture;
        let opening = (self.style.gesture_first_round && v.round == 1)
            || self
                .style
                .gesture_when_distrusted_until
                .is_some_and(|last| v.round <= last && their_trust < 30.0);
        if !(answering || opening) {
            return None;
        }
        let pick = v
            .available
            .iter()
            .filter(|(_, by)| *by == v.side)
            .filter_map(|(id, _)| t.shared(id))
            .filter(|(_, m)| m.gesture && item_cost(m, None) <= v.private.capital)
            .filter(|(i, _)| {
                let d = Self::reactions(v, t, &[(*i, v.side)]);
                c.pool.support(&d) >= v.private.ratify_at && Self::endangered_by(v, c, &d).is_none()
            })
            .max_by(|a, b| {
                let w = |m: &MeasureDef| {
                    own_utility(v, m, v.side) / c.span
                        + self.model.utility(m, v.side, v.side) / c.their_span
                };
                w(a.1).total_cmp(&w(b.1))
            })?;
        self.owe_gesture = false;
        let m = pick.1;
        let (code, reason) = if answering {
            (
                ReasonCode::AnswerInKind,
                format!("They made a gesture; we answer in kind with '{}'.", m.name),
            )
        } else {
            (
                ReasonCode::OpeningGesture,
                format!(
                    "A small first step: '{}' shows good faith and asks nothing back.",
                    m.name
                ),
            )
        };
        Some(Decision {
            action: Action::Gesture {
                side: v.side,
                measure: m.id.clone(),
                verification: None,
            },
            code,
            reason: reason.into(),
        })
    }
}
