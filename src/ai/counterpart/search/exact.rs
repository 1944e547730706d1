//! The exact search of a small pool: every package both sides can pay for, by branch and
//! bound, where the sweep cannot see the corners capital and the item limit leave.

use super::{Pool, claimed, paying};
use crate::ai::counterpart::Counterpart;
use crate::sim::SideView;
use crate::sim::offers::MAX_ITEMS;

/// Most partial packages the exact search visits before it gives up (the sweep's package then
/// stands): enough for every package of the small pools late in a match, and a bound on the
/// time a decision takes when the pool is large.
const EXACT_NODES: u32 = 4_000;

/// The exact search's working state: the candidates worth a place, best first, and what the
/// package so far spends, gives and does to the home front. This side's gain in the product is
/// counted at face value (`Cand::at_face`); its aspiration is checked on its full worth.
struct Exact<'a> {
    v: &'a SideView,
    pool: &'a Pool,
    order: Vec<usize>,
    /// What the candidates from each position on could still add to this side's gain at face
    /// value and to theirs.
    rest: Vec<(f32, f32)>,
    /// Positions in `order` of the candidates worth something to this side at face value (0)
    /// and to the other side (1): best worth per unit of capital first, and best worth first.
    by_rate: [Vec<usize>; 2],
    by_worth: [Vec<usize>; 2],
    bounds: (f32, f32),
    power: f32,
    cap: [f32; 2],
    ratify: f32,
    nodes: u32,
    pick: Vec<usize>,
    sums: Vec<f32>,
    best: Option<(Vec<usize>, f32)>,
}

impl Exact<'_> {
    /// A candidate's worth to this side at face value (`which` 0) or to the other side (1),
    /// nothing if negative.
    fn worth(&self, which: usize, j: usize) -> f32 {
        let cd = &self.pool.cands[j];
        if which == 0 { cd.at_face } else { cd.theirs }.max(0.0)
    }

    /// The most the candidates from position `from` on could add to one side's gain (`which`
    /// as in `worth`): no more than each payer's capital left buys of them, taken a fraction at
    /// a time best worth per unit first, nor than the best of them in the slots left. Tighter
    /// than the sum of all that is left, so far fewer packages are visited in a large pool.
    fn most(&self, which: usize, from: usize, spent: (f32, f32), slots: usize) -> f32 {
        let me = self.v.side;
        let mut left = [self.cap[0] - spent.0, self.cap[1] - spent.1];
        let mut bought = 0.0f32;
        for &k in &self.by_rate[which] {
            if k < from {
                continue;
            }
            let j = self.order[k];
            let cd = &self.pool.cands[j];
            let payer = usize::from(cd.by != me);
            let cost = cd.pays.0 + cd.pays.1;
            if cost <= left[payer] {
                left[payer] -= cost;
                bought += self.worth(which, j);
            } else if left[payer] > 0.0 {
                bought += self.worth(which, j) * left[payer] / cost;
                left[payer] = 0.0;
            }
        }
        let mut best = 0.0f32;
        let mut n = 0;
        for &k in &self.by_worth[which] {
            if n == slots {
                break;
            }
            if k >= from {
                best += self.worth(which, self.order[k]);
                n += 1;
            }
        }
        bought.min(best)
    }

    /// `prereq`: the measures the package so far supplies and those it needs (a bit each).
    fn visit(
        &mut self,
        from: usize,
        spent: (f32, f32),
        (own, theirs, face): (f32, f32, f32),
        prereq: (u64, u64),
    ) {
        self.nodes += 1;
        if self.nodes > EXACT_NODES {
            return;
        }
        let (target, min_theirs) = self.bounds;
        let merit = |o: f32, th: f32| claimed(o, self.power) * th;
        if !self.pick.is_empty()
            && own >= target
            && theirs > 0.0
            && theirs >= min_theirs
            && prereq.1 & !prereq.0 == 0
            && self
                .best
                .as_ref()
                .is_none_or(|b| merit(face, theirs) > b.1 + 1e-6)
        {
            let nf = self.pool.nf;
            let d = self.pick.len() * nf;
            if self.pool.support(&self.sums[d..d + nf]) >= self.ratify {
                self.best = Some((self.pick.clone(), merit(face, theirs)));
            }
        }
        if self.pick.len() >= MAX_ITEMS || from >= self.order.len() {
            return;
        }
        // Nothing further down can beat the best found, even taking every gain left.
        if let Some(b) = &self.best {
            let (f_up, t_up) = self.rest[from];
            if merit(face + f_up, theirs + t_up) <= b.1 + 1e-6 {
                return;
            }
            let slots = MAX_ITEMS - self.pick.len();
            let f_up = f_up.min(self.most(0, from, spent, slots));
            let t_up = t_up.min(self.most(1, from, spent, slots));
            if merit(face + f_up, theirs + t_up) <= b.1 + 1e-6 {
                return;
            }
        }
        let me = self.v.side;
        for k in from..self.order.len() {
            let j = self.order[k];
            let cd = &self.pool.cands[j];
            let payer = usize::from(cd.by != me);
            let sp = paying(spent, cd);
            if (if payer == 0 { sp.0 } else { sp.1 }) > self.cap[payer] {
                continue;
            }
            let nf = self.pool.nf;
            let d = self.pick.len() * nf;
            let (head, tail) = self.sums.split_at_mut(d + nf);
            for ((n, s), x) in tail[..nf]
                .iter_mut()
                .zip(&head[d..])
                .zip(&self.pool.deltas[j * nf..(j + 1) * nf])
            {
                *n = s + x;
            }
            self.pick.push(j);
            let (gives, needs) = (prereq.0 | cd.gives, prereq.1 | cd.needs);
            self.visit(
                k + 1,
                sp,
                (own + cd.own, theirs + cd.theirs, face + cd.at_face),
                (gives, needs),
            );
            self.pick.pop();
            if self.nodes > EXACT_NODES {
                return;
            }
        }
    }
}

