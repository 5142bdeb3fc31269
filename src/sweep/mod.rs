//! Sensitivity sweeps (`hashwatt sweep`): one scenario run at many values
//! of some of its numeric fields, every point on the same seed and paths
//! (common random numbers), so that differences between points are the
//! effect of the fields, not of the draws.
//!
//! A sweep is planned first ([`plan`]): every `--vary` is parsed
//! ([`Vary`]), checked against the scenario's composed document (the
//! field exists and is a number; an integer field gets whole values) and
//! every point's scenario is built and checked, so that a bad `--vary` is
//! refused, naming it, before anything runs. [`SweepPlan::run`] then
//! simulates the points one after another (each on all cores) and reads
//! each point's headline measures and the chosen [`Output`] with their
//! Monte Carlo errors into a [`SweepResult`], with the tornado and line
//! data a chart needs.
//!
//! **Modes.** [`Mode::Grid`] runs the cartesian product of the axes.
//! [`Mode::OneAtATime`] runs the scenario itself (the base point) and
//! each field alone over its values, the others at the scenario's values.
//! Points whose checked scenarios are identical (a value equal to the
//! scenario's own) are simulated once.
//!
//! **Tornado.** Per field, the output at its `LO` and at its `HI` and the
//! swing `out(HI) − out(LO)`, sorted by |swing|. One at a time, the other
//! fields are at the scenario's values and the base is the base point. In
//! a grid, the other fields are at the grid value closest to the
//! scenario's (the lower on a tie) and the base is the grid point closest
//! to the scenario in every field: a marginal effect through that point.
//! The swing's error is `√(se_LO² + se_HI²)`, the error of independent
//! runs: under common random numbers the two ends are positively
//! correlated, so the error of the difference is smaller and this is a
//! conservative bound.

mod outputs;
mod spec;

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use outputs::{Estimate, Layout, Output, Stat};
pub use spec::{Axis, Vary};

use crate::engine::{Control, EngineError, RunConfig, simulate_with_control};
use crate::scenario::{Document, Override, Scenario, ScenarioError};
use crate::stats::{FarmMeasure, Summary};

/// Most points one sweep runs.
pub const MAX_POINTS: usize = 1000;

/// Why a sweep was refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// A `--vary` is not `PATH=LO..HI:N`.
    #[error("--vary {vary}: {message}")]
    Syntax {
        /// The `--vary` as given.
        vary: String,
        /// What is wrong.
        message: String,
    },
    /// `LO` or `HI` is infinite or NaN.
    #[error("--vary {vary}: LO and HI must be finite numbers")]
    NotFinite {
        /// The `--vary` as given.
        vary: String,
    },
    /// `LO ≥ HI`.
    #[error("--vary {vary}: LO ({lo}) must be less than HI ({hi})")]
    EmptyRange {
        /// The `--vary` as given.
        vary: String,
        /// LO.
        lo: f64,
        /// HI.
        hi: f64,
    },
    /// `N < 2`.
    #[error("--vary {vary}: N ({count}) must be at least 2, the values LO and HI")]
    TooFewValues {
        /// The `--vary` as given.
        vary: String,
        /// N.
        count: usize,
    },
    /// The scenario does not write the field.
    #[error(
        "--vary {vary}: the scenario has no field `{field}` (after `extends` and --set); \
         a field left at its default must be written in the file or given with --set first"
    )]
    UnknownField {
        /// The `--vary` as given.
        vary: String,
        /// The field's path.
        field: String,
    },
    /// The field is not a number.
    #[error("--vary {vary}: `{field}` is a {kind}, not a number")]
    NotNumeric {
        /// The `--vary` as given.
        vary: String,
        /// The field's path.
        field: String,
        /// Its TOML type.
        kind: &'static str,
    },
    /// An integer field would need a fractional value.
    #[error(
        "--vary {vary}: `{field}` is an integer but the grid needs {value}; \
         choose whole LO and HI and an N with N − 1 dividing HI − LO"
    )]
    NotInteger {
        /// The `--vary` as given.
        vary: String,
        /// The field's path.
        field: String,
        /// The first value that is not whole.
        value: f64,
    },
    /// The same field is varied twice.
    #[error("--vary {vary}: `{field}` is already varied by an earlier --vary")]
    Duplicate {
        /// The second `--vary`.
        vary: String,
        /// The field's path.
        field: String,
    },
    /// No `--vary` given.
    #[error("nothing to sweep: give at least one --vary PATH=LO..HI:N")]
    NothingToVary,
    /// The sweep has too many points.
    #[error(
        "the sweep has {points} points, more than the {max} one sweep may run; use fewer values or --one-at-a-time"
    )]
    TooManyPoints {
        /// Points asked for.
        points: usize,
        /// The cap, [`MAX_POINTS`].
        max: usize,
    },
    /// The scenario check refuses one point's value.
    #[error("--vary {vary}: the scenario refuses the value {value}: {source}")]
    Refused {
        /// The `--vary` whose value is refused.
        vary: String,
        /// The value.
        value: f64,
        /// The scenario check's error.
        #[source]
        source: Box<ScenarioError>,
    },
    /// The output name refers to nothing.
    #[error("--output {name}: no such output; available: {available}")]
    UnknownOutput {
        /// The name given.
        name: String,
        /// What is available.
        available: String,
    },
    /// The scenario itself (before any `--vary`) is refused.
    #[error(transparent)]
    Scenario(Box<ScenarioError>),
    /// The engine refused the run's configuration.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl From<ScenarioError> for SweepError {
    fn from(e: ScenarioError) -> Self {
        SweepError::Scenario(Box::new(e))
    }
}

