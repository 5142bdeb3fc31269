//! A farm's expansion (model.md §6): when a frontier machine would pay for
//! itself quickly enough at the current hashprice and the farm's power
//! price, the farm asks its region's interconnection queue for more MW;
//! what the queue grants is bought then and hashes after the machines'
//! lead time.

use serde::Serialize;

use super::finance::payback_days;
use super::units::MWH_PER_PH_DAY_PER_J_TH;

/// How a farm grows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expansion {
    /// Machine model bought.
    pub model: String,
    /// Its efficiency, J/TH.
    pub efficiency_j_per_th: f64,
    /// Its price per PH/s, USD.
    pub price_usd_per_phs: f64,
    /// Service life of the machines bought, days.
    pub life_days: f64,
    /// The farm asks for MW when a machine's payback is at most this, days.
    pub payback_threshold_days: f64,
    /// MW asked for at a time.
    pub request_mw: f64,
    /// Most MW the farm adds over the run (granted, whether connected yet
    /// or not).
    pub max_mw: f64,
    /// Days from the grant (when the machines are bought) to hashing.
    pub lead_days: f64,
    /// A request not granted after this many days is withdrawn.
    pub max_wait_days: f64,
    /// Share of the machines' price borrowed (the rest is paid from cash).
    pub debt_share: f64,
}

impl Expansion {
    /// PH/s of machines behind one MW of grid power at the farm's PUE and
    /// availability.
    pub fn phs_per_mw(&self, pue: f64, availability: f64) -> f64 {
        24.0 / (MWH_PER_PH_DAY_PER_J_TH * self.efficiency_j_per_th * pue * availability)
    }

    /// Whether a frontier machine pays for itself within the threshold at
    /// hashprice `hashprice` (USD per PH/s per day) and a cash cost of
    /// `cost_usd_per_mwh` (power and opex), for a farm with `pue`, pool fee
    /// `pool_fee` and machine availability `availability`.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::expansion::Expansion;
    /// let e = Expansion {
    ///     model: "S21 XP".into(), efficiency_j_per_th: 15.0, price_usd_per_phs: 15_000.0,
    ///     life_days: 1826.0, payback_threshold_days: 540.0, request_mw: 10.0,
    ///     max_mw: 50.0, lead_days: 90.0, max_wait_days: 365.0, debt_share: 0.0,
    /// };
    /// // 1 PH/s: 48 USD a day of revenue, 0.36 MWh at 50 USD: payback 500 days.
    /// assert!(e.pays_back(48.0, 50.0, 1.0, 0.0, 1.0));
    /// assert!(!e.pays_back(40.0, 50.0, 1.0, 0.0, 1.0));
    /// ```
    pub fn pays_back(
        &self,
        hashprice: f64,
        cost_usd_per_mwh: f64,
        pue: f64,
        pool_fee: f64,
        availability: f64,
    ) -> bool {
        let days = payback_days(
            self.price_usd_per_phs,
            availability,
            self.efficiency_j_per_th,
            pue,
            hashprice,
            pool_fee,
            cost_usd_per_mwh,
        );
        days <= self.payback_threshold_days
    }
}
