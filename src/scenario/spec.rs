//! The scenario specification: a scenario as written, before it is checked.
//!
//! These types are the TOML format of `docs/scenario.md`, one struct per
//! table, with the same keys, units and defaults. A file is deserialised
//! into a [`ScenarioSpec`] (unknown keys refused); a Rust program may build
//! one instead, with struct literals (`..Default::default()` fills every
//! key with its default) or the builder methods. Either way
//! [`Scenario::from_spec`](super::Scenario::from_spec) runs the one check
//! that files go through, and its errors name the field as a file would
//! (`farms[0].pue`). Nothing here is trusted: a value is only known to be
//! valid once the check has accepted it.
//!
//! Types whose TOML keys are all optional have a `Default` that is the
//! format's default; the others' `Default` leaves the required keys empty
//! (empty names, zeros), which the check refuses until they are given.
//! Dates are strings `YYYY-MM-DD`, as in the files, and are parsed by the
//! check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::investment::DEFAULT_LIFE_YEARS;

/// A whole scenario: the top level of a scenario file.
///
/// The tables `network`, `fees`, `btc_price`, `macro`, `power_factor` and
/// `rest_of_world` are required in a file; the lists may be empty.
///
/// # Example
/// A scenario built in code, checked as a file would be:
/// ```
/// use hashwatt::Scenario;
/// use hashwatt::scenario::spec::*;
///
/// let spec = ScenarioSpec::new("in-code", "2026-01-01", 7, 364)
///     .with_network(NetworkSpec::new(929_424, 1045.0))
///     .with_fees(FeesSpec::new(0.05, 0.5))
///     .with_btc_price(BtcPriceSpec::new(91_000.0))
///     .with_regime(RegimeSpec::new("calm", 0.10, 0.43))
///     .with_power_factor(PowerFactorSpec::new(3.0, 0.40))
///     .with_rest_of_world(
///         RestOfWorldSpec::new(45.0, 0.40).with_class(ClassSpec::new("fleet", 1000.0, 20.0)),
///     )
///     .with_farm(FarmSpec {
///         pue: 1.05,
///         ..FarmSpec::new(
///             "operator",
///             ContractSpec::fixed(50.0),
///             vec![LotSpec::new("S21", 2000)],
///         )
///     });
/// let scenario = Scenario::from_spec(spec.clone())?;
/// assert_eq!(scenario.steps(), 52);
/// assert_eq!(scenario.spec(), &spec);
///
/// // A bad value is refused with the field named, as in a file.
/// let mut bad = spec;
/// bad.farms[0].pue = 0.9;
/// let err = Scenario::from_spec(bad).unwrap_err();
/// assert_eq!(err.field(), Some("farms[0].pue"));
/// assert_eq!(err.to_string(), "<spec>: farms[0].pue: must be in [1, 10], not 0.9");
/// # Ok::<(), hashwatt::ScenarioError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Scenario name, written into the results: 1 to 64 letters, digits,
    /// `_` and `-`. Required.
    pub name: String,
    /// Free text. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Date of step 0, `YYYY-MM-DD`, from 2009-01-03 to 2200-12-31.
    /// Required.
    pub start_date: String,
    /// Step length `Δ`, days (≥ 1). Required.
    pub step_days: u32,
    /// Simulated span, days (≥ `step_days`); the run records
    /// `⌊horizon_days / step_days⌋` steps. Required.
    pub horizon_days: u32,
    /// Levels of the network hashrate, EH/s, whose first crossing is
    /// reported: at most 8, each > 0, increasing. Default: 1.25, 1.5 and 2
    /// times the starting difficulty's hashrate, to 10 EH/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashrate_levels_ehs: Option<Vec<f64>>,
    /// Optional series and the cost curve's dates. Default: see
    /// [`OutputsSpec`].
    #[serde(default, skip_serializing_if = "OutputsSpec::is_default")]
    pub outputs: OutputsSpec,
    /// The chain at step 0. Required.
    pub network: NetworkSpec,
    /// Transaction fees per block. Required.
    pub fees: FeesSpec,
    /// The BTC price at step 0, or its replay. Required.
    pub btc_price: BtcPriceSpec,
    /// Macro regimes driving the BTC price (the TOML table `[macro]`).
    /// Required.
    #[serde(rename = "macro")]
    pub macro_: MacroSpec,
    /// World power-price factor `X`. Required.
    pub power_factor: PowerFactorSpec,
    /// Hashrate outside the modelled farms and regions. Required.
    pub rest_of_world: RestOfWorldSpec,
    /// Grid regions. Default: none (farms buy outside any market).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionSpec>,
    /// AI data-center pipelines, each queueing in a region. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datacenters: Vec<DataCenterSpec>,
    /// Modelled farms. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub farms: Vec<FarmSpec>,
}

impl ScenarioSpec {
    /// A scenario named `name` starting on `start_date` (`YYYY-MM-DD`),
    /// with steps of `step_days` days over `horizon_days` days; every table
    /// at its `Default` (so the network, fees, BTC price, regimes, power
    /// factor and rest of world are still to be given), no region, data
    /// center or farm.
    pub fn new(
        name: impl Into<String>,
        start_date: impl Into<String>,
        step_days: u32,
        horizon_days: u32,
    ) -> ScenarioSpec {
        ScenarioSpec {
            name: name.into(),
            description: None,
            start_date: start_date.into(),
            step_days,
            horizon_days,
            hashrate_levels_ehs: None,
            outputs: OutputsSpec::default(),
            network: NetworkSpec::default(),
            fees: FeesSpec::default(),
            btc_price: BtcPriceSpec::default(),
            macro_: MacroSpec::default(),
            power_factor: PowerFactorSpec::default(),
            rest_of_world: RestOfWorldSpec::default(),
            regions: Vec::new(),
            datacenters: Vec::new(),
            farms: Vec::new(),
        }
    }

