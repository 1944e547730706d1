//! The package search: what could be tabled, packed greedily for a weight on the other side's
//! gain, then polished move by move.

use super::Counterpart;
use super::terms::LET_DOWN;
use super::value::{Ctx, weighted};
use crate::sim::PublicLevel;
use crate::sim::SideView;
use crate::sim::derived::Needs;
use crate::sim::measures::item_cost;
use crate::sim::offers::MAX_ITEMS;
use crate::sim::politics::reaction;
use crate::sim::scenario::{MeasureDef, Side};
use std::cell::RefCell;
use std::sync::Arc;

mod exact;
mod local;

/// Share of the going rate of the other side's capital a modeller counts when that capital is
/// not short this season (what a check costs them now, they cannot spend on a deal next season).
const CARRIED_CAPITAL: f32 = 0.5;

/// A commitment that could be tabled, with its worth to each side and its capital cost.
#[derive(Clone)]
pub(super) struct Cand {
    pub(super) i: usize,
    pub(super) by: Side,
    pub(super) ver: Option<usize>,
    /// The check that a pragmatist leaves out of the search, pricing the promise at its bare
    /// cost (see `Counterpart::candidates`), to add if the payer's capital allows: the one it
    /// would ask on a promise of theirs, or the cheapest on a promise of its own.
    pub(super) ask: Option<usize>,
    pub(super) own: f32,
    /// Its worth to this side by its own priorities alone, at face value (no doubt of their
    /// promises, no calm, no press): what a pragmatist's choice among the packages that meet
    /// its aspiration counts, so that it chooses by the stakes both sides bargain over.
    /// Other characters count `own`.
    pub(super) at_face: f32,
    pub(super) theirs: f32,
    /// Its cost as (this side pays, the other side pays): one of them is 0.
    pub(super) pays: (f32, f32),
    /// What the capital-aware ranking divides its score by: the share of the payer's capital it
    /// takes, plus a little so that a free commitment does not rank infinitely high.
    load: f32,
    /// No own faction loses approval over it, so a package that passes at home still passes.
    benign: bool,
    /// Measures (a bit each) that must be signed in the same package for it to be tabled, and
    /// the measure it supplies to others.
    needs: u64,
    gives: u64,
}

/// The commitments a side could table, with each one's effect on its own factions.
#[derive(Default)]
pub(super) struct Pool {
    pub(super) cands: Vec<Cand>,
    /// How many of `cands`, from the first, can be tabled alone; the rest need a prerequisite
    /// in the same package (see `Counterpart::carried`) and are left to the searches that
    /// check it.
    plain: usize,
    /// Own factions' approval change per candidate, candidate-major.
    deltas: Vec<f32>,
    nf: usize,
    /// Each own faction's share of the vote and its approval now, for quick support sums.
    shares: Vec<f32>,
    approvals: Vec<f32>,
    /// Support at home with no commitment signed.
    base: f32,
    /// Packing's working space, shared by every search of the decision this pool serves, so
    /// that a ranking already walked is not walked again.
    scratch: RefCell<Scratch>,
}

/// The pool of a decision and the most this side could get from it, kept for the next decision:
/// within one round's talks nothing this side's own scores depend on moves (what is open, the
/// meters, its home front, its capital, its record of the other side), only its model of the
/// other side, so the next decision rescores only the other side's gains. `key` holds everything
/// the own scores are worked out from.
pub(super) struct Kept {
    key: PoolKey,
    /// The pool, when not lent to a decision (see `Counterpart::give_back`).
    pool: Option<Pool>,
    best: f32,
}

impl Kept {
    /// Take back the pool a decision was lent, to reuse it (or its buffers) next time.
    pub(super) fn give_back(kept: &mut Option<Kept>, pool: Pool) {
        if let Some(k) = kept {
            k.pool = Some(pool);
        }
    }
}

