//! Measures derived from a summary that more than one output shows
//! (`summary.json`, the headline table, the report's charts): the margin's
//! tail, P(insolvency) and the order of the fleets on a cost curve. One
//! definition, so that the files and the report cannot disagree.

use crate::stats::{CostCurve, CurveEntry, Distribution, FarmMeasure, FarmSummary, Statistics};

/// The tail of the margin's value at risk: the worst 5 %.
pub const TAIL: f64 = 0.05;

/// VaR95 of a measure: the value 95 % of paths do better than (its 5th
/// percentile). NaN when no path has a value.
pub fn var95(d: &Distribution) -> f64 {
    d.quantile(TAIL)
}

/// CVaR95 of a measure: the mean of the worst 5 % of paths. NaN when no
/// path has a value.
pub fn cvar95(d: &Distribution) -> f64 {
    d.lower_tail_mean(TAIL)
}

/// Share of the `paths` on which `farm` failed within the horizon (NaN for
/// no paths).
pub fn insolvency_probability(farm: &FarmSummary, paths: u64) -> f64 {
    share(farm.measure(FarmMeasure::InsolvencyDay).count(), paths)
}

/// `count / paths`, NaN for no paths.
pub fn share(count: u64, paths: u64) -> f64 {
    if paths == 0 {
        f64::NAN
    } else {
        count as f64 / paths as f64
    }
}

/// One fleet of a cost curve in the curve's order.
#[derive(Debug, Clone)]
pub struct RankedFleet<'a> {
    /// The fleet.
    pub entry: &'a CurveEntry,
    /// Its cash cost per BTC across paths, USD/BTC.
    pub cost: Statistics,
    /// Its online hashrate across paths, EH/s.
    pub online: Statistics,
    /// The mean online EH/s of this fleet and every cheaper one: the right
    /// edge of its step on the curve.
    pub cumulative_online_ehs: f64,
}

/// The fleets of `curve` from the cheapest (median cash cost per BTC) to
/// the dearest, fleets without a cost (nothing in service) last, ties by
/// name; with the mean online EH/s summed along the way (model.md,
/// "Industry cost curve").
pub fn ranked_fleets(curve: &CostCurve) -> Vec<RankedFleet<'_>> {
    let mut fleets: Vec<RankedFleet<'_>> = curve
        .entries
        .iter()
        .map(|entry| RankedFleet {
            entry,
            cost: entry.cash_cost_per_btc_usd.statistics(),
            online: entry.online_ehs.statistics(),
            cumulative_online_ehs: 0.0,
        })
        .collect();
    let median = |f: &RankedFleet<'_>| f.cost.quantiles[2];
    fleets.sort_by(|a, b| {
        median(a)
            .is_nan()
            .cmp(&median(b).is_nan())
            .then(median(a).total_cmp(&median(b)))
            .then(a.entry.name.cmp(&b.entry.name))
    });
    let mut cumulative = 0.0;
    for fleet in &mut fleets {
        // A fleet never online has no mean: it adds no width.
        if fleet.online.mean.is_finite() {
            cumulative += fleet.online.mean;
        }
        fleet.cumulative_online_ehs = cumulative;
    }
    fleets
}