    /// With `description` as its free text.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> ScenarioSpec {
        self.description = Some(description.into());
        self
    }

    /// With the chain's state at step 0.
    #[must_use]
    pub fn with_network(mut self, network: NetworkSpec) -> ScenarioSpec {
        self.network = network;
        self
    }

    /// With the fee model (or replay).
    #[must_use]
    pub fn with_fees(mut self, fees: FeesSpec) -> ScenarioSpec {
        self.fees = fees;
        self
    }

    /// With the BTC price (or replay).
    #[must_use]
    pub fn with_btc_price(mut self, btc_price: BtcPriceSpec) -> ScenarioSpec {
        self.btc_price = btc_price;
        self
    }

    /// With `regime` appended to the macro regimes (the first is the
    /// initial regime unless `macro_.initial_regime` says otherwise).
    #[must_use]
    pub fn with_regime(mut self, regime: RegimeSpec) -> ScenarioSpec {
        self.macro_.regimes.push(regime);
        self
    }

    /// With the world power-price factor.
    #[must_use]
    pub fn with_power_factor(mut self, power_factor: PowerFactorSpec) -> ScenarioSpec {
        self.power_factor = power_factor;
        self
    }

    /// With the rest of the world.
    #[must_use]
    pub fn with_rest_of_world(mut self, rest_of_world: RestOfWorldSpec) -> ScenarioSpec {
        self.rest_of_world = rest_of_world;
        self
    }

    /// With `region` appended to the grid regions.
    #[must_use]
    pub fn with_region(mut self, region: RegionSpec) -> ScenarioSpec {
        self.regions.push(region);
        self
    }

    /// With `datacenter` appended to the data-center pipelines.
    #[must_use]
    pub fn with_datacenter(mut self, datacenter: DataCenterSpec) -> ScenarioSpec {
        self.datacenters.push(datacenter);
        self
    }

    /// With `farm` appended to the modelled farms.
    #[must_use]
    pub fn with_farm(mut self, farm: FarmSpec) -> ScenarioSpec {
        self.farms.push(farm);
        self
    }
}

/// `[network]`: the chain at step 0 (model.md §1). Give exactly one of
/// `difficulty_ehs` and `difficulty`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSpec {
    /// Block height `h₀` at the start, blocks. Required.
    pub height: u64,
    /// Difficulty as hashrate `HD₀`, EH/s (> 0): the hashrate at which
    /// blocks arrive every 600 s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty_ehs: Option<f64>,
    /// The same as the consensus difficulty `D` (> 0), converted with
    /// `HD = D·2³²/600/10¹⁸`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f64>,
    /// Blocks found since the last retarget, in [0, 2016). Default 0.
    #[serde(default)]
    pub epoch_blocks: f64,
    /// Days elapsed since the last retarget (≥ 0). Default 0.
    #[serde(default)]
    pub epoch_days: f64,
}

impl NetworkSpec {
    /// The chain at `height` with difficulty `difficulty_ehs` (EH/s), at
    /// the start of a fresh epoch.
    pub fn new(height: u64, difficulty_ehs: f64) -> NetworkSpec {
        NetworkSpec {
            height,
            difficulty_ehs: Some(difficulty_ehs),
            ..NetworkSpec::default()
        }
    }
}

/// `[fees]`: transaction fees per block (model.md §1.5). Give both
/// parameters, or a `replay`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeesSpec {
    /// Mean fee per block `f̄`, BTC (≥ 0). Required unless `replay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_btc_per_block: Option<f64>,
    /// Log-volatility `σ_f`, per step (≥ 0; not annualised). Required
    /// unless `replay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volatility: Option<f64>,
    /// Read each step's fee per block (BTC) from a CSV instead. Default:
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<ReplaySpec>,
}

impl FeesSpec {
    /// Fees of `mean_btc_per_block` BTC on average, with a log-volatility
    /// of `volatility` per step.
    pub fn new(mean_btc_per_block: f64, volatility: f64) -> FeesSpec {
        FeesSpec {
            mean_btc_per_block: Some(mean_btc_per_block),
            volatility: Some(volatility),
            replay: None,
        }
    }
}

/// `[btc_price]` (model.md §3): the initial price, or a replay of
/// historical prices (then not `initial_usd`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BtcPriceSpec {
    /// BTC price `P₀` at step 0, USD/BTC (> 0). Required unless `replay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_usd: Option<f64>,
    /// Read each step's price (USD/BTC) from a CSV instead of simulating
    /// it. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<ReplaySpec>,
}

impl BtcPriceSpec {
    /// A simulated price starting at `initial_usd` USD/BTC.
    pub fn new(initial_usd: f64) -> BtcPriceSpec {
        BtcPriceSpec {
            initial_usd: Some(initial_usd),
            replay: None,
        }
    }
}

