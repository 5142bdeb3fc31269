//! The Monte Carlo engine: paths in fixed chunks, chunks in parallel, shards.
//!
//! Paths are grouped in chunks of [`CHUNK_PATHS`] on one grid for every run
//! (chunk `c` holds paths `c·CHUNK_PATHS ..`). A chunk's paths advance a
//! block of steps at a time, and each step's values of the chunk are summarised with
//! plain `f64` in a fixed order; chunks are combined only by exact
//! operations (see [`crate::stats::Distribution`]). So a seed gives the same
//! bits with any number of threads, and shard `K/N` (a contiguous range of
//! chunks) merged with the others gives the bits of one whole run.

mod cost_curve;
mod farm;
mod grid;
mod path;
mod streams;
mod trace;

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

pub use streams::{StreamRng, stream};
pub use trace::{Trace, trace};

use crate::model::investment::InvestmentPath;
use crate::scenario::Scenario;
use crate::stats::{self, RunIdentity, Summary};
use cost_curve::CurveBuffer;
use farm::FarmPath;
use grid::{GridScratch, RegionPath, Rings};
use path::{GroupState, Growth, Layout, PathState, Recorder};
use streams::CoreStreams;

/// Paths per chunk. Part of the results: changing it changes the last bits
/// of every mean and standard deviation. A divisor of the round numbers of
/// paths people ask for, so that two workers get equal shares of 10 000
/// or 20 000 paths.
pub const CHUNK_PATHS: u64 = 1000;

/// Steps a path runs before the next path takes its turn (cache blocking).
const TIME_BLOCK: usize = 16;

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
    if config.paths == 0 {
        return Err(EngineError::NoPaths);
    }
    if config.paths > MAX_PATHS {
        return Err(EngineError::TooManyPaths(config.paths));
    }
    let threads = config.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| EngineError::ThreadPool {
            threads,
            message: e.to_string(),
        })?;
    let chunks = config.shard.chunks(config.paths.div_ceil(CHUNK_PATHS));
    let empty = empty_summary(scenario, config);
    let next = AtomicU64::new(chunks.start);
    let workers = pool.current_num_threads();
    let parts: Vec<Summary> = pool.install(|| {
        (0..workers)
            .into_par_iter()
            .map(|_| {
                let mut summary = empty.clone();
                let mut scratch = Scratch::new(scenario);
                loop {
                    let chunk = next.fetch_add(1, Ordering::Relaxed);
                    if chunk >= chunks.end {
                        break;
                    }
                    let done = run_chunk(scenario, config, chunk, &mut scratch, &mut summary);
                    progress(done);
                }
                summary
            })
            .collect()
    });
    // Merge on the run's own pool, so `threads` bounds the whole run.
    Ok(pool.install(|| {
        let mut parts = parts.into_iter();
        let mut total = parts.next().unwrap_or(empty);
        for part in parts {
            total.add_counts(&part);
        }
        total
    }))
}

fn empty_summary(scenario: &Scenario, config: &RunConfig) -> Summary {
    let identity = RunIdentity {
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario.canonical_json(),
        seed: config.seed,
        paths: config.paths,
        chunk_size: CHUNK_PATHS,
        shard_count: config.shard.count(),
    };
    let step = scenario.step_days();
    let t_days: Vec<u32> = (0..scenario.steps() as u32).map(|t| t * step).collect();
    let dates: Vec<String> = t_days
        .iter()
        .map(|&d| {
            let span = jiff::Span::new().days(i64::from(d));
            // The scenario check guarantees the horizon stays in range.
            scenario
                .start_date()
                .checked_add(span)
                .map_or_else(|_| String::new(), |date| date.to_string())
        })
        .collect();
    let farms: Vec<String> = scenario.farms().iter().map(|f| f.name.clone()).collect();
    let curves = cost_curves(scenario, &dates);
    Summary::empty(
        identity,
        config.shard.index(),
        scenario.name(),
        step,
        t_days,
        dates,
        &path::series_names(scenario),
        &farms,
        scenario.hashrate_levels_ehs(),
        curves,
    )
}

/// Empty cost curves at the scenario's dates.
fn cost_curves(scenario: &Scenario, dates: &[String]) -> Vec<stats::CostCurve> {
    let names = cost_curve::entry_names(scenario);
    let step = scenario.step_days();
    scenario
        .cost_curve_steps()
        .iter()
        .map(|&t| stats::CostCurve::empty(t as u32 * step, dates[t].clone(), &names))
        .collect()
}

/// Per-worker buffers, allocated once: the hot loop allocates nothing.
struct Scratch {
    paths: Vec<PathState>,
    streams: Vec<CoreStreams>,
    /// A block of steps' values: `values[(s·TIME_BLOCK + dt)·CHUNK_PATHS + i]`
    /// for series `s`, step `t0 + dt` of the block and path `i`.
    values: Vec<f64>,
    /// Farm states, path-major: `farms[i·n_farms + f]`.
    farms: Vec<FarmPath>,
    farm_values: Vec<f64>,
    /// Region states, path-major: `regions[i·n_regions + r]`.
    regions: Vec<RegionPath>,
    rings: Rings,
    grid: GridScratch,
    /// The network's hashrate growth, per path of the chunk.
    growth: Vec<Growth>,
    /// Invested rest-of-world capacity per path (empty without investment).
    investment: Vec<InvestmentPath>,
    /// The chunk's cost-curve values.
    curves: CurveBuffer,
    /// Where each group of series goes in a row.
    layout: Layout,
}

