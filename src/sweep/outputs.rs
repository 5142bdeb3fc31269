//! Sweep outputs: a name (`farms.operator.npv_usd.p50`) resolved against
//! the scenario before anything runs, then read from each point's
//! [`Summary`] with its Monte Carlo error.

use serde::Serialize;

use crate::stats::{Distribution, FarmMeasure, Summary};

use super::SweepError;

/// `z` of a two-sided 95 % normal interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The tail of the margin's value at risk, as `summary.json` takes it.
const VAR_TAIL: f64 = 0.05;

/// A value read from a run, with its Monte Carlo error.
///
/// `stderr` is the standard error; `lo..hi` a 95 % interval:
/// - a mean: `mean ± 1.96·stderr`;
/// - a quantile `p` of `n` values: the distribution-free order-statistic
///   interval, the values at ranks `n·p ± 1.96·√(n·p(1−p))` read from the
///   same distribution, and `stderr = (hi − lo)/(2·1.96)` (the sketch's
///   own 0.78 % relative resolution is not included);
/// - a probability `k/n`: the binomial `stderr = √(p(1−p)/n)` and the
///   Wilson interval (not empty at `p = 0` or `1`, where the stderr is 0).
///
/// NaN (written `null`) when there is no value: a measure with no paths, a
/// date beyond the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The value.
    pub value: f64,
    /// Its standard error.
    pub stderr: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end of the 95 % interval.
    pub hi: f64,
}

impl Estimate {
    /// No value.
    pub const NONE: Estimate = Estimate {
        value: f64::NAN,
        stderr: f64::NAN,
        lo: f64::NAN,
        hi: f64::NAN,
    };

    /// The mean of `d`.
    pub fn mean(d: &Distribution) -> Estimate {
        let s = d.statistics();
        let half = Z95 * s.stderr;
        Estimate {
            value: s.mean,
            stderr: s.stderr,
            lo: s.mean - half,
            hi: s.mean + half,
        }
    }

    /// The `p`-quantile of `d`, with its order-statistic interval.
    pub fn quantile(d: &Distribution, p: f64) -> Estimate {
        let n = d.count() as f64;
        if d.count() == 0 {
            return Estimate::NONE;
        }
        // 1-based ranks of the interval's ends, clamped to the sample, read
        // at the sketch's 0-based fractional rank q·(n − 1).
        let spread = Z95 * (n * p * (1.0 - p)).sqrt();
        let at_rank = |rank: f64| {
            let rank = rank.clamp(1.0, n);
            let q = if n > 1.0 {
                (rank - 1.0) / (n - 1.0)
            } else {
                0.0
            };
            d.quantile(q)
        };
        let (lo, hi) = (
            at_rank((n * p - spread).floor()),
            at_rank((n * p + spread).ceil()),
        );
        Estimate {
            value: d.quantile(p),
            stderr: (hi - lo) / (2.0 * Z95),
            lo,
            hi,
        }
    }

    /// The share `k/n`.
    pub fn probability(k: u64, n: u64) -> Estimate {
        if n == 0 {
            return Estimate::NONE;
        }
        let (k, n) = (k as f64, n as f64);
        let p = k / n;
        // Wilson score interval.
        let z2 = Z95 * Z95;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        Estimate {
            value: p,
            stderr: (p * (1.0 - p) / n).sqrt(),
            // The interval ends at 0 (or 1) exactly when no (or every)
            // path counts; in floating point centre − half is a rounding
            // error off it.
            lo: if k == 0.0 {
                0.0
            } else {
                (centre - half).max(0.0)
            },
            hi: if k == n {
                1.0
            } else {
                (centre + half).min(1.0)
            },
        }
    }
}

/// Which statistic of a distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stat {
    /// The mean (error: its standard error).
    Mean,
    /// The quantile at this probability (`p5` is 0.05).
    Quantile(f64),
}

impl Stat {
    fn parse(text: &str) -> Option<Stat> {
        if text == "mean" {
            return Some(Stat::Mean);
        }
        let percent: f64 = text.strip_prefix('p')?.parse().ok()?;
        (percent.is_finite() && (0.0..=100.0).contains(&percent))
            .then_some(Stat::Quantile(percent / 100.0))
    }

    fn of(self, d: &Distribution) -> Estimate {
        match self {
            Stat::Mean => Estimate::mean(d),
            Stat::Quantile(p) => Estimate::quantile(d, p),
        }
    }
}

/// Where a series is read.
#[derive(Debug, Clone, PartialEq)]
enum At {
    /// The last recorded step.
    Last,
    /// The last recorded step on or before this ISO date.
    Date(String),
}

