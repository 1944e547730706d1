//! Answering the other side's offer: sign, sign on this side's terms, improve it for both, table
//! a package of this side's own, or refuse, always with the reason.

use super::propose::STEP_GAIN;
use super::terms::LET_DOWN;
use super::value::Ctx;
use super::{Counterpart, commitments_of, offer_key, same_items};
use crate::ai::{Decision, Reason, ReasonCode, Signing};
use crate::sim::PublicLevel;
use crate::sim::measures::detection;
use crate::sim::scenario::{MeasureDef, Side};
use crate::sim::{Action, Item, Offer, SideView};

/// Share of its best a counterpart must be offered to sign in the first round.
const OPENING_NEED: f32 = 0.9;

/// Detection from which a check counts as real when a counterpart asks for one (below it, a
/// promise is "words").
const REAL_CHECK_FOR_DEMAND: f32 = 0.3;

/// `x` as a whole percentage of `of` for a reason: 0 to 100, a package better than the best this
/// side had found counting as that best.
pub(super) fn pct(x: f32, of: f32) -> f32 {
    (x / of.max(x).max(1e-6) * 100.0).clamp(0.0, 100.0)
}

/// Two amounts as a reason states them: whole numbers, or as many decimals as it takes to show
/// which is larger.
fn amounts(a: f32, b: f32) -> (String, String) {
    for places in 0..3 {
        let (x, y) = (format!("{a:.places$}"), format!("{b:.places$}"));
        if x != y || a == b {
            return (x, y);
        }
    }
    (format!("{a:.3}"), format!("{b:.3}"))
}

