//! Paired comparison of scenarios under common random numbers: every
//! scenario runs the same seed on the same paths, chunk by chunk in
//! lockstep, and the per-path differences of what they share (farms by
//! name, series by name on the common dates) are summarised against the
//! first scenario ([`PairedDistribution`]: mean, standard error,
//! quantiles, the share of paths where B is better, and the variance
//! reduction pairing achieved).
//!
//! Each scenario's own [`Summary`] is built exactly as
//! [`simulate`](super::simulate) builds it (the same chunks, the same
//! blocks, the same additions), so it has the same bits. The differences
//! are accumulated per chunk in a fixed order and merged exactly, so a
//! comparison has the same bits for any thread count. Memory does not grow
//! with the number of paths: nothing per path is kept beyond a chunk.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::chunk::{self, Scratch, TIME_BLOCK};
use super::control::Control;
use super::{EngineError, RunConfig, Shard, check_paths, empty_summary, thread_pool};
use crate::model::contract::{InForce, ScenarioContract};
use crate::scenario::Scenario;
use crate::stats::{Better, Distribution, FarmMeasure, PairedDistribution, Summary};

/// A measure compared per farm, with the direction in which B is better
/// than A: the 19 of [`FarmMeasure::ALL`] in their order, then
/// `insolvency_probability`, whose per-path value is 1 when the farm
/// failed within its horizon and 0 otherwise (so the mean difference is the
/// difference of P(insolvency), paired).
///
/// | better when higher | better when lower | neither |
/// |---|---|---|
/// | BTC mined, revenue, credits, breakeven power price, margin (hedged or not), hedge settlements, NPV, uptime, cash at the end, insolvency day (later) | power cost, cash and all-in cost per BTC, breakeven hashprice, payback days, P(insolvency) | curtailed MWh, MW expanded, migration day |
///
/// Curtailment, expansion and the day of a move are choices whose worth
/// depends on what they bought: no share of "better" paths is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PairedMeasure {
    /// One of the farm's measures, paired on the paths where both
    /// scenarios define it.
    Farm(FarmMeasure),
    /// P(insolvency): the per-path indicator of failure within the
    /// horizon, defined on every path.
    InsolvencyProbability,
}

impl PairedMeasure {
    /// Every paired measure: those of [`FarmMeasure::ALL`] in their
    /// order, then P(insolvency).
    pub const ALL: [PairedMeasure; 20] = {
        let mut out = [PairedMeasure::InsolvencyProbability; 20];
        let mut i = 0;
        while i < FarmMeasure::ALL.len() {
            out[i] = PairedMeasure::Farm(FarmMeasure::ALL[i]);
            i += 1;
        }
        out
    };

    /// Its position in [`PairedMeasure::ALL`].
    pub const fn index(self) -> usize {
        match self {
            PairedMeasure::Farm(m) => m.index(),
            PairedMeasure::InsolvencyProbability => FarmMeasure::ALL.len(),
        }
    }

    /// Its key in `compare.json`: the farm measure's name, or
    /// `insolvency_probability`.
    pub const fn name(self) -> &'static str {
        match self {
            PairedMeasure::Farm(m) => m.name(),
            PairedMeasure::InsolvencyProbability => "insolvency_probability",
        }
    }

    /// What the comparison page calls it, with its unit.
    pub const fn label(self) -> &'static str {
        match self {
            PairedMeasure::Farm(m) => m.label(),
            PairedMeasure::InsolvencyProbability => "P(insolvency)",
        }
    }

    /// Which way B is better than A.
    pub const fn better(self) -> Better {
        match self {
            PairedMeasure::Farm(m) => m.better(),
            PairedMeasure::InsolvencyProbability => Better::Lower,
        }
    }

    /// Whether it is a share (0..1): its differences are in points.
    pub fn is_share(self) -> bool {
        match self {
            PairedMeasure::Farm(m) => m.is_share(),
            PairedMeasure::InsolvencyProbability => true,
        }
    }

    /// Whether only a farm with a balance sheet has it (it can fail).
    pub fn needs_balance_sheet(self) -> bool {
        matches!(
            self,
            PairedMeasure::Farm(FarmMeasure::InsolvencyDay) | PairedMeasure::InsolvencyProbability
        )
    }
}

