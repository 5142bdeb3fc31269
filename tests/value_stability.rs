//! Pinned outputs for a fixed seed.
//!
//! VALUE-BREAKING: these are the exact f64 bits the code produced when the
//! test was written. A change that moves any of them (the random streams,
//! the order of draws, the model's arithmetic, the chunk grid, the sketch's
//! quantiles) changes every user's results for a given seed: it must be
//! called out as value-breaking in the changelog, and the constants below
//! updated in the same commit, with the reason.
//!
//! Pinned at commit f74319d (chunk of 256 paths).
//! To print the current values: `cargo test --test value_stability -- --nocapture`.

use hashwatt::{RunConfig, Scenario, Summary, simulate};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
const SEED: u64 = 42;
const PATHS: u64 = 256;
const HORIZON_DAYS: usize = 60;

fn run() -> Summary {
    let text = std::fs::read_to_string(REFERENCE).expect("scenario file");
    assert!(text.contains("horizon_days = 1095"));
    let text = text.replace(
        "horizon_days = 1095",
        &format!("horizon_days = {HORIZON_DAYS}"),
    );
    let scenario = Scenario::from_toml_str(&text).expect("valid");
    simulate(&scenario, &RunConfig::new(SEED, PATHS)).expect("run")
}

/// (what, value, pinned bits)
fn pinned(summary: &Summary) -> Vec<(&'static str, f64, u64)> {
    let last = HORIZON_DAYS - 1;
    let series = |name: &str| summary.series(name).expect("recorded");
    let price = series("btc_price_usd");
    let hashrate = series("hashrate_ehs");
    let hashprice = series("hashprice_usd_per_ph_day");
    let difficulty = series("difficulty_ehs");
    let fee = series("fee_btc_per_block");
    let farm = summary.farm("operator").expect("farm");
    vec![
        (
            "mean BTC price, last step",
            price[last].mean,
            0x40f6de44cd28b785,
        ),
        (
            "std BTC price, last step",
            price[last].std,
            0x40d3ea73b98beb12,
        ),
        (
            "p50 hashrate, last step",
            hashrate[last].quantiles[2],
            0x408f7d1745d1745d,
        ),
        (
            "mean hashprice, last step",
            hashprice[last].mean,
            0x4045317acfc01699,
        ),
        (
            "p95 hashprice, last step",
            hashprice[last].quantiles[4],
            0x404ad80000000000,
        ),
        (
            "mean difficulty, last step",
            difficulty[last].mean,
            0x408f33fd39b59f66,
        ),
        ("mean fee, step 1", fee[1].mean, 0x3f9f3decf68e0ecd),
        (
            "farm BTC mined, mean",
            farm.btc_mined.statistics().mean,
            0x3ff5ecc9e666e6a6,
        ),
        (
            "farm power cost, mean",
            farm.power_cost_usd.statistics().mean,
            0x40f0ea1f40000000,
        ),
    ]
}

#[test]
fn reference_core_seed_42_is_pinned() {
    let summary = run();
    assert_eq!(summary.paths_done, PATHS);
    let values = pinned(&summary);
    for (what, value, _) in &values {
        println!("{what}: {value:e} = {:#018x}", value.to_bits());
    }
    for (what, value, bits) in values {
        assert_eq!(
            value.to_bits(),
            bits,
            "{what}: now {value:e} ({:#018x}), pinned {:e} ({bits:#018x}): a value-breaking change",
            value.to_bits(),
            f64::from_bits(bits),
        );
    }
}
