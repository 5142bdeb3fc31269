//! The page of a comparison (`report.html` beside `compare.json`): what
//! was compared and what the scenarios do not share, per shared farm the
//! table of paired differences B − A (each side's mean, the difference
//! with its standard error and the 90 % interval of the per-path
//! difference, P(B better), the variance reduction of pairing), interval
//! charts of the key measures and fan charts of the paired differences
//! over time of a bounded set of shared series.
//!
//! The page is drawn from the text of `compare.json` alone, so that
//! `hashwatt compare` and `hashwatt report` on its folder write the same
//! page.

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Deserialize;

use super::ReportError;
use super::charts::{
    self, BandLine, BandPoint, ChartError, FanChart, FanPoint, FanSeries, IntervalChart,
    IntervalRow, LineChart, XAxis, YTicks,
};
use super::figures::slug;
use super::format::{Calendar, compact, percent, thousands};
use super::json::{Ordered, nan_if_null, nans_if_null};
use super::page::{self, Report, escape};
use crate::engine::PairedMeasure;
use crate::stats::FarmMeasure;

/// `compare.json` as the page reads it.
#[derive(Deserialize)]
struct View {
    version: String,
    seed: u64,
    paths: u64,
    scenarios: Vec<ScenarioView>,
    common_horizon: Horizon,
    notes: Vec<String>,
    comparisons: Vec<Pair>,
}

#[derive(Deserialize)]
struct ScenarioView {
    name: String,
    file: String,
    summary: String,
    start_date: String,
    step_days: u32,
    steps: usize,
    /// Absent in files of earlier versions: every farm may then fail.
    #[serde(default)]
    farms: Vec<FarmFlag>,
}

#[derive(Deserialize)]
struct FarmFlag {
    name: String,
    balance_sheet: bool,
}

impl ScenarioView {
    /// Whether the farm `name` can fail in this scenario.
    fn can_fail(&self, name: &str) -> bool {
        self.farms
            .iter()
            .find(|f| f.name == name)
            .is_none_or(|f| f.balance_sheet)
    }
}

#[derive(Deserialize)]
struct Horizon {
    steps: usize,
    first_date: Option<String>,
    last_date: Option<String>,
    t_days: Vec<u32>,
    dates: Vec<String>,
}

#[derive(Deserialize)]
struct Pair {
    a: String,
    b: String,
    farms: Ordered<Ordered<Measure>>,
    series: Ordered<Series>,
}

#[derive(Deserialize, Clone, Copy)]
struct Measure {
    paths_defined: u64,
    #[serde(deserialize_with = "nan_if_null")]
    mean: f64,
    #[serde(deserialize_with = "nan_if_null")]
    stderr: f64,
    #[serde(deserialize_with = "nan_if_null")]
    std: f64,
    #[serde(deserialize_with = "nan_if_null")]
    p5: f64,
    #[serde(deserialize_with = "nan_if_null")]
    p95: f64,
    #[serde(deserialize_with = "nan_if_null")]
    p_better: f64,
    #[serde(deserialize_with = "nan_if_null")]
    variance_reduction: f64,
    #[serde(deserialize_with = "nan_if_null")]
    unpaired_stderr: f64,
    #[serde(deserialize_with = "nan_if_null")]
    a_mean: f64,
    #[serde(deserialize_with = "nan_if_null")]
    b_mean: f64,
}

impl Measure {
    /// Zero in both scenarios on every paired path (a hedge neither has).
    fn unused(&self) -> bool {
        self.a_mean == 0.0 && self.b_mean == 0.0 && self.std == 0.0 && self.mean == 0.0
    }
}

#[derive(Deserialize)]
struct Series {
    #[serde(deserialize_with = "nans_if_null")]
    mean: Vec<f64>,
    #[serde(deserialize_with = "nans_if_null")]
    stderr: Vec<f64>,
    #[serde(deserialize_with = "nans_if_null")]
    p5: Vec<f64>,
    /// Absent in files of earlier versions (then the median stands in).
    #[serde(default, deserialize_with = "nans_if_null")]
    p25: Vec<f64>,
    #[serde(deserialize_with = "nans_if_null")]
    p50: Vec<f64>,
    #[serde(default, deserialize_with = "nans_if_null")]
    p75: Vec<f64>,
    #[serde(deserialize_with = "nans_if_null")]
    p95: Vec<f64>,
}

