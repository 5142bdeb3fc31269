//! Writing results: `summary.json`, one CSV per series, the mergeable state
//! file, all into an output directory that appears complete or not at all;
//! and the HTML pages with their charts (`report.html`, `charts/`) of a
//! run, a comparison and a sweep.

pub mod charts;
mod compare_html;
mod compare_json;
mod csv_out;
mod export;
mod figures;
pub mod format;
pub mod headline;
mod html;
mod inputs;
mod json;
pub mod measures;
mod output_dir;
mod page;
mod report_dir;
mod state;
mod sweep_html;
mod sweep_out;
mod tables;

pub use compare_html::render_compare;
pub use compare_json::{COMPARE_FILE, compare_json, scenario_folder, write_comparison};
pub use csv_out::{write_farms_csv, write_series_csv};
pub use export::{MAX_EXPORTED_PATHS, exported_paths};
pub use figures::{Figure, Section};
pub use headline::{Headline, terminal_summary};
pub use html::render_report;
pub use inputs::{INPUTS_FILE, InputChange, RunInputs, scenario_sha256};
pub use json::summary_json;
pub use output_dir::{MANIFEST_FILE, OutputDir, OutputError, record_written};
pub use page::{Report, escape};
pub use report_dir::{
    CHARTS_DIR, REPORT_FILE, ReportError, install_report, read_inputs, write_report,
};
pub use state::{STATE_FILE, StateError, decode_state, read_state, state_bytes, write_state};
pub use sweep_html::render_sweep;
pub use sweep_out::{SWEEP_FILE, sweep_json, write_sweep, write_sweep_csv};
pub use tables::Tables;

use std::path::{Path, PathBuf};

use crate::stats::Summary;

/// Whether a result folder holds the run's mergeable state (`state.bin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFile {
    /// Write it: the folder can be merged, resumed and reported later.
    Write,
    /// Leave it out (`run --no-state`): the folder holds the tables only.
    Skip,
}

/// Writes the full result set of `summary` into `dir`, atomically, with
/// the `extra` files (relative name, bytes): `run.json` with the run's
/// metadata, `inputs.json`, a report, exported paths; with `state.bin`
/// unless `state` is [`StateFile::Skip`].
///
/// Returns the staging directories of interrupted earlier runs that were
/// removed on the way ([`OutputDir::removed_leftovers`]).
///
/// # Errors
/// [`OutputError`] when the directory cannot be written or already holds
/// something that is not a hashwatt result.
pub fn write_results(
    dir: &Path,
    summary: &Summary,
    extra: &[(String, Vec<u8>)],
    state: StateFile,
) -> Result<Vec<PathBuf>, OutputError> {
    let mut out = OutputDir::stage(dir)?;
    for (name, bytes) in extra {
        out.write(name, bytes)?;
    }
    // The state and the tables are independent: write the one while the
    // other is built.
    let (written, tables) = rayon::join(
        || match state {
            StateFile::Write => out.write_with(STATE_FILE, |w| write_state(summary, w)),
            StateFile::Skip => Ok(()),
        },
        || render_tables(summary),
    );
    written?;
    for (name, bytes) in tables? {
        out.write(&name, &bytes)?;
    }
    let removed = out.removed_leftovers().to_vec();
    out.commit()?;
    Ok(removed)
}

/// `summary.json`, the series CSVs and `farms.csv`, as (file name, bytes).
fn render_tables(summary: &Summary) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    let tables = Tables::of(summary);
    let mut files = vec![(
        "summary.json".to_string(),
        summary_json(summary, &tables).into_bytes(),
    )];
    for (series, stats) in summary.series.iter().zip(&tables.series) {
        let mut buf = Vec::new();
        write_series_csv(&mut buf, summary, stats).map_err(OutputError::csv)?;
        files.push((format!("series/{}.csv", series.name), buf));
    }
    let mut buf = Vec::new();
    write_farms_csv(&mut buf, summary, &tables).map_err(OutputError::csv)?;
    files.push(("farms.csv".to_string(), buf));
    Ok(files)
}
