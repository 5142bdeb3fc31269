//! Sample paths as CSV (`--export-paths K`), for users who do their own
//! statistics: every series of the first K paths, one file per series with
//! a column per path, and each farm's per-path results.
//!
//! The values are those of [`crate::engine::trace`], bit for bit the values
//! these paths add to the run's summaries, so the files are the same for any
//! thread count.

use crate::engine::Trace;
use crate::stats::{FarmSummary, Summary};

use super::OutputError;

/// Most paths `--export-paths` writes: their series are held in memory.
pub const MAX_EXPORTED_PATHS: u64 = 1000;

/// The files of the exported paths `traces` (path `first + i` at `i`) of
/// a run summarised by `summary`, as (relative file name, bytes):
/// `paths/series/<name>.csv` (`t_days,date,path_<i>...`) and
/// `paths/farms.csv` (`path,farm,<measure>...`, an empty cell where a
/// measure is undefined on that path).
///
/// # Errors
/// [`OutputError::Csv`] if a table cannot be formatted.
pub fn exported_paths(
    summary: &Summary,
    first: u64,
    traces: &[Trace],
) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    let mut files = Vec::new();
    let Some(names) = traces.first().map(|t| &t.names) else {
        return Ok(files);
    };
    let columns: Vec<String> = (0..traces.len() as u64)
        .map(|i| format!("path_{}", first + i))
        .collect();
    for (s, name) in names.iter().enumerate() {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["t_days".to_string(), "date".to_string()];
        header.extend(columns.iter().cloned());
        w.write_record(&header).map_err(OutputError::csv)?;
        // The recorded steps (every `k`-th of the traced ones).
        for (day, date) in summary.t_days.iter().zip(&summary.dates) {
            let t = (day / summary.step_days) as usize;
            let mut row = vec![day.to_string(), date.clone()];
            row.extend(traces.iter().map(|tr| number(tr.values[s][t])));
            w.write_record(&row).map_err(OutputError::csv)?;
        }
        files.push((format!("paths/series/{name}.csv"), into_bytes(w)?));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["path", "farm"];
    header.extend(FarmSummary::MEASURES);
    w.write_record(&header).map_err(OutputError::csv)?;
    for (i, trace) in traces.iter().enumerate() {
        for (farm, measures) in summary.farms.iter().zip(&trace.farm_measures) {
            let mut row = vec![(first + i as u64).to_string(), farm.name().to_string()];
            row.extend(measures.iter().map(|m| m.map(number).unwrap_or_default()));
            w.write_record(&row).map_err(OutputError::csv)?;
        }
    }
    files.push(("paths/farms.csv".to_string(), into_bytes(w)?));
    Ok(files)
}

/// A value as CSV: shortest round-trip form; undefined (NaN) as empty.
fn number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        v.to_string()
    }
}

fn into_bytes(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, OutputError> {
    w.into_inner()
        .map_err(|e| OutputError::Csv(e.error().to_string()))
}
