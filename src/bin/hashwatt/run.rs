//! `hashwatt run`: simulate a scenario and write its results.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use rayon::prelude::*;
use serde_json::json;

use hashwatt::Scenario;
use hashwatt::engine::{
    Control, EngineError, RunConfig, Shard, run_identity, shard_chunks, simulate_chunks, trace,
};
use hashwatt::report::headline::terminal_summary;
use hashwatt::report::{
    INPUTS_FILE, MAX_EXPORTED_PATHS, REPORT_FILE, RunInputs, STATE_FILE, StateFile, exported_paths,
    read_state, render_report, write_results,
};
use hashwatt::scenario::Override;
use hashwatt::stats::Summary;

use crate::terminal::{Progress, ProgressMode, report_leftovers, stop_flag, use_threads};

/// The arguments of `hashwatt run`.
#[derive(Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Directory for the results (created, or replaced if it holds nothing
    /// but an earlier result).
    #[arg(long)]
    out: PathBuf,
    /// Number of Monte Carlo paths (of the whole run, when sharded).
    #[arg(long, default_value_t = 10_000)]
    paths: u64,
    /// Seed of every random stream.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Run only part K of N of the paths, e.g. 2/4; merge the parts with
    /// `hashwatt merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Override one field of the scenario, e.g. --set
    /// farms[0].contract.price_usd_per_mwh=60 (repeatable, applied in order).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    overrides: Vec<Override>,
    /// Also write every series and the farms' results of the first K paths
    /// (of this shard) as CSV under paths/.
    #[arg(long, value_name = "K")]
    export_paths: Option<u64>,
    /// How to show progress on standard error: a bar on a terminal
    /// (auto), always a bar, plain lines for batch logs, or none.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    progress: ProgressMode,
    /// Also write the HTML report (report.html and charts/) into --out.
    #[arg(long)]
    report: bool,
    /// Write no state.bin: a quick answer that `merge`, `report DIR` and
    /// `--resume` cannot use later (add --report for the report now). A
    /// stopped run keeps its state all the same, to be resumed.
    #[arg(long, conflicts_with = "shard")]
    no_state: bool,
    /// Print no summary table at the end.
    #[arg(long, short)]
    quiet: bool,
    /// Finish the run kept in DIR when it was stopped (Ctrl-C): simulate
    /// only the paths it lacks and write the whole result to --out (which
    /// may be DIR). The scenario, --set, --seed, --paths and --shard must
    /// be those of the stopped run.
    #[arg(long, value_name = "DIR")]
    resume: Option<PathBuf>,
}

