//! Tabling a package: choosing it, stepping away from one that was refused, and proposing it
//! (or withdrawing a commitment, or ending talks) when this side has the floor.

use super::answer::pct;
use super::memory::Grievance;
use super::search::{Cand, Pool, claimed};
use super::value::{Ctx, own_utility};
use super::{Counterpart, offer_key, same_commitments};
use crate::ai::{Decision, Reason, ReasonCode};
use crate::sim::PublicLevel;
use crate::sim::rules::{Seen, check};
use crate::sim::scenario::MeasureDef;
use crate::sim::{Action, Item, Offer, SideView};

/// Weights on the other side's gain tried when building a package (each with two rankings).
const SWEEP: usize = 6;

/// Least share more a stepping counterpart's package gives the other side (as its model sees it)
/// after a refusal.
pub(super) const STEP_GAIN: f32 = 0.05;

/// Faith in the other side's word below which a counterpart with nothing to offer says that it
/// is their record that leaves nothing (half of its usual faith is gone).
pub(super) const WALK_AWAY_FAITH: f32 = 0.5;

impl Counterpart {
    /// The package this side would table now, with its own gain.
    pub(super) fn build_package(
        &mut self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
    ) -> Option<(Offer, f32)> {
        let pool = &c.pool;
        let target = self.want(v, c) * c.best;
        let mut best: Option<(Vec<usize>, f32, f32)> = None;
        let mut feasible: Vec<(Vec<usize>, f32)> = Vec::new();
        let mut demand: Option<(Vec<usize>, f32)> = None;
        let mut fallback: Option<(Vec<usize>, f32)> = None;
        let mut scratch = pool.scratch();
        let mut bound = false;
        // Weights from 0.15 to 1.8 times the style's generosity, each with both rankings.
        for k in 0..2 * SWEEP {
            let lambda =
                self.style.generosity * (0.15 + (k / 2) as f32 * (1.65 / (SWEEP - 1) as f32));
            // Ranking by worth per unit of capital only changes the package where capital ran
            // short in the plain ranking.
            let by_load = k % 2 == 1;
            if by_load && !bound {
                continue;
            }
            bound = false;
            let (own, theirs) = Self::pack(v, pool, lambda, by_load, &mut scratch, &mut bound);
            let pick = &scratch.pick;
            if pick.is_empty() {
                continue;
            }
            if own < target {
                // Short of what it hopes for, but still worth tabling if both sides gain and it
                // clears the least this side would accept.
                // Not in the first season, which is for opening positions.
                if theirs > 0.0
                    && v.round > 1
                    && own >= c.floor * c.best
                    && fallback
                        .as_ref()
                        .is_none_or(|f: &(Vec<usize>, f32)| own > f.1)
                {
                    fallback = Some((pick.clone(), own));
                }
                continue;
            }
            if theirs <= 0.0 {
                // Nothing in it for them, as far as this side can tell: only a demanding style
                // tables such a package, and only when nothing better meets its aspiration.
                if self.style.makes_demands
                    && demand
                        .as_ref()
                        .is_none_or(|d: &(Vec<usize>, f32)| own > d.1)
                {
                    demand = Some((pick.clone(), own));
                }
                continue;
            }
            // A modeller aims at the package that maximises the product of both sides' gains
            // (the Nash point as it sees it; a pragmatist counts its own at face value, see
            // `Cand::at_face`); the others at what gives the other side most once their own
            // aspiration is met.
            let merit = if self.style.models {
                let face: f32 = pick.iter().map(|&j| pool.cands[j].at_face).sum();
                claimed(face, self.style.power) * theirs
            } else {
                theirs
            };
            if self.style.noise > 0.0 {
                feasible.push((pick.clone(), own));
            }
            if best.as_ref().is_none_or(|b| merit > b.2) {
                best = Some((pick.clone(), own, merit));
            }
        }
        drop(scratch);
        // A sharp counterpart whose package was turned down steps away from it: the best package
        // one addition, removal or swap from it that gives the other side more, as far as its
        // model sees, and still meets its own aspiration. Polishing the sweep's package would
        // only climb back to the one just refused.
        let stepped = self.step_from_refused(v, pool, target);
        let moved = stepped.is_some();
        if let Some((p, o)) = stepped {
            best = Some((p, o, 0.0));
        } else if self.style.models
            && let Some(b) = best.as_mut()
        {
            Self::improve(v, pool, (target, 0.0), self.style.power, &mut b.0, false);
            b.1 = b.0.iter().map(|&j| pool.cands[j].own).sum();
            if self.style.logrolls
                && let Some((p, _)) = Self::exact_package(v, pool, (target, 0.0), self.style.power)
            {
                b.1 = p.iter().map(|&j| pool.cands[j].own).sum();
                b.0 = p;
            }
        }
        // Failing that, it offers the other side more next time, as far as its own aspiration
        // allows, rather than the same again.
        if self.style.steps_away_from_refused
            && !moved
            && let Some(bar) = self
                .refused
                .as_ref()
                .and_then(|r| Self::their_gain(pool, r))
            && best.as_ref().is_none_or(|b| {
                b.0.iter().map(|&j| pool.cands[j].theirs).sum::<f32>() <= bar * 1.05
            })
            && let Some((p, o)) = self.package_giving(v, c, bar * 1.1, target)
        {
            best = Some((p, o, 0.0));
        }
        // A pragmatist with nothing that meets its aspiration polishes the package it falls back
        // on as it would its own: no less for itself, the largest product of both sides' gains.
        // The sweep's package alone was often far from the best deal both could have had.
        if self.style.logrolls
            && best.is_none()
            && let Some(f) = fallback.as_mut()
        {
            let least = f.1;
            Self::improve(v, pool, (least, 0.0), self.style.power, &mut f.0, false);
            if let Some((p, _)) = Self::exact_package(v, pool, (least, 0.0), self.style.power) {
                f.0 = p;
            }
            f.1 = f.0.iter().map(|&j| pool.cands[j].own).sum();
        }
        let (pick, own) =
            if self.style.noise > 0.0 && feasible.len() > 1 && self.rng.chance(self.style.noise) {
                let k = self.rng.below(feasible.len());
                feasible.swap_remove(k)
            } else {
                // Even a hawk stops making bare demands in the second half of the match when a
                // deal both sides gain from is within its reservation.
                let late = 2 * v.round > v.rounds;
                match (best, demand, fallback) {
                    (Some((p, o, _)), _, _) => (p, o),
                    (None, _, Some(f)) if late => f,
                    (None, Some(d), _) => d,
                    (None, None, Some(f)) => f,
                    (None, None, None) => return None,
                }
            };
        Some((self.offer_of(v, t, pool, &pick), own))
    }

