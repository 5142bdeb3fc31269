//! Bitcoin's consensus identities as pure functions: block subsidy, compact
//! target encoding (`nBits`), difficulty, and the 2016-block retarget.
//!
//! Everything here is integer-exact where Bitcoin Core is integer-exact, and
//! is checked against Core's own unit-test vectors in
//! `tests/consensus_vectors.rs`. The semantics follow these Bitcoin Core
//! sources (github.com/bitcoin/bitcoin):
//!
//! - `src/validation.cpp`, `GetBlockSubsidy`: 50 BTC halved every 210 000
//!   blocks by a right shift, and zero from the 64th halving on (where the
//!   shift would be undefined behaviour in C++). Vectors:
//!   `src/test/validation_tests.cpp` (`block_subsidy_test`,
//!   `subsidy_limit_test`), formerly `src/test/main_tests.cpp`.
//! - `src/arith_uint256.cpp`, `arith_uint256::SetCompact` / `GetCompact`:
//!   the 32-bit floating-point-like encoding of a 256-bit target. Vectors:
//!   `src/test/arith_uint256_tests.cpp` (`bignum_SetCompact`).
//! - `src/pow.cpp`, `CalculateNextWorkRequired` and `CheckProofOfWork`: the
//!   retarget rule and the range check on `nBits`. Vectors:
//!   `src/test/pow_tests.cpp` (`get_next_work*`, `CheckProofOfWork_test_*`,
//!   `ChainParams_MAIN_sanity`).
//! - `src/rpc/blockchain.cpp`, `GetDifficulty`: difficulty as the ratio of
//!   the difficulty-1 target (`0x1d00ffff` expanded) to the block's target.
//!   Vectors: `src/test/blockchain_tests.cpp` (`get_difficulty_for_*`).
//!
//! The code is an independent Rust implementation of those rules, not a
//! translation of Core's code. 256-bit arithmetic uses
//! [`ruint::aliases::U256`]. No function here panics on any input: malformed
//! compact values, zero mantissas, huge exponents and timestamps in any order
//! are all handled, either exactly as Core does or with a
//! [`ConsensusError`] naming the bad input where Core's answer would be
//! meaningless (see [`next_work_required`]).
//!
//! ```
//! use hashwatt::model::consensus::{bits_to_difficulty, next_work_required, subsidy_sat, POW_LIMIT_BITS};
//!
//! // The 4th halving, block 840 000: 3.125 BTC, difficulty ~86.39 T.
//! assert_eq!(subsidy_sat(840_000), 312_500_000);
//! let difficulty = bits_to_difficulty(0x1703_4219)?;
//! assert!((difficulty - 86_388_558_925_171.02).abs() < 0.01);
//!
//! // Core's `get_next_work` vector (retarget at block 32 256).
//! let bits = next_work_required(0x1d00ffff, 1_261_130_161, 1_262_152_739, POW_LIMIT_BITS)?;
//! assert_eq!(bits, 0x1d00d86a);
//! # Ok::<(), hashwatt::model::consensus::ConsensusError>(())
//! ```

use ruint::aliases::{U256, U512};

/// Satoshis per bitcoin.
///
/// Formula: 1 BTC = 10⁸ sat (Core's `COIN`).
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::COIN_SAT;
/// assert_eq!(21_000_000 * COIN_SAT, 2_100_000_000_000_000);
/// ```
pub const COIN_SAT: u64 = 100_000_000;

/// Blocks between subsidy halvings (Core's `nSubsidyHalvingInterval` on
/// mainnet).
///
/// Formula: halvings at height `h` = ⌊h / 210 000⌋.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{halvings, HALVING_INTERVAL};
/// assert_eq!(halvings(4 * HALVING_INTERVAL), 4);
/// ```
pub const HALVING_INTERVAL: u64 = 210_000;

