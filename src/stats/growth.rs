//! The network's hashrate growth on one path (model.md, "Hashrate
//! growth"): the annualised rate between the first and last recorded
//! hashrate, and the first day each of the scenario's levels was reached.
//! The engine observes one path's hashrate step by step; the summary adds
//! the paths' rates and days up ([`HashrateGrowth`](super::HashrateGrowth)).

use crate::model::units::DAYS_PER_YEAR;
use crate::scenario::MAX_HASHRATE_LEVELS;

/// The network's hashrate on one path: first and last recorded values and
/// the first day each level of the scenario was reached.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Growth {
    first: f64,
    last: f64,
    /// The first level not reached yet (levels increase).
    next: usize,
    reached: [f64; MAX_HASHRATE_LEVELS],
}

impl Default for Growth {
    fn default() -> Self {
        Growth {
            first: f64::NAN,
            last: f64::NAN,
            next: 0,
            reached: [f64::NAN; MAX_HASHRATE_LEVELS],
        }
    }
}

impl Growth {
    /// Records the hashrate of the step on `day` (one comparison a step
    /// while no new level is crossed).
    #[inline]
    pub(crate) fn observe(&mut self, levels: &[f64], day: f64, hashrate: f64) {
        if day == 0.0 {
            self.first = hashrate;
        }
        self.last = hashrate;
        while self.next < levels.len() && hashrate >= levels[self.next] {
            self.reached[self.next] = day;
            self.next += 1;
        }
    }

    /// `(H_last/H_first)^(365/span_days) − 1`.
    pub(crate) fn annualised(&self, span_days: f64) -> f64 {
        (self.last / self.first).powf(DAYS_PER_YEAR / span_days) - 1.0
    }

    /// The first day level `k` was reached, if it was.
    pub(crate) fn reached_day(&self, k: usize) -> Option<f64> {
        let day = self.reached[k];
        (!day.is_nan()).then_some(day)
    }
}