impl Series {
    /// Every quantile of B − A (p5 to p95) is 0 at every date: B and A
    /// differ on at most 10 % of paths.
    fn quantiles_zero(&self) -> bool {
        [&self.p5, &self.p25, &self.p50, &self.p75, &self.p95]
            .iter()
            .all(|v| v.iter().all(|&x| x == 0.0))
    }

    /// B − A is exactly 0 on every path at every date.
    fn all_zero(&self) -> bool {
        // A zero mean with no spread: every difference is 0.
        let flat = self.stderr.iter().all(|&s| s == 0.0 || s.is_nan());
        flat && self.quantiles_zero() && self.mean.iter().all(|&x| x == 0.0)
    }
}

/// The measures of the interval charts, one chart each.
const KEY_MEASURES: [PairedMeasure; 4] = [
    PairedMeasure::Farm(FarmMeasure::Margin),
    PairedMeasure::Farm(FarmMeasure::Npv),
    PairedMeasure::Farm(FarmMeasure::CashCostPerBtc),
    PairedMeasure::InsolvencyProbability,
];

/// Most farms and regions whose series get a chart, per comparison: the
/// page stays readable (and small) for scenarios with many of them.
const MAX_CHARTED: usize = 6;

/// Renders the page of the comparison whose `compare.json` text is `json`
/// (`source` names the file in errors).
///
/// # Errors
/// [`ReportError::Result`] when `json` is not a `compare.json`;
/// [`ReportError::Chart`] when a chart cannot be drawn.
pub fn render_compare(json: &str, source: &str) -> Result<Report, ReportError> {
    let view: View = serde_json::from_str(json).map_err(|e| ReportError::Result {
        path: source.to_string(),
        message: e.to_string(),
    })?;
    if view.scenarios.len() < 2 || view.comparisons.len() + 1 != view.scenarios.len() {
        return Err(ReportError::Result {
            path: source.to_string(),
            message: "not a comparison of two or more scenarios".into(),
        });
    }
    let mut specs: Vec<Spec> = Vec::new();
    interval_specs(&view, &mut specs);
    for (i, pair) in view.comparisons.iter().enumerate() {
        series_specs(&view, i, pair, &mut specs);
    }
    let drawn: Vec<Result<String, ChartError>> = specs.par_iter().map(Spec::draw).collect();
    let mut svgs = Vec::with_capacity(drawn.len());
    for svg in drawn {
        svgs.push(svg?);
    }
    let mut html = String::with_capacity(svgs.iter().map(String::len).sum::<usize>() + 32 * 1024);
    let figure = |html: &mut String, k: usize| {
        page::figure(html, &specs[k].name, &specs[k].caption, &svgs[k]);
    };
    head(&mut html, &view);
    compared(&mut html, &view);
    html.push_str(
        "<section id=\"farms\"><h2>Per farm: B − A on the same paths</h2>\
         <p>Each measure is taken on every path in both scenarios and differenced path by \
         path. <b>B − A</b> is the mean of those differences <b>± 1 standard error</b> (its \
         Monte Carlo error); the 90 % interval is that of the per-path differences (p5 to p95), \
         the spread of the effect across paths, not an error. <b>P(B better)</b> counts the \
         paths where B does better than A (ties count half); <b>variance reduction</b> is how \
         many times smaller the variance of the difference is than with independent seeds, \
         what common random numbers bought. A and B are each scenario's mean on the paths \
         where both define the measure.</p>",
    );
    for (i, pair) in view.comparisons.iter().enumerate() {
        farm_tables(&mut html, &view, i, pair);
    }
    let intervals: Vec<usize> = (0..specs.len())
        .filter(|&k| specs[k].section == Place::Intervals)
        .collect();
    if !intervals.is_empty() {
        html.push_str(
            "<h3>Key differences with their error bars</h3><p>Dot: the mean difference B − A; \
             bar: ± 2 standard errors. A bar that crosses the zero line is a difference these \
             paths cannot tell from none.</p>",
        );
        for k in intervals {
            figure(&mut html, k);
        }
    }
    html.push_str("</section>\n");
    html.push_str(
        "<section id=\"time\"><h2>Over time: B − A of the shared series</h2><p>At each date, \
         the series' value in B minus its value in A on the same path; the fan is the spread \
         of those differences across paths. The zero line is \"no difference\".</p>",
    );
    for (i, pair) in view.comparisons.iter().enumerate() {
        if view.comparisons.len() > 1 {
            let _ = write!(
                html,
                "<h3>B = {} against A = {}</h3>",
                escape(&pair.b),
                escape(&pair.a)
            );
        }
        let mine: Vec<usize> = (0..specs.len())
            .filter(|&k| specs[k].section == Place::Series(i))
            .collect();
        if view.common_horizon.steps == 0 || pair.series.0.is_empty() {
            html.push_str("<p>No series is compared: see the notes above.</p>");
        }
        for k in mine {
            figure(&mut html, k);
        }
        let zero: Vec<String> = charted(pair)
            .into_iter()
            .filter(|(_, s)| s.all_zero())
            .map(|(name, _)| format!("<code>{}</code>", escape(name)))
            .collect();
        if !zero.is_empty() {
            let _ = write!(
                html,
                "<p>B − A is exactly 0 on every path at every date, so not drawn: {}. What \
                 differs between the scenarios does not reach these series.</p>",
                zero.join(", ")
            );
        }
    }
    html.push_str("</section>\n");
    page::close(&mut html);
    let charts = specs.into_iter().map(|s| s.name).zip(svgs).collect();
    Ok(Report { html, charts })
}