/// `[macro]`: the macro regimes and their Markov chain (model.md §3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MacroSpec {
    /// Regime of every path at step 0, by name. Default: the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_regime: Option<String>,
    /// The regimes, in order; at least one. Required.
    pub regimes: Vec<RegimeSpec>,
}

/// One of `[[macro.regimes]]`: the BTC price process in the regime and its
/// transitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegimeSpec {
    /// Regime name, unique among regimes. Required.
    pub name: String,
    /// `μ`, per year (finite): the expected price grows at this rate.
    /// Required.
    pub btc_drift: f64,
    /// Diffusion volatility `σ`, per √year (≥ 0). Required.
    pub btc_volatility: f64,
    /// Jump rate `λ`, per year (≥ 0). Default 0 (no jump draw).
    #[serde(default)]
    pub btc_jump_intensity: f64,
    /// Mean log jump `μ_J` (finite). Default 0.
    #[serde(default)]
    pub btc_jump_mean: f64,
    /// Standard deviation of a log jump `σ_J` (≥ 0). Default 0.
    #[serde(default)]
    pub btc_jump_sd: f64,
    /// Multiplier on fuel-linked supply costs in this regime (> 0).
    /// Default 1.
    #[serde(default = "one")]
    pub fuel_multiplier: f64,
    /// Premium added to the investment hurdle rate, per year (finite).
    /// Default 0.
    #[serde(default)]
    pub hurdle_premium: f64,
    /// Transition rates `q_ij` to other regimes by name, per year (≥ 0).
    /// Default: none (absorbing).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub transitions: BTreeMap<String, f64>,
}

impl Default for RegimeSpec {
    fn default() -> RegimeSpec {
        RegimeSpec {
            name: String::new(),
            btc_drift: 0.0,
            btc_volatility: 0.0,
            btc_jump_intensity: 0.0,
            btc_jump_mean: 0.0,
            btc_jump_sd: 0.0,
            fuel_multiplier: one(),
            hurdle_premium: 0.0,
            transitions: BTreeMap::new(),
        }
    }
}

impl RegimeSpec {
    /// Regime `name` with drift `btc_drift` (per year) and volatility
    /// `btc_volatility` (per √year), no jumps, no transitions.
    pub fn new(name: impl Into<String>, btc_drift: f64, btc_volatility: f64) -> RegimeSpec {
        RegimeSpec {
            name: name.into(),
            btc_drift,
            btc_volatility,
            ..RegimeSpec::default()
        }
    }

    /// With a transition to regime `to` at `rate` per year.
    #[must_use]
    pub fn with_transition(mut self, to: impl Into<String>, rate: f64) -> RegimeSpec {
        self.transitions.insert(to.into(), rate);
        self
    }
}

/// `[power_factor]`: the world power-price factor `X`, an
/// Ornstein–Uhlenbeck process with mean 0 (model.md §4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PowerFactorSpec {
    /// `X₀`, log (finite). Default 0.
    #[serde(default)]
    pub initial: f64,
    /// Mean reversion `κ`, per year (≥ 0). Required.
    pub mean_reversion: f64,
    /// Volatility `σ_X`, per √year (≥ 0). Required.
    pub volatility: f64,
}

impl PowerFactorSpec {
    /// A factor starting at 0 that reverts at `mean_reversion` per year
    /// with volatility `volatility` per √year.
    pub fn new(mean_reversion: f64, volatility: f64) -> PowerFactorSpec {
        PowerFactorSpec {
            initial: 0.0,
            mean_reversion,
            volatility,
        }
    }
}

/// `[rest_of_world]`: hashrate outside the modelled farms and regions
/// (model.md §4, §6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestOfWorldSpec {
    /// Median `m` of site power prices at `X = 0`, USD/MWh (> 0). Required.
    pub median_power_price_usd_per_mwh: f64,
    /// Dispersion `s`: standard deviation of the log site price (> 0).
    /// Required.
    pub price_dispersion: f64,
    /// Efficiency classes. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassSpec>,
    /// New frontier machines ordered when they pay. Default: none (the rest
    /// of the world buys nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investment: Option<InvestmentSpec>,
}

impl RestOfWorldSpec {
    /// Sites priced around `median_power_price_usd_per_mwh` (USD/MWh) with
    /// log dispersion `price_dispersion`, no class, no investment.
    pub fn new(median_power_price_usd_per_mwh: f64, price_dispersion: f64) -> RestOfWorldSpec {
        RestOfWorldSpec {
            median_power_price_usd_per_mwh,
            price_dispersion,
            ..RestOfWorldSpec::default()
        }
    }

    /// With `class` appended to the efficiency classes.
    #[must_use]
    pub fn with_class(mut self, class: ClassSpec) -> RestOfWorldSpec {
        self.classes.push(class);
        self
    }
}

/// One of `rest_of_world.classes`: an efficiency class of machines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    /// Class name, unique among classes. Required.
    pub name: String,
    /// Installed hashrate at day 0 (before any retirement), EH/s (≥ 0).
    /// Required.
    pub installed_ehs: f64,
    /// Efficiency `e`, J/TH (> 0). Required.
    pub efficiency_j_per_th: f64,
    /// Ages of the class's machines at day 0, `[youngest, oldest]`, years.
    /// Default: none (the class never retires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_years: Option<Vec<f64>>,
    /// Age at which the class's machines retire, years (> 0; only with
    /// `age_years`). Default: the investment's `life_years`, else 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_years: Option<f64>,
}

