//! Answering an event card.

use super::Counterpart;
use crate::ai::{Decision, ReasonCode};
use crate::sim::PublicLevel;
use crate::sim::scenario::ResponseDef;
use crate::sim::{Action, SideView};

impl Counterpart {
    /// Choose an answer to the event card in view.
    pub(super) fn respond(&mut self, v: &SideView, t: &PublicLevel) -> Decision {
        let ev = v.event.as_ref().expect("asked to respond without an event");
        let def = t
            .events()
            .iter()
            .find(|e| e.id == ev.card)
            .expect("event in catalogue");
        let hawkish: f32 = v
            .private
            .factions
            .iter()
            .map(|f| f.hawkish * f.weight)
            .sum::<f32>()
            / v.private
                .factions
                .iter()
                .map(|f| f.weight)
                .sum::<f32>()
                .max(1e-6);
        let lean = if self.conduct.defections() > self.forgiven {
            self.style.lean_wronged
        } else {
            self.style.lean
        };
        let peril = self.peril(v, t);
        let score = |r: &ResponseDef| {
            let e = &r.effects;
            -e.tension * (0.3 + v.tension / 100.0 + 3.0 * peril)
                + e.trust * 0.3
                + e.own_trust * 0.1
                + e.approval * 0.5
                + e.hawks * (hawkish + lean) * 0.5
                + e.security * 0.2
                + e.economy * 0.2
                + e.capital * 0.3
                - r.cost * 0.3
        };
        let options: Vec<&ResponseDef> = def
            .responses
            .iter()
            .filter(|r| ev.my_responses.contains(&r.id))
            .collect();
        let best =
            if self.style.noise > 0.0 && options.len() > 1 && self.rng.chance(self.style.noise) {
                options[self.rng.below(options.len())]
            } else {
                options
                    .iter()
                    .copied()
                    .max_by(|a, b| score(a).total_cmp(&score(b)))
                    .expect("a response is available when asked")
            };
        let (code, reason) = if best.needs_measure.is_some() {
            (
                ReasonCode::EventUseWhatWeBuilt,
                format!("We use what we built together: '{}'.", best.label),
            )
        } else if best.effects.tension < 0.0 {
            (
                ReasonCode::EventCalmTension,
                format!(
                    "Tension is at {:.0}; we '{}' to keep it from spiralling.",
                    v.tension, best.label
                ),
            )
        } else if best.effects.hawks > 0.0 {
            (
                ReasonCode::EventHardlinersFirm,
                format!("Our hardliners expect firmness, so we '{}'.", best.label),
            )
        } else {
            (
                ReasonCode::EventCheapestAtHome,
                format!("We '{}': it costs us least at home.", best.label),
            )
        };
        Decision {
            action: Action::Respond {
                side: v.side,
                response: best.id.clone(),
            },
            code,
            reason: reason.into(),
        }
    }
}
