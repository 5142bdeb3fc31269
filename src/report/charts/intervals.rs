//! Interval chart: one estimate per row as a dot with its error bar, on a
//! common axis with the zero line drawn, e.g. the paired differences
//! B − A of one measure per farm with ± 2 standard errors: a bar that
//! crosses zero is a difference the paths cannot tell from none.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, CHAR_PX, FONT, Key, Swatch};
use super::{ChartError, colour};
use crate::report::format::compact;

/// One row: an estimate and its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// The row's label (left of the axis), e.g. the farm.
    pub label: String,
    /// The estimate (NaN: the row is drawn empty, with its text).
    pub value: f64,
    /// Lower end of the error bar.
    pub lo: f64,
    /// Upper end of the error bar.
    pub hi: f64,
    /// Written right of the error bar: `−1.2M ± 30k`.
    pub text: String,
}

/// An interval chart.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalChart {
    /// Title above the chart.
    pub title: String,
    /// The x axis' label with its unit.
    pub x_label: String,
    /// What the dot is, for the legend: `B − A, mean over paths`.
    pub value_label: String,
    /// What the bar is, for the legend: `± 2 standard errors`.
    pub interval_label: String,
    /// The rows, top to bottom.
    pub rows: Vec<IntervalRow>,
}

/// Draws `chart` as SVG: per row a dot at the estimate and a bar from
/// `lo` to `hi` with end caps, the line x = 0 across all rows. A chart
/// without any finite estimate is drawn as a "no data" panel.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw.
pub fn interval_chart(chart: &IntervalChart) -> Result<String, ChartError> {
    let title = chart.title.as_str();
    let rows = &chart.rows;
    let values = rows
        .iter()
        .filter(|r| r.value.is_finite())
        .flat_map(|r| [r.value, r.lo, r.hi]);
    let Some((lo, hi)) = frame::finite_span(values) else {
        return frame::no_data(title, "no estimate is defined");
    };
    let (lo, hi) = frame::with_zero(lo, hi, true);
    let span = (hi - lo).max(hi.abs().max(lo.abs()).max(1e-12) * 0.01);
    // Room on the right for the texts.
    let text_px = rows.iter().map(|r| r.text.len()).max().unwrap_or(0) as f64 * CHAR_PX;
    let right = span * (text_px + 20.0) / 500.0;
    let (x0, x1) = (lo - span * 0.05, hi + right.max(span * 0.05));
    let n = rows.len();
    let label_px = rows.iter().map(|r| r.label.len()).max().unwrap_or(4) as f64 * CHAR_PX;
    let c = colour(0);
    let keys = [
        Key {
            label: chart.value_label.clone(),
            swatch: Swatch::Fill(c, 1.0),
        },
        Key {
            label: chart.interval_label.clone(),
            swatch: Swatch::Line(c),
        },
        Key {
            label: "zero: no difference".into(),
            swatch: Swatch::Line(RGBColor(40, 40, 40)),
        },
    ];
    let height = (n as u32 * 34 + 70).max(130);
    frame::render(title, &keys, height, |area| {
        let y_of = |i: usize| (n - 1 - i) as f64;
        let label_of = frame::row_label(rows.iter().map(|r| r.label.clone()).collect());
        let x_fmt = |x: &f64| compact(*x);
        let mut plot = ChartBuilder::on(area)
            .margin_left(10)
            .margin_right(25)
            .margin_top(6)
            .x_label_area_size(48)
            .y_label_area_size(label_px as u32 + 16)
            .build_cartesian_2d(x0..x1, -0.5..n as f64 - 0.5)
            .map_err(frame::fail(title))?;
        plot.configure_mesh()
            .disable_y_mesh()
            .x_labels(8)
            .y_labels(n.max(1))
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&label_of)
            .x_desc(chart.x_label.as_str())
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()
            .map_err(frame::fail(title))?;
        let zero = PathElement::new(
            vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
            RGBColor(40, 40, 40).stroke_width(1),
        );
        plot.draw_series([zero]).map_err(frame::fail(title))?;
        let font = TextStyle::from((FONT, 13).into_font());
        for (i, row) in rows.iter().enumerate() {
            let y = y_of(i);
            let mut end = 0.0_f64.max(lo);
            if row.value.is_finite() {
                end = row.value;
                if row.lo.is_finite() && row.hi.is_finite() {
                    let stroke = c.stroke_width(2);
                    let bars = [
                        vec![(row.lo, y), (row.hi, y)],
                        vec![(row.lo, y - 0.18), (row.lo, y + 0.18)],
                        vec![(row.hi, y - 0.18), (row.hi, y + 0.18)],
                    ];
                    plot.draw_series(bars.into_iter().map(|b| PathElement::new(b, stroke)))
                        .map_err(frame::fail(title))?;
                    end = row.hi.max(row.value);
                }
                plot.draw_series([Circle::new((row.value, y), 5, c.filled())])
                    .map_err(frame::fail(title))?;
            }
            let text = Text::new(
                row.text.clone(),
                (end + span * 0.02, y),
                font.pos(Pos::new(HPos::Left, VPos::Center)),
            );
            plot.draw_series([text]).map_err(frame::fail(title))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, value: f64, half: f64) -> IntervalRow {
        IntervalRow {
            label: label.into(),
            value,
            lo: value - half,
            hi: value + half,
            text: format!("{} ± {}", compact(value), compact(half / 2.0)),
        }
    }

    #[test]
    fn dots_bars_zero_line_and_labels() {
        let chart = IntervalChart {
            title: "Margin, B − A".into(),
            x_label: "USD".into(),
            value_label: "mean difference".into(),
            interval_label: "± 2 standard errors".into(),
            rows: vec![
                row("operator", -2.5e6, 2e5),
                row("operator-hydro", 1e5, 3e5),
            ],
        };
        let svg = interval_chart(&chart).unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        let texts = frame::texts(&svg);
        for want in ["operator", "operator-hydro", "USD", "zero: no difference"] {
            assert!(texts.iter().any(|t| t == want), "{want}: {texts:?}");
        }
        assert!(texts.iter().any(|t| t.starts_with("-2.5M ±")), "{texts:?}");
        let empty = IntervalChart {
            rows: vec![row("x", f64::NAN, 1.0)],
            ..chart
        };
        assert!(interval_chart(&empty).unwrap().contains("No data"));
    }
}