/// How the axes combine into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The cartesian product of every axis' values.
    Grid,
    /// The scenario itself, then each field alone over its values.
    OneAtATime,
}

/// A sweep checked and ready to run: its axes, points and output.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    path: std::path::PathBuf,
    sets: Vec<Override>,
    mode: Mode,
    axes: Vec<Axis>,
    points: Vec<PlannedPoint>,
    output: Output,
    farms: Vec<String>,
    base_point: usize,
}

/// One point: the value of every axis, the overrides that give them, and
/// the point its scenario is identical to (itself if first).
#[derive(Debug, Clone)]
struct PlannedPoint {
    values: Vec<f64>,
    /// Index of the axis this point varies alone (one at a time).
    varies: Option<usize>,
    sets: Vec<String>,
    same_as: usize,
}

/// Plans a sweep of the scenario at `path` (with the `--set` overrides
/// `sets`) over `varies`, reading `output` (default: the first farm's
/// mean margin).
///
/// Every point's scenario is built and checked here, so that nothing runs
/// unless every point can.
///
/// # Errors
/// [`SweepError`]: the scenario's own error, a `--vary` refused (unknown
/// field, not a number, fractional values of an integer, a field varied
/// twice, a value the scenario check refuses: the first point in order),
/// more than [`MAX_POINTS`] points, an unknown output.
pub fn plan(
    path: &Path,
    sets: &[Override],
    varies: &[Vary],
    mode: Mode,
    output: Option<&str>,
) -> Result<SweepPlan, SweepError> {
    if varies.is_empty() {
        return Err(SweepError::NothingToVary);
    }
    let base = Scenario::from_path_with(path, sets)?;
    let document = Document::read(path, sets)?;
    let axes = axes(varies, &document)?;
    let points = points(&axes, mode)?;
    let layout = layout(&base, output);
    let name = match output {
        Some(name) => name.to_string(),
        None => Output::default_name(&layout).ok_or_else(|| SweepError::UnknownOutput {
            name: "(default: the first farm's mean margin)".into(),
            available: "the scenario has no farm; name an output with --output".into(),
        })?,
    };
    let output = Output::resolve(&name, &layout)?;
    let mut plan = SweepPlan {
        path: path.to_path_buf(),
        sets: sets.to_vec(),
        mode,
        axes,
        points,
        output,
        farms: layout.farms,
        base_point: 0,
    };
    plan.check_points(&base)?;
    plan.base_point = plan.find_base_point();
    Ok(plan)
}

/// The axes of `varies` in `document`, each field once.
fn axes(varies: &[Vary], document: &Document) -> Result<Vec<Axis>, SweepError> {
    let mut axes: Vec<Axis> = Vec::with_capacity(varies.len());
    for v in varies {
        if axes.iter().any(|a| a.path == v.path()) {
            return Err(SweepError::Duplicate {
                vary: v.to_string(),
                field: v.path().to_string(),
            });
        }
        axes.push(v.axis(document)?);
    }
    Ok(axes)
}