impl Counterpart {
    /// Answer the offer on the table.
    pub(super) fn answer(
        &mut self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
        offer: &Offer,
    ) -> Decision {
        let me = v.side;
        let items: Vec<(usize, Side)> = offer
            .items
            .iter()
            .filter_map(|it| t.measure(&it.measure).map(|(i, _)| (i, it.by)))
            .collect();
        let gain = self.offer_gain(v, t, c, offer);
        // Their concessions are counted as shares of this side's best (an offer worth less than
        // nothing counts as nothing, so opening with a bare demand earns no credit for moving).
        let share = (gain / c.best).max(0.0);
        if self.their_first.is_none() {
            self.their_first = Some(share);
        }
        self.their_best = self.their_best.max(share);
        // A partner who has offered this side nothing all season and tables its first real offer
        // on the season's last exchange, when no counter is left, is not signed with for time's
        // sake (near the deadline, against a standstill, as meeting their claim): holding back
        // to the last moment must not earn more than moving early. It is signed only as it would
        // have been earlier in the season.
        let held_back =
            v.exchanges_left == 0 && self.movement.0 == v.round && self.movement.1 <= 0.0;
        self.track_movement(v.round, gain / c.best);
        // The rules' own sum, asked from this side's view.
        let cost =
            crate::sim::rules::package_cost(&crate::sim::rules::Seen::new(v, t), me, &offer.items);
        if cost > v.private.capital + 1e-4 {
            let capital = v.private.capital;
            return self.counter_or_reject(v, t, c, ReasonCode::CannotPay, Reason::later(move || {
                let (need, have) = amounts(cost, capital);
                format!("We cannot pay for our part: it needs {need} political capital and we have {have}.")
            }));
        }
        let deltas = Self::reactions(v, t, &items);
        // What this side gives up is judged on its own: sweeteners do not calm a faction
        // that sees its red line crossed.
        let own_items: Vec<(usize, Side)> =
            items.iter().copied().filter(|(_, by)| *by == me).collect();
        if let Some((faction, approval)) =
            Self::endangered_by(v, c, &Self::reactions(v, t, &own_items))
        {
            let hated = offer
                .items
                .iter()
                .filter(|it| it.by == me)
                .filter_map(|it| t.measure(&it.measure))
                .min_by(|a, b| {
                    let r = |x: &(usize, &MeasureDef)| Self::reaction_total(v, t, &[(x.0, me)]);
                    r(a).total_cmp(&r(b))
                })
                .map(|(_, m)| m.name.clone());
            return self.counter_or_reject(
                v,
                t,
                c,
                ReasonCode::CannotSellAtHome,
                Reason::later(move || {
                    let hated = hated
                        .as_ref()
                        .map_or("this package".to_string(), |name| format!("'{name}'"));
                    format!(
                        "My {faction} are at {approval:.0}%; I cannot sell {hated} at home this season."
                    )
                }),
            );
        }
        let support = c.pool.support(&deltas);
        if support < v.private.ratify_at {
            let ratify_at = v.private.ratify_at;
            return self.counter_or_reject(v, t, c, ReasonCode::CannotRatify, Reason::later(move || {
                let (support, need) = amounts(support, ratify_at);
                format!("Our parliament would not ratify this: support would be {support}%, we need {need}%.")
            }));
        }
        // The first season is for hearing each other out: only an offer close to everything
        // this side could hope for is signed in it, and no one settles for less to beat the clock.
        let opening = v.round == 1 && v.rounds > 1;
        let need = if opening {
            self.want(v, c).max(OPENING_NEED) * c.best
        } else {
            self.want(v, c) * c.best
        };
        let reservation = c.floor * c.best;
        let last_chance = !opening && !held_back && (v.exchanges_left == 0 || v.round == v.rounds);
        if gain >= need && gain > 0.0 {
            if let Some(d) = self.better_deal(v, t, c, offer) {
                return d;
            }
            let (got, wanted) = (pct(gain, c.best), pct(need, c.best));
            return self.accept(v, t, offer, Signing::AboveAspiration, Reason::later(move || {
                let (got, wanted) = amounts(got, wanted);
                format!("This serves our priorities well enough: worth {got}% of the best we could hope for, we wanted {wanted}%.")
            }));
        }
        // The mediator's package, tabled by the other side: a deal both can defend in public,
        // signed once it clears the least this side accepts.
        if !opening
            && gain >= reservation
            && gain > 0.0
            && v.bridge
                .as_ref()
                .is_some_and(|b| same_items(&offer.items, &b.items))
        {
            let got = pct(gain, c.best);
            return self.accept(v, t, offer, Signing::Mediated, Reason::later(move || format!(
                "This is the mediator's package, worth {got:.0}% of our best, above the least we accept; we sign it."
            )));
        }
        if !opening
            && !held_back
            && gain >= reservation
            && gain > 0.0
            && let Some(meet) = self.meet_their_claim(v, c)
            && gain >= meet
        {
            if let Some(d) = self.better_deal(v, t, c, offer) {
                return d;
            }
            let got = pct(gain, c.best);
            return self.accept(v, t, offer, Signing::NoBetterPackage, Reason::later(move || format!(
                "No package that gives them what they ask would give us more than this ({got:.0}% of our best); we sign now rather than lose a season."
            )));
        }
        // Our counter would be the season's last word, and even a step from our package they
        // turned down gives them less than they asked for themselves (as the model sees it):
        // they would likely refuse it, and the season would be lost. A sharp counterpart signs.
        if gain > 0.0
            && !opening
            && self.style.avoids_weak_last_word
            && v.exchanges_left == 1
            && gain >= reservation
            && self.their_claim(&c.pool).is_some_and(|claim| {
                self.refused
                    .as_ref()
                    .and_then(|r| Self::their_gain(&c.pool, r))
                    .is_some_and(|ours| ours * (1.0 + STEP_GAIN) < claim)
            })
        {
            if let Some(d) = self.better_deal(v, t, c, offer) {
                return d;
            }
            let got = pct(gain, c.best);
            return self.accept(v, t, offer, Signing::LastWord, Reason::later(move || format!(
                "Our last word this season could not give them what they ask; rather than lose the season we take this ({got:.0}% of our best)."
            )));
        }
        if last_chance && gain >= reservation && gain > 0.0 {
            if let Some(d) = self.better_deal(v, t, c, offer) {
                return d;
            }
            return self.accept(
                v,
                t,
                offer,
                Signing::NearDeadline,
                "Time is short and this is above the least we can accept; we take it.".into(),
            );
        }
        // A modeller reads a partner who has stopped moving: every season without a deal is
        // a season of nothing, so a deal above the reservation is taken.
        if self.style.models && !held_back && self.stalled >= 2 && gain >= reservation && gain > 0.0
        {
            if let Some(d) = self.better_deal(v, t, c, offer) {
                return d;
            }
            let (stalled, got) = (self.stalled, pct(gain, c.best));
            return self.accept(v, t, offer, Signing::Stalled, Reason::later(move || format!(
                "They have not moved for {stalled} seasons; waiting costs more than the {got:.0}% of our best this still gives us."
            )));
        }
        // A counterpart that insists on verification names the promise it cannot believe.
        let weak = offer.items.iter().find(|it| {
            it.by != me
                && (self.style.verify || self.conduct.belief.0 < LET_DOWN)
                && t.measure(&it.measure).is_some_and(|(_, m)| {
                    detection(m, it.verification) < REAL_CHECK_FOR_DEMAND
                        && m.verification
                            .iter()
                            .any(|x| x.detection >= REAL_CHECK_FOR_DEMAND)
                })
        });
        let (got, wanted) = (pct(gain, c.best), pct(need, c.best));
        let gains = gain > 0.0;
        let why = Reason::later(move || {
            let (got, wanted) = amounts(got, wanted);
            let worth = if gains {
                format!("worth {got}% of the best we could hope for")
            } else {
                "it would cost us more than it gives".to_string()
            };
            if opening {
                format!(
                    "A first position, and we have heard it ({worth}), but in this first season we sign only what gives us {wanted}%."
                )
            } else {
                format!("Too little for us: {worth}, and we need {wanted}% at this stage.")
            }
        });
        let code = if opening {
            ReasonCode::FirstSeasonBar
        } else {
            ReasonCode::RejectBelowAspiration
        };
        self.counter_or_reject_demanding(v, t, c, (code, why), weak)
    }

