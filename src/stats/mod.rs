//! Streamed, mergeable summaries of Monte Carlo paths.
//!
//! Memory does not grow with the number of paths: each recorded quantity
//! keeps exact sums and a quantile sketch ([`Distribution`]). Everything is
//! exactly mergeable, so results do not depend on thread count or sharding.

mod chunk_set;
mod distribution;
mod exact_sum;
pub(crate) mod growth;
mod packed;
mod paired;
mod series_key;
mod sketch;
mod summary;

pub use chunk_set::ChunkSet;
pub use distribution::{Distribution, QUANTILES, Statistics};
pub use exact_sum::ExactSum;
// Declared in the model, next to their computation; re-exported here,
// where the summaries that hold them are.
pub use crate::model::cost_measures::{Better, FarmMeasure, UnknownFarmMeasure};
pub use paired::{PairedDistribution, PairedStatistics};
pub use series_key::{
    FarmSeries, NetworkSeries, RegionSeries, RestOfWorldSeries, SeriesKey, UnknownSeries,
};
pub use sketch::{BUCKETS_PER_OCTAVE, Sketch};
pub use summary::{
    CostCurve, CurveEntry, FarmSummary, HashrateGrowth, LevelReach, MergeError, RunIdentity,
    SeriesSummary, Summary,
};
