//! `compare.json`: the paired differences of a [`Comparison`], and the
//! directory a comparison is written to.
//!
//! Like `summary.json`, it holds what the scenarios, seed, path count and
//! version determine and nothing else: keys in a fixed order, numbers in
//! their shortest round-trip form, undefined values (NaN, ±∞) as `null`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::compare_html::render_compare;
use super::json::Ordered;
use super::{OutputDir, ReportError, Tables, summary_json};
use crate::engine::{Comparison, PairedComparison, PairedMeasure};
use crate::stats::{Better, PairedStatistics};

/// The file a comparison's paired differences go to.
pub const COMPARE_FILE: &str = "compare.json";

#[derive(Serialize)]
struct CompareJson<'a> {
    version: &'a str,
    seed: u64,
    paths: u64,
    scenarios: Vec<ScenarioJson<'a>>,
    common_horizon: HorizonJson<'a>,
    notes: &'a [String],
    comparisons: Vec<PairJson<'a>>,
}

#[derive(Serialize)]
struct ScenarioJson<'a> {
    name: &'a str,
    file: &'a str,
    summary: String,
    paths: u64,
    seed: u64,
    start_date: &'a str,
    step_days: u32,
    steps: usize,
    farms: Vec<FarmJson<'a>>,
}

/// A farm of one scenario, and whether it can fail.
#[derive(Serialize)]
struct FarmJson<'a> {
    name: &'a str,
    /// It has a balance sheet (`[farms.finance]`): it can fail.
    balance_sheet: bool,
}

/// The steps all scenarios share (on the same dates), and those of them
/// at which series are compared (every k-th and the last, at most
/// [`MAX_SERIES_DATES`](crate::engine::MAX_SERIES_DATES)).
#[derive(Serialize)]
struct HorizonJson<'a> {
    steps: usize,
    first_date: Option<&'a str>,
    last_date: Option<&'a str>,
    compared_steps: &'a [usize],
    t_days: &'a [u32],
    dates: &'a [String],
}

#[derive(Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    farms: Ordered<Ordered<MeasureJson>>,
    series: Ordered<SeriesJson>,
}

/// One farm measure, B − A on the paired paths.
#[derive(Serialize)]
struct MeasureJson {
    /// Paths where both scenarios define the measure.
    paths_defined: u64,
    better: &'static str,
    mean: f64,
    stderr: f64,
    std: f64,
    p5: f64,
    p50: f64,
    p95: f64,
    p_better: f64,
    p_tied: f64,
    variance_reduction: f64,
    /// The standard error the difference would have with independent seeds.
    unpaired_stderr: f64,
    correlation: f64,
    a_mean: f64,
    b_mean: f64,
}

impl MeasureJson {
    fn of(s: &PairedStatistics, better: Better) -> Self {
        let d = &s.difference;
        let [p5, _, p50, _, p95] = d.quantiles;
        let n = s.paths as f64;
        MeasureJson {
            paths_defined: s.paths,
            better: match better {
                Better::Higher => "higher",
                Better::Lower => "lower",
                Better::Neither => "neither",
            },
            mean: d.mean,
            stderr: d.stderr,
            std: d.std,
            p5,
            p50,
            p95,
            p_better: s.p_better,
            p_tied: s.p_tied,
            variance_reduction: s.variance_reduction,
            unpaired_stderr: ((s.a.std * s.a.std + s.b.std * s.b.std) / n).sqrt(),
            correlation: s.correlation,
            a_mean: s.a.mean,
            b_mean: s.b.mean,
        }
    }
}

/// A series' per-step difference B − A, as parallel arrays over the
/// common steps.
#[derive(Serialize, Default)]
struct SeriesJson {
    mean: Vec<f64>,
    stderr: Vec<f64>,
    p5: Vec<f64>,
    p25: Vec<f64>,
    p50: Vec<f64>,
    p75: Vec<f64>,
    p95: Vec<f64>,
}

/// The name of scenario `k`'s own result folder inside a comparison's.
pub fn scenario_folder(comparison: &Comparison, k: usize) -> String {
    let name = comparison.scenarios.get(k).map_or("", |s| s.name.as_str());
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("scenarios/{}-{safe}", k + 1)
}

