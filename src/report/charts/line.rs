//! Line chart with an error band: an estimate against x (a swept input, or
//! days of a run) with the band of its uncertainty (± 2 standard errors, a
//! confidence interval, a quantile range: the caller says which).

use plotters::prelude::*;

use super::frame::{self, Axes, Key, Swatch};
use super::{ChartError, XAxis, YTicks, colour};

/// One point of a line and its band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    /// Where: the value itself, or days from the start on a dated axis.
    pub x: f64,
    /// The estimate.
    pub y: f64,
    /// Lower edge of the band.
    pub lo: f64,
    /// Upper edge of the band.
    pub hi: f64,
}

/// One line with its band.
#[derive(Debug, Clone, PartialEq)]
pub struct BandLine {
    /// Its name in the legend.
    pub label: String,
    /// Its points, in increasing x. A point with a NaN `x` or `y` is left
    /// out (and splits the line); a NaN band edge leaves the band out there.
    pub points: Vec<BandPoint>,
}

/// A line chart with error bands.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Title above the chart.
    pub title: String,
    /// The x axis.
    pub x: XAxis,
    /// The y axis' label with its unit.
    pub y_label: String,
    /// What the band is, for the legend: `± 2 standard errors`.
    pub band_label: String,
    /// The lines, each in its own colour.
    pub lines: Vec<BandLine>,
    /// How the y ticks are written (percent for shares).
    pub y_ticks: YTicks,
    /// Start the y axis at 0 when every value is positive.
    pub y_from_zero: bool,
    /// Mark each point with a dot (a sweep's few points; not a run's days).
    pub markers: bool,
    /// Include 0 in the y axis and draw the line y = 0 (a difference).
    pub zero_line: bool,
}

/// Draws `chart` as SVG: per line its band (translucent) and the line
/// through the estimates. A chart with no finite point is drawn as a "no
/// data" panel.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw.
pub fn line_chart(chart: &LineChart) -> Result<String, ChartError> {
    let title = chart.title.as_str();
    let shown = |p: &BandPoint| p.x.is_finite() && p.y.is_finite();
    let points = chart
        .lines
        .iter()
        .flat_map(|l| &l.points)
        .filter(|p| shown(p));
    let Some((y_lo, y_hi)) = frame::finite_span(points.clone().flat_map(|p| [p.y, p.lo, p.hi]))
    else {
        return frame::no_data(title, "no estimate is defined");
    };
    let Some((x_lo, x_hi)) = frame::finite_span(points.map(|p| chart.x.position(p.x))) else {
        return frame::no_data(title, "no estimate is defined");
    };
    let (y_lo, y_hi) = frame::with_zero(y_lo, y_hi, chart.zero_line);
    let mut keys: Vec<Key> = chart
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| Key {
            label: l.label.clone(),
            swatch: Swatch::Line(colour(i)),
        })
        .collect();
    keys.push(Key {
        label: chart.band_label.clone(),
        swatch: Swatch::Fill(RGBColor(90, 90, 90), 0.25),
    });
    let (x_lo, x_hi) = if x_hi > x_lo {
        let pad = if chart.markers {
            (x_hi - x_lo) * 0.03
        } else {
            0.0
        };
        (x_lo - pad, x_hi + pad)
    } else {
        (x_lo - 0.5, x_hi + 0.5)
    };
    let axes = Axes {
        x: x_lo..x_hi,
        y: frame::padded(y_lo, y_hi, chart.y_from_zero),
        x_axis: &chart.x,
        y_label: &chart.y_label,
        y_ticks: chart.y_ticks,
    };
    frame::render(title, &keys, frame::BODY_HEIGHT, |area| {
        let mut plot = frame::plot(area, title, &axes)?;
        for (i, line) in chart.lines.iter().enumerate() {
            draw_line(&mut plot, chart, line, colour(i)).map_err(frame::fail(title))?;
        }
        if chart.zero_line {
            frame::draw_zero_line(&mut plot, &axes.x).map_err(frame::fail(title))?;
        }
        Ok(())
    })
}

fn draw_line(
    plot: &mut frame::Plot<'_, '_>,
    chart: &LineChart,
    line: &BandLine,
    c: RGBColor,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let points = frame::thin(&line.points);
    let at = |p: &BandPoint| chart.x.position(p.x);
    let banded = |p: &BandPoint| p.x.is_finite() && p.lo.is_finite() && p.hi.is_finite();
    for run in frame::runs(&points, banded) {
        let band: Vec<_> = run.iter().map(|p| (at(p), p.lo, p.hi)).collect();
        plot.draw_series(std::iter::once(frame::band_polygon(
            &band,
            c.mix(0.22).filled(),
        )))?;
    }
    for run in frame::runs(&points, |p| p.x.is_finite() && p.y.is_finite()) {
        plot.draw_series(LineSeries::new(
            run.iter().map(|p| (at(p), p.y)),
            c.stroke_width(2),
        ))?;
        if chart.markers {
            plot.draw_series(run.iter().map(|p| Circle::new((at(p), p.y), 4, c.filled())))?;
            // Error bars too: with a few points a band alone hides which
            // point it belongs to.
            plot.draw_series(
                run.iter()
                    .filter(|p| p.lo.is_finite() && p.hi.is_finite())
                    .map(|p| {
                        PathElement::new(vec![(at(p), p.lo), (at(p), p.hi)], c.stroke_width(1))
                    }),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_band_and_markers() {
        let points = (0..5)
            .map(|i| {
                let x = 40.0 + 5.0 * i as f64;
                BandPoint {
                    x,
                    y: 1e6 * (60.0 - x),
                    lo: 1e6 * (58.0 - x),
                    hi: 1e6 * (62.0 - x),
                }
            })
            .collect();
        let chart = LineChart {
            title: "Margin against the contract price".into(),
            x: XAxis::Numeric("contract price, USD/MWh".into()),
            y_label: "USD".into(),
            band_label: "± 2 standard errors".into(),
            lines: vec![BandLine {
                label: "mean margin".into(),
                points,
            }],
            y_from_zero: false,
            y_ticks: YTicks::Compact,
            markers: true,
            zero_line: false,
        };
        let svg = line_chart(&chart).unwrap();
        assert_eq!(svg.matches("<polygon").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 5);
        let texts = frame::texts(&svg);
        assert!(texts.iter().any(|t| t == "contract price, USD/MWh"));
        assert!(texts.iter().any(|t| t.ends_with('M')), "{texts:?}");
        let none = LineChart {
            lines: vec![],
            ..chart
        };
        assert!(line_chart(&none).unwrap().contains("No data"));
    }
}
