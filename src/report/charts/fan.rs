//! Fan chart: the spread of a quantity across paths over time, as the
//! p5–p95 and p25–p75 bands around the median, for one or several series.

use plotters::prelude::*;

use super::frame::{self, Axes, Key, Swatch};
use super::{ChartError, XAxis, YTicks, colour};
use crate::stats::Statistics;

/// One series' quantiles at one x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FanPoint {
    /// Where: days from the start on a dated axis, else the value itself.
    pub x: f64,
    /// p5, p25, p50, p75, p95 (NaN where undefined: the point is left out).
    pub quantiles: [f64; 5],
}

/// One quantity drawn as a fan.
#[derive(Debug, Clone, PartialEq)]
pub struct FanSeries {
    /// Its name in the legend.
    pub label: String,
    /// Its quantiles, in increasing x.
    pub points: Vec<FanPoint>,
}

impl FanSeries {
    /// A series from per-step statistics at the positions `x` (the shorter
    /// of the two sets the length).
    pub fn from_statistics(label: &str, x: &[f64], stats: &[Statistics]) -> FanSeries {
        FanSeries {
            label: label.to_string(),
            points: x
                .iter()
                .zip(stats)
                .map(|(&x, s)| FanPoint {
                    x,
                    quantiles: s.quantiles,
                })
                .collect(),
        }
    }
}

/// A fan chart: title, axes and the series to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct FanChart {
    /// Title above the chart.
    pub title: String,
    /// The x axis (dated for a run's steps).
    pub x: XAxis,
    /// The y axis' label with its unit, e.g. `USD/BTC`.
    pub y_label: String,
    /// The series, each in its own colour.
    pub series: Vec<FanSeries>,
    /// How the y ticks are written (percent for shares).
    pub y_ticks: YTicks,
    /// Start the y axis at 0 when every value is positive (MW, counts).
    pub y_from_zero: bool,
    /// Include 0 in the y axis and draw the line y = 0 (a difference).
    pub zero_line: bool,
}

/// Draws `chart` as SVG: per series, the p5–p95 band (light), the p25–p75
/// band (darker) and the median (line); a point with any quantile NaN is
/// left out and splits the bands. The legend names the series and the
/// bands. A chart with no finite point is drawn as a "no data" panel.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw (not expected with the SVG
/// backend writing to a string).
pub fn fan_chart(chart: &FanChart) -> Result<String, ChartError> {
    let title = chart.title.as_str();
    let defined = |p: &FanPoint| p.x.is_finite() && p.quantiles.iter().all(|q| q.is_finite());
    let all = chart
        .series
        .iter()
        .flat_map(|s| &s.points)
        .filter(|p| defined(p));
    let Some((y_lo, y_hi)) =
        frame::finite_span(all.clone().flat_map(|p| [p.quantiles[0], p.quantiles[4]]))
    else {
        return frame::no_data(title, "no path has a value");
    };
    let Some((x_lo, x_hi)) = frame::finite_span(all.map(|p| chart.x.position(p.x))) else {
        return frame::no_data(title, "no path has a value");
    };
    let (y_lo, y_hi) = frame::with_zero(y_lo, y_hi, chart.zero_line);
    let mut keys: Vec<Key> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| Key {
            label: if chart.series.len() == 1 {
                format!("{} (median)", s.label)
            } else {
                s.label.clone()
            },
            swatch: Swatch::Line(colour(i)),
        })
        .collect();
    // One series: its own colour; several: a neutral grey for all.
    let band = if chart.series.len() == 1 {
        colour(0)
    } else {
        RGBColor(90, 90, 90)
    };
    keys.push(Key {
        label: "middle 50 % of paths (p25-p75)".into(),
        swatch: Swatch::Fill(band, 0.45),
    });
    keys.push(Key {
        label: "90 % of paths (p5-p95)".into(),
        swatch: Swatch::Fill(band, 0.2),
    });
    let axes = Axes {
        x: x_lo..x_hi.max(x_lo + 1e-9),
        y: frame::padded(y_lo, y_hi, chart.y_from_zero),
        x_axis: &chart.x,
        y_label: &chart.y_label,
        y_ticks: chart.y_ticks,
    };
    frame::render(title, &keys, frame::BODY_HEIGHT, |area| {
        let mut plot = frame::plot(area, title, &axes)?;
        for (i, series) in chart.series.iter().enumerate() {
            draw_fan(&mut plot, &chart.x, series, colour(i)).map_err(frame::fail(title))?;
        }
        if chart.zero_line {
            frame::draw_zero_line(&mut plot, &axes.x).map_err(frame::fail(title))?;
        }
        Ok(())
    })
}