    /// A sharp counterpart's read of the table: the package best for this side among those that
    /// give the other side at least what it claimed in its latest offer (as the model sees it)
    /// and clear this side's reservation. If an offer already gives this side that much, holding
    /// out only loses a season. Not in the first season.
    fn meet_their_claim(&self, v: &SideView, c: &Ctx) -> Option<f32> {
        if !self.style.meets_their_claim || v.round <= 1 {
            return None;
        }
        let pool = &c.pool;
        let claim = self.their_claim(pool)?;
        self.package_giving(v, c, claim, c.floor * c.best)
            .map(|(_, own)| own)
    }

    /// For a logroller: an offer it would sign (for whatever reason) that could be better for
    /// both sides comes back improved (same or more for us, no less for them as far as we can
    /// tell, and a clearly larger product of the two, ours counted at face value), while there
    /// is an exchange left to do it.
    fn better_deal(
        &mut self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
        offer: &Offer,
    ) -> Option<Decision> {
        if !self.style.logrolls || v.exchanges_left == 0 {
            return None;
        }
        let pool = &c.pool;
        let pick: Vec<usize> = offer
            .items
            .iter()
            .map(|it| pool.index(t, &it.measure, it.by))
            .collect::<Option<_>>()?;
        let sums = |p: &[usize]| {
            p.iter().fold((0.0, 0.0, 0.0), |(o, th, f), &j| {
                let cd = &pool.cands[j];
                (o + cd.own, th + cd.theirs, f + cd.at_face)
            })
        };
        let (own0, theirs0, face0) = sums(&pick);
        if own0 <= 0.0 || theirs0 <= 0.0 {
            return None;
        }
        let mut better = pick.clone();
        Self::improve(v, pool, (own0, 0.0), self.style.power, &mut better, false);
        if let Some((p, _)) = Self::exact_package(v, pool, (own0, theirs0), self.style.power) {
            better = p;
        }
        let (_, theirs1, face1) = sums(&better);
        if theirs1 < theirs0 || face1 * theirs1 < face0.max(1e-6) * theirs0 * 1.05 {
            return None;
        }
        let offer = self.offer_of(v, t, pool, &better);
        if self.last_offer_key == Some(offer_key(&offer)) {
            return None;
        }
        self.remember(t, &offer);
        Some(Decision {
            action: Action::Counter {
                side: v.side,
                offer,
            },
            code: ReasonCode::BetterForBoth,
            reason: {
                let got = pct(own0, c.best);
                Reason::later(move || {
                    format!(
                        "We could sign this (worth {got:.0}% of our best), but a package that serves you better for no less from us is on the table: this one."
                    )
                })
            },
        })
    }

