//! The Monte Carlo engine: paths in fixed chunks, chunks in parallel, shards.
//!
//! Paths are grouped in chunks of [`chunk_paths`] (a function of the run's
//! path count) on one grid for every run (chunk `c` holds paths
//! `c·chunk_paths(P) ..`). A chunk's paths advance a
//! block of steps at a time, and each step's values of the chunk are summarised with
//! plain `f64` in a fixed order; chunks are combined only by exact
//! operations (see [`crate::stats::Distribution`]). So a seed gives the same
//! bits with any number of threads, and shard `K/N` (a contiguous range of
//! chunks) merged with the others gives the bits of one whole run.

mod chunk;
mod compare;
mod contract_paths;
mod control;
mod cost_curve;
mod grid;
mod kernel;
mod observer;
mod path;
mod price_paths;
mod simulation;
mod streams;
mod trace;

use std::str::FromStr;

pub use compare::{
    ComparedScenario, Comparison, FarmDifference, MAX_SERIES_DATES, PairedComparison,
    PairedMeasure, SeriesDifference, compare,
};
pub use control::Control;
pub use kernel::{Kernel, kernel};
pub use observer::{Observer, StepValues};
pub use simulation::Simulation;
pub use streams::{StreamRng, stream};
pub use trace::{Trace, trace};

use crate::model::contract::PowerContract;
use crate::model::price_process::PriceProcess;
use crate::scenario::Scenario;
use crate::stats::{self, ChunkSet, RunIdentity, Summary};

/// Most paths per chunk: the chunk of every run of at least
/// `MIN_CHUNKS · MAX_CHUNK_PATHS` paths. A divisor of the round numbers of
/// paths people ask for, so that two workers get equal shares of 10 000
/// or 20 000 paths.
pub const MAX_CHUNK_PATHS: u64 = 1000;

/// Fewest chunks a run of at least `MIN_CHUNKS · GROUP` paths has, so that
/// small runs keep several cores busy (4 chunks each on 2 cores).
pub const MIN_CHUNKS: u64 = 8;

/// Paths per chunk of a run of `paths` paths: `⌈paths/MIN_CHUNKS⌉` rounded
/// up to a whole group of paths stepped together (32), at most
/// [`MAX_CHUNK_PATHS`]. Part of the results (the chunk's moments are summed
/// in `f64` before they are merged exactly): a function of the run's path
/// count only, so the same for any thread count and sharding.
///
/// # Example
/// ```
/// use hashwatt::engine::chunk_paths;
/// assert_eq!(chunk_paths(100), 32); // 4 chunks
/// assert_eq!(chunk_paths(2_000), 256); // 8 chunks
/// assert_eq!(chunk_paths(10_000), 1_000); // 10 chunks
/// ```
pub const fn chunk_paths(paths: u64) -> u64 {
    let group = path::GROUP as u64;
    let per_chunk = paths.div_ceil(MIN_CHUNKS).div_ceil(group) * group;
    if per_chunk > MAX_CHUNK_PATHS {
        MAX_CHUNK_PATHS
    } else if per_chunk < group {
        group
    } else {
        per_chunk
    }
}

/// Most paths in one run: sketch counts are 32-bit.
pub const MAX_PATHS: u64 = u32::MAX as u64;

/// Errors of the engine's configuration.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The run has no paths.
    #[error("the number of paths must be at least 1")]
    NoPaths,
    /// More paths than sketch counts can hold.
    #[error("{0} paths is more than the {MAX_PATHS} one run can count")]
    TooManyPaths(u64),
    /// A shard outside 1..=count, or a count of 0.
    #[error("invalid shard {0}: expected K/N with 1 ≤ K ≤ N")]
    InvalidShard(String),
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {message}")]
    ThreadPool {
        /// Threads asked for.
        threads: usize,
        /// Why not.
        message: String,
    },
    /// The caller asked the run to stop (see [`Control`]); there is no
    /// result.
    #[error("interrupted: the run was asked to stop")]
    Interrupted,
    /// Chunks asked for that the run does not have.
    #[error("chunk {chunk} is outside the run's {chunks} chunks")]
    ChunkOutside {
        /// The first chunk outside.
        chunk: u64,
        /// The run's number of chunks.
        chunks: u64,
    },
    /// Scenarios that cannot be compared path by path.
    #[error("cannot compare: {0}")]
    NotComparable(String),
    /// A contract plugged into a farm the scenario does not have.
    #[error("no farm `{0}` in the scenario to plug a contract into")]
    UnknownFarm(String),
    /// A contract plugged into a farm outside the regions, which has no
    /// market to bid in: it runs at its scenario's flat price.
    #[error("farm `{0}` is outside the regions: a contract plugged in needs the farm's `region`")]
    OffGridFarm(String),
}

