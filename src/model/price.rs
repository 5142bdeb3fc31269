//! The BTC price: a compensated log jump-diffusion (model.md §3, [core]).
//!
//! `ln P ← ln P + (μ − σ²/2 − λ·k̄)·Δy + σ·√Δy·ε + Σ_{j=1..N} J_j`, with
//! `N ~ Poisson(λ·Δy)`, `J ~ N(μ_J, σ_J²)` and `k̄ = exp(μ_J + σ_J²/2) − 1`,
//! so that `E[P_{t+Δ}] = P_t·exp(μ·Δy)`. The `N` jumps are summed as
//! `μ_J·N + σ_J·√N·z`, which has the same law as the sum of `N` draws.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Poisson, StandardNormal};
use serde::Serialize;

/// Annual parameters of the price process in one macro regime.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PriceParams {
    /// Drift `μ`, per year: `E[P]` grows at this rate.
    pub drift: f64,
    /// Diffusion volatility `σ`, per √year.
    pub volatility: f64,
    /// Jump intensity `λ`, jumps per year.
    pub jump_intensity: f64,
    /// Mean log jump `μ_J`.
    pub jump_mean: f64,
    /// Standard deviation of a log jump `σ_J`.
    pub jump_sd: f64,
}

/// The price process of one regime, discretised for a step of `Δy` years.
#[derive(Debug, Clone, Serialize)]
pub struct JumpDiffusion {
    params: PriceParams,
    /// `(μ − σ²/2 − λ·k̄)·Δy`
    log_drift: f64,
    /// `σ·√Δy`
    diffusion_sd: f64,
    /// Number of jumps in a step; `None` when `λ = 0` (no draw at all).
    #[serde(skip)]
    jumps: Option<Poisson<f64>>,
}

impl JumpDiffusion {
    /// Discretises `params` for steps of `step_years` years. The parameters
    /// are checked by the scenario (finite, `σ, λ, σ_J ≥ 0`); a jump count
    /// mean that `Poisson` refuses (not finite) disables jumps.
    pub fn new(params: PriceParams, step_years: f64) -> Self {
        let p = params;
        let mean_jump = (p.jump_mean + 0.5 * p.jump_sd * p.jump_sd).exp() - 1.0;
        let log_drift =
            (p.drift - 0.5 * p.volatility * p.volatility - p.jump_intensity * mean_jump)
                * step_years;
        let jumps = if p.jump_intensity > 0.0 {
            Poisson::new(p.jump_intensity * step_years).ok()
        } else {
            None
        };
        JumpDiffusion {
            params,
            log_drift,
            diffusion_sd: p.volatility * step_years.sqrt(),
            jumps,
        }
    }

    /// The annual parameters.
    pub fn params(&self) -> &PriceParams {
        &self.params
    }

    /// The price one step after `price`. Draws one normal from `diffusion`
    /// when `σ > 0`, and a jump count (plus one normal when it is not zero)
    /// from `jumps` when `λ > 0`.
    #[inline]
    pub fn step<R: Rng + ?Sized>(&self, price: f64, diffusion: &mut R, jumps: &mut R) -> f64 {
        let mut log_change = self.log_drift;
        if self.diffusion_sd > 0.0 {
            let z: f64 = diffusion.sample(StandardNormal);
            log_change += self.diffusion_sd * z;
        }
        if let Some(poisson) = &self.jumps {
            let n = poisson.sample(jumps);
            if n > 0.0 {
                let z: f64 = jumps.sample(StandardNormal);
                log_change += self.params.jump_mean * n + self.params.jump_sd * n.sqrt() * z;
            }
        }
        price * log_change.exp()
    }
}
