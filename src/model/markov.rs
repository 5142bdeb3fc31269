//! A continuous-time Markov chain observed at steps (model.md §3, §5).
//!
//! With annual transition rates `q_ij`, each step of `Δy` years leaves state
//! `i` with probability `1 − exp(−Δy·Σ_j q_ij)`, to `j` in proportion to
//! `q_ij`. Used by the macro regimes and the regions' political regimes.

use rand::{Rng, RngExt};
use serde::Serialize;

/// Step transition probabilities of a chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkovChain {
    /// Probability of leaving each state in one step.
    leave: Vec<f64>,
    /// Per state, the destinations and the cumulative share of leaving
    /// transitions that goes to each (the last share is 1).
    destinations: Vec<Vec<(usize, f64)>>,
}

impl MarkovChain {
    /// The chain of annual rates `rates[i][j]` (zero on the diagonal) for
    /// steps of `step_years`. Rates are checked by the caller (square,
    /// finite, ≥ 0).
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::markov::MarkovChain;
    /// let chain = MarkovChain::new(&[vec![0.0, 2.0], vec![6.0, 0.0]], 1.0 / 365.0);
    /// assert!((chain.leave_probability(0) - (1.0 - (-2.0f64 / 365.0).exp())).abs() < 1e-15);
    /// ```
    pub fn new(rates: &[Vec<f64>], step_years: f64) -> Self {
        let mut leave = Vec::with_capacity(rates.len());
        let mut destinations = Vec::with_capacity(rates.len());
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
        MarkovChain {
            leave,
            destinations,
        }
    }

    /// Probability of leaving state `i` within one step.
    pub fn leave_probability(&self, i: usize) -> f64 {
        self.leave[i]
    }

    /// The state after one step from `current`. Draws one uniform when the
    /// state can be left, none otherwise.
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