/// The points of `mode`, capped at [`MAX_POINTS`] before any is made.
fn points(axes: &[Axis], mode: Mode) -> Result<Vec<PlannedPoint>, SweepError> {
    let too_many = |points| SweepError::TooManyPoints {
        points,
        max: MAX_POINTS,
    };
    let count = match mode {
        Mode::Grid => axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
            .unwrap_or(usize::MAX),
        Mode::OneAtATime => 1 + axes.iter().map(|a| a.values.len()).sum::<usize>(),
    };
    if count > MAX_POINTS {
        return Err(too_many(count));
    }
    let base: Vec<f64> = axes.iter().map(|a| a.base_value).collect();
    let mut values: Vec<(Vec<f64>, Option<usize>)> = Vec::with_capacity(count);
    match mode {
        Mode::Grid => grid(axes, &mut Vec::new(), &mut values),
        Mode::OneAtATime => {
            values.push((base.clone(), None));
            for (i, axis) in axes.iter().enumerate() {
                for &v in &axis.values {
                    let mut point = base.clone();
                    point[i] = v;
                    values.push((point, Some(i)));
                }
            }
        }
    }
    Ok(values
        .into_iter()
        .enumerate()
        .map(|(k, (values, varies))| PlannedPoint {
            sets: sets_of(axes, &values, varies, mode),
            values,
            varies,
            same_as: k,
        })
        .collect())
}

/// The grid's points, the last axis varying fastest.
fn grid(axes: &[Axis], prefix: &mut Vec<f64>, out: &mut Vec<(Vec<f64>, Option<usize>)>) {
    let Some((first, rest)) = axes.split_first() else {
        out.push((prefix.clone(), None));
        return;
    };
    for &v in &first.values {
        prefix.push(v);
        grid(rest, prefix, out);
        prefix.pop();
    }
}

/// The `--set` texts of a point: every axis in a grid, the varied one
/// alone one at a time (none for the base point, which is the scenario as
/// it is).
fn sets_of(axes: &[Axis], values: &[f64], varies: Option<usize>, mode: Mode) -> Vec<String> {
    axes.iter()
        .zip(values)
        .enumerate()
        .filter(|(i, _)| mode == Mode::Grid || varies == Some(*i))
        .map(|(_, (axis, &v))| axis.set_text(v))
        .collect()
}

/// What output names can refer to in `scenario`; series names only when
/// the output asks for a series (they take a one-path trace to list).
fn layout(scenario: &Scenario, output: Option<&str>) -> Layout {
    let series = match output {
        Some(name) if name.starts_with("series.") => crate::engine::trace(scenario, 0, 0).names,
        _ => Vec::new(),
    };
    let step = i64::from(scenario.step_days());
    let last = (scenario.steps() as i64 - 1).max(0) * step;
    let start = scenario.start_date();
    let end = start
        .checked_add(jiff::Span::new().days(last))
        .unwrap_or(start);
    Layout {
        farms: scenario.farms().iter().map(|f| f.name.clone()).collect(),
        series,
        dates: (start.to_string(), end.to_string()),
    }
}

impl SweepPlan {
    /// Builds every point's scenario (refusing the first the check
    /// refuses) and marks points identical to an earlier one.
    fn check_points(&mut self, base: &Scenario) -> Result<(), SweepError> {
        let mut digests: Vec<[u8; 32]> = Vec::with_capacity(self.points.len());
        for k in 0..self.points.len() {
            let scenario = match self.points[k].varies {
                None if self.mode == Mode::OneAtATime => base.clone(),
                _ => self.scenario(k).map_err(|e| self.refused(k, e))?,
            };
            let digest: [u8; 32] = Sha256::digest(scenario.canonical_json()).into();
            if let Some(j) = digests.iter().position(|d| *d == digest) {
                self.points[k].same_as = j;
            }
            digests.push(digest);
        }
        Ok(())
    }

    /// The error of point `k`'s scenario, blamed on the first `--vary` it
    /// names (the one that set the field), else on the first axis.
    fn refused(&self, k: usize, source: ScenarioError) -> SweepError {
        let point = &self.points[k];
        let text = source.to_string();
        let axis = (0..self.axes.len())
            .filter(|&i| self.mode == Mode::Grid || point.varies == Some(i))
            .find(|&i| text.contains(&format!("--set {}", self.axes[i].path)))
            .or(point.varies)
            .unwrap_or(0);
        SweepError::Refused {
            vary: self.axes[axis].vary.clone(),
            value: point.values[axis],
            source: Box::new(source),
        }
    }