/// One part of a run split across processes or machines: `index` of
/// `count`, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// The whole run, unsplit.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Shard `index` of `count`.
    ///
    /// # Errors
    /// [`EngineError::InvalidShard`] unless `1 ≤ index ≤ count`.
    pub fn new(index: u32, count: u32) -> Result<Shard, EngineError> {
        if count == 0 || index == 0 || index > count {
            return Err(EngineError::InvalidShard(format!("{index}/{count}")));
        }
        Ok(Shard { index, count })
    }

    /// The shard's number, from 1.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The number of shards.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The chunks of a run of `chunks` chunks that this shard runs.
    pub fn chunks(&self, chunks: u64) -> std::ops::Range<u64> {
        let part = |k: u32| (u128::from(chunks) * u128::from(k) / u128::from(self.count)) as u64;
        part(self.index - 1)..part(self.index)
    }
}

impl FromStr for Shard {
    type Err = EngineError;

    /// Parses `K/N`.
    fn from_str(s: &str) -> Result<Shard, EngineError> {
        let bad = || EngineError::InvalidShard(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n)
    }
}

/// How to run a scenario: seed, number of paths, shard, threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunConfig {
    /// Seed of every random stream.
    pub seed: u64,
    /// Total number of paths of the run (all shards together).
    pub paths: u64,
    /// Which part of the run to simulate.
    pub shard: Shard,
    /// Worker threads; `None` for one per core.
    pub threads: Option<usize>,
}

impl RunConfig {
    /// All `paths` paths with `seed`, on every core.
    pub fn new(seed: u64, paths: u64) -> Self {
        RunConfig {
            seed,
            paths,
            shard: Shard::WHOLE,
            threads: None,
        }
    }

    /// Paths per chunk of this run ([`chunk_paths`] of its path count).
    pub const fn chunk_paths(&self) -> u64 {
        chunk_paths(self.paths)
    }

    /// Chunks of the whole run: chunk `c` holds paths
    /// `c·chunk_paths() .. min((c + 1)·chunk_paths(), paths)`.
    pub const fn chunks(&self) -> u64 {
        self.paths.div_ceil(self.chunk_paths())
    }

    /// The paths of chunk `chunk`.
    pub fn chunk_range(&self, chunk: u64) -> std::ops::Range<u64> {
        let size = self.chunk_paths();
        let first = (chunk * size).min(self.paths);
        first..((chunk + 1) * size).min(self.paths)
    }
}

/// Simulates `scenario` and summarises the paths.
///
/// # Errors
/// [`EngineError`] for zero paths or a thread pool that cannot start.
pub fn simulate(scenario: &Scenario, config: &RunConfig) -> Result<Summary, EngineError> {
    simulate_with_progress(scenario, config, &|_| {})
}

/// [`simulate`], calling `progress(paths)` as chunks of paths finish.
///
/// # Errors
/// As [`simulate`].
pub fn simulate_with_progress(
    scenario: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, EngineError> {
    simulate_with_control(scenario, config, Control::with_progress(progress))
}

/// [`simulate`], reporting progress to and stopping on `control`.
///
/// # Errors
/// As [`simulate`], and [`EngineError::Interrupted`] when `control` was
/// asked to stop before the run's end (its workers stop within one time
/// block of steps). [`simulate_chunks`] keeps what was finished instead.
pub fn simulate_with_control(
    scenario: &Scenario,
    config: &RunConfig,
    control: Control<'_>,
) -> Result<Summary, EngineError> {
    Simulation::new(scenario, config).control(control).run()
}

/// The chunks of the run's grid that `config`'s shard runs.
pub fn shard_chunks(config: &RunConfig) -> ChunkSet {
    ChunkSet::from_range(config.shard.chunks(config.chunks()))
}

/// Simulates the chunks `todo` of the run `config` (chunk `c` holds paths
/// `c·chunk_paths(P) ..`), reporting progress to `control`. When `control`
/// asks to stop, the workers drop the chunks they are in and the summary
/// holds the chunks finished so far (see [`Summary::chunks`]): merged with
/// a summary of the others, it gives the bits of the whole run.
///
/// # Example
/// ```
/// use hashwatt::engine::{Control, RunConfig, shard_chunks, simulate, simulate_chunks};
/// use hashwatt::stats::{ChunkSet, Summary};
/// use hashwatt::Scenario;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
/// let scenario = Scenario::from_path_with(path, &["horizon_days=60".parse()?])?;
/// // 96 paths: three chunks of 32.
/// let config = RunConfig::new(7, 96);
/// // Chunk 1, then chunks 0 and 2: together, the whole run.
/// let middle = simulate_chunks(&scenario, &config, &ChunkSet::from_range(1..2), Control::NONE)?;
/// let mut ends = ChunkSet::from_range(0..1);
/// ends.insert(2);
/// let ends = simulate_chunks(&scenario, &config, &ends, Control::NONE)?;
/// assert!(!middle.is_complete());
/// let whole = Summary::merge_shards(vec![middle, ends])?;
/// assert_eq!(whole, simulate(&scenario, &config)?);
/// # assert_eq!(shard_chunks(&config), ChunkSet::from_range(0..3));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`EngineError`] for zero paths, chunks outside the run or a thread pool
/// that cannot start.
pub fn simulate_chunks(
    scenario: &Scenario,
    config: &RunConfig,
    todo: &ChunkSet,
    control: Control<'_>,
) -> Result<Summary, EngineError> {
    Simulation::new(scenario, config)
        .control(control)
        .run_chunks(todo)
}

/// [`EngineError`] unless the run has between 1 and [`MAX_PATHS`] paths.
fn check_paths(config: &RunConfig) -> Result<(), EngineError> {
    if config.paths == 0 {
        return Err(EngineError::NoPaths);
    }
    if config.paths > MAX_PATHS {
        return Err(EngineError::TooManyPaths(config.paths));
    }
    Ok(())
}

/// The run's own pool of `config.threads` workers (0: one per core).
fn thread_pool(config: &RunConfig) -> Result<rayon::ThreadPool, EngineError> {
    let threads = config.threads.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| EngineError::ThreadPool {
            threads,
            message: e.to_string(),
        })
}

