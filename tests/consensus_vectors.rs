//! `hashwatt::model::consensus` checked against Bitcoin Core's own unit-test
//! vectors (github.com/bitcoin/bitcoin, `src/test/*.cpp`), the subsidy
//! schedule, known mainnet values, and property tests.

use hashwatt::model::consensus::*;
use proptest::prelude::*;
use ruint::aliases::{U256, U512};

/// Core's mainnet `powLimit` as stored in chainparams: 2²²⁴ − 1 (not the
/// expansion of its compact form).
fn core_mainnet_pow_limit() -> U256 {
    (U256::from(1u64) << 224) - U256::from(1u64)
}

fn hex(s: &str) -> U256 {
    U256::from_str_radix(s, 16).expect("test vector hex")
}

// ---------------------------------------------------------------------------
// src/test/pow_tests.cpp — CalculateNextWorkRequired on mainnet.
// ---------------------------------------------------------------------------

macro_rules! next_work_vectors {
    ($($name:ident: $last_bits:expr, first $first:expr, last $last:expr => $expected:expr;)*) => {
        $(
            #[test]
            fn $name() {
                assert_eq!(
                    next_work_required($last_bits, $first, $last, POW_LIMIT_BITS),
                    Ok($expected),
                );
            }
        )*
    };
}

next_work_vectors! {
    // Block #30240 → #32255: no constraint applies.
    get_next_work: 0x1d00ffff, first 1_261_130_161, last 1_262_152_739 => 0x1d00d86a;
    // Block #0 → #2015: capped at the proof-of-work limit.
    get_next_work_pow_limit: 0x1d00ffff, first 1_231_006_505, last 1_233_061_996 => 0x1d00ffff;
    // Block #66528 → #68543: actual timespan clamped up to T/4.
    get_next_work_lower_limit_actual: 0x1c05a3f4, first 1_279_008_237, last 1_279_297_671 => 0x1c0168fd;
    // Block #46367 with a made-up first time: clamped down to 4T.
    get_next_work_upper_limit_actual: 0x1c387f6f, first 1_263_163_443, last 1_269_211_443 => 0x1d00e1fd;
}

/// pow_tests.cpp `CheckProofOfWork_test_negative_target`: the limit encoded
/// with `GetCompact(true)` is rejected as negative.
#[test]
fn check_proof_of_work_negative_target() {
    let signed = Compact {
        target: core_mainnet_pow_limit(),
        negative: true,
        overflow: false,
    };
    let bits = signed.to_bits();
    assert_eq!(bits, 0x1d80ffff);
    assert!(decode_compact(bits).negative);
    assert_eq!(
        Target::from_bits(bits),
        Err(ConsensusError::NegativeTarget {
            field: "bits",
            bits
        })
    );
    assert_eq!(
        bits_to_difficulty(bits),
        Err(ConsensusError::NegativeTarget {
            field: "bits",
            bits
        })
    );
}

/// pow_tests.cpp `CheckProofOfWork_test_overflow_target`: `~0x00800000`.
#[test]
fn check_proof_of_work_overflow_target() {
    let bits = !0x0080_0000u32;
    let c = decode_compact(bits);
    assert!(c.overflow && !c.negative);
    assert_eq!(
        bits_to_difficulty(bits),
        Err(ConsensusError::TargetOverflow {
            field: "bits",
            bits
        })
    );
}

/// pow_tests.cpp `CheckProofOfWork_test_too_easy_target`: twice the limit
/// encodes to a valid target above the limit.
#[test]
fn check_proof_of_work_too_easy_target() {
    let bits = encode_compact(core_mainnet_pow_limit() * U256::from(2u64));
    assert_eq!(bits, 0x1d01ffff);
    let target = Target::from_bits(bits).expect("valid encoding");
    assert!(target > Target::POW_LIMIT);
    assert!(target.0 > core_mainnet_pow_limit());
    assert!(target.difficulty() < 1.0);
}

/// pow_tests.cpp `CheckProofOfWork_test_zero_target`.
#[test]
fn check_proof_of_work_zero_target() {
    let bits = encode_compact(U256::ZERO);
    assert_eq!(bits, 0);
    assert_eq!(
        bits_to_difficulty(bits),
        Err(ConsensusError::ZeroTarget {
            field: "bits",
            bits
        })
    );
}

