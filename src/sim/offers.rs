//! Offers: checking a package, previewing it, and signing it into force.

use super::action::{ActionError, Item, Offer};
use super::event::Event;
use super::scenario::{NewsKind, Side};
use super::state::{Commitment, Match, News, Subject};
pub use super::tuning::MAX_ITEMS;
use super::tuning::{
    AGREEMENT_STORY, AGREEMENT_STORY_PER_ITEM, FAILED_RATIFICATION_APPROVAL,
    FAILED_RATIFICATION_CAPITAL, FAILED_RATIFICATION_TRUST, RATIFICATION_FAILED_STORY,
};
use serde::{Deserialize, Serialize};

/// What a package would do to one side, computed before sending or accepting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub side: Side,
    /// Political capital it would cost this side.
    pub capital_cost: f32,
    pub capital_left: f32,
    /// Change of each own faction's approval.
    pub factions: Vec<f32>,
    /// Weighted approval after signing.
    pub support: f32,
    /// Whether it would pass ratification at home.
    pub ratifies: bool,
    /// Change of this side's private utility (normalised units; 1.0 is the whole catalogue's span).
    pub utility: f32,
    /// Per-round changes while every commitment is kept: tension, own trust received, economy, security.
    pub tension_per_round: f32,
    pub trust_per_round: f32,
    pub economy_per_round: f32,
    pub security_per_round: f32,
}

impl Match {
    /// Check every commitment of an offer made by `from`.
    pub fn check_offer(&self, from: Side, offer: &Offer) -> Result<(), ActionError> {
        super::rules::check_offer(self, from, offer)
    }

    /// Political capital `side` pays for its own commitments in `items`.
    pub fn package_cost(&self, side: Side, items: &[Item]) -> f32 {
        super::rules::package_cost(self, side, items)
    }

    /// What `items` would do to `side` if signed now: the same answer the side gets from its own
    /// view ([`super::rules::preview`]).
    pub fn preview(&self, side: Side, items: &[Item]) -> Preview {
        super::rules::preview(&self.view_brief(side), self.scenario.public(), items)
    }

    /// Sign a package: pay, react, and put every commitment in force.
    pub(crate) fn sign(&mut self, items: &[Item], gesture: bool) -> Vec<u32> {
        let mut ids = Vec::with_capacity(items.len());
        for s in Side::BOTH {
            let cost = self.package_cost(s, items);
            let st = self.side_mut(s);
            st.capital = (st.capital - cost).max(0.0);
        }
        self.react_to_package(items);
        for it in items {
            let i = self
                .scenario
                .measure_index(&it.measure)
                .expect("checked before signing");
            let on_sign = self.scenario.measures[i].on_sign;
            self.apply_effects(it.by, &on_sign, 1.0);
            let id = self.next_id;
            self.next_id += 1;
            self.commitments.push(Commitment {
                id,
                measure: i,
                by: it.by,
                verification: it.verification,
                term: it.term,
                signed_round: self.round,
                gesture,
                kept: 0,
                hidden_breaches: 0,
                banked: 0,
                caught: 0,
            });
            ids.push(id);
        }
        ids
    }

    /// Both parliaments vote; the package enters force only if both ratify.
    pub(crate) fn ratify_and_sign(&mut self, proposer: Side, offer: &Offer) {
        let mut passed = true;
        for s in Side::BOTH {
            let support = self.support_after(s, &offer.items);
            let ok = support >= self.ratify_at(s);
            self.emit(Event::Ratification {
                side: s,
                support,
                passed: ok,
            });
            if !ok {
                passed = false;
                self.news.push(News {
                    kind: NewsKind::RatificationFailed,
                    actor: s,
                    subject: Subject::Actor,
                    valence: RATIFICATION_FAILED_STORY.valence,
                    weight: RATIFICATION_FAILED_STORY.weight,
                    slots: vec![("support", format!("{support:.0}%"))],
                    actor_slots: Default::default(),
                    concession: [false; 2],
                });
                self.apply_effects(
                    s,
                    &super::scenario::Effects {
                        approval: -FAILED_RATIFICATION_APPROVAL,
                        capital: -FAILED_RATIFICATION_CAPITAL,
                        ..Default::default()
                    },
                    1.0,
                );
                let o = s.other().idx();
                self.trust[o] = super::state::clamp100(self.trust[o] - FAILED_RATIFICATION_TRUST);
            }
        }
        if !passed {
            return;
        }
        let ids = self.sign(&offer.items, false);
        let measures: Vec<String> = offer
            .items
            .iter()
            .map(|it| {
                self.scenario
                    .measure_index(&it.measure)
                    .map(|i| self.scenario.measures[i].name.clone())
                    .unwrap_or_default()
            })
            .collect();
        self.talks.agreed = true;
        let first = measures.first().cloned().unwrap_or_default();
        // Written as the subject, a state is named with a measure it undertook itself.
        let own = Side::BOTH.map(|s| {
            offer
                .items
                .iter()
                .zip(&measures)
                .find(|(it, _)| it.by == s)
                .map(|(_, name)| vec![("measure", name.clone())])
                .unwrap_or_default()
        });
        self.news.push(News {
            kind: NewsKind::Agreement,
            actor: proposer,
            subject: Subject::Relationship,
            valence: AGREEMENT_STORY.valence + AGREEMENT_STORY_PER_ITEM.valence * ids.len() as f32,
            weight: AGREEMENT_STORY.weight + ids.len() as f32 * AGREEMENT_STORY_PER_ITEM.weight,
            slots: vec![("measure", first), ("count", ids.len().to_string())],
            actor_slots: own,
            concession: Side::BOTH.map(|s| offer.items.iter().any(|it| it.by == s)),
        });
        self.emit(Event::AgreementSigned {
            commitments: ids,
            measures,
        });
    }
}
