//! The rest-of-world fleet: efficiency classes that run where power is
//! cheap enough (model.md §4, [core] online fraction).
//!
//! Hashrate outside the modelled farms sees a lognormal distribution of
//! power prices across sites, median `m·exp(X)` and dispersion `s`. A class
//! of efficiency `e` runs at the sites whose price is at most its breakeven
//! `b(e) = HP/(0.024·e)`, so its online fraction is
//! `Φ((ln b(e) − ln(m·exp(X))) / s)`.

use serde::Serialize;

use super::network::MWH_PER_PH_DAY_PER_J_TH;
use super::special::normal_cdf;

/// An efficiency class of rest-of-world machines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinerClass {
    /// Class name.
    pub name: String,
    /// Installed hashrate, EH/s.
    pub installed_ehs: f64,
    /// Efficiency, J/TH.
    pub efficiency_j_per_th: f64,
}

/// The rest-of-world fleet and the distribution of its power prices.
#[derive(Debug, Clone, Serialize)]
pub struct RestOfWorld {
    median_power_price: f64,
    dispersion: f64,
    classes: Vec<MinerClass>,
    ln_median: f64,
    inverse_dispersion: f64,
    /// `ln(0.024·e)` per class: `ln b(e) = ln HP − ln(0.024·e)`.
    ln_energy: Vec<f64>,
}

impl RestOfWorld {
    /// A fleet of `classes` facing site prices with median
    /// `median_power_price` USD/MWh (at `X = 0`) and log-dispersion
    /// `dispersion`. Checked by the scenario (positive, finite).
    pub fn new(median_power_price: f64, dispersion: f64, classes: Vec<MinerClass>) -> Self {
        let ln_energy = classes
            .iter()
            .map(|c| (MWH_PER_PH_DAY_PER_J_TH * c.efficiency_j_per_th).ln())
            .collect();
        RestOfWorld {
            median_power_price,
            dispersion,
            ln_median: median_power_price.ln(),
            inverse_dispersion: 1.0 / dispersion,
            classes,
            ln_energy,
        }
    }

    /// The efficiency classes.
    pub fn classes(&self) -> &[MinerClass] {
        &self.classes
    }

    /// Median site power price at `X = 0`, USD/MWh.
    pub fn median_power_price(&self) -> f64 {
        self.median_power_price
    }

    /// Log-dispersion of site power prices.
    pub fn dispersion(&self) -> f64 {
        self.dispersion
    }

    /// Online fraction of class `k` at hashprice `HP` (given as `ln HP`) and
    /// power factor `x`.
    #[inline]
    pub fn online_fraction(&self, k: usize, ln_hashprice: f64, x: f64) -> f64 {
        let ln_breakeven = ln_hashprice - self.ln_energy[k];
        normal_cdf((ln_breakeven - (self.ln_median + x)) * self.inverse_dispersion)
    }

    /// Online hashrate of the whole fleet, EH/s.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::rest_of_world::{MinerClass, RestOfWorld};
    /// let class = MinerClass { name: "S21".into(), installed_ehs: 100.0, efficiency_j_per_th: 17.5 };
    /// let row = RestOfWorld::new(45.0, 0.35, vec![class]);
    /// // At a hashprice whose breakeven equals the median price, half is online.
    /// let hp: f64 = 45.0 * 0.024 * 17.5;
    /// assert!((row.online_ehs(hp.ln(), 0.0) - 50.0).abs() < 1e-9);
    /// ```
    #[inline]
    pub fn online_ehs(&self, ln_hashprice: f64, x: f64) -> f64 {
        (0..self.classes.len())
            .map(|k| self.classes[k].installed_ehs * self.online_fraction(k, ln_hashprice, x))
            .sum()
    }
}
