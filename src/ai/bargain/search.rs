//! Finding the offer that meets an aspiration and gives the other side most, as a table of
//! their (estimated) additive utility says. Small spaces are listed whole and searched exactly;
//! large ones (ten issues of ten values is ten billion outcomes) by a sweep of weighted sums,
//! which additive utilities let each issue settle on its own, then single and paired changes.

use super::{Additive, Outcome};

/// Largest space listed whole: about a megabyte, and a scan of it well under a millisecond in a
/// release build.
pub const ENUMERATE_LIMIT: u64 = 50_000;

/// Outcomes above the target a listed search looks at, at least: beyond them it stops once our
/// utility is [`BAND`] of the span above the target (offers worth much more to us than we ask
/// rarely give the other side more).
const SCAN: usize = 512;

/// See [`SCAN`].
const BAND: f64 = 0.15;

/// A step down our utility, as a share of its span, where outcomes are not listed.
const STEP: f64 = 0.005;

/// Rounds of improving moves in a large space.
const MOVES: usize = 64;

/// Most single changes whose pairs are tried (ten issues of ten values have 90).
const PAIRED: usize = 400;

/// The offer search over one utility's outcome space.
#[derive(Debug, Clone)]
pub struct Search {
    /// Every outcome, flattened, sorted by our utility from the highest (small spaces only).
    listed: Option<Listed>,
}

#[derive(Debug, Clone)]
struct Listed {
    issues: usize,
    flat: Vec<u16>,
    own: Vec<f64>,
}

impl Search {
    /// Prepare the search for `own`'s space.
    pub fn new(own: &Additive) -> Self {
        let n = own.outcomes();
        if n > ENUMERATE_LIMIT {
            return Search { listed: None };
        }
        let sizes = own.sizes();
        let issues = sizes.len();
        let mut all: Vec<(f64, Outcome)> = Vec::with_capacity(n as usize);
        let mut o = vec![0u16; issues];
        loop {
            all.push((own.utility(&o), o.clone()));
            // Odometer over the issues' values.
            let mut i = 0;
            while i < issues {
                o[i] += 1;
                if (o[i] as usize) < sizes[i] {
                    break;
                }
                o[i] = 0;
                i += 1;
            }
            if i == issues {
                break;
            }
        }
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let own_u = all.iter().map(|(u, _)| *u).collect();
        let flat = all.into_iter().flat_map(|(_, o)| o).collect();
        Search {
            listed: Some(Listed {
                issues,
                flat,
                own: own_u,
            }),
        }
    }

    /// A search that never lists the space, whatever its size (to compare the two ways).
    pub fn unlisted() -> Self {
        Search { listed: None }
    }

    /// Whether the space is listed whole (and the search exact).
    pub fn exact(&self) -> bool {
        self.listed.is_some()
    }

    /// The outcome worth at least `target` to us that `opp` values most (ties: the one worth
    /// least to us); our best outcome when nothing reaches `target`.
    pub fn find(&self, own: &Additive, opp: &[Vec<f64>], target: f64) -> Outcome {
        self.find_fresh(own, opp, target, &|_| false)
    }

    /// The outcome next below utility `u` to us: in a listed space the next in our ranking; in a
    /// large one, an outcome `opp` values most among those a small step down.
    pub fn below(&self, own: &Additive, opp: &[Vec<f64>], u: f64) -> Option<Outcome> {
        match &self.listed {
            Some(l) => {
                let j = l.own.partition_point(|&x| x >= u - 1e-12);
                (j < l.own.len()).then(|| l.flat[j * l.issues..(j + 1) * l.issues].to_vec())
            }
            None => Some(local(own, opp, u - STEP * span(&own.table))),
        }
    }

    /// As [`Search::find`], but an outcome `used` marks is taken only when no other meets the
    /// target (in a large space: none one change away from the best).
    pub fn find_fresh(
        &self,
        own: &Additive,
        opp: &[Vec<f64>],
        target: f64,
        used: &dyn Fn(&[u16]) -> bool,
    ) -> Outcome {
        match &self.listed {
            Some(l) => l.find(opp, target, BAND * span(&own.table), used),
            None => {
                let x = local(own, opp, target);
                if used(&x) {
                    neighbour(own, opp, target, &x, used).unwrap_or(x)
                } else {
                    x
                }
            }
        }
    }
}

/// The outcome one value away from `x` that meets the target, is not `used`, and `opp` values
/// most (ties: the one worth least to us).
fn neighbour(
    own: &Additive,
    opp: &[Vec<f64>],
    target: f64,
    x: &[u16],
    used: &dyn Fn(&[u16]) -> bool,
) -> Option<Outcome> {
    let ua = own.utility(x);
    let mut best: Option<(f64, f64, Outcome)> = None;
    let mut y = x.to_vec();
    for (i, r) in own.table.iter().enumerate() {
        let cur = x[i] as usize;
        for v in 0..r.len() {
            if v == cur || ua + r[v] - r[cur] < target - 1e-12 {
                continue;
            }
            y[i] = v as u16;
            if !used(&y) {
                let b: f64 = opp.iter().zip(&y).map(|(t, &k)| t[k as usize]).sum();
                let a = ua + r[v] - r[cur];
                if best
                    .as_ref()
                    .is_none_or(|(bb, ba, _)| b > bb + 1e-12 || (b > bb - 1e-12 && a < *ba))
                {
                    best = Some((b, a, y.clone()));
                }
            }
            y[i] = x[i];
        }
    }
    best.map(|(_, _, o)| o)
}

