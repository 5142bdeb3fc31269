//! The summary of a run (or of a shard of one): per-step distributions of
//! every recorded series and per-farm distributions over the run.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{ChunkSet, Distribution, FarmMeasure, FarmSeries, SeriesKey, Statistics};

/// What makes two runs parts of one: same program version, same checked
/// scenario, same seed, same total number of paths and chunk grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// hashwatt's version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// The checked scenario in canonical JSON.
    pub scenario: String,
    /// The run's seed.
    pub seed: u64,
    /// Total number of paths of the whole run (all shards).
    pub paths: u64,
    /// Paths per chunk of the engine's fixed grid.
    pub chunk_size: u64,
    /// Number of shards the run is split into (1 when not split).
    pub shard_count: u32,
    /// The BTC price process plugged in, when not the scenario's own
    /// ([`PriceProcess::identity`](crate::model::price_process::PriceProcess::identity)).
    #[serde(default)]
    pub price_process: Option<String>,
    /// The farms' contracts plugged in, as `"<farm>: <identity>"` in the
    /// farms' order ([`PowerContract::identity`](crate::model::contract::PowerContract::identity));
    /// empty when every farm runs the scenario's own.
    #[serde(default)]
    pub contracts: Vec<String>,
}

impl RunIdentity {
    /// The first part of the identity that differs from `other`'s
    /// (`"seed"`, `"scenario"`, ...), or `None` for the same run.
    pub fn difference(&self, other: &RunIdentity) -> Option<&'static str> {
        let (a, b) = (self, other);
        [
            ("version", a.version != b.version),
            ("scenario", a.scenario != b.scenario),
            ("seed", a.seed != b.seed),
            ("path count", a.paths != b.paths),
            ("chunk size", a.chunk_size != b.chunk_size),
            ("shard count", a.shard_count != b.shard_count),
            ("price process", a.price_process != b.price_process),
            ("contracts", a.contracts != b.contracts),
        ]
        .into_iter()
        .find_map(|(what, differs)| differs.then_some(what))
    }

    /// The number of chunks of the run's grid.
    pub fn chunks(&self) -> u64 {
        self.paths.div_ceil(self.chunk_size.max(1))
    }

    /// The chunks shard `k` (numbered from 1) runs: `⌊C(k−1)/N⌋ .. ⌊Ck/N⌋`
    /// of the run's `C`, for `N` shards.
    pub fn shard_chunks(&self, k: u32) -> std::ops::Range<u64> {
        let part = |k: u32| {
            (u128::from(self.chunks()) * u128::from(k) / u128::from(self.shard_count.max(1))) as u64
        };
        part(k.saturating_sub(1))..part(k)
    }

    /// The shard (numbered from 1) that runs chunk `chunk`: shard `k` of
    /// `N` runs chunks `⌊C(k−1)/N⌋ .. ⌊Ck/N⌋` of the run's `C`.
    pub fn shard_of(&self, chunk: u64) -> u32 {
        let (c, n) = (
            u128::from(self.chunks()),
            u128::from(self.shard_count.max(1)),
        );
        // The smallest k with ⌊Ck/N⌋ > chunk.
        let k = (u128::from(chunk) + 1) * n;
        k.div_ceil(c.max(1)) as u32
    }
}

/// `; they belong to shards 2, 3` when the run is sharded.
fn shards_hint(shards: &[u32]) -> String {
    if shards.is_empty() {
        return String::new();
    }
    let list: Vec<String> = shards.iter().map(u32::to_string).collect();
    format!("; they belong to shard(s) {}", list.join(", "))
}

/// Per-step distributions of one recorded series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesSummary {
    /// Series name, `<group>.<name>.<quantity>_<unit>` or `<quantity>_<unit>`.
    pub(crate) name: String,
    /// One distribution per recorded step.
    pub(crate) steps: Vec<Distribution>,
}

