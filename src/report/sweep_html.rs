//! The page of a sweep (`report.html` beside `sweep.json`): what was
//! swept (scenario, `--set` overrides, mode, seed, paths per point, the
//! fields and their values), the tornado of the chosen output with the
//! error whiskers of its ends, the output against each field with its
//! 95 % interval, and every point's headline measures per farm.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::charts::{
    self, BandLine, BandPoint, ChartError, LineChart, Tornado, TornadoBar, XAxis, YTicks,
};
use super::figures::slug;
use super::format::{compact_digits, percent, thousands};
use super::page::{self, Report, escape};
use crate::sweep::{Estimate, FarmHeadline, Mode, SweepResult};

/// How each headline measure of a point is headed in the tables, in the
/// order of [`FarmHeadline::NAMES`], and whether it is a share.
const HEADINGS: [(&str, bool); 7] = [
    ("mean margin, USD", false),
    ("mean NPV, USD", false),
    ("median NPV, USD", false),
    ("median cash cost per BTC, USD/BTC", false),
    ("median all-in cost per BTC, USD/BTC", false),
    ("median breakeven hashprice, USD/PH/day", false),
    ("P(insolvency)", true),
];

/// Index of P(insolvency) in [`FarmHeadline::estimates`].
const INSOLVENCY: usize = 6;

/// What the bands and whiskers are (the [`Estimate`]'s `lo..hi`).
const INTERVAL: &str = "95 % interval (Monte Carlo error)";

/// Renders the page of `result`.
///
/// # Errors
/// [`ChartError`] when a chart cannot be drawn.
pub fn render_sweep(result: &SweepResult) -> Result<Report, ChartError> {
    let (unit, ticks) = output_unit(&result.output);
    let mut specs: Vec<(String, String, Chart)> = vec![tornado(result, &unit, ticks)];
    for (i, line) in result.lines.iter().enumerate() {
        let axis = &result.axes[i];
        let points = line
            .points
            .iter()
            .map(|p| BandPoint {
                x: p.x,
                y: p.output.value,
                lo: p.output.lo,
                hi: p.output.hi,
            })
            .collect();
        let through = match result.mode {
            Mode::OneAtATime => "every other field at the scenario's value".to_string(),
            Mode::Grid => {
                "every other field at its grid value closest to the scenario's".to_string()
            }
        };
        specs.push((
            format!("line-{}", slug(&line.field)),
            format!(
                "{} against {}, {through} (the scenario's own value is {}). Dots: the \
                 estimate at each value run; bars and band: its {INTERVAL}.",
                result.output,
                line.field,
                compact_digits(axis.base_value, 6)
            ),
            Chart::Line(LineChart {
                title: format!("{} against {}", short_output(&result.output), line.field),
                x: XAxis::Numeric(line.field.clone()),
                y_label: unit.clone(),
                band_label: INTERVAL.into(),
                lines: vec![BandLine {
                    label: short_output(&result.output),
                    points,
                }],
                y_ticks: ticks,
                y_from_zero: false,
                markers: true,
                zero_line: false,
            }),
        ));
    }
    let drawn: Vec<Result<String, ChartError>> =
        specs.par_iter().map(|(_, _, c)| c.draw()).collect();
    let mut svgs = Vec::with_capacity(drawn.len());
    for svg in drawn {
        svgs.push(svg?);
    }
    let mut html = String::with_capacity(svgs.iter().map(String::len).sum::<usize>() + 32 * 1024);
    head(&mut html, result);
    swept(&mut html, result);
    html.push_str("<section id=\"tornado\"><h2>Which field moves the output most</h2>");
    page::figure(&mut html, &specs[0].0, &specs[0].1, &svgs[0]);
    tornado_table(&mut html, result);
    html.push_str("</section>\n<section id=\"lines\"><h2>The output against each field</h2>");
    for k in 1..specs.len() {
        page::figure(&mut html, &specs[k].0, &specs[k].1, &svgs[k]);
    }
    html.push_str("</section>\n");
    points_tables(&mut html, result);
    page::close(&mut html);
    let charts = specs
        .into_iter()
        .map(|(name, _, _)| name)
        .zip(svgs)
        .collect();
    Ok(Report { html, charts })
}

enum Chart {
    Tornado(Tornado),
    Line(LineChart),
}

impl Chart {
    fn draw(&self) -> Result<String, ChartError> {
        match self {
            Chart::Tornado(t) => charts::tornado_chart(t),
            Chart::Line(l) => charts::line_chart(l),
        }
    }
}

/// The output's name without its `farms.` prefix, for chart titles.
fn short_output(name: &str) -> String {
    name.strip_prefix("farms.").unwrap_or(name).to_string()
}

