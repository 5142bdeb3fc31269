//! Transaction fees per block (model.md §1.5, [core]).
//!
//! `F = f̄·exp(σ_f·ε − σ_f²/2)`, `ε ~ N(0, 1)` independent each step, so
//! that `E[F] = f̄`.

use rand::{Rng, RngExt};
use rand_distr::StandardNormal;
use serde::Serialize;

/// Lognormal fees per block with mean `f̄` BTC.
///
/// # Example
/// ```
/// use hashwatt::model::fees::FeeModel;
/// let fees = FeeModel::new(0.03, 0.0);
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// # use rand::SeedableRng;
/// assert_eq!(fees.draw(&mut rng), 0.03);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FeeModel {
    mean_btc: f64,
    volatility: f64,
}

impl FeeModel {
    /// Fees with mean `mean_btc` BTC per block and log-volatility
    /// `volatility` per step (both checked by the scenario: finite, ≥ 0).
    pub fn new(mean_btc: f64, volatility: f64) -> Self {
        FeeModel {
            mean_btc,
            volatility,
        }
    }

    /// Mean fee per block, BTC.
    pub fn mean_btc(&self) -> f64 {
        self.mean_btc
    }

    /// Log-volatility `σ_f`.
    pub fn volatility(&self) -> f64 {
        self.volatility
    }

    /// One step's fee per block, BTC. No draw when `σ_f = 0`.
    #[inline]
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if self.volatility == 0.0 {
            return self.mean_btc;
        }
        let z: f64 = rng.sample(StandardNormal);
        let s = self.volatility;
        self.mean_btc * (s * z - 0.5 * s * s).exp()
    }
}