/// Blocks between difficulty retargets (Core's
/// `DifficultyAdjustmentInterval()`).
///
/// Formula: `RETARGET_INTERVAL = TARGET_TIMESPAN_S / TARGET_SPACING_S`
/// = 1 209 600 / 600 = 2016.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{RETARGET_INTERVAL, TARGET_SPACING_S, TARGET_TIMESPAN_S};
/// assert_eq!(RETARGET_INTERVAL, TARGET_TIMESPAN_S / TARGET_SPACING_S);
/// ```
pub const RETARGET_INTERVAL: u64 = 2016;

/// Intended seconds between blocks (Core's `nPowTargetSpacing`).
///
/// Formula: 10 min = 600 s.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::TARGET_SPACING_S;
/// assert_eq!(24 * 3600 / TARGET_SPACING_S, 144); // blocks per day
/// ```
pub const TARGET_SPACING_S: u64 = 600;

/// Intended seconds per retarget period (Core's `nPowTargetTimespan`).
///
/// Formula: `TARGET_TIMESPAN_S = RETARGET_INTERVAL × TARGET_SPACING_S`
/// = 2016 × 600 s = 14 days.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::TARGET_TIMESPAN_S;
/// assert_eq!(TARGET_TIMESPAN_S, 14 * 24 * 3600);
/// ```
pub const TARGET_TIMESPAN_S: u64 = 1_209_600;

/// Mainnet proof-of-work limit as compact bits (0x1d00ffff).
///
/// Formula: target = 0x00ffff × 256^(0x1d − 3) = 0xffff × 2²⁰⁸, the
/// difficulty-1 target and the genesis block's `nBits`. Core's chainparams
/// store the limit as 2²²⁴ − 1, whose compact form is this same value, so
/// capping at either gives identical `nBits` (see [`next_work_required`]).
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{bits_to_difficulty, POW_LIMIT_BITS};
/// assert_eq!(bits_to_difficulty(POW_LIMIT_BITS)?, 1.0);
/// # Ok::<(), hashwatt::model::consensus::ConsensusError>(())
/// ```
pub const POW_LIMIT_BITS: u32 = 0x1d00ffff;

/// Initial block subsidy, 50 BTC in satoshis.
const INITIAL_SUBSIDY_SAT: u64 = 50 * COIN_SAT;

/// Halvings after which the subsidy is defined to be zero (Core returns 0
/// rather than shifting a 64-bit value by 64 or more).
const MAX_HALVINGS: u64 = 64;

/// Expected hashes per block at difficulty 1: 2³².
const HASHES_PER_DIFFICULTY: f64 = 4_294_967_296.0;

/// Hashes per second in one exahash per second.
const HASHES_PER_EXAHASH: f64 = 1e18;

/// Lower bound of the clamped retarget timespan: T / 4.
const MIN_TIMESPAN_S: i64 = (TARGET_TIMESPAN_S / 4) as i64;

/// Upper bound of the clamped retarget timespan: 4 T.
const MAX_TIMESPAN_S: i64 = (TARGET_TIMESPAN_S * 4) as i64;

/// Sign bit of the compact mantissa.
const COMPACT_SIGN_BIT: u32 = 0x0080_0000;

/// Mantissa mask of the compact encoding (sign bit excluded).
const COMPACT_MANTISSA_MASK: u32 = 0x007f_ffff;

/// Number of halvings that have happened by `height`.
///
/// Formula: `halvings(h) = ⌊h / HALVING_INTERVAL⌋`.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::halvings;
/// assert_eq!(halvings(209_999), 0);
/// assert_eq!(halvings(210_000), 1);
/// assert_eq!(halvings(840_000), 4);
/// ```
#[must_use]
pub const fn halvings(height: u64) -> u64 {
    height / HALVING_INTERVAL
}

