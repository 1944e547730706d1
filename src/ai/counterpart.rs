//! One negotiating engine whose character comes from its `Style`: how fast it concedes, whether
//! it opens with gestures, mirrors, verifies, forgives, models the other side and reads its press.

use super::{Decision, Negotiator, OpponentModel, Style, Table};
use crate::sim::measures::{detection, item_cost};
use crate::sim::offers::MAX_ITEMS;
use crate::sim::politics::{reaction, reactions_to};
use crate::sim::rng::Rng;
use crate::sim::scenario::*;
use crate::sim::{Action, Item, Need, Offer, SideView, Stage};
use std::sync::Arc;

/// Weights on the other side's gain tried when building a package (each with two rankings).
const SWEEP: usize = 6;

/// Share of its reservation a hard hawk gives up for each season the other side stands still.
const STALL_YIELD: f32 = 0.25;

/// Share of its reservation a careful counterpart gives up at the clash line itself.
const PERIL_YIELD: f32 = 0.6;

/// Share of the going rate of the other side's capital a modeller counts when that capital is
/// not short this season (what a check costs them now, they cannot spend on a deal next season).
const CARRIED_CAPITAL: f32 = 0.5;

/// Share of its best a counterpart must be offered to sign in the first round.
const OPENING_NEED: f32 = 0.9;

/// Least share more a hard counterpart's package gives the other side (as its model sees it)
/// after a refusal.
const STEP_GAIN: f32 = 0.05;

/// A counterpart: an engine tuned by its style, with a memory of the other side's conduct.
pub struct Counterpart {
    pub style: Style,
    rng: Rng,
    model: OpponentModel,
    /// The last offer of theirs the model learnt from.
    last_seen: Option<u64>,
    /// The last package this side tabled.
    last_offer_key: Option<u64>,
    /// Caught breaches of the other side counted so far.
    breaches_seen: u32,
    /// Caught breaches let pass so far.
    forgiven: u32,
    /// Withdrawals owed in answer to caught breaches.
    owed: u32,
    /// Measure name of the last breach caught, for the explanation.
    last_breach: String,
    /// Round in which the last breach was seen; anger fades after the next round.
    grievance_round: Option<u32>,
    /// Their gestures already answered.
    gestures_answered: Vec<u32>,
    owe_gesture: bool,
    /// Aspiration added after being cheated (a hawk does not forget).
    hardened: f32,
    /// Aspiration learnt from how the other side answered: up after an accepted proposal,
    /// down after a refused one (only sharper counterparts learn this).
    probe: f32,
    /// The commitments of this side's last proposal, to see whether it was signed.
    last_proposal: Option<Vec<(String, Side)>>,
    /// Best and first gain the other side's offers gave this side (to mirror their concessions).
    their_first: Option<f32>,
    their_best: f32,
    /// Their last public message, for mirroring.
    their_statement: Option<Statement>,
    /// They have asked for real verification of this side's commitments.
    they_verify: bool,
    /// The commitments of the other side's latest offer.
    their_last: Option<Vec<(String, Side)>>,
    /// This side's last package, if the other side did not sign it.
    refused: Option<Vec<(String, Side)>>,
    /// (round, best share offered in it, best share offered before it).
    movement: (u32, f32, f32),
    /// Rounds in a row the other side's offers have not improved.
    stalled: u32,
    /// The catalogue's total stake for each side, and how many offers the model had seen
    /// when it was worked out (both stay put until the model learns something new).
    spans: Option<(u32, f32, f32)>,
    /// The round in which it last restated its terms on its own package.
    insisted: Option<u32>,
}

struct Cand {
    i: usize,
    by: Side,
    ver: Option<usize>,
    own: f32,
    theirs: f32,
    cost: f32,
}

/// The commitments a side could table, with each one's effect on its own factions.
#[derive(Default)]
struct Pool {
    cands: Vec<Cand>,
    /// Own factions' approval change per candidate, candidate-major.
    deltas: Vec<f32>,
    nf: usize,
    /// Each own faction's share of the vote and its approval now, for quick support sums.
    shares: Vec<f32>,
    approvals: Vec<f32>,
    /// Each own faction's reactions by area.
    rates: Arc<[FactionRates]>,
}

impl Pool {
    /// Where the commitment `id` undertaken by `by` sits among the candidates, if tabled now.
    fn index(&self, t: Table, id: &str, by: Side) -> Option<usize> {
        let (i, _) = t.measure(id)?;
        self.cands.iter().position(|cd| cd.i == i && cd.by == by)
    }

    /// An empty pool that knows this side's home front: each faction's share of the vote and
    /// its approval now.
    fn home(v: &SideView) -> Self {
        let factions = &v.private.factions;
        let total: f32 = factions
            .iter()
            .map(|f| f.weight.max(0.0))
            .sum::<f32>()
            .max(1e-6);
        Pool {
            cands: Vec::new(),
            deltas: Vec::new(),
            nf: factions.len(),
            shares: factions.iter().map(|f| f.weight.max(0.0) / total).collect(),
            approvals: v.me.factions.iter().map(|f| f.approval).collect(),
            rates: v.private.faction_rates.clone(),
        }
    }

    /// Weighted approval at home if the factions' approval moved by `deltas`.
    fn support(&self, deltas: &[f32]) -> f32 {
        self.shares
            .iter()
            .zip(&self.approvals)
            .zip(deltas)
            .map(|((w, a), d)| w * (a + d).clamp(0.0, 100.0))
            .sum()
    }
}

/// Working space for packing, reused across the packages of one search.
struct Scratch {
    /// Candidates ranked for the weight being tried, as sortable keys.
    order: Vec<u64>,
    /// Own factions' approval change of the package so far.
    sum: Vec<f32>,
    /// The package so far, as candidate indices.
    pick: Vec<usize>,
}

impl Scratch {
    fn new(pool: &Pool) -> Self {
        Scratch {
            order: Vec::with_capacity(pool.cands.len()),
            sum: vec![0.0; pool.nf],
            pick: Vec::with_capacity(MAX_ITEMS),
        }
    }
}

/// Values worked out once per decision.
struct Ctx {
    span: f32,
    their_span: f32,
    /// The most this side could get from one package now.
    best: f32,
    /// What it could table now.
    pool: Pool,
    /// Approval below which a faction is a danger to the leader.
    danger_line: f32,
    /// The least share of its best this side accepts now: its reservation, lowered as
    /// tension nears the clash line (where no deal means war).
    floor: f32,
}

