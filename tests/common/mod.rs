//! Scenario TOML shared by the integration tests: the pieces of the small
//! test worlds that several test files build their scenarios from.
//!
//! Each piece is a macro that expands to a string literal, so that a test
//! file can still compose its scenario as a `const` with `concat!` (and use
//! it with `format!("{BASE}…")`, `BASE.replace(…)` as before). Each piece
//! ends with a newline, and with a blank line where the next table follows.

// Every file under tests/ is its own crate and uses only some of these
// pieces; the rest would warn as unused in that crate.
#![allow(dead_code, unused_macros, unused_imports)]

/// The opening of the small 2026 world, up to its `[macro]` table: a
/// scenario `$name` from 2026-01-01 in daily steps for `$horizon_days`
/// days, at block height 930 000 and 1000 EH/s, fees of 0.05 BTC a block
/// (volatility 0.5), BTC at 90 000 USD, starting in the `calm` regime.
/// The regimes follow (e.g. [`calm_conflict_fuel_regimes`] or
/// [`calm_regime`]).
macro_rules! small_world_header {
    ($name:literal, $horizon_days:literal) => {
        concat!(
            "name = \"",
            $name,
            "\"\nstart_date = \"2026-01-01\"\nstep_days = 1\nhorizon_days = ",
            $horizon_days,
            r#"

[network]
height = 930_000
difficulty_ehs = 1000.0

[fees]
mean_btc_per_block = 0.05
volatility = 0.5

[btc_price]
initial_usd = 90000.0

[macro]
initial_regime = "calm"

"#
        )
    };
}
pub(crate) use small_world_header;

/// The opening of the world the bad-input tests break, up to its
/// `[macro]` table: a scenario `$name` from 2026-11-24 in daily steps for
/// 30 days, at block height 1 000 000 and 1000 EH/s, fees of 0.03 BTC a
/// block (volatility 0.5), BTC at 90 000 USD, starting in `calm`.
macro_rules! input_world_header {
    ($name:literal) => {
        concat!(
            "name = \"",
            $name,
            r#""
start_date = "2026-11-24"
step_days = 1
horizon_days = 30

[network]
height = 1_000_000
difficulty_ehs = 1000.0

[fees]
mean_btc_per_block = 0.03
volatility = 0.5

[btc_price]
initial_usd = 90000.0

[macro]
initial_regime = "calm"

"#
        )
    };
}
pub(crate) use input_world_header;

/// Two macro regimes with fuel prices: `calm` (drift 0.1, volatility 0.5,
/// fuel ×1.0) left for `conflict` at 0.5 a year, and `conflict` (drift
/// −0.2, volatility 0.8, fuel ×1.6) left for `calm` at 2 a year.
macro_rules! calm_conflict_fuel_regimes {
    () => {
        r#"[[macro.regimes]]
name = "calm"
btc_drift = 0.1
btc_volatility = 0.5
fuel_multiplier = 1.0
transitions = { conflict = 0.5 }

[[macro.regimes]]
name = "conflict"
btc_drift = -0.2
btc_volatility = 0.8
fuel_multiplier = 1.6
transitions = { calm = 2.0 }

"#
    };
}
pub(crate) use calm_conflict_fuel_regimes;

/// Two macro regimes without fuel prices: `calm` (drift 0.1, volatility
/// 0.5) left for `conflict` at 2 a year, and `conflict` (drift −0.2,
/// volatility 0.9) left for `calm` at 6 a year.
macro_rules! calm_conflict_regimes_2_6 {
    () => {
        r#"[[macro.regimes]]
name = "calm"
btc_drift = 0.1
btc_volatility = 0.5
transitions = { conflict = 2.0 }

[[macro.regimes]]
name = "conflict"
btc_drift = -0.2
btc_volatility = 0.9
transitions = { calm = 6.0 }

"#
    };
}
pub(crate) use calm_conflict_regimes_2_6;

/// A single macro regime, `calm` (drift 0.1, volatility 0.5), with no
/// transitions.
macro_rules! calm_regime {
    () => {
        r#"[[macro.regimes]]
name = "calm"
btc_drift = 0.1
btc_volatility = 0.5

"#
    };
}
pub(crate) use calm_regime;

/// The power-price factor: mean reversion 3.0 a year, volatility 0.4.
macro_rules! power_factor {
    () => {
        r#"[power_factor]
mean_reversion = 3.0
volatility = 0.4

"#
    };
}
pub(crate) use power_factor;

/// The rest of the world: power at a median 45 USD/MWh (dispersion 0.4)
/// and one class of 900 EH/s of 20 J/TH machines, `j20`.
macro_rules! rest_of_world_j20 {
    () => {
        r#"[rest_of_world]
median_power_price_usd_per_mwh = 45.0
price_dispersion = 0.4
classes = [ { name = "j20", installed_ehs = 900.0, efficiency_j_per_th = 20.0 } ]

"#
    };
}
pub(crate) use rest_of_world_j20;

/// The tight 70 GW region, up to its supply stack: reserve margin 0.10, a
/// 90-day connection lead, a 5000 USD/MWh scarcity cap, adders of 6
/// (delivery) and 2 (large load) USD/MWh, a 50 GW baseline growing 2 % a
/// year and peaking (+15 %) on day 220, and supply of 25 GW at 5, 20 GW at
/// 30, 15 GW at 45 and 10 GW at 150 USD/MWh (all but the first
/// fuel-linked). The `$extra` lines (each ending in a newline, e.g. a
/// `policy`) go before the baseline load; the region's additions, hours
/// and miners follow it.
macro_rules! tight_region {
    ($($extra:literal),* $(,)?) => {
        concat!(
            r#"[[regions]]
name = "tight"
reserve_margin = 0.10
connection_lead_days = 90
scarcity_cap_usd_per_mwh = 5000
delivery_adder_usd_per_mwh = 6
large_load_adder_usd_per_mwh = 2
"#,
            $($extra,)*
            r#"baseline_load = { initial_mw = 50000, growth = 0.02, seasonal_amplitude = 0.15, peak_day_of_year = 220, noise = 0.05 }
supply = [
  { mw = 25000, cost_usd_per_mwh = 5 },
  { mw = 20000, cost_usd_per_mwh = 30, fuel_linked = true },
  { mw = 15000, cost_usd_per_mwh = 45, fuel_linked = true },
  { mw = 10000, cost_usd_per_mwh = 150, fuel_linked = true },
]
"#
        )
    };
}
pub(crate) use tight_region;

/// An AI data-center wave queuing in the `tight` region (see
/// [`tight_region`]), starting with a blank line: `wave`, a capex of a
/// median 60 G USD (dispersion 0.3) at a median 12 M USD per MW
/// (dispersion 0.2), started 2026-02-01, built in 120 days, at a load
/// factor of 0.85. Further keys of the data center may follow.
macro_rules! datacenter_wave {
    () => {
        r#"
[[datacenters]]
name = "wave"
region = "tight"
capex_median_usd = 60e9
capex_dispersion = 0.3
cost_median_usd_per_mw = 12e6
cost_dispersion = 0.2
start_date = "2026-02-01"
build_days = 120
load_factor = 0.85
"#
    };
}
pub(crate) use datacenter_wave;
