//! The `hashwatt` command-line tool: run scenarios, merge shards, and
//! compute the network identities.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use hashwatt::Scenario;
use hashwatt::engine::{RunConfig, Shard, simulate_with_progress};
use hashwatt::model::consensus;
use hashwatt::model::network;
use hashwatt::report::{STATE_FILE, read_state, write_results};
use hashwatt::scenario::Override;
use hashwatt::stats::Summary;

/// Monte Carlo costs of bitcoin mining when AI data centers compete for grid capacity.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and write summary.json, one CSV per series and the
    /// mergeable state into --out.
    Run(RunArgs),
    /// Merge the result directories of the shards of one run into the
    /// result of the whole run.
    Merge {
        /// Result directories of the shards (each holds state.bin).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Directory for the merged result.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a scenario file and print what it describes.
    Validate {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Override one field, e.g. --set fees.volatility=0.3 (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        overrides: Vec<Override>,
    },
    /// Network identities: subsidy, hashrate, hashprice, breakeven, retarget.
    #[command(subcommand)]
    Calc(Calc),
}

#[derive(Args)]
struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
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
}

#[derive(Subcommand)]
enum Calc {
    /// Block subsidy at a height.
    Subsidy {
        /// Block height.
        #[arg(long)]
        height: u64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Hashrate implied by a consensus difficulty.
    Hashrate {
        /// Consensus difficulty.
        #[arg(long)]
        difficulty: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Hashprice, USD per PH/s per day.
    Hashprice {
        /// Consensus difficulty.
        #[arg(long)]
        difficulty: f64,
        /// BTC price, USD.
        #[arg(long)]
        btc_price: f64,
        /// Height whose subsidy to use.
        #[arg(long, conflicts_with = "subsidy", required_unless_present = "subsidy")]
        height: Option<u64>,
        /// Subsidy per block, BTC.
        #[arg(long)]
        subsidy: Option<f64>,
        /// Fees per block, BTC.
        #[arg(long, default_value_t = 0.0)]
        fees: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Breakeven power price of a machine, USD/MWh.
    Breakeven {
        /// Hashprice, USD per PH/s per day.
        #[arg(long)]
        hashprice: f64,
        /// Machine efficiency, J/TH.
        #[arg(long)]
        efficiency: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Bitcoin Core's retarget at the end of an epoch.
    Retarget {
        /// Compact target (nBits) of the epoch, e.g. 0x1d00ffff.
        #[arg(long, value_parser = parse_bits)]
        bits: u32,
        /// Time of the epoch's first block, unix seconds.
        #[arg(long)]
        first_time: i64,
        /// Time of the epoch's last block, unix seconds.
        #[arg(long)]
        last_time: i64,
        /// Proof-of-work limit as compact bits (mainnet by default).
        #[arg(long, value_parser = parse_bits, default_value = "0x1d00ffff")]
        pow_limit: u32,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

fn parse_bits(s: &str) -> Result<u32, String> {
    let hex = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    u32::from_str_radix(hex, 16).map_err(|e| format!("`{s}` is not a 32-bit hex number: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Merge { dirs, out } => merge(&dirs, &out),
        Command::Validate {
            scenario,
            overrides,
        } => validate(&scenario, &overrides),
        Command::Calc(calc) => calculate(calc),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hashwatt: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: RunArgs) -> Result<()> {
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

fn merge(dirs: &[PathBuf], out: &Path) -> Result<()> {
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
    write_results(out, &summary, &format!("{run_json:#}\n"))?;
    eprintln!(
        "hashwatt: merged {} shards ({} paths) into {}",
        dirs.len(),
        summary.paths_done,
        out.display()
    );
    Ok(())
}

fn validate(path: &Path, overrides: &[Override]) -> Result<()> {
    let s = Scenario::from_path_with(path, overrides)?;
    println!(
        "{}: ok: `{}`, {} steps of {} day(s) from {}, {} regime(s), {} rest-of-world class(es), {} region(s), {} data-center pipeline(s), {} farm(s)",
        path.display(),
        s.name(),
        s.steps(),
        s.step_days(),
        s.start_date(),
        s.regimes().regimes().len(),
        s.rest_of_world().classes().len(),
        s.regions().len(),
        s.regions()
            .iter()
            .map(|r| r.datacenters.len())
            .sum::<usize>(),
        s.farms().len()
    );
    Ok(())
}

fn finite(name: &str, v: f64) -> Result<f64> {
    if !v.is_finite() {
        bail!("--{name} must be a finite number, not {v}");
    }
    Ok(v)
}

fn positive(name: &str, v: f64) -> Result<f64> {
    if finite(name, v)? <= 0.0 {
        bail!("--{name} must be > 0, not {v}");
    }
    Ok(v)
}

fn print(as_json: bool, value: serde_json::Value, text: String) {
    if as_json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

fn calculate(calc: Calc) -> Result<()> {
    match calc {
        Calc::Subsidy { height, json } => {
            let sat = consensus::subsidy_sat(height);
            let btc = sat as f64 / consensus::COIN_SAT as f64;
            print(
                json,
                json!({"subsidy_sat": sat, "subsidy_btc": btc}),
                format!("subsidy at height {height}: {sat} sat = {btc} BTC"),
            );
        }
        Calc::Hashrate { difficulty, json } => {
            let ehs = consensus::difficulty_to_hashrate_ehs(positive("difficulty", difficulty)?);
            print(
                json,
                json!({"hashrate_ehs": ehs}),
                format!("difficulty {difficulty} ↔ {ehs} EH/s"),
            );
        }
        Calc::Hashprice {
            difficulty,
            btc_price,
            height,
            subsidy,
            fees,
            json,
        } => {
            let hd = consensus::difficulty_to_hashrate_ehs(positive("difficulty", difficulty)?);
            let subsidy_btc = match (height, subsidy) {
                (Some(h), _) => consensus::subsidy_sat(h) as f64 / consensus::COIN_SAT as f64,
                (None, Some(s)) => finite("subsidy", s)?,
                (None, None) => bail!("give --height or --subsidy"),
            };
            let hp = network::hashprice(
                subsidy_btc,
                finite("fees", fees)?,
                positive("btc-price", btc_price)?,
                hd,
            );
            print(
                json,
                json!({"hashprice_usd_per_ph_day": hp}),
                format!("hashprice: {hp} USD per PH/s per day"),
            );
        }
        Calc::Breakeven {
            hashprice,
            efficiency,
            json,
        } => {
            let b = network::breakeven_power_price(
                finite("hashprice", hashprice)?,
                positive("efficiency", efficiency)?,
            );
            print(
                json,
                json!({"breakeven_usd_per_mwh": b}),
                format!("breakeven power price: {b} USD/MWh"),
            );
        }
        Calc::Retarget {
            bits,
            first_time,
            last_time,
            pow_limit,
            json,
        } => {
            let next = consensus::next_work_required(bits, first_time, last_time, pow_limit)?;
            let difficulty = consensus::bits_to_difficulty(next)?;
            let hex = format!("{next:#010x}");
            print(
                json,
                json!({"bits": hex, "difficulty": difficulty}),
                format!("next bits {hex}, difficulty {difficulty}"),
            );
        }
    }
    Ok(())
}
