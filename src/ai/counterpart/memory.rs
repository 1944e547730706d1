//! What a counterpart remembers of the other side's conduct: what it offered and asked, whether
//! it signed, its breaches, withdrawals and gestures, and whether its offers still move.

use super::{Counterpart, commitments_of, offer_key};
use crate::sim::PublicLevel;
use crate::sim::SideView;
use crate::sim::measures::detection;
use crate::sim::scenario::{Side, Term};
use crate::sim::view::CommitmentView;

/// Detection from which a check counts as real: a breach under it was a choice made knowing it
/// would likely be seen.
pub(super) const REAL_CHECK: f32 = 0.5;

/// Rounds of good conduct after which what a character forgives is forgiven.
const HEALING_ROUNDS: f32 = 4.0;

/// A commitment in force as it was at the last look.
#[derive(Debug, Clone)]
struct Held {
    id: u32,
    by: Side,
    signed: u32,
    term: Term,
    /// The measure's index, or its id where the level holds no such measure (kept by index so
    /// that a look copies no shared text).
    measure: Result<usize, std::sync::Arc<str>>,
    caught: u32,
}

/// What the other side last did that counts against them.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Grievance {
    /// A breach of this measure (its name) was caught.
    Breach(String),
    /// They withdrew this measure (its name) after keeping it.
    Withdrawal(String),
}

/// The other side's record: breaches caught and commitments withdrawn after they were kept
/// (both defection), and how long they have behaved since.
#[derive(Debug, Clone)]
pub(super) struct Conduct {
    /// The commitments in force at the last look.
    held: Vec<Held>,
    /// Round of the last look, and each side's leader then (a fallen leader's pledges may lapse
    /// without anyone withdrawing them).
    seen_round: Option<u32>,
    leaders: [String; 2],
    /// Caught breaches, and those of them under a real check.
    pub(super) breaches: u32,
    pub(super) checked_breaches: u32,
    /// Kept commitments they withdrew, not counting those that answered a defection of ours.
    pub(super) withdrawals: u32,
    /// This side's own defections (caught breaches, withdrawals it did not make in answer to
    /// theirs) not yet answered by a withdrawal of theirs.
    excused: u32,
    /// Withdrawals this side made in answer to theirs, not yet seen gone from the view.
    pub(super) answered: u32,
    /// Rounds they have had commitments in force since their last defection.
    pub(super) clean: u32,
    /// Round of their last defection, and what it was.
    pub(super) last: Option<(u32, Grievance)>,
    /// Round in which a breach of this side's own was last seen caught.
    pub(super) our_breach: Option<u32>,
    /// `faith` and `checks_hold` for this side's character, as of the last look (1 and 1 for a
    /// clean record).
    pub(super) belief: (f32, f32),
}

impl Default for Conduct {
    fn default() -> Self {
        Conduct {
            held: Vec::new(),
            seen_round: None,
            leaders: Default::default(),
            breaches: 0,
            checked_breaches: 0,
            withdrawals: 0,
            excused: 0,
            answered: 0,
            clean: 0,
            last: None,
            our_breach: None,
            belief: (1.0, 1.0),
        }
    }
}

impl Conduct {
    /// Defections so far: caught breaches and withdrawals of kept commitments.
    pub(super) fn defections(&self) -> u32 {
        self.breaches + self.withdrawals
    }

    /// 0..1: how much of a character's usual faith in their word is left after their record.
    /// Each defection keeps only `scar` of it; good conduct since heals up to `heals` of the
    /// rest, never all of it (repeated defection is never forgiven fully).
    pub(super) fn faith(&self, scar: f32, heals: f32) -> f32 {
        Self::healed(scar.powi(self.defections() as i32), heals, self.clean)
    }

    /// 0..1: how far checks on their promises can still be relied on. A breach under a real check,
    /// or a withdrawal (which no check prevents), shows that checks do not hold them.
    pub(super) fn checks_hold(&self, scar: f32, heals: f32) -> f32 {
        Self::healed(
            scar.powi((self.checked_breaches + self.withdrawals) as i32),
            heals,
            self.clean,
        )
    }

    fn healed(left: f32, heals: f32, clean: u32) -> f32 {
        left + (1.0 - left) * heals * (clean as f32 / HEALING_ROUNDS).min(1.0)
    }

    /// Count `n` breaches of their commitment `c` newly caught.
    fn breach(&mut self, t: &PublicLevel, c: &CommitmentView, n: u32, new: &mut Vec<Grievance>) {
        if n == 0 {
            return;
        }
        let m = t.measure(&c.measure);
        self.breaches += n;
        if m.is_some_and(|(_, m)| detection(m, c.verification) >= REAL_CHECK) {
            self.checked_breaches += n;
        }
        let name = m.map_or(c.measure.to_string(), |(_, m)| m.name.clone());
        new.extend((0..n).map(|_| Grievance::Breach(name.clone())));
    }

    /// Keep what the view shows for the next look.
    fn remember(&mut self, t: &PublicLevel, v: &SideView) {
        self.held.clear();
        self.held.extend(v.commitments.iter().map(|c| {
            Held {
                id: c.id,
                by: c.by,
                signed: c.signed_round,
                term: c.term,
                measure: t
                    .shared(&c.measure)
                    .map(|(i, _)| i)
                    .ok_or_else(|| c.measure.clone()),
                caught: c.caught,
            }
        }));
        let (a, b) = if v.side == Side::A {
            (&v.me.leader, &v.them.leader)
        } else {
            (&v.them.leader, &v.me.leader)
        };
        self.leaders[0].clone_from(a);
        self.leaders[1].clone_from(b);
        self.seen_round = Some(v.round);
    }
}

