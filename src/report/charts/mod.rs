//! The report's charts, drawn with plotters' SVG backend: one file per kind
//! of chart, each a pure function from plain data to the text of an SVG.
//!
//! The primitives ([`fan_chart`], [`line_chart`], [`tornado_chart`],
//! [`interval_chart`]) take
//! owned, plain data (no [`Summary`](crate::stats::Summary)), so that the
//! report of a run, of a comparison and of a sweep draw with the same code.
//! Every chart has its title and legend in a header above the plot (never
//! over the data), units on its axes and k/M/B suffixes on its tick labels.
//! A chart without any finite value is drawn as a titled "no data" panel
//! instead of failing.

mod bars;
mod cost_curve;
mod distribution;
mod fan;
mod frame;
mod intervals;
mod line;
mod tornado;

pub use bars::{BarGroup, GroupedBars, HBar, HBarChart, grouped_bars, hbar_chart};
pub use cost_curve::{CostCurveChart, CurveStep, FleetKind, PriceLine, cost_curve_chart};
pub use distribution::{DistributionChart, distribution_chart};
pub use fan::{FanChart, FanPoint, FanSeries, fan_chart};
pub use intervals::{IntervalChart, IntervalRow, interval_chart};
pub use line::{BandLine, BandPoint, LineChart, line_chart};
pub use tornado::{Tornado, TornadoBar, sorted_by_swing, tornado_chart};

use super::format::Calendar;

/// Why a chart could not be drawn (plotters refused a drawing operation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("drawing the chart \"{title}\": {message}")]
pub struct ChartError {
    /// The chart's title.
    pub title: String,
    /// What plotters said.
    pub message: String,
}

/// The x axis of a chart.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// Plain numbers (a swept input, a level), with the axis label and unit.
    Numeric(String),
    /// Days from the start of a run, labelled with dates (`2027`,
    /// `2027-07`) by the run's calendar.
    Dated(Calendar),
    /// Named categories at x = 0, 1, 2, ... (bar groups).
    Categories(Vec<String>),
}

impl XAxis {
    /// Where the value `x` (days, for a dated axis) is drawn.
    fn position(&self, x: f64) -> f64 {
        match self {
            XAxis::Numeric(_) | XAxis::Categories(_) => x,
            XAxis::Dated(calendar) => calendar.decimal_year(x),
        }
    }

    /// The axis description under the ticks.
    fn description(&self) -> &str {
        match self {
            XAxis::Numeric(label) => label,
            XAxis::Dated(_) | XAxis::Categories(_) => "",
        }
    }

    /// The label of a tick at the position `x`, with `digits` significant
    /// digits for numbers.
    fn tick(&self, x: f64, digits: u32) -> String {
        match self {
            XAxis::Numeric(_) => super::format::compact_digits(x, digits),
            XAxis::Dated(_) => super::format::year_label(x),
            XAxis::Categories(names) => category(names, x),
        }
    }

    /// How many tick labels to ask plotters for: one per category (a range
    /// of n with at most n labels steps by 1), else about 8.
    fn ticks(&self) -> usize {
        match self {
            XAxis::Categories(names) => names.len().max(1),
            _ => 8,
        }
    }
}

/// The name at a whole position `x` of `names`; empty between them.
fn category(names: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    names.get(i as usize).cloned().unwrap_or_default()
}

/// How y tick labels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YTicks {
    /// `12.3M`, `450k`.
    Compact,
    /// A share as a percentage: 0.25 is `25 %`.
    Percent,
}

impl YTicks {
    fn label(self, y: f64, digits: u32) -> String {
        match self {
            YTicks::Compact => super::format::compact_digits(y, digits),
            YTicks::Percent => format!("{} %", super::format::compact_digits(y * 100.0, digits)),
        }
    }
}

/// Colours of successive series: the Okabe-Ito palette (told apart with
/// the common colour-vision deficiencies), yellow left out (unreadable on
/// white).
pub const PALETTE: [(u8, u8, u8); 7] = [
    (0, 114, 178),   // blue
    (213, 94, 0),    // vermillion
    (0, 158, 115),   // bluish green
    (204, 121, 167), // reddish purple
    (230, 159, 0),   // orange
    (86, 180, 233),  // sky blue
    (0, 0, 0),       // black
];

/// The palette's colour for the `i`-th series (cycling).
fn colour(i: usize) -> plotters::style::RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    plotters::style::RGBColor(r, g, b)
}
