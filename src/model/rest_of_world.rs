//! The rest-of-world fleet: efficiency classes that run where power is
//! cheap enough (model.md §4, [core] online fraction).
//!
//! Hashrate outside the modelled farms sees a lognormal distribution of
//! power prices across sites, median `m·exp(X)` and dispersion `s`. A class
//! of efficiency `e` runs at the sites whose price is at most its breakeven
//! `b(e) = HP/(0.024·e)`, so its online fraction is
//! `Φ((ln b(e) − ln(m·exp(X))) / s)`.

use serde::Serialize;

use super::retirement::ClassAge;
use super::special::normal_cdf;
use super::units::MWH_PER_PH_DAY_PER_J_TH;

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
    /// Age profile of each class at the start (`None`: never retires).
    ages: Vec<Option<ClassAge>>,
    /// Installed EH/s of class `k` at step `t` at `[t·classes + k]`; empty
    /// when no class retires.
    #[serde(skip)]
    installed_by_step: Vec<f64>,
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
            ages: Vec::new(),
            installed_by_step: Vec::new(),
        }
    }

    /// The fleet with the classes' age profiles (one per class, in order),
    /// retiring by age over `steps` steps of `step_days` days.
    pub fn with_ages(mut self, ages: Vec<Option<ClassAge>>, steps: usize, step_days: f64) -> Self {
        self.installed_by_step.clear();
        if ages.iter().any(Option::is_some) {
            for t in 0..steps {
                let day = t as f64 * step_days;
                for (class, age) in self.classes.iter().zip(&ages) {
                    let surviving = age.map_or(1.0, |a| a.surviving_fraction(day));
                    self.installed_by_step.push(class.installed_ehs * surviving);
                }
            }
        }
        self.ages = ages;
        self
    }

    /// `ln` of the median site price at `X = 0`.
    pub fn ln_median(&self) -> f64 {
        self.ln_median
    }

    /// `1 / dispersion`.
    pub fn inverse_dispersion(&self) -> f64 {
        self.inverse_dispersion
    }

    /// Installed EH/s of each class at step `step` (after retirements by
    /// age), in class order.
    #[inline]
    pub fn installed_at(&self, step: usize) -> impl Iterator<Item = f64> + '_ {
        let k = self.classes.len();
        let by_step = self.installed_by_step.get(step * k..(step + 1) * k);
        (0..k).map(move |c| by_step.map_or(self.classes[c].installed_ehs, |s| s[c]))
    }

    /// Online hashrate of the whole fleet at step `step` (after retirements
    /// by age), EH/s, at hashprice `exp(ln_hashprice)` and power factor
    /// `x`. Without age profiles, [`RestOfWorld::online_ehs`] bit for bit.
    // Always inlined: the engine's hot loop is compiled once per instruction
    // set (engine/kernel.rs), and only what it inlines gets the FMA copy.
    #[inline(always)]
    pub fn online_ehs_at(&self, step: usize, ln_hashprice: f64, x: f64) -> f64 {
        if self.installed_by_step.is_empty() {
            return self.online_ehs(ln_hashprice, x);
        }
        let mut total = -0.0;
        for (k, installed) in self.installed_at(step).enumerate() {
            total += installed * self.online_fraction(k, ln_hashprice, x);
        }
        total
    }

    /// Online hashrate (EH/s) and the power it draws (MW = EH/s × J/TH) at
    /// step `step`.
    #[inline(always)]
    pub fn online_ehs_mw_at(&self, step: usize, ln_hashprice: f64, x: f64) -> (f64, f64) {
        let mut ehs = 0.0;
        let mut mw = 0.0;
        for (k, installed) in self.installed_at(step).enumerate() {
            let online = installed * self.online_fraction(k, ln_hashprice, x);
            ehs += online;
            mw += online * self.classes[k].efficiency_j_per_th;
        }
        (ehs, mw)
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
    #[inline(always)]
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
    // A plain loop, always inlined: an iterator's `sum` may stay out of
    // line, outside the hot loop's per-instruction-set copies
    // (engine/kernel.rs). It starts at −0, as `Sum for f64` does.
    #[inline(always)]
    pub fn online_ehs(&self, ln_hashprice: f64, x: f64) -> f64 {
        let mut total = -0.0;
        for (k, class) in self.classes.iter().enumerate() {
            total += class.installed_ehs * self.online_fraction(k, ln_hashprice, x);
        }
        total
    }
}
