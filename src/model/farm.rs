//! Modelled mining farms: fleets, power contracts and the online decision
//! (model.md §1.7, §1.8 and §6).
//!
//! A machine lot runs when its breakeven power price, net of the pool fee and
//! the cooling overhead (PUE), is at or above what its power costs:
//! `HP·(1 − pool_fee) / (0.024·e·PUE) ≥ contract price + variable opex`.
//! Online hashrate is `units·TH/s·availability`; it earns its share of the
//! step's blocks (1.7) and draws `0.024·e·PUE` MWh per PH/s per day.

use serde::Serialize;

pub use super::contract::Contract;
#[cfg(doc)]
use super::contract::PowerContract;
use super::contract::ScenarioContract;
use super::error::{ParamError, Rule};
use super::expansion::Expansion;
use super::finance::{Finance, Hedge, Renewal};
use super::migration::Migration;
use super::units::MWH_PER_PH_DAY_PER_J_TH;

/// Why [`MachineLot::with_price`], [`MachineLot::with_service`],
/// [`Expansion::new`] or [`Migration::new`] refused its parameters.
///
/// # Example
/// ```
/// use hashwatt::model::error::{ParamError, Rule};
/// use hashwatt::model::farm::{FarmError, MachineLot};
/// let err = MachineLot::new("S21", 10, 200.0, 17.5).with_price(-1.0).unwrap_err();
/// let want = ParamError { field: "price_usd", value: -1.0, rule: Rule::NonNegative };
/// assert_eq!(err, FarmError::Lot(want));
/// assert_eq!(err.to_string(), "machine lot: price_usd = -1: must be ≥ 0");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FarmError {
    /// A parameter of a machine lot is out of range.
    #[error("machine lot: {0}")]
    Lot(ParamError),
    /// A parameter of [`Expansion::new`] is out of range.
    #[error("expansion: {0}")]
    Expansion(ParamError),
    /// A parameter of [`Migration::new`] is out of range.
    #[error("migration: {0}")]
    Migration(ParamError),
}

impl FarmError {
    /// The parameter out of range.
    pub fn param(&self) -> &ParamError {
        match self {
            FarmError::Lot(p) | FarmError::Expansion(p) | FarmError::Migration(p) => p,
        }
    }
}

/// A lot of identical machines: built by [`MachineLot::new`] (then
/// [`MachineLot::with_price`] and [`MachineLot::with_service`]) or by the
/// scenario check (`[[farms]]`'s `fleet`), read through its accessors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineLot {
    /// Machine model, e.g. "S21".
    pub(crate) model: String,
    /// Number of machines.
    pub(crate) units: u32,
    /// Hashrate per machine, TH/s.
    pub(crate) th_per_unit: f64,
    /// Efficiency, J/TH.
    pub(crate) efficiency_j_per_th: f64,
    /// Price paid per machine, USD (0 when unknown: no depreciation).
    pub(crate) price_usd: f64,
    /// Day the lot started (or starts) hashing, from the scenario start;
    /// negative for a lot bought before it.
    pub(crate) purchase_day: f64,
    /// Service life, days: the lot retires at `purchase_day + life_days`.
    pub(crate) life_days: f64,
}

impl MachineLot {
    /// A lot of `units` machines of model `model`, each hashing
    /// `th_per_unit` TH/s at `efficiency_j_per_th` J/TH, from day 0 for
    /// ever, of unknown price (no depreciation).
    pub fn new(model: &str, units: u32, th_per_unit: f64, efficiency_j_per_th: f64) -> Self {
        MachineLot {
            model: model.to_string(),
            units,
            th_per_unit,
            efficiency_j_per_th,
            price_usd: 0.0,
            purchase_day: 0.0,
            life_days: f64::INFINITY,
        }
    }

    /// The lot at a price of `price_usd` per machine (≥ 0; 0: unknown, no
    /// depreciation).
    ///
    /// # Errors
    /// [`FarmError::Lot`] naming `price_usd`.
    pub fn with_price(self, price_usd: f64) -> Result<MachineLot, FarmError> {
        Ok(MachineLot {
            price_usd: ParamError::check("price_usd", price_usd, Rule::NonNegative)
                .map_err(FarmError::Lot)?,
            ..self
        })
    }