/// Where a chart goes on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// With the farm tables.
    Intervals,
    /// With the series of comparison `i`.
    Series(usize),
}

/// A chart before it is drawn.
struct Spec {
    name: String,
    section: Place,
    caption: String,
    chart: Chart,
}

enum Chart {
    Intervals(IntervalChart),
    Fan(FanChart),
    Line(LineChart),
}

impl Spec {
    fn draw(&self) -> Result<String, ChartError> {
        match &self.chart {
            Chart::Intervals(c) => charts::interval_chart(c),
            Chart::Fan(c) => charts::fan_chart(c),
            Chart::Line(c) => charts::line_chart(c),
        }
    }
}

fn head(html: &mut String, view: &View) {
    let names: Vec<&str> = view.scenarios.iter().map(|s| s.name.as_str()).collect();
    let lede = format!(
        "{} Monte Carlo paths per scenario on common random numbers (seed {}, hashwatt {}): \
         every scenario ran the same draws, so B − A is the effect of what the scenarios \
         change, path by path, not of luck. \"± x\" is 1 standard error of the estimate (the \
         Monte Carlo error), which shrinks with more paths.",
        thousands(view.paths),
        view.seed,
        escape(&view.version)
    );
    page::open(
        html,
        &format!("hashwatt comparison: {}", names.join(" / ")),
        &lede,
        &[
            ("compared", "What was compared"),
            ("farms", "Per farm"),
            ("time", "Over time"),
        ],
    );
}

fn compared(html: &mut String, view: &View) {
    html.push_str(
        "<section id=\"compared\"><h2>What was compared</h2><table><thead><tr><th></th>\
         <th>scenario</th><th>file</th><th>start</th><th>steps</th><th>its own summary</th>\
         </tr></thead><tbody>",
    );
    for (k, s) in view.scenarios.iter().enumerate() {
        let role = if k == 0 {
            "A (baseline)".to_string()
        } else if view.scenarios.len() == 2 {
            "B".to_string()
        } else {
            format!("B{k}")
        };
        let _ = write!(
            html,
            "<tr><td>{role}</td><td>{}</td><td><code>{}</code></td><td>{}</td>\
             <td class=\"num\">{} of {} day{}</td><td><code>{}</code></td></tr>",
            escape(&s.name),
            escape(&s.file),
            escape(&s.start_date),
            thousands(s.steps as u64),
            s.step_days,
            if s.step_days == 1 { "" } else { "s" },
            escape(&s.summary),
        );
    }
    let h = &view.common_horizon;
    let horizon = match (&h.first_date, &h.last_date) {
        (Some(first), Some(last)) if h.steps > 0 => format!(
            "{} steps on the same dates, {} to {}; series are compared at {} of them{}.",
            thousands(h.steps as u64),
            escape(first),
            escape(last),
            thousands(h.dates.len() as u64),
            if h.dates.len() < h.steps {
                " (evenly spaced, and the last)"
            } else {
                " (every step)"
            }
        ),
        _ => "none: the scenarios do not share a calendar, so only farms are compared.".to_string(),
    };
    let _ = write!(
        html,
        "</tbody></table><p>Seed {}, {} paths in every scenario. Common horizon: {horizon}</p>",
        view.seed,
        thousands(view.paths)
    );
    if view.notes.is_empty() {
        html.push_str(
            "<p>What the scenarios do not share: nothing. They have the same farms, series \
             and horizon.</p>",
        );
    } else {
        html.push_str("<p>What the scenarios do not share:</p><ul class=\"words\">");
        for note in &view.notes {
            let _ = write!(html, "<li>{}</li>", escape(note));
        }
        html.push_str("</ul>");
    }
    html.push_str("</section>\n");
}