/// Most dates at which series differences are kept. A chart of a
/// difference needs no more (a point every 5 days over 5 years of daily
/// steps), and each kept date costs a quantile sketch per series: keeping
/// every day of a 5-year daily horizon would make a comparison cost half a
/// run more, and a gigabyte more memory, for the differences alone.
pub const MAX_SERIES_DATES: usize = 366;

/// Index of `insolvency_day` in [`FarmMeasure::ALL`].
const INSOLVENCY_DAY: usize = FarmMeasure::InsolvencyDay.index();

/// What a compared scenario is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedScenario {
    /// The scenario's name.
    pub name: String,
    /// First day of its horizon (ISO 8601).
    pub start_date: String,
    /// Its step length, days.
    pub step_days: u32,
    /// Its number of steps.
    pub steps: usize,
}

/// The result of [`compare`].
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The seed every scenario ran with.
    pub seed: u64,
    /// The paths every scenario ran.
    pub paths: u64,
    /// The scenarios, in the order given; the first is the baseline A.
    pub scenarios: Vec<ComparedScenario>,
    /// Each scenario's own summary: the bits [`simulate`](super::simulate)
    /// gives it with the same seed and paths.
    pub summaries: Vec<Summary>,
    /// Steps every scenario has on the same dates (the first
    /// `common_steps` of each): 0 when their calendars differ.
    pub common_steps: usize,
    /// The steps at which series are compared: every `k`-th common step
    /// from the first, and the last, with `k` the smallest that keeps them
    /// to [`MAX_SERIES_DATES`] (every step for horizons up to a year of
    /// daily steps). Indices into each scenario's steps.
    pub steps: Vec<usize>,
    /// Days from the start at each of [`Comparison::steps`].
    pub t_days: Vec<u32>,
    /// Dates of [`Comparison::steps`] (ISO 8601).
    pub dates: Vec<String>,
    /// Plain-language notes on what is not shared or not comparable.
    pub notes: Vec<String>,
    /// `pairs[k − 1]`: scenario `k` against the first, for `k ≥ 1`.
    pub pairs: Vec<PairedComparison>,
}

/// One scenario B against the first, A: the differences B − A of what
/// they share.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedComparison {
    /// Index of B in [`Comparison::scenarios`] (A is 0).
    pub scenario: usize,
    /// The farms both have, in A's order.
    pub farms: Vec<FarmDifference>,
    /// The series both record, in A's order, over the common steps.
    pub series: Vec<SeriesDifference>,
}

/// A farm both scenarios have (by name): its paired measures.
#[derive(Debug, Clone, PartialEq)]
pub struct FarmDifference {
    /// The farm's name.
    pub name: String,
    /// One per [`PairedMeasure::ALL`], in that order: B − A on the paths where
    /// both define the measure, each over its own scenario's horizon.
    pub measures: Vec<PairedDistribution>,
    /// The farm's index in A's and B's farms.
    index: (usize, usize),
}

impl FarmDifference {
    /// The paired differences of `measure`.
    pub fn measure(&self, measure: PairedMeasure) -> &PairedDistribution {
        &self.measures[measure.index()]
    }
}

/// A series both scenarios record (by name): the per-path differences
/// B − A at each common step.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDifference {
    /// The series' name.
    pub name: String,
    /// One per compared step ([`Comparison::steps`]).
    pub steps: Vec<Distribution>,
    /// The series' index in A's and B's rows.
    index: (usize, usize),
}

