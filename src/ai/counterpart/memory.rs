//! What a counterpart remembers of the other side's conduct: what it offered and asked, whether
//! it signed, its breaches and gestures, and whether its offers still move.

use super::{Counterpart, commitments_of, offer_key};
use crate::sim::PublicLevel;
use crate::sim::SideView;
use crate::sim::measures::detection;

impl Counterpart {
    /// Learn from what the view shows since the last decision.
    pub(super) fn observe(&mut self, v: &SideView, t: &PublicLevel) {
        let me = v.side;
        let step = self.style.probe_step;
        let still_on_table = matches!(&v.pending, Some((from, _)) if *from == me);
        if !still_on_table && let Some(items) = self.last_proposal.take() {
            let signed = items.iter().all(|(id, by)| {
                v.commitments
                    .iter()
                    .any(|c| *c.measure == **id && c.by == *by)
            });
            self.probe = (self.probe + if signed { step } else { -step }).clamp(-0.3, 0.2);
            self.refused = (!signed).then_some(items);
        }
        if let Some((from, offer)) = &v.pending
            && *from != me
        {
            let key = offer_key(offer);
            if self.last_seen != Some(key) {
                self.model.observe(offer, me, t);
                self.last_seen = Some(key);
                // They wrote checks on our commitments into their own offer.
                self.they_verify |= offer.items.iter().any(|it| {
                    it.by == me
                        && t.measure(&it.measure)
                            .is_some_and(|(_, m)| detection(m, it.verification) >= 0.5)
                });
                self.their_statement = Some(offer.statement);
                self.their_last = Some(commitments_of(offer));
            }
        }
        let caught: u32 = v
            .commitments
            .iter()
            .filter(|c| c.by != me)
            .map(|c| c.caught)
            .sum();
        if caught > self.breaches_seen {
            let new = caught - self.breaches_seen;
            self.grievance_round = Some(v.round);
            if let Some(c) = v
                .commitments
                .iter()
                .filter(|c| c.by != me && c.caught > 0)
                .max_by_key(|c| c.caught)
            {
                self.last_breach = t
                    .measure(&c.measure)
                    .map_or(c.measure.to_string(), |(_, m)| m.name.clone());
            }
            for _ in 0..new {
                if self.forgiven < self.style.forgives {
                    self.forgiven += 1;
                } else if self.style.retaliates {
                    self.owed += 1;
                    self.hardened += self.style.hardens;
                }
            }
        }
        self.breaches_seen = caught;
        for c in v.commitments.iter().filter(|c| c.by != me && c.gesture) {
            if !self.gestures_answered.contains(&c.id) {
                self.gestures_answered.push(c.id);
                self.owe_gesture = true;
            }
        }
    }

    /// Note the best share of its best this side has been offered each round, and count the
    /// rounds in a row in which the other side's offers did not improve.
    pub(super) fn track_movement(&mut self, round: u32, share: f32) {
        if round == self.movement.0 {
            self.movement.1 = self.movement.1.max(share);
            return;
        }
        if self.movement.0 > 0 {
            if self.movement.1 <= self.movement.2 + 0.02 {
                self.stalled += 1;
            } else {
                self.stalled = 0;
            }
            self.movement.2 = self.movement.2.max(self.movement.1);
        }
        self.movement = (round, share, self.movement.2);
    }
}
