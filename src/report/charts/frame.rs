//! What every chart shares: the SVG canvas, the header (title and legend
//! above the plot, so that neither hides data), the axes and their labels,
//! value ranges, and the "no data" panel.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{ChartError, XAxis, YTicks};

/// Canvas of a full-width chart, px (scaled to the page by CSS).
pub(super) const WIDTH: u32 = 900;
/// Height of a full-width chart's plot and axes, px, below the header.
pub(super) const BODY_HEIGHT: u32 = 340;
/// Font of titles, labels and legends: a generic family, so that the page
/// needs no font file (no system font is read either: plotters estimates
/// text widths).
pub(super) const FONT: &str = "sans-serif";
/// Height of one line of the legend, px.
const LEGEND_LINE: u32 = 20;
/// Height of the title line, px.
const TITLE_LINE: u32 = 28;
/// Width of a tick label character at the label size, px (plotters' naive
/// estimate is 0.7 em; a bit more here keeps long labels clear of the axis).
pub(super) const CHAR_PX: f64 = 7.5;
/// The most points a line or band is drawn with: a 900 px chart cannot
/// show more, and the report stays small for long daily runs.
pub(super) const MAX_POINTS: usize = 450;

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Plot<'a, 'b> =
    ChartContext<'b, SVGBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A legend entry: a swatch and its label.
#[derive(Debug, Clone)]
pub(super) struct Key {
    pub label: String,
    pub swatch: Swatch,
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    /// A line of the colour.
    Line(RGBColor),
    /// A dashed line of the colour.
    Dashed(RGBColor),
    /// A filled box of the colour at the opacity.
    Fill(RGBColor, f64),
}

/// Maps a plotters error to a [`ChartError`] of the chart `title`.
pub(super) fn fail<E: std::fmt::Debug>(title: &str) -> impl Fn(E) -> ChartError + '_ {
    move |e| ChartError {
        title: title.to_string(),
        message: format!("{e:?}"),
    }
}

/// Draws a chart of `body_height` px below a header with `title` and
/// `keys`, and returns the SVG text.
pub(super) fn render(
    title: &str,
    keys: &[Key],
    body_height: u32,
    draw: impl FnOnce(&Area<'_>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let rows = legend_rows(keys);
    let header = TITLE_LINE + LEGEND_LINE * rows.len() as u32 + 4;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH, header + body_height)).into_drawing_area();
        root.fill(&WHITE).map_err(fail(title))?;
        let (top, body) = root.split_vertically(header);
        draw_header(&top, title, &rows).map_err(fail(title))?;
        draw(&body)?;
        root.present().map_err(fail(title))?;
    }
    Ok(svg)
}

/// Splits the legend into rows that fit the canvas.
fn legend_rows(keys: &[Key]) -> Vec<Vec<&Key>> {
    let mut rows: Vec<Vec<&Key>> = Vec::new();
    let mut used = f64::INFINITY;
    for key in keys {
        let width = key_width(key);
        if used + width > f64::from(WIDTH) - 20.0 {
            rows.push(Vec::new());
            used = 10.0;
        }
        used += width;
        if let Some(row) = rows.last_mut() {
            row.push(key);
        }
    }
    rows
}

/// Width a legend entry takes: swatch, gap, text, spacing.
fn key_width(key: &Key) -> f64 {
    30.0 + key.label.len() as f64 * CHAR_PX + 18.0
}

fn draw_header(
    area: &Area<'_>,
    title: &str,
    rows: &[Vec<&Key>],
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    area.draw(&Text::new(
        title.to_string(),
        (10, 6),
        (FONT, 19).into_font().style(FontStyle::Bold),
    ))?;
    for (r, row) in rows.iter().enumerate() {
        let y = (TITLE_LINE + LEGEND_LINE * r as u32) as i32 + 2;
        let mut x = 10.0;
        for key in row {
            draw_key(area, key, (x as i32, y))?;
            x += key_width(key);
        }
    }
    Ok(())
}

fn draw_key(
    area: &Area<'_>,
    key: &Key,
    (x, y): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let mid = y + 8;
    match key.swatch {
        Swatch::Line(c) => area.draw(&PathElement::new(
            vec![(x, mid), (x + 24, mid)],
            c.stroke_width(3),
        ))?,
        Swatch::Dashed(c) => {
            for k in 0..3 {
                let x0 = x + k * 9;
                area.draw(&PathElement::new(
                    vec![(x0, mid), (x0 + 5, mid)],
                    c.stroke_width(2),
                ))?;
            }
        }
        Swatch::Fill(c, alpha) => area.draw(&Rectangle::new(
            [(x, mid - 6), (x + 24, mid + 6)],
            c.mix(alpha).filled(),
        ))?,
    }
    area.draw(&Text::new(key.label.clone(), (x + 30, y + 1), (FONT, 15)))
}

/// The axes of a plot: x and y ranges (drawing coordinates), their
/// descriptions and tick labels.
pub(super) struct Axes<'x> {
    pub x: Range<f64>,
    pub y: Range<f64>,
    pub x_axis: &'x XAxis,
    pub y_label: &'x str,
    pub y_ticks: YTicks,
}

