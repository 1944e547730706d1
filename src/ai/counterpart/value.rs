//! How a counterpart values things: its own gain and the other side's on one scale, what it
//! hopes for and the least it accepts, and what its home front would swallow.

use super::Counterpart;
use super::search::{Kept, Pool};
use crate::sim::PublicLevel;
use crate::sim::measures::detection;
use crate::sim::politics::{reaction, reactions_to};
use crate::sim::rules::{Seen, package_cost};
use crate::sim::scenario::{Area, MeasureDef, Side, Term};
use crate::sim::{Offer, SideView};

/// Share of its reservation a counterpart that yields to a standstill gives up for each season
/// the other side stands still.
const STALL_YIELD: f32 = 0.25;

/// Most of the room left above its reservation that refused proposals may talk a counterpart
/// down while the other side has never moved.
const STUBBORN_PROBE: f32 = 0.2;

/// Share of the match after which even a reciprocator concedes to a partner who has not moved.
const END_GAME: f32 = 0.5;

/// Least improvement in what their offers give this side (a share of its best) that counts as
/// their having moved.
const MOVED: f32 = 0.02;

/// Share of its reservation a careful counterpart gives up at the clash line itself.
const PERIL_YIELD: f32 = 0.6;

/// Values worked out once per decision.
pub(super) struct Ctx {
    pub(super) span: f32,
    pub(super) their_span: f32,
    /// The most this side could get from one package now.
    pub(super) best: f32,
    /// What it could table now.
    pub(super) pool: Pool,
    /// Approval below which a faction is a danger to the leader.
    pub(super) danger_line: f32,
    /// This side's priority weights, by `Area as usize` (see `priorities`).
    pub(super) prio: [f32; 7],
    /// What a point of a commitment's tension effect costs this side now (see `worth`).
    pub(super) calm: f32,
    /// How loudly this side's own press decries a concession, for a counterpart that reads it
    /// (see `worth`).
    pub(super) slant: f32,
    /// The least share of its best this side accepts now: its reservation, lowered as
    /// tension nears the clash line (where no deal means war).
    pub(super) floor: f32,
    /// What the mediator's package on the table is worth to this side (on the scale of
    /// `best`), when there is one this side could pay for and ratify.
    pub(super) bridge: Option<f32>,
}

/// Most of a promise's worth a short term takes off: bounded, because weighing terms in full
/// made hard counterparts refuse each other's packages (each tables its own promises short)
/// and cost seasons.
const TERM_WEIGHT: f32 = 0.3;

/// Share of the worth of a promise of theirs on `term` that a reader of the fine print counts:
/// the seasons left that it covers, against those the longest term the measure allows would
/// cover, the shortfall counted at `TERM_WEIGHT`.
fn term_share(v: &SideView, m: &MeasureDef, term: Term) -> f32 {
    let left = v.rounds.saturating_sub(v.round) as f32 + 1.0;
    // Rounds a term keeps a commitment in force, as `pick_term` reckons them.
    let covers = |t: Term| {
        match t {
            Term::Sunset(n) => n as f32,
            Term::Treaty(n) => 2.0 * n as f32,
            Term::Pledge => left,
        }
        .min(left)
    };
    let longest = m
        .terms
        .iter()
        .map(|&t| covers(t))
        .fold(covers(term), f32::max);
    1.0 - TERM_WEIGHT * (1.0 - covers(term) / longest.max(1e-6))
}

/// Private utility of a commitment to this side.
pub(super) fn own_utility(v: &SideView, m: &MeasureDef, by: Side) -> f32 {
    weighted(
        v,
        v.private.priorities.get(&m.area).copied().unwrap_or(0.0),
        m,
        by,
    )
}

/// This side's own priority weights, by `Area as usize`.
pub(super) fn priorities(v: &SideView) -> [f32; 7] {
    Area::ALL.map(|a| v.private.priorities.get(&a).copied().unwrap_or(0.0))
}

/// Private utility of a commitment to this side, whose weight for its area is `w`.
pub(super) fn weighted(v: &SideView, w: f32, m: &MeasureDef, by: Side) -> f32 {
    if by == v.side {
        -w * m.burden
    } else {
        w * m.value
    }
}

impl Counterpart {
    /// The catalogue's total stake for this side and, as the model sees it, for the other:
    /// the scale both sides' gains are measured on.
    pub(super) fn spans(&self, v: &SideView, t: &PublicLevel) -> (f32, f32) {
        let seen = self.model.offers_seen();
        if let Some((n, a, b)) = self.spans
            && n == seen
        {
            return (a, b);
        }
        let prio = priorities(v);
        let (mut span, mut their_span) = (0.0, 0.0);
        for m in t.measures() {
            for s in Side::BOTH {
                if m.by.allows(s) {
                    span += weighted(v, prio[m.area as usize], m, s).abs();
                    their_span += self.model.utility(m, s, v.side).abs();
                }
            }
        }
        (span.max(1e-6), their_span.max(1e-6))
    }