fn draw_fan(
    plot: &mut frame::Plot<'_, '_>,
    x_axis: &XAxis,
    series: &FanSeries,
    c: RGBColor,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let points = frame::thin(&series.points);
    let defined = |p: &FanPoint| p.x.is_finite() && p.quantiles.iter().all(|q| q.is_finite());
    for run in frame::runs(&points, defined) {
        let at = |p: &FanPoint, lo: usize, hi: usize| {
            (x_axis.position(p.x), p.quantiles[lo], p.quantiles[hi])
        };
        let outer: Vec<_> = run.iter().map(|p| at(p, 0, 4)).collect();
        let inner: Vec<_> = run.iter().map(|p| at(p, 1, 3)).collect();
        plot.draw_series(std::iter::once(frame::band_polygon(
            &outer,
            c.mix(0.16).filled(),
        )))?;
        plot.draw_series(std::iter::once(frame::band_polygon(
            &inner,
            c.mix(0.32).filled(),
        )))?;
        plot.draw_series(LineSeries::new(
            run.iter().map(|p| (x_axis.position(p.x), p.quantiles[2])),
            c.stroke_width(2),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::format::Calendar;

    fn fan(points: Vec<FanPoint>) -> FanChart {
        FanChart {
            title: "BTC price".into(),
            x: XAxis::Dated(Calendar::new("2026-01-01", 0).unwrap()),
            y_label: "USD/BTC".into(),
            series: vec![FanSeries {
                label: "BTC".into(),
                points,
            }],
            y_from_zero: false,
            y_ticks: YTicks::Compact,
            zero_line: false,
        }
    }

    #[test]
    fn bands_median_dates_and_units() {
        let points = (0..1000)
            .map(|d| {
                let m = 90_000.0 + 30.0 * d as f64;
                FanPoint {
                    x: d as f64,
                    quantiles: [m * 0.6, m * 0.8, m, m * 1.2, m * 1.5],
                }
            })
            .collect();
        let svg = fan_chart(&fan(points)).unwrap();
        // Two bands and the median.
        assert_eq!(svg.matches("<polygon").count(), 2);
        assert!(svg.contains("<polyline"));
        let texts = frame::texts(&svg);
        assert!(texts.iter().any(|t| t == "2027"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "USD/BTC"));
        assert!(
            texts.iter().any(|t| t.ends_with("k") && t.len() <= 4),
            "suffixes: {texts:?}"
        );
        // Thinned: a 1000-day series is not drawn point by point.
        let median = svg.split("<polyline").nth(1).unwrap();
        let drawn = median
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(drawn.split(' ').count() <= frame::MAX_POINTS + 1);
    }

    #[test]
    fn gaps_split_bands_and_nan_only_is_no_data() {
        let mut points: Vec<FanPoint> = (0..10)
            .map(|d| FanPoint {
                x: d as f64,
                quantiles: [1.0, 2.0, 3.0, 4.0, 5.0],
            })
            .collect();
        points[5].quantiles[2] = f64::NAN;
        let svg = fan_chart(&fan(points.clone())).unwrap();
        assert_eq!(svg.matches("<polygon").count(), 4);
        for p in &mut points {
            p.quantiles = [f64::NAN; 5];
        }
        let svg = fan_chart(&fan(points)).unwrap();
        assert!(svg.contains("No data") && !svg.contains("<polygon"));
        assert!(fan_chart(&fan(vec![])).unwrap().contains("No data"));
    }
}
