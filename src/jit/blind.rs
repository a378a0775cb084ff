//! Constant blinding: keys that hide user-chosen immediates from executable
//! memory.
//!
//! With [`crate::Config::jit_blind_constants`] every user immediate `v` of an
//! ALU, jump, store, packet-load or `lddw` instruction is emitted as
//! `mov tmp, v ^ k; xor tmp, k` with a fresh key `k` per use, drawn from a
//! generator seeded once per compilation. Attacker-chosen byte patterns
//! (JIT spraying) then never appear verbatim in the code. Memory offsets
//! (16 bits) and shift amounts (6 bits) are too short to matter and stay plain.
//!
//! Seed sources: with `std`, the standard library's randomly seeded hasher
//! (`RandomState`, seeded from the operating system), mixed with a per-process
//! counter; without `std`, the addresses of a stack local and of the code
//! generator (both randomised by ASLR on hosted unix targets), mixed with the
//! same counter. The keys need to be unpredictable, not cryptographically
//! strong: they only have to differ from what an attacker can precompute.

use core::sync::atomic::{AtomicU64, Ordering};

static COMPILATIONS: AtomicU64 = AtomicU64::new(0);

/// A per-compilation stream of blinding keys (splitmix64).
pub(crate) struct Blinder {
    state: u64,
}

impl Blinder {
    /// A generator with a fresh seed.
    pub(crate) fn new() -> Self {
        let count = COMPILATIONS.fetch_add(1, Ordering::Relaxed);
        Blinder::with_seed(seed() ^ count.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    /// A generator with a fixed seed (tests).
    pub(crate) const fn with_seed(seed: u64) -> Self {
        Blinder { state: seed }
    }

    /// The next 64-bit key.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The next 32-bit key, never 0 (a zero key would emit the plain value).
    pub(crate) fn next_u32(&mut self) -> i32 {
        loop {
            let k = self.next_u64() as u32 as i32;
            if k != 0 {
                return k;
            }
        }
    }

    /// The next 64-bit key, never 0.
    pub(crate) fn next_i64(&mut self) -> i64 {
        loop {
            let k = self.next_u64() as i64;
            if k != 0 {
                return k;
            }
        }
    }
}

#[cfg(feature = "std")]
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COMPILATIONS.load(Ordering::Relaxed));
    hasher.finish()
}

#[cfg(not(feature = "std"))]
fn seed() -> u64 {
    let local = 0u8;
    let stack = core::ptr::addr_of!(local) as u64;
    let text = seed as fn() -> u64 as usize as u64;
    stack.rotate_left(17) ^ text.wrapping_mul(0xff51_afd7_ed55_8ccd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_nonzero_and_vary() {
        let mut b = Blinder::with_seed(0);
        let keys: alloc::vec::Vec<i32> = (0..64).map(|_| b.next_u32()).collect();
        assert!(keys.iter().all(|&k| k != 0));
        assert!(keys.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn fresh_generators_differ() {
        assert_ne!(Blinder::new().next_u64(), Blinder::new().next_u64());
    }
}