    /// Everything a decision needs; `with_pool` also scores what could be tabled now, which only
    /// talks need.
    pub(super) fn ctx(&self, v: &SideView, t: &PublicLevel, with_pool: bool) -> Ctx {
        self.ctx_keeping(v, t, with_pool, &mut None)
    }

    /// As `ctx`, reusing the pool in `kept` when it still holds (see `search::Kept`) and
    /// leaving this decision's there for the next.
    pub(super) fn ctx_keeping(
        &self,
        v: &SideView,
        t: &PublicLevel,
        with_pool: bool,
        kept: &mut Option<Kept>,
    ) -> Ctx {
        // Both sides' gains are measured as shares of everything at stake for them in the
        // catalogue, so one side's gain and the other's estimated gain weigh alike.
        let (span, their_span) = self.spans(v, t);
        let mut c = Ctx {
            span,
            their_span,
            best: 0.01,
            pool: if with_pool {
                Pool::default()
            } else {
                Pool::home(v)
            },
            danger_line: v.private.ouster_below + 12.0,
            prio: priorities(v),
            calm: (v.tension / 100.0) * 0.15 + self.peril(v, t) * 0.6,
            slant: t
                .outlets()
                .iter()
                .filter(|o| o.side == Some(v.side))
                .map(|o| o.slant.max(0.0) * o.reach)
                .sum(),
            floor: self.style.floor * (1.0 - PERIL_YIELD * self.peril(v, t)) * self.stall_yield(),
            bridge: None,
        };
        if with_pool {
            (c.pool, c.best) = self.pool_now(v, t, &c, kept);
            c.bridge = self.bridge_worth(v, t, &c);
        }
        c
    }

    /// What the mediator's package is worth to this side, if one is on the table and this side
    /// could pay for its part and ratify it.
    fn bridge_worth(&self, v: &SideView, t: &PublicLevel, c: &Ctx) -> Option<f32> {
        let b = v.bridge.as_ref()?;
        let cost = package_cost(&Seen::new(v, t), v.side, &b.items);
        if cost > v.private.capital + 1e-4 {
            return None;
        }
        let items: Vec<(usize, Side)> = b
            .items
            .iter()
            .filter_map(|it| t.measure(&it.measure).map(|(i, _)| (i, it.by)))
            .collect();
        let support = c.pool.support(&Self::reactions(v, t, &items));
        (support >= v.private.ratify_at).then(|| self.offer_gain(v, t, c, b))
    }

    /// Share of its best this side wants now: its aspiration, drawn toward the worth of a
    /// mediator's package on the table when that clears its reservation. A neutral proposal
    /// in public is a point both sides can settle on without seeming to give in.
    pub(super) fn want(&self, v: &SideView, c: &Ctx) -> f32 {
        let a = self.aspiration(v, c.floor);
        match c.bridge.map(|b| b / c.best) {
            Some(b) if b > 0.0 && b >= c.floor && b < a => a - self.style.mediator_pull * (a - b),
            _ => a,
        }
    }

    /// Share of the best attainable gain wanted now.
    pub(super) fn aspiration(&self, v: &SideView, floor: f32) -> f32 {
        let t = if v.rounds <= 1 {
            1.0
        } else {
            (v.round - 1) as f32 / (v.rounds - 1) as f32
        };
        let s = &self.style;
        let clock = (s.start_aspiration - s.floor) * t.clamp(0.0, 1.0).powf(1.0 / s.concede);
        let mut a = if s.mirrors {
            // A reciprocator concedes in kind: what their offers have come to give this side
            // since their first, as a share of its best, it gives back; to a partner who has
            // moved, at least as much as its clock would. To one who never moves it gives nothing
            // in the first half of the match, and in the second its clock runs again from there
            // (nothing is what a standoff leaves both sides).
            let moved = self.their_best - self.their_first.unwrap_or(self.their_best);
            let conceded = if moved > MOVED {
                moved.max(clock)
            } else {
                let late = ((t - END_GAME) / (1.0 - END_GAME)).clamp(0.0, 1.0);
                clock * late
            };
            s.start_aspiration - conceded
        } else {
            s.start_aspiration - clock
        };
        // What refusals of its proposals teach it moves it only a little against its curve while
        // the other side has never moved: a partner who refuses everything does not talk it down.
        let moved = self.their_best > self.their_first.unwrap_or(self.their_best) + MOVED;
        a += if moved {
            self.probe
        } else {
            self.probe.max(-STUBBORN_PROBE * (a - s.floor).max(0.0))
        };
        // Opening positions are firmer: the first season is for sounding each other out, so a
        // class sees talks develop before the first deal.
        let opening = if v.round == 1 {
            s.opening_firmness
        } else {
            0.0
        };
        (a + self.hardened + opening).clamp(floor, 1.0)
    }

