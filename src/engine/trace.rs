//! One path, step by step: every recorded series of a single path, for
//! inspecting a path, checking accounting by hand, and comparing scenarios
//! path by path under common random numbers.

use super::contract_paths::ContractPaths;
use super::grid::{GridScratch, RegionPath, Rings};
use super::path::{self, GroupState, PathState, Recorder};
use super::price_paths::PricePaths;
use super::streams::CoreStreams;
use crate::model::contract::PowerContract;
use crate::model::cost_measures::{FarmMeasure, path_measures};
use crate::model::farm_path::FarmPath;
use crate::model::finance::CashFlow;
use crate::model::investment::InvestmentPath;
use crate::scenario::Scenario;

/// Every recorded series of one path.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Series names, in the order of [`Trace::values`] (the names of
    /// `summary.json`).
    pub names: Vec<String>,
    /// `values[s][t]`: series `s` at step `t`.
    pub values: Vec<Vec<f64>>,
    /// The power (fuel) factor `X_t` at each step, before the step.
    pub power_factor: Vec<f64>,
    /// Index of the macro regime in force during each step.
    pub macro_regime: Vec<usize>,
    /// `cash_flows[f][t]`: what farm `f` (in scenario order) brought in and
    /// paid out in step `t`; its cash moves by their
    /// [`net_usd`](CashFlow::net_usd).
    pub cash_flows: Vec<Vec<CashFlow>>,
    /// `farm_measures[f]`: farm `f`'s measures over the whole path, in the
    /// order of [`FarmMeasure::ALL`],
    /// `None` where a measure is not defined on this path (a ratio without
    /// BTC mined, a payback never reached, a farm that never moved or
    /// failed). The values this path adds to the run's farm summaries, bit
    /// for bit.
    pub farm_measures: Vec<[Option<f64>; FarmMeasure::COUNT]>,
}

impl Trace {
    /// The values of series `name` at each step, if it is recorded.
    pub fn series(&self, name: &str) -> Option<&[f64]> {
        let s = self.names.iter().position(|n| n == name)?;
        Some(&self.values[s])
    }
}

/// Path `path` of a run of `scenario` with `seed`: the same values that path
/// contributes to [`simulate`](super::simulate)'s summaries, bit for bit.
///
/// # Example
/// ```
/// use hashwatt::{engine::trace, Scenario};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
/// let scenario = Scenario::from_path(path)?;
/// let t = trace(&scenario, 1, 0);
/// let price = t.series("btc_price_usd").expect("a core series");
/// assert_eq!(price.len(), scenario.steps());
/// assert_eq!(price[0], scenario.initial_btc_price());
/// # Ok::<(), hashwatt::ScenarioError>(())
/// ```
pub fn trace(scenario: &Scenario, seed: u64, path: u64) -> Trace {
    let process = scenario.price_process();
    let contracts = scenario.contracts();
    let names = path::series_names(scenario, &process, &contracts);
    let steps = scenario.steps();
    let mut price = PricePaths::new(&process, 1);
    price.start(&process, seed, path, 1);
    let mut in_force = ContractPaths::new(scenario, &contracts, 1);
    in_force.start(&contracts, seed, path, 1);
    let mut paths = [PathState::new(scenario, price.states[0])];
    let mut streams = [CoreStreams::new(seed, path)];
    let days = f64::from(scenario.step_days());
    let mut farms: Vec<FarmPath> = scenario
        .farms()
        .iter()
        .map(|f| FarmPath::new(f, days))
        .collect();
    let mut cash_flows = vec![Vec::with_capacity(steps); farms.len()];
    let mut step_flows = vec![CashFlow::default(); farms.len()];
    let renewals = contracts.iter().any(PowerContract::steps);
    let layout = path::Layout::of(scenario, 0, (0, renewals));
    let mut investment: Vec<InvestmentPath> = scenario
        .investment_plan()
        .map(InvestmentPath::new)
        .into_iter()
        .collect();
    let mut regions: Vec<RegionPath> = scenario.regions().iter().map(RegionPath::new).collect();
    for (state, region) in regions.iter_mut().zip(scenario.regions()) {
        state.reset(region, seed, path);
    }
    let mut rings = Rings::new(scenario, 1);
    let mut grid = GridScratch::default();
    // One row per step: `row[s]` is series `s` (stride 1, one path).
    let mut row = vec![0.0; names.len()];
    let mut values = vec![Vec::with_capacity(steps); names.len()];
    let mut power_factor = Vec::with_capacity(steps);
    let mut macro_regime = Vec::with_capacity(steps);
    for step in 0..steps {
        power_factor.push(paths[0].power_factor());
        let group = GroupState {
            paths: &mut paths,
            streams: &mut streams,
            price: price.group(0, 1),
            contracts: in_force.group(0, 1),
            farms: &mut farms,
            regions: &mut regions,
            rings: &mut rings,
            first: 0,
            investment: &mut investment,
            curves: None,
            layout: &layout,
            flows: Some(&mut step_flows),
        };
        let mut out = Recorder {
            values: &mut row,
            series_stride: 1,
            offset: 0,
        };
        let processes = (&process, &contracts[..]);
        path::step_group(scenario, processes, group, &mut grid, step, &mut out);
        for (series, &v) in values.iter_mut().zip(&row) {
            series.push(v);
        }
        macro_regime.push(paths[0].regime());
        for (flows, &flow) in cash_flows.iter_mut().zip(&step_flows) {
            flows.push(flow);
        }
    }
    let run = (days, steps);
    let farm_measures = scenario
        .farms()
        .iter()
        .zip(&farms)
        .map(|(farm, state)| path_measures(farm, run, state))
        .collect();
    Trace {
        farm_measures,
        names,
        values,
        power_factor,
        macro_regime,
        cash_flows,
    }
}