    /// The lot hashing from `purchase_day` (finite, from the scenario
    /// start; negative for a lot bought before it) for `life_days` (> 0,
    /// finite) days.
    ///
    /// # Errors
    /// [`FarmError::Lot`] naming the first parameter out of range.
    pub fn with_service(self, purchase_day: f64, life_days: f64) -> Result<MachineLot, FarmError> {
        let check =
            |field, value, rule| ParamError::check(field, value, rule).map_err(FarmError::Lot);
        Ok(MachineLot {
            purchase_day: check("purchase_day", purchase_day, Rule::Finite)?,
            life_days: check("life_days", life_days, Rule::Positive)?,
            ..self
        })
    }

    /// Machine model, e.g. "S21".
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Number of machines.
    pub fn units(&self) -> u32 {
        self.units
    }

    /// Hashrate per machine, TH/s.
    pub fn th_per_unit(&self) -> f64 {
        self.th_per_unit
    }

    /// Efficiency, J/TH.
    pub fn efficiency_j_per_th(&self) -> f64 {
        self.efficiency_j_per_th
    }

    /// Price paid per machine, USD (0 when unknown: no depreciation).
    pub fn price_usd(&self) -> f64 {
        self.price_usd
    }

    /// Day the lot started (or starts) hashing, from the scenario start;
    /// negative for a lot bought before it.
    pub fn purchase_day(&self) -> f64 {
        self.purchase_day
    }

    /// Service life, days: the lot retires at `purchase_day + life_days`
    /// (`f64::INFINITY`: never).
    pub fn life_days(&self) -> f64 {
        self.life_days
    }

    /// Nameplate hashrate of the lot, PH/s.
    pub fn phs(&self) -> f64 {
        f64::from(self.units) * self.th_per_unit / 1000.0
    }

    /// Whether the lot is in service on `day`: bought and not retired.
    #[inline]
    pub fn in_service(&self, day: f64) -> bool {
        day >= self.purchase_day && day - self.purchase_day < self.life_days
    }

    /// What the whole lot cost, USD.
    pub fn cost_usd(&self) -> f64 {
        f64::from(self.units) * self.price_usd
    }

    /// Straight-line depreciation while in service, USD per day.
    pub fn depreciation_usd_per_day(&self) -> f64 {
        self.cost_usd() / self.life_days
    }

    /// Number of the first `steps` steps of `step_days` days (step `t` from
    /// day `t·step_days`) in which the lot is in service.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::farm::MachineLot;
    /// let lot = MachineLot::new("S21", 1, 200.0, 17.5).with_service(10.5, 20.0)?;
    /// // In service on days 11 ..= 30.
    /// assert_eq!(lot.steps_in_service(1.0, 100), 20.0);
    /// assert_eq!(lot.steps_in_service(1.0, 15), 4.0);
    /// # Ok::<(), hashwatt::model::farm::FarmError>(())
    /// ```
    pub fn steps_in_service(&self, step_days: f64, steps: usize) -> f64 {
        let first = (self.purchase_day / step_days).ceil().max(0.0);
        let end = ((self.purchase_day + self.life_days) / step_days)
            .ceil()
            .min(steps as f64);
        (end - first).max(0.0)
    }

    /// Book value on `day`: cost less straight-line depreciation, USD (the
    /// full cost before the purchase, 0 after retirement).
    pub fn book_value_usd(&self, day: f64) -> f64 {
        let age = (day - self.purchase_day).clamp(0.0, self.life_days);
        self.cost_usd() - age * self.depreciation_usd_per_day()
    }
}

/// A modelled farm: built by [`Farm::new`] or by the scenario check
/// (`[[farms]]`), read through its accessors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Farm {
    /// Farm name (also used in series names).
    pub(crate) name: String,
    /// Region whose grid the farm draws from; `None` for a farm that
    /// buys at its fixed contract price outside the modelled regions.
    pub(crate) region: Option<String>,
    /// Index of `region` in the scenario's regions (set by the scenario
    /// check).
    #[serde(skip)]
    pub(crate) region_index: Option<usize>,
    /// Machine lots.
    pub(crate) fleet: Vec<MachineLot>,
    /// Power contract.
    pub(crate) contract: Contract,
    /// Share of revenue kept by the pool, in [0, 1).
    pub(crate) pool_fee: f64,
    /// Power usage effectiveness (total power / machine power), ≥ 1.
    pub(crate) pue: f64,
    /// Share of time a machine can hash at all, in (0, 1].
    pub(crate) availability: f64,
    /// Variable opex, USD/MWh.
    pub(crate) opex_usd_per_mwh: f64,
    /// Fixed overhead (staff, rent, insurance), USD per day.
    pub(crate) overhead_usd_per_day: f64,
    /// Discount rate of the farm's cash flows, per year.
    pub(crate) discount_rate: f64,
    /// Renewal of a fixed contract that ends inside the horizon.
    pub(crate) renewal: Option<Renewal>,
    /// Balance sheet; `None` for a farm that cannot fail (no cash tracked
    /// against zero).
    pub(crate) finance: Option<Finance>,
    /// A hashprice forward sold by the farm.
    pub(crate) hedge: Option<Hedge>,
    /// How the farm grows through its region's queue (farms in a region).
    pub(crate) expansion: Option<Expansion>,
    /// When and where the farm moves (farms in a region).
    pub(crate) migration: Option<Migration>,
}

