//! `summary.json`: what the checked scenario, seed, path count and version
//! determine, and nothing else (no timings, no thread count).

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::{Tables, measures};
use crate::stats::{CostCurve, FarmMeasure, FarmSummary, Statistics, Summary};

#[derive(Serialize)]
struct Stats {
    mean: f64,
    std: f64,
    stderr: f64,
    p5: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p95: f64,
}

impl From<Statistics> for Stats {
    fn from(s: Statistics) -> Self {
        let [p5, p25, p50, p75, p95] = s.quantiles;
        Stats {
            mean: s.mean,
            std: s.std,
            stderr: s.stderr,
            p5,
            p25,
            p50,
            p75,
            p95,
        }
    }
}

/// Per-step statistics as parallel arrays.
#[derive(Serialize, Default)]
struct SeriesStats {
    mean: Vec<f64>,
    std: Vec<f64>,
    stderr: Vec<f64>,
    p5: Vec<f64>,
    p25: Vec<f64>,
    p50: Vec<f64>,
    p75: Vec<f64>,
    p95: Vec<f64>,
}

impl SeriesStats {
    fn of(steps: &[Statistics]) -> Self {
        let mut out = SeriesStats::default();
        for s in steps {
            out.mean.push(s.mean);
            out.std.push(s.std);
            out.stderr.push(s.stderr);
            let [p5, p25, p50, p75, p95] = s.quantiles;
            out.p5.push(p5);
            out.p25.push(p25);
            out.p50.push(p50);
            out.p75.push(p75);
            out.p95.push(p95);
        }
        out
    }
}

/// A farm measure across paths, and the number of paths where it is not
/// defined (a ratio without BTC mined, a payback never reached, a farm that
/// never failed).
#[derive(Serialize)]
struct Measure {
    #[serde(flatten)]
    stats: Stats,
    paths_undefined: u64,
}

/// A farm's measures, then its margin's tail and P(insolvency).
#[derive(Serialize)]
struct FarmStats {
    #[serde(flatten)]
    measures: Ordered<Measure>,
    /// The margin 95 % of paths do better than (its 5th percentile).
    var95_margin_usd: f64,
    /// The mean margin of the worst 5 % of paths.
    cvar95_margin_usd: f64,
    /// Whether the farm can fail (it has a balance sheet).
    can_fail: bool,
    /// Share of paths where the farm failed within the horizon; `null`
    /// for a farm that cannot fail.
    insolvency_probability: Option<f64>,
}

impl FarmStats {
    fn of(farm: &FarmSummary, stats: &[Statistics], paths: u64, can_fail: bool) -> Self {
        let named = FarmSummary::MEASURES
            .iter()
            .zip(stats)
            .map(|(name, s)| {
                let measure = Measure {
                    stats: (*s).into(),
                    paths_undefined: paths - s.n,
                };
                (name.to_string(), measure)
            })
            .collect();
        FarmStats {
            measures: Ordered(named),
            var95_margin_usd: measures::var95(farm.measure(FarmMeasure::Margin)),
            cvar95_margin_usd: measures::cvar95(farm.measure(FarmMeasure::Margin)),
            can_fail,
            insolvency_probability: can_fail.then(|| measures::insolvency_probability(farm, paths)),
        }
    }
}