/// pow_tests.cpp `ChainParams_MAIN_sanity`: genesis bits are positive, do
/// not overflow and are within the limit; the timespan is a multiple of the
/// spacing; limit × 4T cannot overflow 256 bits.
#[test]
fn chain_params_main_sanity() {
    let genesis = decode_compact(POW_LIMIT_BITS);
    assert!(!genesis.negative && !genesis.overflow && !genesis.target.is_zero());
    assert!(genesis.target <= core_mainnet_pow_limit());
    assert_eq!(encode_compact(core_mainnet_pow_limit()), POW_LIMIT_BITS);

    assert_eq!(TARGET_TIMESPAN_S % TARGET_SPACING_S, 0);
    assert_eq!(TARGET_TIMESPAN_S / TARGET_SPACING_S, RETARGET_INTERVAL);

    let max_target = U256::MAX / U256::from(TARGET_TIMESPAN_S * 4);
    assert!(core_mainnet_pow_limit() < max_target);
    // So the slowest possible period from the limit retargets without error.
    assert_eq!(
        next_work_required(POW_LIMIT_BITS, 0, i64::MAX, POW_LIMIT_BITS),
        Ok(POW_LIMIT_BITS)
    );
}

// ---------------------------------------------------------------------------
// src/test/arith_uint256_tests.cpp — `bignum_SetCompact`.
// ---------------------------------------------------------------------------

/// (nCompact, GetHex() after SetCompact, GetCompact(fNegative), fNegative, fOverflow)
const SET_COMPACT_VECTORS: &[(u32, &str, u32, bool, bool)] = &[
    (0x00000000, "0", 0, false, false),
    (0x00123456, "0", 0, false, false),
    (0x01003456, "0", 0, false, false),
    (0x02000056, "0", 0, false, false),
    (0x03000000, "0", 0, false, false),
    (0x04000000, "0", 0, false, false),
    (0x00923456, "0", 0, false, false),
    (0x01803456, "0", 0, false, false),
    (0x02800056, "0", 0, false, false),
    (0x03800000, "0", 0, false, false),
    (0x04800000, "0", 0, false, false),
    (0x01123456, "12", 0x01120000, false, false),
    (0x01fedcba, "7e", 0x01fe0000, true, false),
    (0x02123456, "1234", 0x02123400, false, false),
    (0x03123456, "123456", 0x03123456, false, false),
    (0x04123456, "12345600", 0x04123456, false, false),
    (0x04923456, "12345600", 0x04923456, true, false),
    (0x05009234, "92340000", 0x05009234, false, false),
    (
        0x20123456,
        "1234560000000000000000000000000000000000000000000000000000000000",
        0x20123456,
        false,
        false,
    ),
];

#[test]
fn bignum_set_compact() {
    for &(bits, target_hex, compact, negative, overflow) in SET_COMPACT_VECTORS {
        let c = decode_compact(bits);
        assert_eq!(c.target, hex(target_hex), "target of {bits:#010x}");
        assert_eq!(c.negative, negative, "negative flag of {bits:#010x}");
        assert_eq!(c.overflow, overflow, "overflow flag of {bits:#010x}");
        // Core calls GetCompact(fNegative) exactly when fNegative is set.
        assert_eq!(c.to_bits(), compact, "re-encoding of {bits:#010x}");
        if !negative {
            assert_eq!(
                encode_compact(c.target),
                compact,
                "GetCompact() of {bits:#010x}"
            );
        }
    }
}

/// arith_uint256_tests.cpp: "Make sure that we don't generate compacts with
/// the 0x00800000 bit set".
#[test]
fn get_compact_never_sets_sign_bit() {
    assert_eq!(encode_compact(U256::from(0x80u64)), 0x02008000);
}

/// arith_uint256_tests.cpp: `SetCompact(0xff123456)` overflows and is not
/// negative.
#[test]
fn set_compact_overflow_flag() {
    let c = decode_compact(0xff123456);
    assert!(!c.negative);
    assert!(c.overflow);
}

// ---------------------------------------------------------------------------
// src/test/blockchain_tests.cpp — GetDifficulty (tolerance 0.00001).
// ---------------------------------------------------------------------------