    /// How far a commitment of the other side can be believed: trust, or else verification, as
    /// far as their record still allows.
    pub(super) fn credibility(
        &self,
        v: &SideView,
        m: &MeasureDef,
        verification: Option<usize>,
    ) -> f32 {
        let trust = v.trust[v.side.idx()] / 100.0;
        let p = detection(m, verification);
        let c = trust + (1.0 - trust) * p;
        let usual = if self.style.verify {
            0.5 + 0.5 * c
        } else {
            0.8 + 0.2 * c
        };
        // A record of defection wears the benefit of the doubt away: what is left is the chance
        // a check catches a breach, as far as checks still hold them.
        let (faith, checks) = self.conduct.belief;
        faith * usual + (1.0 - faith) * p * checks
    }

    /// Worth to this side of one commitment now, normalised: private value (the other side's
    /// promises discounted by how credible they are), calm when tension runs high, and how the
    /// home press will take a concession.
    pub(super) fn worth(
        &self,
        v: &SideView,
        c: &Ctx,
        m: &MeasureDef,
        by: Side,
        ver: Option<usize>,
    ) -> f32 {
        let mut u = weighted(v, c.prio[m.area as usize], m, by);
        if by != v.side {
            u *= self.credibility(v, m, ver);
        }
        u += -m.effects.tension * c.calm;
        if self.style.reads_press && by == v.side {
            u -= c.slant * m.burden * 0.03;
        }
        u / c.span
    }

    /// 0..1: how close tension is to the clash line, as a careful counterpart (not an easy
    /// one) weighs it; a clash leaves both sides with nothing.
    pub(super) fn peril(&self, v: &SideView, t: &PublicLevel) -> f32 {
        if !self.style.weighs_peril {
            return 0.0;
        }
        ((v.tension - (t.clash_at() - 25.0)) / 25.0).clamp(0.0, 1.0)
    }

    /// How much of its reservation a counterpart that yields to a standstill (a hard hawk) still
    /// holds to: it concedes late and little, but once the other side has stood still for a
    /// season or two it knows the status quo is the only alternative, and comes down a quarter
    /// a season (to 40% at most).
    pub(super) fn stall_yield(&self) -> f32 {
        if self.style.yields_to_standstill {
            (1.0 - STALL_YIELD * self.stalled as f32).max(0.4)
        } else {
            1.0
        }
    }

    /// Approval change of each own faction if these commitments are signed.
    pub(super) fn reactions(v: &SideView, t: &PublicLevel, items: &[(usize, Side)]) -> Vec<f32> {
        let resolved: Vec<(&MeasureDef, bool)> = items
            .iter()
            .map(|&(i, by)| (&t.measures()[i], by == v.side))
            .collect();
        reactions_to(&v.private.faction_rates, &resolved)
    }

    /// The sum of the own factions' approval changes if `items` are signed: the same as summing
    /// `reactions`, without listing them.
    pub(super) fn reaction_total(v: &SideView, t: &PublicLevel, items: &[(usize, Side)]) -> f32 {
        v.private
            .faction_rates
            .iter()
            .map(|r| {
                items
                    .iter()
                    .map(|&(i, by)| reaction(r, &t.measures()[i], by == v.side))
                    .sum::<f32>()
            })
            .sum()
    }

    /// While the leader is close to falling, the most disaffected faction this package would
    /// anger further, if any.
    pub(super) fn endangered_by(v: &SideView, c: &Ctx, deltas: &[f32]) -> Option<(String, f32)> {
        let leader_at_risk = v.me.approval < c.danger_line;
        if !leader_at_risk {
            return None;
        }
        v.private
            .factions
            .iter()
            .zip(&v.me.factions)
            .zip(deltas)
            .filter(|((f, _), d)| leader_at_risk && **d < -0.5 && f.weight > 0.0)
            .min_by(|a, b| a.0.1.approval.total_cmp(&b.0.1.approval))
            .map(|((_, pf), _)| (pf.name.to_string(), pf.approval))
    }

    /// This side's worth of an offer, on the scale of `Ctx::best`. A counterpart that reads
    /// the fine print counts a promise of theirs on a shorter term than the measure allows at
    /// less (see `term_share`).
    pub(super) fn offer_gain(&self, v: &SideView, t: &PublicLevel, c: &Ctx, offer: &Offer) -> f32 {
        offer
            .items
            .iter()
            .filter_map(|it| t.measure(&it.measure).map(|(_, m)| (it, m)))
            .map(|(it, m)| {
                let w = self.worth(v, c, m, it.by, it.verification);
                if it.by != v.side && w > 0.0 && self.style.reads_fine_print {
                    w * term_share(v, m, it.term)
                } else {
                    w
                }
            })
            .sum()
    }
}
