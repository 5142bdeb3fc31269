//! The statistics of a summary, computed once (in parallel) for every
//! output format.

use rayon::prelude::*;

use crate::stats::{Statistics, Summary};

/// Statistics of every series step and farm measure of a [`Summary`].
#[derive(Debug, Clone)]
pub struct Tables {
    /// Per series (in summary order), per step.
    pub series: Vec<Vec<Statistics>>,
    /// Per farm (in summary order), per measure (in the order of
    /// [`FarmSummary::MEASURES`](crate::stats::FarmSummary::MEASURES)).
    pub farms: Vec<Vec<Statistics>>,
}

impl Tables {
    /// Computes every statistic of `summary`.
    pub fn of(summary: &Summary) -> Tables {
        let series = summary
            .series
            .par_iter()
            .map(|s| s.steps.iter().map(|d| d.statistics()).collect())
            .collect();
        let farms = summary
            .farms
            .iter()
            .map(|f| f.measures().iter().map(|d| d.statistics()).collect())
            .collect();
        Tables { series, farms }
    }
}
