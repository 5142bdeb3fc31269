//! CSV tables: one per recorded series (a row per step), and one for the
//! farms (a row per farm and measure).

use std::io::Write;

use super::Tables;
use crate::stats::{FarmSummary, Statistics, Summary};

const STAT_COLUMNS: [&str; 8] = ["mean", "std", "stderr", "p5", "p25", "p50", "p75", "p95"];

/// The statistics as CSV cells; an undefined one (no path defines it, or
/// too few for a spread) is an empty cell, never `NaN`.
fn stat_fields(s: &Statistics) -> [String; 8] {
    let [p5, p25, p50, p75, p95] = s.quantiles;
    [s.mean, s.std, s.stderr, p5, p25, p50, p75, p95].map(cell)
}

fn cell(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

/// Writes one series (its per-step `stats`) as CSV:
/// `t_days,date,mean,std,stderr,p5,p25,p50,p75,p95,n`, `n` the number of
/// paths that define the step's value.
///
/// # Errors
/// Any error of the underlying writer.
pub fn write_series_csv<W: Write>(
    out: W,
    summary: &Summary,
    stats: &[Statistics],
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["t_days", "date"];
    header.extend(STAT_COLUMNS);
    header.push("n");
    w.write_record(&header)?;
    for ((t, date), stats) in summary.t_days.iter().zip(&summary.dates).zip(stats) {
        let mut row = vec![t.to_string(), date.clone()];
        row.extend(stat_fields(stats));
        row.push(stats.n.to_string());
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the farms' results over the run as CSV:
/// `farm,measure,n,mean,std,stderr,p5,p25,p50,p75,p95`.
///
/// # Errors
/// Any error of the underlying writer.
pub fn write_farms_csv<W: Write>(
    out: W,
    summary: &Summary,
    tables: &Tables,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["farm", "measure", "n"];
    header.extend(STAT_COLUMNS);
    w.write_record(&header)?;
    for (farm, measures) in summary.farms.iter().zip(&tables.farms) {
        for (name, stats) in FarmSummary::MEASURES.iter().zip(measures) {
            let mut row = vec![
                farm.name().to_string(),
                name.to_string(),
                stats.n.to_string(),
            ];
            row.extend(stat_fields(stats));
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    Ok(())
}