/// Runs the scenario, writes the result folder and prints the summary.
pub fn run(args: RunArgs) -> Result<()> {
    let stop = stop_flag();
    use_threads(args.threads)?;
    let scenario = Scenario::from_path_with(&args.scenario, &args.overrides)?;
    let config = RunConfig {
        seed: args.seed,
        paths: args.paths,
        shard: args.shard.unwrap_or(Shard::WHOLE),
        threads: args.threads,
    };
    crate::memory::check_memory(&scenario, &config)?;
    let paths = paths_in_shard(&config);
    if paths.is_empty() {
        eprintln!(
            "hashwatt: warning: shard {}/{} has no paths: {} paths make {} chunk(s) of at \
             most {}, fewer than the {} shards; it writes an empty part, which merge \
             accepts with the others",
            config.shard.index(),
            config.shard.count(),
            config.paths,
            config.chunks(),
            config.chunk_paths(),
            config.shard.count(),
        );
    }
    let exported = args.export_paths.unwrap_or(0);
    if exported > MAX_EXPORTED_PATHS {
        bail!("--export-paths {exported}: at most {MAX_EXPORTED_PATHS} paths are exported");
    }
    let inputs = RunInputs::of(
        &args.scenario,
        &args.overrides,
        &scenario,
        config.seed,
        config.paths,
    )?;
    let earlier = match &args.resume {
        Some(dir) => Some(stopped_run(dir, &scenario, &config)?),
        None => None,
    };
    let todo = match &earlier {
        Some(e) => shard_chunks(&config).without(e.chunks()),
        None => shard_chunks(&config),
    };
    let todo_paths = todo
        .iter()
        .map(|c| {
            let r = config.chunk_range(c);
            r.end - r.start
        })
        .sum();
    let progress = Progress::new(args.progress, todo_paths, scenario.name());
    let started = Instant::now();
    let inc = |n| progress.inc(n);
    let part = simulate_chunks(&scenario, &config, &todo, Control::new(&inc, stop));
    progress.finish();
    let summary = match earlier {
        Some(mut e) => {
            e.absorb(part?, 1).context("cannot resume")?;
            e
        }
        None => part?,
    };
    if stop.load(std::sync::atomic::Ordering::Relaxed) {
        return keep_stopped_run(&args, &config, summary, &scenario, &inputs, started);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut extra = vec![
        (
            "run.json".to_string(),
            run_json(&args, &config, &summary, &scenario, elapsed),
        ),
        (INPUTS_FILE.to_string(), inputs.to_json().into_bytes()),
    ];
    let exported = exported.min(paths.end - paths.start);
    if exported > 0 {
        let traces: Vec<_> = (paths.start..paths.start + exported)
            .into_par_iter()
            .map(|path| trace(&scenario, config.seed, path))
            .collect();
        extra.extend(exported_paths(&summary, paths.start, &traces)?);
    }
    if args.report {
        // From the summary in memory, inside the same atomic output.
        let report = render_report(&summary, Some(&inputs))?;
        extra.extend(
            report
                .files()
                .into_iter()
                .map(|(name, bytes)| (name, bytes.to_vec())),
        );
    }
    let state = if args.no_state {
        StateFile::Skip
    } else {
        StateFile::Write
    };
    report_leftovers(&write_results(&args.out, &summary, &extra, state)?);
    if !args.quiet {
        println!("{}", terminal_summary(&summary));
    }
    eprintln!(
        "hashwatt: {} paths × {} steps in {elapsed:.2} s; results in {}",
        summary.paths_done(),
        scenario.steps(),
        args.out.display()
    );
    if args.report {
        eprintln!(
            "hashwatt: open {} in a browser",
            args.out.join(REPORT_FILE).display()
        );
    }
    Ok(())
}

/// The summary of the stopped run in `dir`, checked to be a part of this
/// run.
fn stopped_run(dir: &std::path::Path, scenario: &Scenario, config: &RunConfig) -> Result<Summary> {
    let earlier = read_state(&dir.join(STATE_FILE)).context("cannot resume")?;
    if let Some(what) = earlier
        .identity()
        .difference(&run_identity(scenario, config))
    {
        bail!(
            "cannot resume {}: its {what} differs from this run's (give the stopped run's \
             scenario, --set, --seed, --paths and --shard)",
            dir.display()
        );
    }
    if earlier.shards() != [config.shard.index()] {
        bail!(
            "cannot resume {}: it holds shard(s) {:?}, not shard {}",
            dir.display(),
            earlier.shards(),
            config.shard.index()
        );
    }
    Ok(earlier)
}

/// Writes what a stopped run finished (whole chunks, mergeable with the
/// rest) and says so; an interruption error either way.
fn keep_stopped_run(
    args: &RunArgs,
    config: &RunConfig,
    summary: Summary,
    scenario: &Scenario,
    inputs: &RunInputs,
    started: Instant,
) -> Result<()> {
    if summary.paths_done() == 0 {
        return Err(EngineError::Interrupted.into());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let extra = vec![
        (
            "run.json".to_string(),
            run_json(args, config, &summary, scenario, elapsed),
        ),
        (INPUTS_FILE.to_string(), inputs.to_json().into_bytes()),
    ];
    // Whatever --no-state says: the state is what --resume finishes from.
    report_leftovers(&write_results(
        &args.out,
        &summary,
        &extra,
        StateFile::Write,
    )?);
    let shard_paths = paths_in_shard(config);
    let out = args.out.display();
    Err(
        anyhow::Error::new(EngineError::Interrupted).context(format!(
            "interrupted: kept the {} of {} paths finished (chunks {}) in {out}; finish the run \
         with the same command and --resume {out}",
            summary.paths_done(),
            shard_paths.end - shard_paths.start,
            summary.chunks(),
        )),
    )
}

/// `run.json`: what ran, where and how fast (not part of the results' bits).
fn run_json(
    args: &RunArgs,
    config: &RunConfig,
    summary: &Summary,
    scenario: &Scenario,
    elapsed: f64,
) -> Vec<u8> {
    let path_steps = summary.paths_done() as f64 * scenario.steps() as f64;
    let value = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "command": std::env::args().collect::<Vec<_>>(),
        "scenario_file": args.scenario.display().to_string(),
        "seed": config.seed,
        "paths": config.paths,
        "shard": format!("{}/{}", config.shard.index(), config.shard.count()),
        "paths_in_shard": summary.paths_done(),
        "complete": shard_chunks(config).without(summary.chunks()).is_empty(),
        "threads": rayon::current_num_threads(),
        "elapsed_seconds": elapsed,
        "path_steps_per_second": path_steps / elapsed.max(1e-9),
        "finished_at": jiff::Timestamp::now().to_string(),
    });
    format!("{value:#}\n").into_bytes()
}

/// The paths this run (or shard) simulates.
fn paths_in_shard(config: &RunConfig) -> std::ops::Range<u64> {
    let chunks = config.shard.chunks(config.chunks());
    let first = config.chunk_range(chunks.start).start;
    let end = config.chunk_range(chunks.end).start;
    first..end.max(first)
}