    /// Point `k`'s scenario: the file, the `--set` overrides, then the
    /// point's values.
    fn scenario(&self, k: usize) -> Result<Scenario, ScenarioError> {
        let mut sets = self.sets.clone();
        for text in &self.points[k].sets {
            sets.push(text.parse()?);
        }
        Scenario::from_path_with(&self.path, &sets)
    }

    /// The base point: one at a time, the scenario itself; in a grid, the
    /// point closest to the scenario's values in every field.
    fn find_base_point(&self) -> usize {
        if self.mode == Mode::OneAtATime {
            return 0;
        }
        let closest: Vec<f64> = self
            .axes
            .iter()
            .map(|a| a.values[a.closest_to_base()])
            .collect();
        self.points
            .iter()
            .position(|p| p.values == closest)
            .unwrap_or(0)
    }

    /// The number of points.
    pub fn points(&self) -> usize {
        self.points.len()
    }

    /// The number of points that are simulated (points identical to an
    /// earlier one reuse its result).
    pub fn points_to_run(&self) -> usize {
        self.points
            .iter()
            .enumerate()
            .filter(|(k, p)| p.same_as == *k)
            .count()
    }

    /// The axes, in `--vary` order.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// The output's name.
    pub fn output(&self) -> &str {
        self.output.name()
    }

    /// Runs every point with `config` (the same seed and paths for all).
    ///
    /// # Errors
    /// [`SweepError::Engine`] when the engine refuses the configuration;
    /// [`SweepError::Scenario`] if a scenario file changed since planning.
    pub fn run(&self, config: &RunConfig) -> Result<SweepResult, SweepError> {
        self.run_with_control(config, Control::NONE)
    }

    /// [`SweepPlan::run`], reporting to `control` as chunks of paths
    /// finish, over all points (a total of
    /// [`points_to_run`](SweepPlan::points_to_run) × the paths), and
    /// stopping when it asks.
    ///
    /// # Errors
    /// As [`SweepPlan::run`], and
    /// [`EngineError::Interrupted`] (as
    /// [`SweepError::Engine`]) when stopped.
    pub fn run_with_control(
        &self,
        config: &RunConfig,
        control: Control<'_>,
    ) -> Result<SweepResult, SweepError> {
        let mut results: Vec<PointResult> = Vec::with_capacity(self.points.len());
        for (k, point) in self.points.iter().enumerate() {
            let result = if point.same_as < k {
                PointResult {
                    values: point.values.clone(),
                    sets: point.sets.clone(),
                    varies: point.varies,
                    ..results[point.same_as].clone()
                }
            } else {
                let scenario = self.scenario(k)?;
                let summary = simulate_with_control(&scenario, config, control)?;
                self.point_result(point, &summary)
            };
            results.push(result);
        }
        Ok(self.result(config, results))
    }

    fn point_result(&self, point: &PlannedPoint, summary: &Summary) -> PointResult {
        PointResult {
            values: point.values.clone(),
            sets: point.sets.clone(),
            varies: point.varies,
            output: self.output.read(summary),
            farms: self
                .farms
                .iter()
                .map(|f| FarmHeadline::read(summary, f))
                .collect(),
        }
    }

    fn result(&self, config: &RunConfig, points: Vec<PointResult>) -> SweepResult {
        let lines: Vec<Line> = (0..self.axes.len())
            .map(|i| self.line(i, &points))
            .collect();
        let base = points[self.base_point].output;
        let mut tornado: Vec<TornadoBar> = lines
            .iter()
            .zip(&self.axes)
            .map(|(line, axis)| TornadoBar::of(axis, line, base))
            .collect();
        // Largest swing first; undefined swings last; ties in --vary order
        // (the sort is stable).
        tornado.sort_by(|a, b| b.swing.abs().total_cmp(&a.swing.abs()));
        tornado.sort_by_key(|bar| bar.swing.is_nan());
        SweepResult {
            scenario: self.path.display().to_string(),
            sets: self.sets.iter().map(|o| o.text.clone()).collect(),
            mode: self.mode,
            seed: config.seed,
            paths: config.paths,
            output: self.output.name().to_string(),
            axes: self.axes.clone(),
            farms: self.farms.clone(),
            base_point: self.base_point,
            points,
            tornado,
            lines,
        }
    }