/// Bytes a summary typically takes per recorded series and step, rounded
/// up from the most measured in the shipped worlds: one compact record of
/// a quantile sketch's non-empty buckets and three exact sums, on average
/// 0.5 KiB in `operator` and `ai-squeeze` 10 000 paths and 1.3 KiB in the
/// default scenario (10 000 paths, or 2 000 over 50 years), whose hashrate
/// spans many octaves on late steps. One record is bounded at about
/// 16 KiB (32 octaves of 128 buckets).
pub const SUMMARY_BYTES_PER_SERIES_STEP: u64 = 3 * 512;

/// About how much memory the per-step summaries of a run of `scenario`
/// with `config` take, bytes: one summary of the finished chunks and one
/// per worker (at most one worker per chunk of the run), each of
/// [`SUMMARY_BYTES_PER_SERIES_STEP`] per recorded series and step. It does
/// not depend on the number of paths beyond the number of workers.
pub fn summary_memory_estimate(scenario: &Scenario, config: &RunConfig, workers: usize) -> u64 {
    let chunks = shard_chunks(config).len().max(1);
    let summaries = (workers.max(1) as u64).min(chunks) + 1;
    let series_steps = (path::series_count(scenario) * scenario.recorded_steps().len()) as u64;
    summaries * series_steps * SUMMARY_BYTES_PER_SERIES_STEP
}

/// What a run of `scenario` with `config` is, as its summary records it:
/// parts of runs with equal identities merge.
pub fn run_identity(scenario: &Scenario, config: &RunConfig) -> RunIdentity {
    let own = (&scenario.price_process(), &scenario.contracts()[..]);
    plugged_run_identity(scenario, config, own)
}

/// [`run_identity`] of a run with the price process `process` and the
/// farms' `contracts`.
fn plugged_run_identity<P: PriceProcess, C: PowerContract>(
    scenario: &Scenario,
    config: &RunConfig,
    (process, contracts): (&P, &[C]),
) -> RunIdentity {
    let farms = scenario.farms().iter().zip(contracts);
    let contracts = farms
        .filter_map(|(farm, c)| Some(format!("{}: {}", farm.name, c.identity()?)))
        .collect();
    RunIdentity {
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario.canonical_json(),
        seed: config.seed,
        paths: config.paths,
        chunk_size: config.chunk_paths(),
        shard_count: config.shard.count(),
        price_process: process.identity(),
        contracts,
    }
}

/// The summary of no paths of a run of `scenario` with `process` and the
/// farms' `contracts`.
fn empty_summary<P: PriceProcess, C: PowerContract>(
    scenario: &Scenario,
    config: &RunConfig,
    (process, contracts): (&P, &[C]),
) -> Summary {
    let identity = plugged_run_identity(scenario, config, (process, contracts));
    let step = scenario.step_days();
    let t_days: Vec<u32> = scenario.recorded_steps().map(|t| t as u32 * step).collect();
    let dates: Vec<String> = t_days.iter().map(|&d| date_of(scenario, d)).collect();
    let farms: Vec<String> = scenario.farms().iter().map(|f| f.name.clone()).collect();
    let curves = cost_curves(scenario);
    Summary::empty(
        identity,
        config.shard.index(),
        scenario.name(),
        step,
        t_days,
        dates,
        &path::series_names(scenario, process, contracts),
        &farms,
        scenario.hashrate_levels_ehs(),
        curves,
    )
}

/// The date `t_days` days after the scenario's start (ISO 8601).
pub(crate) fn date_of(scenario: &Scenario, t_days: u32) -> String {
    let span = jiff::Span::new().days(i64::from(t_days));
    // The scenario check guarantees the horizon stays in range.
    scenario
        .start_date()
        .checked_add(span)
        .map_or_else(|_| String::new(), |date| date.to_string())
}

/// Empty cost curves at the scenario's dates (any step, recorded or not).
fn cost_curves(scenario: &Scenario) -> Vec<stats::CostCurve> {
    let names = cost_curve::entry_names(scenario);
    let step = scenario.step_days();
    scenario
        .cost_curve_steps()
        .iter()
        .map(|&t| {
            let t_days = t as u32 * step;
            stats::CostCurve::empty(t_days, date_of(scenario, t_days), &names)
        })
        .collect()
}
