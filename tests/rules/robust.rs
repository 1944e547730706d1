//! A level the checker accepts plays to the end, whatever its numbers: shipped levels with
//! numbers changed at random, kept only when the checker accepts them, are played by every
//! counterpart of the pool in both seats, without a panic and without a NaN or an infinite
//! value in the scores, the meters or the history.

use crate::common::*;
use detente::eval::tournament;
use detente::level;
use detente::runner;
use detente::sim::*;
use detente::table::{Seat, counterpart};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One step from a value to a part of it.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A number of the level: where it is, and whether it is a whole number.
#[derive(Debug, Clone)]
struct Leaf {
    at: Vec<Step>,
    whole: bool,
}

/// Every number under `v`, grouped by the last field name on its way (`tension`, `weight`,
/// `priorities`, `terms`, ...), so that a rare field is as likely to be changed as one that
/// every effects group repeats.
fn numbers(v: &Value, at: &mut Vec<Step>, group: &str, out: &mut BTreeMap<String, Vec<Leaf>>) {
    match v {
        Value::Number(n) => out.entry(group.to_string()).or_default().push(Leaf {
            at: at.clone(),
            whole: n.is_u64(),
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Step::Index(i));
                numbers(item, at, group, out);
                at.pop();
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                let field = k.starts_with(|c: char| c.is_ascii_lowercase());
                at.push(Step::Key(k.clone()));
                numbers(item, at, if field { k } else { group }, out);
                at.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// `at` written as the guide writes field paths.
fn path(at: &[Step]) -> String {
    let mut p = String::new();
    for s in at {
        match s {
            Step::Key(k) if p.is_empty() => p += k,
            Step::Key(k) if k.starts_with(|c: char| c.is_ascii_lowercase()) => {
                p += &format!(".{k}")
            }
            Step::Key(k) => p += &format!("[{k}]"),
            Step::Index(i) => p += &format!("[{i}]"),
        }
    }
    p
}

fn leaf_mut<'v>(v: &'v mut Value, at: &[Step]) -> &'v mut Value {
    at.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// Decimals at the edges of the guide's ranges and just outside them, tiny and huge ones, and
/// draws from wide ranges.
const DECIMALS: &[f32] = &[
    0.0,
    -0.0,
    1e-7,
    -1e-7,
    1e-40,
    0.5,
    1.0,
    -1.0,
    1.0001,
    -1.0001,
    8.0,
    8.001,
    10.0,
    -10.0,
    10.001,
    -10.001,
    100.0,
    -100.0,
    100.001,
    -0.001,
    1000.0,
    1000.1,
    -1000.0,
    1e6,
    -1e6,
    f32::MAX,
    f32::MIN,
];

const WHOLES: &[u64] = &[0, 1, 2, 3, 20, 21, 200, 201, 1000, u32::MAX as u64];

/// The value `pick` and `draw` choose for a number.
fn value(whole: bool, pick: usize, draw: u64) -> Value {
    let unit = (draw >> 11) as f64 / (1u64 << 53) as f64;
    if whole {
        let n = match pick % (WHOLES.len() + 1) {
            i if i < WHOLES.len() => WHOLES[i],
            _ => draw % 40,
        };
        Value::from(n)
    } else {
        let x = match pick % (DECIMALS.len() + 3) {
            i if i < DECIMALS.len() => DECIMALS[i],
            i if i == DECIMALS.len() => (unit * 3.0 - 1.5) as f32,
            i if i == DECIMALS.len() + 1 => (unit * 240.0 - 120.0) as f32,
            _ => (unit * 2200.0 - 1100.0) as f32,
        };
        Value::from(x as f64)
    }
}

/// The level as the checker reads it from `tree` written out as RON, if it accepts it.
fn checked(tree: &Value) -> Option<Scenario> {
    let sc: Scenario = serde_json::from_value(tree.clone()).ok()?;
    let text = ron::to_string(&sc).expect("a scenario writes as RON");
    level::parse("variant.ron", text.as_bytes()).ok()
}

/// `base` with each change of `changes` the checker accepts, in turn, and the changes kept; the
/// others are dropped.
fn variant(base: &Scenario, changes: &[(u64, usize, u64)]) -> (Scenario, Vec<String>) {
    let mut tree = serde_json::to_value(base).unwrap();
    let mut groups = BTreeMap::new();
    numbers(&tree, &mut Vec::new(), "", &mut groups);
    let groups: Vec<Vec<Leaf>> = groups.into_values().collect();
    let mut sc = checked(&tree).expect("the shipped level reads back from RON");
    let mut kept = Vec::new();
    for &(at, pick, draw) in changes {
        let group = &groups[at as usize % groups.len()];
        let leaf = &group[(at as usize / groups.len()) % group.len()];
        let mut next = tree.clone();
        let v = value(leaf.whole, pick, draw);
        *leaf_mut(&mut next, &leaf.at) = v.clone();
        if let Some(s) = checked(&next) {
            (tree, sc) = (next, s);
            kept.push(format!("{} = {v}", path(&leaf.at)));
        }
    }
    (sc, kept)
}

/// Whether every number in `v` is an ordinary one. RON writes the others as words.
fn finite<T: serde::Serialize>(v: &T) -> bool {
    let text = ron::to_string(v).unwrap();
    !text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "NaN" || w == "inf")
}

fn meters(m: &Match) -> Vec<f32> {
    let mut all = vec![m.tension, m.trust[0], m.trust[1], m.stability()];
    for s in &m.sides {
        all.extend(&s.approval);
        all.extend(&s.approval_before);
        all.extend([s.capital, s.economy, s.security, s.utility_sum]);
    }
    all.extend(m.outlets.iter().map(|o| o.tone));
    all
}

#[test]
fn non_finite_numbers_are_noticed() {
    assert!(finite(&[1.0f32, -0.0, f32::MAX]));
    assert!(!finite(&[1.0, f32::NAN]));
    assert!(!finite(&[f32::INFINITY]));
    assert!(!finite(&[f32::NEG_INFINITY]));
}

proptest! {
    // 12 matches a case, 2,400 in all: about 7 s in a debug build.
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn a_level_the_checker_accepts_plays_without_panic_or_nan(
        level in 0usize..3,
        seed in any::<u64>(),
        shift in 1usize..12,
        changes in prop::collection::vec((any::<u64>(), any::<usize>(), any::<u64>()), 1..12),
    ) {
        let levels = all_levels();
        let (sc, kept) = variant(&levels[level % levels.len()], &changes);
        let sc = Arc::new(sc);
        let pool = tournament::pool();
        let n = pool.len();
        // Each entry of the pool once in each seat.
        for a in 0..n {
            let b = (a + shift) % n;
            let s = seed.wrapping_add(a as u64);
            let seat = |k: usize, side: Side| {
                let (p, d) = pool[k];
                Seat::Counterpart(Box::new(counterpart(sc.public(), side, s, p, d)))
            };
            let m = runner::play_headless(sc.clone(), s, [seat(a, Side::A), seat(b, Side::B)]);
            let who = format!("{:?} against {:?}, seed {s}, on {} with {}", pool[a], pool[b], sc.id, kept.join(", "));
            prop_assert!(m.is_over(), "{} did not end", who);
            prop_assert!(finite(&m.scores()), "{}: scores {:?}", who, m.scores());
            prop_assert!(meters(&m).iter().all(|x| x.is_finite()), "{}: meters {:?}", who, meters(&m));
            for h in &m.history {
                prop_assert!(finite(h), "{}: round {} {:?}", who, h.round, h);
            }
        }
    }
}
