//! The headline table: per farm, what an operator asks first (costs per
//! BTC, breakevens, margin and its tail, NPV, payback, P(insolvency)),
//! each with its median, 90 % interval and Monte Carlo error, and the
//! sentences that say it in words ("1 in 2 paths fails before 2029-03").
//! [`terminal_summary`] prints it for the terminal; the HTML report draws
//! its table from the same [`Headline`].

use super::format::{Calendar, UNDEFINED, compact, duration_days, percent, thousands};
use super::measures;
use crate::stats::{Distribution, FarmMeasure, FarmSummary, Statistics, Summary};

/// The headline of a run: one entry per farm.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// The scenario's name.
    pub scenario: String,
    /// Paths summarised.
    pub paths: u64,
    /// First and last recorded date (ISO 8601; empty for a run without
    /// steps).
    pub period: (String, String),
    /// Per farm, in the scenario's order.
    pub farms: Vec<FarmHeadline>,
}

/// One farm's headline.
#[derive(Debug, Clone, PartialEq)]
pub struct FarmHeadline {
    /// The farm's name.
    pub name: String,
    /// Distributions with their intervals, in the table's order.
    pub rows: Vec<Row>,
    /// The margin's tail.
    pub tail: Tail,
    /// Payback of the capital at stake.
    pub payback: Payback,
    /// Failure within the horizon.
    pub insolvency: Insolvency,
}

/// One measure across paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What it is, with its unit: `cash cost per BTC, USD/BTC`.
    pub label: &'static str,
    /// Median, 90 % interval and mean with its standard error.
    pub stats: Statistics,
    /// Paths on which it is not defined (no BTC mined, no power used).
    pub undefined_paths: u64,
}

/// The margin's value at risk and expected shortfall, with approximate
/// Monte Carlo errors (from the sketch: see [`quantile_stderr`] and
/// [`tail_mean_stderr`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tail {
    /// VaR95: the 5th percentile of the margin, USD.
    pub var95: f64,
    /// Its standard error, USD.
    pub var95_stderr: f64,
    /// CVaR95: the mean margin of the worst 5 % of paths, USD.
    pub cvar95: f64,
    /// Its standard error, USD.
    pub cvar95_stderr: f64,
}

/// When the summed operating margin covers the capital at stake.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Payback {
    /// Share of paths that pay back within the horizon.
    pub share: f64,
    /// Median payback over all paths (those that never pay back counted as
    /// later than any): defined when at least half pay back, days.
    pub median_days: Option<f64>,
    /// Median over the paths that pay back, days (NaN when none does).
    pub median_among_days: f64,
}

/// Whether and when a farm fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Insolvency {
    /// The farm has no balance sheet (`[farms.finance]`): it cannot fail.
    NoBalanceSheet,
    /// The farm has one.
    Possible {
        /// P(insolvency within the horizon).
        probability: f64,
        /// Its binomial standard error, `√(p(1−p)/n)`.
        stderr: f64,
        /// The day by which 1 in 10 of all paths has failed, if as many do.
        tenth_by_day: Option<f64>,
        /// The day by which half of all paths have failed, if as many do.
        half_by_day: Option<f64>,
    },
}

/// The measures of the rows, in order (each row is labelled with
/// [`FarmMeasure::label`]).
const ROWS: [FarmMeasure; 6] = [
    FarmMeasure::CashCostPerBtc,
    FarmMeasure::AllInCostPerBtc,
    FarmMeasure::BreakevenHashprice,
    FarmMeasure::BreakevenPower,
    FarmMeasure::Margin,
    FarmMeasure::Npv,
];

impl Headline {
    /// The headline of `summary`.
    pub fn of(summary: &Summary) -> Headline {
        let paths = summary.paths_done;
        let period = (
            summary.dates.first().cloned().unwrap_or_default(),
            summary.dates.last().cloned().unwrap_or_default(),
        );
        let farms = summary
            .farms
            .iter()
            .map(|farm| FarmHeadline::of(farm, paths, summary.can_fail(farm.name())))
            .collect();
        Headline {
            scenario: summary.scenario_name.clone(),
            paths,
            period,
            farms,
        }
    }
}