    /// Accept, or, for a counterpart that reads the fine print and has an exchange left, table
    /// the same package again on its own terms (its own commitments for the shortest time the
    /// measure allows, the other side's for the longest) when the offer's terms differ. `signing`
    /// and `reason` say why it would sign.
    fn accept(
        &mut self,
        v: &SideView,
        t: &PublicLevel,
        offer: &Offer,
        signing: Signing,
        reason: Reason,
    ) -> Decision {
        let me = v.side;
        // Its own package back on their terms: it restates its terms once a season, then signs.
        let ours_again = self.refused.as_ref().is_some_and(|r| {
            let mut a = r.clone();
            let mut b = commitments_of(t, offer);
            a.sort_unstable();
            b.sort_unstable();
            a == b
        });
        let insist = ours_again && self.insisted != Some(v.round);
        if self.style.reads_fine_print && v.exchanges_left > 0 && (!ours_again || insist) {
            let mut ours = offer.clone();
            for it in &mut ours.items {
                if let Some((_, m)) = t.measure(&it.measure) {
                    it.term = self.pick_term(m, it.by == me);
                }
            }
            if ours.items != offer.items {
                let code = if insist {
                    self.insisted = Some(v.round);
                    ReasonCode::HoldToOurTerms(signing)
                } else {
                    ReasonCode::OnOurTerms(signing)
                };
                self.remember(t, &ours);
                return Decision {
                    action: Action::Counter {
                        side: me,
                        offer: ours,
                    },
                    code,
                    reason: reason.then(move |r| {
                        let terms = if insist {
                            ", and we hold to our terms:"
                        } else {
                            ", but on our terms:"
                        };
                        format!(
                            "{}{terms} what we promise for a limited time, what they promise to last.",
                            r.trim_end_matches('.')
                        )
                    }),
                };
            }
        }
        Decision {
            action: Action::Accept { side: me },
            code: ReasonCode::Sign(signing),
            reason,
        }
    }

    /// Table a package of this side's own in answer, or refuse, giving `why` (a claim of kind
    /// `code`).
    fn counter_or_reject(
        &mut self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
        code: ReasonCode,
        why: Reason,
    ) -> Decision {
        self.counter_or_reject_demanding(v, t, c, (code, why), None)
    }

    /// As `counter_or_reject`, but where the offer holds `weak`, a promise of theirs under a
    /// check that finds a breach less often than `REAL_CHECK_FOR_DEMAND`, the answer says it
    /// needs that promise under real verification: in a refusal, or in a counter that holds it
    /// so checked (a counter without it gives the plain reason).
    fn counter_or_reject_demanding(
        &mut self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
        (code, why): (ReasonCode, Reason),
        weak: Option<&Item>,
    ) -> Decision {
        let me = v.side;
        let demand = weak.and_then(|w| t.measure(&w.measure).map(|(_, m)| (w, m)));
        let words =
            |name: &str| format!("Words are cheap: we need '{name}' under real verification");
        if let Some((offer, _)) = self.bridge_offer(v, t, c) {
            self.remember(t, &offer);
            return Decision {
                action: Action::Counter { side: me, offer },
                code,
                reason: why.then(|w| {
                    format!(
                        "{}; we table the mediator's package instead.",
                        w.trim_end_matches('.')
                    )
                }),
            };
        }
        if v.exchanges_left > 0
            && let Some((offer, _)) = self.build_package(v, t, c)
        {
            let key = offer_key(&offer);
            if self.last_offer_key != Some(key) || v.exchanges_left > 1 {
                self.remember(t, &offer);
                let holds = demand.filter(|(w, m)| {
                    offer.items.iter().any(|it| {
                        it.measure == w.measure
                            && it.by == w.by
                            && detection(m, it.verification) >= REAL_CHECK_FOR_DEMAND
                    })
                });
                let (code, reason) = match holds {
                    Some((_, m)) => (
                        ReasonCode::DemandVerification,
                        format!(
                            "{}; we table our own package with it so checked.",
                            words(&m.name)
                        )
                        .into(),
                    ),
                    None => (
                        code,
                        why.then(|w| {
                            format!(
                                "{}; we table our own package instead.",
                                w.trim_end_matches('.')
                            )
                        }),
                    ),
                };
                return Decision {
                    action: Action::Counter { side: me, offer },
                    code,
                    reason,
                };
            }
        }
        let (code, reason) = match demand {
            Some((_, m)) => (
                ReasonCode::DemandVerification,
                format!("{}.", words(&m.name)).into(),
            ),
            None => (code, why),
        };
        Decision {
            action: Action::Reject { side: me },
            code,
            reason,
        }
    }
}
