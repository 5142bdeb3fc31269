//! Random streams keyed by (seed, path, process).
//!
//! Each random process of each path draws from its own ChaCha8 stream: the
//! key holds the seed and a 64-bit hash of the process's name, the stream
//! number is the path index. ChaCha8's output is fixed by its specification
//! (unlike `StdRng` or `SmallRng`, which may change between releases), and
//! distinct keys or stream numbers give independent sequences, so:
//! - path `i` draws the same numbers in every run, whatever the thread count
//!   or the shard it falls in;
//! - adding a process (a new data-center pipeline, say) leaves every other
//!   process's draws unchanged: scenarios compared with one seed share
//!   common random numbers.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator behind every stream.
pub type StreamRng = ChaCha8Rng;

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
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(path);
    rng
}

/// The streams of the core processes for one path.
pub(crate) struct CoreStreams {
    pub regime: StreamRng,
    pub fees: StreamRng,
    pub btc_diffusion: StreamRng,
    pub btc_jumps: StreamRng,
    pub power_factor: StreamRng,
}

impl CoreStreams {
    pub(crate) fn new(seed: u64, path: u64) -> Self {
        CoreStreams {
            regime: stream(seed, path, "macro.regime"),
            fees: stream(seed, path, "network.fees"),
            btc_diffusion: stream(seed, path, "btc_price.diffusion"),
            btc_jumps: stream(seed, path, "btc_price.jumps"),
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
