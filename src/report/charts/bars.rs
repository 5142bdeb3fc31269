//! Bar charts: grouped bars (several quantities at a few dates, e.g. a
//! region's MW of data centers and miners) with p25–p75 whiskers, and
//! horizontal bars of shares with a sentence each (e.g. the share of paths
//! whose network reaches each hashrate level, and when).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, Axes, CHAR_PX, FONT, Key, Swatch};
use super::{ChartError, XAxis, YTicks, colour};

/// One group of bars (one date): per member its p25, median and p75.
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    /// The group's label under the axis (`2027-01-01`).
    pub label: String,
    /// Per member, in the order of [`GroupedBars::members`]: p25, p50, p75.
    pub values: Vec<[f64; 3]>,
}

/// Grouped bars: bar height the median, whisker p25–p75.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedBars {
    /// Title above the chart.
    pub title: String,
    /// The y axis' label with its unit.
    pub y_label: String,
    /// The members of each group, for the legend.
    pub members: Vec<String>,
    /// The groups, left to right.
    pub groups: Vec<BarGroup>,
}

/// Draws `chart` as SVG. Undefined medians are left out; with no finite
/// value at all it is a "no data" panel.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw.
pub fn grouped_bars(chart: &GroupedBars) -> Result<String, ChartError> {
    let title = chart.title.as_str();
    let values = chart
        .groups
        .iter()
        .flat_map(|g| g.values.iter().flatten().copied());
    let Some((lo, hi)) = frame::finite_span(values) else {
        return frame::no_data(title, "no path has a value");
    };
    let keys: Vec<Key> = chart
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| Key {
            label: m.clone(),
            swatch: Swatch::Fill(colour(i), 0.85),
        })
        .collect();
    let x_axis = XAxis::Categories(chart.groups.iter().map(|g| g.label.clone()).collect());
    let axes = Axes {
        x: -0.5..chart.groups.len() as f64 - 0.5,
        y: frame::padded(lo.min(0.0), hi, true),
        x_axis: &x_axis,
        y_label: &chart.y_label,
        y_ticks: YTicks::Compact,
    };
    let members = chart.members.len().max(1) as f64;
    let width = 0.8 / members;
    frame::render(title, &keys, frame::BODY_HEIGHT, |area| {
        let mut plot = frame::plot(area, title, &axes)?;
        let err = frame::fail(title);
        for (g, group) in chart.groups.iter().enumerate() {
            for (m, &[p25, p50, p75]) in group.values.iter().enumerate() {
                if !p50.is_finite() {
                    continue;
                }
                let x0 = g as f64 - 0.4 + width * m as f64;
                let (x1, mid) = (x0 + width * 0.9, x0 + width * 0.45);
                let bar = Rectangle::new([(x0, 0.0), (x1, p50)], colour(m).mix(0.85).filled());
                plot.draw_series([bar]).map_err(&err)?;
                if p25.is_finite() && p75.is_finite() && p75 > p25 {
                    let whisker =
                        PathElement::new(vec![(mid, p25), (mid, p75)], BLACK.stroke_width(1));
                    plot.draw_series([whisker]).map_err(&err)?;
                }
            }
        }
        Ok(())
    })
}

/// One horizontal bar: a share and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct HBar {
    /// The bar's label left of the axis (`1 500 EH/s`).
    pub label: String,
    /// The share, 0 to 1.
    pub share: f64,
    /// The sentence written right of the bar.
    pub text: String,
}

/// Horizontal bars of shares.
#[derive(Debug, Clone, PartialEq)]
pub struct HBarChart {
    /// Title above the chart.
    pub title: String,
    /// The x axis' label (what the share is of).
    pub x_label: String,
    /// What the legend says the bars are.
    pub legend: String,
    /// The bars, top to bottom.
    pub bars: Vec<HBar>,
}