/// Runs every scenario on the same seed and paths (common random numbers)
/// and compares each with the first: per shared farm and measure, and per
/// shared series at the compared steps ([`Comparison::steps`]), the
/// distribution of the per-path difference B − A.
///
/// Series are compared over the steps all scenarios have, when they start
/// on the same date with the same step length (otherwise not at all, and a
/// note says so), at most at [`MAX_SERIES_DATES`] evenly spaced steps;
/// farm measures over each scenario's own horizon. Scenarios run in
/// lockstep: each chunk of paths advances one time block in every
/// scenario before the next block, so the differences of a block are taken
/// while both scenarios' values are in memory, and a comparison costs
/// about the sum of its scenarios' runs.
///
/// # Errors
/// [`EngineError::NotComparable`] for fewer than two scenarios or a
/// sharded `config` (a comparison runs whole); otherwise as
/// [`simulate_with_control`](super::simulate_with_control).
pub fn compare(
    scenarios: &[Scenario],
    config: &RunConfig,
    control: Control<'_>,
) -> Result<Comparison, EngineError> {
    if scenarios.len() < 2 {
        return Err(EngineError::NotComparable(
            "a comparison needs at least two scenarios".to_string(),
        ));
    }
    if config.shard != Shard::WHOLE {
        return Err(EngineError::NotComparable(
            "a comparison runs whole: it cannot be sharded".to_string(),
        ));
    }
    check_paths(config)?;
    let pool = thread_pool(config)?;
    let plan = Plan::of(scenarios);
    let empties: Vec<Summary> = scenarios
        .iter()
        .map(|s| empty_summary(s, config, (&s.price_process(), &s.contracts())))
        .collect();
    let chunks = config.chunks();
    let next = AtomicU64::new(0);
    let workers = pool.current_num_threads();
    let parts: Vec<(Vec<Summary>, Vec<PairedComparison>)> = pool.install(|| {
        (0..workers)
            .into_par_iter()
            .map(|_| {
                let mut worker = Worker::new(scenarios, &empties, &plan, config);
                loop {
                    let chunk = next.fetch_add(1, Ordering::Relaxed);
                    if chunk >= chunks || control.stopped() {
                        break;
                    }
                    match worker.run_chunk(scenarios, config, chunk, &plan.compared, &control) {
                        Some(done) => control.report(done),
                        None => break,
                    }
                }
                (worker.summaries, worker.pairs)
            })
            .collect()
    });
    if control.stopped() {
        return Err(EngineError::Interrupted);
    }
    let (summaries, pairs) = pool.install(|| {
        let mut parts = parts.into_iter();
        let (mut summaries, mut pairs) = parts.next().unwrap_or((empties, plan.pairs.clone()));
        for (s, p) in parts {
            for (mine, theirs) in summaries.iter_mut().zip(&s) {
                mine.add_counts(theirs);
            }
            for (mine, theirs) in pairs.iter_mut().zip(&p) {
                mine.merge(theirs);
            }
        }
        (summaries, pairs)
    });
    // Compared steps are steps of the paths, recorded in the summaries or
    // not (`[outputs] record_every_steps`).
    let t_days: Vec<u32> = plan
        .compared
        .iter()
        .map(|&t| t as u32 * scenarios[0].step_days())
        .collect();
    let dates = t_days
        .iter()
        .map(|&d| super::date_of(&scenarios[0], d))
        .collect();
    Ok(Comparison {
        seed: config.seed,
        paths: config.paths,
        scenarios: scenarios
            .iter()
            .map(|s| ComparedScenario {
                name: s.name().to_string(),
                start_date: s.start_date().to_string(),
                step_days: s.step_days(),
                steps: s.steps(),
            })
            .collect(),
        summaries,
        common_steps: plan.steps,
        steps: plan.compared,
        t_days,
        dates,
        notes: plan.notes,
        pairs,
    })
}

impl PairedComparison {
    fn merge(&mut self, other: &PairedComparison) {
        for (mine, theirs) in self.farms.iter_mut().zip(&other.farms) {
            for (m, t) in mine.measures.iter_mut().zip(&theirs.measures) {
                m.merge(t);
            }
        }
        for (mine, theirs) in self.series.iter_mut().zip(&other.series) {
            for (m, t) in mine.steps.iter_mut().zip(&theirs.steps) {
                m.merge(t);
            }
        }
    }
}