/// Core's `GetDifficulty` reads all 24 low bits as the mantissa, sign bit
/// included. Three of its five vectors (`0x..f88f6f`) have the sign bit set,
/// so `bits_to_difficulty` rejects them; the ratio itself is checked on the
/// target Core implicitly divides by.
#[test]
fn get_difficulty_vectors() {
    // (nBits, expected difficulty, valid under CheckProofOfWork's range check)
    let cases: &[(u32, f64, bool)] = &[
        (0x1f111111, 0.000001, true),  // very low target
        (0x1ef88f6f, 0.000016, false), // low target
        (0x1df88f6f, 0.004023, false), // mid target
        (0x1cf88f6f, 1.029916, false), // high target
        (0x12345678, 5_913_134_931_067_755_359_633_408.0, true), // very high target
    ];
    for &(bits, expected, valid) in cases {
        let mantissa24 = U256::from(bits & 0x00ff_ffff);
        let core_target = mantissa24 << (8 * ((bits >> 24) as usize - 3));
        let d = target_to_difficulty(core_target);
        assert!(
            (d - expected).abs() < 0.00001,
            "{bits:#010x}: {d} vs {expected}"
        );
        match bits_to_difficulty(bits) {
            Ok(d2) => {
                assert!(valid, "{bits:#010x} should be rejected");
                assert_eq!(d2, d);
            }
            Err(e) => {
                assert!(!valid, "{bits:#010x} rejected: {e}");
                assert_eq!(
                    e,
                    ConsensusError::NegativeTarget {
                        field: "bits",
                        bits
                    }
                );
            }
        }
    }
    // The very-high-target vector is checked to the last bit.
    assert_eq!(
        bits_to_difficulty(0x12345678),
        Ok(5_913_134_931_067_755_359_633_408.0)
    );
}

// ---------------------------------------------------------------------------
// src/test/validation_tests.cpp (formerly main_tests.cpp) — subsidy.
// ---------------------------------------------------------------------------

/// `block_subsidy_test` with the mainnet interval.
#[test]
fn block_subsidy_halvings() {
    let initial = 50 * COIN_SAT;
    let mut previous = initial * 2;
    for n in 0..64 {
        let subsidy = subsidy_sat(n * HALVING_INTERVAL);
        assert!(subsidy <= initial);
        assert_eq!(subsidy, previous / 2, "halving {n}");
        previous = subsidy;
    }
    assert_eq!(subsidy_sat(64 * HALVING_INTERVAL), 0);
}

/// `subsidy_limit_test`: Core's sampled sum, and MoneyRange along the way.
#[test]
fn subsidy_limit() {
    const MAX_MONEY: u64 = 21_000_000 * COIN_SAT;
    let mut sum = 0u64;
    for height in (0..14_000_000u64).step_by(1000) {
        let subsidy = subsidy_sat(height);
        assert!(subsidy <= 50 * COIN_SAT);
        sum += subsidy * 1000;
        assert!(sum <= MAX_MONEY);
    }
    assert_eq!(sum, 2_099_999_997_690_000);
}

macro_rules! subsidy_vectors {
    ($($height:expr => $sat:expr;)*) => {
        #[test]
        fn subsidy_at_halving_boundaries() {
            $( assert_eq!(subsidy_sat($height), $sat, "height {}", $height); )*
        }
    };
}

subsidy_vectors! {
    0 => 5_000_000_000;
    209_999 => 5_000_000_000;
    210_000 => 2_500_000_000;
    839_999 => 625_000_000;
    840_000 => 312_500_000;
    1_050_000 => 156_250_000;
    6_929_999 => 1; // 32 halvings: 5e9 >> 32 == 1 sat
    6_930_000 => 0; // 33 halvings: the last satoshi is gone
    13_439_999 => 0;
    13_440_000 => 0; // 64 halvings: Core's explicit cut-off
    u64::MAX => 0;
}

#[test]
fn halvings_count() {
    assert_eq!(halvings(0), 0);
    assert_eq!(halvings(209_999), 0);
    assert_eq!(halvings(210_000), 1);
    assert_eq!(halvings(840_000), 4);
    assert_eq!(halvings(6_930_000), 33);
}

/// Total issuance summed era by era.
#[test]
fn total_issuance_over_eras() {
    let total: u64 = (0..=64)
        .map(|era| subsidy_sat(era * HALVING_INTERVAL) * HALVING_INTERVAL)
        .sum();
    assert_eq!(total, 2_099_999_997_690_000);
    // Every block inside an era pays the era's subsidy.
    for era in 0..=64u64 {
        let start = era * HALVING_INTERVAL;
        assert_eq!(
            subsidy_sat(start),
            subsidy_sat(start + HALVING_INTERVAL - 1)
        );
    }
}

// ---------------------------------------------------------------------------
// Difficulty: genesis, a known mainnet block, hashrate.
// ---------------------------------------------------------------------------