/// Block subsidy in satoshis at `height` (Core's `GetBlockSubsidy`).
///
/// Formula: `subsidy(h) = (50 × COIN_SAT) >> ⌊h / 210 000⌋`, and 0 once
/// ⌊h / 210 000⌋ ≥ 64. The right shift rounds down, so the subsidy reaches
/// zero after 33 halvings; the explicit cut-off at 64 only matters because
/// shifting by 64 or more is not defined for 64-bit integers.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::subsidy_sat;
/// assert_eq!(subsidy_sat(0), 5_000_000_000);
/// assert_eq!(subsidy_sat(840_000), 312_500_000);
/// assert_eq!(subsidy_sat(6_930_000), 0); // 33rd halving: 50 BTC >> 33 == 0
/// assert_eq!(subsidy_sat(u64::MAX), 0);
/// ```
#[must_use]
pub const fn subsidy_sat(height: u64) -> u64 {
    let n = halvings(height);
    if n >= MAX_HALVINGS {
        0
    } else {
        INITIAL_SUBSIDY_SAT >> n
    }
}

/// Network hashrate in EH/s implied by a difficulty.
///
/// Formula: `H = D × 2³² / 600 / 10¹⁸` — at difficulty `D` a block takes
/// `D × 2³²` hashes on average, and blocks come every 600 s.
///
/// Non-finite or negative inputs are passed through the formula unchanged.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::difficulty_to_hashrate_ehs;
/// // Difficulty at block 840 000 ≈ 86.39 T ⇒ ≈ 618 EH/s.
/// let h = difficulty_to_hashrate_ehs(86_388_558_925_171.02);
/// assert!((h - 618.4).abs() < 0.1);
/// ```
#[must_use]
pub fn difficulty_to_hashrate_ehs(difficulty: f64) -> f64 {
    difficulty * HASHES_PER_DIFFICULTY / TARGET_SPACING_S as f64 / HASHES_PER_EXAHASH
}

/// Difficulty at which a network hashrate (EH/s) finds blocks every 600 s.
///
/// Formula: `D = H × 10¹⁸ × 600 / 2³²`, the inverse of
/// [`difficulty_to_hashrate_ehs`] (equal up to f64 rounding).
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{difficulty_to_hashrate_ehs, hashrate_ehs_to_difficulty};
/// let d = hashrate_ehs_to_difficulty(1000.0);
/// assert!((d - 1.396_983_861_923_217_8e14).abs() / d < 1e-12);
/// assert!((difficulty_to_hashrate_ehs(d) - 1000.0).abs() < 1e-9);
/// ```
#[must_use]
pub fn hashrate_ehs_to_difficulty(hashrate_ehs: f64) -> f64 {
    hashrate_ehs * HASHES_PER_EXAHASH * TARGET_SPACING_S as f64 / HASHES_PER_DIFFICULTY
}

/// A proof-of-work target: a block is valid if its hash, read as a 256-bit
/// little-endian integer, is at most this value.
///
/// Formula: difficulty = [`Target::POW_LIMIT`] / target; the compact form is
/// `mantissa × 256^(exponent − 3)` (see [`decode_compact`]).
///
/// A newtype over [`U256`] so that validated targets (positive, no overflow)
/// can be told apart from arbitrary 256-bit numbers; the free functions take
/// and return plain [`U256`] to mirror Core.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{Target, POW_LIMIT_BITS};
/// let t = Target::from_bits(POW_LIMIT_BITS)?;
/// assert_eq!(t, Target::POW_LIMIT);
/// assert_eq!(t.to_bits(), POW_LIMIT_BITS);
/// assert_eq!(t.difficulty(), 1.0);
/// # Ok::<(), hashwatt::model::consensus::ConsensusError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target(pub U256);

impl Target {
    /// The mainnet proof-of-work limit, [`POW_LIMIT_BITS`] expanded: the
    /// difficulty-1 target.
    ///
    /// Formula: 0xffff × 2²⁰⁸ =
    /// `0x00000000ffff0000000000000000000000000000000000000000000000000000`.
    ///
    /// # Example
    ///
    /// ```
    /// use hashwatt::model::consensus::{decode_compact, Target, POW_LIMIT_BITS};
    /// use ruint::aliases::U256;
    /// assert_eq!(Target::POW_LIMIT.0, U256::from(0xffffu64) << 208);
    /// assert_eq!(decode_compact(POW_LIMIT_BITS).target, Target::POW_LIMIT.0);
    /// ```
    pub const POW_LIMIT: Self = Self(U256::from_limbs([0, 0, 0, 0x0000_0000_ffff_0000]));