impl SeriesSummary {
    /// The series' name (see [`SeriesKey`] for its parts).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The series' typed key; `None` for a name no [`SeriesKey`] has.
    pub fn key(&self) -> Option<SeriesKey> {
        self.name.parse().ok()
    }

    /// One distribution across paths per recorded step.
    pub fn steps(&self) -> &[Distribution] {
        &self.steps
    }

    fn merge(&mut self, other: &SeriesSummary) {
        for (m, t) in self.steps.iter_mut().zip(&other.steps) {
            m.merge(t);
        }
    }
}

/// One farm's results over the whole run, one value per path
/// (model.md §6: cost measures), one distribution per [`FarmMeasure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FarmSummary {
    name: String,
    measures: [Distribution; FarmMeasure::COUNT],
}

impl FarmSummary {
    /// Names of the measures, in the order of [`FarmSummary::measures`]
    /// (those of [`FarmMeasure::ALL`]).
    pub const MEASURES: [&'static str; FarmMeasure::COUNT] = FarmMeasure::NAMES;

    /// An empty summary of the farm `name`.
    pub fn new(name: &str) -> Self {
        FarmSummary {
            name: name.to_string(),
            measures: Default::default(),
        }
    }

    /// The farm's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The distribution across paths of `measure`.
    pub fn measure(&self, measure: FarmMeasure) -> &Distribution {
        &self.measures[measure.index()]
    }

    /// Every measure, in the order of [`FarmMeasure::ALL`].
    pub fn measures(&self) -> &[Distribution; FarmMeasure::COUNT] {
        &self.measures
    }

    /// Every measure, in the order of [`FarmMeasure::ALL`], for the engine
    /// to fill.
    pub(crate) fn measures_mut(&mut self) -> [&mut Distribution; FarmMeasure::COUNT] {
        self.measures.each_mut()
    }

    /// Adds the counts of the same farm's summary from other paths.
    fn merge(&mut self, other: &FarmSummary) {
        for (mine, theirs) in self.measures.iter_mut().zip(&other.measures) {
            mine.merge(theirs);
        }
    }
}

/// Everything a run (or a shard of one) measured, mergeable exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// What the run was.
    pub(crate) identity: RunIdentity,
    /// Shards (numbered from 1) whose paths this summary holds, increasing.
    pub(crate) shards: Vec<u32>,
    /// The chunks of the run's grid whose paths this summary holds: all of
    /// its shards' chunks, or fewer when a run was stopped half-way.
    pub(crate) chunks: ChunkSet,
    /// Number of paths this summary holds.
    pub(crate) paths_done: u64,
    /// The scenario's name.
    pub(crate) scenario_name: String,
    /// Step length, days.
    pub(crate) step_days: u32,
    /// Days from the start at each recorded step.
    pub(crate) t_days: Vec<u32>,
    /// Calendar date of each recorded step (ISO 8601).
    pub(crate) dates: Vec<String>,
    /// Recorded series.
    pub(crate) series: Vec<SeriesSummary>,
    /// Per-farm results.
    pub(crate) farms: Vec<FarmSummary>,
    /// Growth of the network's hashrate over the run.
    pub(crate) hashrate_growth: HashrateGrowth,
    /// The industry cost curve at the scenario's dates.
    pub(crate) cost_curves: Vec<CostCurve>,
}

/// The industry cost curve at one date: every fleet's cash cost per BTC and
/// online hashrate, across paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostCurve {
    /// Days from the start of the step the curve is taken at.
    pub(crate) t_days: u32,
    /// Its date (ISO 8601).
    pub(crate) date: String,
    /// One entry per fleet: rest-of-world classes, invested machines,
    /// regional fleets, farms.
    pub(crate) entries: Vec<CurveEntry>,
}

/// One fleet on a cost curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveEntry {
    /// `class.<name>`, `invested`, `region.<name>.miners` or `farm.<name>`.
    pub(crate) name: String,
    /// Cash cost per BTC of running at the date's power price, USD/BTC.
    pub(crate) cash_cost_per_btc_usd: Distribution,
    /// Online hashrate, EH/s.
    pub(crate) online_ehs: Distribution,
}