#[test]
fn genesis_bits_are_difficulty_exactly_one() {
    assert_eq!(bits_to_difficulty(0x1d00ffff), Ok(1.0));
    assert_eq!(Target::POW_LIMIT.difficulty(), 1.0);
    assert_eq!(
        target_to_difficulty(decode_compact(POW_LIMIT_BITS).target),
        1.0
    );
    // Core's full-precision limit is a hair easier than difficulty 1.
    assert!(target_to_difficulty(core_mainnet_pow_limit()) < 1.0);
}

/// Block 840 000 (the fourth halving): nBits 0x17034219, `getblock`
/// difficulty 86388558925171.02.
#[test]
fn mainnet_block_840000_difficulty() {
    let d = bits_to_difficulty(0x17034219).expect("valid mainnet bits");
    assert!((d - 86_388_558_925_171.02).abs() < 0.01, "{d}");
    // Bit-for-bit Core's GetDifficulty: 65535 / 0x034219 × 256^(29 − 0x17).
    assert_eq!(d, core_get_difficulty(0x17034219));
    let hashrate = difficulty_to_hashrate_ehs(d);
    assert!((hashrate - 618.39).abs() < 0.01, "{hashrate}");
}

#[test]
fn difficulty_hashrate_known_values() {
    // Difficulty 1 is 2^32 hashes per 600 s.
    let h1 = difficulty_to_hashrate_ehs(1.0);
    assert!((h1 - 4_294_967_296.0 / 600.0 / 1e18).abs() < 1e-30);
    assert_eq!(difficulty_to_hashrate_ehs(0.0), 0.0);
    assert_eq!(hashrate_ehs_to_difficulty(0.0), 0.0);
    let d = hashrate_ehs_to_difficulty(1000.0);
    assert!((d - 6e23 / 4_294_967_296.0).abs() / d < 1e-15);
}

#[test]
fn difficulty_hashrate_round_trip() {
    for d in [1.0, 1.5e6, 86_388_558_925_171.02, 1.2e14, 3e15, 1e20] {
        let back = hashrate_ehs_to_difficulty(difficulty_to_hashrate_ehs(d));
        assert!((back - d).abs() / d < 1e-14, "{d} -> {back}");
    }
}

// ---------------------------------------------------------------------------
// Retarget: edge cases beyond Core's vectors.
// ---------------------------------------------------------------------------

#[test]
fn next_work_clamps_any_timestamp_order() {
    // Δ ≤ T/4 (including negative and extreme spans) all give old / 4.
    let quarter = next_work_required(0x1c05a3f4, 0, 1, POW_LIMIT_BITS);
    assert_eq!(quarter, Ok(0x1c0168fd));
    for (first, last) in [(10, 0), (i64::MAX, i64::MIN), (0, 302_400)] {
        assert_eq!(
            next_work_required(0x1c05a3f4, first, last, POW_LIMIT_BITS),
            quarter
        );
    }
    // Δ = T leaves the target unchanged.
    assert_eq!(
        next_work_required(0x1703_4219, 5, 5 + TARGET_TIMESPAN_S as i64, POW_LIMIT_BITS),
        Ok(0x1703_4219)
    );
    // Δ ≥ 4T (including the most extreme span) all give old × 4.
    let four = next_work_required(0x1703_4219, 0, 4 * TARGET_TIMESPAN_S as i64, POW_LIMIT_BITS);
    assert_eq!(
        four,
        Ok(encode_compact(
            decode_compact(0x1703_4219).target * U256::from(4u64)
        ))
    );
    assert_eq!(
        next_work_required(0x1703_4219, i64::MIN, i64::MAX, POW_LIMIT_BITS),
        four
    );
}

#[test]
fn next_work_rejects_invalid_bits_naming_the_argument() {
    assert_eq!(
        next_work_required(0x1d80ffff, 0, 1, POW_LIMIT_BITS),
        Err(ConsensusError::NegativeTarget {
            field: "last_bits",
            bits: 0x1d80ffff
        })
    );
    assert_eq!(
        next_work_required(0x1d00ffff, 0, 1, 0xff123456),
        Err(ConsensusError::TargetOverflow {
            field: "pow_limit_bits",
            bits: 0xff123456
        })
    );
    assert_eq!(
        next_work_required(0x01003456, 0, 1, POW_LIMIT_BITS),
        Err(ConsensusError::ZeroTarget {
            field: "last_bits",
            bits: 0x01003456
        })
    );
    let message = next_work_required(0x1d00ffff, 0, 1, 0)
        .unwrap_err()
        .to_string();
    assert!(message.contains("pow_limit_bits = 0x00000000"), "{message}");
}