/// What a pool's own scores depend on (floats by their bits). The list of open commitments is
/// held, not only its address, so no other list can take that address while it is kept; and as
/// it belongs to one match, the level's factions and reactions (compared by address) are that
/// match's.
struct PoolKey {
    available: crate::sim::Available,
    factions: usize,
    rates: usize,
    /// The level, by address: the list of open commitments held above belongs to a match on
    /// it, so no other level can stand at this address while the key is kept.
    level: usize,
    side: Side,
    style: (bool, bool, bool),
    they_verify: bool,
    floats: [u32; PoolKey::FLOATS],
    approvals: Vec<u32>,
}

impl PoolKey {
    const FLOATS: usize = 19;

    fn of(cp: &Counterpart, v: &SideView, t: &PublicLevel, c: &Ctx) -> PoolKey {
        PoolKey {
            available: v.available.clone(),
            factions: Arc::as_ptr(&v.private.factions) as *const u8 as usize,
            rates: Arc::as_ptr(&v.private.faction_rates) as *const u8 as usize,
            level: t as *const PublicLevel as usize,
            side: v.side,
            style: PoolKey::style(cp),
            they_verify: cp.they_verify,
            floats: PoolKey::floats(cp, v, c),
            approvals: v.me.factions.iter().map(|f| f.approval.to_bits()).collect(),
        }
    }

    fn style(cp: &Counterpart) -> (bool, bool, bool) {
        (cp.style.models, cp.style.verify, cp.style.reads_press)
    }

    fn floats(cp: &Counterpart, v: &SideView, c: &Ctx) -> [u32; PoolKey::FLOATS] {
        let scalars = [
            v.trust[v.side.idx()],
            v.me.approval,
            v.private.ouster_below,
            v.private.capital,
            v.them.capital,
            c.span,
            c.danger_line,
            c.calm,
            c.slant,
            cp.conduct.belief.0,
            cp.conduct.belief.1,
            v.private.ratify_at,
        ];
        let mut floats = [0u32; PoolKey::FLOATS];
        for (f, x) in floats.iter_mut().zip(scalars.iter().chain(&c.prio)) {
            *f = x.to_bits();
        }
        floats
    }

    /// Whether the inputs now are the ones this key was taken from.
    fn fits(&self, cp: &Counterpart, v: &SideView, t: &PublicLevel, c: &Ctx) -> bool {
        Arc::ptr_eq(&self.available, &v.available)
            && self.factions == Arc::as_ptr(&v.private.factions) as *const u8 as usize
            && self.rates == Arc::as_ptr(&v.private.faction_rates) as *const u8 as usize
            && self.level == t as *const PublicLevel as usize
            && self.side == v.side
            && self.style == PoolKey::style(cp)
            && self.they_verify == cp.they_verify
            && self.floats == PoolKey::floats(cp, v, c)
            && self.approvals.len() == v.me.factions.len()
            && self
                .approvals
                .iter()
                .zip(&v.me.factions)
                .all(|(a, f)| *a == f.approval.to_bits())
    }
}

impl Pool {
    /// Where the commitment `id` undertaken by `by` sits among the candidates, if tabled now.
    pub(super) fn index(&self, t: &PublicLevel, id: &str, by: Side) -> Option<usize> {
        let (i, _) = t.measure(id)?;
        self.position(i, by)
    }

    /// Where measure `i` undertaken by `by` sits among the candidates, if tabled now.
    pub(super) fn position(&self, i: usize, by: Side) -> Option<usize> {
        self.cands.iter().position(|cd| cd.i == i && cd.by == by)
    }

    /// An empty pool that knows this side's home front: each faction's share of the vote and
    /// its approval now.
    pub(super) fn home(v: &SideView) -> Self {
        let mut pool = Pool::default();
        pool.rehome(v);
        pool
    }

    /// Empty the pool and make it know this side's home front now (as `home`), keeping its
    /// buffers.
    fn rehome(&mut self, v: &SideView) {
        let factions = &v.private.factions;
        let total: f32 = factions
            .iter()
            .map(|f| f.weight.max(0.0))
            .sum::<f32>()
            .max(1e-6);
        self.cands.clear();
        self.plain = 0;
        self.deltas.clear();
        self.nf = factions.len();
        self.shares.clear();
        self.shares
            .extend(factions.iter().map(|f| f.weight.max(0.0) / total));
        self.approvals.clear();
        self.approvals
            .extend(v.me.factions.iter().map(|f| f.approval));
        self.base = 0.0;
        self.base = self.support(&vec![0.0; self.nf]);
        self.scratch.get_mut().forget();
    }

