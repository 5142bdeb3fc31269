//! Tornado chart: how far an output moves when each input goes from its
//! low to its high value (the others at their base), one horizontal bar
//! per input around the base value, the widest swing on top.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, CHAR_PX, FONT, Key, Swatch};
use super::{ChartError, colour};
use crate::report::format::compact;

/// Colour of the error whiskers.
const WHISKER: RGBColor = RGBColor(30, 30, 30);

/// One input's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// The input, e.g. `farms[0].contract.price_usd_per_mwh`.
    pub label: String,
    /// The input's low value as text, written at the end of its segment.
    pub low_input: String,
    /// The input's high value as text.
    pub high_input: String,
    /// The output with the input at its low value.
    pub at_low: f64,
    /// The output with the input at its high value.
    pub at_high: f64,
    /// The error whisker around `at_low`, `[from, to]` (NaN: none).
    pub low_whisker: [f64; 2],
    /// The error whisker around `at_high`, `[from, to]` (NaN: none).
    pub high_whisker: [f64; 2],
}

impl TornadoBar {
    /// The swing `|at_high − at_low|`; NaN when either end is undefined.
    pub fn swing(&self) -> f64 {
        (self.at_high - self.at_low).abs()
    }
}

/// A tornado chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// Title above the chart.
    pub title: String,
    /// The output's label with its unit (the x axis).
    pub x_label: String,
    /// The output at every input's base value: the bars' common origin.
    pub base: f64,
    /// The bars, in any order (drawn sorted by swing, widest on top; bars
    /// with an undefined end at the bottom, drawn with what is defined).
    pub bars: Vec<TornadoBar>,
    /// What the whiskers are, for the legend (`95 % interval of each
    /// end`); no legend entry when empty.
    pub whisker_label: String,
}

/// The bars of `tornado` from the widest swing to the narrowest; undefined
/// swings last, ties by label.
pub fn sorted_by_swing(bars: &[TornadoBar]) -> Vec<&TornadoBar> {
    let mut sorted: Vec<&TornadoBar> = bars.iter().collect();
    sorted.sort_by(|a, b| {
        let (sa, sb) = (a.swing(), b.swing());
        sa.is_nan()
            .cmp(&sb.is_nan())
            .then(sb.total_cmp(&sa))
            .then(a.label.cmp(&b.label))
    });
    sorted
}