    /// The mediator's package as this side would table it, with its own gain: when one is on
    /// the table worth what this side wants now, it may be tabled now, and this side has not
    /// already tabled it and seen it refused.
    pub(super) fn bridge_offer(
        &self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
    ) -> Option<(Offer, f32)> {
        let b = v.bridge.as_ref()?;
        let own = c.bridge?;
        if own <= 0.0 || own < self.want(v, c) * c.best - 1e-6 || v.exchanges_left == 0 {
            return None;
        }
        if self
            .refused
            .as_ref()
            .is_some_and(|r| same_commitments(t, &b.items, r))
        {
            return None;
        }
        let offer = Offer {
            items: b.items.clone(),
            statement: self.statement(v, t, &b.items),
        };
        let action = if v.pending.is_some() {
            Action::Counter {
                side: v.side,
                offer,
            }
        } else {
            Action::Propose {
                side: v.side,
                offer,
            }
        };
        check(&Seen::new(v, t), &action).ok()?;
        match action {
            Action::Counter { offer, .. } | Action::Propose { offer, .. } => Some((offer, own)),
            _ => None,
        }
    }

    /// The package one step from this side's refused one (see `build_package`), with its own
    /// gain, if this style steps away from refused packages and has one to offer.
    fn step_from_refused(
        &self,
        v: &SideView,
        pool: &Pool,
        target: f32,
    ) -> Option<(Vec<usize>, f32)> {
        if !self.style.steps_away_from_refused {
            return None;
        }
        let refused = self.refused.as_ref()?;
        let mut pick: Vec<usize> = refused
            .iter()
            .map(|&(i, by)| pool.position(i, by))
            .collect::<Option<_>>()?;
        let bar: f32 = pick.iter().map(|&j| pool.cands[j].theirs).sum();
        let mut before = pick.clone();
        before.sort_unstable();
        let min_theirs = bar.max(0.0) * (1.0 + STEP_GAIN) + 1e-4;
        // In a small pool the best such package is found outright, not only one step away.
        if self.style.logrolls
            && let Some((p, _)) =
                Self::exact_package(v, pool, (target, min_theirs), self.style.power)
            && p != before
        {
            let own = p.iter().map(|&j| pool.cands[j].own).sum();
            return Some((p, own));
        }
        Self::improve(
            v,
            pool,
            (target, min_theirs),
            self.style.power,
            &mut pick,
            true,
        );
        let own: f32 = pick.iter().map(|&j| pool.cands[j].own).sum();
        let theirs: f32 = pick.iter().map(|&j| pool.cands[j].theirs).sum();
        (pick != before && theirs >= min_theirs && own >= target).then_some((pick, own))
    }

