//! The industry cost curve at one date: a step per fleet, its width the
//! fleet's mean online EH/s, its height the median cash cost per BTC
//! (p25–p75 band), cheapest first; the user's farms labelled; and the BTC
//! price drawn across.
//!
//! Why the BTC price: the hashprice is revenue per PH/s-day, and a fleet's
//! cost per BTC is its cost per PH/s-day times the BTC price over the
//! hashprice (model.md, "Industry cost curve"), so in USD/BTC every fleet
//! earns the BTC price for each BTC it mines. The hashprice line of a
//! USD/PH/day chart is the BTC price line here: fleets below it earn more
//! than their cash cost.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, Axes, FONT, Key, Swatch};
use super::{ChartError, XAxis, YTicks};

/// What kind of fleet a step is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetKind {
    /// A rest-of-world machine class (`class.<name>`).
    RestOfWorld,
    /// The rest of world's invested machines (`invested`).
    Invested,
    /// A region's own miners (`region.<name>.miners`).
    RegionalMiners,
    /// One of the scenario's farms (`farm.<name>`): labelled.
    Farm,
}

impl FleetKind {
    /// The kind of the cost-curve entry `name`.
    pub fn of(name: &str) -> FleetKind {
        if name.starts_with("farm.") {
            FleetKind::Farm
        } else if name.starts_with("region.") {
            FleetKind::RegionalMiners
        } else if name == "invested" {
            FleetKind::Invested
        } else {
            FleetKind::RestOfWorld
        }
    }

    fn colour(self) -> RGBColor {
        match self {
            FleetKind::RestOfWorld => RGBColor(120, 120, 120),
            FleetKind::Invested => RGBColor(86, 180, 233),
            FleetKind::RegionalMiners => RGBColor(0, 158, 115),
            FleetKind::Farm => RGBColor(213, 94, 0),
        }
    }

    fn legend(self) -> &'static str {
        match self {
            FleetKind::RestOfWorld => "rest-of-world classes",
            FleetKind::Invested => "invested machines",
            FleetKind::RegionalMiners => "regions' miners",
            FleetKind::Farm => "your farms",
        }
    }
}

/// One fleet's step.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveStep {
    /// The label written over a farm's step (`operator`).
    pub name: String,
    /// Its kind.
    pub kind: FleetKind,
    /// Left edge: the EH/s of the cheaper fleets.
    pub x0: f64,
    /// Right edge: `x0` plus its mean online EH/s.
    pub x1: f64,
    /// Its cash cost per BTC, p5, p25, p50, p75, p95, USD/BTC.
    pub cost: [f64; 5],
}

/// A horizontal line across the curve (the median BTC price).
#[derive(Debug, Clone, PartialEq)]
pub struct PriceLine {
    /// The legend's text.
    pub label: String,
    /// Where it is drawn, USD/BTC.
    pub value: f64,
}

/// A cost curve.
#[derive(Debug, Clone, PartialEq)]
pub struct CostCurveChart {
    /// Title above the chart.
    pub title: String,
    /// The steps, cheapest first.
    pub steps: Vec<CurveStep>,
    /// The BTC price across (revenue per BTC mined).
    pub price: Option<PriceLine>,
}

/// Draws `chart` as SVG. Costs above 3× the BTC price (a fleet that would
/// never run) are cut at the top of the chart. Steps without a finite
/// median or width are left out; with none left it is a "no data" panel.
///
/// # Errors
/// [`ChartError`] when plotters fails to draw.
pub fn cost_curve_chart(chart: &CostCurveChart) -> Result<String, ChartError> {
    let title = chart.title.as_str();
    let steps: Vec<&CurveStep> = chart
        .steps
        .iter()
        .filter(|s| s.cost[2].is_finite() && s.x0.is_finite() && s.x1 > s.x0)
        .collect();
    let Some((_, x_hi)) = frame::finite_span(steps.iter().map(|s| s.x1)) else {
        return frame::no_data(title, "no fleet is online with a cost");
    };
    let price = chart.price.as_ref().filter(|p| p.value.is_finite());
    let highest = frame::finite_span(
        steps
            .iter()
            .map(|s| s.cost[3])
            .chain(price.map(|p| p.value * 1.15)),
    )
    .map_or(1.0, |(_, hi)| hi);
    let y_top = match price {
        Some(p) => highest.min(3.0 * p.value),
        None => highest,
    } * 1.08;
    let mut keys: Vec<Key> = Vec::new();
    for kind in [
        FleetKind::Farm,
        FleetKind::RegionalMiners,
        FleetKind::Invested,
        FleetKind::RestOfWorld,
    ] {
        if steps.iter().any(|s| s.kind == kind) {
            keys.push(Key {
                label: kind.legend().into(),
                swatch: Swatch::Fill(kind.colour(), 0.6),
            });
        }
    }
    if let Some(p) = price {
        keys.push(Key {
            label: p.label.clone(),
            swatch: Swatch::Dashed(RGBColor(0, 0, 0)),
        });
    }
    keys.push(Key {
        label: "line: median cost; box: p25-p75".into(),
        swatch: Swatch::Line(RGBColor(60, 60, 60)),
    });
    let x_axis = XAxis::Numeric("online hashrate, cheapest first, EH/s (mean)".into());
    let axes = Axes {
        x: 0.0..x_hi * 1.02,
        y: 0.0..y_top.max(1.0),
        x_axis: &x_axis,
        y_label: "cash cost, USD/BTC",
        y_ticks: YTicks::Compact,
    };
    let clip = |y: f64| y.clamp(0.0, axes.y.end);
    frame::render(title, &keys, frame::BODY_HEIGHT, |area| {
        let mut plot = frame::plot(area, title, &axes)?;
        let err = frame::fail(title);
        for s in &steps {
            let c = s.kind.colour();
            let (lo, hi) = (s.cost[1], s.cost[3]);
            if lo.is_finite() && hi.is_finite() {
                let rect =
                    Rectangle::new([(s.x0, clip(lo)), (s.x1, clip(hi))], c.mix(0.35).filled());
                plot.draw_series([rect]).map_err(&err)?;
            }
        }
        // The median as one step line through every fleet.
        let mut line = Vec::with_capacity(steps.len() * 2);
        for s in &steps {
            line.push((s.x0, clip(s.cost[2])));
            line.push((s.x1, clip(s.cost[2])));
        }
        plot.draw_series(LineSeries::new(line, RGBColor(60, 60, 60).stroke_width(2)))
            .map_err(&err)?;
        let farms: Vec<&&CurveStep> = steps.iter().filter(|s| s.kind == FleetKind::Farm).collect();
        for (k, s) in farms.iter().enumerate() {
            draw_farm(&mut plot, s, k, &axes).map_err(&err)?;
        }
        if let Some(p) = price {
            plot.draw_series(DashedLineSeries::new(
                [(0.0, clip(p.value)), (axes.x.end, clip(p.value))],
                8,
                5,
                RGBColor(0, 0, 0).stroke_width(2),
            ))
            .map_err(&err)?;
        }
        Ok(())
    })
}