    /// Weighted approval at home if the factions' approval moved by `deltas`.
    pub(super) fn support(&self, deltas: &[f32]) -> f32 {
        self.shares
            .iter()
            .zip(&self.approvals)
            .zip(deltas)
            .map(|((w, a), d)| w * (a + d).clamp(0.0, 100.0))
            .sum()
    }

    /// Own factions' approval change if candidate `j` is signed.
    fn deltas(&self, j: usize) -> &[f32] {
        &self.deltas[j * self.nf..(j + 1) * self.nf]
    }

    /// The pool's working space for packing.
    pub(super) fn scratch(&self) -> std::cell::RefMut<'_, Scratch> {
        let mut s = self.scratch.borrow_mut();
        if s.sum.len() != self.nf {
            s.sum = vec![0.0; self.nf];
            s.order.reserve(self.cands.len());
            s.keys.reserve(self.cands.len());
            s.pick.reserve(MAX_ITEMS);
        }
        s
    }
}

/// Working space for packing, reused across the packages of one decision.
#[derive(Default)]
pub(super) struct Scratch {
    /// Candidates ranked for the weight being tried, as sortable keys.
    order: Vec<u64>,
    /// The same keys before sorting.
    keys: Vec<u64>,
    /// Own factions' approval change of the package so far.
    sum: Vec<f32>,
    /// The package so far, as candidate indices.
    pub(super) pick: Vec<usize>,
    /// The last few walks down a ranking. A walk depends only on the candidates it looked at,
    /// in order (the pool and the view stay put within a decision), so a ranking that starts
    /// the same way packs the same package: neighbouring weights often rank alike.
    walks: Vec<Walk>,
    /// How many of `walks` hold a walk of this decision (the rest are spare buffers).
    live: usize,
    /// The next of `walks` to replace.
    next: usize,
}

impl Scratch {
    /// Forget the walks: the pool's scores are about to change.
    fn forget(&mut self) {
        self.live = 0;
        self.next = 0;
    }
}

/// How many walks `Scratch` remembers.
const WALKS: usize = 4;

/// One walk down a ranking and what it packed.
struct Walk {
    /// The candidates it looked at, in order.
    seen: Vec<u32>,
    /// Whether it looked at the whole ranking (rather than stopping at a full package).
    whole: bool,
    /// Both sides' capital and the support needed at home, which the walk also read.
    limits: [u32; 3],
    /// Capital ruled out some candidate.
    bound: bool,
    own: f32,
    theirs: f32,
    pick: Vec<usize>,
}

impl Walk {
    fn fits(&self, order: &[u64], limits: [u32; 3]) -> bool {
        self.limits == limits
            && if self.whole {
                order.len() == self.seen.len()
            } else {
                order.len() >= self.seen.len()
            }
            && self.seen.iter().zip(order).all(|(&j, &x)| x as u32 == j)
    }
}

/// Sort a ranking's keys into `sorted`. The keys are distinct, so each one's place is the number
/// of keys below it: counting them costs more comparisons than an insertion sort, but none of
/// them is a branch, and a ranking's order is unpredictable enough that an insertion sort's
/// branches cost more. Long rankings are sorted the usual way.
fn sort_keys(keys: &[u64], sorted: &mut Vec<u64>) {
    sorted.clear();
    if keys.len() > 32 {
        sorted.extend_from_slice(keys);
        sorted.sort_unstable();
        return;
    }
    sorted.resize(keys.len(), 0);
    for &x in keys {
        let below: usize = keys.iter().map(|&y| usize::from(y < x)).sum();
        sorted[below] = x;
    }
}

