//! `hashwatt report DIR`: reads a result directory's state (and inputs, if
//! recorded) and writes `report.html` and `charts/` into it, so that they
//! are complete or absent: everything is written into a hidden staging
//! directory inside `DIR` first and renamed into place at the end; the
//! staging directory is removed on every path out, error or not.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::charts::ChartError;
use super::compare_html::render_compare;
use super::html::render_report;
use super::inputs::{INPUTS_FILE, RunInputs};
use super::page::Report;
use super::state::{STATE_FILE, StateError, read_state};

/// File name of the report inside a result directory.
pub const REPORT_FILE: &str = "report.html";

/// Directory of the charts' SVG files inside a result directory.
pub const CHARTS_DIR: &str = "charts";

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The state file is missing, unreadable or damaged.
    #[error(transparent)]
    State(#[from] StateError),
    /// `inputs.json` exists but cannot be read or parsed.
    #[error("{path}: cannot read the run's inputs: {message}")]
    Inputs {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A comparison's or a sweep's result file (`compare.json`,
    /// `sweep.json`) cannot be read or is not one.
    #[error("{path}: cannot read the result: {message}")]
    Result {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// The folder's manifest could not be updated.
    #[error(transparent)]
    Output(#[from] super::OutputError),
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Reads `dir/inputs.json`; `None` when the run did not write one.
///
/// # Errors
/// [`ReportError::Inputs`] when it exists but is unreadable or not inputs.
pub fn read_inputs(dir: &Path) -> Result<Option<RunInputs>, ReportError> {
    let path = dir.join(INPUTS_FILE);
    let fail = |message: String| ReportError::Inputs {
        path: path.display().to_string(),
        message,
    };
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| fail(e.to_string())),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(fail(e.to_string())),
    }
}

/// Writes the page of the result directory `dir` as `dir/report.html` and
/// `dir/charts/*.svg`, replacing an earlier one; returns the path of
/// `report.html`. A run's report is drawn from its `state.bin` (and
/// `inputs.json` when present); a folder without `state.bin` that holds a
/// `compare.json` gets the comparison's page, drawn from that file alone.
///
/// # Errors
/// [`ReportError`] when the state, inputs or comparison cannot be read
/// (a sweep's folder is refused: its page is written by `sweep` itself), a
/// chart cannot be drawn or a file cannot be written; the directory then
/// holds its earlier report, if any, and no temporary file.
pub fn write_report(dir: &Path) -> Result<PathBuf, ReportError> {
    let state = dir.join(STATE_FILE);
    if !state.exists() {
        let compare = dir.join(super::COMPARE_FILE);
        match fs::read_to_string(&compare) {
            Ok(text) => {
                let page = render_compare(&text, &compare.display().to_string())?;
                return install_report(dir, &page);
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(io(&compare)(e)),
        }
        let sweep = dir.join(super::SWEEP_FILE);
        if sweep.exists() {
            return Err(ReportError::Result {
                path: sweep.display().to_string(),
                message: "a sweep's page is written by `hashwatt sweep` itself (report.html \
                          beside sweep.json); rerun the sweep to redraw it"
                    .into(),
            });
        }
    }
    let summary = read_state(&state)?;
    let inputs = read_inputs(dir)?;
    let report = render_report(&summary, inputs.as_ref())?;
    install_report(dir, &report)
}

/// Writes `report` (from [`render_report`], e.g. right after a run) into
/// the existing directory `dir` as `report.html` and `charts/`, replacing
/// an earlier report, complete or not at all; returns the path of
/// `report.html`.
///
/// # Errors
/// [`ReportError::Io`] when a file cannot be written or renamed; `dir`
/// then holds its earlier report, if any, and no temporary file.
pub fn install_report(dir: &Path, report: &Report) -> Result<PathBuf, ReportError> {
    let staging = tempfile::Builder::new()
        .prefix(".hashwatt-report-")
        .tempdir_in(dir)
        .map_err(io(dir))?;
    let stage = staging.path();
    fs::create_dir(stage.join(CHARTS_DIR)).map_err(io(stage))?;
    for (name, bytes) in report.files() {
        let path = stage.join(&name);
        fs::write(&path, bytes).map_err(io(&path))?;
    }
    let charts = dir.join(CHARTS_DIR);
    let old = stage.join("old-charts");
    let had_charts = charts.exists();
    if had_charts {
        fs::rename(&charts, &old).map_err(io(&charts))?;
    }
    let restore = || {
        if had_charts {
            let _ = fs::rename(&old, &charts);
        }
    };
    if let Err(e) = fs::rename(stage.join(CHARTS_DIR), &charts) {
        restore();
        return Err(io(&charts)(e));
    }
    let html = dir.join(REPORT_FILE);
    if let Err(e) = fs::rename(stage.join(REPORT_FILE), &html) {
        // Put the earlier charts back: the new ones without their page
        // would be a half-written report.
        let _ = fs::rename(&charts, stage.join("new-charts"));
        restore();
        return Err(io(&html)(e));
    }
    // Dropping `staging` removes it with the earlier charts inside.
    drop(staging);
    // Now hashwatt's: a later run into this folder may replace them.
    let names: Vec<String> = report.files().into_iter().map(|(n, _)| n).collect();
    super::record_written(dir, &names).map_err(ReportError::Output)?;
    Ok(html)
}
