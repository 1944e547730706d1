//! FNV-style hashing: a fast hasher for the short, trusted ids the rules look up many times a
//! decision, and the content hash that tells whether two copies of a level are the same.

/// The FNV-1a offset basis (64 bits).
const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// The FNV-1a prime (64 bits).
const PRIME: u64 = 0x0100_0000_01b3;

/// An FNV-style hash taken a word at a time: ids are short and trusted, so a simple fast hash
/// serves better than SipHash.
#[derive(Debug, Clone, Default)]
pub struct Fnv;

/// The running state of an FNV-1a hash.
pub struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(OFFSET)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes a step: ids are looked up many times a decision.
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0 ^ w).wrapping_mul(PRIME);
            self.0 ^= self.0 >> 29;
        }
        for b in chunks.remainder() {
            self.0 = (self.0 ^ *b as u64).wrapping_mul(PRIME);
        }
    }
}

/// Plain FNV-1a over `bytes`, a byte at a time: stable across versions and machines, so records
/// and remote seats can compare it.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(OFFSET, |h, &b| (h ^ b as u64).wrapping_mul(PRIME))
}
