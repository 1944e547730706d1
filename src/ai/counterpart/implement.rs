//! Keeping or quietly breaking this side's commitments at implementation.

use super::Counterpart;
use super::value::Ctx;
use crate::ai::{Decision, ReasonCode};
use crate::sim::PublicLevel;
use crate::sim::measures::detection;
use crate::sim::{Action, SideView};

impl Counterpart {
    /// Carry out this side's commitments, letting slide those it judges it can get away with.
    pub(super) fn implement(&mut self, v: &SideView, t: &PublicLevel, c: &Ctx) -> Decision {
        let me = v.side;
        let mut breaks = Vec::new();
        let mut note = String::new();
        let danger = ((c.danger_line - v.me.approval) / 10.0).max(0.0);
        let their_trust_low = v.trust[me.idx()] < 20.0;
        for cm in v.commitments.iter().filter(|cm| cm.by == me) {
            let Some((i, m)) = t.shared(&cm.measure) else {
                continue;
            };
            if m.burden <= 0.0 {
                continue;
            }
            let p_catch = detection(m, cm.verification);
            if self
                .style
                .cheat_risk_limit
                .is_some_and(|limit| p_catch > limit)
            {
                continue;
            }
            let hated = Self::reaction_total(v, t, &[(i, me)]) < 0.0;
            let pressure = 0.3
                + danger
                + if their_trust_low { 0.4 } else { 0.0 }
                + if hated { 0.2 } else { 0.0 };
            let temptation = self.style.deceit * (1.0 - p_catch) * pressure;
            if self.rng.chance(temptation * 0.5) {
                breaks.push(cm.id);
                if note.is_empty() {
                    note = format!(
                        "We quietly let '{}' slide; they would catch it only {:.0}% of the time.",
                        m.name,
                        p_catch * 100.0
                    );
                }
            }
        }
        let (code, reason) = if breaks.is_empty() {
            (
                ReasonCode::KeepCommitments,
                "We keep our word: every commitment is carried out.".into(),
            )
        } else {
            (ReasonCode::BreakUnlikelyCaught, note.into())
        };
        Decision {
            action: Action::Implement { side: me, breaks },
            code,
            reason,
        }
    }
}