/// The scenario B of comparison `i`.
fn scenario_b(view: &View, i: usize) -> &ScenarioView {
    &view.scenarios[(i + 1).min(view.scenarios.len() - 1)]
}

/// Whether the farm can fail in A, in B.
fn can_fail(view: &View, i: usize, farm: &str) -> (bool, bool) {
    (
        view.scenarios[0].can_fail(farm),
        scenario_b(view, i).can_fail(farm),
    )
}

/// A value as the table writes it.
fn value(x: f64, share: bool) -> String {
    if share && x.is_finite() {
        percent(x)
    } else {
        compact(x)
    }
}

/// A difference as the table writes it: points for shares.
fn difference(x: f64, share: bool) -> String {
    if share && x.is_finite() {
        format!("{} pp", compact(100.0 * x))
    } else {
        compact(x)
    }
}

fn farm_tables(html: &mut String, view: &View, i: usize, pair: &Pair) {
    let several = view.comparisons.len() > 1;
    if pair.farms.0.is_empty() {
        let _ = write!(
            html,
            "<p>{} and {} share no farm: there is nothing to compare per farm.</p>",
            escape(&pair.a),
            escape(&pair.b)
        );
    }
    for (farm, measures) in &pair.farms.0 {
        let (fail_a, fail_b) = can_fail(view, i, farm);
        let title = if several {
            format!("{} (B = {})", escape(farm), escape(&pair.b))
        } else {
            escape(farm)
        };
        let _ = write!(html, "<h3>{title}</h3>");
        let risk = match (fail_a, fail_b) {
            (false, false) => Some(
                "P(insolvency): cannot fail: the farm has no balance sheet ([farms.finance]) \
                 in either scenario, so its failure is not compared."
                    .to_string(),
            ),
            (true, false) => Some(format!(
                "Only in {} does the farm have a balance sheet: in {} it cannot fail, so the \
                 difference in P(insolvency) is {}'s own risk.",
                pair.a, pair.b, pair.a
            )),
            (false, true) => Some(format!(
                "Only in {} does the farm have a balance sheet: in {} it cannot fail, so the \
                 difference in P(insolvency) is {}'s own risk.",
                pair.b, pair.a, pair.b
            )),
            (true, true) => None,
        };
        if let Some(risk) = risk {
            let _ = write!(html, "<p class=\"risk\">{}</p>", escape(&risk));
        }
        // The scenarios' names when they tell A from B, else just A and B.
        let (a, b) = if pair.a == pair.b {
            ("A".to_string(), "B".to_string())
        } else {
            (
                format!("A: {}", escape(&pair.a)),
                format!("B: {}", escape(&pair.b)),
            )
        };
        let _ = write!(
            html,
            "<div class=\"wide\"><table><thead><tr><th>measure</th><th class=\"num\">{a}</th>\
             <th class=\"num\">{b}</th><th class=\"num\">B − A ± 1 standard error</th>\
             <th class=\"num\">90 % of paths: B − A from p5 to p95</th>\
             <th class=\"num\">P(B better)</th><th class=\"num\">variance reduction</th>\
             <th class=\"num\">paths</th></tr></thead><tbody>"
        );
        let mut unused = Vec::new();
        for measure in PairedMeasure::ALL {
            let Some(m) = measures
                .0
                .iter()
                .find(|(k, _)| k == measure.name())
                .map(|(_, m)| m)
            else {
                continue;
            };
            if measure.needs_balance_sheet() && !(fail_a || fail_b) {
                continue;
            }
            if m.paths_defined == 0 {
                unused.push(format!("{} (defined on no path)", measure.label()));
                continue;
            }
            if m.unused() {
                unused.push(measure.label().to_string());
                continue;
            }
            let s = measure.is_share();
            let diff = if m.stderr.is_finite() {
                format!("{} ± {}", difference(m.mean, s), difference(m.stderr, s))
            } else {
                difference(m.mean, s)
            };
            let _ = write!(
                html,
                "<tr><td class=\"what\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{} to {}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(measure.label()),
                value(m.a_mean, s),
                value(m.b_mean, s),
                escape(&diff),
                difference(m.p5, s),
                difference(m.p95, s),
                if m.p_better.is_finite() {
                    percent(m.p_better)
                } else {
                    "–".to_string()
                },
                reduction(m),
                thousands(m.paths_defined),
            );
        }
        html.push_str("</tbody></table></div>");
        if !unused.is_empty() {
            let _ = write!(
                html,
                "<p class=\"note\">Zero in both scenarios on every path, or undefined, so not \
                 listed: {}.</p>",
                escape(&unused.join("; "))
            );
        }
    }
}