/// Builds the plot inside `area`, with its grid, ticks and axis labels.
pub(super) fn plot<'a, 'b>(
    area: &'b Area<'a>,
    title: &str,
    axes: &Axes<'_>,
) -> Result<Plot<'a, 'b>, ChartError> {
    let (x_digits, y_digits) = (tick_digits(&axes.x), tick_digits(&axes.y));
    let y_ticks = tick_width(&axes.y, axes.y_ticks, y_digits);
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(25)
        .margin_top(6)
        .margin_bottom(6)
        .x_label_area_size(if axes.x_axis.description().is_empty() {
            28
        } else {
            48
        })
        .y_label_area_size(y_ticks + 30)
        .build_cartesian_2d(axes.x.clone(), axes.y.clone())
        .map_err(fail(title))?;
    let x_fmt = |x: &f64| axes.x_axis.tick(*x, x_digits);
    let y_fmt = |y: &f64| axes.y_ticks.label(*y, y_digits);
    chart
        .configure_mesh()
        .x_labels(axes.x_axis.ticks())
        .y_labels(7)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(axes.x_axis.description())
        .y_desc(axes.y_label)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(fail(title))?;
    Ok(chart)
}

/// The y-axis label of a chart of rows (row `i` from the top at
/// `y = n − 1 − i`): the row's label on a whole row, nothing between rows
/// (plotters may put ticks there).
pub(super) fn row_label(labels: Vec<String>) -> impl Fn(&f64) -> String {
    move |y: &f64| {
        let row = labels.len() as f64 - 1.0 - y.round();
        if (y - y.round()).abs() > 1e-6 || row < 0.0 {
            return String::new();
        }
        labels.get(row as usize).cloned().unwrap_or_default()
    }
}

/// Significant digits that tell apart ticks about a seventh of `range`
/// apart: 3, or more for a range narrow against its values (20.0 to 20.1).
pub(super) fn tick_digits(range: &Range<f64>) -> u32 {
    let step = (range.end - range.start).abs() / 7.0;
    let top = range.start.abs().max(range.end.abs());
    if !(step > 0.0 && top > 0.0 && step.is_finite() && top.is_finite()) {
        return 3;
    }
    let needed = top.log10().floor() - step.log10().floor() + 1.0;
    needed.clamp(3.0, 10.0) as u32
}

/// Width the y tick labels need, px.
fn tick_width(y: &Range<f64>, ticks: YTicks, digits: u32) -> u32 {
    let longest = [y.start, y.end, (y.start + y.end) / 2.0]
        .iter()
        .map(|v| ticks.label(*v, digits).len())
        .max()
        .unwrap_or(4)
        .max(3);
    (longest as f64 * CHAR_PX) as u32 + 6
}

/// The smallest and largest finite values, `None` when there is none.
pub(super) fn finite_span(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A drawing range around `[lo, hi]` with a margin of 5 % (a flat series
/// gets a range around its value), from 0 when `from_zero` and the values
/// are all positive.
pub(super) fn padded(lo: f64, hi: f64, from_zero: bool) -> Range<f64> {
    let (lo, hi) = if from_zero && lo >= 0.0 {
        // All zero: 0 to 1, not a range below zero.
        (0.0, if hi > 0.0 { hi } else { 1.0 })
    } else {
        (lo, hi)
    };
    if hi > lo {
        let pad = (hi - lo) * 0.05;
        let lo = if from_zero && lo == 0.0 {
            0.0
        } else {
            lo - pad
        };
        lo..hi + pad
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo - pad..hi + pad
    }
}

/// `[lo, hi]` stretched to include 0 when `zero` (a chart of differences
/// shows where "no difference" is).
pub(super) fn with_zero(lo: f64, hi: f64, zero: bool) -> (f64, f64) {
    if zero {
        (lo.min(0.0), hi.max(0.0))
    } else {
        (lo, hi)
    }
}

/// Draws the horizontal line y = 0 across `x` (a chart of differences).
pub(super) fn draw_zero_line(
    plot: &mut Plot<'_, '_>,
    x: &Range<f64>,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    plot.draw_series(std::iter::once(PathElement::new(
        vec![(x.start, 0.0), (x.end, 0.0)],
        RGBColor(40, 40, 40).stroke_width(1),
    )))?;
    Ok(())
}

/// Every `k`-th point (and the last), so that at most about `MAX_POINTS`
/// remain.
pub(super) fn thin<T: Copy>(points: &[T]) -> Vec<T> {
    let stride = points.len().div_ceil(MAX_POINTS).max(1);
    let mut out: Vec<T> = points.iter().copied().step_by(stride).collect();
    if let Some(&last) = points.last()
        && !(points.len() - 1).is_multiple_of(stride)
    {
        out.push(last);
    }
    out
}

/// The runs of consecutive points for which `ok` holds: a gap in the data
/// is a gap in the line, not a jump across it.
pub(super) fn runs<T: Copy>(points: &[T], ok: impl Fn(&T) -> bool) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut current = Vec::new();
    for p in points {
        if ok(p) {
            current.push(*p);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A band between `lo` and `hi` over the points `(x, lo, hi)`, as one
/// closed polygon.
pub(super) fn band_polygon(points: &[(f64, f64, f64)], style: ShapeStyle) -> Polygon<(f64, f64)> {
    let mut outline: Vec<(f64, f64)> = points.iter().map(|&(x, _, hi)| (x, hi)).collect();
    outline.extend(points.iter().rev().map(|&(x, lo, _)| (x, lo)));
    Polygon::new(outline, style)
}

/// The panel drawn for a chart without any finite value: its title and why.
pub(super) fn no_data(title: &str, why: &str) -> Result<String, ChartError> {
    render(title, &[], 80, |area| {
        area.draw(&Text::new(
            format!("No data: {why}"),
            (20, 30),
            (FONT, 16).into_font().color(&RGBColor(110, 110, 110)),
        ))
        .map_err(fail(title))
    })
}

/// The texts of an SVG's `<text>` elements, trimmed (plotters writes each
/// on its own line).
#[cfg(test)]
pub(super) fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            Some(body.split("</text>").next()?.trim().to_string())
        })
        .collect()
}