impl Counterpart {
    /// Learn from what the view shows since the last decision.
    pub(super) fn observe(&mut self, v: &SideView, t: &PublicLevel) {
        let me = v.side;
        // A pragmatist, out to find the deal that serves both sides, studies the catalogue for
        // what the other side is likely to want before they say; the others learn it from them.
        if self.style.logrolls {
            self.model.prime(me, t);
        }
        let step = self.style.probe_step;
        let still_on_table = matches!(&v.pending, Some((from, _)) if *from == me);
        if !still_on_table && let Some(items) = self.last_proposal.take() {
            let signed = items.iter().all(|&(i, by)| {
                v.commitments
                    .iter()
                    .any(|c| c.by == by && t.shared(&c.measure).is_some_and(|(j, _)| j == i))
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
                self.their_last = Some(commitments_of(t, offer));
            }
        }
        self.observe_conduct(v, t);
        if self.conduct.defections() > 0 {
            let (scar, heals) = (self.style.scar, self.style.heals);
            self.conduct.belief = (
                self.conduct.faith(scar, heals),
                self.conduct.checks_hold(scar, heals),
            );
        }
        for c in v.commitments.iter().filter(|c| c.by != me && c.gesture) {
            if !self.gestures_answered.contains(&c.id) {
                self.gestures_answered.push(c.id);
                self.owe_gesture = true;
            }
        }
    }

    /// Update the other side's record: new caught breaches, commitments of theirs that left
    /// without running their course, and rounds of good conduct.
    fn observe_conduct(&mut self, v: &SideView, t: &PublicLevel) {
        let me = v.side;
        let k = &mut self.conduct;
        // At the first look, everything in force is news.
        let round = k.seen_round.unwrap_or(v.round);
        // Most looks find the same commitments with the same counts: nothing to learn but
        // rounds of good conduct.
        let unchanged = k.held.len() == v.commitments.len()
            && k.held
                .iter()
                .zip(&v.commitments)
                .all(|(h, c)| h.id == c.id && h.caught == c.caught);
        let theirs_held = k.held.iter().any(|h| h.by != me);
        if unchanged {
            if theirs_held {
                k.clean += v.round - round;
            }
            k.seen_round = Some(v.round);
            return;
        }
        let name = |id: &str| {
            t.measure(id)
                .map_or(id.to_string(), |(_, m)| m.name.clone())
        };
        let mut new: Vec<Grievance> = Vec::new();
        let mut ours_gone = 0;
        let mut caught: Vec<(&CommitmentView, u32)> = Vec::new();
        // Both lists run in the order commitments were made (ids ascending): walk them together.
        let mut now = v.commitments.iter().peekable();
        for h in &k.held {
            while now.next_if(|c| c.id < h.id).is_some() {}
            if let Some(c) = now.next_if(|c| c.id == h.id) {
                // A breach caught since: of ours, it may excuse a withdrawal of theirs; of theirs,
                // it is a defection.
                let fresh = c.caught.saturating_sub(h.caught);
                if h.by == me {
                    k.excused += fresh;
                    if fresh > 0 {
                        k.our_breach = Some(v.round);
                    }
                    continue;
                }
                if fresh > 0 {
                    caught.push((c, fresh));
                }
                continue;
            }
            // Gone since the last look. Between two rounds a sunset may have run out, a treaty
            // failed its review or a fallen leader's pledge lapsed; anything else was withdrawn,
            // after being carried out at least once.
            let leader = if h.by == me {
                &v.me.leader
            } else {
                &v.them.leader
            };
            let ran_out = round < v.round
                && match h.term {
                    Term::Sunset(n) => v.round.saturating_sub(h.signed) >= n,
                    Term::Treaty(n) => (round..v.round)
                        .any(|r| n > 0 && (r + 1).saturating_sub(h.signed).is_multiple_of(n)),
                    Term::Pledge => k.leaders[h.by.idx()] != *leader,
                };
            if ran_out {
                continue;
            }
            if h.by == me {
                ours_gone += 1;
                continue;
            }
            // A withdrawal that answers a defection of ours is fair.
            if k.excused > 0 {
                k.excused -= 1;
                continue;
            }
            k.withdrawals += 1;
            new.push(Grievance::Withdrawal(match &h.measure {
                Ok(i) => t.measures()[*i].name.clone(),
                Err(id) => name(id),
            }));
        }
        // A commitment made since the last look may already have been caught broken.
        let newest = k.held.last().map_or(0, |h| h.id);
        for c in v
            .commitments
            .iter()
            .filter(|c| c.id > newest && c.caught > 0)
        {
            if c.by == me {
                k.excused += c.caught;
                k.our_breach = Some(v.round);
            } else {
                caught.push((c, c.caught));
            }
        }
        for (c, n) in caught {
            k.breach(t, c, n, &mut new);
        }
        // Our own withdrawals that answered nothing of theirs excuse one of theirs each.
        let answering = ours_gone.min(k.answered);
        k.answered -= answering;
        k.excused += ours_gone - answering;
        // Rounds of their commitments carried out with no defection seen are good conduct.
        if new.is_empty() && theirs_held {
            k.clean += v.round - round;
        }
        k.remember(t, v);
        let Some(latest) = new.last().cloned() else {
            return;
        };
        k.clean = 0;
        k.last = Some((v.round, latest));
        for _ in 0..new.len() {
            if self.forgiven < self.style.forgives {
                self.forgiven += 1;
            } else if self.style.retaliates {
                self.owed += 1;
                self.hardened += self.style.hardens;
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
