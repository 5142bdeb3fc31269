//! `hashwatt compare`: run scenarios on common random numbers and write
//! their paired differences against the first.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::json;

use hashwatt::Scenario;
use hashwatt::engine::{Comparison, Control, PairedMeasure, RunConfig, compare};
use hashwatt::report::{REPORT_FILE, write_comparison};
use hashwatt::scenario::Override;
use hashwatt::stats::FarmMeasure;

use crate::terminal::{Progress, ProgressMode, report_leftovers, stop_flag, use_threads};

#[derive(Args)]
pub struct CompareArgs {
    /// Scenario files (TOML): the first is the baseline A, each other is
    /// compared with it. The same file may be given twice with --set-for.
    #[arg(required = true, num_args = 2..)]
    scenarios: Vec<PathBuf>,
    /// Directory for the results (created, or replaced if it holds an
    /// earlier result).
    #[arg(long)]
    out: PathBuf,
    /// Number of Monte Carlo paths (the same paths for every scenario).
    #[arg(long, default_value_t = 10_000)]
    paths: u64,
    /// Seed of every random stream (the same for every scenario).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Override one field of every scenario, e.g. --set
    /// fees.volatility=0.3 (repeatable, applied in order).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    overrides: Vec<Override>,
    /// Override one field of scenario K only (numbered from 1 in the order
    /// given), after the --set ones, e.g. --set-for
    /// 2:farms[0].contract.price_usd_per_mwh=50 (repeatable).
    #[arg(long = "set-for", value_name = "K:PATH=VALUE")]
    set_for: Vec<ScenarioOverride>,
    /// How to show progress on standard error: a bar on a terminal
    /// (auto), always a bar, plain lines for batch logs, or none.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    progress: ProgressMode,
}

/// `K:PATH=VALUE`: an override of scenario K alone.
#[derive(Clone, Debug)]
struct ScenarioOverride {
    scenario: usize,
    change: Override,
}

impl FromStr for ScenarioOverride {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (k, rest) = s
            .split_once(':')
            .ok_or_else(|| format!("expected K:PATH=VALUE, got {s:?}"))?;
        let scenario = k
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|&k| k >= 1)
            .ok_or_else(|| format!("{k:?} is not a scenario number (1, 2, ...)"))?;
        let change = rest.parse().map_err(|e| format!("{e}"))?;
        Ok(ScenarioOverride { scenario, change })
    }
}