impl ClassSpec {
    /// Class `name` of `installed_ehs` EH/s at `efficiency_j_per_th` J/TH
    /// that never retires.
    pub fn new(name: impl Into<String>, installed_ehs: f64, efficiency_j_per_th: f64) -> ClassSpec {
        ClassSpec {
            name: name.into(),
            installed_ehs,
            efficiency_j_per_th,
            ..ClassSpec::default()
        }
    }
}

/// `[rest_of_world.investment]`: new frontier machines ordered at a rate
/// that rises with their expected return above a hurdle (model.md §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvestmentSpec {
    /// Frontier machine's efficiency at the start `e0`, J/TH (> 0).
    /// Required.
    pub frontier_efficiency_j_per_th: f64,
    /// Yearly fall of the frontier's J/TH `g`, in [0, 1). Default 0.
    #[serde(default)]
    pub frontier_improvement_per_year: f64,
    /// Frontier machine's price at the start `c0`, USD per TH/s (> 0).
    /// Required.
    pub machine_cost_usd_per_th: f64,
    /// Yearly fall of the machine price per TH/s `k`, in [0, 1). Default 0.
    #[serde(default)]
    pub machine_cost_decline_per_year: f64,
    /// Power price new sites expect at `X = 0`, USD/MWh (≥ 0). Required.
    pub site_power_price_usd_per_mwh: f64,
    /// Pool fee of new sites, in [0, 1). Default 0.
    #[serde(default)]
    pub pool_fee: f64,
    /// PUE of new sites, in [1, 10]. Default 1.
    #[serde(default = "one")]
    pub pue: f64,
    /// Annual return `h` required on the machine's price before ordering,
    /// per year (finite), before the macro regime's `hurdle_premium`.
    /// Required.
    pub hurdle_rate: f64,
    /// EH/s ordered per year per unit of annual return above the hurdle
    /// `R` (≥ 0). Required.
    pub response_ehs_per_year: f64,
    /// Most EH/s ordered per year (≥ 0). Default: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_orders_ehs_per_year: Option<f64>,
    /// Days from order to hashing (≥ 0, rounded to whole steps, at least
    /// one). Default 0 (the next step).
    #[serde(default)]
    pub lead_days: f64,
    /// Machine life, years (at least one step); also the classes' default
    /// `life_years`. Default 5.
    #[serde(default = "default_life")]
    pub life_years: f64,
    /// Site MW available to new rest-of-world machines at the start `A0`
    /// (≥ 0). Required.
    pub power_available_mw: f64,
    /// Site MW added to that per year `A1` (≥ 0). Default 0.
    #[serde(default)]
    pub power_growth_mw_per_year: f64,
}

impl Default for InvestmentSpec {
    fn default() -> InvestmentSpec {
        InvestmentSpec {
            frontier_efficiency_j_per_th: 0.0,
            frontier_improvement_per_year: 0.0,
            machine_cost_usd_per_th: 0.0,
            machine_cost_decline_per_year: 0.0,
            site_power_price_usd_per_mwh: 0.0,
            pool_fee: 0.0,
            pue: one(),
            hurdle_rate: 0.0,
            response_ehs_per_year: 0.0,
            max_orders_ehs_per_year: None,
            lead_days: 0.0,
            life_years: default_life(),
            power_available_mw: 0.0,
            power_growth_mw_per_year: 0.0,
        }
    }
}

/// One of `[[farms]]`: a modelled farm (model.md §1.7, §1.8, §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FarmSpec {
    /// Farm name, unique among farms, used in series names. Required.
    pub name: String,
    /// The region whose grid the farm draws from, by name. Default: none (a
    /// fixed price outside any market).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The machines: at least one lot. Required.
    pub fleet: Vec<LotSpec>,
    /// The power contract. Required.
    pub contract: ContractSpec,
    /// Share of mining revenue kept by the pool, in [0, 1). Default 0.
    #[serde(default)]
    pub pool_fee: f64,
    /// Power usage effectiveness, total power / machine power, in [1, 10].
    /// Default 1.
    #[serde(default = "one")]
    pub pue: f64,
    /// Share of time a machine can hash at all, in (0, 1]. Default 1.
    #[serde(default = "one")]
    pub availability: f64,
    /// Variable opex per MWh drawn, USD/MWh (≥ 0). Default 0.
    #[serde(default)]
    pub opex_usd_per_mwh: f64,
    /// Fixed overhead paid every day the farm is in business, USD/day
    /// (≥ 0). Default 0.
    #[serde(default)]
    pub overhead_usd_per_day: f64,
    /// Discount rate of the farm's margin less capex in `npv_usd`, per
    /// year, in (−1, 10]. Default 0.10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_rate: Option<f64>,
    /// Opening cash and debt. Default: none (no balance sheet: the farm
    /// cannot fail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance: Option<FinanceSpec>,
    /// A hashprice forward sold by the farm. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedge: Option<HedgeSpec>,
    /// Growing through the region's queue. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expansion: Option<ExpansionSpec>,
    /// Moving to another region. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<MigrationSpec>,
}

impl Default for FarmSpec {
    fn default() -> FarmSpec {
        FarmSpec {
            name: String::new(),
            region: None,
            fleet: Vec::new(),
            contract: ContractSpec::default(),
            pool_fee: 0.0,
            pue: one(),
            availability: one(),
            opex_usd_per_mwh: 0.0,
            overhead_usd_per_day: 0.0,
            discount_rate: None,
            finance: None,
            hedge: None,
            expansion: None,
            migration: None,
        }
    }
}