/// The unit of an output from its name, and how its ticks read: a
/// probability or a fraction as a percentage.
fn output_unit(name: &str) -> (String, YTicks) {
    // The measure: the name without its statistic and date.
    let base = name.split('@').next().unwrap_or(name);
    let measure = base
        .rsplit_once('.')
        .filter(|(_, stat)| *stat == "mean" || stat.starts_with('p'))
        .map_or(base, |(m, _)| m);
    let share = |label: &str| (label.to_string(), YTicks::Percent);
    if measure.ends_with("probability") || measure.ends_with("fraction") {
        return share("share of paths");
    }
    if measure.starts_with("hashrate_growth") {
        return share("growth a year");
    }
    const UNITS: [(&str, &str); 11] = [
        ("_usd_per_ph_day", "USD/PH/day"),
        ("_usd_per_mwh", "USD/MWh"),
        ("_per_btc_usd", "USD/BTC"),
        ("btc_price_usd", "USD/BTC"),
        ("_usd", "USD"),
        ("_days", "days"),
        ("_day", "days from the start"),
        ("_ehs", "EH/s"),
        ("_mwh", "MWh"),
        ("_mw", "MW"),
        ("btc_mined", "BTC"),
    ];
    let unit = UNITS
        .iter()
        .find(|(suffix, _)| measure.ends_with(suffix))
        .map_or("output", |(_, unit)| unit);
    (format!("{}, {unit}", short_output(name)), YTicks::Compact)
}

/// An estimate with its standard error, as the tables write it.
fn plus_minus(e: Estimate, share: bool) -> String {
    if e.value.is_nan() {
        return "–".to_string();
    }
    let f = |x: f64| {
        if share {
            percent(x)
        } else {
            compact_digits(x, 4)
        }
    };
    if e.stderr.is_finite() {
        format!("{} ± {}", f(e.value), f(e.stderr))
    } else {
        f(e.value)
    }
}

/// An estimate in a narrow cell: the value, and `± error` below it.
fn two_lines(e: Estimate, share: bool) -> String {
    let text = plus_minus(e, share);
    match text.split_once(" ± ") {
        Some((value, error)) => format!(
            "{}<br><span class=\"note\">± {}</span>",
            escape(value),
            escape(error)
        ),
        None => escape(&text),
    }
}

/// A field's path, escaped, with line-break opportunities after its dots
/// and underscores (a column heading need not be as wide as the path).
fn breakable(path: &str) -> String {
    escape(path).replace('.', ".<wbr>").replace('_', "_<wbr>")
}

/// A field's value as written: up to 6 significant digits.
fn field_value(x: f64) -> String {
    compact_digits(x, 6)
}

fn head(html: &mut String, result: &SweepResult) {
    let lede = format!(
        "{} points × {} Monte Carlo paths each, all on the same seed ({}): every point ran \
         the same draws (common random numbers), so the differences between points are the \
         effect of the fields, not of luck. \"± x\" is 1 standard error (the Monte Carlo \
         error); bands and whiskers are 95 % intervals.",
        thousands(result.points.len() as u64),
        thousands(result.paths),
        result.seed
    );
    page::open(
        html,
        &format!("hashwatt sweep: {}", result.scenario),
        &lede,
        &[
            ("swept", "What was swept"),
            ("tornado", "Tornado"),
            ("lines", "Against each field"),
            ("points", "Every point"),
        ],
    );
}

