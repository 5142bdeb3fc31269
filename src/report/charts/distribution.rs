//! The distribution of one value across paths (a farm's margin or NPV, the
//! network's annualised growth) as its cumulative distribution: x the
//! value, y the share of paths at or below it. The summary holds a quantile
//! sketch, not the paths, so the curve is drawn through its quantiles; a
//! CDF shows point masses (many paths on one value) as the jumps they are,
//! where a density would need a bin width the data does not give.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, Axes, FONT, Key, Swatch};
use super::{ChartError, XAxis, YTicks, colour};
use crate::report::format::{compact, percent};
use crate::stats::Distribution;

/// Probabilities the curve is drawn through: 1 % to 99 % (the extreme
/// 1 % on each side would stretch the axis to a single path's value).
fn levels() -> impl Iterator<Item = f64> {
    (1..=99).map(|k| f64::from(k) / 100.0)
}

/// A distribution drawn as its CDF.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionChart {
    /// Title above the chart.
    pub title: String,
    /// The value's label with its unit (the x axis).
    pub x_label: String,
    /// `(p, value)`: the value at or below which the share `p` of paths
    /// lie, in increasing `p`.
    pub quantiles: Vec<(f64, f64)>,
    /// Multiply values by this for display (100 for a share shown in %).
    pub scale: f64,
    /// What the paths are, for the legend: `paths with a payback`; the
    /// shares are of these.
    pub population: String,
}

impl DistributionChart {
    /// The chart of `d` through its 1st to 99th percentiles.
    pub fn of(title: &str, x_label: &str, d: &Distribution, population: &str) -> Self {
        DistributionChart {
            title: title.to_string(),
            x_label: x_label.to_string(),
            quantiles: levels().map(|p| (p, d.quantile(p))).collect(),
            scale: 1.0,
            population: population.to_string(),
        }
    }

    /// The share of paths below `x`, interpolated between the quantiles;
    /// `None` outside the drawn range.
    pub fn share_below(&self, x: f64) -> Option<f64> {
        let pts: Vec<(f64, f64)> = self
            .quantiles
            .iter()
            .copied()
            .filter(|(_, v)| v.is_finite())
            .collect();
        let first = pts.first()?;
        let last = pts.last()?;
        if x < first.1 || x > last.1 {
            return None;
        }
        pts.windows(2).find_map(|w| {
            let ((p0, v0), (p1, v1)) = (w[0], w[1]);
            (x >= v0 && x <= v1).then(|| {
                if v1 > v0 {
                    p0 + (p1 - p0) * (x - v0) / (v1 - v0)
                } else {
                    p1
                }
            })
        })
    }
}

/// Draws `chart` as SVG: the CDF, its p5, median and p95 marked, and, when
/// the values straddle zero, the share of paths below zero.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw.
pub fn distribution_chart(chart: &DistributionChart) -> Result<String, ChartError> {
    let title = chart.title.as_str();
    let pts: Vec<(f64, f64)> = chart
        .quantiles
        .iter()
        .filter(|(p, v)| p.is_finite() && v.is_finite())
        .map(|&(p, v)| (v * chart.scale, p))
        .collect();
    let Some((lo, hi)) = frame::finite_span(pts.iter().map(|p| p.0)) else {
        return frame::no_data(title, "no path has a value");
    };
    let c = colour(0);
    let marks = [(0.05, "p5"), (0.5, "median"), (0.95, "p95")];
    let zero = (lo < 0.0 && hi > 0.0)
        .then(|| chart.share_below(0.0))
        .flatten();
    let mut keys = vec![Key {
        label: format!("share of {} at or below the value", chart.population),
        swatch: Swatch::Line(c),
    }];
    if let Some(share) = zero {
        keys.push(Key {
            label: format!("below 0: {}", percent(share)),
            swatch: Swatch::Fill(colour(1), 0.25),
        });
    }
    let x_axis = XAxis::Numeric(chart.x_label.clone());
    let axes = Axes {
        x: frame::padded(lo, hi, false),
        y: 0.0..1.0,
        x_axis: &x_axis,
        y_label: "share of paths",
        y_ticks: YTicks::Percent,
    };
    frame::render(title, &keys, 300, |area| {
        let mut plot = frame::plot(area, title, &axes)?;
        let err = frame::fail(title);
        if zero.is_some() {
            let shade = Rectangle::new(
                [(axes.x.start, 0.0), (0.0, 1.0)],
                colour(1).mix(0.1).filled(),
            );
            plot.draw_series([shade]).map_err(&err)?;
        }
        plot.draw_series(AreaSeries::new(pts.iter().copied(), 0.0, c.mix(0.12)))
            .map_err(&err)?;
        plot.draw_series(LineSeries::new(pts.iter().copied(), c.stroke_width(2)))
            .map_err(&err)?;
        let font = TextStyle::from((FONT, 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        for (p, name) in marks {
            let Some(&(x, _)) = pts.iter().find(|(_, q)| (q - p).abs() < 1e-9) else {
                continue;
            };
            plot.draw_series([Circle::new((x, p), 4, c.filled())])
                .map_err(&err)?;
            // Right of the point, except near the right edge.
            let right = x < axes.x.start + (axes.x.end - axes.x.start) * 0.75;
            let (anchor, gap) = if right {
                (HPos::Left, 0.012)
            } else {
                (HPos::Right, -0.012)
            };
            let text = Text::new(
                format!("{name} {}", compact(x)),
                (x + gap * (axes.x.end - axes.x.start), p),
                font.pos(Pos::new(anchor, VPos::Center)),
            );
            plot.draw_series([text]).map_err(&err)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_marks_quantiles_and_the_share_below_zero() {
        let mut d = Distribution::default();
        let values: Vec<f64> = (0..1000).map(|i| f64::from(i) * 1e4 - 2e6).collect();
        d.add_chunk(&values);
        let chart = DistributionChart::of("NPV", "USD", &d, "paths");
        let below = chart.share_below(0.0).unwrap();
        assert!((below - 0.2).abs() < 0.01, "{below}");
        let svg = distribution_chart(&chart).unwrap();
        let texts = frame::texts(&svg);
        assert!(texts.iter().any(|t| t.starts_with("median ")), "{texts:?}");
        // 20 % below zero, within the sketch's resolution.
        let below: f64 = texts
            .iter()
            .find_map(|t| {
                t.strip_prefix("below 0: ")?
                    .strip_suffix(" %")?
                    .parse()
                    .ok()
            })
            .expect("the share below zero");
        assert!((below - 20.0).abs() < 0.5, "{below}");
        assert!(texts.iter().any(|t| t == "100 %"));
        let empty = DistributionChart::of("NPV", "USD", &Distribution::default(), "paths");
        assert!(distribution_chart(&empty).unwrap().contains("No data"));
    }
}
