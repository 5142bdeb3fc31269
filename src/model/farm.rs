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
    },
}

impl Contract {
    /// The price the farm pays for power this step, USD/MWh.
    pub fn price_usd_per_mwh(&self) -> f64 {
        match *self {
            Contract::Fixed { price_usd_per_mwh } => price_usd_per_mwh,
        }
    }
}

/// A modelled farm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Farm {
    /// Farm name (also used in series names).
    pub name: String,
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

/// A farm's operation in one step.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FarmStep {
    /// Hashrate online, PH/s.
    pub online_phs: f64,
    /// Energy drawn over the step, MWh.
    pub energy_mwh: f64,
    /// Price paid for that energy, USD/MWh.
    pub power_price: f64,
}

impl Farm {
    /// Nameplate hashrate of the whole fleet, PH/s.
    pub fn nameplate_phs(&self) -> f64 {
        self.fleet.iter().map(MachineLot::phs).sum()
    }

    /// Online decision at hashprice `HP` (USD per PH/s per day) for a step of
    /// `days` days.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::farm::{Contract, Farm, MachineLot};
    /// let farm = Farm {
    ///     name: "op".into(),
    ///     fleet: vec![MachineLot { model: "S21".into(), units: 250, th_per_unit: 200.0, efficiency_j_per_th: 17.5 }],
    ///     contract: Contract::Fixed { price_usd_per_mwh: 55.0 },
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
        let power_price = self.contract.price_usd_per_mwh();
        let cost = power_price + self.opex_usd_per_mwh;
        let net_hashprice = hashprice * (1.0 - self.pool_fee);
        let mut step = FarmStep {
            power_price,
            ..FarmStep::default()
        };
        for lot in &self.fleet {
            let energy_per_ph_day = MWH_PER_PH_DAY_PER_J_TH * lot.efficiency_j_per_th * self.pue;
            if net_hashprice / energy_per_ph_day >= cost {
                let phs = lot.phs() * self.availability;
                step.online_phs += phs;
                step.energy_mwh += phs * energy_per_ph_day * days;
            }
        }
        step
    }
}