fn pair_json<'a>(comparison: &'a Comparison, pair: &'a PairedComparison) -> PairJson<'a> {
    let farms = pair
        .farms
        .iter()
        .map(|f| {
            let measures = PairedMeasure::ALL
                .iter()
                .zip(&f.measures)
                .map(|(measure, m)| {
                    let better = measure.better();
                    (
                        measure.name().to_string(),
                        MeasureJson::of(&m.statistics(better), better),
                    )
                })
                .collect();
            (f.name.clone(), Ordered(measures))
        })
        .collect();
    let series = pair
        .series
        .par_iter()
        .map(|s| {
            let mut out = SeriesJson::default();
            for d in &s.steps {
                let st = d.statistics();
                out.mean.push(st.mean);
                out.stderr.push(st.stderr);
                out.p5.push(st.quantiles[0]);
                out.p25.push(st.quantiles[1]);
                out.p50.push(st.quantiles[2]);
                out.p75.push(st.quantiles[3]);
                out.p95.push(st.quantiles[4]);
            }
            (s.name.clone(), out)
        })
        .collect();
    PairJson {
        a: &comparison.scenarios[0].name,
        b: &comparison.scenarios[pair.scenario].name,
        farms: Ordered(farms),
        series: Ordered(series),
    }
}

/// The text of `compare.json` for `comparison`, whose scenarios were read
/// from `files` (as the user named them; in the scenarios' order).
pub fn compare_json(comparison: &Comparison, files: &[String]) -> String {
    let version = comparison
        .summaries
        .first()
        .map_or(env!("CARGO_PKG_VERSION"), |s| s.identity.version.as_str());
    let scenarios = comparison
        .scenarios
        .iter()
        .enumerate()
        .map(|(k, s)| ScenarioJson {
            name: &s.name,
            file: files.get(k).map_or("", String::as_str),
            summary: format!("{}/summary.json", scenario_folder(comparison, k)),
            paths: comparison.paths,
            seed: comparison.seed,
            start_date: &s.start_date,
            step_days: s.step_days,
            steps: s.steps,
            farms: comparison
                .summaries
                .get(k)
                .map_or_else(Vec::new, |summary| {
                    summary
                        .farms
                        .iter()
                        .map(|f| FarmJson {
                            name: f.name(),
                            balance_sheet: summary.can_fail(f.name()),
                        })
                        .collect()
                }),
        })
        .collect();
    let json = CompareJson {
        version,
        seed: comparison.seed,
        paths: comparison.paths,
        scenarios,
        common_horizon: HorizonJson {
            steps: comparison.common_steps,
            compared_steps: &comparison.steps,
            first_date: comparison.dates.first().map(String::as_str),
            last_date: comparison.dates.last().map(String::as_str),
            t_days: &comparison.t_days,
            dates: &comparison.dates,
        },
        notes: &comparison.notes,
        comparisons: comparison
            .pairs
            .iter()
            .map(|p| pair_json(comparison, p))
            .collect(),
    };
    // Plain structs of numbers and strings: serialising cannot fail, and
    // serde_json writes non-finite numbers as null.
    let mut text = serde_json::to_string(&json).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `comparison` into `dir`, atomically: `compare.json`, its page
/// (`report.html` and `charts/`, drawn from that `compare.json`:
/// [`render_compare`]), each scenario's own `summary.json` (in
/// [`scenario_folder`]) and `run.json` (the run's metadata, given).
/// Returns the staging directories of interrupted earlier runs that were
/// removed on the way.
///
/// # Errors
/// [`ReportError::Output`] when the directory cannot be written or already
/// holds something that is not a hashwatt result; [`ReportError::Chart`]
/// when a chart cannot be drawn. Nothing is written then.
pub fn write_comparison(
    dir: &Path,
    comparison: &Comparison,
    files: &[String],
    run_json: &str,
) -> Result<Vec<PathBuf>, ReportError> {
    let (summaries, (json, page)) = rayon::join(
        || {
            comparison
                .summaries
                .par_iter()
                .map(|s| summary_json(s, &Tables::of(s)))
                .collect::<Vec<String>>()
        },
        || {
            let json = compare_json(comparison, files);
            let page = render_compare(&json, COMPARE_FILE);
            (json, page)
        },
    );
    let page = page?;
    let mut out = OutputDir::stage(dir)?;
    out.write("run.json", run_json.as_bytes())?;
    for (k, text) in summaries.iter().enumerate() {
        let name = format!("{}/summary.json", scenario_folder(comparison, k));
        out.write(&name, text.as_bytes())?;
    }
    out.write(COMPARE_FILE, json.as_bytes())?;
    for (name, bytes) in page.files() {
        out.write(&name, bytes)?;
    }
    let removed = out.removed_leftovers().to_vec();
    out.commit()?;
    Ok(removed)
}