/// The variance reduction as written: `12×`, `∞` when pairing left no
/// noise at all, `–` when undefined.
fn reduction(m: &Measure) -> String {
    let r = m.variance_reduction;
    if r.is_finite() {
        format!("{}×", compact(r))
    } else if m.stderr == 0.0 && m.unpaired_stderr > 0.0 {
        // compare.json writes +∞ as null: no spread left in the difference.
        "∞ (no noise left)".to_string()
    } else {
        "–".to_string()
    }
}

/// One interval chart per key measure, a row per comparison and farm.
fn interval_specs(view: &View, out: &mut Vec<Spec>) {
    let several = view.comparisons.len() > 1;
    for measure in KEY_MEASURES {
        let scale = if measure.is_share() { 100.0 } else { 1.0 };
        let mut rows = Vec::new();
        for (i, pair) in view.comparisons.iter().enumerate() {
            for (farm, measures) in &pair.farms.0 {
                let (fail_a, fail_b) = can_fail(view, i, farm);
                if measure.needs_balance_sheet() && !(fail_a || fail_b) {
                    continue;
                }
                let Some((_, m)) = measures.0.iter().find(|(k, _)| k == measure.name()) else {
                    continue;
                };
                if m.paths_defined == 0 || m.unused() {
                    continue;
                }
                let (d, se) = (m.mean * scale, m.stderr * scale);
                let unit = if measure.is_share() { " pp" } else { "" };
                rows.push(IntervalRow {
                    label: if several {
                        format!("{farm} (B = {})", pair.b)
                    } else {
                        farm.clone()
                    },
                    value: d,
                    lo: d - 2.0 * se,
                    hi: d + 2.0 * se,
                    text: format!("{}{unit} ± {}{unit}", compact(d), compact(se)),
                });
            }
        }
        if rows.is_empty() {
            continue;
        }
        let (title, unit) = match measure.label().rsplit_once(", ") {
            Some((what, unit)) => (what.to_string(), unit.to_string()),
            None => (measure.label().to_string(), "percentage points".to_string()),
        };
        out.push(Spec {
            name: format!("difference-{}", slug(measure.name())),
            section: Place::Intervals,
            caption: format!(
                "B − A of the {title} per farm: the mean over paths (dot) ± 2 standard errors \
                 (bar), with the zero line."
            ),
            chart: Chart::Intervals(IntervalChart {
                title: format!("{}: B − A", capitalised(&title)),
                x_label: format!("B − A, {unit}"),
                value_label: "mean difference".into(),
                interval_label: "± 2 standard errors".into(),
                rows,
            }),
        });
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// The series drawn for a comparison, in page order, with their chart
/// titles and units: per farm (at most [`MAX_CHARTED`]) its cash and
/// P(failed by the date), the BTC price, hashrate and hashprice, each
/// region's (at most [`MAX_CHARTED`]) price; those the pair shares.
fn charted(pair: &Pair) -> Vec<(&str, &Series)> {
    chosen(pair)
        .into_iter()
        .map(|(name, series, _, _)| (name, series))
        .collect()
}

/// [`charted`] with each series' title and unit.
fn chosen(pair: &Pair) -> Vec<(&str, &Series, String, &'static str)> {
    let find = |name: &str| {
        pair.series
            .0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, s)| (n.as_str(), s))
    };
    let mut out = Vec::new();
    for (farm, _) in pair.farms.0.iter().take(MAX_CHARTED) {
        if let Some((n, s)) = find(&format!("farm.{farm}.cash_usd")) {
            out.push((n, s, format!("Cash of {farm}"), "USD"));
        }
        if let Some((n, s)) = find(&format!("farm.{farm}.insolvent_fraction")) {
            out.push((n, s, format!("P(failed by the date) of {farm}"), "share"));
        }
    }
    for (series, title, unit) in [
        ("btc_price_usd", "BTC price", "USD/BTC"),
        ("hashrate_ehs", "Network hashrate", "EH/s"),
        ("hashprice_usd_per_ph_day", "Hashprice", "USD/PH/day"),
    ] {
        if let Some((n, s)) = find(series) {
            out.push((n, s, title.to_string(), unit));
        }
    }
    let regions = pair.series.0.iter().filter_map(|(n, s)| {
        let region = n
            .strip_prefix("region.")?
            .strip_suffix(".price_usd_per_mwh")?;
        Some((n.as_str(), s, region))
    });
    for (n, s, region) in regions.take(MAX_CHARTED) {
        out.push((n, s, format!("Power price in {region}"), "USD/MWh"));
    }
    out
}