    /// Decodes compact bits into a valid target, as `CheckProofOfWork`'s range
    /// check does (without the comparison against the proof-of-work limit).
    ///
    /// Formula: target = `mantissa × 256^(exponent − 3)` (see
    /// [`decode_compact`]), accepted only if it is not negative, does not
    /// overflow 256 bits and is not zero.
    ///
    /// # Errors
    ///
    /// [`ConsensusError::NegativeTarget`], [`ConsensusError::TargetOverflow`]
    /// or [`ConsensusError::ZeroTarget`] (in that order of precedence), each
    /// naming `bits`.
    ///
    /// # Example
    ///
    /// ```
    /// use hashwatt::model::consensus::{ConsensusError, Target};
    /// assert!(Target::from_bits(0x1703_4219).is_ok());
    /// assert!(matches!(Target::from_bits(0x1d80_ffff), Err(ConsensusError::NegativeTarget { .. })));
    /// assert!(matches!(Target::from_bits(0xff12_3456), Err(ConsensusError::TargetOverflow { .. })));
    /// assert!(matches!(Target::from_bits(0x0400_0000), Err(ConsensusError::ZeroTarget { .. })));
    /// ```
    pub fn from_bits(bits: u32) -> Result<Self, ConsensusError> {
        validated_target(bits, "bits")
    }

    /// Encodes the target as compact bits (Core's `GetCompact()`).
    ///
    /// Formula: see [`encode_compact`].
    ///
    /// # Example
    ///
    /// ```
    /// use hashwatt::model::consensus::Target;
    /// use ruint::aliases::U256;
    /// assert_eq!(Target(U256::from(0x80u64)).to_bits(), 0x0200_8000);
    /// ```
    #[must_use]
    pub fn to_bits(self) -> u32 {
        encode_compact(self.0)
    }

    /// Difficulty of this target relative to [`Target::POW_LIMIT`].
    ///
    /// Formula: see [`target_to_difficulty`].
    ///
    /// # Example
    ///
    /// ```
    /// use hashwatt::model::consensus::Target;
    /// assert_eq!(Target(Target::POW_LIMIT.0 >> 4).difficulty(), 16.0);
    /// ```
    #[must_use]
    pub fn difficulty(self) -> f64 {
        target_to_difficulty(self.0)
    }
}

impl From<U256> for Target {
    /// Wraps a 256-bit integer as a target, unchecked.
    ///
    /// Formula: identity.
    ///
    /// # Example
    ///
    /// ```
    /// use hashwatt::model::consensus::Target;
    /// use ruint::aliases::U256;
    /// assert_eq!(Target::from(U256::from(7u64)).0, U256::from(7u64));
    /// ```
    fn from(value: U256) -> Self {
        Self(value)
    }
}

impl From<Target> for U256 {
    /// Unwraps a target into its 256-bit integer.
    ///
    /// Formula: identity.
    ///
    /// # Example
    ///
    /// ```
    /// use hashwatt::model::consensus::Target;
    /// use ruint::aliases::U256;
    /// // `U256::from` is ruint's own inherent constructor, so convert with `into`.
    /// let limit: U256 = Target::POW_LIMIT.into();
    /// assert_eq!(limit, U256::from(0xffffu64) << 208);
    /// ```
    fn from(value: Target) -> Self {
        value.0
    }
}

/// The result of decoding compact bits exactly as Core's
/// `arith_uint256::SetCompact(nCompact, &fNegative, &fOverflow)`.
///
/// Formula: see [`decode_compact`].
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::decode_compact;
/// use ruint::aliases::U256;
/// let c = decode_compact(0x0492_3456);
/// assert_eq!(c.target, U256::from(0x1234_5600u64));
/// assert!(c.negative && !c.overflow);
/// assert_eq!(c.to_bits(), 0x0492_3456);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Compact {
    /// Magnitude: `mantissa × 256^(exponent − 3)` reduced modulo 2²⁵⁶ (only
    /// meaningful when `overflow` is false).
    pub target: U256,
    /// The sign bit 0x00800000 was set and the (shifted) mantissa is non-zero.
    pub negative: bool,
    /// The value does not fit in 256 bits (non-zero mantissa and too large an
    /// exponent).
    pub overflow: bool,
}

