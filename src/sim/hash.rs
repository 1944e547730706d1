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

/// Small indices found by an address: the ids a level's views hand out are looked up this way
/// before nearly every decision, and an open-addressed table with a multiplicative hash of the
/// address takes a few instructions where a general map took a hundred.
#[derive(Debug, Clone, Default)]
pub struct ByAddress {
    /// (address, index + 1); 0 marks an empty slot.
    slots: Vec<(usize, usize)>,
    shift: u32,
}

impl ByAddress {
    /// A table of `addresses`, each standing for its position in the list (the first wins
    /// where one repeats).
    pub fn new(addresses: impl ExactSizeIterator<Item = usize>) -> ByAddress {
        // At most half full, so probes stay short.
        let size = (2 * addresses.len()).next_power_of_two().max(2);
        let mut t = ByAddress {
            slots: vec![(0, 0); size],
            shift: 64 - size.trailing_zeros(),
        };
        for (i, a) in addresses.enumerate() {
            let mut k = t.slot(a);
            while t.slots[k].1 != 0 && t.slots[k].0 != a {
                k = (k + 1) & (size - 1);
            }
            if t.slots[k].1 == 0 {
                t.slots[k] = (a, i + 1);
            }
        }
        t
    }

    fn slot(&self, address: usize) -> usize {
        ((address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The index standing for `address`, if the table holds it.
    pub fn get(&self, address: usize) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut k = self.slot(address);
        loop {
            let (a, i) = self.slots[k];
            if i == 0 {
                return None;
            }
            if a == address {
                return Some(i - 1);
            }
            k = (k + 1) & mask;
        }
    }
}

/// Small indices found by a short text (a level's measure ids): a hash of the text's length and
/// first and last eight bytes picks the slot, and the text itself is compared there. Items in
/// offers name their measures by id, and the rules and the counterparts look them up many
/// times a decision.
#[derive(Debug, Clone, Default)]
pub struct ById {
    /// (id, index + 1); 0 marks an empty slot.
    slots: Vec<(Box<str>, usize)>,
    shift: u32,
}

impl ById {
    /// A table of `ids`, each standing for its position in the list (the first wins where one
    /// repeats).
    pub fn new<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> ById {
        // At most half full, so probes stay short.
        let size = (2 * ids.len()).next_power_of_two().max(2);
        let mut t = ById {
            slots: vec![(Box::from(""), 0); size],
            shift: 64 - size.trailing_zeros(),
        };
        for (i, id) in ids.enumerate() {
            let mut k = t.slot(id);
            while t.slots[k].1 != 0 && *t.slots[k].0 != *id {
                k = (k + 1) & (size - 1);
            }
            if t.slots[k].1 == 0 {
                t.slots[k] = (Box::from(id), i + 1);
            }
        }
        t
    }

    fn slot(&self, id: &str) -> usize {
        let b = id.as_bytes();
        let (first, last) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
            (Some(f), Some(l)) => (u64::from_le_bytes(*f), u64::from_le_bytes(*l)),
            // Shorter than a word: its bytes one by one.
            _ => (b.iter().fold(0, |w, &x| (w << 8) | u64::from(x)), 0),
        };
        let h = first ^ last.rotate_left(29) ^ b.len() as u64;
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The index standing for `id`, if the table holds it.
    pub fn get(&self, id: &str) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut k = self.slot(id);
        loop {
            let (text, i) = &self.slots[k];
            if *i == 0 {
                return None;
            }
            if **text == *id {
                return Some(i - 1);
            }
            k = (k + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_table_finds_each_id_at_its_first_place_and_nothing_else() {
        let ids = [
            "hotline",
            "a",
            "",
            "joint_monitoring_patrols",
            "joint_monitoring_patrol",
            "hotline",
            "x1234567",
        ];
        let t = ById::new(ids.iter().copied());
        for (i, id) in ids.iter().enumerate() {
            let first = ids.iter().position(|x| x == id).unwrap();
            assert_eq!(t.get(id), Some(first), "{id:?} at {i}");
        }
        for unknown in ["hotlin", "b", "joint_monitoring_patrolz", "x12345678"] {
            assert_eq!(t.get(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn an_address_table_finds_each_address_and_nothing_else() {
        let texts: Vec<std::sync::Arc<str>> = (0..40).map(|i| format!("m{i}").into()).collect();
        let t = ByAddress::new(texts.iter().map(|s| s.as_ptr() as usize));
        for (i, s) in texts.iter().enumerate() {
            assert_eq!(t.get(s.as_ptr() as usize), Some(i));
        }
        let other: std::sync::Arc<str> = "m3".into();
        assert_eq!(t.get(other.as_ptr() as usize), None);
    }
}