#[derive(Debug, Clone, PartialEq)]
enum What {
    /// A farm measure's statistic.
    Measure {
        farm: String,
        measure: FarmMeasure,
        stat: Stat,
    },
    /// P(insolvency) over the horizon.
    Insolvency { farm: String },
    /// P(migration) over the horizon.
    Migration { farm: String },
    /// The margin's 5th percentile.
    Var95 { farm: String },
    /// The network hashrate's annualised growth.
    Growth { stat: Stat },
    /// A series' statistic at a step.
    Series { name: String, stat: Stat, at: At },
}

/// What the names of a run can refer to: its farms, series and dates.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Farm names, in scenario order.
    pub farms: Vec<String>,
    /// Series names (as in `summary.json`).
    pub series: Vec<String>,
    /// First and last recorded dates (ISO 8601).
    pub dates: (String, String),
}

/// A sweep's output: a name resolved to what it reads.
///
/// Names:
/// - `farms.<farm>.<measure>.<stat>`: a measure of `summary.json`'s
///   `farms` (`margin_usd`, `npv_usd`, …) and `mean` or `pNN` (`p50`,
///   `p5`, `p97.5`);
/// - `farms.<farm>.insolvency_probability`, `.migration_probability`,
///   `.var95_margin_usd` (the margin's 5th percentile);
/// - `hashrate_growth.annualised_growth.<stat>`;
/// - `series.<name>.<stat>` at the last step, or
///   `series.<name>.<stat>@YYYY-MM-DD` at the last step on or before the
///   date.
///
/// # Example
/// ```
/// use hashwatt::sweep::{Layout, Output};
/// let layout = Layout { farms: vec!["operator".into()], ..Layout::default() };
/// let out = Output::resolve("farms.operator.npv_usd.p50", &layout)?;
/// assert_eq!(out.name(), "farms.operator.npv_usd.p50");
/// assert!(Output::resolve("farms.nobody.npv_usd.p50", &layout).is_err());
/// # Ok::<(), hashwatt::sweep::SweepError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    name: String,
    what: What,
}

impl Output {
    /// The default output: the first farm's mean margin, if there is a
    /// farm.
    pub fn default_name(layout: &Layout) -> Option<String> {
        layout
            .farms
            .first()
            .map(|f| format!("farms.{f}.margin_usd.mean"))
    }

    /// Resolves `name` against `layout`.
    ///
    /// # Errors
    /// [`SweepError::UnknownOutput`], listing the names available.
    pub fn resolve(name: &str, layout: &Layout) -> Result<Output, SweepError> {
        let what = parse(name, layout).ok_or_else(|| SweepError::UnknownOutput {
            name: name.to_string(),
            available: available(layout),
        })?;
        Ok(Output {
            name: name.to_string(),
            what,
        })
    }

    /// The output's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The output's value in `summary`, with its error; [`Estimate::NONE`]
    /// when the summary does not have it.
    pub fn read(&self, summary: &Summary) -> Estimate {
        let farm = |name: &str| summary.farm(name);
        let paths = summary.paths_done;
        match &self.what {
            What::Measure {
                farm: f,
                measure,
                stat,
            } => farm(f).map_or(Estimate::NONE, |f| stat.of(f.measure(*measure))),
            What::Insolvency { farm: f } => match farm(f) {
                // A farm without a balance sheet has no such figure.
                Some(f) if summary.can_fail(f.name()) => {
                    Estimate::probability(f.measure(FarmMeasure::InsolvencyDay).count(), paths)
                }
                _ => Estimate::NONE,
            },
            What::Migration { farm: f } => farm(f).map_or(Estimate::NONE, |f| {
                Estimate::probability(f.measure(FarmMeasure::MigrationDay).count(), paths)
            }),
            What::Var95 { farm: f } => farm(f).map_or(Estimate::NONE, |f| {
                Estimate::quantile(f.measure(FarmMeasure::Margin), VAR_TAIL)
            }),
            What::Growth { stat } => stat.of(&summary.hashrate_growth.annualised),
            What::Series { name, stat, at } => read_series(summary, name, *stat, at),
        }
    }
}

fn read_series(summary: &Summary, name: &str, stat: Stat, at: &At) -> Estimate {
    let Some(series) = summary.series.iter().find(|s| s.name == name) else {
        return Estimate::NONE;
    };
    let step = match at {
        At::Last => series.steps.len().checked_sub(1),
        // ISO dates of four-digit years order as text.
        At::Date(date) => summary
            .dates
            .iter()
            .rposition(|d| d.as_str() <= date.as_str()),
    };
    step.and_then(|t| series.steps.get(t))
        .map_or(Estimate::NONE, |d| stat.of(d))
}

