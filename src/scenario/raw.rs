//! The scenario file as written: TOML deserialised with serde, unknown keys
//! rejected. Nothing here is trusted; `validate` turns it into a
//! [`Scenario`](super::Scenario).

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub start_date: String,
    pub step_days: u32,
    pub horizon_days: u32,
    pub network: RawNetwork,
    pub fees: RawFees,
    pub btc_price: RawBtcPrice,
    #[serde(rename = "macro")]
    pub macro_: RawMacro,
    pub power_factor: RawPowerFactor,
    pub rest_of_world: RawRestOfWorld,
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
    pub mean_btc_per_block: f64,
    pub volatility: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBtcPrice {
    pub initial_usd: f64,
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClass {
    pub name: String,
    pub installed_ehs: f64,
    pub efficiency_j_per_th: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFarm {
    pub name: String,
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLot {
    pub model: String,
    pub units: u32,
    pub th_per_unit: f64,
    pub efficiency_j_per_th: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContract {
    pub kind: String,
    #[serde(default)]
    pub price_usd_per_mwh: Option<f64>,
}

fn one() -> f64 {
    1.0
}