impl Compact {
    /// Re-encodes the magnitude and sign as compact bits (Core's
    /// `GetCompact(fNegative)`); `overflow` is ignored.
    ///
    /// Formula: [`encode_compact`] of `target`, then the sign bit 0x00800000
    /// is set if `negative` and the encoded mantissa is non-zero.
    ///
    /// # Example
    ///
    /// ```
    /// use hashwatt::model::consensus::decode_compact;
    /// // Core's vector: SetCompact(0x01fedcba) keeps 0x7e, GetCompact(true) == 0x01fe0000.
    /// assert_eq!(decode_compact(0x01fe_dcba).to_bits(), 0x01fe_0000);
    /// ```
    #[must_use]
    pub fn to_bits(&self) -> u32 {
        let bits = encode_compact(self.target);
        if self.negative && bits & COMPACT_MANTISSA_MASK != 0 {
            bits | COMPACT_SIGN_BIT
        } else {
            bits
        }
    }
}

/// Decodes compact bits (`nBits`) exactly like Core's `SetCompact`.
///
/// Formula: with `e = bits >> 24` and `m = bits & 0x007fffff`,
/// `target = m >> 8(3 − e)` if `e ≤ 3`, else `(m << 8(e − 3)) mod 2²⁵⁶`;
/// `negative = m' ≠ 0 ∧ (bits & 0x00800000) ≠ 0` and
/// `overflow = m' ≠ 0 ∧ (e > 34 ∨ (m' > 0xff ∧ e > 33) ∨ (m' > 0xffff ∧ e > 32))`,
/// where `m'` is the mantissa *after* the right shift for `e ≤ 3` (so bits
/// that shift the whole mantissa away are neither negative nor overflowing).
///
/// Total: never panics, whatever the exponent.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::decode_compact;
/// use ruint::aliases::U256;
/// assert_eq!(decode_compact(0x1d00_ffff).target, U256::from(0xffffu64) << 208);
/// assert_eq!(decode_compact(0x0112_3456).target, U256::from(0x12u64));
/// assert!(decode_compact(0xff12_3456).overflow);
/// assert!(!decode_compact(0x0180_3456).negative); // mantissa shifted away
/// ```
#[must_use]
pub fn decode_compact(bits: u32) -> Compact {
    let exponent = bits >> 24;
    let mut mantissa = bits & COMPACT_MANTISSA_MASK;
    let target = if exponent <= 3 {
        mantissa >>= 8 * (3 - exponent);
        U256::from(mantissa)
    } else {
        // A shift of 256 bits or more leaves zero, like Core's `<<=`.
        U256::from(mantissa).wrapping_shl(8 * (exponent as usize - 3))
    };
    let negative = mantissa != 0 && bits & COMPACT_SIGN_BIT != 0;
    let overflow = mantissa != 0
        && (exponent > 34
            || (mantissa > 0xff && exponent > 33)
            || (mantissa > 0xffff && exponent > 32));
    Compact {
        target,
        negative,
        overflow,
    }
}