impl FarmSpec {
    /// Farm `name` with `contract` and `fleet`, outside any region, every
    /// other key at its default.
    pub fn new(name: impl Into<String>, contract: ContractSpec, fleet: Vec<LotSpec>) -> FarmSpec {
        FarmSpec {
            name: name.into(),
            fleet,
            contract,
            ..FarmSpec::default()
        }
    }

    /// In region `region` (by name).
    #[must_use]
    pub fn in_region(mut self, region: impl Into<String>) -> FarmSpec {
        self.region = Some(region.into());
        self
    }
}

/// `[farms.migration]`: moving to another region after being denied power,
/// or when power at home is too dear. Give at least one of the triggers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationSpec {
    /// The destination: a region's name, not the farm's. Required.
    pub to: String,
    /// Days in a row denied power before moving (≥ 0). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_denied_days: Option<f64>,
    /// Power price at home above which the farm moves, USD/MWh (finite).
    /// Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above_price_usd_per_mwh: Option<f64>,
    /// Cost of the move, USD per MW of the farm (≥ 0). Required.
    pub cost_usd_per_mw: f64,
    /// Days without hashing from the move (≥ 0). Default 0.
    #[serde(default)]
    pub downtime_days: f64,
    /// Adder of the index contract in the new region, USD/MWh (finite).
    /// Default 0.
    #[serde(default)]
    pub adder_usd_per_mwh: f64,
}

/// `[farms.expansion]`: growing through the region's interconnection queue
/// when a machine would pay for itself soon enough.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpansionSpec {
    /// The machine bought; its figures come from the machine library
    /// unless given. Required.
    pub model: String,
    /// The machine's efficiency, J/TH (> 0). Default: the library's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efficiency_j_per_th: Option<f64>,
    /// The machine's price, USD per TH/s (≥ 0). Default: the library's
    /// (required when the library has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_usd_per_th: Option<f64>,
    /// Straight-line depreciation of the machines bought, years (> 0).
    /// Default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_years: Option<f64>,
    /// The farm asks when a machine's payback is at most this, days (≥ 0).
    /// Required.
    pub payback_threshold_days: f64,
    /// Grid MW asked at a time (> 0). Required.
    pub request_mw: f64,
    /// Most MW granted over the run (≥ 0). Required.
    pub max_mw: f64,
    /// Days from the grant (the purchase) to hashing (≥ 0). Default 0.
    #[serde(default)]
    pub lead_days: f64,
    /// Days after which a request not granted is withdrawn (> 0). Default:
    /// none (waits for ever).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wait_days: Option<f64>,
    /// Share of the price borrowed on the farm's debt terms, in [0, 1]
    /// (needs `finance`). Default 0.
    #[serde(default)]
    pub debt_share: f64,
}

/// One lot of a farm's `fleet`: machines of one model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LotSpec {
    /// Machine model; for a model of the machine library (case ignored)
    /// the figures left out default to its nameplate. Required.
    pub model: String,
    /// Number of machines (≥ 1). Required.
    pub units: u32,
    /// Hashrate per machine, TH/s (> 0). Default: the library's, else
    /// required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub th_per_unit: Option<f64>,
    /// Efficiency `e`, J/TH (> 0). Default: the library's, else required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efficiency_j_per_th: Option<f64>,
    /// What one machine cost, USD (≥ 0). Default: the library's price per
    /// TH/s × `th_per_unit`, else 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_usd: Option<f64>,
    /// The day the lot starts hashing, `YYYY-MM-DD`; on or before the
    /// start it is owned and paid already. Default: the scenario's
    /// `start_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchased: Option<String>,
    /// Service life, years of 365 days (> 0). Default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_years: Option<f64>,
}

impl LotSpec {
    /// `units` machines of `model`, with the machine library's figures.
    pub fn new(model: impl Into<String>, units: u32) -> LotSpec {
        LotSpec {
            model: model.into(),
            units,
            ..LotSpec::default()
        }
    }

    /// With `th_per_unit` TH/s per machine at `efficiency_j_per_th` J/TH,
    /// in place of the library's figures.
    #[must_use]
    pub fn with_nameplate(mut self, th_per_unit: f64, efficiency_j_per_th: f64) -> LotSpec {
        self.th_per_unit = Some(th_per_unit);
        self.efficiency_j_per_th = Some(efficiency_j_per_th);
        self
    }
}

/// `[farms.finance]`: the farm's balance sheet and debt. With it the farm
/// keeps cash and fails when the cash falls below zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanceSpec {
    /// Cash at the start, USD (≥ 0). Required.
    pub cash_usd: f64,
    /// Debt outstanding at the start, USD (≥ 0). Default 0.
    #[serde(default)]
    pub debt_usd: f64,
    /// Simple interest on the debt outstanding, per year, in [0, 1].
    /// Default 0.
    #[serde(default)]
    pub debt_rate: f64,
    /// The opening debt is repaid in equal instalments over this time,
    /// years of 365 days (> 0). Default: none (interest only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amortisation_years: Option<f64>,
}