/// A regtest-like target times any clamped timespan exceeds 2^256: Core's
/// arith_uint256 would wrap; we report it.
#[test]
fn next_work_reports_256_bit_overflow() {
    let bits = 0x207fffff;
    assert_eq!(
        next_work_required(bits, 0, 0, bits),
        Err(ConsensusError::RetargetOverflow {
            last_bits: bits,
            timespan_s: TARGET_TIMESPAN_S / 4
        })
    );
    let message = next_work_required(bits, 0, 0, bits)
        .unwrap_err()
        .to_string();
    assert!(message.contains("last_bits = 0x207fffff"), "{message}");
    // Just below the overflow threshold it still works and is capped.
    let big = U256::MAX / U256::from(4 * TARGET_TIMESPAN_S);
    let bits = encode_compact(big);
    assert_eq!(next_work_required(bits, 0, i64::MAX, bits), Ok(bits));
}

/// Core's float algorithm for `GetDifficulty` (rpc/blockchain.cpp), used as
/// an oracle: 65535 / mantissa, rescaled by 256 per exponent step from 29.
fn core_get_difficulty(bits: u32) -> f64 {
    let mut shift = (bits >> 24) & 0xff;
    let mut difficulty = f64::from(0xffffu32) / f64::from(bits & 0x00ff_ffff);
    while shift < 29 {
        difficulty *= 256.0;
        shift += 1;
    }
    while shift > 29 {
        difficulty /= 256.0;
        shift -= 1;
    }
    difficulty
}

/// Whether `approx` is within half an ulp of `num / den` (exact check in
/// 512-bit integers). Requires `approx` to be a positive normal f64.
fn within_half_ulp(approx: f64, num: U256, den: U256) -> bool {
    let raw = approx.to_bits();
    let exp = ((raw >> 52) & 0x7ff) as i64 - 1075;
    let mant = (raw & ((1 << 52) - 1)) | (1 << 52);
    let widen = |v: U256| {
        let [a, b, c, d] = v.into_limbs();
        U512::from_limbs([a, b, c, d, 0, 0, 0, 0])
    };
    // approx = mant × 2^exp; check (2 mant − 1) 2^exp den ≤ 2 num ≤ (2 mant + 1) 2^exp den.
    let (mut lo, mut hi) = (
        U512::from(2 * mant - 1) * widen(den),
        U512::from(2 * mant + 1) * widen(den),
    );
    let mut two_num = widen(num) << 1;
    if exp >= 0 {
        lo <<= exp as usize;
        hi <<= exp as usize;
    } else {
        two_num <<= (-exp) as usize;
    }
    lo <= two_num && two_num <= hi
}

#[test]
fn difficulty_is_correctly_rounded_on_awkward_targets() {
    for target in [
        U256::from(1u64),
        U256::from(3u64),
        U256::from(0xffffu64) << 207,
        core_mainnet_pow_limit(),
        U256::MAX,
        U256::MAX >> 1,
        hex("7D1DE5EAF9B156D53208F033B5AA8122D2d2355d5e12292b121156cfdb4a529c"), // Core's R1L
    ] {
        let d = target_to_difficulty(target);
        assert!(
            within_half_ulp(d, Target::POW_LIMIT.0, target),
            "{target:#x}: {d}"
        );
        // The oracle is sharp: neither neighbouring f64 passes it.
        assert!(!within_half_ulp(d.next_up(), Target::POW_LIMIT.0, target));
        assert!(!within_half_ulp(d.next_down(), Target::POW_LIMIT.0, target));
    }
}

// ---------------------------------------------------------------------------
// Property tests.
// ---------------------------------------------------------------------------

/// Normalised, non-negative, non-overflowing compact bits: the forms
/// `GetCompact` produces.
fn normalised_bits() -> impl Strategy<Value = u32> {
    prop_oneof![
        // Exponent 1 and 2: the mantissa's low bytes are zero.
        (0x01u32..=0x7f).prop_map(|b| 0x0100_0000 | (b << 16)),
        (0x01u32..=0x7f, 0u32..=0xff).prop_map(|(b, c)| 0x0200_0000 | (b << 16) | (c << 8)),
        // Exponent 3..=32: top mantissa byte non-zero.
        (3u32..=32, 0x01_0000u32..=0x7f_ffff).prop_map(|(e, m)| (e << 24) | m),
        // A value whose top byte has the high bit set: shifted one byte right.
        (3u32..=33, 0x80u32..=0xff, 0u32..=0xff).prop_map(|(e, b, c)| (e << 24) | (b << 8) | c),
    ]
}