/// Encodes a non-negative target as compact bits exactly like Core's
/// `GetCompact()`.
///
/// Formula: with `n = ⌈bitlen(target) / 8⌉` bytes, the mantissa is the top
/// three bytes, `m = target >> 8(n − 3)` (or `target << 8(3 − n)` if
/// `n < 3`); if `m` has the sign bit 0x00800000 set it is shifted right one
/// byte and `n` incremented. Result: `(n << 24) | m`. Precision below the top
/// three bytes is truncated, so `decode(encode(t)) ≤ t`.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::encode_compact;
/// use ruint::aliases::U256;
/// assert_eq!(encode_compact(U256::ZERO), 0);
/// assert_eq!(encode_compact(U256::from(0x80u64)), 0x0200_8000);
/// assert_eq!(encode_compact(U256::from(0xffffu64) << 208), 0x1d00_ffff);
/// assert_eq!(encode_compact(U256::MAX), 0x2100_ffff);
/// ```
#[must_use]
pub fn encode_compact(target: U256) -> u32 {
    // bit_len() ≤ 256, so size ≤ 32 and every shift below is in range.
    let mut size = target.bit_len().div_ceil(8);
    let mut mantissa = if size <= 3 {
        low_u32(target) << (8 * (3 - size))
    } else {
        low_u32(target >> (8 * (size - 3)))
    };
    if mantissa & COMPACT_SIGN_BIT != 0 {
        mantissa >>= 8;
        size += 1;
    }
    // size ≤ 33, so the cast is lossless.
    ((size as u32) << 24) | mantissa
}

/// Difficulty of a target: how many times harder than the difficulty-1
/// target [`Target::POW_LIMIT`] it is.
///
/// Formula: `D = (0xffff × 2²⁰⁸) / target`, computed exactly in integers and
/// rounded once to the nearest f64 (ties to even). For any valid `nBits` with
/// exponent ≥ 3 this is bit-for-bit what Core's `GetDifficulty` returns (its
/// float loop only rescales by exact powers of 256). A zero target gives
/// `f64::INFINITY`.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{decode_compact, target_to_difficulty};
/// use ruint::aliases::U256;
/// assert_eq!(target_to_difficulty(U256::from(0xffffu64) << 208), 1.0);
/// assert_eq!(target_to_difficulty(U256::from(0xffffu64) << 200), 256.0);
/// assert_eq!(target_to_difficulty(U256::ZERO), f64::INFINITY);
/// let d = target_to_difficulty(decode_compact(0x1703_4219).target);
/// assert!((d - 86_388_558_925_171.02).abs() < 0.01);
/// ```
#[must_use]
pub fn target_to_difficulty(target: U256) -> f64 {
    ratio_to_f64(Target::POW_LIMIT.0, target)
}

/// Difficulty of a block's compact bits, rejecting bits that
/// `CheckProofOfWork` rejects as out of range.
///
/// Formula: `D = (0xffff × 2²⁰⁸) / decode_compact(bits).target` (see
/// [`target_to_difficulty`]).
///
/// # Errors
///
/// [`ConsensusError::NegativeTarget`] if the sign bit is set with a non-zero
/// mantissa, [`ConsensusError::TargetOverflow`] if the target does not fit in
/// 256 bits, [`ConsensusError::ZeroTarget`] if the target is zero.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{bits_to_difficulty, ConsensusError};
/// assert_eq!(bits_to_difficulty(0x1d00_ffff)?, 1.0);
/// assert!(matches!(bits_to_difficulty(0), Err(ConsensusError::ZeroTarget { .. })));
/// # Ok::<(), ConsensusError>(())
/// ```
pub fn bits_to_difficulty(bits: u32) -> Result<f64, ConsensusError> {
    Target::from_bits(bits).map(Target::difficulty)
}