/// What each side spends, (this side, the other side), once it pays for `cd` too. The payer is
/// picked by adding the cost on one side and nothing on the other (spending never reaches -0, so
/// adding 0 changes nothing), not by a branch or a write at a computed index: both cost more than
/// the sum in the innermost loops of the search.
fn paying((mine, theirs): (f32, f32), cd: &Cand) -> (f32, f32) {
    (mine + cd.pays.0, theirs + cd.pays.1)
}

/// The same with `cd`'s cost given back.
fn refunded((mine, theirs): (f32, f32), cd: &Cand) -> (f32, f32) {
    (mine - cd.pays.0, theirs - cd.pays.1)
}

/// A gain raised to the bargaining power a counterpart claims (the common powers without `powf`,
/// which the package search calls often).
pub(super) fn claimed(gain: f32, power: f32) -> f32 {
    let g = gain.max(0.0);
    if power == 1.0 {
        g
    } else if power == 1.5 {
        g * g.sqrt()
    } else {
        g.powf(power)
    }
}

impl Counterpart {
    /// Every commitment this side could table now, scored once.
    pub(super) fn candidates(&self, v: &SideView, t: &PublicLevel, c: &Ctx, pool: &mut Pool) {
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
                let u = weighted(v, c.prio[m.area as usize], m, by) / c.span;
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
        let capital = [v.private.capital, v.them.capital];
        let add = |pool: &mut Pool, i: usize, m: &MeasureDef, by: Side, needs: u64| {
            let mut ver = self.pick_verification(v, t, c, m, by, capital_worth);
            // A pragmatist whose faith in them holds chooses its package with their promises at
            // their bare cost and valued unchecked, then asks for the checks from the capital
            // the package leaves them (`offer_of`): a check priced in bought one commitment
            // fewer for either side.
            let mut ask = None;
            if self.style.logrolls && by != me && self.conduct.belief.0 >= LET_DOWN {
                ask = ver.take();
            }
            // Its own promises too: a measure with no free self-report on its list would
            // otherwise be priced with its cheapest check, which can leave it out of reach
            // (the price of the check is paid from what the package leaves, `offer_of`).
            if self.style.logrolls && by == me && ver.is_some_and(|k| m.verification[k].cost > 0.0)
            {
                ask = ver.take();
            }
            let d0 = pool.deltas.len();
            pool.deltas.extend(
                v.private
                    .faction_rates
                    .iter()
                    .map(|r| reaction(r, m, by == me)),
            );
            // A leader near the edge does not even table what an angry faction would not swallow.
            if Self::endangered_by(v, c, &pool.deltas[d0..]).is_some() {
                pool.deltas.truncate(d0);
                return;
            }
            let cost = item_cost(m, ver);
            let payer = usize::from(by != me);
            let pays = if payer == 0 { (cost, 0.0) } else { (0.0, cost) };
            let own = self.worth(v, c, m, by, ver);
            pool.cands.push(Cand {
                i,
                by,
                ver,
                ask,
                own,
                at_face: if self.style.logrolls {
                    weighted(v, c.prio[m.area as usize], m, by) / c.span
                } else {
                    own
                },
                theirs: self.model.utility(m, by, me) / c.their_span,
                pays,
                load: cost / capital[payer].max(1e-3) + 0.02,
                benign: pool.deltas[d0..].iter().all(|d| *d >= 0.0),
                needs,
                gives: if i < 64 { 1 << i } else { 0 },
            });
        };
        for &(i, m, by) in &open {
            add(pool, i, m, by, 0);
        }
        pool.plain = pool.cands.len();
        if self.style.logrolls {
            for (i, by, needs) in Self::carried(v, t, pool) {
                add(pool, i, &t.measures()[i], by, needs);
            }
        }
    }