/// A farm on the curve: a dot at its median cost, its p25–p75 whisker,
/// and its name with the median on a leader line from a row of its own
/// near the top (farms are a few EH/s of a thousand: their steps are too
/// narrow to see, and their labels would otherwise fall on each other).
fn draw_farm(
    plot: &mut frame::Plot<'_, '_>,
    s: &CurveStep,
    row: usize,
    axes: &Axes<'_>,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let c = FleetKind::Farm.colour();
    let clip = |y: f64| y.clamp(0.0, axes.y.end);
    let x = (s.x0 + s.x1) / 2.0;
    let y = clip(s.cost[2]);
    let label_y = axes.y.end * (0.94 - 0.08 * (row % 8) as f64);
    plot.draw_series([PathElement::new(
        vec![(x, y), (x, label_y)],
        c.stroke_width(1),
    )])?;
    if s.cost[1].is_finite() && s.cost[3].is_finite() {
        let whisker = PathElement::new(
            vec![(x, clip(s.cost[1])), (x, clip(s.cost[3]))],
            c.stroke_width(3),
        );
        plot.draw_series([whisker])?;
    }
    plot.draw_series([Circle::new((x, y), 6, c.filled())])?;
    let left = x > axes.x.start + (axes.x.end - axes.x.start) * 0.6;
    let gap = (axes.x.end - axes.x.start) * 0.006;
    let (anchor, at) = if left {
        (HPos::Right, x - gap)
    } else {
        (HPos::Left, x + gap)
    };
    let text = Text::new(
        format!(
            "{}: {} USD/BTC",
            s.name,
            crate::report::format::compact(s.cost[2])
        ),
        (at, label_y),
        TextStyle::from((FONT, 14).into_font().style(FontStyle::Bold))
            .color(&c)
            .pos(Pos::new(anchor, VPos::Center)),
    );
    plot.draw_series([text])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_farm_label_and_price_line() {
        let step = |name: &str, x0: f64, x1: f64, c: f64| CurveStep {
            name: name.into(),
            kind: FleetKind::of(name),
            x0,
            x1,
            cost: [c * 0.8, c * 0.9, c, c * 1.1, c * 1.2],
        };
        let chart = CostCurveChart {
            title: "Cost curve 2027-01-01".into(),
            steps: vec![
                step("class.s21", 0.0, 300.0, 40e3),
                step("farm.operator", 300.0, 303.7, 50e3),
                step("class.s19", 303.7, 900.0, 80e3),
                step("class.old", 900.0, 900.0, f64::NAN),
            ],
            price: Some(PriceLine {
                label: "BTC price 95k".into(),
                value: 95e3,
            }),
        };
        let svg = cost_curve_chart(&chart).unwrap();
        let texts = frame::texts(&svg);
        assert!(
            texts.iter().any(|t| t == "farm.operator: 50k USD/BTC"),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t == "BTC price 95k"));
        assert!(texts.iter().any(|t| t == "your farms"));
        // Three p25-p75 boxes (the NaN fleet is left out).
        assert_eq!(svg.matches("opacity=\"0.35\"").count(), 3, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 1, "the farm's dot");
        assert_eq!(
            FleetKind::of("region.ercot.miners"),
            FleetKind::RegionalMiners
        );
        let empty = CostCurveChart {
            steps: vec![],
            ..chart
        };
        assert!(cost_curve_chart(&empty).unwrap().contains("No data"));
    }
}