/// What is compared: the common steps, the empty paired accumulators and
/// the notes on what is not.
struct Plan {
    /// Common steps, and those at which series are compared (increasing).
    steps: usize,
    compared: Vec<usize>,
    pairs: Vec<PairedComparison>,
    notes: Vec<String>,
}

impl Plan {
    fn of(scenarios: &[Scenario]) -> Plan {
        let a = &scenarios[0];
        let mut notes = Vec::new();
        let same_calendar = scenarios
            .iter()
            .all(|s| s.start_date() == a.start_date() && s.step_days() == a.step_days());
        let steps = if same_calendar {
            scenarios.iter().map(Scenario::steps).min().unwrap_or(0)
        } else {
            notes.push(format!(
                "The scenarios do not share a calendar ({}): series are not compared, only farms.",
                scenarios
                    .iter()
                    .map(|s| format!(
                        "{} starts {} with {}-day steps",
                        s.name(),
                        s.start_date(),
                        s.step_days()
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
            0
        };
        if scenarios.iter().any(|s| s.steps() != a.steps()) {
            if same_calendar {
                notes.push(format!(
                    "The horizons differ ({}): series are compared over the {steps} steps all \
                     share.",
                    horizons(scenarios)
                ));
            }
            notes.push(
                "Farm measures cover each scenario's own horizon, so their differences include \
                 the extra time of the longer horizon."
                    .to_string(),
            );
        }
        let compared = compared_steps(steps);
        let series_a = super::path::series_names(a, &a.price_process(), &a.contracts());
        let pairs = scenarios
            .iter()
            .enumerate()
            .skip(1)
            .map(|(k, b)| {
                let (farms, farm_notes) = shared_farms(a, b);
                notes.extend(farm_notes);
                let series_b = super::path::series_names(b, &b.price_process(), &b.contracts());
                // Without common dates, no series is compared.
                let names = if steps > 0 { &series_a[..] } else { &[] };
                let series = names
                    .iter()
                    .enumerate()
                    .filter_map(|(i, name)| {
                        let j = series_b.iter().position(|n| n == name)?;
                        Some(SeriesDifference {
                            name: name.clone(),
                            steps: vec![Distribution::default(); compared.len()],
                            index: (i, j),
                        })
                    })
                    .collect();
                if steps > 0 {
                    let only = |x: &[String], y: &[String]| -> Vec<String> {
                        x.iter().filter(|n| !y.contains(n)).cloned().collect()
                    };
                    for (names, side, other) in [
                        (only(&series_a, &series_b), a.name(), b.name()),
                        (only(&series_b, &series_a), b.name(), a.name()),
                    ] {
                        if !names.is_empty() {
                            notes.push(format!(
                                "Series of {side} that {other} does not record, not compared: {}.",
                                listed(&names)
                            ));
                        }
                    }
                }
                PairedComparison {
                    scenario: k,
                    farms,
                    series,
                }
            })
            .collect();
        Plan {
            steps,
            compared,
            pairs,
            notes,
        }
    }
}

/// Every `k`-th of `steps` steps from the first, and the last, with the
/// smallest `k` that keeps them to [`MAX_SERIES_DATES`].
fn compared_steps(steps: usize) -> Vec<usize> {
    if steps == 0 {
        return Vec::new();
    }
    let every = (steps - 1).div_ceil(MAX_SERIES_DATES - 1).max(1);
    let mut kept: Vec<usize> = (0..steps).step_by(every).collect();
    if kept.last() != Some(&(steps - 1)) {
        kept.push(steps - 1);
    }
    kept
}

/// "A: 1095 steps of 1 days; B: ..."
fn horizons(scenarios: &[Scenario]) -> String {
    scenarios
        .iter()
        .map(|s| {
            format!(
                "{}: {} steps of {} days",
                s.name(),
                s.steps(),
                s.step_days()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most eight names, then how many more.
fn listed(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// The farms `a` and `b` both have (by name, in `a`'s order), and notes on
/// those only one has.
fn shared_farms(a: &Scenario, b: &Scenario) -> (Vec<FarmDifference>, Vec<String>) {
    let names =
        |s: &Scenario| -> Vec<String> { s.farms().iter().map(|f| f.name.clone()).collect() };
    let (fa, fb) = (names(a), names(b));
    let shared = fa
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let j = fb.iter().position(|n| n == name)?;
            Some(FarmDifference {
                name: name.clone(),
                measures: vec![PairedDistribution::default(); PairedMeasure::ALL.len()],
                index: (i, j),
            })
        })
        .collect::<Vec<_>>();
    let mut notes = Vec::new();
    for (x, y, side, other) in [
        (&fa, &fb, a.name(), b.name()),
        (&fb, &fa, b.name(), a.name()),
    ] {
        let only: Vec<String> = x.iter().filter(|n| !y.contains(n)).cloned().collect();
        if !only.is_empty() {
            notes.push(format!(
                "Farms of {side} that {other} does not have, not compared: {}.",
                listed(&only)
            ));
        }
    }
    if shared.is_empty() {
        notes.push(format!("{} and {} share no farm.", a.name(), b.name()));
    }
    (shared, notes)
}

/// One worker's buffers and partial results.
struct Worker {
    /// Per scenario, with its own price process (state: the price) and
    /// contracts.
    scratch: Vec<Scratch<f64, InForce>>,
    /// Per scenario, its farms' contracts.
    contracts: Vec<Vec<ScenarioContract>>,
    summaries: Vec<Summary>,
    pairs: Vec<PairedComparison>,
    /// Reusable buffers: differences, A's and B's defined values.
    difference: Vec<f64>,
    a: Vec<f64>,
    b: Vec<f64>,
}

impl Worker {
    fn new(scenarios: &[Scenario], empties: &[Summary], plan: &Plan, config: &RunConfig) -> Worker {
        let n = config.chunk_paths() as usize;
        let contracts: Vec<Vec<ScenarioContract>> =
            scenarios.iter().map(Scenario::contracts).collect();
        Worker {
            scratch: scenarios
                .iter()
                .zip(&contracts)
                .map(|(s, c)| Scratch::new((s, &s.price_process(), c), config))
                .collect(),
            contracts,
            summaries: empties.to_vec(),
            pairs: plan.pairs.clone(),
            difference: Vec::with_capacity(n),
            a: Vec::with_capacity(n),
            b: Vec::with_capacity(n),
        }
    }

    /// Runs chunk `chunk` of every scenario, block by block in lockstep,
    /// and adds it to the summaries and differences (series over the first
    /// `common` steps). Returns its number of paths, or `None` when
    /// `control` asked to stop (the partial results must then be dropped).
    fn run_chunk(
        &mut self,
        scenarios: &[Scenario],
        config: &RunConfig,
        chunk: u64,
        compared: &[usize],
        control: &Control<'_>,
    ) -> Option<u64> {
        let mut n = 0;
        let own = scenarios.iter().zip(&self.contracts);
        for ((scenario, contracts), scratch) in own.zip(&mut self.scratch) {
            let run = (scenario, &scenario.price_process(), &contracts[..]);
            n = chunk::start_chunk(run, config, chunk, scratch);
        }
        let longest = scenarios.iter().map(Scenario::steps).max().unwrap_or(0);
        // `compared[next..]` are the compared steps still to come.
        let mut next = 0;
        for t0 in (0..longest).step_by(TIME_BLOCK) {
            if control.stopped() {
                return None;
            }
            let runs = scenarios
                .iter()
                .zip(&self.contracts)
                .zip(&mut self.scratch)
                .zip(&mut self.summaries);
            for (((scenario, contracts), scratch), summary) in runs {
                if t0 < scenario.steps() {
                    let run = (scenario, &scenario.price_process(), &contracts[..]);
                    chunk::run_block(run, n, t0, scratch, summary);
                }
            }
            let end = next + compared[next..].partition_point(|&t| t < t0 + TIME_BLOCK);
            for pair in &mut self.pairs {
                let (a, b) = (&self.scratch[0], &self.scratch[pair.scenario]);
                for series in &mut pair.series {
                    let (sa, sb) = series.index;
                    for (j, &t) in compared.iter().enumerate().take(end).skip(next) {
                        let dt = t - t0;
                        let (va, vb) = (
                            chunk::block_values(a, sa, dt, n),
                            chunk::block_values(b, sb, dt, n),
                        );
                        self.difference.clear();
                        self.difference
                            .extend(va.iter().zip(vb).map(|(&x, &y)| y - x));
                        series.steps[j].add_chunk(&self.difference);
                    }
                }
            }
            next = end;
        }
        let runs = scenarios
            .iter()
            .zip(&mut self.scratch)
            .zip(&mut self.summaries);
        for ((scenario, scratch), summary) in runs {
            chunk::finish_chunk(scenario, n, scratch, summary);
        }
        for pair in &mut self.pairs {
            let (a, b) = (&self.scratch[0], &self.scratch[pair.scenario]);
            for farm in &mut pair.farms {
                let (ma, mb) = (&a.measures[farm.index.0], &b.measures[farm.index.1]);
                for (m, paired) in farm.measures.iter_mut().enumerate() {
                    self.a.clear();
                    self.b.clear();
                    for (pa, pb) in ma.iter().zip(mb) {
                        let (x, y) = if m == FarmMeasure::ALL.len() {
                            // The insolvency indicator: defined on every path.
                            let failed = |p: &[Option<f64>; FarmMeasure::ALL.len()]| {
                                if p[INSOLVENCY_DAY].is_some() {
                                    1.0
                                } else {
                                    0.0
                                }
                            };
                            (Some(failed(pa)), Some(failed(pb)))
                        } else {
                            (pa[m], pb[m])
                        };
                        if let (Some(x), Some(y)) = (x, y) {
                            self.a.push(x);
                            self.b.push(y);
                        }
                    }
                    let better = PairedMeasure::ALL[m].better();
                    paired.add_chunk(&self.a, &self.b, better, &mut self.difference);
                }
            }
        }
        Some(n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compared_steps_are_even_and_end_on_the_last() {
        assert_eq!(compared_steps(0), Vec::<usize>::new());
        assert_eq!(compared_steps(1), [0]);
        assert_eq!(compared_steps(366), (0..366).collect::<Vec<_>>());
        let five_years = compared_steps(1826);
        assert!(five_years.len() <= MAX_SERIES_DATES);
        assert_eq!(five_years[..3], [0, 5, 10]);
        assert_eq!(five_years.last(), Some(&1825));
        let odd = compared_steps(1000);
        assert!(odd.len() <= MAX_SERIES_DATES);
        assert_eq!(odd.last(), Some(&999));
    }

    #[test]
    fn paired_measures_follow_the_farm_measures() {
        for (m, measure) in FarmMeasure::ALL.iter().enumerate() {
            let paired = PairedMeasure::ALL[m];
            assert_eq!(paired, PairedMeasure::Farm(*measure));
            assert_eq!((paired.index(), paired.name()), (m, measure.name()));
            assert_eq!(paired.better(), measure.better());
        }
        let last = PairedMeasure::ALL[19];
        assert_eq!(last, PairedMeasure::InsolvencyProbability);
        assert_eq!((last.index(), last.name()), (19, "insolvency_probability"));
        assert_eq!(last.better(), Better::Lower);
        assert_eq!(PairedMeasure::ALL.len(), FarmMeasure::ALL.len() + 1);
    }
}