fn own_utility(v: &SideView, m: &MeasureDef, by: Side) -> f32 {
    weighted(
        v,
        v.private.priorities.get(&m.area).copied().unwrap_or(0.0),
        m,
        by,
    )
}

/// This side's own priority weights, by `Area as usize`.
fn priorities(v: &SideView) -> [f32; 7] {
    Area::ALL.map(|a| v.private.priorities.get(&a).copied().unwrap_or(0.0))
}

/// Private utility of a commitment to this side, whose weight for its area is `w`.
fn weighted(v: &SideView, w: f32, m: &MeasureDef, by: Side) -> f32 {
    if by == v.side {
        -w * m.burden
    } else {
        w * m.value
    }
}

/// A gain raised to the bargaining power a counterpart claims (the common powers without `powf`,
/// which the package search calls often).
fn claimed(gain: f32, power: f32) -> f32 {
    let g = gain.max(0.0);
    if power == 1.0 {
        g
    } else if power == 1.5 {
        g * g.sqrt()
    } else {
        g.powf(power)
    }
}

/// The (measure id, undertaker) pairs of an offer.
fn commitments_of(o: &Offer) -> Vec<(String, Side)> {
    o.items.iter().map(|i| (i.measure.clone(), i.by)).collect()
}

fn offer_key(o: &Offer) -> u64 {
    let mut h: u64 = 1469598103934665603;
    for it in &o.items {
        for b in it.measure.bytes().chain([it.by as u8]) {
            h = (h ^ b as u64).wrapping_mul(1099511628211);
        }
    }
    h
}

impl Counterpart {
    /// A counterpart with its own generator, derived from the match seed and its side.
    pub fn new(style: Style, side: Side, seed: u64) -> Self {
        Counterpart {
            style,
            rng: Rng::new(seed ^ ((0xA1 + side.idx() as u64) * 0x9E37_79B9)),
            model: OpponentModel::default(),
            last_seen: None,
            last_offer_key: None,
            breaches_seen: 0,
            forgiven: 0,
            owed: 0,
            last_breach: String::new(),
            grievance_round: None,
            gestures_answered: Vec::new(),
            owe_gesture: false,
            hardened: 0.0,
            probe: 0.0,
            last_proposal: None,
            their_first: None,
            their_best: 0.0,
            their_statement: None,
            they_verify: false,
            movement: (0, 0.0, 0.0),
            their_last: None,
            refused: None,
            stalled: 0,
            spans: None,
            insisted: None,
        }
    }

    /// Note a package this side tables, to avoid repeating it and to learn from its answer.
    fn remember(&mut self, offer: &Offer) {
        self.last_offer_key = Some(offer_key(offer));
        self.last_proposal = Some(commitments_of(offer));
    }

    /// The model of the other side's priorities.
    pub fn model(&self) -> &OpponentModel {
        &self.model
    }

    /// How this counterpart values an offer now: (its gain, what it hopes for, the least it
    /// accepts), all as shares of the best single package it could get now.
    pub fn evaluate(&self, v: &SideView, t: Table, offer: &Offer) -> (f32, f32, f32) {
        let c = self.ctx(v, t, true);
        let gain = self.offer_gain(v, t, &c, offer) / c.best;
        (gain, self.aspiration(v, c.floor), c.floor)
    }

