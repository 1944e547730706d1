//! The class's secrets: seat tokens, the instructor's code, and join codes a person can read
//! aloud, with the comparisons that check them.

use super::*;

pub(super) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    if getrandom::fill(&mut b).is_err() {
        // No system generator: fall back to the clock and std's per-process random keys,
        // still unguessable enough for a classroom, never a fixed value.
        use std::hash::{BuildHasher, Hasher};
        for chunk in b.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(Instant::now().elapsed().as_nanos());
            let x = h.finish().to_le_bytes();
            chunk.copy_from_slice(&x[..chunk.len()]);
        }
    }
    b
}

pub(super) fn new_token() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The instructor's code: as secret as a token, since it can hand seats to the computer, and
/// in capitals so it reads like the seat codes it is typed in place of.
pub(super) fn new_instructor_code() -> String {
    format!("TEACH-{}", new_token().to_uppercase())
}

/// Compare secrets in time that does not depend on where they first differ.
pub(super) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// Words easy to read aloud and to type, with no two alike at a glance.
pub(super) const WORDS: [&str; 32] = [
    "RIVER", "CEDAR", "HARBOR", "MAPLE", "FALCON", "AMBER", "ISLAND", "LANTERN", "MEADOW",
    "ORCHID", "PEBBLE", "QUARTZ", "SUMMIT", "TUNDRA", "VELVET", "WILLOW", "COMET", "DELTA",
    "EMBER", "FJORD", "GLACIER", "HAZEL", "JASPER", "KESTREL", "LAGOON", "MARBLE", "NECTAR",
    "OTTER", "PRAIRIE", "RAVEN", "SPRUCE", "THISTLE",
];

pub(super) fn new_code(taken: &HashMap<String, (usize, Side)>) -> String {
    loop {
        let b = random_bytes::<3>();
        let n = u32::from_le_bytes([b[1], b[2], 0, 0]) % 10_000;
        let code = format!("{}-{n:04}", WORDS[b[0] as usize % WORDS.len()]);
        if !taken.contains_key(&code) {
            return code;
        }
    }
}

/// How a student types a code: case and surrounding spaces do not matter.
pub(super) fn normal_code(code: &str) -> String {
    code.trim().to_uppercase()
}