    /// The offer for a set of candidates from the pool.
    pub(super) fn offer_of(
        &self,
        v: &SideView,
        t: &PublicLevel,
        pool: &Pool,
        pick: &[usize],
    ) -> Offer {
        let mut items: Vec<Item> = pick
            .iter()
            .map(|&j| {
                let cd = &pool.cands[j];
                let m = &t.measures()[cd.i];
                Item {
                    measure: m.id.clone(),
                    by: cd.by,
                    verification: cd.ver,
                    term: self.pick_term(m, cd.by == v.side),
                }
            })
            .collect();
        if self.style.logrolls {
            let spent = |k: fn(&Cand) -> f32| pick.iter().map(|&j| k(&pool.cands[j])).sum::<f32>();
            let picked = || pick.iter().map(|&j| &pool.cands[j]).enumerate();
            // It chooses its package with its own promises at their bare cost, and pays for the
            // checks a partner who asked for them would count out of the capital the package
            // leaves, the promises worth most to them first: capital spent on checks inside the
            // package would have bought them (or it) another commitment.
            let mut left = v.private.capital - spent(|cd| cd.pays.0);
            if self.they_verify {
                let mine = picked().filter(|(_, cd)| cd.by == v.side).collect();
                left = add_checks(
                    t,
                    &mut items,
                    left,
                    mine,
                    |cd| cd.theirs,
                    |cd| self.check_they_count(t, &t.measures()[cd.i]),
                );
            }
            // Its own promises priced bare because their cheapest check costs something (see
            // `Counterpart::candidates`) get that check from what is left, where a check is not
            // already on them.
            let mine = picked()
                .filter(|(k, cd)| {
                    cd.by == v.side && cd.ask.is_some() && items[*k].verification.is_none()
                })
                .collect();
            add_checks(t, &mut items, left, mine, |cd| cd.theirs, |cd| cd.ask);
            // The checks it would ask on their promises, left out of the search (see
            // `Counterpart::candidates`), from the capital the package leaves them, the promises
            // worth most to it first.
            let left = v.them.capital - spent(|cd| cd.pays.1);
            let theirs = picked()
                .filter(|(_, cd)| cd.by != v.side && cd.ask.is_some())
                .collect();
            add_checks(t, &mut items, left, theirs, |cd| cd.own, |cd| cd.ask);
        }
        let statement = self.statement(v, t, &items);
        Offer { items, statement }
    }

    /// Withdraw a commitment of this side's own owed in answer to the other side's defection:
    /// the one worth most to them, as far as this side can tell, and lightest to give up for it.
    /// While answering an offer, only one whose loss leaves the offer signable.
    pub(super) fn retaliate(&mut self, v: &SideView, t: &PublicLevel, c: &Ctx) -> Option<Decision> {
        if self.owed == 0 {
            return None;
        }
        let me = v.side;
        let signable = |id: u32| {
            let Some(_) = &v.pending else { return true };
            let mut w = v.clone();
            w.commitments.retain(|cm| cm.id != id);
            check(&Seen::new(&w, t), &Action::Accept { side: me }).is_ok()
        };
        let score = |m: &MeasureDef| {
            self.model.utility(m, me, me) / c.their_span - own_utility(v, m, me) / c.span
        };
        let pick = v
            .commitments
            .iter()
            // What it gave this very season (a gesture) is not taken back in the same breath.
            .filter(|cm| cm.by == me && cm.signed_round < v.round)
            .filter_map(|cm| t.shared(&cm.measure).map(|(_, m)| (cm, m)))
            .filter(|(_, m)| m.withdrawable)
            .filter(|(cm, _)| signable(cm.id))
            .max_by(|a, b| score(a.1).total_cmp(&score(b.1)));
        let Some((cm, m)) = pick else {
            // Nothing left to withdraw: the debt lapses rather than stall the talks.
            self.owed = 0;
            return None;
        };
        self.owed -= 1;
        self.conduct.answered += 1;
        let (code, reason) = match &self.conduct.last {
            Some((_, Grievance::Withdrawal(theirs))) => (
                ReasonCode::AnswerWithdrawal,
                format!(
                    "They withdrew '{theirs}' after keeping it; we withdraw '{}' in turn.",
                    m.name
                )
                .into(),
            ),
            Some((_, Grievance::Breach(theirs))) => (
                ReasonCode::CaughtBreaking,
                format!(
                    "They were caught breaking '{theirs}'; we withdraw '{}' until they keep their word.",
                    m.name
                )
                .into(),
            ),
            None => return None,
        };
        Some(Decision {
            action: Action::Withdraw {
                side: me,
                commitment: cm.id,
            },
            code,
            reason,
        })
    }