impl FarmHeadline {
    /// The headline of `farm` over `paths` paths; `balance_sheet` says
    /// whether it can fail.
    pub fn of(farm: &FarmSummary, paths: u64, balance_sheet: bool) -> FarmHeadline {
        let rows = ROWS
            .into_iter()
            .map(|measure| {
                let stats = farm.measure(measure).statistics();
                Row {
                    label: measure.label(),
                    stats,
                    undefined_paths: paths.saturating_sub(stats.n),
                }
            })
            .collect();
        let margin = farm.measure(FarmMeasure::Margin);
        let tail = Tail {
            var95: measures::var95(margin),
            var95_stderr: quantile_stderr(margin, measures::TAIL),
            cvar95: measures::cvar95(margin),
            cvar95_stderr: tail_mean_stderr(margin, measures::TAIL),
        };
        FarmHeadline {
            name: farm.name().to_string(),
            rows,
            tail,
            payback: Payback::of(farm.measure(FarmMeasure::PaybackDays), paths),
            insolvency: if balance_sheet {
                Insolvency::of(farm.measure(FarmMeasure::InsolvencyDay), paths)
            } else {
                Insolvency::NoBalanceSheet
            },
        }
    }
}

/// The `q`-quantile of an event's day over all paths, when only the
/// `share` of paths on which it happens have a day in `days`: the
/// `q/share`-quantile of those; `None` when fewer than `q` of all paths
/// see it.
fn quantile_over_all(days: &Distribution, share: f64, q: f64) -> Option<f64> {
    (share > 0.0 && share >= q)
        .then(|| days.quantile((q / share).min(1.0)))
        .filter(|d| d.is_finite())
}

impl Payback {
    fn of(days: &Distribution, paths: u64) -> Payback {
        let share = measures::share(days.count(), paths);
        Payback {
            share,
            median_days: quantile_over_all(days, share, 0.5),
            median_among_days: days.quantile(0.5),
        }
    }

    /// The payback in words: "median payback 2.3 years; 18 % of paths never
    /// pay back".
    pub fn sentence(&self) -> String {
        if self.share.is_nan() {
            return UNDEFINED.to_string();
        }
        let never = percent(1.0 - self.share);
        match self.median_days {
            Some(d) if self.share >= 1.0 => {
                format!("median payback {}; every path pays back", duration_days(d))
            }
            Some(d) => format!(
                "median payback {}; {never} of paths never pay back",
                duration_days(d)
            ),
            None if self.share == 0.0 => "no path pays back within the horizon".to_string(),
            None => format!(
                "{never} of paths never pay back; the others in {} (median)",
                duration_days(self.median_among_days)
            ),
        }
    }
}

impl Insolvency {
    fn of(days: &Distribution, paths: u64) -> Insolvency {
        let probability = measures::share(days.count(), paths);
        let stderr = (probability * (1.0 - probability) / paths as f64).sqrt();
        Insolvency::Possible {
            probability,
            stderr,
            tenth_by_day: quantile_over_all(days, probability, 0.1),
            half_by_day: quantile_over_all(days, probability, 0.5),
        }
    }

    /// The risk of failure in words, with dates from `calendar`: "54.5 % ±
    /// 1.1 %: 1 in 2 paths fails before 2029-03; 1 in 10 before 2027-11".
    pub fn sentence(&self, calendar: Option<&Calendar>, paths: u64) -> String {
        let month = |d: f64| calendar.map_or_else(|| format!("day {d:.0}"), |c| c.month(d));
        match *self {
            Insolvency::NoBalanceSheet => {
                "cannot fail: the farm has no balance sheet ([farms.finance])".to_string()
            }
            Insolvency::Possible { probability, .. } if probability.is_nan() => {
                UNDEFINED.to_string()
            }
            Insolvency::Possible {
                probability: 0.0, ..
            } => format!(
                "no path fails within the horizon (below {} at 95 % confidence)",
                // The rule of three: no event in n trials bounds p by 3/n.
                percent(3.0 / paths as f64)
            ),
            Insolvency::Possible {
                probability,
                stderr,
                tenth_by_day,
                half_by_day,
            } => {
                let mut text = format!("{} ± {}", percent(probability), percent(stderr));
                match (half_by_day, tenth_by_day) {
                    (Some(half), Some(tenth)) => text.push_str(&format!(
                        ": 1 in 2 paths fails before {}; 1 in 10 before {}",
                        month(half),
                        month(tenth)
                    )),
                    (None, Some(tenth)) => text.push_str(&format!(
                        ": 1 in {:.0} paths fails within the horizon, 1 in 10 before {}",
                        (1.0 / probability).round(),
                        month(tenth)
                    )),
                    _ => text.push_str(&format!(
                        ": 1 in {} paths fails within the horizon",
                        thousands((1.0 / probability).round() as u64)
                    )),
                }
                text
            }
        }
    }
}