impl Listed {
    fn find(
        &self,
        opp: &[Vec<f64>],
        target: f64,
        band: f64,
        used: &dyn Fn(&[u16]) -> bool,
    ) -> Outcome {
        let k = self.own.partition_point(|&u| u >= target - 1e-12).max(1);
        let mut best = (f64::NEG_INFINITY, 0usize);
        let mut fresh: Option<(f64, usize)> = None;
        let stop = k.saturating_sub(SCAN);
        // From the outcome nearest the target upward: among equals the model cannot tell apart,
        // the one that concedes what the aspiration says and no more.
        for j in (0..k).rev() {
            if j < stop && self.own[j] > target + band {
                break;
            }
            let o = &self.flat[j * self.issues..(j + 1) * self.issues];
            let b: f64 = opp.iter().zip(o).map(|(t, &v)| t[v as usize]).sum();
            if b > best.0 + 1e-12 {
                best = (b, j);
            }
            if fresh.is_none_or(|(f, _)| b > f + 1e-12) && !used(o) {
                fresh = Some((b, j));
            }
        }
        let j = fresh.map_or(best.1, |(_, j)| j);
        self.flat[j * self.issues..(j + 1) * self.issues].to_vec()
    }
}

/// Span of an additive table's sums (at least a tiny positive number).
fn span(t: &[Vec<f64>]) -> f64 {
    let (lo, hi) = t.iter().fold((0.0, 0.0), |(lo, hi), r| {
        let mn = r.iter().copied().fold(f64::INFINITY, f64::min);
        let mx = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo + mn, hi + mx)
    });
    (hi - lo).max(1e-12)
}

/// The outcome maximising `l` times our utility plus `1 - l` times theirs, each scaled to its
/// span, issue by issue.
fn weighted(own: &[Vec<f64>], opp: &[Vec<f64>], l: f64, sa: f64, sb: f64) -> Outcome {
    own.iter()
        .zip(opp)
        .map(|(a, b)| {
            let mut k = 0;
            let mut best = f64::NEG_INFINITY;
            for v in 0..a.len() {
                let s = l * a[v] / sa + (1.0 - l) * b[v] / sb;
                if s > best || (s == best && a[v] > a[k]) {
                    best = s;
                    k = v;
                }
            }
            k as u16
        })
        .collect()
}

/// Up to two (issue, new value) changes; the count used goes beside it.
type Change = [(usize, u16); 2];

fn local(own: &Additive, opp: &[Vec<f64>], target: f64) -> Outcome {
    let a = &own.table;
    let (sa, sb) = (span(a), span(opp));
    let value =
        |o: &[u16], t: &[Vec<f64>]| -> f64 { t.iter().zip(o).map(|(r, &v)| r[v as usize]).sum() };
    // The least weight on our own utility whose weighted-sum outcome still meets the target.
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let mut x = weighted(a, opp, 1.0, sa, sb);
    if value(&x, a) < target {
        return x;
    }
    let at_zero = weighted(a, opp, 0.0, sa, sb);
    if value(&at_zero, a) >= target {
        x = at_zero;
    } else {
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            let y = weighted(a, opp, mid, sa, sb);
            if value(&y, a) >= target {
                hi = mid;
                x = y;
            } else {
                lo = mid;
            }
        }
    }
    // Then single and paired changes that keep the target and give them more.
    let mut ua = value(&x, a);
    for _ in 0..MOVES {
        let moves: Vec<(usize, u16, f64, f64)> = a
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                let cur = x[i] as usize;
                (0..r.len())
                    .filter(move |&v| v != cur)
                    .map(move |v| (i, v as u16, r[v] - r[cur], opp[i][v] - opp[i][cur]))
            })
            .collect();
        let mut best: Option<(f64, f64, Change, usize)> = None;
        let mut consider = |db: f64, da: f64, m: Change, n: usize| {
            // Better for them, or as good for them and nearer the target for us.
            if ua + da < target - 1e-12 || db < -1e-12 || (db < 1e-12 && da > -1e-12) {
                return;
            }
            if best.is_none_or(|(bb, ba, _, _)| db > bb + 1e-12 || (db > bb - 1e-12 && da < ba)) {
                best = Some((db, da, m, n));
            }
        };
        for &(i, v, da, db) in &moves {
            consider(db, da, [(i, v), (i, v)], 1);
        }
        // Pairs only where there are few enough single changes to pair them all.
        let pairs = if moves.len() <= PAIRED {
            &moves[..]
        } else {
            &[][..]
        };
        for (p, &(i, v, da, db)) in pairs.iter().enumerate() {
            for &(j, w, da2, db2) in &pairs[p + 1..] {
                if j != i {
                    consider(db + db2, da + da2, [(i, v), (j, w)], 2);
                }
            }
        }
        let Some((_, _, m, n)) = best else {
            break;
        };
        for &(i, v) in &m[..n] {
            x[i] = v;
        }
        ua = value(&x, a);
    }
    x
}