/// A farm's operation in one step.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FarmStep {
    /// Hashrate online, PH/s (average over the step).
    pub online_phs: f64,
    /// Energy drawn over the step, MWh.
    pub energy_mwh: f64,
    /// What the farm paid for power over the step, USD (for a fixed
    /// contract with sell-back, its whole contracted energy).
    pub power_cost_usd: f64,
    /// Revenue from power sold back to the market, USD.
    pub credits_usd: f64,
    /// Share of the step the lots in service ran, weighted by nameplate
    /// hashrate.
    pub uptime: f64,
    /// Average price paid per MWh used, USD/MWh.
    pub price_usd_per_mwh: f64,
    /// Nameplate hashrate of the lots in service, PH/s.
    pub phs_in_service: f64,
}

impl Farm {
    /// A farm outside the regions with `fleet` and `contract`, no pool fee,
    /// PUE 1, full availability, no opex or overhead, no balance sheet,
    /// renewal or hedge, discounting at 10 % a year.
    pub fn new(name: &str, fleet: Vec<MachineLot>, contract: Contract) -> Self {
        Farm {
            name: name.to_string(),
            region: None,
            region_index: None,
            fleet,
            contract,
            pool_fee: 0.0,
            pue: 1.0,
            availability: 1.0,
            opex_usd_per_mwh: 0.0,
            overhead_usd_per_day: 0.0,
            discount_rate: 0.10,
            renewal: None,
            finance: None,
            hedge: None,
            expansion: None,
            migration: None,
        }
    }

    /// Farm name (also used in series names).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Region whose grid the farm draws from; `None` for a farm that buys
    /// at its fixed contract price outside the modelled regions.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Index of [`Farm::region`] in the scenario's regions (set by the
    /// scenario check; `None` outside the regions or before the check).
    pub fn region_index(&self) -> Option<usize> {
        self.region_index
    }

    /// Machine lots.
    pub fn fleet(&self) -> &[MachineLot] {
        &self.fleet
    }

    /// Power contract.
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// Share of revenue kept by the pool, in [0, 1).
    pub fn pool_fee(&self) -> f64 {
        self.pool_fee
    }

    /// Cooling overhead (power usage effectiveness: total power over machine
    /// power), in [1, 10].
    pub fn pue(&self) -> f64 {
        self.pue
    }

    /// Share of time a machine can hash at all, in (0, 1].
    pub fn availability(&self) -> f64 {
        self.availability
    }

    /// Variable opex, USD/MWh (≥ 0).
    pub fn opex_usd_per_mwh(&self) -> f64 {
        self.opex_usd_per_mwh
    }

    /// Fixed overhead (staff, rent, insurance), USD per day (≥ 0).
    pub fn overhead_usd_per_day(&self) -> f64 {
        self.overhead_usd_per_day
    }

    /// Discount rate of the farm's cash flows, per year, in (−1, 10].
    pub fn discount_rate(&self) -> f64 {
        self.discount_rate
    }

    /// Renewal of a fixed contract that ends inside the horizon.
    pub fn renewal(&self) -> Option<Renewal> {
        self.renewal
    }

    /// Balance sheet; `None` for a farm that cannot fail (no cash tracked
    /// against zero).
    pub fn finance(&self) -> Option<Finance> {
        self.finance
    }

    /// A hashprice forward sold by the farm.
    pub fn hedge(&self) -> Option<Hedge> {
        self.hedge
    }

    /// How the farm grows through its region's queue (farms in a region).
    pub fn expansion(&self) -> Option<&Expansion> {
        self.expansion.as_ref()
    }