/// Approximate standard error of the sample `p`-quantile of `d`: the
/// binomial spread of its rank, `√(p(1−p)/n)`, over the density there,
/// read from the sketch as `2h / (q(p+h) − q(p−h))`. NaN when undefined.
pub fn quantile_stderr(d: &Distribution, p: f64) -> f64 {
    let n = d.count() as f64;
    let h = 0.02_f64.min(p).min(1.0 - p);
    if n < 2.0 || h <= 0.0 {
        return f64::NAN;
    }
    let slope = (d.quantile(p + h) - d.quantile(p - h)) / (2.0 * h);
    slope * (p * (1.0 - p) / n).sqrt()
}

/// Approximate standard error of the lower tail mean at `p` (CVaR):
/// `√((Var(X | X ≤ q_p) + (1−p)(q_p − ES_p)²) / (n·p))` (the asymptotic
/// variance of the expected shortfall), with the tail's variance read from
/// 20 of its quantiles. NaN when undefined.
pub fn tail_mean_stderr(d: &Distribution, p: f64) -> f64 {
    let n = d.count() as f64;
    if n < 2.0 || p <= 0.0 || p > 1.0 {
        return f64::NAN;
    }
    const M: usize = 20;
    let tail: Vec<f64> = (0..M)
        .map(|i| d.quantile(p * (i as f64 + 0.5) / M as f64))
        .collect();
    let mean = tail.iter().sum::<f64>() / M as f64;
    let var = tail.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / M as f64;
    let (q, es) = (d.quantile(p), d.lower_tail_mean(p));
    ((var + (1.0 - p) * (q - es).powi(2)) / (n * p)).sqrt()
}

/// Width of the measure column of the terminal table.
const LABEL_WIDTH: usize = 33;

/// The headline table of `summary` as plain text for the terminal: per
/// farm its measures (median, 90 % interval, mean ± Monte Carlo error),
/// the margin's tail, payback and P(insolvency) in words. Lines fit 100
/// columns; numbers carry k/M/B suffixes and units. A run without farms
/// says so.
pub fn terminal_summary(summary: &Summary) -> String {
    let headline = Headline::of(summary);
    let calendar = Calendar::of(summary);
    let (first, last) = &headline.period;
    let mut out = format!(
        "{}: {} paths, {first} to {last}\n",
        headline.scenario,
        thousands(headline.paths)
    );
    if headline.farms.is_empty() {
        out.push_str("No farms in this scenario: nothing to summarise per farm.\n");
    }
    for farm in &headline.farms {
        out.push('\n');
        out.push_str(&farm_text(farm, calendar.as_ref(), headline.paths));
    }
    out
}

fn farm_text(farm: &FarmHeadline, calendar: Option<&Calendar>, paths: u64) -> String {
    let mut out = format!(
        "farm {}\n  {:<LABEL_WIDTH$}{:>10}  {:<22}{}\n",
        farm.name, "measure", "median", "   90 % of paths", "mean ± MC error"
    );
    for row in &farm.rows {
        let s = &row.stats;
        let interval = format!(
            "   {} to {}",
            compact(s.quantiles[0]),
            compact(s.quantiles[4])
        );
        out.push_str(&format!(
            "  {:<LABEL_WIDTH$}{:>10}  {:<22}{}\n",
            row.label,
            compact(s.quantiles[2]),
            interval,
            plus_minus(s.mean, s.stderr),
        ));
        if row.undefined_paths > 0 {
            out.push_str(&format!(
                "  {:<LABEL_WIDTH$}(undefined on {} paths)\n",
                "",
                thousands(row.undefined_paths)
            ));
        }
    }
    let t = &farm.tail;
    out.push_str(&format!(
        "  {:<LABEL_WIDTH$}{}\n  {:<LABEL_WIDTH$}{}\n",
        "VaR95 of the margin, USD",
        plus_minus(t.var95, t.var95_stderr),
        "CVaR95 (worst 5 % mean), USD",
        plus_minus(t.cvar95, t.cvar95_stderr),
    ));
    out.push_str(&format!(
        "  {:<LABEL_WIDTH$}{}\n  {:<LABEL_WIDTH$}{}\n",
        "payback",
        farm.payback.sentence(),
        "P(insolvency)",
        farm.insolvency.sentence(calendar, paths),
    ));
    out
}

