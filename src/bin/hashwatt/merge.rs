//! `hashwatt merge`: the shards of one run into the result of the whole run.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::json;

use hashwatt::report::{INPUTS_FILE, STATE_FILE, read_state, write_results};
use hashwatt::stats::Summary;

use crate::terminal::report_leftovers;

pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<()> {
    let parts = dirs
        .iter()
        .map(|d| read_state(&d.join(STATE_FILE)))
        .collect::<Result<Vec<_>, _>>()?;
    let summary = Summary::merge_shards(parts).context("cannot merge these results")?;
    let run_json = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "command": std::env::args().collect::<Vec<_>>(),
        "merged_from": dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>(),
        "finished_at": jiff::Timestamp::now().to_string(),
    });
    let mut extra = vec![(
        "run.json".to_string(),
        format!("{run_json:#}\n").into_bytes(),
    )];
    // The shards' inputs are the same run's: keep the first shard's.
    if let Some(inputs) = dirs
        .first()
        .and_then(|d| std::fs::read(d.join(INPUTS_FILE)).ok())
    {
        extra.push((INPUTS_FILE.to_string(), inputs));
    }
    report_leftovers(&write_results(out, &summary, &extra)?);
    eprintln!(
        "hashwatt: merged {} shards ({} paths) into {}",
        dirs.len(),
        summary.paths_done,
        out.display()
    );
    Ok(())
}