/// A map from names to values, written in the given order.
pub(super) struct Ordered<T>(pub(super) Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// Reads a number written by [`Ordered`]'s writers, `null` as NaN (an
/// undefined value).
pub(super) fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// [`nan_if_null`] for a list of numbers.
pub(super) fn nans_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let values = Vec::<Option<f64>>::deserialize(d)?;
    Ok(values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    version: &'a str,
    scenario: String,
    seed: u64,
    paths: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chunks: Option<String>,
    step_days: u32,
    t_days: &'a [u32],
    dates: &'a [String],
    series: Ordered<SeriesStats>,
    farms: Ordered<FarmStats>,
    hashrate_growth: GrowthJson,
    cost_curves: Vec<CurveJson>,
}

/// One cost curve: its fleets from the cheapest (median cash cost per BTC)
/// to the dearest, with the mean online EH/s summed along the way.
#[derive(Serialize)]
struct CurveJson {
    date: String,
    t_days: u32,
    entries: Vec<CurveEntryJson>,
}

#[derive(Serialize)]
struct CurveEntryJson {
    name: String,
    cash_cost_per_btc_usd: Measure,
    online_ehs: Stats,
    cumulative_online_ehs: f64,
}

impl CurveJson {
    fn of(curve: &CostCurve, paths: u64) -> Self {
        let entries = measures::ranked_fleets(curve)
            .into_iter()
            .map(|f| CurveEntryJson {
                name: f.entry.name.clone(),
                cash_cost_per_btc_usd: Measure {
                    stats: f.cost.into(),
                    paths_undefined: paths - f.cost.n,
                },
                online_ehs: f.online.into(),
                cumulative_online_ehs: f.cumulative_online_ehs,
            })
            .collect();
        CurveJson {
            date: curve.date.clone(),
            t_days: curve.t_days,
            entries,
        }
    }
}

/// `hashrate_growth`: the annualised growth rate across paths, and for each
/// level the share of paths that reach it and the days it takes them.
#[derive(Serialize)]
struct GrowthJson {
    annualised_growth: Stats,
    levels: Vec<LevelJson>,
}

#[derive(Serialize)]
struct LevelJson {
    level_ehs: f64,
    paths_reaching: u64,
    share_reaching: f64,
    days_to_reach: Stats,
}

impl GrowthJson {
    fn of(summary: &Summary) -> Self {
        let growth = &summary.hashrate_growth;
        let paths = summary.paths_done;
        GrowthJson {
            annualised_growth: growth.annualised.statistics().into(),
            levels: growth
                .levels
                .iter()
                .map(|l| LevelJson {
                    level_ehs: l.level_ehs,
                    paths_reaching: l.days.count(),
                    share_reaching: measures::share(l.days.count(), paths),
                    days_to_reach: l.days.statistics().into(),
                })
                .collect(),
        }
    }
}

/// The text of `summary.json` for `summary`, whose statistics are `tables`.
///
/// Keys come in a fixed order and numbers in their shortest round-trip form,
/// so equal summaries give equal bytes. Undefined statistics (no values) are
/// written as `null`.
pub fn summary_json(summary: &Summary, tables: &Tables) -> String {
    let id = &summary.identity;
    let shard = (!summary.is_complete() && id.shard_count > 1).then(|| {
        let list: Vec<String> = summary.shards.iter().map(u32::to_string).collect();
        format!("{}/{}", list.join(","), id.shard_count)
    });
    // A part of a shard (or of an unsharded run): a run that was stopped.
    let whole_shards: u64 = summary
        .shards
        .iter()
        .map(|&k| {
            let r = id.shard_chunks(k);
            r.end - r.start
        })
        .sum();
    let chunks = (summary.chunks.len() < whole_shards).then(|| {
        format!(
            "{} of {} (a run stopped before its end: merge it with the rest)",
            summary.chunks,
            id.chunks()
        )
    });
    let json = SummaryJson {
        version: &id.version,
        scenario: summary.scenario_name.clone(),
        seed: id.seed,
        paths: if summary.is_complete() {
            id.paths
        } else {
            summary.paths_done
        },
        shard,
        chunks,
        step_days: summary.step_days,
        t_days: &summary.t_days,
        dates: &summary.dates,
        series: Ordered(
            summary
                .series
                .iter()
                .zip(&tables.series)
                .map(|(s, stats)| (s.name.clone(), SeriesStats::of(stats)))
                .collect(),
        ),
        farms: Ordered(
            summary
                .farms
                .iter()
                .zip(&tables.farms)
                .map(|(f, stats)| {
                    let can_fail = summary.can_fail(f.name());
                    let farm = FarmStats::of(f, stats, summary.paths_done, can_fail);
                    (f.name().to_string(), farm)
                })
                .collect(),
        ),
        hashrate_growth: GrowthJson::of(summary),
        cost_curves: summary
            .cost_curves
            .iter()
            .map(|c| CurveJson::of(c, summary.paths_done))
            .collect(),
    };
    // Serialising plain structs of numbers and strings cannot fail.
    let mut text = serde_json::to_string(&json).unwrap_or_default();
    text.push('\n');
    text
}