    /// Commitments not open alone whose only missing prerequisites are measures open now, with
    /// those measures (a bit each): the rules let a package carry a prerequisite with what
    /// needs it, and a pragmatist looking for the deal that serves both sides best looks there
    /// too. Only for a catalogue of at most 64 measures.
    fn carried(v: &SideView, t: &PublicLevel, pool: &Pool) -> Vec<(usize, Side, u64)> {
        let measures = t.measures();
        if measures.len() > 64 {
            return Vec::new();
        }
        let mut held = [0u64; 2];
        for cm in &v.commitments {
            if let Some((j, _)) = t.shared(&cm.measure) {
                held[cm.by.idx()] |= 1 << j;
            }
        }
        let in_force = held[0] | held[1];
        let (mut open, mut listed) = (0u64, [0u64; 2]);
        for cd in &pool.cands {
            open |= cd.gives;
            listed[cd.by.idx()] |= cd.gives;
        }
        let mut out = Vec::new();
        for (i, m) in measures.iter().enumerate() {
            for by in Side::BOTH {
                if !m.by.allows(by) || (held[by.idx()] | listed[by.idx()]) & (1 << i) != 0 {
                    continue;
                }
                let mut needs = 0u64;
                let ok = t.requirements(i).iter().all(|r| match *r {
                    Needs::Measure(j) if in_force & (1 << j) != 0 => true,
                    Needs::Measure(j) if open & (1 << j) != 0 => {
                        needs |= 1 << j;
                        true
                    }
                    Needs::Phase(p) => v.phase >= p,
                    _ => false,
                });
                if ok && needs != 0 {
                    out.push((i, by, needs));
                }
            }
        }
        out
    }

    /// Pack the best-scoring commitments for weight `lambda` on the other side's gain, while
    /// both sides can pay and the home parliament would still ratify.
    pub(super) fn pack(
        v: &SideView,
        pool: &Pool,
        lambda: f32,
        by_load: bool,
        scratch: &mut Scratch,
        capital_bound: &mut bool,
    ) -> (f32, f32) {
        let Scratch {
            order,
            keys,
            sum,
            pick,
            walks,
            live,
            next,
        } = scratch;
        let cands = &pool.cands[..pool.plain];
        // Ranked by worth, or by worth per share of the payer's capital when capital is what
        // limits the package; only commitments worth something at this weight are ranked.
        // Every candidate's key is written and only those worth something are kept (the next
        // one overwrites the rest): which are is unpredictable, and a branch on it costs more.
        keys.clear();
        keys.resize(cands.len(), 0);
        let mut ranked = 0;
        for (j, c) in cands.iter().enumerate() {
            let score = c.own + lambda * c.theirs;
            let key = if by_load { score / c.load } else { score };
            // A positive float's bits order like the float: inverted, they sort the best
            // first, and the candidate's index breaks ties the same way on every machine.
            keys[ranked] = (u64::from(!key.to_bits()) << 32) | j as u64;
            ranked += usize::from(score > 0.0);
        }
        keys.truncate(ranked);
        sort_keys(keys, order);
        let cap = [v.private.capital, v.them.capital];
        let threshold = v.private.ratify_at + 3.0;
        let limits = [cap[0].to_bits(), cap[1].to_bits(), threshold.to_bits()];
        if let Some(w) = walks[..*live].iter().find(|w| w.fits(order, limits)) {
            pick.clear();
            pick.extend_from_slice(&w.pick);
            *capital_bound |= w.bound;
            return (w.own, w.theirs);
        }
        pick.clear();
        let (mut spent, mut own, mut theirs) = ((0.0f32, 0.0f32), 0.0, 0.0);
        sum.iter_mut().for_each(|x| *x = 0.0);
        // Support only falls when some faction loses approval: once the package passes at
        // home, a commitment no faction minds keeps it passing. The picks' reactions are added
        // to `sum` only when a test needs it (`synced` of them are in), in the order they were
        // picked, so every sum comes out as if each had been added on the spot.
        let mut passes = pool.base >= threshold;
        let mut synced = 0;
        let (mut seen, mut bound) = (0, false);
        for &x in order.iter() {
            if pick.len() >= MAX_ITEMS {
                break;
            }
            seen += 1;
            let j = (x & 0xffff_ffff) as usize;
            let cd = &cands[j];
            let sp = paying(spent, cd);
            if (sp.0 > cap[0]) | (sp.1 > cap[1]) {
                bound = true;
                continue;
            }
            if !(passes && cd.benign) {
                for &p in &pick[synced..] {
                    for (s, d) in sum.iter_mut().zip(pool.deltas(p)) {
                        *s += d;
                    }
                }
                let delta = pool.deltas(j);
                for (s, d) in sum.iter_mut().zip(delta) {
                    *s += d;
                }
                if pool.support(sum) < threshold {
                    for (s, d) in sum.iter_mut().zip(delta) {
                        *s -= d;
                    }
                    synced = pick.len();
                    continue;
                }
                synced = pick.len() + 1;
                passes = true;
            }
            spent = sp;
            own += cd.own;
            theirs += cd.theirs;
            pick.push(j);
        }
        *capital_bound |= bound;
        let at = if *live < WALKS {
            *live += 1;
            *live - 1
        } else {
            let at = *next;
            *next = (*next + 1) % WALKS;
            at
        };
        if walks.len() <= at {
            walks.push(Walk {
                seen: Vec::with_capacity(cands.len()),
                whole: false,
                limits,
                bound,
                own,
                theirs,
                pick: Vec::with_capacity(MAX_ITEMS),
            });
        }
        let w = &mut walks[at];
        w.seen.clear();
        w.seen.extend(order[..seen].iter().map(|&x| x as u32));
        w.whole = seen == order.len();
        w.limits = limits;
        w.bound = bound;
        w.own = own;
        w.theirs = theirs;
        w.pick.clear();
        w.pick.extend_from_slice(pick);
        (own, theirs)
    }