fn parse(name: &str, layout: &Layout) -> Option<What> {
    if let Some(rest) = name.strip_prefix("farms.") {
        return parse_farm(rest, layout);
    }
    if let Some(rest) = name.strip_prefix("hashrate_growth.") {
        // `annualised_growth` as in summary.json; `annualised` as in Summary.
        let stat = rest
            .strip_prefix("annualised_growth.")
            .or_else(|| rest.strip_prefix("annualised."))?;
        return Some(What::Growth {
            stat: Stat::parse(stat)?,
        });
    }
    let rest = name.strip_prefix("series.")?;
    let (rest, at) = match rest.split_once('@') {
        Some((rest, date)) => (rest, At::Date(parse_date(date, layout)?)),
        None => (rest, At::Last),
    };
    // Series names hold dots: the statistic is the last segment.
    let (series, stat) = rest.rsplit_once('.')?;
    layout.series.iter().any(|s| s == series).then_some(())?;
    Some(What::Series {
        name: series.to_string(),
        stat: Stat::parse(stat)?,
        at,
    })
}

/// A date within the run's recorded dates, in ISO form.
fn parse_date(text: &str, layout: &Layout) -> Option<String> {
    let date: jiff::civil::Date = text.parse().ok()?;
    let date = date.to_string();
    let (first, last) = &layout.dates;
    (first.as_str() <= date.as_str() && date.as_str() <= last.as_str()).then_some(date)
}

fn parse_farm(rest: &str, layout: &Layout) -> Option<What> {
    // Farm names may hold dots: match whole names.
    let (farm, tail) = layout.farms.iter().find_map(|f| {
        let tail = rest.strip_prefix(f.as_str())?.strip_prefix('.')?;
        Some((f.clone(), tail))
    })?;
    match tail {
        "insolvency_probability" => return Some(What::Insolvency { farm }),
        "migration_probability" => return Some(What::Migration { farm }),
        "var95_margin_usd" => return Some(What::Var95 { farm }),
        _ => {}
    }
    let (measure, stat) = tail.rsplit_once('.')?;
    Some(What::Measure {
        farm,
        measure: measure.parse().ok()?,
        stat: Stat::parse(stat)?,
    })
}

/// What an output name may be, for the message of an unknown one.
fn available(layout: &Layout) -> String {
    let farms = if layout.farms.is_empty() {
        "(none)".to_string()
    } else {
        layout.farms.join(", ")
    };
    let series = if layout.series.is_empty() {
        "(none)".to_string()
    } else {
        layout.series.join(", ")
    };
    format!(
        "farms.<farm>.<measure>.<stat>, farms.<farm>.insolvency_probability, \
         farms.<farm>.migration_probability, farms.<farm>.var95_margin_usd, \
         hashrate_growth.annualised_growth.<stat>, series.<series>.<stat>[@YYYY-MM-DD] \
         ({} to {}); <stat> is mean or pNN (p5, p50, p95, ...); <farm> one of: {farms}; \
         <measure> one of: {}; <series> one of: {series}",
        layout.dates.0,
        layout.dates.1,
        FarmMeasure::NAMES.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interval_brackets_the_quantile() {
        let mut d = Distribution::default();
        let values: Vec<f64> = (1..=1000).map(f64::from).collect();
        d.add_chunk(&values);
        let e = Estimate::quantile(&d, 0.5);
        // Ranks 500 ± 1.96·√250 = 469.0 .. 531.0 (floor/ceil).
        assert!((e.lo - 469.0).abs() < 469.0 * 0.008, "{e:?}");
        assert!((e.hi - 531.0).abs() < 531.0 * 0.008, "{e:?}");
        assert!(e.lo <= e.value && e.value <= e.hi);
        assert!((e.stderr - (e.hi - e.lo) / (2.0 * Z95)).abs() < 1e-12);
    }

    #[test]
    fn probability_has_binomial_error_and_wilson_interval() {
        let e = Estimate::probability(25, 100);
        assert_eq!(e.value, 0.25);
        assert!((e.stderr - (0.25f64 * 0.75 / 100.0).sqrt()).abs() < 1e-15);
        assert!(e.lo < 0.25 && e.hi > 0.25);
        let zero = Estimate::probability(0, 100);
        assert_eq!((zero.value, zero.stderr, zero.lo), (0.0, 0.0, 0.0));
        assert!(zero.hi > 0.03 && zero.hi < 0.04, "{zero:?}");
    }

    #[test]
    fn statistics_parse() {
        assert_eq!(Stat::parse("mean"), Some(Stat::Mean));
        assert_eq!(Stat::parse("p50"), Some(Stat::Quantile(0.5)));
        assert_eq!(Stat::parse("p97.5"), Some(Stat::Quantile(0.975)));
        for bad in ["p", "p101", "pnan", "median", "P50", "p-1"] {
            assert_eq!(Stat::parse(bad), None, "{bad}");
        }
    }
}
