//! `hashwatt sweep`: a scenario at many values of some of its fields, on
//! common random numbers; sweep.json, sweep.csv and a tornado table.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use hashwatt::engine::{Control, EngineError, RunConfig};
use hashwatt::report::{REPORT_FILE, write_sweep};
use hashwatt::scenario::Override;
use hashwatt::sweep::{Estimate, Mode, SweepError, SweepResult, Vary, plan};

use crate::terminal::{Progress, ProgressMode, report_leftovers, stop_flag, use_threads};

#[derive(Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A field to vary and its values: PATH=LO..HI:N, N evenly spaced values
    /// from LO to HI, e.g. farms[0].contract.price_usd_per_mwh=30..60:7
    /// (repeatable; the paths of --set).
    #[arg(long = "vary", value_name = "PATH=LO..HI:N", required = true)]
    varies: Vec<Vary>,
    /// Vary each field alone around the scenario's values (and run the
    /// scenario itself) instead of the grid of every combination.
    #[arg(long)]
    one_at_a_time: bool,
    /// The output the tornado and the lines show, e.g.
    /// farms.operator.npv_usd.p50 (default: the first farm's mean margin).
    #[arg(long, value_name = "NAME")]
    output: Option<String>,
    /// Directory for sweep.json and sweep.csv (created, or replaced if it
    /// holds an earlier result).
    #[arg(long)]
    out: PathBuf,
    /// Monte Carlo paths of every point.
    #[arg(long, default_value_t = 1_000)]
    paths: u64,
    /// Seed of every random stream (the same for every point).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Override one field of the scenario for every point, e.g. --set
    /// horizon_days=365 (repeatable, applied in order, before --vary).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    overrides: Vec<Override>,
    /// How to show progress (over all points) on standard error: a bar on
    /// a terminal and nothing otherwise (auto), bar, plain lines, or none.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    progress: ProgressMode,
    /// Print no tornado table at the end.
    #[arg(long, short)]
    quiet: bool,
}

pub fn sweep(args: SweepArgs) -> Result<()> {
    let stop = stop_flag();
    use_threads(args.threads)?;
    let mode = if args.one_at_a_time {
        Mode::OneAtATime
    } else {
        Mode::Grid
    };
    let plan = plan(
        &args.scenario,
        &args.overrides,
        &args.varies,
        mode,
        args.output.as_deref(),
    )?;
    let config = RunConfig {
        threads: args.threads,
        ..RunConfig::new(args.seed, args.paths)
    };
    let total = plan.points_to_run() as u64 * config.paths;
    let label = format!("sweep of {} points", plan.points_to_run());
    let progress = Progress::new(args.progress, total, &label);
    let started = Instant::now();
    let inc = |n| progress.inc(n);
    let result = plan.run_with_control(&config, Control::new(&inc, stop));
    progress.finish();
    // An interruption is itself the error, so that the process exits 130.
    let result = result.map_err(|e| match e {
        SweepError::Engine(EngineError::Interrupted) => EngineError::Interrupted.into(),
        e => anyhow::Error::new(e),
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    report_leftovers(&write_sweep(&args.out, &result)?);
    if !args.quiet {
        print!("{}", tornado_table(&result));
    }
    eprintln!(
        "hashwatt: {} points ({} simulated) × {} paths in {elapsed:.2} s; results in {}",
        plan.points(),
        plan.points_to_run(),
        config.paths,
        args.out.display()
    );
    eprintln!(
        "hashwatt: open {} in a browser",
        args.out.join(REPORT_FILE).display()
    );
    Ok(())
}

/// A value and its error in a few significant digits.
fn with_error(e: Estimate) -> String {
    if e.value.is_nan() {
        "-".to_string()
    } else {
        format!("{} ± {}", short(e.value), short(e.stderr))
    }
}

/// A number in four significant digits, without a long tail of zeros.
fn short(x: f64) -> String {
    if x.is_nan() {
        return "-".to_string();
    }
    // Four significant digits with k/M/B suffixes, as in the report.
    hashwatt::report::format::compact_digits(x, 4)
}

/// The tornado as a plain-text table, largest swing first.
fn tornado_table(result: &SweepResult) -> String {
    let base = result.points[result.base_point].output;
    let mut rows = vec![[
        "field".to_string(),
        "LO -> output".to_string(),
        "HI -> output".to_string(),
        "swing ± error".to_string(),
    ]];
    for bar in &result.tornado {
        rows.push([
            bar.field.clone(),
            format!("{} -> {}", bar.lo_value, with_error(bar.at_lo)),
            format!("{} -> {}", bar.hi_value, with_error(bar.at_hi)),
            if bar.swing.is_nan() {
                "-".to_string()
            } else {
                format!("{} ± {}", short(bar.swing), short(bar.swing_stderr))
            },
        ]);
    }
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = format!(
        "{}: base {} (seed {}, {} paths per point; errors are 1 standard error)\n",
        result.output,
        with_error(base),
        result.seed,
        result.paths
    );
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, &w)| format!("{cell:<w$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