/// Compact bits required after a retarget, exactly as Core's
/// `CalculateNextWorkRequired` computes them.
///
/// Formula: `Δ = clamp(last_block_time − first_block_time, T/4, 4T)` with
/// `T = TARGET_TIMESPAN_S`; `new = ⌊old × Δ / T⌋` in integers, where
/// `old = decode_compact(last_bits).target`; `new = min(new, limit)` with
/// `limit = decode_compact(pow_limit_bits).target`; result
/// `encode_compact(new)`. `first_block_time` is the timestamp of the first
/// block of the period (height `h − 2015` for last block `h`).
///
/// Timestamps may come in any order (a negative span clamps to `T/4`) and
/// may be any `i64` (the difference saturates before clamping, which gives
/// the same clamped value as exact arithmetic).
///
/// Core caps at its full-precision `powLimit` (2²²⁴ − 1 on mainnet) rather
/// than the expansion of its compact form; both give the same `nBits`
/// whenever `pow_limit_bits` is `GetCompact(powLimit)`, because compact
/// encoding truncates monotonically.
///
/// Deliberate divergences, all on inputs Core can never reach:
///
/// - `last_bits` and `pow_limit_bits` must be valid (Core only retargets
///   from a header that passed `CheckProofOfWork`); Core's `SetCompact`
///   would silently drop a sign bit or wrap an overflowing exponent.
/// - Core's `arith_uint256` computes `old × Δ` modulo 2²⁵⁶. That cannot wrap
///   on mainnet (`ChainParams_MAIN_sanity` asserts `powLimit × 4T < 2²⁵⁶`),
///   but can for a last target above ~2²⁵⁶ / 4 838 400 ≈ 2²³³.8 (e.g. a
///   regtest-like `0x207fffff`). This function checks the multiplication
///   and returns [`ConsensusError::RetargetOverflow`] instead of a wrapped
///   (wrong) number.
///
/// # Errors
///
/// [`ConsensusError::NegativeTarget`], [`ConsensusError::TargetOverflow`] or
/// [`ConsensusError::ZeroTarget`] naming `last_bits` or `pow_limit_bits`;
/// [`ConsensusError::RetargetOverflow`] if `old × Δ ≥ 2²⁵⁶`.
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{next_work_required, POW_LIMIT_BITS};
/// // Core's get_next_work_lower_limit_actual: a 3.3-day period clamps to T/4.
/// let bits = next_work_required(0x1c05_a3f4, 1_279_008_237, 1_279_297_671, POW_LIMIT_BITS)?;
/// assert_eq!(bits, 0x1c01_68fd);
/// // Timestamps out of order just clamp.
/// let bits = next_work_required(0x1c05_a3f4, 1_279_297_671, 1_279_008_237, POW_LIMIT_BITS)?;
/// assert_eq!(bits, 0x1c01_68fd);
/// # Ok::<(), hashwatt::model::consensus::ConsensusError>(())
/// ```
pub fn next_work_required(
    last_bits: u32,
    first_block_time: i64,
    last_block_time: i64,
    pow_limit_bits: u32,
) -> Result<u32, ConsensusError> {
    let old = validated_target(last_bits, "last_bits")?.0;
    let limit = validated_target(pow_limit_bits, "pow_limit_bits")?.0;
    let timespan = last_block_time
        .saturating_sub(first_block_time)
        .clamp(MIN_TIMESPAN_S, MAX_TIMESPAN_S)
        .unsigned_abs();
    let scaled = old
        .checked_mul(U256::from(timespan))
        .ok_or(ConsensusError::RetargetOverflow {
            last_bits,
            timespan_s: timespan,
        })?;
    let new = (scaled / U256::from(TARGET_TIMESPAN_S)).min(limit);
    Ok(encode_compact(new))
}

/// Why a consensus computation refused its input.
///
/// Formula: each variant names the argument (`field`) and its value, so a
/// message reads e.g. "last_bits = 0x1d80ffff encodes a negative target".
///
/// # Example
///
/// ```
/// use hashwatt::model::consensus::{bits_to_difficulty, ConsensusError};
/// let err = bits_to_difficulty(0x1d80_ffff).unwrap_err();
/// assert_eq!(err, ConsensusError::NegativeTarget { field: "bits", bits: 0x1d80_ffff });
/// assert!(err.to_string().contains("bits = 0x1d80ffff"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsensusError {
    /// The compact value has its sign bit (0x00800000) set with a non-zero
    /// mantissa.
    #[error(
        "{field} = {bits:#010x} encodes a negative target (sign bit 0x00800000 set with a non-zero mantissa)"
    )]
    NegativeTarget {
        /// Name of the offending argument.
        field: &'static str,
        /// The offending compact value.
        bits: u32,
    },
    /// The compact value's exponent is too large for its mantissa: the target
    /// would not fit in 256 bits.
    #[error(
        "{field} = {bits:#010x} encodes a target that overflows 256 bits (exponent too large for the mantissa)"
    )]
    TargetOverflow {
        /// Name of the offending argument.
        field: &'static str,
        /// The offending compact value.
        bits: u32,
    },
    /// The compact value decodes to a zero target, which no hash can meet.
    #[error(
        "{field} = {bits:#010x} encodes a zero target (mantissa is zero after the exponent shift)"
    )]
    ZeroTarget {
        /// Name of the offending argument.
        field: &'static str,
        /// The offending compact value.
        bits: u32,
    },
    /// `old target × timespan` does not fit in 256 bits; Bitcoin Core's
    /// `arith_uint256` would silently wrap here.
    #[error(
        "retarget overflows 256 bits: the target of last_bits = {last_bits:#010x} times the clamped timespan {timespan_s} s exceeds 2^256 - 1 (Bitcoin Core would wrap modulo 2^256)"
    )]
    RetargetOverflow {
        /// The last block's compact bits.
        last_bits: u32,
        /// The clamped timespan the target was multiplied by, in seconds.
        timespan_s: u64,
    },
}

