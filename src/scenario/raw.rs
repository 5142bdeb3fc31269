//! The scenario file as written: TOML deserialised with serde, unknown keys
//! rejected. Nothing here is trusted; `validate` turns it into a
//! [`Scenario`](super::Scenario).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::replay::RawReplay;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub start_date: String,
    pub step_days: u32,
    pub horizon_days: u32,
    #[serde(default)]
    pub hashrate_levels_ehs: Option<Vec<f64>>,
    #[serde(default)]
    pub outputs: RawOutputs,
    pub network: RawNetwork,
    pub fees: RawFees,
    pub btc_price: RawBtcPrice,
    #[serde(rename = "macro")]
    pub macro_: RawMacro,
    pub power_factor: RawPowerFactor,
    pub rest_of_world: RawRestOfWorld,
    #[serde(default)]
    pub regions: Vec<RawRegion>,
    #[serde(default)]
    pub datacenters: Vec<RawDataCenter>,
    #[serde(default)]
    pub farms: Vec<RawFarm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNetwork {
    pub height: u64,
    #[serde(default)]
    pub difficulty_ehs: Option<f64>,
    #[serde(default)]
    pub difficulty: Option<f64>,
    #[serde(default)]
    pub epoch_blocks: f64,
    #[serde(default)]
    pub epoch_days: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFees {
    #[serde(default)]
    pub mean_btc_per_block: Option<f64>,
    #[serde(default)]
    pub volatility: Option<f64>,
    #[serde(default)]
    pub replay: Option<RawReplay>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBtcPrice {
    #[serde(default)]
    pub initial_usd: Option<f64>,
    #[serde(default)]
    pub replay: Option<RawReplay>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMacro {
    #[serde(default)]
    pub initial_regime: Option<String>,
    pub regimes: Vec<RawRegime>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegime {
    pub name: String,
    pub btc_drift: f64,
    pub btc_volatility: f64,
    #[serde(default)]
    pub btc_jump_intensity: f64,
    #[serde(default)]
    pub btc_jump_mean: f64,
    #[serde(default)]
    pub btc_jump_sd: f64,
    #[serde(default = "one")]
    pub fuel_multiplier: f64,
    #[serde(default)]
    pub hurdle_premium: f64,
    #[serde(default)]
    pub transitions: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPowerFactor {
    #[serde(default)]
    pub initial: f64,
    pub mean_reversion: f64,
    pub volatility: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRestOfWorld {
    pub median_power_price_usd_per_mwh: f64,
    pub price_dispersion: f64,
    #[serde(default)]
    pub classes: Vec<RawClass>,
    #[serde(default)]
    pub investment: Option<super::check_investment::RawInvestment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClass {
    pub name: String,
    pub installed_ehs: f64,
    pub efficiency_j_per_th: f64,
    #[serde(default)]
    pub age_years: Option<Vec<f64>>,
    #[serde(default)]
    pub life_years: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFarm {
    pub name: String,
    #[serde(default)]
    pub region: Option<String>,
    pub fleet: Vec<RawLot>,
    pub contract: RawContract,
    #[serde(default)]
    pub pool_fee: f64,
    #[serde(default = "one")]
    pub pue: f64,
    #[serde(default = "one")]
    pub availability: f64,
    #[serde(default)]
    pub opex_usd_per_mwh: f64,
    #[serde(default)]
    pub overhead_usd_per_day: f64,
    #[serde(default)]
    pub discount_rate: Option<f64>,
    #[serde(default)]
    pub finance: Option<RawFinance>,
    #[serde(default)]
    pub hedge: Option<RawHedge>,
    #[serde(default)]
    pub expansion: Option<RawExpansion>,
    #[serde(default)]
    pub migration: Option<RawMigration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMigration {
    pub to: String,
    #[serde(default)]
    pub after_denied_days: Option<f64>,
    #[serde(default)]
    pub above_price_usd_per_mwh: Option<f64>,
    pub cost_usd_per_mw: f64,
    #[serde(default)]
    pub downtime_days: f64,
    #[serde(default)]
    pub adder_usd_per_mwh: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExpansion {
    pub model: String,
    #[serde(default)]
    pub efficiency_j_per_th: Option<f64>,
    #[serde(default)]
    pub price_usd_per_th: Option<f64>,
    #[serde(default)]
    pub life_years: Option<f64>,
    pub payback_threshold_days: f64,
    pub request_mw: f64,
    pub max_mw: f64,
    #[serde(default)]
    pub lead_days: f64,
    #[serde(default)]
    pub max_wait_days: Option<f64>,
    #[serde(default)]
    pub debt_share: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLot {
    pub model: String,
    pub units: u32,
    #[serde(default)]
    pub th_per_unit: Option<f64>,
    #[serde(default)]
    pub efficiency_j_per_th: Option<f64>,
    #[serde(default)]
    pub price_usd: Option<f64>,
    #[serde(default)]
    pub purchased: Option<String>,
    #[serde(default)]
    pub life_years: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFinance {
    pub cash_usd: f64,
    #[serde(default)]
    pub debt_usd: f64,
    #[serde(default)]
    pub debt_rate: f64,
    #[serde(default)]
    pub amortisation_years: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHedge {
    pub share: f64,
    pub hashprice_usd_per_ph_day: f64,
    #[serde(default)]
    pub start: Option<String>,
    pub tenor_days: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRenewal {
    #[serde(default)]
    pub premium_usd_per_mwh: f64,
    #[serde(default)]
    pub tight_premium_usd_per_mwh: f64,
    #[serde(default)]
    pub tenor_years: Option<f64>,
    #[serde(default)]
    pub tight_tenor_years: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContract {
    pub kind: String,
    #[serde(default)]
    pub price_usd_per_mwh: Option<f64>,
    #[serde(default)]
    pub adder_usd_per_mwh: Option<f64>,
    #[serde(default)]
    pub sell_back: Option<bool>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub renewal: Option<RawRenewal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegion {
    pub name: String,
    pub reserve_margin: f64,
    #[serde(default)]
    pub connection_lead_days: f64,
    pub scarcity_cap_usd_per_mwh: f64,
    #[serde(default)]
    pub delivery_adder_usd_per_mwh: f64,
    #[serde(default)]
    pub large_load_adder_usd_per_mwh: f64,
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default)]
    pub mining_adder_usd_per_mwh: f64,
    pub baseline_load: RawBaselineLoad,
    pub supply: Vec<RawTranche>,
    #[serde(default)]
    pub additions: Vec<RawAddition>,
    #[serde(default)]
    pub hours: Option<RawHours>,
    #[serde(default)]
    pub politics: Option<RawPolitics>,
    #[serde(default)]
    pub miners: Option<RawRegionalMiners>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBaselineLoad {
    pub initial_mw: f64,
    #[serde(default)]
    pub growth: f64,
    #[serde(default)]
    pub seasonal_amplitude: f64,
    #[serde(default)]
    pub peak_day_of_year: f64,
    #[serde(default)]
    pub noise: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTranche {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub mw: Option<f64>,
    #[serde(default)]
    pub from_mw: Option<f64>,
    #[serde(default)]
    pub to_mw: Option<f64>,
    pub cost_usd_per_mwh: f64,
    #[serde(default)]
    pub fuel_linked: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAddition {
    pub mw: f64,
    pub date: String,
    pub cost_usd_per_mwh: f64,
    #[serde(default)]
    pub fuel_linked: bool,
    #[serde(default)]
    pub delay_median_days: f64,
    #[serde(default)]
    pub delay_dispersion: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHours {
    #[serde(default)]
    pub dispersion: f64,
    #[serde(default)]
    pub spike_probability: f64,
    #[serde(default)]
    pub spike_median_usd_per_mwh: Option<f64>,
    #[serde(default)]
    pub spike_dispersion: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPolitics {
    #[serde(default)]
    pub initial: Option<String>,
    pub regimes: Vec<RawPoliticalRegime>,
    #[serde(default)]
    pub elections: Vec<RawElection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPoliticalRegime {
    pub name: String,
    pub policy: String,
    #[serde(default)]
    pub mining_adder_usd_per_mwh: f64,
    #[serde(default)]
    pub mining_banned: bool,
    #[serde(default)]
    pub transitions: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawElection {
    pub date: String,
    pub outcome: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegionalMiners {
    #[serde(default)]
    pub connected_mw: f64,
    pub efficiency_j_per_th: f64,
    #[serde(default = "one")]
    pub pue: f64,
    #[serde(default)]
    pub pool_fee: f64,
    #[serde(default)]
    pub opex_usd_per_mwh: f64,
    #[serde(default)]
    pub requests: Vec<RawMinerRequest>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMinerRequest {
    pub mw: f64,
    pub date: String,
    #[serde(default)]
    pub bid_usd_per_mw_year: f64,
    #[serde(default)]
    pub max_wait_days: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDataCenter {
    pub name: String,
    pub region: String,
    pub capex_median_usd: f64,
    #[serde(default)]
    pub capex_dispersion: f64,
    pub cost_median_usd_per_mw: f64,
    #[serde(default)]
    pub cost_dispersion: f64,
    pub start_date: String,
    pub build_days: f64,
    #[serde(default = "one")]
    pub load_factor: f64,
    #[serde(default)]
    pub curtailable: f64,
    #[serde(default)]
    pub bid_usd_per_mw_year: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutputs {
    #[serde(default = "yes")]
    pub network_power: bool,
    #[serde(default)]
    pub cost_curve_dates: Option<Vec<String>>,
}

impl Default for RawOutputs {
    fn default() -> Self {
        RawOutputs {
            network_power: true,
            cost_curve_dates: None,
        }
    }
}

fn yes() -> bool {
    true
}