/// `[farms.hedge]`: a hashprice forward the farm sells on a share of its
/// hashrate in service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HedgeSpec {
    /// Share of the hashrate in service sold forward, in (0, 1]. Required.
    pub share: f64,
    /// The forward's fixed hashprice `K`, USD per PH/s per day (≥ 0).
    /// Required.
    pub hashprice_usd_per_ph_day: f64,
    /// First day of the forward, `YYYY-MM-DD`. Default: the scenario's
    /// `start_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The forward runs on days `[start, start + tenor_days)`, days (> 0).
    /// Required.
    pub tenor_days: f64,
}

/// `farms.contract.renewal`: how a fixed contract with an `end` date is
/// renewed at market. Every key has a default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalSpec {
    /// Premium over the market in a slack region, USD/MWh (finite, may be
    /// negative). Default 0.
    #[serde(default)]
    pub premium_usd_per_mwh: f64,
    /// Extra premium when the region is fully tight, in proportion to its
    /// tightness, USD/MWh (≥ 0). Default 0.
    #[serde(default)]
    pub tight_premium_usd_per_mwh: f64,
    /// Length of a renewed term in a slack region, years of 365 days
    /// (> 0). Default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenor_years: Option<f64>,
    /// Length of a renewed term when fully tight, years (> 0, ≤
    /// `tenor_years`). Default: `tenor_years`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tight_tenor_years: Option<f64>,
}

/// A farm's `contract`: the power contract. Each kind takes its own keys;
/// a key that does not belong to the kind is refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractSpec {
    /// Contract kind: `"fixed"`, `"hosted"` or `"index"`. Required.
    pub kind: String,
    /// Fixed power price for the whole horizon, USD/MWh (≥ 0; `hosted`:
    /// all-in). Required for `fixed` and `hosted`, not with `index`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_usd_per_mwh: Option<f64>,
    /// Added to the hourly wholesale price and the region's adders,
    /// USD/MWh (finite; `index` only). Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adder_usd_per_mwh: Option<f64>,
    /// Take-or-pay: buy the whole power at the fixed price and sell back
    /// the hours not mined (`fixed` only; `true` needs a region). Default:
    /// `true` for a farm with a region, else `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sell_back: Option<bool>,
    /// The first day at the renewed price, `YYYY-MM-DD`, after the start
    /// (`fixed` only). Default: none (the price holds for the horizon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// How the contract is renewed (needs `end`). Default: see
    /// [`RenewalSpec`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<RenewalSpec>,
}

impl ContractSpec {
    /// A `fixed` contract at `price_usd_per_mwh` USD/MWh.
    pub fn fixed(price_usd_per_mwh: f64) -> ContractSpec {
        ContractSpec {
            kind: "fixed".to_string(),
            price_usd_per_mwh: Some(price_usd_per_mwh),
            ..ContractSpec::default()
        }
    }

    /// A `hosted` contract at an all-in `price_usd_per_mwh` USD/MWh.
    pub fn hosted(price_usd_per_mwh: f64) -> ContractSpec {
        ContractSpec {
            kind: "hosted".to_string(),
            price_usd_per_mwh: Some(price_usd_per_mwh),
            ..ContractSpec::default()
        }
    }

    /// An `index` contract: the region's hourly price and adders plus
    /// `adder_usd_per_mwh` USD/MWh (the farm needs a region).
    pub fn index(adder_usd_per_mwh: f64) -> ContractSpec {
        ContractSpec {
            kind: "index".to_string(),
            adder_usd_per_mwh: Some(adder_usd_per_mwh),
            ..ContractSpec::default()
        }
    }
}

/// One of `[[regions]]`: a grid region where farms, the region's miners and
/// data centers compete for firm capacity (model.md §4, §5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// Region name, unique among regions. Required.
    pub name: String,
    /// Share of capacity kept out of the interconnection headroom, in
    /// [0, 1). Required.
    pub reserve_margin: f64,
    /// Time from a grant to the connection, days (≥ 0). Default 0.
    #[serde(default)]
    pub connection_lead_days: f64,
    /// Price when the stack is exhausted, USD/MWh (> 0, ≥ every tranche's
    /// cost). Required.
    pub scarcity_cap_usd_per_mwh: f64,
    /// Transmission and distribution charge paid by large loads, USD/MWh
    /// (≥ 0). Default 0.
    #[serde(default)]
    pub delivery_adder_usd_per_mwh: f64,
    /// Large-load tariff, USD/MWh (finite). Default 0.
    #[serde(default)]
    pub large_load_adder_usd_per_mwh: f64,
    /// Allocation policy of the queue without `politics`: `ai_first`,
    /// `first_come`, `pro_rata` or `auction`. Default `first_come`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Tariff adder paid by miners without `politics`, USD/MWh (finite;
    /// only 0 with `politics`). Default 0.
    #[serde(default)]
    pub mining_adder_usd_per_mwh: f64,
    /// Load other than the modelled data centers and miners. Required.
    pub baseline_load: BaselineLoadSpec,
    /// The supply stack at the start, in any order; at least one tranche.
    /// Required.
    pub supply: Vec<TrancheSpec>,
    /// Scheduled capacity additions. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additions: Vec<AdditionSpec>,
    /// Hourly prices around the daily price. Default: none (a flat day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<HoursSpec>,
    /// Political regimes and elections. Default: none (one regime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub politics: Option<PoliticsSpec>,
    /// The region's miners that are not modelled farms. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub miners: Option<RegionalMinersSpec>,
}