/// Decodes `bits` and rejects negative, overflowing and zero targets,
/// attributing the error to the argument `field`.
fn validated_target(bits: u32, field: &'static str) -> Result<Target, ConsensusError> {
    let compact = decode_compact(bits);
    if compact.negative {
        Err(ConsensusError::NegativeTarget { field, bits })
    } else if compact.overflow {
        Err(ConsensusError::TargetOverflow { field, bits })
    } else if compact.target.is_zero() {
        Err(ConsensusError::ZeroTarget { field, bits })
    } else {
        Ok(Target(compact.target))
    }
}

/// The low 32 bits of a 256-bit integer.
fn low_u32(value: U256) -> u32 {
    // Truncation intended: callers have already shifted the wanted bits down.
    value.as_limbs()[0] as u32
}

/// Widens a 256-bit integer to 512 bits.
fn widen(value: U256) -> U512 {
    let [a, b, c, d] = value.into_limbs();
    U512::from_limbs([a, b, c, d, 0, 0, 0, 0])
}

/// `2^exp` as an f64, for `exp` within the normal range [-1022, 1023].
fn exp2i(exp: i32) -> f64 {
    // Callers only pass exponents in [-318, 192]; the biased exponent
    // `exp + 1023` is then in [705, 1215], a valid normal-number field.
    f64::from_bits(u64::from((exp + 1023).unsigned_abs()) << 52)
}

/// `num / den` rounded once to the nearest f64 (ties to even); `+∞` if
/// `den` is zero, `0` if `num` is zero.
fn ratio_to_f64(num: U256, den: U256) -> f64 {
    if den.is_zero() {
        return f64::INFINITY;
    }
    if num.is_zero() {
        return 0.0;
    }
    // Scale numerator or denominator by a power of two so that the integer
    // quotient has 63 or 64 bits: at least 10 bits more than an f64
    // mantissa, which makes a single sticky bit enough to round the exact
    // quotient correctly. `scale` is the power of two the quotient carries.
    let (num_bits, den_bits) = (num.bit_len(), den.bit_len()); // both in 1..=256
    let (n, d, scale) = if 63 + den_bits >= num_bits {
        let shift = 63 + den_bits - num_bits; // ≤ 318: n has ≤ 63 + 256 bits
        (widen(num) << shift, widen(den), -(shift as i32))
    } else {
        let shift = num_bits - 63 - den_bits; // ≤ 192: d has ≤ 256 bits
        (widen(num), widen(den) << shift, shift as i32)
    };
    let (quotient, remainder) = n.div_rem(d);
    // 2^62 < quotient < 2^64, so the low limb holds all of it.
    let sticky = u64::from(!remainder.is_zero());
    let mantissa = quotient.as_limbs()[0] | sticky;
    // u64 → f64 rounds to nearest-even; scaling by a power of two is exact
    // because the result, in [2^-256, 2^256], is a normal number.
    mantissa as f64 * exp2i(scale)
}
