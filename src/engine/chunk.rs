//! One chunk of paths, run block by block: the buffers a worker reuses, and
//! the three stages of a chunk (start, one time block at a time, finish),
//! so that [`simulate`](super::simulate) runs one scenario's chunk and
//! [`compare`](super::compare) runs several scenarios' chunks in lockstep
//! on the same paths.

use multiversion::multiversion;

use super::RunConfig;
use super::contract_paths::ContractPaths;
use super::control::Control;
use super::cost_curve::CurveBuffer;
use super::grid::{GridScratch, RegionPath, Rings};
use super::observer::{Observer, StepValues};
use super::path::{self, GroupState, Layout, PathState, Recorder};
use super::price_paths::PricePaths;
use super::streams::CoreStreams;
use crate::model::contract::PowerContract;
use crate::model::cost_measures::{FarmMeasure, path_measures};
use crate::model::farm_path::FarmPath;
use crate::model::investment::InvestmentPath;
use crate::model::price_process::PriceProcess;
use crate::scenario::Scenario;
use crate::stats::growth::Growth;
use crate::stats::{FarmSummary, Summary};

/// A scenario, its price process and its farms' contracts (one per farm,
/// in the scenario's order): what a chunk runs.
pub(crate) type World<'r, P, C> = (&'r Scenario, &'r P, &'r [C]);

/// Steps a path runs before the next path takes its turn (cache blocking).
pub(crate) const TIME_BLOCK: usize = 16;

