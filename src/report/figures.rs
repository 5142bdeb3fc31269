//! The charts of a run's report, built from its [`Summary`]: which series
//! each chart shows, with what title, unit and caption. The drawing is in
//! [`charts`](super::charts); the page around them in [`html`](super::html).

use rayon::prelude::*;

use super::charts::{
    self, BandLine, BandPoint, BarGroup, ChartError, CostCurveChart, CurveStep, DistributionChart,
    FanChart, FanSeries, FleetKind, GroupedBars, HBar, HBarChart, LineChart, PriceLine, XAxis,
    YTicks,
};
use super::format::{Calendar, compact, percent, thousands};
use super::measures;
use crate::stats::{Distribution, FarmMeasure, SeriesSummary, Statistics, Summary};

/// Where a figure goes on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// BTC price, hashrate, hashprice.
    Market,
    /// Each region's power price.
    Power,
    /// Each farm's cash, P(insolvency), margin and NPV.
    Farms,
    /// The industry cost curve at a few dates.
    CostCurve,
    /// The network's hashrate growth.
    Growth,
    /// Each region's MW of data centers and miners, and curtailment.
    Regions,
}

/// One chart of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem under `charts/` and anchor on the page: `btc-price`.
    pub name: String,
    /// Its section.
    pub section: Section,
    /// What the reader should know to read it.
    pub caption: String,
    /// The chart.
    pub svg: String,
}

/// What a figure is before it is drawn: drawn in parallel, in order.
enum Spec {
    Fan(FanChart),
    Line(LineChart),
    Distribution(DistributionChart),
    CostCurve(CostCurveChart),
    Bars(GroupedBars),
    HBars(HBarChart),
}

impl Spec {
    fn draw(&self) -> Result<String, ChartError> {
        match self {
            Spec::Fan(c) => charts::fan_chart(c),
            Spec::Line(c) => charts::line_chart(c),
            Spec::Distribution(c) => charts::distribution_chart(c),
            Spec::CostCurve(c) => charts::cost_curve_chart(c),
            Spec::Bars(c) => charts::grouped_bars(c),
            Spec::HBars(c) => charts::hbar_chart(c),
        }
    }
}

/// Every figure of the report of `summary`, in page order.
///
/// # Errors
/// [`ChartError`] when a chart cannot be drawn.
pub fn figures(summary: &Summary) -> Result<Vec<Figure>, ChartError> {
    let ctx = Context::new(summary);
    let mut specs: Vec<(String, Section, String, Spec)> = Vec::new();
    market(&ctx, &mut specs);
    power(&ctx, &mut specs);
    farms(&ctx, &mut specs);
    cost_curves(&ctx, &mut specs);
    growth(&ctx, &mut specs);
    regions(&ctx, &mut specs);
    specs
        .into_par_iter()
        .map(|(name, section, caption, spec)| {
            Ok(Figure {
                svg: spec.draw()?,
                name,
                section,
                caption,
            })
        })
        .collect()
}

/// What the builders share: the summary, its x positions and calendar.
struct Context<'a> {
    summary: &'a Summary,
    x: Vec<f64>,
    axis: XAxis,
    calendar: Option<Calendar>,
}

impl<'a> Context<'a> {
    fn new(summary: &'a Summary) -> Self {
        let calendar = Calendar::of(summary);
        Context {
            summary,
            x: summary.t_days.iter().map(|&d| f64::from(d)).collect(),
            axis: calendar.map_or_else(
                || XAxis::Numeric("days from the start".into()),
                XAxis::Dated,
            ),
            calendar,
        }
    }

    fn series(&self, name: &str) -> Option<&'a SeriesSummary> {
        self.summary.series.iter().find(|s| s.name == name)
    }

    /// Per-step statistics of the series `name` (computed in parallel: the
    /// sketches' quantiles are the report's main cost).
    fn stats(&self, name: &str) -> Option<Vec<Statistics>> {
        self.series(name)
            .map(|s| s.steps.par_iter().map(Distribution::statistics).collect())
    }

    /// A one-series fan of `name`, or nothing if the run did not record it.
    fn fan(&self, name: &str, title: &str, label: &str, unit: &str) -> Option<Spec> {
        self.fan_of(name, title, label, unit, false)
            .map(|(spec, _)| spec)
    }

    /// [`Context::fan`], its y axis from 0 if `from_zero`, and whether
    /// every quantile of every step is 0.
    fn fan_of(
        &self,
        name: &str,
        title: &str,
        label: &str,
        unit: &str,
        from_zero: bool,
    ) -> Option<(Spec, bool)> {
        let stats = self.stats(name)?;
        let all_zero = stats.iter().all(|s| s.quantiles.iter().all(|&q| q == 0.0));
        let chart = FanChart {
            title: title.to_string(),
            x: self.axis.clone(),
            y_label: unit.to_string(),
            series: vec![FanSeries::from_statistics(label, &self.x, &stats)],
            y_ticks: YTicks::Compact,
            y_from_zero: from_zero,
            zero_line: false,
        };
        Some((Spec::Fan(chart), all_zero))
    }

    fn month(&self, days: f64) -> String {
        self.calendar
            .map_or_else(|| format!("day {days:.0}"), |c| c.month(days))
    }

    /// Names `<group>.<name>` of the groups with a series `<group>.<name>.<quantity>`.
    fn names(&self, group: &str, quantity: &str) -> Vec<&'a str> {
        self.summary
            .series
            .iter()
            .filter_map(|s| {
                s.name
                    .strip_prefix(group)?
                    .strip_prefix('.')?
                    .strip_suffix(quantity)?
                    .strip_suffix('.')
            })
            .collect()
    }
}