impl Counterpart {
    /// The package with the largest product of both sides' estimated gains (own gain at face
    /// value, raised to `power`) among every package both sides can pay for, of at most [`MAX_ITEMS`], that the
    /// home parliament would ratify, giving this side at least `bounds.0` and the other at
    /// least `bounds.1`: found exactly, or `None` when the pool is too large to search within
    /// [`EXACT_NODES`] or no package qualifies. The sweep cannot see the corners capital and
    /// the item limit leave in a small pool, where one commitment is much of the zone.
    pub(in crate::ai::counterpart) fn exact_package(
        v: &SideView,
        pool: &Pool,
        bounds: (f32, f32),
        power: f32,
    ) -> Option<(Vec<usize>, f32)> {
        // A commitment worth nothing to either side only lowers the product.
        let mut order: Vec<usize> = (0..pool.cands.len())
            .filter(|&j| {
                let cd = &pool.cands[j];
                cd.own > 0.0 || cd.theirs > 0.0 || cd.at_face > 0.0
            })
            .collect();
        order.sort_by(|&a, &b| {
            let s = |j: usize| pool.cands[j].own + pool.cands[j].theirs;
            s(b).total_cmp(&s(a)).then(a.cmp(&b))
        });
        let mut rest = vec![(0.0f32, 0.0f32); order.len() + 1];
        for k in (0..order.len()).rev() {
            let cd = &pool.cands[order[k]];
            rest[k] = (
                rest[k + 1].0 + cd.at_face.max(0.0),
                rest[k + 1].1 + cd.theirs.max(0.0),
            );
        }
        let ranked = |which: usize, by_rate: bool| {
            let worth = |k: usize| {
                let cd = &pool.cands[order[k]];
                let w = if which == 0 { cd.at_face } else { cd.theirs };
                if by_rate {
                    w / (cd.pays.0 + cd.pays.1).max(1e-6)
                } else {
                    w
                }
            };
            let mut r: Vec<usize> = (0..order.len())
                .filter(|&k| {
                    let cd = &pool.cands[order[k]];
                    (if which == 0 { cd.at_face } else { cd.theirs }) > 0.0
                })
                .collect();
            r.sort_by(|&a, &b| worth(b).total_cmp(&worth(a)).then(a.cmp(&b)));
            r
        };
        let by_rate = [ranked(0, true), ranked(1, true)];
        let by_worth = [ranked(0, false), ranked(1, false)];
        let mut e = Exact {
            v,
            pool,
            order,
            rest,
            by_rate,
            by_worth,
            bounds,
            power,
            cap: [v.private.capital + 1e-4, v.them.capital + 1e-4],
            ratify: v.private.ratify_at + 3.0,
            nodes: 0,
            pick: Vec::with_capacity(MAX_ITEMS),
            sums: vec![0.0; (MAX_ITEMS + 1) * pool.nf],
            best: None,
        };
        e.visit(0, (0.0, 0.0), (0.0, 0.0, 0.0), (0, 0));
        if e.nodes > EXACT_NODES {
            return None;
        }
        let (mut pick, merit) = e.best?;
        pick.sort_unstable();
        Some((pick, merit))
    }
}