    /// The catalogue's total stake for this side and, as the model sees it, for the other:
    /// the scale both sides' gains are measured on.
    fn spans(&self, v: &SideView, t: Table) -> (f32, f32) {
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
    fn ctx(&self, v: &SideView, t: Table, with_pool: bool) -> Ctx {
        // Both sides' gains are measured as shares of everything at stake for them in the
        // catalogue, so one side's gain and the other's estimated gain weigh alike.
        let (span, their_span) = self.spans(v, t);
        let mut c = Ctx {
            span,
            their_span,
            best: 0.01,
            pool: Pool::home(v),
            danger_line: v.private.ouster_below + 12.0,
            floor: self.style.floor * (1.0 - PERIL_YIELD * self.peril(v, t)) * self.stall_yield(),
        };
        if with_pool {
            let home = std::mem::take(&mut c.pool);
            c.pool = self.candidates(v, t, &c, home);
            c.best = Self::best_now(v, &c.pool);
        }
        c
    }

    /// Share of the best attainable gain wanted now.
    fn aspiration(&self, v: &SideView, floor: f32) -> f32 {
        let t = if v.rounds <= 1 {
            1.0
        } else {
            (v.round - 1) as f32 / (v.rounds - 1) as f32
        };
        let s = &self.style;
        let mut a = s.floor
            + (s.start_aspiration - s.floor) * (1.0 - t.clamp(0.0, 1.0).powf(1.0 / s.concede));
        if s.mirrors
            && let Some(first) = self.their_first
        {
            // Concede as much as they have conceded, no more.
            a -= (self.their_best - first).max(0.0) * 0.8;
        }
        // Opening positions are firmer: the first season is for sounding each other out
        // (a dove excepted), so a class sees talks develop before the first deal.
        let opening = if v.round == 1 && s.personality != Personality::Dove {
            0.15
        } else {
            0.0
        };
        (a + self.hardened + self.probe + opening).clamp(floor, 1.0)
    }

    /// How far a commitment of the other side can be believed: trust, or else verification.
    fn credibility(&self, v: &SideView, m: &MeasureDef, verification: Option<usize>) -> f32 {
        let trust = v.trust[v.side.idx()] / 100.0;
        let p = detection(m, verification);
        let c = trust + (1.0 - trust) * p;
        if self.style.verify {
            0.5 + 0.5 * c
        } else {
            0.8 + 0.2 * c
        }
    }

    /// The verification this side asks for (or chooses, for its own commitments);
    /// `capital_worth` is what a unit of the payer's capital could buy this side elsewhere.
    fn pick_verification(
        &self,
        v: &SideView,
        t: Table,
        c: &Ctx,
        m: &MeasureDef,
        by: Side,
        capital_worth: f32,
    ) -> Option<usize> {
        let me = v.side;
        let observers = t.observers();
        let usable = |v: &Verification| !v.needs_observers || observers;
        if m.verification.is_empty() {
            return None;
        }
        let options = m.verification.iter().enumerate().filter(|(_, v)| usable(v));
        if by != me && self.style.models {
            // Verification is paid from their capital, which could otherwise buy more for us:
            // a modeller asks for a check only where the belief it adds outweighs that (a hawk,
            // which believes little without one, still asks often).
            let value = own_utility(v, m, by).max(0.0) / c.span;
            let score = |o: Option<usize>| {
                value * self.credibility(v, m, o)
                    - capital_worth
                        * o.and_then(|i| m.verification.get(i))
                            .map_or(0.0, |x| x.cost)
            };
            options
                .map(|(i, _)| Some(i))
                .chain([None])
                .max_by(|a, b| score(*a).total_cmp(&score(*b)))
                .flatten()
        } else if by != me && self.style.verify {
            options
                .max_by(|a, b| a.1.detection.total_cmp(&b.1.detection))
                .map(|(i, _)| i)
        } else if by != me {
            usable(&m.verification[0]).then_some(0)
        } else if self.they_verify {
            // They asked for checks on our promises: offer the cheapest that they would count.
            options
                .clone()
                .filter(|(_, v)| v.detection >= 0.5)
                .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
                .or_else(|| options.min_by(|a, b| a.1.cost.total_cmp(&b.1.cost)))
                .map(|(i, _)| i)
        } else {
            options
                .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
                .map(|(i, _)| i)
        }
    }

    fn pick_term(&self, m: &MeasureDef, mine: bool) -> Term {
        let standard = || {
            m.terms
                .iter()
                .copied()
                .find(|t| matches!(t, Term::Treaty(_)))
                .or_else(|| m.terms.first().copied())
                .unwrap_or(Term::Pledge)
        };
        if self.style.difficulty != Difficulty::Hard {
            return standard();
        }
        // A sharp negotiator reads the fine print: its own burdens end by themselves, the
        // other side's promises last. Rounds a term keeps a commitment in force (a pledge
        // only lapses with a fallen leader; a treaty may fail its review).
        let lasts = |t: &Term| match *t {
            Term::Sunset(n) => n as f32,
            Term::Treaty(n) => 2.0 * n as f32,
            Term::Pledge => 100.0,
        };
        let pick = if mine {
            m.terms.iter().min_by(|a, b| lasts(a).total_cmp(&lasts(b)))
        } else {
            m.terms.iter().max_by(|a, b| lasts(a).total_cmp(&lasts(b)))
        };
        pick.copied().unwrap_or_else(standard)
    }

    /// Worth to this side of one commitment now, normalised: private value (the other side's
    /// promises discounted by how credible they are), calm when tension runs high, and how the
    /// home press will take a concession.
    fn worth(
        &self,
        v: &SideView,
        t: Table,
        c: &Ctx,
        m: &MeasureDef,
        by: Side,
        ver: Option<usize>,
    ) -> f32 {
        let mut u = own_utility(v, m, by);
        if by != v.side {
            u *= self.credibility(v, m, ver);
        }
        u += -m.effects.tension * ((v.tension / 100.0) * 0.15 + self.peril(v, t) * 0.6);
        if self.style.reads_press && by == v.side {
            let slant: f32 = t
                .outlets()
                .iter()
                .filter(|o| o.side == Some(v.side))
                .map(|o| o.slant.max(0.0) * o.reach)
                .sum();
            u -= slant * m.burden * 0.03;
        }
        u / c.span
    }

    /// 0..1: how close tension is to the clash line, as a careful counterpart (not an easy
    /// one) weighs it; a clash leaves both sides with nothing.
    fn peril(&self, v: &SideView, t: Table) -> f32 {
        if self.style.difficulty == Difficulty::Easy {
            return 0.0;
        }
        ((v.tension - (t.clash_at() - 25.0)) / 25.0).clamp(0.0, 1.0)
    }

    /// How much of its reservation a hard hawk still holds to: it concedes late and little, but
    /// once the other side has stood still for a season or two it knows the status quo is the
    /// only alternative, and comes down a quarter a season (to 40% at most).
    fn stall_yield(&self) -> f32 {
        if self.style.difficulty == Difficulty::Hard && self.style.personality == Personality::Hawk
        {
            (1.0 - STALL_YIELD * self.stalled as f32).max(0.4)
        } else {
            1.0
        }
    }

    /// Approval change of each own faction if these commitments are signed.
    fn reactions(v: &SideView, t: Table, c: &Ctx, items: &[(usize, Side)]) -> Vec<f32> {
        let resolved: Vec<(&MeasureDef, bool)> = items
            .iter()
            .map(|&(i, by)| (&t.measures()[i], by == v.side))
            .collect();
        reactions_to(&c.pool.rates, &resolved)
    }

    /// While the leader is close to falling, the most disaffected faction this package would
    /// anger further, if any.
    fn endangered_by(v: &SideView, c: &Ctx, deltas: &[f32]) -> Option<(String, f32)> {
        let leader_at_risk = v.me.approval < c.danger_line;
        v.private
            .factions
            .iter()
            .zip(&v.me.factions)
            .zip(deltas)
            .filter(|((f, _), d)| leader_at_risk && **d < -0.5 && f.weight > 0.0)
            .min_by(|a, b| a.0.1.approval.total_cmp(&b.0.1.approval))
            .map(|((_, pf), _)| (pf.name.to_string(), pf.approval))
    }

    /// Learn from what the view shows since the last decision.
    fn observe(&mut self, v: &SideView, t: Table) {
        let me = v.side;
        let step = match self.style.difficulty {
            Difficulty::Easy => 0.0,
            Difficulty::Normal => 0.02,
            Difficulty::Hard => 0.05,
        };
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
                    if self.style.personality == Personality::Hawk {
                        self.hardened += 0.1;
                    }
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

    /// Every commitment this side could table now, scored once.
    fn candidates(&self, v: &SideView, t: Table, c: &Ctx, mut pool: Pool) -> Pool {
        let me = v.side;
        pool.cands.reserve(v.available.len());
        pool.deltas.reserve(v.available.len() * pool.nf);
        let open: Vec<(usize, &MeasureDef, Side)> = v
            .available
            .iter()
            .filter_map(|(id, by)| t.shared(id).map(|(i, m)| (i, m, *by)))
            .collect();
        // What a unit of their capital buys us, on average, among their commitments; a share of
        // that if they could pay for everything of theirs we want this season anyway.
        let (mut worth_sum, mut n, mut wanted) = (0.0, 0, 0.0);
        for &(_, m, by) in &open {
            if by != me && m.cost > 0.0 {
                let u = own_utility(v, m, by) / c.span;
                if u > 0.0 {
                    worth_sum += u / m.cost;
                    n += 1;
                    wanted += m.cost;
                }
            }
        }
        let scarce = wanted > v.them.capital;
        let capital_worth = if n == 0 {
            0.0
        } else if scarce {
            worth_sum / n as f32
        } else {
            // Capital spent on checks now is capital the other side lacks next season.
            CARRIED_CAPITAL * worth_sum / n as f32
        };
        for &(i, m, by) in &open {
            let ver = self.pick_verification(v, t, c, m, by, capital_worth);
            let d0 = pool.deltas.len();
            pool.deltas
                .extend(pool.rates.iter().map(|r| reaction(r, m, by == me)));
            // A leader near the edge does not even table what an angry faction would not swallow.
            if Self::endangered_by(v, c, &pool.deltas[d0..]).is_some() {
                pool.deltas.truncate(d0);
                continue;
            }
            pool.cands.push(Cand {
                i,
                by,
                ver,
                own: self.worth(v, t, c, m, by, ver),
                theirs: self.model.utility(m, by, me) / c.their_span,
                cost: item_cost(m, ver),
            });
        }
        pool
    }

    /// Pack the best-scoring commitments for weight `lambda` on the other side's gain, while
    /// both sides can pay and the home parliament would still ratify.
    fn pack(
        v: &SideView,
        pool: &Pool,
        lambda: f32,
        by_load: bool,
        scratch: &mut Scratch,
        capital_bound: &mut bool,
    ) -> (f32, f32) {
        let Scratch { order, sum, pick } = scratch;
        let me = v.side;
        let cands = &pool.cands;
        // Ranked by worth, or by worth per share of the payer's capital when capital is what
        // limits the package; only commitments worth something at this weight are ranked.
        let capital = [v.private.capital, v.them.capital];
        order.clear();
        for (j, c) in cands.iter().enumerate() {
            let score = c.own + lambda * c.theirs;
            if score > 0.0 {
                let key = if by_load {
                    let payer = usize::from(c.by != me);
                    score / (c.cost / capital[payer].max(1e-3) + 0.02)
                } else {
                    score
                };
                // A positive float's bits order like the float: inverted, they sort the best
                // first, and the candidate's index breaks ties the same way on every machine.
                order.push((u64::from(!key.to_bits()) << 32) | j as u64);
            }
        }
        order.sort_unstable();
        pick.clear();
        let (mut my_cost, mut their_cost, mut own, mut theirs) = (0.0, 0.0, 0.0, 0.0);
        sum.iter_mut().for_each(|x| *x = 0.0);
        let nf = pool.nf;
        let threshold = v.private.ratify_at + 3.0;
        // Support only falls when some faction loses approval: once the package passes at
        // home, a commitment no faction minds keeps it passing.
        let mut passes = pool.support(sum) >= threshold;
        for &x in order.iter() {
            if pick.len() >= MAX_ITEMS {
                break;
            }
            let j = (x & 0xffff_ffff) as usize;
            let cd = &cands[j];
            let (mc, tc) = if cd.by == me {
                (my_cost + cd.cost, their_cost)
            } else {
                (my_cost, their_cost + cd.cost)
            };
            if mc > v.private.capital || tc > v.them.capital {
                *capital_bound = true;
                continue;
            }
            let delta = &pool.deltas[j * nf..(j + 1) * nf];
            for (s, d) in sum.iter_mut().zip(delta) {
                *s += d;
            }
            if !(passes && delta.iter().all(|d| *d >= 0.0)) {
                if pool.support(sum) < threshold {
                    for (s, d) in sum.iter_mut().zip(delta) {
                        *s -= d;
                    }
                    continue;
                }
                passes = true;
            }
            my_cost = mc;
            their_cost = tc;
            own += cd.own;
            theirs += cd.theirs;
            pick.push(j);
        }
        (own, theirs)
    }

    /// Polish a package by single additions, removals and swaps while the product of both
    /// sides' estimated gains grows, its own gain stays at `bounds.0` or above and theirs at
    /// `bounds.1` or above: the sweep finds the region, this finds the corner capital and the
    /// item limit leave. With `must_move` the first move is taken even if the product falls
    /// (a step away from a package that was turned down).
    fn improve(
        v: &SideView,
        pool: &Pool,
        bounds: (f32, f32),
        power: f32,
        pick: &mut Vec<usize>,
        must_move: bool,
    ) {
        let (target, min_theirs) = bounds;
        let me = v.side;
        let nf = pool.nf;
        let cands = &pool.cands;
        let cap = [v.private.capital + 1e-4, v.them.capital + 1e-4];
        let ratify = v.private.ratify_at + 3.0;
        let payer = |j: usize| usize::from(cands[j].by != me);
        let deltas = |j: usize| &pool.deltas[j * nf..(j + 1) * nf];
        // Running totals of the current package, so each move is judged by its difference.
        let mut spent = [0.0f32; 2];
        let (mut own, mut theirs) = (0.0f32, 0.0f32);
        let mut sum = vec![0.0f32; nf];
        let mut inside = vec![false; cands.len()];
        for &j in pick.iter() {
            spent[payer(j)] += cands[j].cost;
            own += cands[j].own;
            theirs += cands[j].theirs;
            for (s, d) in sum.iter_mut().zip(deltas(j)) {
                *s += d;
            }
            inside[j] = true;
        }
        let merit = |o: f32, th: f32| claimed(o, power) * th;
        if spent[0] > cap[0]
            || spent[1] > cap[1]
            || own < target
            || theirs <= 0.0
            || pool.support(&sum) < ratify
        {
            return;
        }
        let mut score = if must_move {
            f32::NEG_INFINITY
        } else {
            merit(own, theirs)
        };
        let mut trial = vec![0.0f32; nf];
        for _ in 0..4 {
            // (position to drop, candidate to add, merit); a swap does both.
            let mut found: Option<(Option<usize>, Option<usize>, f32)> = None;
            for k in 0..=pick.len() {
                let drop = (k < pick.len()).then(|| pick[k]);
                for add in (0..cands.len())
                    .filter(|&j| !inside[j])
                    .map(Some)
                    .chain([None])
                {
                    let len = pick.len() + usize::from(add.is_some()) - usize::from(drop.is_some());
                    if (drop.is_none() && add.is_none()) || len == 0 || len > MAX_ITEMS {
                        continue;
                    }
                    let (mut sp, mut o, mut th) = (spent, own, theirs);
                    if let Some(r) = drop {
                        sp[payer(r)] -= cands[r].cost;
                        o -= cands[r].own;
                        th -= cands[r].theirs;
                    }
                    if let Some(a) = add {
                        sp[payer(a)] += cands[a].cost;
                        o += cands[a].own;
                        th += cands[a].theirs;
                    }
                    if sp[0] > cap[0]
                        || sp[1] > cap[1]
                        || o < target
                        || th <= 0.0
                        || th < min_theirs
                    {
                        continue;
                    }
                    let sc = merit(o, th);
                    if sc <= score + 1e-6 || found.is_some_and(|f| sc <= f.2) {
                        continue;
                    }
                    // The home front is checked last: it is the dearest test.
                    trial.copy_from_slice(&sum);
                    if let Some(r) = drop {
                        trial.iter_mut().zip(deltas(r)).for_each(|(s, d)| *s -= d);
                    }
                    if let Some(a) = add {
                        trial.iter_mut().zip(deltas(a)).for_each(|(s, d)| *s += d);
                    }
                    if pool.support(&trial) >= ratify {
                        found = Some((drop.map(|_| k), add, sc));
                    }
                }
            }
            let Some((drop, add, sc)) = found else {
                break;
            };
            if let Some(k) = drop {
                let r = pick.swap_remove(k);
                spent[payer(r)] -= cands[r].cost;
                own -= cands[r].own;
                theirs -= cands[r].theirs;
                sum.iter_mut().zip(deltas(r)).for_each(|(s, d)| *s -= d);
                inside[r] = false;
            }
            if let Some(a) = add {
                pick.push(a);
                spent[payer(a)] += cands[a].cost;
                own += cands[a].own;
                theirs += cands[a].theirs;
                sum.iter_mut().zip(deltas(a)).for_each(|(s, d)| *s += d);
                inside[a] = true;
            }
            score = sc;
        }
        pick.sort_unstable();
    }

    /// The most this side could get from one package now (both sides' capital permitting).
    fn best_now(v: &SideView, pool: &Pool) -> f32 {
        let mut scratch = Scratch::new(pool);
        let mut bound = false;
        let plain = Self::pack(v, pool, 0.0, false, &mut scratch, &mut bound).0;
        let by_load = if bound {
            Self::pack(v, pool, 0.0, true, &mut scratch, &mut bound).0
        } else {
            plain
        };
        plain.max(by_load).max(0.01)
    }

    /// What the other side claimed for itself in its latest offer, as this side's model
    /// estimates it (on the same scale as a candidate's `theirs`).
    fn their_claim(&self, t: Table, pool: &Pool) -> Option<f32> {
        Self::their_gain(t, pool, self.their_last.as_ref()?)
    }

    /// The other side's gain from a set of commitments, as this side's model estimates it.
    fn their_gain(t: Table, pool: &Pool, items: &[(String, Side)]) -> Option<f32> {
        let claim: f32 = items
            .iter()
            .filter_map(|(id, by)| pool.index(t, id, *by))
            .map(|j| pool.cands[j].theirs)
            .sum();
        (claim > 0.0).then_some(claim)
    }

    /// A hard counterpart's read of the table: the package best for this side among those that
    /// give the other side at least what it claimed in its latest offer (as the model sees it)
    /// and clear this side's reservation. If an offer already gives this side that much, holding
    /// out only loses a season. Not in the first season.
    fn meet_their_claim(&self, v: &SideView, t: Table, c: &Ctx) -> Option<f32> {
        if self.style.difficulty != Difficulty::Hard || v.round <= 1 {
            return None;
        }
        let pool = &c.pool;
        let claim = self.their_claim(t, pool)?;
        self.package_giving(v, c, claim, c.floor * c.best)
            .map(|(_, own)| own)
    }

    /// The package best for this side among those giving the other side at least `theirs_min`
    /// (as the model sees it) and this side at least `own_min`.
    fn package_giving(
        &self,
        v: &SideView,
        c: &Ctx,
        theirs_min: f32,
        own_min: f32,
    ) -> Option<(Vec<usize>, f32)> {
        let pool = &c.pool;
        let mut scratch = Scratch::new(pool);
        let mut out: Option<(Vec<usize>, f32)> = None;
        // A coarse sweep will do; the capital-aware ranking only where capital ran short.
        let mut bound = false;
        for k in 0..8 {
            let lambda = 0.15 + (k / 2) as f32;
            let by_load = k % 2 == 1;
            if by_load && !bound {
                continue;
            }
            bound = false;
            let (own, theirs) = Self::pack(v, pool, lambda, by_load, &mut scratch, &mut bound);
            if theirs >= theirs_min && own >= own_min && out.as_ref().is_none_or(|o| own > o.1) {
                out = Some((scratch.pick.clone(), own));
            }
        }
        out
    }

    /// The package this side would table now, with its own gain.
    fn build_package(&mut self, v: &SideView, t: Table, c: &Ctx) -> Option<(Offer, f32)> {
        let pool = &c.pool;
        let target = self.aspiration(v, c.floor) * c.best;
        let mut best: Option<(Vec<usize>, f32, f32)> = None;
        let mut feasible: Vec<(Vec<usize>, f32)> = Vec::new();
        let mut demand: Option<(Vec<usize>, f32)> = None;
        let mut fallback: Option<(Vec<usize>, f32)> = None;
        let mut scratch = Scratch::new(pool);
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
                // Nothing in it for them, as far as this side can tell: only a hawk tables
                // such a demand, and only when nothing better meets its aspiration.
                if self.style.personality == Personality::Hawk
                    && demand
                        .as_ref()
                        .is_none_or(|d: &(Vec<usize>, f32)| own > d.1)
                {
                    demand = Some((pick.clone(), own));
                }
                continue;
            }
            // A modeller aims at the package that maximises the product of both sides' gains
            // (the Nash point as it sees it); the others at what gives the other side most
            // once their own aspiration is met.
            let merit = if self.style.models {
                claimed(own, self.style.power) * theirs
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
        // A hard counterpart whose package was turned down steps away from it: the best package
        // one addition, removal or swap from it that gives the other side more, as far as its
        // model sees, and still meets its own aspiration. Polishing the sweep's package would
        // only climb back to the one just refused.
        let stepped = self.step_from_refused(v, t, pool, target);
        let moved = stepped.is_some();
        if let Some((p, o)) = stepped {
            best = Some((p, o, 0.0));
        } else if self.style.models
            && let Some(b) = best.as_mut()
        {
            Self::improve(v, pool, (target, 0.0), self.style.power, &mut b.0, false);
            b.1 = b.0.iter().map(|&j| pool.cands[j].own).sum();
        }
        // Failing that, it offers the other side more next time, as far as its own aspiration
        // allows, rather than the same again.
        if self.style.difficulty == Difficulty::Hard
            && !moved
            && let Some(bar) = self
                .refused
                .as_ref()
                .and_then(|r| Self::their_gain(t, pool, r))
            && best.as_ref().is_none_or(|b| {
                b.0.iter().map(|&j| pool.cands[j].theirs).sum::<f32>() <= bar * 1.05
            })
            && let Some((p, o)) = self.package_giving(v, c, bar * 1.1, target)
        {
            best = Some((p, o, 0.0));
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

    /// The package one step from this side's refused one (see `build_package`), with its own
    /// gain, if it is a hard counterpart and has one to offer.
    fn step_from_refused(
        &self,
        v: &SideView,
        t: Table,
        pool: &Pool,
        target: f32,
    ) -> Option<(Vec<usize>, f32)> {
        if self.style.difficulty != Difficulty::Hard {
            return None;
        }
        let refused = self.refused.as_ref()?;
        let mut pick: Vec<usize> = refused
            .iter()
            .map(|(id, by)| pool.index(t, id, *by))
            .collect::<Option<_>>()?;
        let bar: f32 = pick.iter().map(|&j| pool.cands[j].theirs).sum();
        let mut before = pick.clone();
        before.sort_unstable();
        let min_theirs = bar.max(0.0) * (1.0 + STEP_GAIN) + 1e-4;
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
    fn offer_of(&self, v: &SideView, t: Table, pool: &Pool, pick: &[usize]) -> Offer {
        let items: Vec<Item> = pick
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
        let statement = self.statement(v, &items);
        Offer { items, statement }
    }

    /// For a logroller: an acceptable offer that could be better for both sides comes back
    /// improved (same or more for us, clearly more for them as far as we can tell), while
    /// there is an exchange left to do it.
    fn better_deal(&mut self, v: &SideView, t: Table, c: &Ctx, offer: &Offer) -> Option<Decision> {
        if !(self.style.models && self.style.personality == Personality::Pragmatist)
            || v.exchanges_left == 0
        {
            return None;
        }
        let pool = &c.pool;
        let pick: Vec<usize> = offer
            .items
            .iter()
            .map(|it| pool.index(t, &it.measure, it.by))
            .collect::<Option<_>>()?;
        let sums = |p: &[usize]| {
            p.iter().fold((0.0, 0.0), |(o, th), &j| {
                (o + pool.cands[j].own, th + pool.cands[j].theirs)
            })
        };
        let (own0, theirs0) = sums(&pick);
        if own0 <= 0.0 || theirs0 <= 0.0 {
            return None;
        }
        let mut better = pick.clone();
        Self::improve(v, pool, (own0, 0.0), self.style.power, &mut better, false);
        let (own1, theirs1) = sums(&better);
        if theirs1 < theirs0 || own1 * theirs1 < own0 * theirs0 * 1.05 {
            return None;
        }
        let offer = self.offer_of(v, t, pool, &better);
        if self.last_offer_key == Some(offer_key(&offer)) {
            return None;
        }
        self.remember(&offer);
        Some(Decision {
            action: Action::Counter {
                side: v.side,
                offer,
            },
            reason: format!(
                "We could sign this (worth {:.0}% of our best), but a package that serves you better for no less from us is on the table: this one.",
                own0 / c.best * 100.0
            ),
        })
    }

    fn statement(&self, v: &SideView, items: &[Item]) -> Statement {
        let my_trust = v.trust[v.side.idx()];
        let their_trust = v.trust[v.side.other().idx()];
        let cheated = self.grievance_round.is_some_and(|r| v.round <= r + 1);
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

    fn offer_gain(&self, v: &SideView, t: Table, c: &Ctx, offer: &Offer) -> f32 {
        offer
            .items
            .iter()
            .filter_map(|it| t.measure(&it.measure).map(|(_, m)| (it, m)))
            .map(|(it, m)| self.worth(v, t, c, m, it.by, it.verification))
            .sum()
    }

    /// Accept, or, for a hard counterpart with an exchange left, table the same package again on
    /// its own terms (its own commitments for the shortest time the measure allows, the other
    /// side's for the longest) when the offer's terms differ.
    fn accept(&mut self, v: &SideView, t: Table, offer: &Offer, reason: String) -> Decision {
        let me = v.side;
        // Its own package back on their terms: it restates its terms once a season, then signs.
        let ours_again = self.refused.as_ref().is_some_and(|r| {
            let mut a = r.clone();
            let mut b = commitments_of(offer);
            a.sort_unstable();
            b.sort_unstable();
            a == b
        });
        let insist = ours_again && self.insisted != Some(v.round);
        if self.style.difficulty == Difficulty::Hard
            && v.exchanges_left > 0
            && (!ours_again || insist)
        {
            let mut ours = offer.clone();
            for it in &mut ours.items {
                if let Some((_, m)) = t.measure(&it.measure) {
                    it.term = self.pick_term(m, it.by == me);
                }
            }
            if ours.items != offer.items {
                let reason = if insist {
                    self.insisted = Some(v.round);
                    format!("{reason} We hold to our terms:")
                } else {
                    format!("{reason} But on our terms:")
                };
                self.remember(&ours);
                return Decision {
                    action: Action::Counter {
                        side: me,
                        offer: ours,
                    },
                    reason: format!(
                        "{reason} what we promise for a limited time, what they promise to last."
                    ),
                };
            }
        }
        Decision {
            action: Action::Accept { side: me },
            reason,
        }
    }

    fn answer(&mut self, v: &SideView, t: Table, c: &Ctx, offer: &Offer) -> Decision {
        let me = v.side;
        let items: Vec<(usize, Side)> = offer
            .items
            .iter()
            .filter_map(|it| t.measure(&it.measure).map(|(i, _)| (i, it.by)))
            .collect();
        let gain = self.offer_gain(v, t, c, offer);
        if self.their_first.is_none() {
            self.their_first = Some(gain);
        }
        self.their_best = self.their_best.max(gain);
        self.track_movement(v.round, gain / c.best);
        let cost: f32 = offer
            .items
            .iter()
            .filter(|it| it.by == me)
            .filter_map(|it| {
                t.measure(&it.measure)
                    .map(|(_, m)| item_cost(m, it.verification))
            })
            .sum();
        if cost > v.private.capital + 1e-4 {
            return self.counter_or_reject(v, t, c, format!(
                "We cannot pay for our part: it needs {cost:.0} political capital and we have {:.0}.",
                v.private.capital
            ));
        }
        let deltas = Self::reactions(v, t, c, &items);
        // What this side gives up is judged on its own: sweeteners do not calm a faction
        // that sees its red line crossed.
        let own_items: Vec<(usize, Side)> =
            items.iter().copied().filter(|(_, by)| *by == me).collect();
        if let Some((faction, approval)) =
            Self::endangered_by(v, c, &Self::reactions(v, t, c, &own_items))
        {
            let hated = offer
                .items
                .iter()
                .filter(|it| it.by == me)
                .filter_map(|it| t.measure(&it.measure))
                .min_by(|a, b| {
                    let r = |x: &(usize, &MeasureDef)| {
                        Self::reactions(v, t, c, &[(x.0, me)]).iter().sum::<f32>()
                    };
                    r(a).total_cmp(&r(b))
                })
                .map_or("this package".to_string(), |(_, m)| format!("'{}'", m.name));
            return self.counter_or_reject(
                v,
                t,
                c,
                format!(
                    "My {faction} are at {approval:.0}%; I cannot sell {hated} at home this season."
                ),
            );
        }
        let support = c.pool.support(&deltas);
        if support < v.private.ratify_at {
            return self.counter_or_reject(v, t, c, format!(
                "Our parliament would not ratify this: support would be {support:.0}%, we need {:.0}%.",
                v.private.ratify_at
            ));
        }
        // The first season is for hearing each other out: only an offer close to everything
        // this side could hope for is signed in it, and no one settles for less to beat the clock.
        let opening = v.round == 1 && v.rounds > 1;
        let need = if opening {
            self.aspiration(v, c.floor).max(OPENING_NEED) * c.best
        } else {
            self.aspiration(v, c.floor) * c.best
        };
        let reservation = c.floor * c.best;
        let last_chance = !opening && (v.exchanges_left == 0 || v.round == v.rounds);
        if gain >= need && gain > 0.0 {
            if let Some(d) = self.better_deal(v, t, c, offer) {
                return d;
            }
            return self.accept(v, t, offer, format!(
                    "This serves our priorities well enough: worth {:.0}% of the best we could hope for, we wanted {:.0}%.",
                    gain / c.best * 100.0,
                    need / c.best * 100.0
                ));
        }
        if !opening
            && gain >= reservation
            && gain > 0.0
            && let Some(meet) = self.meet_their_claim(v, t, c)
            && gain >= meet
        {
            return self.accept(v, t, offer, format!(
                    "No package that gives them what they ask would give us more than this ({:.0}% of our best); we sign now rather than lose a season.",
                    gain / c.best * 100.0
                ));
        }
        // Our counter would be the season's last word, and even a step from our package they
        // turned down gives them less than they asked for themselves (as the model sees it):
        // they would likely refuse it, and the season would be lost. A hard counterpart signs.
        if gain > 0.0
            && !opening
            && self.style.difficulty == Difficulty::Hard
            && v.exchanges_left == 1
            && gain >= reservation
            && self.their_claim(t, &c.pool).is_some_and(|claim| {
                self.refused
                    .as_ref()
                    .and_then(|r| Self::their_gain(t, &c.pool, r))
                    .is_some_and(|ours| ours * (1.0 + STEP_GAIN) < claim)
            })
        {
            return self.accept(v, t, offer, format!(
                "Our last word this season could not give them what they ask; rather than lose the season we take this ({:.0}% of our best).",
                gain / c.best * 100.0
            ));
        }
        if last_chance && gain >= reservation && gain > 0.0 {
            return self.accept(
                v,
                t,
                offer,
                "Time is short and this is above the least we can accept; we take it.".into(),
            );
        }
        // A modeller reads a partner who has stopped moving: every season without a deal is
        // a season of nothing, so a deal above the reservation is taken.
        if self.style.models && self.stalled >= 2 && gain >= reservation && gain > 0.0 {
            return self.accept(v, t, offer, format!(
                    "They have not moved for {} seasons; waiting costs more than the {:.0}% of our best this still gives us.",
                    self.stalled,
                    gain / c.best * 100.0
                ));
        }
        let weak = offer.items.iter().find(|it| {
            it.by != me
                && self.style.verify
                && t.measure(&it.measure).is_some_and(|(_, m)| {
                    detection(m, it.verification) < 0.3
                        && m.verification.iter().any(|x| x.detection >= 0.3)
                })
        });
        let why = match weak {
            Some(it) if self.style.personality == Personality::Hawk => format!(
                "Words are cheap: we need '{}' under real verification, and more for us besides.",
                t.measure(&it.measure)
                    .map_or(it.measure.as_str(), |(_, m)| m.name.as_str())
            ),
            _ if opening => format!(
                "A first position, and we have heard it: worth {:.0}% of what we hope for. In this first season we sign only what gives us {:.0}%.",
                gain / c.best * 100.0,
                need / c.best * 100.0
            ),
            _ => format!(
                "Too little for us: worth {:.0}% of what we could hope for, we need {:.0}% at this stage.",
                gain / c.best * 100.0,
                need / c.best * 100.0
            ),
        };
        self.counter_or_reject(v, t, c, why)
    }

    /// Note the best share of its best this side has been offered each round, and count the
    /// rounds in a row in which the other side's offers did not improve.
    fn track_movement(&mut self, round: u32, share: f32) {
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

    fn counter_or_reject(&mut self, v: &SideView, t: Table, c: &Ctx, why: String) -> Decision {
        let me = v.side;
        if v.exchanges_left > 0
            && let Some((offer, _)) = self.build_package(v, t, c)
        {
            let key = offer_key(&offer);
            if self.last_offer_key != Some(key) || v.exchanges_left > 1 {
                self.remember(&offer);
                return Decision {
                    action: Action::Counter { side: me, offer },
                    reason: format!("{why} We table our own package instead."),
                };
            }
        }
        Decision {
            action: Action::Reject { side: me },
            reason: why,
        }
    }

    fn propose(&mut self, v: &SideView, t: Table, c: &Ctx) -> Decision {
        let me = v.side;
        if self.owed > 0 {
            self.owed -= 1;
            let pick = v
                .commitments
                .iter()
                .filter(|cm| cm.by == me)
                .filter_map(|cm| t.shared(&cm.measure).map(|(_, m)| (cm, m)))
                .filter(|(_, m)| m.withdrawable)
                .max_by(|a, b| a.1.burden.total_cmp(&b.1.burden));
            if let Some((cm, m)) = pick {
                return Decision {
                    action: Action::Withdraw {
                        side: me,
                        commitment: cm.id,
                    },
                    reason: format!(
                        "They were caught breaking '{}'; we withdraw '{}' until they keep their word.",
                        self.last_breach, m.name
                    ),
                };
            }
        }
        if let Some(g) = self.gesture(v, t, c) {
            return g;
        }
        match self.build_package(v, t, c) {
            Some((offer, own)) if v.exchanges_left > 0 => {
                let key = offer_key(&offer);
                if self.last_offer_key == Some(key) && v.exchanges_left < 2 {
                    return Decision {
                        action: Action::EndTalks { side: me },
                        reason: "We have said what we can offer this season; we will not repeat ourselves.".into(),
                    };
                }
                self.remember(&offer);
                let reason = if self.style.models {
                    let top = self.model.ranking()[0];
                    format!(
                        "A package that trades across areas: worth {:.0}% of our best to us, and it gives them what they seem to value most ({}).",
                        own / c.best * 100.0,
                        top.label().to_lowercase()
                    )
                } else {
                    format!(
                        "A package worth {:.0}% of our best to us; we can sell it at home.",
                        own / c.best * 100.0
                    )
                };
                Decision {
                    action: Action::Propose { side: me, offer },
                    reason,
                }
            }
            _ => Decision {
                action: Action::EndTalks { side: me },
                reason: "Nothing we could sell at home and still want is possible this season."
                    .into(),
            },
        }
    }

    fn gesture(&mut self, v: &SideView, t: Table, c: &Ctx) -> Option<Decision> {
        if !self.style.gestures || v.private.gesture_used {
            return None;
        }
        let their_trust = v.trust[v.side.other().idx()];
        let answering = self.owe_gesture;
        let opening = match self.style.personality {
            Personality::Dove => v.round == 1 || their_trust < 30.0,
            Personality::Reciprocator => v.round == 1,
            Personality::Pragmatist => v.round <= 3 && their_trust < 30.0,
            Personality::Hawk => false,
        };
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
        let reason = if answering {
            format!("They made a gesture; we answer in kind with '{}'.", m.name)
        } else {
            format!(
                "A small first step: '{}' shows good faith and asks nothing back.",
                m.name
            )
        };
        Some(Decision {
            action: Action::Gesture {
                side: v.side,
                measure: m.id.clone(),
                verification: None,
            },
            reason,
        })
    }

    fn respond(&mut self, v: &SideView, t: Table) -> Decision {
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
        let lean = match self.style.personality {
            Personality::Hawk => 0.6,
            Personality::Dove => -0.6,
            Personality::Reciprocator if self.breaches_seen > self.forgiven => 0.4,
            _ => 0.0,
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
        let reason = if best.needs_measure.is_some() {
            format!("We use what we built together: '{}'.", best.label)
        } else if best.effects.tension < 0.0 {
            format!(
                "Tension is at {:.0}; we '{}' to keep it from spiralling.",
                v.tension, best.label
            )
        } else if best.effects.hawks > 0.0 {
            format!("Our hardliners expect firmness, so we '{}'.", best.label)
        } else {
            format!("We '{}': it costs us least at home.", best.label)
        };
        Decision {
            action: Action::Respond {
                side: v.side,
                response: best.id.clone(),
            },
            reason,
        }
    }

    fn implement(&mut self, v: &SideView, t: Table, c: &Ctx) -> Decision {
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
            if self.style.difficulty == Difficulty::Hard && p_catch > 0.2 {
                continue;
            }
            let hated = Self::reactions(v, t, c, &[(i, me)]).iter().sum::<f32>() < 0.0;
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
        let reason = if breaks.is_empty() {
            "We keep our word: every commitment is carried out.".to_string()
        } else {
            note
        };
        Decision {
            action: Action::Implement { side: me, breaks },
            reason,
        }
    }
}

impl Negotiator for Counterpart {
    fn decide(&mut self, v: &SideView, t: Table) -> Decision {
        self.observe(v, t);
        let (a, b) = self.spans(v, t);
        self.spans = Some((self.model.offers_seen(), a, b));
        // The home front and the candidates are gathered only for the decisions that use them
        // (an answer to an event card needs neither).
        match (v.stage, v.needs.first().copied()) {
            (Stage::Events, Some(Need::Respond)) => self.respond(v, t),
            (Stage::Implementation, Some(Need::Implement)) => {
                let c = self.ctx(v, t, false);
                self.implement(v, t, &c)
            }
            (Stage::Negotiation, Some(Need::Answer)) => {
                let c = self.ctx(v, t, true);
                let (_, offer) = v.pending.clone().expect("an answer needs an offer");
                self.answer(v, t, &c, &offer)
            }
            (Stage::Negotiation, Some(Need::Propose)) => {
                let c = self.ctx(v, t, true);
                self.propose(v, t, &c)
            }
            _ => Decision {
                action: Action::EndTalks { side: v.side },
                reason: "Nothing is asked of us now.".into(),
            },
        }
    }

    fn beliefs(&self) -> Option<[f32; 7]> {
        Some(self.model.weights())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_without_movement_are_counted_and_movement_resets_them() {
        let style = Style::new(Personality::Pragmatist, Difficulty::Hard, &AiDef::default());
        let mut c = Counterpart::new(style, Side::B, 1);
        c.track_movement(2, 0.30);
        c.track_movement(2, 0.35);
        // Round 2 was the first offer seen: that is movement.
        c.track_movement(3, 0.34);
        assert_eq!(c.stalled, 0);
        // Round 3 (0.34) gave no more than round 2's 0.35.
        c.track_movement(4, 0.36);
        assert_eq!(c.stalled, 1);
        // Round 4's 0.36 is within the 0.02 that counts as standing still.
        c.track_movement(5, 0.60);
        assert_eq!(c.stalled, 2);
        // Round 5 moved clearly.
        c.track_movement(6, 0.10);
        assert_eq!(c.stalled, 0);
    }

    #[test]
    fn a_hard_hawk_comes_down_only_when_the_other_side_stands_still() {
        let hawk = |d| {
            Counterpart::new(
                Style::new(Personality::Hawk, d, &AiDef::default()),
                Side::B,
                1,
            )
        };
        let mut hard = hawk(Difficulty::Hard);
        assert_eq!(hard.stall_yield(), 1.0);
        hard.stalled = 2;
        assert!((hard.stall_yield() - 0.5).abs() < 1e-6);
        hard.stalled = 10;
        assert!((hard.stall_yield() - 0.4).abs() < 1e-6, "never below 40%");
        let mut normal = hawk(Difficulty::Normal);
        normal.stalled = 3;
        assert_eq!(
            normal.stall_yield(),
            1.0,
            "only the hard hawk reads a standstill so"
        );
    }
}