    /// The output against axis `i`: one at a time its own points; in a
    /// grid the points with every other axis at its value closest to the
    /// scenario's.
    fn line(&self, i: usize, points: &[PointResult]) -> Line {
        let axis = &self.axes[i];
        let on_line = |p: &PointResult| match self.mode {
            Mode::OneAtATime => p.varies == Some(i),
            Mode::Grid => self
                .axes
                .iter()
                .enumerate()
                .all(|(j, a)| j == i || p.values[j] == a.values[a.closest_to_base()]),
        };
        let line_points = points
            .iter()
            .enumerate()
            .filter(|(_, p)| on_line(p))
            .map(|(k, p)| LinePoint {
                x: p.values[i],
                point: k,
                output: p.output,
            })
            .collect();
        Line {
            field: axis.path.clone(),
            points: line_points,
        }
    }
}

/// The headline measures of one farm at one point, each with its error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FarmHeadline {
    /// Farm name.
    pub farm: String,
    /// Mean operating margin over the run, USD.
    pub margin_usd_mean: Estimate,
    /// Mean NPV, USD.
    pub npv_usd_mean: Estimate,
    /// Median NPV, USD.
    pub npv_usd_p50: Estimate,
    /// Median cash cost per BTC, USD/BTC.
    pub cash_cost_per_btc_usd_p50: Estimate,
    /// Median all-in cost per BTC, USD/BTC.
    pub all_in_cost_per_btc_usd_p50: Estimate,
    /// Median breakeven hashprice, USD per PH/s per day.
    pub breakeven_hashprice_usd_per_ph_day_p50: Estimate,
    /// P(insolvency) over the horizon.
    pub insolvency_probability: Estimate,
    /// Whether the farm has a balance sheet (`[farms.finance]`): without
    /// one it cannot fail, and its P(insolvency) is 0 by construction.
    pub balance_sheet: bool,
}

impl FarmHeadline {
    /// The names of the measures, in the order of [`FarmHeadline::estimates`].
    pub const NAMES: [&'static str; 7] = [
        "margin_usd.mean",
        "npv_usd.mean",
        "npv_usd.p50",
        "cash_cost_per_btc_usd.p50",
        "all_in_cost_per_btc_usd.p50",
        "breakeven_hashprice_usd_per_ph_day.p50",
        "insolvency_probability",
    ];

    /// The farm `farm`'s headline in `summary` (every estimate
    /// [`Estimate::NONE`] if the summary has no such farm).
    pub fn read(summary: &Summary, farm: &str) -> FarmHeadline {
        let none = || FarmHeadline {
            farm: farm.to_string(),
            margin_usd_mean: Estimate::NONE,
            npv_usd_mean: Estimate::NONE,
            npv_usd_p50: Estimate::NONE,
            cash_cost_per_btc_usd_p50: Estimate::NONE,
            all_in_cost_per_btc_usd_p50: Estimate::NONE,
            breakeven_hashprice_usd_per_ph_day_p50: Estimate::NONE,
            insolvency_probability: Estimate::NONE,
            balance_sheet: false,
        };
        let Some(f) = summary.farm(farm) else {
            return none();
        };
        FarmHeadline {
            farm: farm.to_string(),
            margin_usd_mean: Estimate::mean(f.measure(FarmMeasure::Margin)),
            npv_usd_mean: Estimate::mean(f.measure(FarmMeasure::Npv)),
            npv_usd_p50: Estimate::quantile(f.measure(FarmMeasure::Npv), 0.5),
            cash_cost_per_btc_usd_p50: Estimate::quantile(
                f.measure(FarmMeasure::CashCostPerBtc),
                0.5,
            ),
            all_in_cost_per_btc_usd_p50: Estimate::quantile(
                f.measure(FarmMeasure::AllInCostPerBtc),
                0.5,
            ),
            breakeven_hashprice_usd_per_ph_day_p50: Estimate::quantile(
                f.measure(FarmMeasure::BreakevenHashprice),
                0.5,
            ),
            // No figure for a farm that cannot fail (not 0).
            insolvency_probability: if summary.can_fail(farm) {
                Estimate::probability(
                    f.measure(FarmMeasure::InsolvencyDay).count(),
                    summary.paths_done,
                )
            } else {
                Estimate::NONE
            },
            balance_sheet: summary.can_fail(farm),
        }
    }

