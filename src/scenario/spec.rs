//! The scenario specification: the TOML format as written, deserialised
//! with serde, unknown keys rejected. Nothing here is trusted; the check
//! turns it into a [`Scenario`](super::Scenario).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::investment::DEFAULT_LIFE_YEARS;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioSpec {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub start_date: String,
    pub step_days: u32,
    pub horizon_days: u32,
    #[serde(default)]
    pub hashrate_levels_ehs: Option<Vec<f64>>,
    #[serde(default)]
    pub outputs: OutputsSpec,
    pub network: NetworkSpec,
    pub fees: FeesSpec,
    pub btc_price: BtcPriceSpec,
    #[serde(rename = "macro")]
    pub macro_: MacroSpec,
    pub power_factor: PowerFactorSpec,
    pub rest_of_world: RestOfWorldSpec,
    #[serde(default)]
    pub regions: Vec<RegionSpec>,
    #[serde(default)]
    pub datacenters: Vec<DataCenterSpec>,
    #[serde(default)]
    pub farms: Vec<FarmSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NetworkSpec {
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
pub(crate) struct FeesSpec {
    #[serde(default)]
    pub mean_btc_per_block: Option<f64>,
    #[serde(default)]
    pub volatility: Option<f64>,
    #[serde(default)]
    pub replay: Option<ReplaySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BtcPriceSpec {
    #[serde(default)]
    pub initial_usd: Option<f64>,
    #[serde(default)]
    pub replay: Option<ReplaySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MacroSpec {
    #[serde(default)]
    pub initial_regime: Option<String>,
    pub regimes: Vec<RegimeSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegimeSpec {
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
pub(crate) struct PowerFactorSpec {
    #[serde(default)]
    pub initial: f64,
    pub mean_reversion: f64,
    pub volatility: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RestOfWorldSpec {
    pub median_power_price_usd_per_mwh: f64,
    pub price_dispersion: f64,
    #[serde(default)]
    pub classes: Vec<ClassSpec>,
    #[serde(default)]
    pub investment: Option<InvestmentSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClassSpec {
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
pub(crate) struct FarmSpec {
    pub name: String,
    #[serde(default)]
    pub region: Option<String>,
    pub fleet: Vec<LotSpec>,
    pub contract: ContractSpec,
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
    pub finance: Option<FinanceSpec>,
    #[serde(default)]
    pub hedge: Option<HedgeSpec>,
    #[serde(default)]
    pub expansion: Option<ExpansionSpec>,
    #[serde(default)]
    pub migration: Option<MigrationSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MigrationSpec {
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
pub(crate) struct ExpansionSpec {
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
pub(crate) struct LotSpec {
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
pub(crate) struct FinanceSpec {
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
pub(crate) struct HedgeSpec {
    pub share: f64,
    pub hashprice_usd_per_ph_day: f64,
    #[serde(default)]
    pub start: Option<String>,
    pub tenor_days: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RenewalSpec {
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
pub(crate) struct ContractSpec {
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
    pub renewal: Option<RenewalSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegionSpec {
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
    pub baseline_load: BaselineLoadSpec,
    pub supply: Vec<TrancheSpec>,
    #[serde(default)]
    pub additions: Vec<AdditionSpec>,
    #[serde(default)]
    pub hours: Option<HoursSpec>,
    #[serde(default)]
    pub politics: Option<PoliticsSpec>,
    #[serde(default)]
    pub miners: Option<RegionalMinersSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BaselineLoadSpec {
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
pub(crate) struct TrancheSpec {
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
pub(crate) struct AdditionSpec {
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
pub(crate) struct HoursSpec {
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
pub(crate) struct PoliticsSpec {
    #[serde(default)]
    pub initial: Option<String>,
    pub regimes: Vec<PoliticalRegimeSpec>,
    #[serde(default)]
    pub elections: Vec<ElectionSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PoliticalRegimeSpec {
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
pub(crate) struct ElectionSpec {
    pub date: String,
    pub outcome: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegionalMinersSpec {
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
    pub requests: Vec<MinerRequestSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MinerRequestSpec {
    pub mw: f64,
    pub date: String,
    #[serde(default)]
    pub bid_usd_per_mw_year: f64,
    #[serde(default)]
    pub max_wait_days: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataCenterSpec {
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
pub(crate) struct OutputsSpec {
    #[serde(default = "yes")]
    pub network_power: bool,
    #[serde(default)]
    pub cost_curve_dates: Option<Vec<String>>,
}

impl Default for OutputsSpec {
    fn default() -> Self {
        OutputsSpec {
            network_power: true,
            cost_curve_dates: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// `[rest_of_world.investment]` as written. Keys without a default are
/// required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InvestmentSpec {
    /// Frontier machine's efficiency at the start, J/TH (> 0).
    pub frontier_efficiency_j_per_th: f64,
    /// Yearly fall of the frontier's J/TH, in [0, 1); default 0.
    #[serde(default)]
    pub frontier_improvement_per_year: f64,
    /// Frontier machine's price at the start, USD per TH/s (> 0).
    pub machine_cost_usd_per_th: f64,
    /// Yearly fall of the machine price per TH/s, in [0, 1); default 0.
    #[serde(default)]
    pub machine_cost_decline_per_year: f64,
    /// Power price new sites expect at `X = 0`, USD/MWh (≥ 0).
    pub site_power_price_usd_per_mwh: f64,
    /// Pool fee of new sites, in [0, 1); default 0.
    #[serde(default)]
    pub pool_fee: f64,
    /// PUE of new sites, in [1, 10]; default 1.
    #[serde(default = "one")]
    pub pue: f64,
    /// Annual return required on the machine's price, before the macro
    /// regime's `hurdle_premium`.
    pub hurdle_rate: f64,
    /// EH/s ordered per year per unit of annual return above the hurdle
    /// (≥ 0).
    pub response_ehs_per_year: f64,
    /// Most EH/s ordered per year (≥ 0); default: no cap.
    #[serde(default)]
    pub max_orders_ehs_per_year: Option<f64>,
    /// Days from order to hashing (≥ 0, rounded to whole steps, at least
    /// one); default 0 (the next step).
    #[serde(default)]
    pub lead_days: f64,
    /// Machine life, years (at least one step); default 5.
    #[serde(default = "default_life")]
    pub life_years: f64,
    /// Site MW available to new rest-of-world machines at the start (≥ 0).
    pub power_available_mw: f64,
    /// Site MW added to that per year (≥ 0); default 0.
    #[serde(default)]
    pub power_growth_mw_per_year: f64,
}

fn default_life() -> f64 {
    DEFAULT_LIFE_YEARS
}

/// A `replay` table as written in a scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplaySpec {
    /// CSV file, relative to the scenario file's directory.
    pub file: String,
    #[serde(default = "date_column")]
    pub date_column: String,
    pub value_column: String,
    #[serde(default = "one")]
    pub scale: f64,
}

fn date_column() -> String {
    "date".to_string()
}