/// Draws `chart` as SVG: bars from 0 to the share, the sentence after
/// each. Without bars it is a "no data" panel.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw.
pub fn hbar_chart(chart: &HBarChart) -> Result<String, ChartError> {
    let title = chart.title.as_str();
    let n = chart.bars.len();
    if n == 0 {
        return frame::no_data(title, "nothing to show");
    }
    let c = colour(0);
    let keys = [Key {
        label: chart.legend.clone(),
        swatch: Swatch::Fill(c, 0.8),
    }];
    let label_px = chart.bars.iter().map(|b| b.label.len()).max().unwrap_or(4) as f64 * CHAR_PX;
    let height = (n as u32 * 32 + 60).max(130);
    frame::render(title, &keys, height, |area| {
        let err = frame::fail(title);
        let rows: Vec<String> = chart.bars.iter().rev().map(|b| b.label.clone()).collect();
        let y_fmt = |y: &f64| super::category(&rows, *y);
        let x_fmt = |x: &f64| YTicks::Percent.label(*x, 3);
        let mut plot = ChartBuilder::on(area)
            .margin_left(10)
            .margin_right(25)
            .margin_top(6)
            .x_label_area_size(44)
            .y_label_area_size(label_px as u32 + 16)
            .build_cartesian_2d(0.0..1.0, -0.5..n as f64 - 0.5)
            .map_err(&err)?;
        plot.configure_mesh()
            .disable_y_mesh()
            .x_labels(11)
            .y_labels(n)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(chart.x_label.as_str())
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()
            .map_err(&err)?;
        let outside =
            TextStyle::from((FONT, 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        let inside = TextStyle::from((FONT, 13).into_font())
            .color(&WHITE)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, bar) in chart.bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let share = if bar.share.is_finite() {
                bar.share.clamp(0.0, 1.0)
            } else {
                0.0
            };
            let rect = Rectangle::new([(0.0, y - 0.3), (share, y + 0.3)], c.mix(0.8).filled());
            plot.draw_series([rect]).map_err(&err)?;
            // The sentence inside a long bar, after a short one: either way
            // within the axis.
            let text = if share > 0.5 {
                Text::new(bar.text.clone(), (share - 0.015, y), inside.clone())
            } else {
                Text::new(bar.text.clone(), (share + 0.015, y), outside.clone())
            };
            plot.draw_series([text]).map_err(&err)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_whiskers_and_shares() {
        let chart = GroupedBars {
            title: "ercot MW".into(),
            y_label: "MW".into(),
            members: vec!["AI connected".into(), "miners connected".into()],
            groups: vec![
                BarGroup {
                    label: "2026-01-01".into(),
                    values: vec![[900.0, 1000.0, 1100.0], [400.0, 500.0, 600.0]],
                },
                BarGroup {
                    label: "2027-01-01".into(),
                    values: vec![[f64::NAN; 3], [450.0, 550.0, 650.0]],
                },
            ],
        };
        let svg = grouped_bars(&chart).unwrap();
        let texts = frame::texts(&svg);
        assert!(texts.iter().any(|t| t == "2027-01-01"), "{texts:?}");
        // Three defined bars and two legend swatches; the NaN bar is left out.
        assert_eq!(svg.matches("opacity=\"0.85\"").count(), 3 + 2);
        let h = HBarChart {
            title: "Levels".into(),
            x_label: "share of paths".into(),
            legend: "paths reaching the level".into(),
            bars: vec![HBar {
                label: "1500 EH/s".into(),
                share: 0.62,
                text: "62 %, median 2028-03".into(),
            }],
        };
        let svg = hbar_chart(&h).unwrap();
        let texts = frame::texts(&svg);
        assert!(
            texts.iter().any(|t| t == "1500 EH/s")
                && texts.iter().any(|t| t == "62 %, median 2028-03")
        );
        // A bar over half the axis carries its sentence inside, in white.
        let sentence = svg
            .split("<text")
            .find(|t| t.contains("62 %, median"))
            .unwrap();
        assert!(sentence.contains("text-anchor=\"end\"") && sentence.contains("fill=\"#FFFFFF\""));
    }
}
