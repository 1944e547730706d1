//! Public signals: the statement that goes with a package, and unilateral gestures.

use super::Counterpart;
use super::value::{Ctx, own_utility};
use crate::ai::{Decision, ReasonCode};
use crate::sim::PublicLevel;
use crate::sim::measures::item_cost;
use crate::sim::scenario::{MeasureDef, Personality, Statement};
use crate::sim::{Action, Item, SideView};

impl Counterpart {
    /// The public message that goes with a package of these items, in the personality's own
    /// voice (the voices differ in kind, not degree, so they stay rules rather than settings).
    pub(super) fn statement(&self, v: &SideView, items: &[Item]) -> Statement {
        let my_trust = v.trust[v.side.idx()];
        let their_trust = v.trust[v.side.other().idx()];
        let cheated = self
            .conduct
            .last
            .as_ref()
            .is_some_and(|(r, _)| v.round <= r + 1);
        let gives = items.iter().any(|i| i.by == v.side);
        match self.style.personality {
            Personality::Hawk => {
                if cheated {
                    Statement::Warn
                } else if gives {
                    Statement::SharedInterest
                } else {
                    Statement::Reassure
                }
            }
            Personality::Dove => {
                if v.round <= 2 || their_trust < 25.0 {
                    Statement::AcknowledgeHarm
                } else if gives {
                    Statement::SharedInterest
                } else {
                    Statement::Reassure
                }
            }
            Personality::Reciprocator => match self.their_statement {
                Some(Statement::Warn) => Statement::Warn,
                Some(Statement::AcknowledgeHarm) => Statement::AcknowledgeHarm,
                Some(s) if s != Statement::Milestone => s,
                _ => Statement::Reassure,
            },
            Personality::Pragmatist => {
                let hawks_ok = v
                    .private
                    .factions
                    .iter()
                    .zip(&v.me.factions)
                    .filter(|(f, _)| f.hawkish > 0.3)
                    .all(|(_, pf)| pf.approval > 45.0);
                if their_trust < 30.0 && hawks_ok {
                    Statement::AcknowledgeHarm
                } else if my_trust < 35.0 {
                    Statement::Reassure
                } else {
                    Statement::SharedInterest
                }
            }
        }
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
                let d = Self::reactions(v, t, c, &[(*i, v.side)]);
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
            reason,
        })
    }
}