    /// The most this side could get from one package now (both sides' capital permitting).
    pub(super) fn best_now(v: &SideView, pool: &Pool) -> f32 {
        let mut scratch = pool.scratch();
        let mut bound = false;
        let plain = Self::pack(v, pool, 0.0, false, &mut scratch, &mut bound).0;
        let by_load = if bound {
            Self::pack(v, pool, 0.0, true, &mut scratch, &mut bound).0
        } else {
            plain
        };
        plain.max(by_load).max(0.01)
    }

    /// The pool this side could table from now and the most it could get from one package,
    /// from the last decision's own scores when nothing they depend on has moved (see `Kept`).
    pub(super) fn pool_now(
        &self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
        kept: &mut Option<Kept>,
    ) -> (Pool, f32) {
        if let Some(k) = kept.as_mut()
            && let Some(mut pool) = k.pool.take()
        {
            if k.key.fits(self, v, t, c) {
                for cd in &mut pool.cands {
                    cd.theirs =
                        self.model.utility(&t.measures()[cd.i], cd.by, v.side) / c.their_span;
                }
                pool.scratch.get_mut().forget();
                // The most this side could get packs by its own scores alone (the other side's
                // count for nothing at weight 0), as long as theirs are numbers.
                let best = if pool.cands.iter().all(|cd| cd.theirs.is_finite()) {
                    k.best
                } else {
                    Self::best_now(v, &pool)
                };
                return (pool, best);
            }
            // Stale: its buffers serve the new pool.
            pool.rehome(v);
            return self.fresh_pool(v, t, c, pool, kept);
        }
        self.fresh_pool(v, t, c, Pool::home(v), kept)
    }

    /// Score `pool` (emptied, knowing the home front) afresh and keep what its own scores
    /// depend on for the next decision; the pool itself comes back after the decision.
    fn fresh_pool(
        &self,
        v: &SideView,
        t: &PublicLevel,
        c: &Ctx,
        mut pool: Pool,
        kept: &mut Option<Kept>,
    ) -> (Pool, f32) {
        self.candidates(v, t, c, &mut pool);
        let best = Self::best_now(v, &pool);
        *kept = Some(Kept {
            key: PoolKey::of(self, v, t, c),
            pool: None,
            best,
        });
        (pool, best)
    }

    /// What the other side claimed for itself in its latest offer, as this side's model
    /// estimates it (on the same scale as a candidate's `theirs`).
    pub(super) fn their_claim(&self, pool: &Pool) -> Option<f32> {
        Self::their_gain(pool, self.their_last.as_ref()?)
    }