    /// When and where the farm moves (farms in a region).
    pub fn migration(&self) -> Option<&Migration> {
        self.migration.as_ref()
    }

    /// Nameplate hashrate of every lot of the fleet, in service or not, PH/s.
    pub fn nameplate_phs(&self) -> f64 {
        self.fleet.iter().map(MachineLot::phs).sum()
    }

    /// What one MWh is worth at hashprice `HP` (USD per PH/s per day) to a
    /// machine of this farm with efficiency `efficiency_j_per_th`: mining
    /// revenue net of the pool fee, the PUE overhead and the variable opex.
    /// The machine's breakeven power price, and its bid.
    #[inline]
    pub fn value_usd_per_mwh(&self, efficiency_j_per_th: f64, hashprice: f64) -> f64 {
        let energy_per_ph_day = MWH_PER_PH_DAY_PER_J_TH * efficiency_j_per_th * self.pue;
        hashprice * (1.0 - self.pool_fee) / energy_per_ph_day - self.opex_usd_per_mwh
    }

    /// The farm's contract as the scenario gives it, renewal included: what
    /// the engine runs unless another is plugged in.
    pub fn scenario_contract(&self) -> ScenarioContract {
        ScenarioContract {
            kind: self.contract,
            renewal: self.renewal,
        }
    }

    /// Average power `lot` draws when it runs, MW (availability included).
    #[inline]
    pub fn lot_mw(&self, lot: &MachineLot) -> f64 {
        lot.phs() * self.availability * MWH_PER_PH_DAY_PER_J_TH / 24.0
            * lot.efficiency_j_per_th
            * self.pue
    }

    /// Average power of the whole fleet when running, MW.
    pub fn mw(&self) -> f64 {
        self.fleet.iter().map(|lot| self.lot_mw(lot)).sum()
    }

    /// Online decision at a flat power price outside the modelled regions,
    /// for a step of `days` days from `day` at hashprice `HP` (USD per PH/s
    /// per day) and power price `price` (USD/MWh: the contract's in force,
    /// [`PowerContract::off_grid_price`]): a lot in service runs the whole
    /// step when its breakeven is at or above the price.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::farm::{Contract, Farm, MachineLot};
    /// let lot = MachineLot::new("S21", 250, 200.0, 17.5);
    /// let contract = Contract::Fixed { price_usd_per_mwh: 55.0, sell_back: false };
    /// let farm = Farm::new("op", vec![lot], contract);
    /// // Breakeven 40/(0.024·17.5) = 95.2 USD/MWh ≥ 55: all 50 PH/s run.
    /// let on = farm.operate(40.0, 1.0, 0.0, 55.0);
    /// assert_eq!(on.online_phs, 50.0);
    /// assert!((on.energy_mwh - 21.0).abs() < 1e-12);
    /// // Breakeven 20/(0.024·17.5) = 47.6 USD/MWh < 55: off.
    /// assert_eq!(farm.operate(20.0, 1.0, 0.0, 55.0).online_phs, 0.0);
    /// ```
    #[inline]
    pub fn operate(&self, hashprice: f64, days: f64, day: f64, price: f64) -> FarmStep {
        let cost = price + self.opex_usd_per_mwh;
        let net_hashprice = hashprice * (1.0 - self.pool_fee);
        let mut step = FarmStep::default();
        for lot in &self.fleet {
            if !lot.in_service(day) {
                continue;
            }
            step.phs_in_service += lot.phs();
            let energy_per_ph_day = MWH_PER_PH_DAY_PER_J_TH * lot.efficiency_j_per_th * self.pue;
            if net_hashprice / energy_per_ph_day >= cost {
                let phs = lot.phs() * self.availability;
                step.online_phs += phs;
                step.energy_mwh += phs * energy_per_ph_day * days;
                step.uptime += lot.phs();
            }
        }
        step.power_cost_usd = step.energy_mwh * price;
        step.price_usd_per_mwh = price;
        step.finish_uptime();
        step
    }
}

impl FarmStep {
    /// Turns `uptime`, summed as the nameplate PH/s that ran, into the
    /// share of the nameplate in service (0 with nothing in service).
    #[inline]
    pub fn finish_uptime(&mut self) {
        self.uptime = if self.phs_in_service > 0.0 {
            self.uptime / self.phs_in_service
        } else {
            0.0
        };
    }
}