fn swept(html: &mut String, result: &SweepResult) {
    let mode = match result.mode {
        Mode::Grid => "grid: every combination of the values, the last field varying fastest",
        Mode::OneAtATime => {
            "one at a time: the scenario itself (the base point), then each field alone over \
             its values, the others at the scenario's values"
        }
    };
    let sets = if result.sets.is_empty() {
        "none".to_string()
    } else {
        result
            .sets
            .iter()
            .map(|s| format!("<code>{}</code>", escape(s)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(
        html,
        "<section id=\"swept\"><h2>What was swept</h2><table><tbody>\
         <tr><th>scenario</th><td><code>{}</code></td></tr>\
         <tr><th><code>--set</code> overrides (every point)</th><td>{sets}</td></tr>\
         <tr><th>mode</th><td>{mode}</td></tr>\
         <tr><th>seed</th><td>{}</td></tr><tr><th>paths per point</th><td>{}</td></tr>\
         <tr><th>points</th><td>{}</td></tr>\
         <tr><th>output (tornado and lines)</th><td><code>{}</code></td></tr>\
         </tbody></table><table><thead><tr><th>field</th><th>values run</th>\
         <th>the scenario's value</th></tr></thead><tbody>",
        escape(&result.scenario),
        result.seed,
        thousands(result.paths),
        thousands(result.points.len() as u64),
        escape(&result.output),
    );
    for axis in &result.axes {
        let values: Vec<String> = axis.values.iter().map(|&v| field_value(v)).collect();
        let _ = write!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&axis.path),
            escape(&values.join(", ")),
            field_value(axis.base_value)
        );
    }
    html.push_str("</tbody></table></section>\n");
}

fn tornado(result: &SweepResult, unit: &str, ticks: YTicks) -> (String, String, Chart) {
    let base = result
        .points
        .get(result.base_point)
        .map_or(f64::NAN, |p| p.output.value);
    // A probability's bars read in percent: the chart writes plain numbers.
    let scale = if ticks == YTicks::Percent { 100.0 } else { 1.0 };
    let bars = result
        .tornado
        .iter()
        .map(|bar: &crate::sweep::TornadoBar| TornadoBar {
            label: bar.field.clone(),
            low_input: field_value(bar.lo_value),
            high_input: field_value(bar.hi_value),
            at_low: bar.at_lo.value * scale,
            at_high: bar.at_hi.value * scale,
            low_whisker: [bar.at_lo.lo * scale, bar.at_lo.hi * scale],
            high_whisker: [bar.at_hi.lo * scale, bar.at_hi.hi * scale],
        })
        .collect();
    let base_is = match result.mode {
        Mode::OneAtATime => "the scenario itself".to_string(),
        Mode::Grid => {
            "the grid point closest to the scenario; each bar holds the other fields at their \
             grid value closest to the scenario's"
                .to_string()
        }
    };
    let x_label = if scale == 100.0 {
        format!("{}, %", short_output(&result.output))
    } else {
        unit.to_string()
    };
    (
        "tornado".into(),
        format!(
            "Per field, a bar from the base (the output at {base_is}) to the output with the \
             field at its lowest value run (blue) and at its highest (vermillion), the values \
             written at the ends; largest swing on top. Whiskers: the {INTERVAL} of each end."
        ),
        Chart::Tornado(Tornado {
            title: format!("Tornado of {}", short_output(&result.output)),
            x_label,
            base: base * scale,
            bars,
            whisker_label: format!("{INTERVAL} of each end"),
        }),
    )
}

fn tornado_table(html: &mut String, result: &SweepResult) {
    let share = output_unit(&result.output).1 == YTicks::Percent;
    html.push_str(
        "<table><thead><tr><th>field</th><th class=\"num\">at LO</th><th class=\"num\">at HI</th>\
         <th class=\"num\">swing HI − LO ± error</th></tr></thead><tbody>",
    );
    for bar in &result.tornado {
        let swing = Estimate {
            value: bar.swing,
            stderr: bar.swing_stderr,
            lo: f64::NAN,
            hi: f64::NAN,
        };
        let _ = write!(
            html,
            "<tr><td><code>{}</code></td><td class=\"num\">{}: {}</td>\
             <td class=\"num\">{}: {}</td><td class=\"num\">{}</td></tr>",
            escape(&bar.field),
            field_value(bar.lo_value),
            escape(&plus_minus(bar.at_lo, share)),
            field_value(bar.hi_value),
            escape(&plus_minus(bar.at_hi, share)),
            escape(&plus_minus(swing, share)),
        );
    }
    html.push_str(
        "</tbody></table><p class=\"note\">± is 1 standard error. The swing's error is \
         √(se_LO² + se_HI²), that of independent runs: under common random numbers the two \
         ends move together, so the swing's true error is smaller.</p>",
    );
}

fn points_tables(html: &mut String, result: &SweepResult) {
    html.push_str(
        "<section id=\"points\"><h2>Every point: headline measures per farm</h2><p>Each \
         value ± 1 standard error (a median's from its order-statistic interval, a \
         probability's binomial). The shaded row is the base point. <code>sweep.csv</code> \
         holds the same numbers in full precision; each point's <code>--set</code>s in \
         <code>sweep.json</code> reproduce it with <code>hashwatt run</code>.</p>",
    );
    if result.farms.is_empty() {
        html.push_str("<p>The scenario has no farms.</p>");
    }
    for (f, farm) in result.farms.iter().enumerate() {
        let can_fail = result
            .points
            .iter()
            .filter_map(|p| p.farms.get(f))
            .any(|h| h.balance_sheet);
        let _ = write!(html, "<h3>{}</h3>", escape(farm));
        if !can_fail {
            html.push_str(
                "<p class=\"risk\">P(insolvency): cannot fail: the farm has no balance sheet \
                 ([farms.finance]) at any point.</p>",
            );
        }
        html.push_str("<div class=\"wide\"><table><thead><tr><th>point</th>");
        for axis in &result.axes {
            let _ = write!(
                html,
                "<th class=\"num\"><code>{}</code></th>",
                breakable(&axis.path)
            );
        }
        for (k, (heading, _)) in HEADINGS.iter().enumerate() {
            if k == INSOLVENCY && !can_fail {
                continue;
            }
            let _ = write!(html, "<th class=\"num\">{heading}</th>");
        }
        html.push_str("</tr></thead><tbody>");
        for (k, point) in result.points.iter().enumerate() {
            let class = if k == result.base_point {
                " class=\"base\""
            } else {
                ""
            };
            let _ = write!(html, "<tr{class}><td>{k}</td>");
            for &v in &point.values {
                let _ = write!(html, "<td class=\"num\">{}</td>", field_value(v));
            }
            let estimates = point.farms.get(f).map(FarmHeadline::estimates);
            for (m, (_, share)) in HEADINGS.iter().enumerate() {
                if m == INSOLVENCY && !can_fail {
                    continue;
                }
                let e = estimates.map_or(Estimate::NONE, |e| e[m]);
                let _ = write!(html, "<td class=\"num\">{}</td>", two_lines(e, *share));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table></div>");
    }
    html.push_str("</section>\n");
}
