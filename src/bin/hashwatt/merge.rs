//! `hashwatt merge`: the shards of one run into the result of the whole run.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::json;

use hashwatt::report::{INPUTS_FILE, STATE_FILE, StateFile, read_state, write_results};
use hashwatt::stats::Summary;

use crate::terminal::report_leftovers;

/// Merges the shard results `given` (result folders, or folders holding
/// them) into `out`.
pub fn merge(given: &[PathBuf], out: &Path) -> Result<()> {
    let dirs = shard_dirs(given, out)?;
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
    report_leftovers(&write_results(out, &summary, &extra, StateFile::Write)?);
    eprintln!(
        "hashwatt: merged {} shards ({} paths) into {}",
        dirs.len(),
        summary.paths_done(),
        out.display()
    );
    Ok(())
}

/// The result folders among `given`: each one holding a state file, and for
/// each other folder the folders directly inside it that hold one (a job
/// array's output folder), by name, leaving out `out`.
fn shard_dirs(given: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for dir in given {
        // A result folder (with or without its state: read_state names a
        // missing one), or a file, is a part itself.
        let result = dir.join(STATE_FILE).exists() || dir.join("summary.json").exists();
        if result || !dir.is_dir() {
            dirs.push(dir.clone());
            continue;
        }
        let mut inside: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join(STATE_FILE).is_file() && !same_place(p, out))
            .collect();
        if inside.is_empty() {
            bail!(
                "{}: holds no {STATE_FILE}, nor folders that do",
                dir.display()
            );
        }
        inside.sort();
        dirs.extend(inside);
    }
    Ok(dirs)
}

fn same_place(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