/// `value ± error` with suffixes; the error left out when undefined.
pub fn plus_minus(value: f64, error: f64) -> String {
    if value.is_nan() {
        UNDEFINED.to_string()
    } else if error.is_finite() {
        format!("{} ± {}", compact(value), compact(error))
    } else {
        compact(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(values: &[f64]) -> Distribution {
        let mut d = Distribution::default();
        d.add_chunk(values);
        d
    }

    #[test]
    fn insolvency_in_words() {
        let cal = Calendar::new("2026-01-01", 0).unwrap();
        // 6 of 10 paths fail, on days 100, 200, ..., 600.
        let days = dist(&[100.0, 200.0, 300.0, 400.0, 500.0, 600.0]);
        let ins = Insolvency::of(&days, 10);
        let Insolvency::Possible {
            probability,
            stderr,
            half_by_day,
            tenth_by_day,
        } = ins
        else {
            panic!("has a balance sheet")
        };
        assert_eq!(probability, 0.6);
        assert!((stderr - (0.24_f64 / 10.0).sqrt()).abs() < 1e-12);
        // Half of all 10 paths (5) have failed by the 5th failure, day 500.
        assert!((half_by_day.unwrap() - 500.0).abs() < 5.0);
        assert!(tenth_by_day.unwrap() < 200.0);
        let text = ins.sentence(Some(&cal), 10);
        assert!(
            text.starts_with("60.0 % ± 15.5 %: 1 in 2 paths fails before 2027-05"),
            "{text}"
        );
        let none = Insolvency::of(&Distribution::default(), 200).sentence(Some(&cal), 200);
        assert!(
            none.contains("no path fails") && none.contains("1.5 %"),
            "{none}"
        );
        assert!(
            Insolvency::NoBalanceSheet
                .sentence(None, 10)
                .contains("cannot fail")
        );
    }

    #[test]
    fn payback_in_words() {
        let most = Payback::of(&dist(&[365.25, 730.5, 1095.75, 1461.0]), 5);
        assert_eq!(most.share, 0.8);
        assert_eq!(
            most.sentence(),
            format!(
                "median payback {}; 20.0 % of paths never pay back",
                duration_days(most.median_days.unwrap())
            )
        );
        let few = Payback::of(&dist(&[400.0]), 4);
        assert!(few.median_days.is_none());
        assert!(few.sentence().starts_with("75.0 % of paths never pay back"));
        assert_eq!(
            Payback::of(&Distribution::default(), 4).sentence(),
            "no path pays back within the horizon"
        );
    }

    #[test]
    fn tail_errors_shrink_with_paths() {
        let values = |n: usize| -> Vec<f64> {
            (0..n)
                .map(|i| ((i as f64 + 0.5) / n as f64 - 0.5) * 100.0)
                .collect()
        };
        let (small, large) = (dist(&values(400)), dist(&values(40_000)));
        let (a, b) = (quantile_stderr(&small, 0.05), quantile_stderr(&large, 0.05));
        // Uniform on [-50, 50]: density 1/100, so stderr = 100·√(0.0475/n).
        assert!(
            (a - 100.0 * (0.0475_f64 / 400.0).sqrt()).abs() / a < 0.05,
            "{a}"
        );
        assert!((a / b - 10.0).abs() < 0.5);
        assert!(tail_mean_stderr(&small, 0.05) > tail_mean_stderr(&large, 0.05) * 5.0);
        assert!(quantile_stderr(&Distribution::default(), 0.05).is_nan());
    }
}
