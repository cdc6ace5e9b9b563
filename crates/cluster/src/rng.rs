//! The one seeded random number generator (ChaCha8): uids and generated names come from it, so a
//! seed reproduces a whole run.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

#[derive(Clone)]
pub struct SimRng {
    rng: ChaCha8Rng,
}

/// Characters kube uses for generated name suffixes (no vowels, no confusable digits).
const NAME_SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl SimRng {
    pub fn new(seed: u64) -> SimRng {
        SimRng {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A random (version 4) UUID, as the API server assigns to `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    /// The next raw 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        self.rng.next_u32()
    }

    /// A `generateName` suffix of `length` characters (`x2x4q`), from kube's alphabet.
    pub fn name_suffix(&mut self, length: usize) -> String {
        (0..length)
            .map(|_| {
                let index = (self.rng.next_u32() as usize) % NAME_SUFFIX_ALPHABET.len();
                NAME_SUFFIX_ALPHABET[index] as char
            })
            .collect()
    }
}

/// A `generateName`-style suffix of `length` characters from kube's alphabet, derived from
/// `parts` instead of drawn from the seeded generator (a name that must not shift every later
/// uid and generated name).
pub fn name_suffix_of(parts: &[&str], length: usize) -> String {
    let base = NAME_SUFFIX_ALPHABET.len() as u64;
    let mut hash = fnv_parts(parts);
    (0..length)
        .map(|_| {
            let index = (hash % base) as usize;
            hash /= base;
            NAME_SUFFIX_ALPHABET[index] as char
        })
        .collect()
}

/// FNV-1a over `parts`, each ended by a zero byte: a stable hash for deterministic choices that
/// must not draw from the seeded generator (kube-proxy's picks, measurement noise, start-up
/// jitter).
pub fn fnv_parts(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