    /// The estimates, in the order of [`FarmHeadline::NAMES`].
    pub fn estimates(&self) -> [Estimate; 7] {
        [
            self.margin_usd_mean,
            self.npv_usd_mean,
            self.npv_usd_p50,
            self.cash_cost_per_btc_usd_p50,
            self.all_in_cost_per_btc_usd_p50,
            self.breakeven_hashprice_usd_per_ph_day_p50,
            self.insolvency_probability,
        ]
    }
}

/// One point of a sweep and what it gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointResult {
    /// The value of every axis at this point (in [`SweepResult::axes`]
    /// order; one at a time, the axes not varied hold the scenario's
    /// values).
    pub values: Vec<f64>,
    /// The `--set PATH=VALUE` overrides that give this point: `hashwatt run`
    /// with them (after the sweep's own `--set`) gives the same numbers.
    pub sets: Vec<String>,
    /// One at a time, the index of the axis this point varies (`None` for
    /// the base point); `None` in a grid.
    pub varies: Option<usize>,
    /// The chosen output.
    pub output: Estimate,
    /// Every farm's headline measures, in scenario order.
    pub farms: Vec<FarmHeadline>,
}

/// One field's bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoBar {
    /// The field's path.
    pub field: String,
    /// The field's `LO`.
    pub lo_value: f64,
    /// The field's `HI`.
    pub hi_value: f64,
    /// The output with the field at `LO`.
    pub at_lo: Estimate,
    /// The output with the field at `HI`.
    pub at_hi: Estimate,
    /// The output at the base point.
    pub base: Estimate,
    /// `at_hi − at_lo`.
    pub swing: f64,
    /// The swing's error, `√(se_LO² + se_HI²)` (conservative under common
    /// random numbers).
    pub swing_stderr: f64,
}

impl TornadoBar {
    fn of(axis: &Axis, line: &Line, base: Estimate) -> TornadoBar {
        let at = |x: f64| {
            line.points
                .iter()
                .find(|p| p.x == x)
                .map_or(Estimate::NONE, |p| p.output)
        };
        let (at_lo, at_hi) = (at(axis.lo), at(axis.hi));
        TornadoBar {
            field: axis.path.clone(),
            lo_value: axis.lo,
            hi_value: axis.hi,
            at_lo,
            at_hi,
            base,
            swing: at_hi.value - at_lo.value,
            swing_stderr: at_lo.stderr.hypot(at_hi.stderr),
        }
    }
}

/// The output against one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The field's path.
    pub field: String,
    /// The points, by increasing value of the field.
    pub points: Vec<LinePoint>,
}

/// One point of a [`Line`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LinePoint {
    /// The field's value.
    pub x: f64,
    /// The output there, with its error band (`lo..hi`).
    pub output: Estimate,
    /// Index of the point in [`SweepResult::points`].
    pub point: usize,
}

/// Everything a sweep measured: what a table, a tornado chart and the
/// line charts need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepResult {
    /// The scenario file.
    pub scenario: String,
    /// The `--set` overrides every point has, as given.
    pub sets: Vec<String>,
    /// How the axes combine.
    pub mode: Mode,
    /// The seed of every point.
    pub seed: u64,
    /// The paths of every point.
    pub paths: u64,
    /// The chosen output's name.
    pub output: String,
    /// The axes, in `--vary` order.
    pub axes: Vec<Axis>,
    /// The farms, in scenario order (as in [`PointResult::farms`]).
    pub farms: Vec<String>,
    /// Index in `points` of the base point: the scenario itself one at a
    /// time, the grid point closest to it in a grid.
    pub base_point: usize,
    /// Every point, in run order (a grid's last axis fastest; one at a
    /// time the base point, then each axis' values).
    pub points: Vec<PointResult>,
    /// One bar per axis, by decreasing |swing| (undefined swings last).
    pub tornado: Vec<TornadoBar>,
    /// The output against each axis, in `--vary` order.
    pub lines: Vec<Line>,
}