/// A file stem from a free-form name: lowercase ASCII letters, digits and
/// dashes.
pub fn slug(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

type Specs = Vec<(String, Section, String, Spec)>;

const FAN_NOTE: &str = "Line: median across paths; dark band: the middle 50 % of paths \
                        (p25-p75); light band: 90 % of paths (p5-p95).";

fn market(ctx: &Context<'_>, out: &mut Specs) {
    let items = [
        (
            "btc_price_usd",
            "btc-price",
            "BTC price",
            "BTC price",
            "USD/BTC",
        ),
        (
            "hashrate_ehs",
            "hashrate",
            "Network hashrate",
            "hashrate",
            "EH/s",
        ),
        (
            "hashprice_usd_per_ph_day",
            "hashprice",
            "Hashprice: revenue per PH/s per day",
            "hashprice",
            "USD/PH/day",
        ),
    ];
    for (series, name, title, label, unit) in items {
        if let Some(spec) = ctx.fan(series, title, label, unit) {
            out.push((name.into(), Section::Market, FAN_NOTE.into(), spec));
        }
    }
}

fn power(ctx: &Context<'_>, out: &mut Specs) {
    for region in ctx.names("region", "price_usd_per_mwh") {
        let series = format!("region.{region}.price_usd_per_mwh");
        let title = format!("Power price in {region}: daily clearing price");
        if let Some(spec) = ctx.fan(&series, &title, region, "USD/MWh") {
            let caption = format!(
                "Wholesale clearing price, before the hourly spread and the adders. {FAN_NOTE}"
            );
            out.push((
                format!("power-price-{}", slug(region)),
                Section::Power,
                caption,
                spec,
            ));
        }
    }
}

fn farms(ctx: &Context<'_>, out: &mut Specs) {
    let paths = ctx.summary.paths_done;
    for farm in &ctx.summary.farms {
        let name = &farm.name();
        let slug = slug(name);
        let cash = format!("farm.{name}.cash_usd");
        if let Some(spec) = ctx.fan(&cash, &format!("Cash of {name}"), name, "USD") {
            let caption = format!("Cash on hand (at insolvency on failed paths). {FAN_NOTE}");
            out.push((format!("cash-{slug}"), Section::Farms, caption, spec));
        }
        if let Some(stats) = ctx.stats(&format!("farm.{name}.insolvent_fraction")) {
            out.push((
                format!("insolvency-{slug}"),
                Section::Farms,
                "Share of paths on which the farm has failed by each date; band: ± 2 binomial \
                 standard errors of that share (Monte Carlo error)."
                    .into(),
                Spec::Line(insolvency_line(ctx, name, &stats)),
            ));
        }
        for (measure, d, title) in [
            (
                "margin",
                farm.measure(FarmMeasure::Margin),
                "Operating margin over the run",
            ),
            (
                "npv",
                farm.measure(FarmMeasure::Npv),
                "NPV at the farm's discount rate",
            ),
        ] {
            let undefined = paths.saturating_sub(d.count());
            let mut caption = format!(
                "Cumulative distribution across paths: read the share of paths at or below \
                 a value. Mean {} ± {} (Monte Carlo error).",
                compact(d.statistics().mean),
                compact(d.statistics().stderr)
            );
            if undefined > 0 {
                caption.push_str(&format!(" Undefined on {} paths.", thousands(undefined)));
            }
            let chart = DistributionChart::of(&format!("{title}: {name}"), "USD", d, "paths");
            out.push((
                format!("{measure}-{slug}"),
                Section::Farms,
                caption,
                Spec::Distribution(chart),
            ));
        }
    }
}

fn insolvency_line(ctx: &Context<'_>, farm: &str, stats: &[Statistics]) -> LineChart {
    let points = ctx
        .x
        .iter()
        .zip(stats)
        .map(|(&x, s)| BandPoint {
            x,
            y: s.mean,
            lo: (s.mean - 2.0 * s.stderr).max(0.0),
            hi: (s.mean + 2.0 * s.stderr).min(1.0),
        })
        .collect();
    LineChart {
        title: format!("P(insolvency) of {farm} over time"),
        x: ctx.axis.clone(),
        y_label: "share of paths failed".into(),
        band_label: "± 2 standard errors".into(),
        lines: vec![BandLine {
            label: "failed by the date".into(),
            points,
        }],
        y_ticks: YTicks::Percent,
        y_from_zero: true,
        markers: false,
        zero_line: false,
    }
}

/// The cost curves drawn: the first, the middle and the last date.
fn chosen_curves(n: usize) -> Vec<usize> {
    let mut picks = vec![0, n / 2, n.saturating_sub(1)];
    picks.dedup();
    picks.into_iter().filter(|&i| i < n).collect()
}

fn cost_curves(ctx: &Context<'_>, out: &mut Specs) {
    let curves = &ctx.summary.cost_curves;
    for i in chosen_curves(curves.len()) {
        let curve = &curves[i];
        // The recorded step at or before the curve's date (every step unless
        // `[outputs] record_every_steps` says otherwise).
        let step = ctx.summary.t_days.iter().rposition(|&t| t <= curve.t_days);
        let quantiles = |series: &str| -> Option<[f64; 5]> {
            let s = ctx.series(series)?;
            Some(s.steps.get(step?)?.statistics().quantiles)
        };
        let hashprice = quantiles("hashprice_usd_per_ph_day").map_or(f64::NAN, |q| q[2]);
        let price = quantiles("btc_price_usd").map(|q| PriceLine {
            label: format!(
                "BTC price {} USD/BTC (median) = revenue per BTC mined; hashprice {} USD/PH/day",
                compact(q[2]),
                compact(hashprice)
            ),
            value: q[2],
        });
        let mut x0 = 0.0;
        let steps = measures::ranked_fleets(curve)
            .into_iter()
            .map(|f| {
                let name = &f.entry.name;
                let step = CurveStep {
                    name: name.strip_prefix("farm.").unwrap_or(name).to_string(),
                    kind: FleetKind::of(name),
                    x0,
                    x1: f.cumulative_online_ehs,
                    cost: f.cost.quantiles,
                };
                x0 = f.cumulative_online_ehs;
                step
            })
            .collect();
        let chart = CostCurveChart {
            title: format!("Industry cost curve on {}", curve.date),
            steps,
            price,
        };
        let mut caption = "Every fleet's cash cost per BTC at the date's power price (median \
                           across paths; box: p25-p75), ranked cheapest first; width: its mean \
                           online EH/s. Fleets below the BTC price line earn more per BTC than \
                           they pay to mine it. A path's own curve may rank the fleets differently."
            .to_string();
        let absent: Vec<&str> = curve
            .entries
            .iter()
            .filter(|e| e.cash_cost_per_btc_usd.count() == 0)
            .filter_map(|e| e.name.strip_prefix("farm."))
            .collect();
        if !absent.is_empty() {
            caption.push_str(&format!(
                " Not on the curve (nothing in service, or failed, on every path): {}.",
                absent.join(", ")
            ));
        }
        out.push((
            format!("cost-curve-{}", slug(&curve.date)),
            Section::CostCurve,
            caption,
            Spec::CostCurve(chart),
        ));
    }
}

fn growth(ctx: &Context<'_>, out: &mut Specs) {
    let growth = &ctx.summary.hashrate_growth;
    let mut chart = DistributionChart::of(
        "Annualised growth of the network hashrate",
        "growth from the first to the last step, % a year",
        &growth.annualised,
        "paths",
    );
    chart.scale = 100.0;
    let s = growth.annualised.statistics();
    out.push((
        "growth-annualised".into(),
        Section::Growth,
        format!(
            "Per path (H_last/H_first)^(365/days) - 1. Mean {} ± {} (Monte Carlo error).",
            percent(s.mean),
            percent(s.stderr)
        ),
        Spec::Distribution(chart),
    ));
    let paths = ctx.summary.paths_done;
    let bars = growth
        .levels
        .iter()
        .map(|level| {
            let share = measures::share(level.days.count(), paths);
            let q = level.days.statistics().quantiles;
            let text = if level.days.count() == 0 {
                "no path reaches it".to_string()
            } else {
                format!(
                    "{}: median {} (90 %: {} to {})",
                    percent(share),
                    ctx.month(q[2]),
                    ctx.month(q[0]),
                    ctx.month(q[4])
                )
            };
            HBar {
                label: format!("{} EH/s", level_label(level.level_ehs)),
                share,
                text,
            }
        })
        .collect();
    out.push((
        "growth-levels".into(),
        Section::Growth,
        "Share of paths on which the network hashrate reaches each level within the horizon, \
         and when (over the paths that reach it)."
            .into(),
        Spec::HBars(HBarChart {
            title: "Network hashrate levels reached".into(),
            x_label: "share of paths reaching the level".into(),
            legend: "paths reaching the level".into(),
            bars,
        }),
    ));
}

/// A hashrate level as written: `1,310`, or `12.5` when not whole.
fn level_label(ehs: f64) -> String {
    if ehs.is_finite() && ehs >= 0.0 && ehs.fract() == 0.0 && ehs < 1e15 {
        thousands(ehs as u64)
    } else {
        compact(ehs)
    }
}

/// The region series of the MW chart, with their legends.
const REGION_MW: [(&str, &str); 5] = [
    ("ai_connected_mw", "AI data centers connected"),
    ("ai_queued_mw", "AI data centers queued"),
    ("miner_connected_mw", "miners connected"),
    ("miner_waiting_mw", "miners waiting"),
    ("miner_denied_mw", "miners denied (cumulative)"),
];

/// The steps the MW bars are drawn at: each year's first recorded step
/// (the first day of the year when recorded) and the last step; at most 8.
fn bar_steps(dates: &[String]) -> Vec<usize> {
    let mut picks: Vec<usize> = Vec::new();
    let mut last_year = "";
    for (i, d) in dates.iter().enumerate() {
        let year = d.get(..4).unwrap_or("");
        if year != last_year {
            picks.push(i);
            last_year = year;
        }
    }
    if let Some(last) = dates.len().checked_sub(1)
        && picks.last() != Some(&last)
    {
        picks.push(last);
    }
    let stride = picks.len().div_ceil(8).max(1);
    picks.into_iter().step_by(stride).collect()
}

fn regions(ctx: &Context<'_>, out: &mut Specs) {
    let steps = bar_steps(&ctx.summary.dates);
    for region in ctx.names("region", "price_usd_per_mwh") {
        let members: Vec<(&str, &SeriesSummary)> = REGION_MW
            .iter()
            .filter_map(|(q, label)| Some((*label, ctx.series(&format!("region.{region}.{q}"))?)))
            .collect();
        if !members.is_empty() {
            let groups = steps
                .iter()
                .map(|&t| BarGroup {
                    label: ctx.summary.dates.get(t).cloned().unwrap_or_default(),
                    values: members
                        .iter()
                        .map(|(_, s)| {
                            let q = s
                                .steps
                                .get(t)
                                .map_or([f64::NAN; 5], |d| d.statistics().quantiles);
                            [q[1], q[2], q[3]]
                        })
                        .collect(),
                })
                .collect();
            out.push((
                format!("region-mw-{}", slug(region)),
                Section::Regions,
                "Bars: median across paths; whiskers: p25-p75. Connected MW are in service \
                 during the step; queued and waiting MW are requested and neither granted nor \
                 refused at its end; denied MW are refused so far."
                    .into(),
                Spec::Bars(GroupedBars {
                    title: format!("Grid capacity in {region}: data centers and miners"),
                    y_label: "MW".into(),
                    members: members.iter().map(|(l, _)| l.to_string()).collect(),
                    groups,
                }),
            ));
        }
        let series = format!("region.{region}.curtailed_mwh");
        let title = format!("Curtailment in {region}: load not served");
        if let Some((spec, none)) = ctx.fan_of(&series, &title, region, "MWh per step", true) {
            let lead = if none {
                "No path curtails any load in this region. "
            } else {
                ""
            };
            out.push((
                format!("curtailment-{}", slug(region)),
                Section::Regions,
                format!(
                    "{lead}Inflexible load above capacity plus curtailable data-center load not \
                     served. {FAN_NOTE}"
                ),
                spec,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_picks() {
        assert_eq!(slug("farm.Operator Hydro"), "farm-operator-hydro");
        assert_eq!(chosen_curves(6), [0, 3, 5]);
        assert_eq!(chosen_curves(1), [0]);
        assert!(chosen_curves(0).is_empty());
        let dates: Vec<String> = ["2026-01-01", "2026-06-01", "2027-01-01", "2027-03-01"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(bar_steps(&dates), [0, 2, 3]);
        assert!(bar_steps(&[]).is_empty());
    }
}
