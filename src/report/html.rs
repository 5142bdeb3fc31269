//! `report.html`: one self-contained page (inline SVG and CSS, no script,
//! no font or address to fetch), readable offline and printable, with the
//! headline table, the charts, the inputs and what the model leaves out.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::charts::ChartError;
use super::figures::{Figure, Section, figures};
use super::format::{Calendar, compact, thousands};
use super::headline::{FarmHeadline, Headline, plus_minus};
use super::inputs::RunInputs;
use super::page::{self, Report, escape};
use crate::stats::Summary;

/// Renders the report of `summary`, with the table of `inputs` when the
/// run recorded them.
///
/// # Errors
/// [`ChartError`] when a chart cannot be drawn.
pub fn render_report(summary: &Summary, inputs: Option<&RunInputs>) -> Result<Report, ChartError> {
    let figures = figures(summary)?;
    let mut page =
        String::with_capacity(figures.iter().map(|f| f.svg.len()).sum::<usize>() + 64 * 1024);
    head(&mut page, summary);
    headline(&mut page, summary);
    for (section, title, intro) in SECTIONS {
        let shown: Vec<&Figure> = figures.iter().filter(|f| f.section == section).collect();
        if shown.is_empty() {
            continue;
        }
        let _ = write!(
            page,
            "<section id=\"{}\"><h2>{title}</h2><p>{intro}</p>",
            anchor(section)
        );
        for f in shown {
            figure(&mut page, f);
        }
        page.push_str("</section>\n");
    }
    inputs_table(&mut page, summary, inputs);
    page.push_str(LIMITATIONS);
    page::close(&mut page);
    let charts = figures.into_iter().map(|f| (f.name, f.svg)).collect();
    Ok(Report { html: page, charts })
}

/// The page's sections of charts, in order, with their headings.
const SECTIONS: [(Section, &str, &str); 6] = [
    (
        Section::Farms,
        "Your farms over time",
        "Cash, the risk of failure and the distribution of the margin and NPV, per farm.",
    ),
    (
        Section::Market,
        "Bitcoin market",
        "What every path's miners are paid: BTC price, the network's hashrate and the hashprice.",
    ),
    (
        Section::Power,
        "Power prices",
        "Each region's daily wholesale clearing price.",
    ),
    (
        Section::CostCurve,
        "Industry cost curve",
        "Where your farms sit among the world's miners.",
    ),
    (
        Section::Growth,
        "Network hashrate growth",
        "How fast the network grows, and which levels it reaches when.",
    ),
    (
        Section::Regions,
        "Grid competition by region",
        "AI data centers against miners for the grid's capacity.",
    ),
];

fn anchor(section: Section) -> &'static str {
    match section {
        Section::Market => "market",
        Section::Power => "power",
        Section::Farms => "farms",
        Section::CostCurve => "cost-curve",
        Section::Growth => "growth",
        Section::Regions => "regions",
    }
}

fn head(page: &mut String, summary: &Summary) {
    let first = summary.dates.first().map_or("", String::as_str);
    let last = summary.dates.last().map_or("", String::as_str);
    // `[outputs] record_every_steps`: the series' statistics are kept at
    // every k-th step only.
    let spacing = match summary.t_days.get(..2) {
        Some(&[a, b]) if b - a > summary.step_days => {
            format!(" (series recorded every {} days)", b - a)
        }
        _ => String::new(),
    };
    let lede = format!(
        "{} Monte Carlo paths from {first} to {last}{spacing}, seed {}, hashwatt {}. \
         Every figure is a distribution across paths; \"± x\" is the Monte Carlo error \
         (the standard error of the estimate), which shrinks with more paths.",
        thousands(summary.paths_done),
        summary.identity.seed,
        escape(&summary.identity.version),
    );
    page::open(
        page,
        &format!("hashwatt report: {}", summary.scenario_name),
        &lede,
        &[
            ("headline", "Headline"),
            ("farms", "Farms"),
            ("market", "Market"),
            ("power", "Power"),
            ("cost-curve", "Cost curve"),
            ("growth", "Growth"),
            ("regions", "Regions"),
            ("inputs", "Inputs"),
            ("limitations", "Limitations"),
        ],
    );
}

fn headline(page: &mut String, summary: &Summary) {
    let headline = Headline::of(summary);
    let calendar = Calendar::of(summary);
    page.push_str("<section id=\"headline\"><h2>Headline: per farm</h2>");
    if headline.farms.is_empty() {
        page.push_str(
            "<p>This scenario has no farms: the report shows the market and the grid only.</p>",
        );
    }
    for farm in &headline.farms {
        farm_table(page, farm, calendar.as_ref(), headline.paths);
    }
    page.push_str("</section>\n");
}