impl Scratch {
    fn new(scenario: &Scenario) -> Self {
        let n = CHUNK_PATHS as usize;
        let series = path::series_count(scenario);
        Scratch {
            paths: Vec::with_capacity(n),
            streams: Vec::with_capacity(n),
            values: vec![0.0; series * TIME_BLOCK * n],
            farms: Vec::with_capacity(n * scenario.farms().len()),
            farm_values: Vec::with_capacity(n),
            regions: (0..n)
                .flat_map(|_| scenario.regions().iter().map(RegionPath::new))
                .collect(),
            rings: Rings::new(scenario, n),
            grid: GridScratch::default(),
            growth: vec![Growth::default(); n],
            curves: CurveBuffer::new(scenario, n),
            layout: Layout::of(scenario),
            investment: match scenario.investment_plan() {
                Some(plan) => vec![InvestmentPath::new(plan); n],
                None => Vec::new(),
            },
        }
    }
}

/// Runs chunk `chunk` and adds it to `summary`; returns its number of paths.
fn run_chunk(
    scenario: &Scenario,
    config: &RunConfig,
    chunk: u64,
    scratch: &mut Scratch,
    summary: &mut Summary,
) -> u64 {
    let first = chunk * CHUNK_PATHS;
    let n = CHUNK_PATHS.min(config.paths - first) as usize;
    let stride = CHUNK_PATHS as usize;
    let n_farms = scenario.farms().len();
    let n_regions = scenario.regions().len();
    scratch.paths.clear();
    scratch.streams.clear();
    for i in 0..n as u64 {
        scratch.paths.push(PathState::new(scenario));
        scratch
            .streams
            .push(CoreStreams::new(config.seed, first + i));
    }
    for (k, state) in scratch.regions[..n * n_regions].iter_mut().enumerate() {
        let (i, r) = (k / n_regions, k % n_regions);
        state.reset(&scenario.regions()[r], config.seed, first + i as u64);
    }
    scratch.rings.reset();
    scratch.growth.fill(Growth::default());
    scratch
        .investment
        .iter_mut()
        .for_each(InvestmentPath::reset);
    let days = f64::from(scenario.step_days());
    scratch.farms.clear();
    for _ in 0..n {
        let farms = scenario.farms().iter().map(|f| FarmPath::new(f, days));
        scratch.farms.extend(farms);
    }
    // Each group of paths runs a block of steps while its state and streams
    // are in cache; then the block's values are summarised step by step.
    // The result is the same as stepping all paths together.
    let steps = scenario.steps();
    for t0 in (0..steps).step_by(TIME_BLOCK) {
        let block = TIME_BLOCK.min(steps - t0);
        for first in (0..n).step_by(path::GROUP) {
            let last = (first + path::GROUP).min(n);
            for dt in 0..block {
                let mut out = Recorder {
                    values: &mut scratch.values,
                    series_stride: TIME_BLOCK * stride,
                    offset: dt * stride + first,
                };
                let group = GroupState {
                    paths: &mut scratch.paths[first..last],
                    streams: &mut scratch.streams[first..last],
                    farms: &mut scratch.farms[first * n_farms..last * n_farms],
                    regions: &mut scratch.regions[first * n_regions..last * n_regions],
                    rings: &mut scratch.rings,
                    first,
                    investment: investment_slice(&mut scratch.investment, first, last),
                    curves: Some(&mut scratch.curves),
                    layout: &scratch.layout,
                    flows: None,
                };
                path::step_group(scenario, group, &mut scratch.grid, t0 + dt, &mut out);
            }
        }
        // Growth from the block's recorded hashrate: a scan of contiguous
        // values, out of the step loop.
        let levels = scenario.hashrate_levels_ehs();
        for dt in 0..block {
            let day = f64::from(scenario.step_days()) * (t0 + dt) as f64;
            let at = (path::HASHRATE * TIME_BLOCK + dt) * stride;
            for (g, &h) in scratch.growth[..n]
                .iter_mut()
                .zip(&scratch.values[at..at + n])
            {
                g.observe(levels, day, h);
            }
        }
        for (s, series) in summary.series.iter_mut().enumerate() {
            for dt in 0..block {
                let at = (s * TIME_BLOCK + dt) * stride;
                series.steps[t0 + dt].add_chunk(&scratch.values[at..at + n]);
            }
        }
    }
    for (f, (summary, farm)) in summary.farms.iter_mut().zip(scenario.farms()).enumerate() {
        let states = scratch.farms[..n * n_farms].iter().skip(f).step_by(n_farms);
        let run = (days, scenario.steps());
        farm::add_chunk(summary, farm, run, states, &mut scratch.farm_values);
    }
    scratch
        .curves
        .add_to(&mut summary.cost_curves, n, &mut scratch.farm_values);
    add_growth(
        scenario,
        &scratch.growth[..n],
        &mut scratch.farm_values,
        summary,
    );
    summary.paths_done += n as u64;
    n as u64
}

/// The paths `first..last` of a chunk's investment states, or nothing
/// when the scenario has no investment.
fn investment_slice(
    all: &mut [InvestmentPath],
    first: usize,
    last: usize,
) -> &mut [InvestmentPath] {
    if all.is_empty() {
        all
    } else {
        &mut all[first..last]
    }
}

/// Adds the chunk's hashrate growth: annualised rates and the days each
/// level was first reached.
fn add_growth(
    scenario: &Scenario,
    growth: &[Growth],
    values: &mut Vec<f64>,
    summary: &mut Summary,
) {
    let span_days = f64::from(scenario.step_days()) * (scenario.steps() - 1) as f64;
    let target = &mut summary.hashrate_growth;
    if span_days > 0.0 {
        values.clear();
        values.extend(growth.iter().map(|g| g.annualised(span_days)));
        target.annualised.add_chunk(values);
    }
    for (k, level) in target.levels.iter_mut().enumerate() {
        values.clear();
        values.extend(growth.iter().filter_map(|g| g.reached_day(k)));
        level.days.add_chunk(values);
    }
}