pub fn compare_scenarios(args: CompareArgs) -> Result<()> {
    let stop = stop_flag();
    use_threads(args.threads)?;
    let count = args.scenarios.len();
    if let Some(bad) = args.set_for.iter().find(|o| o.scenario > count) {
        bail!(
            "--set-for {}:{}: there are only {count} scenarios",
            bad.scenario,
            bad.change.path()
        );
    }
    let scenarios = args
        .scenarios
        .iter()
        .enumerate()
        .map(|(k, path)| {
            let mut changes = args.overrides.clone();
            let own = args.set_for.iter().filter(|o| o.scenario == k + 1);
            changes.extend(own.map(|o| o.change.clone()));
            Scenario::from_path_with(path, &changes)
                .with_context(|| format!("scenario {} ({})", k + 1, path.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    let config = RunConfig {
        threads: args.threads,
        ..RunConfig::new(args.seed, args.paths)
    };
    let names: Vec<&str> = scenarios.iter().map(Scenario::name).collect();
    let label = format!("compare {}", names.join(" / "));
    let progress = Progress::new(args.progress, config.paths, &label);
    let started = Instant::now();
    let inc = |n| progress.inc(n);
    let result = compare(&scenarios, &config, Control::new(&inc, stop));
    progress.finish();
    // An interruption goes up as it is: main says so and exits with 130.
    let comparison = result?;
    let elapsed = started.elapsed().as_secs_f64();
    let files: Vec<String> = args
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let run_json = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "command": std::env::args().collect::<Vec<_>>(),
        "scenario_files": files,
        "seed": config.seed,
        "paths": config.paths,
        "elapsed_seconds": elapsed,
        "finished_at": jiff::Timestamp::now().to_string(),
    });
    report_leftovers(&write_comparison(
        &args.out,
        &comparison,
        &files,
        &format!("{run_json:#}\n"),
    )?);
    print!("{}", table(&comparison));
    eprintln!(
        "hashwatt: {} scenarios × {} paths in {elapsed:.2} s; results in {}",
        count,
        config.paths,
        args.out.display()
    );
    eprintln!(
        "hashwatt: open {} in a browser",
        args.out.join(REPORT_FILE).display()
    );
    Ok(())
}

/// The key measures of each shared farm, B − A, as a plain-text table.
fn table(comparison: &Comparison) -> String {
    const KEY: [(PairedMeasure, &str); 4] = [
        (PairedMeasure::Farm(FarmMeasure::Margin), "margin, USD"),
        (PairedMeasure::Farm(FarmMeasure::Npv), "NPV, USD"),
        (
            PairedMeasure::Farm(FarmMeasure::CashCostPerBtc),
            "cash cost, USD/BTC",
        ),
        (PairedMeasure::InsolvencyProbability, "P(insolvency)"),
    ];
    let mut out = String::new();
    let a = &comparison.scenarios[0].name;
    for note in &comparison.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    for pair in &comparison.pairs {
        let b = &comparison.scenarios[pair.scenario].name;
        for farm in &pair.farms {
            out.push_str(&format!(
                "\nfarm {}: B = {b} (scenario {}) against A = {a}, {} paths on common random numbers\n",
                farm.name,
                pair.scenario + 1,
                comparison.paths
            ));
            out.push_str(&format!(
                "  {:<20} {:>12} {:>12} {:>24} {:>10} {:>10}\n",
                "measure", "A mean", "B mean", "B − A ± std. error", "P(B better)", "var. red."
            ));
            let can_fail = [0, pair.scenario].iter().any(|&k| {
                comparison
                    .summaries
                    .get(k)
                    .is_some_and(|s| s.can_fail(&farm.name))
            });
            for (name, label) in KEY {
                if name == PairedMeasure::InsolvencyProbability && !can_fail {
                    // Not "0 ± 0": the farm has no balance sheet.
                    out.push_str(&format!(
                        "  {label:<20} cannot fail: no balance sheet ([farms.finance])\n"
                    ));
                    continue;
                }
                let s = farm.measure(name).statistics(name.better());
                let d = &s.difference;
                let diff = format!("{} ± {}", number(d.mean), number(d.stderr));
                out.push_str(&format!(
                    "  {:<20} {:>12} {:>12} {:>24} {:>10} {:>10}\n",
                    label,
                    number(s.a.mean),
                    number(s.b.mean),
                    diff,
                    share(s.p_better),
                    ratio(s.variance_reduction)
                ));
            }
        }
    }
    out
}

/// A number with three significant digits and a k/M/G suffix.
fn number(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let (scaled, suffix) = match x.abs() {
        a if a >= 1e9 => (x / 1e9, " G"),
        a if a >= 1e6 => (x / 1e6, " M"),
        a if a >= 1e4 => (x / 1e3, " k"),
        _ => (x, ""),
    };
    let digits = match scaled.abs() {
        a if a >= 100.0 || a == 0.0 => 0,
        a if a >= 10.0 => 1,
        a if a >= 1.0 => 2,
        _ => 3,
    };
    format!("{scaled:.digits$}{suffix}")
}

fn share(p: f64) -> String {
    if p.is_finite() {
        format!("{:.1} %", 100.0 * p)
    } else {
        "n/a".to_string()
    }
}

fn ratio(r: f64) -> String {
    if r.is_finite() {
        format!("{r:.1}×")
    } else if r == f64::INFINITY {
        // No spread left in the paired difference.
        "∞".to_string()
    } else {
        "n/a".to_string()
    }
}