    /// The other side's gain from a set of commitments, as this side's model estimates it.
    pub(super) fn their_gain(pool: &Pool, items: &[(usize, Side)]) -> Option<f32> {
        let claim: f32 = items
            .iter()
            .filter_map(|&(i, by)| pool.position(i, by))
            .map(|j| pool.cands[j].theirs)
            .sum();
        (claim > 0.0).then_some(claim)
    }

    /// The package best for this side among those giving the other side at least `theirs_min`
    /// (as the model sees it) and this side at least `own_min`.
    pub(super) fn package_giving(
        &self,
        v: &SideView,
        c: &Ctx,
        theirs_min: f32,
        own_min: f32,
    ) -> Option<(Vec<usize>, f32)> {
        let pool = &c.pool;
        let mut scratch = pool.scratch();
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Match;
    use crate::sim::scenario::{AiDef, Difficulty, Personality};

    /// A match of `level` without events or mediator, and a hard pragmatist in seat B.
    fn pragmatist_in_b(level: &str, seed: u64) -> (Match, Counterpart) {
        let mut sc = crate::level::load(std::path::Path::new(level)).expect("the level loads");
        sc.event_chance = 0.0;
        sc.mediator = None;
        let style =
            crate::ai::Style::new(Personality::Pragmatist, Difficulty::Hard, &AiDef::default());
        (
            Match::new(Arc::new(sc), seed),
            Counterpart::new(style, Side::B, 1),
        )
    }

    /// A pragmatist prices a promise of its own whose every listed check costs capital at the
    /// promise's bare cost, and puts the cheapest check on it from what the package leaves: with
    /// capital to spare the promise is tabled checked, with capital for the promise alone it is
    /// still tabled, on self-report.
    #[test]
    fn a_promise_with_no_free_check_is_priced_bare_and_checked_from_what_is_left() {
        let mut sc = crate::level::load(std::path::Path::new("levels/ceasefire_line.ron"))
            .expect("the level loads");
        sc.event_chance = 0.0;
        sc.mediator = None;
        let k = sc
            .measures
            .iter()
            .position(|m| m.id == "security_calendar")
            .expect("the measure");
        sc.measures[k].verification.retain(|x| x.cost > 0.0);
        let m = Match::new(Arc::new(sc), 3);
        let style =
            crate::ai::Style::new(Personality::Pragmatist, Difficulty::Hard, &AiDef::default());
        let cp = Counterpart::new(style, Side::A, 1);
        let t = m.scenario.public();
        let v = m.view(Side::A);
        let c = cp.ctx(&v, t, true);
        let pool = &c.pool;
        let j = pool
            .cands
            .iter()
            .position(|cd| cd.i == k && cd.by == Side::A)
            .expect("open to this side");
        let def = &t.measures()[k];
        let cheapest = (0..def.verification.len())
            .min_by(|&a, &b| {
                def.verification[a]
                    .cost
                    .total_cmp(&def.verification[b].cost)
            })
            .expect("a check");
        assert!(def.verification[cheapest].cost > 0.0);
        assert_eq!(pool.cands[j].pays, (def.cost, 0.0));
        assert!(v.private.capital >= def.cost + def.verification[cheapest].cost);
        let offer = cp.offer_of(&v, t, pool, &[j]);
        assert_eq!(offer.items[0].verification, Some(cheapest));
        let mut tight = v.clone();
        tight.private.capital = def.cost;
        let offer = cp.offer_of(&tight, t, pool, &[j]);
        assert_eq!(offer.items[0].verification, None);
        let seen = crate::sim::rules::Seen::new(&tight, t);
        assert_eq!(
            crate::sim::rules::check_offer(&seen, Side::A, &offer),
            Ok(())
        );
    }

    /// Every package of the tutorial's opening pool, checked one by one, against the branch and
    /// bound: none that meets its constraints has a larger product.
    #[test]
    fn the_exact_package_beats_every_other_package_of_a_small_pool() {
        let (m, cp) = pragmatist_in_b("levels/tutorial.ron", 11);
        let t = m.scenario.public();
        let v = m.view(Side::B);
        let c = cp.ctx(&v, t, true);
        let pool = &c.pool;
        let n = pool.cands.len();
        assert!((4..=16).contains(&n), "a small pool: {n}");
        let (pick, merit) =
            Counterpart::exact_package(&v, pool, (0.0, 0.0), 1.5).expect("a package");
        let mut best = 0.0f32;
        for mask in 1u32..(1 << n) {
            let set: Vec<usize> = (0..n).filter(|j| mask & (1 << j) != 0).collect();
            let mut spent = [0.0f32; 2];
            let mut sums = vec![0.0f32; pool.nf];
            let (mut own, mut theirs, mut face) = (0.0, 0.0, 0.0);
            let (mut gives, mut needs) = (0u64, 0u64);
            for &j in &set {
                let cd = &pool.cands[j];
                gives |= cd.gives;
                needs |= cd.needs;
                spent[0] += cd.pays.0;
                spent[1] += cd.pays.1;
                own += cd.own;
                theirs += cd.theirs;
                face += cd.at_face;
                for (s, d) in sums
                    .iter_mut()
                    .zip(&pool.deltas[j * pool.nf..(j + 1) * pool.nf])
                {
                    *s += d;
                }
            }
            if set.len() > MAX_ITEMS
                || spent[0] > v.private.capital + 1e-4
                || spent[1] > v.them.capital + 1e-4
                || own < 0.0
                || theirs <= 0.0
                || needs & !gives != 0
                || pool.support(&sums) < v.private.ratify_at + 3.0
            {
                continue;
            }
            best = best.max(claimed(face, 1.5) * theirs);
        }
        assert!(best > 0.0);
        assert!((merit - best).abs() < 1e-5, "{merit} against {best}");
        assert!(!pick.is_empty() && pick.len() <= MAX_ITEMS);
    }

    /// On the Grey Line a commitment whose prerequisite is not yet in force is in a
    /// pragmatist's pool, and the searches table it only with that prerequisite, which the rules
    /// accept; alone the rules refuse it.
    #[test]
    fn a_commitment_is_tabled_with_the_prerequisite_it_needs() {
        use crate::sim::rules::{Seen, check_offer};
        let (m, cp) = pragmatist_in_b("levels/ceasefire_line.ron", 5);
        let t = m.scenario.public();
        let v = m.view(Side::B);
        let c = cp.ctx(&v, t, true);
        let pool = &c.pool;
        let propose = |pick: &[usize]| {
            let offer = cp.offer_of(&v, t, pool, pick);
            check_offer(&Seen::new(&v, t), Side::B, &offer)
        };
        let mut pairs = 0;
        for d in pool.plain..pool.cands.len() {
            let need = pool.cands[d].needs;
            assert_ne!(need, 0);
            assert!(propose(&[d]).is_err(), "alone it cannot be tabled");
            // Every plain candidate that supplies all it needs makes a legal pair.
            for p in (0..pool.plain).filter(|&p| need & !pool.cands[p].gives == 0) {
                let cost = |j: usize| pool.cands[j].pays;
                let (a, b) = (cost(d), cost(p));
                if a.0 + b.0 <= v.private.capital && a.1 + b.1 <= v.them.capital {
                    assert!(
                        propose(&[p, d]).is_ok(),
                        "with its prerequisite it can: {:?}",
                        propose(&[p, d])
                    );
                    pairs += 1;
                }
            }
        }
        assert!(pairs > 0, "the Grey Line opens with prerequisites to carry");
        // The local search never leaves a need unmet, whichever way it moves.
        let affordable = |j: usize| {
            let (a, b) = pool.cands[j].pays;
            a <= v.private.capital && b <= v.them.capital
        };
        for start in (0..pool.plain).filter(|&j| affordable(j)) {
            let mut pick = vec![start];
            Counterpart::improve(&v, pool, (0.0, 0.0), 1.5, &mut pick, false);
            let gives = pick.iter().fold(0, |g, &j| g | pool.cands[j].gives);
            let needs = pick.iter().fold(0, |n, &j| n | pool.cands[j].needs);
            assert_eq!(needs & !gives, 0);
            assert!(propose(&pick).is_ok(), "{:?}", propose(&pick));
        }
    }
}
