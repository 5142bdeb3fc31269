//! The `hashwatt` command-line tool: run scenarios, merge shards, and
//! compute the network identities. One module per command; the library
//! does the work.

mod calc;
mod merge;
mod report;
mod run;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use hashwatt::scenario::Override;

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
    Run(run::RunArgs),
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
    /// Write the HTML report (report.html and charts/*.svg) of a result
    /// directory and print its path.
    Report {
        /// Result directory of a run (holds state.bin).
        dir: PathBuf,
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
    Calc(calc::Calc),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Merge { dirs, out } => merge::merge(&dirs, &out),
        Command::Report { dir } => report::report(&dir),
        Command::Validate {
            scenario,
            overrides,
        } => validate::validate(&scenario, &overrides),
        Command::Calc(calc) => calc::calculate(calc),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hashwatt: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