    /// Use the floor: make a gesture, table a package, or end talks.
    pub(super) fn propose(&mut self, v: &SideView, t: &PublicLevel, c: &Ctx) -> Decision {
        let me = v.side;
        if let Some(g) = self.gesture(v, t, c) {
            return g;
        }
        if let Some((offer, own)) = self.bridge_offer(v, t, c) {
            self.remember(t, &offer);
            return Decision {
                action: Action::Propose { side: me, offer },
                code: ReasonCode::MediatorsPackage,
                reason: {
                    let got = pct(own, c.best);
                    Reason::later(move || {
                        format!(
                            "The mediator's package is worth {got:.0}% of our best to us, enough to table it as ours."
                        )
                    })
                },
            };
        }
        match self.build_package(v, t, c) {
            Some((offer, own)) if v.exchanges_left > 0 => {
                let key = offer_key(&offer);
                if self.last_offer_key == Some(key) && v.exchanges_left < 2 {
                    return Decision {
                        action: Action::EndTalks { side: me },
                        code: ReasonCode::WillNotRepeat,
                        reason: "We have said what we can offer this season; we will not repeat ourselves.".into(),
                    };
                }
                self.remember(t, &offer);
                // A modeller says it gives them what they seem to value most only when the
                // package does: one of its own commitments is in the area its model ranks first.
                let top = self.model.ranking()[0];
                let gives_top = offer.items.iter().any(|it| {
                    it.by == me && t.measure(&it.measure).is_some_and(|(_, m)| m.area == top)
                });
                let got = pct(own, c.best);
                let (code, reason) = if self.style.models && gives_top {
                    (
                        ReasonCode::TradeAcrossAreas,
                        Reason::later(move || {
                            format!(
                                "A package that trades across areas: worth {got:.0}% of our best to us, and it gives them what they seem to value most ({}).",
                                top.label().to_lowercase()
                            )
                        }),
                    )
                } else {
                    (
                        ReasonCode::SellableAtHome,
                        Reason::later(move || {
                            format!(
                                "A package worth {got:.0}% of our best to us; we can sell it at home."
                            )
                        }),
                    )
                };
                Decision {
                    action: Action::Propose { side: me, offer },
                    code,
                    reason,
                }
            }
            _ if self.conduct.belief.0 < WALK_AWAY_FAITH => Decision {
                action: Action::EndTalks { side: me },
                code: ReasonCode::TheirWordFailed,
                reason: {
                    let times = self.conduct.defections();
                    Reason::later(move || {
                        format!(
                            "They have broken or taken back their word {times} times; we offer nothing more until their promises can be relied on."
                        )
                    })
                },
            },
            _ => Decision {
                action: Action::EndTalks { side: me },
                code: ReasonCode::NothingToOffer,
                reason: "Nothing we could sell at home and still want is possible this season."
                    .into(),
            },
        }
    }
}

/// Put checks on the package's items `ks` (each with its candidate) while `left` capital pays
/// for what each adds over the check the item has: the items `worth` ranks highest first, each
/// with the check `check` names for it (none, none added). Returns the capital left.
fn add_checks(
    t: &PublicLevel,
    items: &mut [Item],
    mut left: f32,
    mut ks: Vec<(usize, &Cand)>,
    worth: impl Fn(&Cand) -> f32,
    check: impl Fn(&Cand) -> Option<usize>,
) -> f32 {
    ks.sort_by(|(a, ca), (b, cb)| worth(cb).total_cmp(&worth(ca)).then(a.cmp(b)));
    for (k, cd) in ks {
        let m = &t.measures()[cd.i];
        let Some(ver) = check(cd) else {
            continue;
        };
        let extra = m.verification[ver].cost
            - items[k]
                .verification
                .and_then(|x| m.verification.get(x))
                .map_or(0.0, |x| x.cost);
        if extra <= left + 1e-4 {
            left -= extra;
            items[k].verification = Some(ver);
        }
    }
    left
}