impl CostCurve {
    /// Days from the start of the step the curve is taken at.
    pub fn t_days(&self) -> u32 {
        self.t_days
    }

    /// The curve's date (ISO 8601).
    pub fn date(&self) -> &str {
        &self.date
    }

    /// One entry per fleet: rest-of-world classes, invested machines,
    /// regional fleets, farms (in the engine's order, not sorted by cost).
    pub fn entries(&self) -> &[CurveEntry] {
        &self.entries
    }

    /// An empty curve at `t_days` (`date`) with the fleets `names`.
    pub fn empty(t_days: u32, date: String, names: &[String]) -> Self {
        CostCurve {
            t_days,
            date,
            entries: names
                .iter()
                .map(|name| CurveEntry {
                    name: name.clone(),
                    cash_cost_per_btc_usd: Distribution::default(),
                    online_ehs: Distribution::default(),
                })
                .collect(),
        }
    }
}

impl CurveEntry {
    /// `class.<name>`, `invested`, `region.<name>.miners` or `farm.<name>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Cash cost per BTC of running at the date's power price across
    /// paths, USD/BTC.
    pub fn cash_cost_per_btc_usd(&self) -> &Distribution {
        &self.cash_cost_per_btc_usd
    }

    /// Online hashrate across paths, EH/s.
    pub fn online_ehs(&self) -> &Distribution {
        &self.online_ehs
    }
}

/// The growth of the network's hashrate over a run, across paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HashrateGrowth {
    /// Per path, the annualised growth rate from the first recorded step to
    /// the last: `(H_last/H_first)^(365/days) − 1` (no value for a run of
    /// one step).
    pub(crate) annualised: Distribution,
    /// The first recorded day each level is reached, over the paths that
    /// reach it.
    pub(crate) levels: Vec<LevelReach>,
}

impl HashrateGrowth {
    /// Per path, the annualised growth rate from the first recorded step
    /// to the last, `(H_last/H_first)^(365/days) − 1` (a share per year).
    pub fn annualised(&self) -> &Distribution {
        &self.annualised
    }

    /// When each of the scenario's levels is first reached.
    pub fn levels(&self) -> &[LevelReach] {
        &self.levels
    }
}

/// When the network's hashrate first reaches a level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelReach {
    /// The level, EH/s.
    pub(crate) level_ehs: f64,
    /// Days from the start to the first recorded step with `H ≥ level`,
    /// over the paths that reach it (their number is its count).
    pub(crate) days: Distribution,
}

impl LevelReach {
    /// The level, EH/s.
    pub fn level_ehs(&self) -> f64 {
        self.level_ehs
    }

    /// Days from the start to the first recorded step with `H ≥ level`,
    /// over the paths that reach it (their number is its count).
    pub fn days(&self) -> &Distribution {
        &self.days
    }
}

/// Why summaries could not be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no summaries to merge")]
    Empty,
    /// The parts come from different runs.
    #[error("part {index} is from a different run: its {what} differs from the first part's")]
    DifferentRun {
        /// 0-based position of the offending part.
        index: usize,
        /// Which part of the identity differs.
        what: &'static str,
    },
    /// Two parts hold the same paths (the same shard given twice, or a
    /// part and a result that already contains it).
    #[error(
        "part {index} holds chunk {chunk} (paths from {first_path}) that an earlier part holds too"
    )]
    DuplicateChunks {
        /// 0-based position of the offending part.
        index: usize,
        /// The first chunk held twice.
        chunk: u64,
        /// Its first path.
        first_path: u64,
    },
    /// Some of the run's paths are in no part.
    #[error(
        "paths missing: chunks {missing} of 0-{last} ({paths} paths) are in no part{}",
        shards_hint(missing_shards)
    )]
    MissingChunks {
        /// The chunks no part holds.
        missing: ChunkSet,
        /// The run's last chunk.
        last: u64,
        /// How many paths they hold.
        paths: u64,
        /// The shards (numbered from 1) they belong to.
        missing_shards: Vec<u32>,
    },
    /// The parts record different series or farms.
    #[error("part {index} records different series or farms")]
    DifferentLayout {
        /// 0-based position of the offending part.
        index: usize,
    },
}