/// Per-worker buffers, allocated once: the hot loop allocates nothing.
/// `S` is the price process's state, `K` the contracts'.
pub(crate) struct Scratch<S, K> {
    /// The chunk being run (set by [`start_chunk`]).
    chunk: u64,
    paths: Vec<PathState>,
    streams: Vec<CoreStreams>,
    price: PricePaths<S>,
    contracts: ContractPaths<K>,
    /// Paths per chunk of the run: the stride of `values`.
    stride: usize,
    /// A block of steps' values: `values[(s·TIME_BLOCK + dt)·stride + i]`
    /// for series `s`, step `t0 + dt` of the block and path `i`.
    pub(crate) values: Vec<f64>,
    /// Farm states, path-major: `farms[i·n_farms + f]`.
    farms: Vec<FarmPath>,
    farm_values: Vec<f64>,
    /// Per farm, its measures on each path of the chunk (after
    /// [`finish_chunk`]).
    pub(crate) measures: Vec<Vec<[Option<f64>; FarmMeasure::COUNT]>>,
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

impl<S: Copy, K: Copy> Scratch<S, K> {
    /// The buffers of a chunk of `scenario` run with `process` and
    /// `contracts`, for a run of `config`.
    pub(crate) fn new<P, C>(
        (scenario, process, contracts): (&Scenario, &P, &[C]),
        config: &RunConfig,
    ) -> Self
    where
        P: PriceProcess<State = S>,
        C: PowerContract<State = K>,
    {
        let n = config.chunk_paths() as usize;
        let contract_paths = ContractPaths::new(scenario, contracts, n);
        let contract_series = contract_paths.series.iter().sum();
        let renewals = contracts.iter().any(PowerContract::steps);
        let layout = Layout::of(
            scenario,
            process.series_names().len(),
            (contract_series, renewals),
        );
        let series = layout.end();
        Scratch {
            chunk: 0,
            stride: n,
            paths: Vec::with_capacity(n),
            streams: Vec::with_capacity(n),
            price: PricePaths::new(process, n),
            contracts: contract_paths,
            values: vec![0.0; series * TIME_BLOCK * n],
            farms: Vec::with_capacity(n * scenario.farms().len()),
            farm_values: Vec::with_capacity(n),
            measures: vec![Vec::with_capacity(n); scenario.farms().len()],
            regions: (0..n)
                .flat_map(|_| scenario.regions().iter().map(RegionPath::new))
                .collect(),
            rings: Rings::new(scenario, n),
            grid: GridScratch::default(),
            growth: vec![Growth::default(); n],
            curves: CurveBuffer::new(scenario, n),
            layout,
            investment: match scenario.investment_plan() {
                Some(plan) => vec![InvestmentPath::new(plan); n],
                None => Vec::new(),
            },
        }
    }
}

/// Runs chunk `chunk` and adds it to `summary`; returns its number of
/// paths and what `observer` kept of it, or `None` when `control` asked to
/// stop (checked between time blocks; `summary` then holds part of the
/// chunk and must be dropped).
pub(crate) fn run_chunk<P: PriceProcess, C: PowerContract, O: Observer>(
    world @ (scenario, _, _): World<'_, P, C>,
    (config, observer): (&RunConfig, &O),
    chunk: u64,
    scratch: &mut Scratch<P::State, C::State>,
    summary: &mut Summary,
    control: &Control<'_>,
) -> Option<(u64, O::Chunk)> {
    let n = start_chunk(world, config, chunk, scratch);
    let mut seen = observer.start_chunk(config.chunk_range(chunk).start, n);
    for t0 in (0..scenario.steps()).step_by(TIME_BLOCK) {
        if control.stopped() {
            return None;
        }
        run_block(world, n, t0, scratch, summary);
        observe_block(observer, &mut seen, scratch, (n, t0, scenario.steps()));
    }
    observer.finish_chunk(&mut seen);
    finish_chunk(scenario, n, scratch, summary);
    Some((n as u64, seen))
}

/// Shows `observer` the steps of the block from `t0` (of a run of `steps`)
/// on the chunk's `n` paths.
fn observe_block<S, K, O: Observer>(
    observer: &O,
    seen: &mut O::Chunk,
    scratch: &Scratch<S, K>,
    (n, t0, steps): (usize, usize, usize),
) {
    let stride = scratch.stride;
    for dt in 0..TIME_BLOCK.min(steps - t0) {
        let values = StepValues {
            values: &scratch.values,
            offset: dt * stride,
            series_stride: TIME_BLOCK * stride,
            paths: n,
            series: scratch.layout.end(),
        };
        observer.step(seen, t0 + dt, &values);
    }
}

/// Puts the paths of chunk `chunk` at their start; returns their number.
pub(crate) fn start_chunk<P: PriceProcess, C: PowerContract>(
    (scenario, process, contracts): World<'_, P, C>,
    config: &RunConfig,
    chunk: u64,
    scratch: &mut Scratch<P::State, C::State>,
) -> usize {
    let paths = config.chunk_range(chunk);
    let (first, n) = (paths.start, (paths.end - paths.start) as usize);
    let n_regions = scenario.regions().len();
    scratch.chunk = chunk;
    scratch.price.start(process, config.seed, first, n);
    scratch.contracts.start(contracts, config.seed, first, n);
    scratch.paths.clear();
    scratch.streams.clear();
    for (i, state) in (0..n as u64).zip(&scratch.price.states) {
        let price = process.price_usd(state);
        scratch.paths.push(PathState::new(scenario, price));
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
    n
}

/// Runs the time block from step `t0` (up to [`TIME_BLOCK`] steps) on the
/// chunk's `n` paths, and adds its values to `summary`. The block's values
/// stay in `scratch.values` until the next block. Compiled for each
/// instruction set of [`Kernel`](super::Kernel), and run with the one
/// [`kernel`](super::kernel()) picks.
#[multiversion(targets("x86_64+avx2+fma+bmi1+bmi2+lzcnt+movbe+f16c"))]
pub(crate) fn run_block<P: PriceProcess, C: PowerContract>(
    world: World<'_, P, C>,
    n: usize,
    t0: usize,
    scratch: &mut Scratch<P::State, C::State>,
    summary: &mut Summary,
) {
    let (scenario, process, contracts) = world;
    let stride = scratch.stride;
    let n_farms = scenario.farms().len();
    let n_regions = scenario.regions().len();
    // Each group of paths runs a block of steps while its state and streams
    // are in cache; then the block's values are summarised step by step.
    // The result is the same as stepping all paths together.
    let block = TIME_BLOCK.min(scenario.steps() - t0);
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
                price: scratch.price.group(first, last),
                contracts: scratch.contracts.group(first, last),
                farms: &mut scratch.farms[first * n_farms..last * n_farms],
                regions: &mut scratch.regions[first * n_regions..last * n_regions],
                rings: &mut scratch.rings,
                first,
                investment: investment_slice(&mut scratch.investment, first, last),
                curves: Some(&mut scratch.curves),
                layout: &scratch.layout,
                flows: None,
            };
            let grid = &mut scratch.grid;
            let processes = (process, contracts);
            path::step_group(scenario, processes, group, grid, t0 + dt, &mut out);
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
    // Only the recorded steps (every `k`-th) are summarised.
    let k = scenario.record_every();
    for (s, series) in summary.series.iter_mut().enumerate() {
        for dt in (0..block).filter(|dt| (t0 + dt).is_multiple_of(k)) {
            series.steps[(t0 + dt) / k].add_chunk(block_values(scratch, s, dt, n));
        }
    }
}

/// The values of series `s` at step `dt` of the current block, one per
/// path of the chunk's `n`.
#[inline]
pub(crate) fn block_values<S, K>(scratch: &Scratch<S, K>, s: usize, dt: usize, n: usize) -> &[f64] {
    let at = (s * TIME_BLOCK + dt) * scratch.stride;
    &scratch.values[at..at + n]
}

/// Adds the chunk's per-path measures of one farm to its summary;
/// `values` is a reusable buffer.
fn add_measures(
    summary: &mut FarmSummary,
    measures: &[[Option<f64>; FarmMeasure::COUNT]],
    values: &mut Vec<f64>,
) {
    for (m, target) in summary.measures_mut().into_iter().enumerate() {
        values.clear();
        values.extend(measures.iter().filter_map(|p| p[m]));
        target.add_chunk(values);
    }
}

/// After the last block: adds the chunk's farm measures (left per farm in
/// `scratch.measures`), cost curves and hashrate growth to `summary`, and
/// the chunk to the chunks it holds.
pub(crate) fn finish_chunk<S, K>(
    scenario: &Scenario,
    n: usize,
    scratch: &mut Scratch<S, K>,
    summary: &mut Summary,
) {
    let n_farms = scenario.farms().len();
    let run = (f64::from(scenario.step_days()), scenario.steps());
    let targets = summary.farms.iter_mut().zip(scenario.farms());
    for (f, (target, farm)) in targets.enumerate() {
        let states = scratch.farms[..n * n_farms].iter().skip(f).step_by(n_farms);
        let measures = &mut scratch.measures[f];
        measures.clear();
        measures.extend(states.map(|p| path_measures(farm, run, p)));
        add_measures(target, measures, &mut scratch.farm_values);
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
    summary.chunks.insert(scratch.chunk);
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
