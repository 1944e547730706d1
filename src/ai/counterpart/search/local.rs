//! The local search: a package polished by single additions, removals and swaps, where the
//! sweep has found the region.

use super::{Pool, claimed, paying, refunded};
use crate::ai::counterpart::Counterpart;
use crate::sim::SideView;
use crate::sim::offers::MAX_ITEMS;

impl Counterpart {
    /// Polish a package by single additions, removals and swaps while the product of both
    /// sides' estimated gains grows (its own counted at face value, see `Cand::at_face`), its
    /// own gain stays at `bounds.0` or above and theirs at
    /// `bounds.1` or above: the sweep finds the region, this finds the corner capital and the
    /// item limit leave. With `must_move` the first move is taken even if the product falls
    /// (a step away from a package that was turned down).
    pub(in crate::ai::counterpart) fn improve(
        v: &SideView,
        pool: &Pool,
        bounds: (f32, f32),
        power: f32,
        pick: &mut Vec<usize>,
        must_move: bool,
    ) {
        let (target, min_theirs) = bounds;
        let nf = pool.nf;
        let cands = &pool.cands;
        let cap = [v.private.capital + 1e-4, v.them.capital + 1e-4];
        let ratify = v.private.ratify_at + 3.0;
        // Running totals of the current package, so each move is judged by its difference.
        let mut spent = (0.0f32, 0.0f32);
        let (mut own, mut theirs) = (0.0f32, 0.0f32);
        let mut face = 0.0f32;
        let mut sum = vec![0.0f32; nf];
        let mut inside = vec![false; cands.len()];
        for &j in pick.iter() {
            let cd = &cands[j];
            spent = paying(spent, cd);
            own += cd.own;
            face += cd.at_face;
            theirs += cd.theirs;
            for (s, d) in sum.iter_mut().zip(pool.deltas(j)) {
                *s += d;
            }
            inside[j] = true;
        }
        let merit = |o: f32, th: f32| claimed(o, power) * th;
        if spent.0 > cap[0]
            || spent.1 > cap[1]
            || own < target
            || theirs <= 0.0
            || pool.support(&sum) < ratify
        {
            return;
        }
        let mut score = if must_move {
            f32::NEG_INFINITY
        } else {
            merit(face, theirs)
        };
        let mut trial = vec![0.0f32; nf];
        let mut outside = Vec::with_capacity(cands.len());
        for _ in 0..4 {
            outside.clear();
            outside.extend((0..cands.len()).filter(|&j| !inside[j]));
            // (position to drop, candidate to add, merit); a swap does both. Moves are tried
            // dropping each position in turn, then none, and for each adding every candidate
            // outside in order, then none; the first of equal merit is kept.
            let mut found: Option<(Option<usize>, Option<usize>, f32)> = None;
            let n = pick.len();
            for k in 0..=n {
                let drop = pick.get(k).copied();
                // The package with `drop` taken out.
                let (mut sp0, mut o0, mut th0, mut f0) = (spent, own, theirs, face);
                if let Some(r) = drop {
                    let cd = &cands[r];
                    sp0 = refunded(sp0, cd);
                    o0 -= cd.own;
                    th0 -= cd.theirs;
                    f0 -= cd.at_face;
                }
                let left = n - usize::from(drop.is_some());
                // Prerequisites the package without `drop` supplies and needs: an addition
                // must leave none missing.
                let (gives, needs) = pick
                    .iter()
                    .enumerate()
                    .filter(|&(x, _)| x != k)
                    .fold((0u64, 0u64), |(g, nd), (_, &j)| {
                        (g | cands[j].gives, nd | cands[j].needs)
                    });
                let mut consider =
                    |add: Option<usize>,
                     sp: (f32, f32),
                     o: f32,
                     th: f32,
                     found: &mut Option<(Option<usize>, Option<usize>, f32)>| {
                        // One branch for the cheap tests: which of them fails is unpredictable.
                        if (sp.0 > cap[0])
                            | (sp.1 > cap[1])
                            | (o < target)
                            | (th <= 0.0)
                            | (th < min_theirs)
                        {
                            return;
                        }
                        let sc = merit(f0 + add.map_or(0.0, |a| cands[a].at_face), th);
                        if sc <= score + 1e-6 || found.is_some_and(|f| sc <= f.2) {
                            return;
                        }
                        // The home front is checked last: it is the dearest test.
                        trial.copy_from_slice(&sum);
                        if let Some(r) = drop {
                            trial
                                .iter_mut()
                                .zip(pool.deltas(r))
                                .for_each(|(s, d)| *s -= d);
                        }
                        if let Some(a) = add {
                            trial
                                .iter_mut()
                                .zip(pool.deltas(a))
                                .for_each(|(s, d)| *s += d);
                        }
                        if pool.support(&trial) >= ratify {
                            *found = Some((drop.map(|_| k), add, sc));
                        }
                    };
                if left < MAX_ITEMS {
                    // The cheap tests first, for every addition at once and without a branch
                    // (which pass is unpredictable), then the rest for those that passed.
                    let cheap = |a: usize| {
                        let cd = &cands[a];
                        let sp = paying(sp0, cd);
                        let (o, th) = (o0 + cd.own, th0 + cd.theirs);
                        let fails = (sp.0 > cap[0])
                            | (sp.1 > cap[1])
                            | (o < target)
                            | (th <= 0.0)
                            | (th < min_theirs)
                            | ((needs | cd.needs) & !(gives | cd.gives) != 0);
                        (!fails, sp, o, th)
                    };
                    for chunk in outside.chunks(64) {
                        let mut passed = 0u64;
                        for (bit, &a) in chunk.iter().enumerate() {
                            passed |= u64::from(cheap(a).0) << bit;
                        }
                        while passed != 0 {
                            let a = chunk[passed.trailing_zeros() as usize];
                            passed &= passed - 1;
                            let (_, sp, o, th) = cheap(a);
                            consider(Some(a), sp, o, th, &mut found);
                        }
                    }
                }
                if drop.is_some() && left > 0 && left <= MAX_ITEMS && needs & !gives == 0 {
                    consider(None, sp0, o0, th0, &mut found);
                }
            }
            let Some((drop, add, sc)) = found else {
                break;
            };
            if let Some(k) = drop {
                let r = pick.swap_remove(k);
                let cd = &cands[r];
                spent = refunded(spent, cd);
                own -= cd.own;
                face -= cd.at_face;
                theirs -= cd.theirs;
                sum.iter_mut()
                    .zip(pool.deltas(r))
                    .for_each(|(s, d)| *s -= d);
                inside[r] = false;
            }
            if let Some(a) = add {
                pick.push(a);
                let cd = &cands[a];
                spent = paying(spent, cd);
                own += cd.own;
                face += cd.at_face;
                theirs += cd.theirs;
                sum.iter_mut()
                    .zip(pool.deltas(a))
                    .for_each(|(s, d)| *s += d);
                inside[a] = true;
            }
            score = sc;
        }
        pick.sort_unstable();
    }
}
