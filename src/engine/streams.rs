//! Random streams keyed by (seed, path, process).
//!
//! Each random process of each path draws from its own generator, seeded
//! from ChaCha8: the ChaCha key holds the seed and a 64-bit hash of the
//! process's name, the ChaCha stream number is the path index, and its
//! first 128 bits seed a PCG-64 (MCG, XSL-RR output) generator for the
//! draws. ChaCha8 and PCG-64 are fixed by their specifications and
//! documented as value-stable (unlike `StdRng` or `SmallRng`, which may
//! change between releases). ChaCha8, a cryptographic function, makes the
//! seeds of distinct (seed, path, process) independent; PCG-64 keeps each
//! stream's state at 16 bytes and a draw at one 128-bit multiply, so that
//! the thousands of streams of a chunk stay in cache. So:
//! - path `i` draws the same numbers in every run, whatever the thread count
//!   or the shard it falls in;
//! - adding a process (a new data-center pipeline, say) leaves every other
//!   process's draws unchanged: scenarios compared with one seed share
//!   common random numbers.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_pcg::Pcg64Mcg;

/// The generator behind every stream.
pub type StreamRng = Pcg64Mcg;

/// FNV-1a, 64-bit: a fixed, documented hash for process names.
const fn fnv1a(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The stream of process `process` on path `path` for `seed`.
///
/// # Example
/// ```
/// use hashwatt::engine::stream;
/// use rand::RngExt;
/// let a: u64 = stream(1, 0, "fees").random();
/// let b: u64 = stream(1, 0, "fees").random();
/// let c: u64 = stream(1, 1, "fees").random();
/// assert_eq!(a, b);
/// assert_ne!(a, c);
/// ```
pub fn stream(seed: u64, path: u64, process: &str) -> StreamRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&fnv1a(process).to_le_bytes());
    key[16..24].copy_from_slice(b"hashwatt");
    let mut seeder = ChaCha8Rng::from_seed(key);
    seeder.set_stream(path);
    Pcg64Mcg::from_seed(seeder.random::<u128>().to_le_bytes())
}

/// The streams of the core processes for one path (the price process
/// names its own: [`PricePaths`](super::price_paths::PricePaths)).
pub(crate) struct CoreStreams {
    pub regime: StreamRng,
    pub fees: StreamRng,
    pub power_factor: StreamRng,
}

impl CoreStreams {
    pub(crate) fn new(seed: u64, path: u64) -> Self {
        CoreStreams {
            regime: stream(seed, path, "macro.regime"),
            fees: stream(seed, path, "network.fees"),
            power_factor: stream(seed, path, "power_factor"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a(""), 0xcbf29ce484222325);
        assert_eq!(fnv1a("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a("foobar"), 0x85944171f73967e8);
    }
}
