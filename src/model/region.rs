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

use super::error::{Interval, ParamError, Rule};

/// Why [`BaselineLoad::new`] or [`CapacityAddition::new`] refused its
/// parameters.
///
/// # Example
/// ```
/// use hashwatt::model::error::{ParamError, Rule};
/// use hashwatt::model::region::{CapacityAddition, RegionError};
/// let err = CapacityAddition::new(-5.0, 100.0, 0.0, 0.0).unwrap_err();
/// let want = ParamError { field: "mw", value: -5.0, rule: Rule::NonNegative };
/// assert_eq!(err, RegionError::Addition(want));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RegionError {
    /// A parameter of [`BaselineLoad::new`] is out of range.
    #[error("baseline load: {0}")]
    Baseline(ParamError),
    /// A parameter of [`CapacityAddition::new`] is out of range.
    #[error("capacity addition: {0}")]
    Addition(ParamError),
}

impl RegionError {
    /// The parameter out of range.
    pub fn param(&self) -> &ParamError {
        match self {
            RegionError::Baseline(p) | RegionError::Addition(p) => p,
        }
    }
}

/// A scheduled capacity addition, built by [`CapacityAddition::new`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CapacityAddition {
    mw: f64,
    planned_day: f64,
    delay_median_days: f64,
    delay_dispersion: f64,
}

impl CapacityAddition {
    /// `mw` (≥ 0) in service on `planned_day` (finite, from the scenario
    /// start) plus a lognormal delay of median `delay_median_days` (≥ 0)
    /// and log-dispersion `delay_dispersion` (≥ 0).
    ///
    /// # Errors
    /// [`RegionError::Addition`] naming the first parameter out of range.
    pub fn new(
        mw: f64,
        planned_day: f64,
        delay_median_days: f64,
        delay_dispersion: f64,
    ) -> Result<CapacityAddition, RegionError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(RegionError::Addition)
        };
        Ok(CapacityAddition {
            mw: check("mw", mw, Rule::NonNegative)?,
            planned_day: check("planned_day", planned_day, Rule::Finite)?,
            delay_median_days: check("delay_median_days", delay_median_days, Rule::NonNegative)?,
            delay_dispersion: check("delay_dispersion", delay_dispersion, Rule::NonNegative)?,
        })
    }

    /// MW added.
    pub fn mw(&self) -> f64 {
        self.mw
    }

    /// Planned in-service day, from the scenario start.
    pub fn planned_day(&self) -> f64 {
        self.planned_day
    }

    /// Median delay, days (lognormal).
    pub fn delay_median_days(&self) -> f64 {
        self.delay_median_days
    }

    /// Log-dispersion of the delay.
    pub fn delay_dispersion(&self) -> f64 {
        self.delay_dispersion
    }
}

/// The seasonal, growing, noisy baseline load of a region, built by
/// [`BaselineLoad::new`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BaselineLoad {
    initial_mw: f64,
    growth: f64,
    seasonal_amplitude: f64,
    peak_day_of_year: f64,
    start_day_of_year: f64,
    noise: f64,
}

impl BaselineLoad {
    /// A mean load of `initial_mw` (≥ 0) over the year at the start
    /// (before the seasonal factor), growing by `growth` a year (in
    /// (−1, 1]), with a seasonal amplitude in [0, 1) peaking on day of the
    /// year `peak_day_of_year` (in [0, 366]), the scenario's day 0 being
    /// day of the year `start_day_of_year` (in [0, 366]), and a daily
    /// log-noise `noise` (≥ 0).
    ///
    /// # Errors
    /// [`RegionError::Baseline`] naming the first parameter out of range.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::region::BaselineLoad;
    /// assert!(BaselineLoad::new(1000.0, 0.05, 0.1, 200.0, 0.0, 0.02).is_ok());
    /// assert!(BaselineLoad::new(1000.0, -1.0, 0.1, 200.0, 0.0, 0.02).is_err());
    /// ```
    pub fn new(
        initial_mw: f64,
        growth: f64,
        seasonal_amplitude: f64,
        peak_day_of_year: f64,
        start_day_of_year: f64,
        noise: f64,
    ) -> Result<BaselineLoad, RegionError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(RegionError::Baseline)
        };
        let day_of_year = Rule::Within(Interval::closed(0.0, 366.0));
        Ok(BaselineLoad {
            initial_mw: check("initial_mw", initial_mw, Rule::NonNegative)?,
            growth: check(
                "growth",
                growth,
                Rule::Within(Interval::left_open(-1.0, 1.0)),
            )?,
            seasonal_amplitude: check(
                "seasonal_amplitude",
                seasonal_amplitude,
                Rule::Within(Interval::half_open(0.0, 1.0)),
            )?,
            peak_day_of_year: check("peak_day_of_year", peak_day_of_year, day_of_year)?,
            start_day_of_year: check("start_day_of_year", start_day_of_year, day_of_year)?,
            noise: check("noise", noise, Rule::NonNegative)?,
        })
    }

    /// Mean load over the year at the start (before the seasonal factor), MW.
    pub fn initial_mw(&self) -> f64 {
        self.initial_mw
    }

    /// Annual growth rate `g`.
    pub fn growth(&self) -> f64 {
        self.growth
    }

    /// Seasonal amplitude `a`, in [0, 1).
    pub fn seasonal_amplitude(&self) -> f64 {
        self.seasonal_amplitude
    }

    /// Day of the year of the seasonal peak.
    pub fn peak_day_of_year(&self) -> f64 {
        self.peak_day_of_year
    }

    /// Day of the year of the scenario's day 0.
    pub fn start_day_of_year(&self) -> f64 {
        self.start_day_of_year
    }

    /// Daily log-noise `σ_L`.
    pub fn noise(&self) -> f64 {
        self.noise
    }

    /// Mean load on day `day` (no noise), MW.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::region::BaselineLoad;
    /// let load = BaselineLoad::new(1000.0, 0.05, 0.1, 200.0, 200.0, 0.0)?;
    /// assert!((load.mean_mw(0.0) - 1100.0).abs() < 1e-9);
    /// assert!((load.mean_mw(365.0) - 1155.0).abs() < 1e-9);
    /// # Ok::<(), hashwatt::model::region::RegionError>(())
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
/// let adds = [CapacityAddition::new(500.0, 100.0, 0.0, 0.0)?];
/// assert_eq!(capacity_mw(10_000.0, &adds, &[100.0], 99.0), 10_000.0);
/// assert_eq!(capacity_mw(10_000.0, &adds, &[100.0], 100.0), 10_500.0);
/// # Ok::<(), hashwatt::model::region::RegionError>(())
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