fn farm_table(page: &mut String, farm: &FarmHeadline, calendar: Option<&Calendar>, paths: u64) {
    let _ = write!(
        page,
        "<h3>{}</h3><p class=\"risk\">P(insolvency): {}</p><p>Payback: {}.</p>\
         <table><thead><tr><th>measure</th><th>median</th><th>90 % of paths (p5 to p95)</th>\
         <th>mean ± Monte Carlo error</th></tr></thead><tbody>",
        escape(&farm.name),
        escape(&farm.insolvency.sentence(calendar, paths)),
        escape(&farm.payback.sentence()),
    );
    for row in &farm.rows {
        let s = &row.stats;
        let note = if row.undefined_paths > 0 {
            format!(
                " <span class=\"note\">(undefined on {} paths)</span>",
                thousands(row.undefined_paths)
            )
        } else {
            String::new()
        };
        let _ = write!(
            page,
            "<tr><td>{}{note}</td><td class=\"num\">{}</td><td class=\"num\">{} to {}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(row.label),
            compact(s.quantiles[2]),
            compact(s.quantiles[0]),
            compact(s.quantiles[4]),
            escape(&plus_minus(s.mean, s.stderr)),
        );
    }
    let t = &farm.tail;
    let _ = write!(
        page,
        "<tr><td>VaR95 of the margin, USD: 95 % of paths do better</td><td class=\"num\">{}</td>\
         <td></td><td class=\"num\">± {}</td></tr>\
         <tr><td>CVaR95 of the margin, USD: mean of the worst 5 %</td><td class=\"num\">{}</td>\
         <td></td><td class=\"num\">± {}</td></tr></tbody></table>",
        compact(t.var95),
        compact(t.var95_stderr),
        compact(t.cvar95),
        compact(t.cvar95_stderr),
    );
}

fn figure(page: &mut String, f: &Figure) {
    page::figure(page, &f.name, &f.caption, &f.svg);
}

fn inputs_table(page: &mut String, summary: &Summary, inputs: Option<&RunInputs>) {
    let id = &summary.identity;
    // The hash of the checked scenario is in the state itself: shown even
    // when inputs.json is missing.
    let hash: String = Sha256::digest(id.scenario.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    page.push_str("<section id=\"inputs\"><h2>Inputs</h2>");
    let _ = write!(
        page,
        "<table><tbody><tr><th>seed</th><td>{}</td></tr><tr><th>paths</th><td>{}</td></tr>\
         <tr><th>hashwatt version</th><td>{}</td></tr>\
         <tr><th>scenario SHA-256</th><td><code>{hash}</code></td></tr>",
        id.seed,
        thousands(id.paths),
        escape(&id.version)
    );
    let Some(inputs) = inputs else {
        page.push_str(
            "</tbody></table><p>The run did not record its inputs (no <code>inputs.json</code>): \
             the scenario's values are not listed. Rerun with this version of hashwatt to \
             record them.</p></section>\n",
        );
        return;
    };
    let extends = if inputs.extends.is_empty() {
        "nothing".to_string()
    } else {
        inputs.extends.join(", ")
    };
    let _ = write!(
        page,
        "<tr><th>scenario file</th><td><code>{}</code> ({})</td></tr>\
         <tr><th>extends</th><td>{}</td></tr>",
        escape(&inputs.scenario_file),
        escape(&inputs.scenario_name),
        escape(&extends)
    );
    if let Some(d) = &inputs.description {
        let _ = write!(page, "<tr><th>description</th><td>{}</td></tr>", escape(d));
    }
    let overrides = if inputs.overrides.is_empty() {
        "none".to_string()
    } else {
        inputs.overrides.join("; ")
    };
    let _ = write!(
        page,
        "<tr><th><code>--set</code> overrides</th><td><code>{}</code></td></tr></tbody></table>",
        escape(&overrides)
    );
    if inputs.changes.is_empty() {
        page.push_str("<p>The scenario sets no value over the files it extends.</p>");
    } else {
        page.push_str(
            "<h3>Values set by the scenario and its overrides</h3><table><thead><tr><th>field</th>\
             <th>value</th><th>in the extended file</th><th>set by</th></tr></thead><tbody>",
        );
        for c in &inputs.changes {
            let _ = write!(
                page,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                escape(&c.field),
                escape(&c.value),
                escape(c.base.as_deref().unwrap_or("(not set)")),
                escape(&c.origin)
            );
        }
        page.push_str("</tbody></table>");
    }
    if inputs.scenario_sha256 != hash {
        page.push_str(
            "<p class=\"risk\">The hash in inputs.json differs from the scenario in the state \
             file: the inputs may belong to another run.</p>",
        );
    }
    page.push_str("</section>\n");
}

/// What the model leaves out (docs/model.md, "Known limitations of this
/// version"), in short.
const LIMITATIONS: &str = "<section id=\"limitations\"><h2>What the model leaves out</h2>\
<p>Regions do not trade power with each other; data centers' demand does not respond to \
prices. Rest-of-world miners order machines at today's hashprice with no foresight of the \
halving. Fixed contracts renew automatically at the market's 30-day mean. A failed farm is not \
restarted, and only modelled farms migrate. Hours within a day are independent; peak-charge \
avoidance and block luck (Poisson block counts) are not modelled. The results are distributions \
under the scenario's assumptions, not forecasts: see <code>docs/model.md</code>, \"Known \
limitations of this version\".</p></section>\n";
