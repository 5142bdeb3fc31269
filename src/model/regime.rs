//! The macro regime chain (model.md §3).
//!
//! A continuous-time Markov chain with annual transition rates `q_ij`. Each
//! step the chain leaves regime `i` with probability `1 − exp(−Δy·Σ_j q_ij)`,
//! to `j` in proportion to `q_ij`. A regime sets the BTC price process, a
//! fuel-cost multiplier for fossil supply and an investment hurdle premium.

use rand::Rng;
use serde::Serialize;

use super::markov::MarkovChain;
use super::price::JumpDiffusion;

/// One macro regime (calm, tension, conflict, ...).
#[derive(Debug, Clone, Serialize)]
pub struct Regime {
    /// Regime name.
    pub name: String,
    /// BTC price process in this regime.
    pub price: JumpDiffusion,
    /// Multiplier on fuel-linked supply costs.
    pub fuel_multiplier: f64,
    /// Premium added to the investment hurdle rate, per year.
    pub hurdle_premium: f64,
}

/// The regimes and their step transition probabilities.
#[derive(Debug, Clone, Serialize)]
pub struct RegimeChain {
    regimes: Vec<Regime>,
    initial: usize,
    chain: MarkovChain,
}

impl RegimeChain {
    /// Builds the chain from regimes, annual rates `rates[i][j]` (zero on the
    /// diagonal) and the initial regime index, for steps of `step_years`.
    /// Inputs are checked by the scenario (square, finite, ≥ 0, index in range).
    pub fn new(regimes: Vec<Regime>, rates: &[Vec<f64>], initial: usize, step_years: f64) -> Self {
        RegimeChain {
            regimes,
            initial,
            chain: MarkovChain::new(rates, step_years),
        }
    }

    /// The regimes, in scenario order.
    pub fn regimes(&self) -> &[Regime] {
        &self.regimes
    }

    /// Index of the regime a path starts in.
    pub fn initial(&self) -> usize {
        self.initial
    }

    /// Probability of leaving regime `i` within one step.
    pub fn leave_probability(&self, i: usize) -> f64 {
        self.chain.leave_probability(i)
    }

    /// The regime after one step from `current`. Draws one uniform when the
    /// regime can be left, none otherwise.
    #[inline]
    pub fn step<R: Rng + ?Sized>(&self, current: usize, rng: &mut R) -> usize {
        self.chain.step(current, rng)
    }
}
