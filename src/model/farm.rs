//! Modelled mining farms: fleets, power contracts and the online decision
//! (model.md §1.7, §1.8 and §6).
//!
//! A machine lot runs when its breakeven power price, net of the pool fee and
//! the cooling overhead (PUE), is at or above what its power costs:
//! `HP·(1 − pool_fee) / (0.024·e·PUE) ≥ contract price + variable opex`.
//! Online hashrate is `units·TH/s·availability`; it earns its share of the
//! step's blocks (1.7) and draws `0.024·e·PUE` MWh per PH/s per day.

use serde::Serialize;

use super::network::MWH_PER_PH_DAY_PER_J_TH;

/// A lot of identical machines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineLot {
    /// Machine model, e.g. "S21".
    pub model: String,
    /// Number of machines.
    pub units: u32,
    /// Hashrate per machine, TH/s.
    pub th_per_unit: f64,
    /// Efficiency, J/TH.
    pub efficiency_j_per_th: f64,
}

impl MachineLot {
    /// Nameplate hashrate of the lot, PH/s.
    pub fn phs(&self) -> f64 {
        f64::from(self.units) * self.th_per_unit / 1000.0
    }
}

/// A farm's power contract.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Contract {
    /// A fixed price for the whole horizon, USD/MWh.
    Fixed {
        /// Price, USD/MWh.
        price_usd_per_mwh: f64,
        /// Whether the farm, inside a region, buys its full power at the
        /// fixed price and sells back at the market price the hours it does
        /// not mine (the power-credit strategy).
        sell_back: bool,
    },
    /// Hosting: an all-in price per MWh used (power, tariffs and the
    /// host's services); the host takes the power whatever the market.
    Hosted {
        /// All-in price, USD/MWh.
        price_usd_per_mwh: f64,
    },
    /// The region's hourly wholesale price plus tariffs and an adder.
    Index {
        /// Adder on top of the wholesale price and tariffs, USD/MWh.
        adder_usd_per_mwh: f64,
    },
}

/// A modelled farm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Farm {
    /// Farm name (also used in series names).
    pub name: String,
    /// Region whose grid the farm draws from; `None` for a farm that
    /// buys at its fixed contract price outside the modelled regions.
    pub region: Option<String>,
    /// Machine lots.
    pub fleet: Vec<MachineLot>,
    /// Power contract.
    pub contract: Contract,
    /// Share of revenue kept by the pool, in [0, 1).
    pub pool_fee: f64,
    /// Power usage effectiveness (total power / machine power), ≥ 1.
    pub pue: f64,
    /// Share of time a machine can hash at all, in (0, 1].
    pub availability: f64,
    /// Variable opex, USD/MWh.
    pub opex_usd_per_mwh: f64,
}

impl Contract {
    /// The price of a fixed or hosted contract, USD/MWh; `None` for an
    /// index contract.
    pub fn fixed_price_usd_per_mwh(&self) -> Option<f64> {
        match *self {
            Contract::Fixed {
                price_usd_per_mwh, ..
            }
            | Contract::Hosted { price_usd_per_mwh } => Some(price_usd_per_mwh),
            Contract::Index { .. } => None,
        }
    }
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
    /// Share of the step the fleet ran, weighted by nameplate hashrate.
    pub uptime: f64,
    /// Average price paid per MWh used, USD/MWh.
    pub price_usd_per_mwh: f64,
}

impl Farm {
    /// Nameplate hashrate of the whole fleet, PH/s.
    pub fn nameplate_phs(&self) -> f64 {
        self.fleet.iter().map(MachineLot::phs).sum()
    }

    /// What one MWh is worth to `lot` at hashprice `HP` (USD per PH/s per
    /// day): mining revenue net of the pool fee, the PUE overhead and the
    /// variable opex. The lot's breakeven power price, and its bid.
    #[inline]
    pub fn lot_value_usd_per_mwh(&self, lot: &MachineLot, hashprice: f64) -> f64 {
        let energy_per_ph_day = MWH_PER_PH_DAY_PER_J_TH * lot.efficiency_j_per_th * self.pue;
        hashprice * (1.0 - self.pool_fee) / energy_per_ph_day - self.opex_usd_per_mwh
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

    /// Online decision at a fixed contract price outside the modelled
    /// regions, at hashprice `HP` (USD per PH/s per day) for a step of
    /// `days` days: a lot runs the whole step when its breakeven is at or
    /// above the contract price (an index contract never runs here: it
    /// needs a region's market).
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::farm::{Contract, Farm, MachineLot};
    /// let farm = Farm {
    ///     name: "op".into(),
    ///     region: None,
    ///     fleet: vec![MachineLot { model: "S21".into(), units: 250, th_per_unit: 200.0, efficiency_j_per_th: 17.5 }],
    ///     contract: Contract::Fixed { price_usd_per_mwh: 55.0, sell_back: false },
    ///     pool_fee: 0.0, pue: 1.0, availability: 1.0, opex_usd_per_mwh: 0.0,
    /// };
    /// // Breakeven 40/(0.024·17.5) = 95.2 USD/MWh ≥ 55: all 50 PH/s run.
    /// let on = farm.operate(40.0, 1.0);
    /// assert_eq!(on.online_phs, 50.0);
    /// assert!((on.energy_mwh - 21.0).abs() < 1e-12);
    /// // Breakeven 20/(0.024·17.5) = 47.6 USD/MWh < 55: off.
    /// assert_eq!(farm.operate(20.0, 1.0).online_phs, 0.0);
    /// ```
    #[inline]
    pub fn operate(&self, hashprice: f64, days: f64) -> FarmStep {
        let Some(price) = self.contract.fixed_price_usd_per_mwh() else {
            return FarmStep::default();
        };
        let cost = price + self.opex_usd_per_mwh;
        let net_hashprice = hashprice * (1.0 - self.pool_fee);
        let mut step = FarmStep::default();
        for lot in &self.fleet {
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
        step.uptime /= self.nameplate_phs();
        step
    }
}
