//! The macro regime chain (model.md §3).
//!
//! A continuous-time Markov chain with annual transition rates `q_ij`. Each
//! step the chain leaves regime `i` with probability `1 − exp(−Δy·Σ_j q_ij)`,
//! to `j` in proportion to `q_ij`. A regime sets the BTC price process, a
//! fuel-cost multiplier for fossil supply and an investment hurdle premium.

use rand::{Rng, RngExt};
use serde::Serialize;

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
    /// Probability of leaving each regime in one step.
    leave: Vec<f64>,
    /// Per regime, the destinations and the cumulative share of leaving
    /// transitions that goes to each (last share is 1).
    destinations: Vec<Vec<(usize, f64)>>,
}

impl RegimeChain {
    /// Builds the chain from regimes, annual rates `rates[i][j]` (zero on the
    /// diagonal) and the initial regime index, for steps of `step_years`.
    /// Inputs are checked by the scenario (square, finite, ≥ 0, index in range).
    pub fn new(regimes: Vec<Regime>, rates: &[Vec<f64>], initial: usize, step_years: f64) -> Self {
        let mut leave = Vec::with_capacity(regimes.len());
        let mut destinations = Vec::with_capacity(regimes.len());
        for row in rates {
            let total: f64 = row.iter().sum();
            leave.push(if total > 0.0 {
                1.0 - (-step_years * total).exp()
            } else {
                0.0
            });
            let mut cumulative = 0.0;
            let mut dest = Vec::new();
            for (j, &q) in row.iter().enumerate() {
                if q > 0.0 {
                    cumulative += q / total;
                    dest.push((j, cumulative));
                }
            }
            if let Some(last) = dest.last_mut() {
                last.1 = 1.0;
            }
            destinations.push(dest);
        }
        RegimeChain {
            regimes,
            initial,
            leave,
            destinations,
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
        self.leave[i]
    }

    /// The regime after one step from `current`. Draws one uniform when the
    /// regime can be left, none otherwise.
    #[inline]
    pub fn step<R: Rng + ?Sized>(&self, current: usize, rng: &mut R) -> usize {
        let leave = self.leave[current];
        if leave == 0.0 {
            return current;
        }
        let u: f64 = rng.random();
        if u >= leave {
            return current;
        }
        let share = u / leave;
        let dest = &self.destinations[current];
        dest.iter()
            .find(|(_, c)| share < *c)
            .or(dest.last())
            .map_or(current, |(j, _)| *j)
    }
}