impl Summary {
    /// What the run was: version, scenario, seed, paths, chunk grid, shards.
    pub fn identity(&self) -> &RunIdentity {
        &self.identity
    }

    /// Shards (numbered from 1) whose paths this summary holds, increasing.
    pub fn shards(&self) -> &[u32] {
        &self.shards
    }

    /// The chunks of the run's grid whose paths this summary holds: all of
    /// its shards' chunks, or fewer when a run was stopped half-way.
    pub fn chunks(&self) -> &ChunkSet {
        &self.chunks
    }

    /// Number of paths this summary holds.
    pub fn paths_done(&self) -> u64 {
        self.paths_done
    }

    /// The scenario's name.
    pub fn scenario_name(&self) -> &str {
        &self.scenario_name
    }

    /// Step length, days.
    pub fn step_days(&self) -> u32 {
        self.step_days
    }

    /// Days from the start at each recorded step.
    pub fn t_days(&self) -> &[u32] {
        &self.t_days
    }

    /// Calendar date of each recorded step (ISO 8601).
    pub fn dates(&self) -> &[String] {
        &self.dates
    }

    /// Every recorded series, in the engine's order (model.md, "Recorded
    /// series").
    pub fn series_summaries(&self) -> &[SeriesSummary] {
        &self.series
    }

    /// Per-farm results, in the scenario's order.
    pub fn farms(&self) -> &[FarmSummary] {
        &self.farms
    }

    /// Growth of the network's hashrate over the run.
    pub fn hashrate_growth(&self) -> &HashrateGrowth {
        &self.hashrate_growth
    }

    /// The industry cost curve at the scenario's dates.
    pub fn cost_curves(&self) -> &[CostCurve] {
        &self.cost_curves
    }