/// Draws `tornado` as SVG. A tornado without a finite base or any finite
/// bar end is drawn as a "no data" panel.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw.
pub fn tornado_chart(tornado: &Tornado) -> Result<String, ChartError> {
    let title = tornado.title.as_str();
    let bars = sorted_by_swing(&tornado.bars);
    let ends = bars.iter().flat_map(|b| {
        [b.at_low, b.at_high]
            .into_iter()
            .chain(b.low_whisker)
            .chain(b.high_whisker)
    });
    let Some((lo, hi)) = frame::finite_span(ends.chain([tornado.base])) else {
        return frame::no_data(title, "no output is defined");
    };
    if !tornado.base.is_finite() || bars.is_empty() {
        return frame::no_data(title, "the base value or every bar is undefined");
    }
    // Room for the input values written beyond the bars' ends.
    let pad = (hi - lo).max(hi.abs().max(1e-9) * 0.01) * 0.18;
    let n = bars.len();
    let label_px = bars.iter().map(|b| b.label.len()).max().unwrap_or(4) as f64 * CHAR_PX;
    let (low_c, high_c) = (colour(0), colour(1));
    let mut keys = vec![
        Key {
            label: "input at its low value".into(),
            swatch: Swatch::Fill(low_c, 0.8),
        },
        Key {
            label: "input at its high value".into(),
            swatch: Swatch::Fill(high_c, 0.8),
        },
        Key {
            label: format!("base {}", compact(tornado.base)),
            swatch: Swatch::Line(RGBColor(40, 40, 40)),
        },
    ];
    if !tornado.whisker_label.is_empty() {
        keys.push(Key {
            label: tornado.whisker_label.clone(),
            swatch: Swatch::Line(WHISKER),
        });
    }
    let height = (n as u32 * 46 + 70).max(150);
    frame::render(title, &keys, height, |area| {
        // Row i from the top holds bars[i]: y = n − 1 − i.
        let y_of = |i: usize| (n - 1 - i) as f64;
        // Ticks fall on whole rows (at most n labels over a range of n:
        // plotters steps by 1); anything else gets no label.
        let label_of = frame::row_label(bars.iter().map(|r| r.label.clone()).collect());
        let x_fmt = |x: &f64| compact(*x);
        let mut chart = ChartBuilder::on(area)
            .margin_left(10)
            .margin_right(25)
            .margin_top(6)
            .x_label_area_size(48)
            .y_label_area_size(label_px as u32 + 16)
            .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..n as f64 - 0.5)
            .map_err(frame::fail(title))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(8)
            .y_labels(n)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&label_of)
            .x_desc(tornado.x_label.as_str())
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()
            .map_err(frame::fail(title))?;
        let base = tornado.base;
        let font = TextStyle::from((FONT, 13).into_font());
        for (i, bar) in bars.iter().enumerate() {
            let y = y_of(i);
            // The low end's bar in the upper half of the row, the high
            // end's in the lower half: when both lie on the same side of
            // the base, neither hides the other, its whisker or its label.
            for (end, whisker, text, c, mid) in [
                (bar.at_low, bar.low_whisker, &bar.low_input, low_c, y + 0.17),
                (
                    bar.at_high,
                    bar.high_whisker,
                    &bar.high_input,
                    high_c,
                    y - 0.17,
                ),
            ] {
                if !end.is_finite() {
                    continue;
                }
                let rect =
                    Rectangle::new([(base, mid - 0.15), (end, mid + 0.15)], c.mix(0.8).filled());
                chart.draw_series([rect]).map_err(frame::fail(title))?;
                let [w0, w1] = whisker;
                if w0.is_finite() && w1.is_finite() {
                    let stroke = WHISKER.stroke_width(2);
                    let lines = [
                        vec![(w0, mid), (w1, mid)],
                        vec![(w0, mid - 0.09), (w0, mid + 0.09)],
                        vec![(w1, mid - 0.09), (w1, mid + 0.09)],
                    ];
                    chart
                        .draw_series(lines.into_iter().map(|l| PathElement::new(l, stroke)))
                        .map_err(frame::fail(title))?;
                }
                // Beyond the bar's end and its whisker (f64::max ignores
                // a NaN whisker).
                let (outward, side, gap) = if end >= base {
                    (end.max(w1), HPos::Left, pad * 0.04)
                } else {
                    (end.min(w0), HPos::Right, -pad * 0.04)
                };
                let label = Text::new(
                    text.clone(),
                    (outward + gap, mid),
                    font.pos(Pos::new(side, VPos::Center)),
                );
                chart.draw_series([label]).map_err(frame::fail(title))?;
            }
        }
        let axis_line = PathElement::new(
            vec![(base, -0.5), (base, n as f64 - 0.5)],
            RGBColor(40, 40, 40).stroke_width(2),
        );
        chart.draw_series([axis_line]).map_err(frame::fail(title))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::frame;

    fn bar(label: &str, at_low: f64, at_high: f64) -> TornadoBar {
        TornadoBar {
            label: label.into(),
            low_input: "lo".into(),
            high_input: "hi".into(),
            at_low,
            at_high,
            low_whisker: [at_low - 0.5, at_low + 0.5],
            high_whisker: [f64::NAN; 2],
        }
    }

    #[test]
    fn widest_swing_first_undefined_last() {
        let bars = [
            bar("a", 1.0, 2.0),
            bar("b", f64::NAN, 3.0),
            bar("c", 5.0, -5.0),
        ];
        let order: Vec<&str> = sorted_by_swing(&bars)
            .iter()
            .map(|b| b.label.as_str())
            .collect();
        assert_eq!(order, ["c", "a", "b"]);
    }

    #[test]
    fn draws_every_bar_and_label() {
        let t = Tornado {
            title: "Margin".into(),
            x_label: "USD".into(),
            base: 10.0,
            bars: vec![bar("price", 4.0, 20.0), bar("fee", 9.0, 11.0)],
            whisker_label: "95 % interval".into(),
        };
        let svg = tornado_chart(&t).unwrap();
        let texts = frame::texts(&svg);
        assert!(
            texts.iter().any(|t| t == "price") && texts.iter().any(|t| t == "fee"),
            "{texts:?}"
        );
        // Two filled segments per bar (plus the legend's two swatches).
        assert!(svg.matches("<rect").count() >= 4 + 2);
        // One whisker (three strokes) per bar's low end.
        assert!(svg.matches("stroke=\"#1E1E1E\"").count() >= 6, "{svg}");
        let empty = Tornado { bars: vec![], ..t };
        assert!(tornado_chart(&empty).unwrap().contains("No data"));
    }
}
