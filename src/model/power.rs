//! The power-price factor `X`: an Ornstein–Uhlenbeck process stepped
//! exactly (model.md §4, [core]).
//!
//! `X ← X·e^(−κΔy) + σ_X·√((1 − e^(−2κΔy)) / (2κ))·ε`, so the stationary law
//! is `N(0, σ_X²/(2κ))` whatever the step. With `κ = 0` it is a random walk
//! (`σ_X·√Δy·ε`). Power prices scale with `exp(X)`.

use rand::{Rng, RngExt};
use rand_distr::StandardNormal;
use serde::Serialize;

/// An exactly discretised Ornstein–Uhlenbeck factor with mean 0.
///
/// # Example
/// ```
/// use hashwatt::model::power::PowerFactor;
/// let x = PowerFactor::new(0.5, 3.0, 0.0, 1.0 / 365.0);
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// # use rand::SeedableRng;
/// let next = x.step(0.5, &mut rng);
/// assert!((next - 0.5 * (-3.0f64 / 365.0).exp()).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PowerFactor {
    initial: f64,
    mean_reversion: f64,
    volatility: f64,
    decay: f64,
    noise_sd: f64,
}

impl PowerFactor {
    /// Factor starting at `initial`, reverting at `mean_reversion` (κ, per
    /// year) with volatility `volatility` (σ_X, per √year), stepped every
    /// `step_years`. Parameters are checked by the scenario (finite, ≥ 0).
    pub fn new(initial: f64, mean_reversion: f64, volatility: f64, step_years: f64) -> Self {
        let k = mean_reversion;
        let decay = (-k * step_years).exp();
        let noise_sd = if k > 0.0 {
            volatility * ((1.0 - (-2.0 * k * step_years).exp()) / (2.0 * k)).sqrt()
        } else {
            volatility * step_years.sqrt()
        };
        PowerFactor {
            initial,
            mean_reversion,
            volatility,
            decay,
            noise_sd,
        }
    }

    /// `X₀`.
    pub fn initial(&self) -> f64 {
        self.initial
    }

    /// Stationary variance `σ_X²/(2κ)` (infinite for `κ = 0` with `σ_X > 0`).
    pub fn stationary_variance(&self) -> f64 {
        self.volatility * self.volatility / (2.0 * self.mean_reversion)
    }

    /// `X` one step after `x`. No draw when `σ_X = 0`.
    #[inline]
    pub fn step<R: Rng + ?Sized>(&self, x: f64, rng: &mut R) -> f64 {
        if self.noise_sd == 0.0 {
            return x * self.decay;
        }
        let z: f64 = rng.sample(StandardNormal);
        x * self.decay + self.noise_sd * z
    }
}