fn series_specs(view: &View, i: usize, pair: &Pair, out: &mut Vec<Spec>) {
    let h = &view.common_horizon;
    let axis = h
        .dates
        .first()
        .zip(h.t_days.first())
        .and_then(|(d, &t)| Calendar::new(d, t))
        .map_or_else(
            || XAxis::Numeric("days from the start".into()),
            XAxis::Dated,
        );
    let x: Vec<f64> = h.t_days.iter().map(|&t| f64::from(t)).collect();
    let suffix = if view.comparisons.len() > 1 {
        format!("-b{}", i + 1)
    } else {
        String::new()
    };
    let at = |v: &[f64], t: usize| v.get(t).copied().unwrap_or(f64::NAN);
    for (name, series, title, unit) in chosen(pair) {
        if series.all_zero() {
            continue;
        }
        let last = series.mean.len().saturating_sub(1);
        let end = format!(
            "Mean difference on the last date ({}): {} ± {} (1 standard error).",
            h.dates.last().map_or("", String::as_str),
            compact(at(&series.mean, last)),
            compact(at(&series.stderr, last))
        );
        let title = format!("{title}: B − A");
        let stem = format!("difference-{}{suffix}", slug(name));
        let sparse = series.quantiles_zero();
        if unit == "share" || sparse {
            // A difference of 0/1 indicators: its mean is the difference
            // of P(failed by the date); quantiles of -1, 0, 1 say little.
            // Likewise a difference that is 0 on 90 % of paths: its fan
            // is a flat line, its mean is what moves.
            let points = x
                .iter()
                .enumerate()
                .map(|(t, &x)| {
                    let (m, se) = (at(&series.mean, t), at(&series.stderr, t));
                    BandPoint {
                        x,
                        y: m,
                        lo: m - 2.0 * se,
                        hi: m + 2.0 * se,
                    }
                })
                .collect();
            let (caption, y_label, label, ticks) = if unit == "share" {
                (
                    format!(
                        "B's share of paths failed by each date minus A's, paired path by \
                         path; band: ± 2 standard errors. {end}"
                    ),
                    "B − A, percentage points".to_string(),
                    "P(failed by the date), B − A".to_string(),
                    YTicks::Percent,
                )
            } else {
                (
                    format!(
                        "B − A is 0 on at least 90 % of paths at every date (its p5 to p95 \
                         are all 0), so the line is the mean difference over all paths; \
                         band: ± 2 standard errors. {end}"
                    ),
                    format!("B − A, {unit}"),
                    "mean difference B − A".to_string(),
                    YTicks::Compact,
                )
            };
            out.push(Spec {
                name: stem,
                section: Place::Series(i),
                caption,
                chart: Chart::Line(LineChart {
                    title,
                    x: axis.clone(),
                    y_label,
                    band_label: "± 2 standard errors".into(),
                    lines: vec![BandLine { label, points }],
                    y_ticks: ticks,
                    y_from_zero: false,
                    markers: false,
                    zero_line: true,
                }),
            });
            continue;
        }
        let inner = |q: &[f64], t: usize| {
            if q.is_empty() {
                at(&series.p50, t)
            } else {
                at(q, t)
            }
        };
        let points = x
            .iter()
            .enumerate()
            .map(|(t, &x)| FanPoint {
                x,
                quantiles: [
                    at(&series.p5, t),
                    inner(&series.p25, t),
                    at(&series.p50, t),
                    inner(&series.p75, t),
                    at(&series.p95, t),
                ],
            })
            .collect();
        out.push(Spec {
            name: stem,
            section: Place::Series(i),
            caption: format!(
                "Per-path difference B − A; line: its median across paths; dark band: the \
                 middle 50 % of paths (p25-p75); light band: 90 % of paths (p5-p95). {end}"
            ),
            chart: Chart::Fan(FanChart {
                title,
                x: axis.clone(),
                y_label: format!("B − A, {unit}"),
                series: vec![FanSeries {
                    label: "B − A".into(),
                    points,
                }],
                y_ticks: YTicks::Compact,
                y_from_zero: false,
                zero_line: true,
            }),
        });
    }
}