/// A region's `baseline_load`: load other than the modelled data centers
/// and miners.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineLoadSpec {
    /// Annual mean load at the start `L0`, MW (≥ 0). Required.
    pub initial_mw: f64,
    /// Growth `g` per year, in (−1, 1]. Default 0.
    #[serde(default)]
    pub growth: f64,
    /// Seasonal swing `a` around the trend, share, in [0, 1). Default 0.
    #[serde(default)]
    pub seasonal_amplitude: f64,
    /// Day of the seasonal peak from 0 on 1 January, in [0, 366].
    /// Default 0.
    #[serde(default)]
    pub peak_day_of_year: f64,
    /// Log noise `σ_L` per step (≥ 0; not scaled with `step_days`).
    /// Default 0.
    #[serde(default)]
    pub noise: f64,
}

/// One tranche of a region's `supply`: give `mw`, or both `from_mw` and
/// `to_mw`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrancheSpec {
    /// For the reader (need not be unique). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Capacity of the tranche, MW (≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mw: Option<f64>,
    /// Start of the tranche's range, MW: the end of the tranches before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_mw: Option<f64>,
    /// End of the tranche's range, MW (≥ `from_mw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_mw: Option<f64>,
    /// Marginal cost at `X = 0` and a fuel multiplier of 1, USD/MWh (≥ 0,
    /// ≤ the cap). Required.
    pub cost_usd_per_mwh: f64,
    /// Whether the cost moves with fuel (`exp(X)` and the regime's fuel
    /// multiplier). Default false.
    #[serde(default)]
    pub fuel_linked: bool,
}

/// One of a region's `additions`: capacity in service after a lognormal
/// delay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdditionSpec {
    /// Capacity added, MW (≥ 0). Required.
    pub mw: f64,
    /// Planned in-service date, `YYYY-MM-DD` (before the start allowed).
    /// Required.
    pub date: String,
    /// Marginal cost of the new tranche, USD/MWh (≥ 0, ≤ the cap).
    /// Required.
    pub cost_usd_per_mwh: f64,
    /// As for a tranche. Default false.
    #[serde(default)]
    pub fuel_linked: bool,
    /// Median delay after `date`, days (≥ 0). Default 0.
    #[serde(default)]
    pub delay_median_days: f64,
    /// Dispersion of the log delay (≥ 0). Default 0.
    #[serde(default)]
    pub delay_dispersion: f64,
}

/// A region's `hours`: hourly prices around the daily price (hours.md).
/// Every key has a default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursSpec {
    /// Standard deviation of the log price of normal hours (≥ 0).
    /// Default 0.
    #[serde(default)]
    pub dispersion: f64,
    /// Share of hours that are spikes, in [0, 1). Default 0.
    #[serde(default)]
    pub spike_probability: f64,
    /// Median spike price, USD/MWh (> 0). Default: the scarcity cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spike_median_usd_per_mwh: Option<f64>,
    /// Standard deviation of the log spike price (≥ 0). Default 0.
    #[serde(default)]
    pub spike_dispersion: f64,
}

/// `[regions.politics]`: a region's political regimes and elections
/// (model.md §5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliticsSpec {
    /// Regime at the start, by name. Default: the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<String>,
    /// The regimes, in order; at least one. Required.
    pub regimes: Vec<PoliticalRegimeSpec>,
    /// Scheduled elections. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elections: Vec<ElectionSpec>,
}

/// One of a region's political `regimes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliticalRegimeSpec {
    /// Regime name, unique among the region's regimes. Required.
    pub name: String,
    /// Allocation policy of the queue: `ai_first`, `first_come`,
    /// `pro_rata` or `auction`. Required.
    pub policy: String,
    /// Tariff adder paid by miners in this regime, USD/MWh (finite).
    /// Default 0.
    #[serde(default)]
    pub mining_adder_usd_per_mwh: f64,
    /// Mining banned: miners offline, the region's miners and their
    /// requests refused. Default false.
    #[serde(default)]
    pub mining_banned: bool,
    /// Transition rates to other regimes by name, per year (≥ 0). Default:
    /// none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub transitions: BTreeMap<String, f64>,
}

/// One of a region's `elections`: a date on which the regime is redrawn.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionSpec {
    /// Election day, `YYYY-MM-DD`, on or after the start. Required.
    pub date: String,
    /// Probability of each regime by name, in [0, 1], summing to 1.
    /// Required.
    pub outcome: BTreeMap<String, f64>,
}

/// A region's `miners`: its miners that are not modelled farms, as one
/// efficiency class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionalMinersSpec {
    /// MW connected at the start (≥ 0). Default 0.
    #[serde(default)]
    pub connected_mw: f64,
    /// Fleet efficiency `e`, J/TH (> 0). Required.
    pub efficiency_j_per_th: f64,
    /// Power usage effectiveness, in [1, 10]. Default 1.
    #[serde(default = "one")]
    pub pue: f64,
    /// Share of revenue kept by the pool, in [0, 1). Default 0.
    #[serde(default)]
    pub pool_fee: f64,
    /// Variable opex, USD/MWh (≥ 0). Default 0.
    #[serde(default)]
    pub opex_usd_per_mwh: f64,
    /// Interconnection requests for more MW. Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<MinerRequestSpec>,
}

impl Default for RegionalMinersSpec {
    fn default() -> RegionalMinersSpec {
        RegionalMinersSpec {
            connected_mw: 0.0,
            efficiency_j_per_th: 0.0,
            pue: one(),
            pool_fee: 0.0,
            opex_usd_per_mwh: 0.0,
            requests: Vec::new(),
        }
    }
}