/// Arbitrary non-zero 256-bit values of every magnitude.
fn any_u256() -> impl Strategy<Value = U256> {
    (any::<[u64; 4]>(), 0usize..256)
        .prop_map(|(limbs, shift)| (U256::from_limbs(limbs) >> shift).max(U256::from(1u64)))
}

proptest! {
    #[test]
    fn encode_decode_round_trips_normalised_bits(bits in normalised_bits()) {
        let c = decode_compact(bits);
        prop_assert!(!c.negative && !c.overflow && !c.target.is_zero());
        prop_assert_eq!(encode_compact(c.target), bits);
        prop_assert_eq!(c.to_bits(), bits);
    }

    #[test]
    fn encode_truncates_to_three_significant_bytes(target in any_u256()) {
        let bits = encode_compact(target);
        let c = decode_compact(bits);
        prop_assert!(!c.negative && !c.overflow);
        prop_assert!(c.target <= target);
        // Only bytes below the top three significant ones may be lost (two
        // if the top byte's high bit is set, as it would read as the sign).
        let size = target.bit_len().div_ceil(8);
        let top_byte_high = target.bit_len() % 8 == 0;
        let significant = if top_byte_high { 2 } else { 3 };
        let dropped = size.saturating_sub(significant) * 8;
        prop_assert_eq!(c.target, (target >> dropped) << dropped);
        prop_assert_eq!(encode_compact(c.target), bits);
    }

    #[test]
    fn decode_and_difficulty_never_panic(bits in any::<u32>()) {
        let c = decode_compact(bits);
        let _ = c.to_bits();
        let _ = target_to_difficulty(c.target);
        if let Ok(d) = bits_to_difficulty(bits) {
            prop_assert!(d.is_finite() && d > 0.0);
        }
    }

    #[test]
    fn difficulty_matches_core_get_difficulty_bit_for_bit(e in 3u32..=32, m in 1u32..=0x7f_ffff) {
        let bits = (e << 24) | m;
        prop_assert_eq!(bits_to_difficulty(bits), Ok(core_get_difficulty(bits)));
    }

    #[test]
    fn difficulty_is_correctly_rounded(target in any_u256()) {
        let d = target_to_difficulty(target);
        prop_assert!(within_half_ulp(d, Target::POW_LIMIT.0, target));
    }

    #[test]
    fn next_work_required_never_panics(
        last_bits in any::<u32>(),
        first in any::<i64>(),
        last in any::<i64>(),
        limit_bits in prop_oneof![Just(POW_LIMIT_BITS), Just(0x207f_ffff), any::<u32>()],
    ) {
        if let Ok(bits) = next_work_required(last_bits, first, last, limit_bits) {
            let new = decode_compact(bits);
            prop_assert!(!new.negative && !new.overflow);
            prop_assert!(new.target <= decode_compact(limit_bits).target);
        }
    }

    #[test]
    fn mainnet_retarget_is_total_and_within_a_factor_of_four(
        target in any_u256(),
        first in any::<i64>(),
        last in any::<i64>(),
    ) {
        // Any valid target at or below the mainnet limit retargets without error.
        let target = target.min(Target::POW_LIMIT.0);
        let old_bits = encode_compact(target);
        let old = decode_compact(old_bits).target;
        let bits = next_work_required(old_bits, first, last, POW_LIMIT_BITS);
        prop_assert!(bits.is_ok(), "{:?}", bits);
        let new = decode_compact(bits.unwrap_or_default()).target;
        prop_assert!(new <= Target::POW_LIMIT.0);
        prop_assert!(new <= old * U256::from(4u64));
        // Δ ≥ T/4 and compact truncation is monotonic.
        let quarter = old / U256::from(4u64);
        prop_assert!(new >= decode_compact(encode_compact(quarter)).target);
    }

    #[test]
    fn difficulty_hashrate_round_trip_prop(d in 1e-3f64..1e20) {
        let back = hashrate_ehs_to_difficulty(difficulty_to_hashrate_ehs(d));
        prop_assert!((back - d).abs() / d < 1e-14);
    }
}
