//! `sweep.json` and `sweep.csv`: a sweep's points, tornado and lines.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::sweep_html::render_sweep;
use super::{OutputDir, OutputError, ReportError};

/// The file a sweep's points, tornado and lines go to.
pub const SWEEP_FILE: &str = "sweep.json";
use crate::sweep::{FarmHeadline, SweepResult};

/// The text of `sweep.json`: [`SweepResult`] field by field, in its
/// order (so equal results give equal bytes); NaN (no value) is `null`.
pub fn sweep_json(result: &SweepResult) -> String {
    // Plain structs of numbers and strings serialise without error, and
    // serde_json writes non-finite numbers as `null`.
    let mut text = serde_json::to_string_pretty(result).unwrap_or_default();
    text.push('\n');
    text
}

/// A number for a CSV cell: shortest round-trip form, empty when NaN.
fn cell(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        x.to_string()
    }
}

/// Writes `sweep.csv`: one row per point, `point`, the value of each
/// axis (headed by its path), `output`, `output_stderr`, `output_lo`,
/// `output_hi`, then for each farm and headline measure
/// `farms.<farm>.<measure>` and `farms.<farm>.<measure>.stderr`. Empty
/// cells have no value.
///
/// # Errors
/// Any error of the underlying writer.
pub fn write_sweep_csv<W: Write>(out: W, result: &SweepResult) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["point".to_string()];
    header.extend(result.axes.iter().map(|a| a.path.clone()));
    header.extend(["output", "output_stderr", "output_lo", "output_hi"].map(String::from));
    for farm in &result.farms {
        for name in FarmHeadline::NAMES {
            header.push(format!("farms.{farm}.{name}"));
            header.push(format!("farms.{farm}.{name}.stderr"));
        }
    }
    w.write_record(&header)?;
    for (k, point) in result.points.iter().enumerate() {
        let mut row = vec![k.to_string()];
        row.extend(point.values.iter().map(|&v| cell(v)));
        let o = point.output;
        row.extend([o.value, o.stderr, o.lo, o.hi].map(cell));
        for farm in &point.farms {
            for e in farm.estimates() {
                row.push(cell(e.value));
                row.push(cell(e.stderr));
            }
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `sweep.json`, `sweep.csv` and the sweep's page (`report.html`
/// and `charts/`: [`render_sweep`]) into `dir`, complete or not at all
/// (through [`OutputDir`]); returns the staging folders of interrupted
/// runs it removed.
///
/// # Errors
/// [`ReportError::Output`] when the directory cannot be written or already
/// holds something that is not a hashwatt result; [`ReportError::Chart`]
/// when a chart cannot be drawn. Nothing is written then.
pub fn write_sweep(dir: &Path, result: &SweepResult) -> Result<Vec<PathBuf>, ReportError> {
    let mut csv = Vec::new();
    write_sweep_csv(&mut csv, result).map_err(OutputError::csv)?;
    let page = render_sweep(result)?;
    let mut out = OutputDir::stage(dir)?;
    let removed = out.removed_leftovers().to_vec();
    out.write(SWEEP_FILE, sweep_json(result).as_bytes())?;
    out.write("sweep.csv", &csv)?;
    for (name, bytes) in page.files() {
        out.write(&name, bytes)?;
    }
    out.commit()?;
    Ok(removed)
}
