//! AI data-center pipelines: capital spending turned into MW requested from
//! a region's interconnection queue (model.md §5).
//!
//! The published figures (one company's ~23-70 bn USD program, ~40-50 bn
//! USD a year of US data-center construction) are forecasts that get
//! revised, so a pipeline's capex and its capex per MW are lognormal, drawn
//! once per path: `MW = capex / capex_per_MW`, so that
//! `ln MW ~ N(ln(capex_median / cost_median), s_capex² + s_cost²)`. The MW
//! are requested evenly over the build period, from the start date, and
//! draw `load_factor` of their rating once connected; `curtailable` is the
//! share of that load that accepts curtailment.

use rand::{Rng, RngExt};
use rand_distr::StandardNormal;
use serde::Serialize;

/// A pipeline's parameters, as written in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PipelineParams {
    /// Median capital spending, USD.
    pub capex_median_usd: f64,
    /// Log-dispersion of the capital spending (forecast uncertainty).
    pub capex_dispersion: f64,
    /// Median capital cost per MW, USD/MW.
    pub cost_median_usd_per_mw: f64,
    /// Log-dispersion of the cost per MW.
    pub cost_dispersion: f64,
    /// Day (from the scenario start) the first MW are requested.
    pub start_day: f64,
    /// Days over which the MW are requested.
    pub build_days: f64,
    /// Share of the rating drawn once connected, in (0, 1].
    pub load_factor: f64,
    /// Share of the load that accepts curtailment, in [0, 1].
    pub curtailable: f64,
}

/// Why pipeline parameters were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// A parameter is out of its range.
    #[error("{field}: {message}")]
    OutOfRange {
        /// The parameter.
        field: &'static str,
        /// Its range.
        message: &'static str,
    },
}

/// A checked pipeline.
///
/// # Example
/// ```
/// use hashwatt::model::datacenter::{Pipeline, PipelineParams};
/// let p = Pipeline::new(PipelineParams {
///     capex_median_usd: 50e9, capex_dispersion: 0.0,
///     cost_median_usd_per_mw: 10e6, cost_dispersion: 0.0,
///     start_day: 100.0, build_days: 1000.0, load_factor: 0.8, curtailable: 0.0,
/// })?;
/// let mut rng = hashwatt::engine::stream(1, 0, "doc");
/// let mw = p.draw_mw(&mut rng);
/// assert_eq!(mw, 5000.0);
/// assert_eq!(p.requested_by(600.0, mw), 2500.0);
/// # Ok::<(), hashwatt::model::datacenter::PipelineError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pipeline {
    params: PipelineParams,
}

impl Pipeline {
    /// Checks `params`.
    ///
    /// # Errors
    /// [`PipelineError::OutOfRange`] naming the parameter: medians must be
    /// finite and > 0, dispersions and days finite and ≥ 0, the load factor
    /// in (0, 1], the curtailable share in [0, 1].
    pub fn new(params: PipelineParams) -> Result<Pipeline, PipelineError> {
        let p = &params;
        let checks: [(&'static str, bool, &'static str); 8] = [
            (
                "capex_median_usd",
                p.capex_median_usd > 0.0 && p.capex_median_usd.is_finite(),
                "must be finite and > 0",
            ),
            (
                "capex_dispersion",
                p.capex_dispersion >= 0.0 && p.capex_dispersion.is_finite(),
                "must be finite and ≥ 0",
            ),
            (
                "cost_median_usd_per_mw",
                p.cost_median_usd_per_mw > 0.0 && p.cost_median_usd_per_mw.is_finite(),
                "must be finite and > 0",
            ),
            (
                "cost_dispersion",
                p.cost_dispersion >= 0.0 && p.cost_dispersion.is_finite(),
                "must be finite and ≥ 0",
            ),
            (
                "start_day",
                p.start_day >= 0.0 && p.start_day.is_finite(),
                "must be finite and ≥ 0",
            ),
            (
                "build_days",
                p.build_days >= 0.0 && p.build_days.is_finite(),
                "must be finite and ≥ 0",
            ),
            (
                "load_factor",
                p.load_factor > 0.0 && p.load_factor <= 1.0,
                "must be in (0, 1]",
            ),
            (
                "curtailable",
                (0.0..=1.0).contains(&p.curtailable),
                "must be in [0, 1]",
            ),
        ];
        match checks.iter().find(|(_, ok, _)| !ok) {
            Some(&(field, _, message)) => Err(PipelineError::OutOfRange { field, message }),
            None => Ok(Pipeline { params }),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &PipelineParams {
        &self.params
    }

    /// The MW this pipeline requests on one path: capex over cost per MW,
    /// both lognormal (two normal draws from `rng`, drawn once per path).
    pub fn draw_mw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let p = &self.params;
        let z_capex: f64 = rng.sample(StandardNormal);
        let z_cost: f64 = rng.sample(StandardNormal);
        let capex = p.capex_median_usd * (p.capex_dispersion * z_capex).exp();
        let cost = p.cost_median_usd_per_mw * (p.cost_dispersion * z_cost).exp();
        capex / cost
    }

    /// MW requested by day `day` out of `total_mw`: none before the start,
    /// evenly over the build period, all after it.
    pub fn requested_by(&self, day: f64, total_mw: f64) -> f64 {
        let p = &self.params;
        if day < p.start_day {
            0.0
        } else if p.build_days == 0.0 || day >= p.start_day + p.build_days {
            total_mw
        } else {
            total_mw * (day - p.start_day) / p.build_days
        }
    }

    /// Load drawn by `connected_mw` of rating, MW.
    pub fn load_mw(&self, connected_mw: f64) -> f64 {
        connected_mw * self.params.load_factor
    }
}