/// One of a region's miners' `requests`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinerRequestSpec {
    /// MW asked for (≥ 0). Required.
    pub mw: f64,
    /// Date the request enters the queue, `YYYY-MM-DD` (before the start:
    /// already waiting). Required.
    pub date: String,
    /// Willingness to pay for firm capacity, USD per MW-year (≥ 0): ranks
    /// the request under `auction`. Default 0.
    #[serde(default)]
    pub bid_usd_per_mw_year: f64,
    /// Days after `date` when the MW not yet granted are refused (≥ 0).
    /// Default: none (never gives up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wait_days: Option<f64>,
}

/// One of `[[datacenters]]`: an AI data-center pipeline queueing in a
/// region (model.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCenterSpec {
    /// Pipeline name, unique among data centers (its random stream is
    /// keyed by it). Required.
    pub name: String,
    /// Where it queues: a region's name. Required.
    pub region: String,
    /// Median capital spending, USD (> 0). Required.
    pub capex_median_usd: f64,
    /// Dispersion of the log capex (≥ 0). Default 0.
    #[serde(default)]
    pub capex_dispersion: f64,
    /// Median capital cost per MW, USD/MW (> 0). Required.
    pub cost_median_usd_per_mw: f64,
    /// Dispersion of the log cost per MW (≥ 0). Default 0.
    #[serde(default)]
    pub cost_dispersion: f64,
    /// First day MW are requested, `YYYY-MM-DD`, on or after the
    /// scenario's start. Required.
    pub start_date: String,
    /// MW requested evenly over this many days (≥ 0; 0: all at once).
    /// Required.
    pub build_days: f64,
    /// Load drawn per MW of rating once connected, share, in (0, 1].
    /// Default 1.
    #[serde(default = "one")]
    pub load_factor: f64,
    /// Share of that load that accepts curtailment, in [0, 1]. Default 0.
    #[serde(default)]
    pub curtailable: f64,
    /// Willingness to pay for firm capacity, USD per MW-year (≥ 0): ranks
    /// the request under `auction`. Default 0.
    #[serde(default)]
    pub bid_usd_per_mw_year: f64,
}

impl Default for DataCenterSpec {
    fn default() -> DataCenterSpec {
        DataCenterSpec {
            name: String::new(),
            region: String::new(),
            capex_median_usd: 0.0,
            capex_dispersion: 0.0,
            cost_median_usd_per_mw: 0.0,
            cost_dispersion: 0.0,
            start_date: String::new(),
            build_days: 0.0,
            load_factor: one(),
            curtailable: 0.0,
            bid_usd_per_mw_year: 0.0,
        }
    }
}

/// `[outputs]`: optional series and the cost curve's dates. Every key has
/// a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputsSpec {
    /// Record `network.power_mw` and `network.cbeci_power_mw`. Default
    /// true.
    #[serde(default = "yes")]
    pub network_power: bool,
    /// Dates of the industry cost curve, `YYYY-MM-DD`, inside the horizon,
    /// each in a later step than the one before. Default: the start and
    /// every anniversary inside the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_curve_dates: Option<Vec<String>>,
    /// Record the per-step statistics of every series at every `k`-th step
    /// only (steps 0, k, 2k, …; 7 with daily steps: weekly), for long
    /// horizons. Default 1: every step. The paths still step every
    /// `step_days`; farm measures, growth and cost curves are unchanged.
    #[serde(default = "every_step", skip_serializing_if = "is_every_step")]
    pub record_every_steps: u32,
}

fn every_step() -> u32 {
    1
}

fn is_every_step(k: &u32) -> bool {
    *k == 1
}

impl Default for OutputsSpec {
    fn default() -> OutputsSpec {
        OutputsSpec {
            network_power: yes(),
            cost_curve_dates: None,
            record_every_steps: every_step(),
        }
    }
}

impl OutputsSpec {
    fn is_default(&self) -> bool {
        *self == OutputsSpec::default()
    }
}

/// A `replay` table: a series read from a CSV of dates and values in place
/// of a stochastic process (`btc_price.replay`, `fees.replay`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaySpec {
    /// CSV file, relative to the scenario file's directory (for a spec
    /// built in code, the directory given to the check). Required.
    pub file: String,
    /// Column whose cells start with `YYYY-MM-DD`. Default `"date"`.
    #[serde(default = "date_column")]
    pub date_column: String,
    /// Column of values. Required.
    pub value_column: String,
    /// Factor applied to every value (finite, > 0). Default 1.
    #[serde(default = "one")]
    pub scale: f64,
}

impl Default for ReplaySpec {
    fn default() -> ReplaySpec {
        ReplaySpec {
            file: String::new(),
            date_column: date_column(),
            value_column: String::new(),
            scale: one(),
        }
    }
}

impl ReplaySpec {
    /// Column `value_column` of the CSV `file`, dated by its `date` column,
    /// unscaled.
    pub fn new(file: impl Into<String>, value_column: impl Into<String>) -> ReplaySpec {
        ReplaySpec {
            file: file.into(),
            value_column: value_column.into(),
            ..ReplaySpec::default()
        }
    }
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

fn default_life() -> f64 {
    DEFAULT_LIFE_YEARS
}

fn date_column() -> String {
    "date".to_string()
}
