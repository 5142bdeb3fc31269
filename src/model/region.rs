//! A region's firm capacity and baseline load (model.md §4).
//!
//! - **Capacity** `C(t)`: initial MW plus scheduled additions, each in
//!   service at its date plus a lognormal delay drawn once per path
//!   (interconnection and build lead times slip).
//! - **Baseline load**
//!   `L(t) = L0·(1+g)^(t/365)·(1 + a·cos(2π(d − d_peak)/365))·exp(σ_L·η − σ_L²/2)`,
//!   with `d` the day of the year and `η ~ N(0, 1)` each step. (The
//!   `−σ_L²/2` keeps the noise mean-one, so `L0` is the mean load; the
//!   specification's form without it is the same model with a rescaled `L0`.)

use rand::{Rng, RngExt};
use rand_distr::StandardNormal;
use serde::Serialize;

/// A scheduled capacity addition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CapacityAddition {
    /// MW added.
    pub mw: f64,
    /// Planned in-service day, from the scenario start.
    pub planned_day: f64,
    /// Median delay, days (lognormal).
    pub delay_median_days: f64,
    /// Log-dispersion of the delay.
    pub delay_dispersion: f64,
}

/// The seasonal, growing, noisy baseline load of a region (parameters are
/// checked by the scenario: finite, load ≥ 0, growth > −1, amplitude in
/// [0, 1), noise ≥ 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BaselineLoad {
    /// Mean load over the year at the start (before the seasonal factor), MW.
    pub initial_mw: f64,
    /// Annual growth rate `g`.
    pub growth: f64,
    /// Seasonal amplitude `a`, in [0, 1).
    pub seasonal_amplitude: f64,
    /// Day of the year of the seasonal peak.
    pub peak_day_of_year: f64,
    /// Day of the year of the scenario's day 0.
    pub start_day_of_year: f64,
    /// Daily log-noise `σ_L`.
    pub noise: f64,
}

impl BaselineLoad {
    /// Mean load on day `day` (no noise), MW.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::region::BaselineLoad;
    /// let load = BaselineLoad { initial_mw: 1000.0, growth: 0.05, seasonal_amplitude: 0.1,
    ///     peak_day_of_year: 200.0, start_day_of_year: 200.0, noise: 0.0 };
    /// assert!((load.mean_mw(0.0) - 1100.0).abs() < 1e-9);
    /// assert!((load.mean_mw(365.0) - 1155.0).abs() < 1e-9);
    /// ```
    pub fn mean_mw(&self, day: f64) -> f64 {
        let day_of_year = self.start_day_of_year + day;
        let season = (std::f64::consts::TAU * (day_of_year - self.peak_day_of_year) / 365.0).cos();
        self.initial_mw
            * (1.0 + self.growth).powf(day / 365.0)
            * (1.0 + self.seasonal_amplitude * season)
    }

    /// Peak baseline over the year starting at `day` (the seasonal peak with
    /// the year's growth), MW: what interconnection studies plan for.
    pub fn peak_mw(&self, day: f64) -> f64 {
        let growth = |d: f64| (1.0 + self.growth).powf(d / 365.0);
        self.initial_mw * growth(day).max(growth(day + 365.0)) * (1.0 + self.seasonal_amplitude)
    }

    /// The load on day `day` with this step's noise (one normal from `rng`
    /// when `σ_L > 0`), MW.
    pub fn draw_mw<R: Rng + ?Sized>(&self, day: f64, rng: &mut R) -> f64 {
        self.noisy_mw(self.mean_mw(day), rng)
    }

    /// The load around a mean load `mean` (from [`BaselineLoad::mean_mw`])
    /// with this step's noise, MW: the same draw as
    /// [`BaselineLoad::draw_mw`] for a mean computed once for all paths.
    #[inline]
    pub fn noisy_mw<R: Rng + ?Sized>(&self, mean: f64, rng: &mut R) -> f64 {
        if self.noise == 0.0 {
            return mean;
        }
        let eta: f64 = rng.sample(StandardNormal);
        mean * (self.noise * eta - 0.5 * self.noise * self.noise).exp()
    }
}

/// The days (from the start) on which the additions come into service on
/// one path: planned day plus a lognormal delay each (one normal per
/// addition from `rng`, drawn once per path), written into `in_service`.
pub fn draw_in_service_days<R: Rng + ?Sized>(
    additions: &[CapacityAddition],
    rng: &mut R,
    in_service: &mut [f64],
) {
    for (a, day) in additions.iter().zip(in_service.iter_mut()) {
        let z: f64 = rng.sample(StandardNormal);
        *day = a.planned_day + a.delay_median_days * (a.delay_dispersion * z).exp();
    }
}

/// Firm capacity on day `day`, MW: initial plus the additions in service.
///
/// # Example
/// ```
/// use hashwatt::model::region::{capacity_mw, CapacityAddition};
/// let adds = [CapacityAddition { mw: 500.0, planned_day: 100.0, delay_median_days: 0.0, delay_dispersion: 0.0 }];
/// assert_eq!(capacity_mw(10_000.0, &adds, &[100.0], 99.0), 10_000.0);
/// assert_eq!(capacity_mw(10_000.0, &adds, &[100.0], 100.0), 10_500.0);
/// ```
pub fn capacity_mw(
    initial_mw: f64,
    additions: &[CapacityAddition],
    in_service: &[f64],
    day: f64,
) -> f64 {
    initial_mw
        + additions
            .iter()
            .zip(in_service)
            .filter(|(_, d)| **d <= day)
            .map(|(a, _)| a.mw)
            .sum::<f64>()
}
