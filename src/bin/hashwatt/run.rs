//! `hashwatt run`: simulate a scenario and write its results.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use hashwatt::Scenario;
use hashwatt::engine::{RunConfig, Shard, simulate_with_progress};
use hashwatt::report::{install_report, read_inputs, render_report, write_results};
use hashwatt::scenario::Override;

#[derive(Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Directory for the results (created, or replaced if it holds an
    /// earlier result).
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
    /// Also write the HTML report (report.html and charts/) into --out.
    #[arg(long)]
    report: bool,
}

pub fn run(args: RunArgs) -> Result<()> {
    if let Some(threads) = args.threads {
        // The whole process (simulation, merging, output) keeps to --threads.
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .with_context(|| format!("cannot start {threads} worker threads"))?;
    }
    let scenario = Scenario::from_path_with(&args.scenario, &args.overrides)?;
    let config = RunConfig {
        seed: args.seed,
        paths: args.paths,
        shard: args.shard.unwrap_or(Shard::WHOLE),
        threads: args.threads,
    };
    let bar = progress_bar(&scenario, &config);
    let started = Instant::now();
    let summary = simulate_with_progress(&scenario, &config, &|n| bar.inc(n))?;
    let elapsed = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let path_steps = summary.paths_done as f64 * scenario.steps() as f64;
    let run_json = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "command": std::env::args().collect::<Vec<_>>(),
        "scenario_file": args.scenario.display().to_string(),
        "seed": config.seed,
        "paths": config.paths,
        "shard": format!("{}/{}", config.shard.index(), config.shard.count()),
        "paths_in_shard": summary.paths_done,
        "threads": rayon_threads(config.threads),
        "elapsed_seconds": elapsed,
        "path_steps_per_second": path_steps / elapsed.max(1e-9),
        "finished_at": jiff::Timestamp::now().to_string(),
    });
    write_results(&args.out, &summary, &format!("{run_json:#}\n"))?;
    if args.report {
        // From the summary in memory: no need to read state.bin back.
        let inputs = read_inputs(&args.out)?;
        let report = render_report(&summary, inputs.as_ref())?;
        let path = install_report(&args.out, &report)?;
        eprintln!("hashwatt: report in {}", path.display());
    }
    eprintln!(
        "hashwatt: {} paths × {} steps in {elapsed:.2} s; results in {}",
        summary.paths_done,
        scenario.steps(),
        args.out.display()
    );
    Ok(())
}

fn rayon_threads(asked: Option<usize>) -> usize {
    asked
        .filter(|&t| t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn progress_bar(scenario: &Scenario, config: &RunConfig) -> ProgressBar {
    let chunks = config
        .shard
        .chunks(config.paths.div_ceil(hashwatt::engine::CHUNK_PATHS));
    let first = chunks.start * hashwatt::engine::CHUNK_PATHS;
    let end = (chunks.end * hashwatt::engine::CHUNK_PATHS).min(config.paths);
    let bar = ProgressBar::new(end.saturating_sub(first));
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let style =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} paths, {per_sec}, eta {eta}")
            .map(|s| s.progress_chars("=> "));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar.set_message(scenario.name().to_string());
    bar
}