    /// Statistics of the series `name`, one per step; `None` if no such series.
    pub fn series(&self, name: &str) -> Option<Vec<Statistics>> {
        self.series
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.steps.iter().map(Distribution::statistics).collect())
    }

    /// The per-step distributions of the series `key`; `None` if the run
    /// does not record it.
    pub fn series_of(&self, key: &SeriesKey) -> Option<&[Distribution]> {
        self.series
            .iter()
            .find(|s| key.is_named(&s.name))
            .map(|s| s.steps.as_slice())
    }

    /// The farm named `name`; `None` if no such farm.
    pub fn farm(&self, name: &str) -> Option<&FarmSummary> {
        self.farms.iter().find(|f| f.name == name)
    }

    /// Whether farm `name` can fail: it has a balance sheet
    /// (`[farms.finance]`), so the run records its insolvent fraction.
    /// A farm without one cannot fail, and has no P(insolvency), not 0.
    pub fn can_fail(&self, name: &str) -> bool {
        let key = SeriesKey::farm(name, FarmSeries::InsolventFraction);
        self.series_of(&key).is_some()
    }

    /// Whether `other` holds the same results as this summary, bit for bit:
    /// the same paths, recorded steps, series, farms, growth and cost
    /// curves. Unlike `==`, it ignores how the run was split (its shard
    /// count and which shards a summary holds), so a merge of shards
    /// compares equal to the run made in one piece.
    pub fn same_results(&self, other: &Summary) -> bool {
        let (a, b) = (&self.identity, &other.identity);
        let same_run = RunIdentity {
            shard_count: b.shard_count,
            ..a.clone()
        } == *b;
        same_run
            && self.chunks == other.chunks
            && self.paths_done == other.paths_done
            && self.scenario_name == other.scenario_name
            && self.step_days == other.step_days
            && self.t_days == other.t_days
            && self.dates == other.dates
            && self.series == other.series
            && self.farms == other.farms
            && self.hashrate_growth == other.hashrate_growth
            && self.cost_curves == other.cost_curves
    }

    /// Whether every path of the run is included.
    pub fn is_complete(&self) -> bool {
        self.missing_chunks().is_empty()
    }

    /// The run's chunks this summary does not hold.
    pub fn missing_chunks(&self) -> ChunkSet {
        self.chunks.missing_from(0..self.identity.chunks())
    }

    /// Merges the parts of one run (its shards, a run stopped half-way and
    /// the rest of it) into the summary of the whole run.
    ///
    /// # Errors
    /// [`MergeError`] when the parts come from different runs (version,
    /// scenario, seed, path count, shard count), when two parts hold the
    /// same paths or when some paths are in no part.
    pub fn merge_shards(parts: Vec<Summary>) -> Result<Summary, MergeError> {
        let mut parts = parts.into_iter();
        let mut total = parts.next().ok_or(MergeError::Empty)?;
        for (i, part) in parts.enumerate() {
            total.absorb(part, i + 1)?;
        }
        let missing = total.missing_chunks();
        if !missing.is_empty() {
            let id = &total.identity;
            let paths = missing
                .ranges()
                .iter()
                .map(|r| (r.end * id.chunk_size).min(id.paths) - r.start * id.chunk_size)
                .sum();
            // Shards hold contiguous chunks: a missing range spans the
            // shards of its ends and those between.
            let mut missing_shards: Vec<u32> = Vec::new();
            if id.shard_count > 1 {
                for r in missing.ranges() {
                    let shards = id.shard_of(r.start)..=id.shard_of(r.end - 1);
                    // Shards between may be empty (fewer chunks than shards).
                    missing_shards.extend(shards.filter(|&k| !id.shard_chunks(k).is_empty()));
                }
                missing_shards.sort_unstable();
                missing_shards.dedup();
            }
            return Err(MergeError::MissingChunks {
                missing,
                last: id.chunks().saturating_sub(1),
                paths,
                missing_shards,
            });
        }
        Ok(total)
    }

    /// Adds `part` (the `index`-th given) to this summary, refusing what
    /// is not a disjoint part of the same run.
    ///
    /// # Errors
    /// As [`Summary::merge_shards`], except for missing paths.
    pub fn absorb(&mut self, part: Summary, index: usize) -> Result<(), MergeError> {
        let a = &self.identity;
        if let Some(what) = a.difference(&part.identity) {
            return Err(MergeError::DifferentRun { index, what });
        }
        if let Some(chunk) = self.chunks.first_shared(&part.chunks) {
            let first_path = chunk * a.chunk_size;
            return Err(MergeError::DuplicateChunks {
                index,
                chunk,
                first_path,
            });
        }
        let same_layout = self.t_days == part.t_days
            && self.series.len() == part.series.len()
            && self.farms.len() == part.farms.len()
            && self
                .series
                .iter()
                .zip(&part.series)
                .all(|(x, y)| x.name == y.name)
            && self
                .farms
                .iter()
                .zip(&part.farms)
                .all(|(x, y)| x.name == y.name)
            && self.hashrate_growth.levels.len() == part.hashrate_growth.levels.len()
            && self
                .hashrate_growth
                .levels
                .iter()
                .zip(&part.hashrate_growth.levels)
                .all(|(x, y)| x.level_ehs == y.level_ehs)
            && self.cost_curves.len() == part.cost_curves.len()
            && self
                .cost_curves
                .iter()
                .zip(&part.cost_curves)
                .all(|(x, y)| x.t_days == y.t_days && x.entries.len() == y.entries.len());
        if !same_layout {
            return Err(MergeError::DifferentLayout { index });
        }
        self.add_counts(&part);
        self.shards.extend(&part.shards);
        self.shards.sort_unstable();
        self.shards.dedup();
        Ok(())
    }

    /// Adds the counts of a summary with the same layout (a checked part
    /// of the same run), series in parallel.
    pub(crate) fn add_counts(&mut self, other: &Summary) {
        self.series
            .par_iter_mut()
            .zip(&other.series)
            .for_each(|(mine, theirs)| mine.merge(theirs));
        self.add_all_but_series(other);
    }

    /// [`Summary::add_counts`] on the calling thread alone: for a worker
    /// that merges under a lock, where waiting for rayon's other workers
    /// could run a task that takes the same lock.
    pub(crate) fn add_counts_here(&mut self, other: &Summary) {
        for (mine, theirs) in self.series.iter_mut().zip(&other.series) {
            mine.merge(theirs);
        }
        self.add_all_but_series(other);
    }

    fn add_all_but_series(&mut self, other: &Summary) {
        for (mine, theirs) in self.farms.iter_mut().zip(&other.farms) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.cost_curves.iter_mut().zip(&other.cost_curves) {
            for (m, t) in mine.entries.iter_mut().zip(&theirs.entries) {
                m.cash_cost_per_btc_usd.merge(&t.cash_cost_per_btc_usd);
                m.online_ehs.merge(&t.online_ehs);
            }
        }
        let (mine, theirs) = (&mut self.hashrate_growth, &other.hashrate_growth);
        mine.annualised.merge(&theirs.annualised);
        for (m, t) in mine.levels.iter_mut().zip(&theirs.levels) {
            m.days.merge(&t.days);
        }
        self.chunks.union(&other.chunks);
        self.paths_done += other.paths_done;
    }

    /// Empties every count (keeping the layout, freeing the records), for
    /// the next chunk of a worker: time in proportion to the series and
    /// steps, not to what they held.
    pub(crate) fn clear_counts(&mut self) {
        for series in &mut self.series {
            series.steps.iter_mut().for_each(Distribution::clear);
        }
        for farm in &mut self.farms {
            farm.measures.iter_mut().for_each(Distribution::clear);
        }
        for curve in &mut self.cost_curves {
            for e in &mut curve.entries {
                e.cash_cost_per_btc_usd.clear();
                e.online_ehs.clear();
            }
        }
        self.hashrate_growth.annualised.clear();
        for level in &mut self.hashrate_growth.levels {
            level.days.clear();
        }
        self.chunks = ChunkSet::default();
        self.paths_done = 0;
    }
}

impl Summary {
    /// An empty summary of shard `shard` of the run `identity`, recording
    /// `series` at the steps `t_days` (dated `dates`), the `farms`, when
    /// the hashrate reaches `levels_ehs` and the empty `cost_curves`.
    #[allow(clippy::too_many_arguments)]
    pub fn empty(
        identity: RunIdentity,
        shard: u32,
        scenario_name: &str,
        step_days: u32,
        t_days: Vec<u32>,
        dates: Vec<String>,
        series: &[String],
        farms: &[String],
        levels_ehs: &[f64],
        cost_curves: Vec<CostCurve>,
    ) -> Summary {
        let steps = t_days.len();
        Summary {
            identity,
            shards: vec![shard],
            chunks: ChunkSet::default(),
            paths_done: 0,
            scenario_name: scenario_name.to_string(),
            step_days,
            t_days,
            dates,
            series: series
                .iter()
                .map(|name| SeriesSummary {
                    name: name.clone(),
                    steps: vec![Distribution::default(); steps],
                })
                .collect(),
            farms: farms.iter().map(|name| FarmSummary::new(name)).collect(),
            hashrate_growth: HashrateGrowth {
                annualised: Distribution::default(),
                levels: levels_ehs
                    .iter()
                    .map(|&level_ehs| LevelReach {
                        level_ehs,
                        days: Distribution::default(),
                    })
                    .collect(),
            },
            cost_curves,
        }
    }
}
