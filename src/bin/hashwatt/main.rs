//! The `hashwatt` command-line tool: run scenarios, merge shards, and
//! compute the network identities. One module per command; the library
//! does the work.

mod calc;
mod compare;
mod memory;
mod merge;
mod report;
mod run;
mod sweep;
mod terminal;
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
    /// Run scenarios on the same seed and paths (common random numbers) and
    /// write compare.json: what they share, paired against the first.
    Compare(compare::CompareArgs),
    /// Merge the result directories of the shards of one run into the
    /// result of the whole run.
    Merge {
        /// Result directories of the shards (each holds state.bin), or
        /// folders holding them (a job array's output folder).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Directory for the merged result.
        #[arg(long)]
        out: PathBuf,
    },
    /// Run a scenario at many values of some of its fields (a grid, or one
    /// at a time), on common random numbers; write sweep.json and sweep.csv
    /// into --out and print a tornado of the chosen output.
    Sweep(sweep::SweepArgs),
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
        /// Print the effective scenario (after `extends` and --set) as one
        /// TOML file.
        #[arg(long)]
        print: bool,
    },
    /// Network identities: subsidy, hashrate, hashprice, breakeven, retarget.
    #[command(subcommand)]
    Calc(calc::Calc),
}

/// Status of a command line that cannot be parsed (clap's, and the
/// convention of getopt-style tools).
const USAGE_STATUS: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version go to standard output with status 0.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // The same prefix as every other error (clap's text starts
            // with "error: ").
            eprint!("hashwatt: {}", e.render());
            return ExitCode::from(USAGE_STATUS);
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Compare(args) => compare::compare_scenarios(args),
        Command::Merge { dirs, out } => merge::merge(&dirs, &out),
        Command::Report { dir } => report::report(&dir),
        Command::Validate {
            scenario,
            overrides,
            print,
        } => validate::validate(&scenario, &overrides, print),
        Command::Calc(calc) => calc::calculate(calc),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_interruption(&e) => {
            // A command that kept something says what in the error's
            // context; otherwise nothing was written.
            if e.chain().count() == 1 {
                eprintln!("hashwatt: interrupted: the workers stopped and nothing was written");
            } else {
                eprintln!("hashwatt: {e}");
            }
            ExitCode::from(terminal::INTERRUPTED_STATUS as u8)
        }
        Err(e) => {
            eprintln!("hashwatt: error: {}", message(&e));
            ExitCode::FAILURE
        }
    }
}

/// Whether `e` is a run stopped by Ctrl-C or SIGTERM.
fn is_interruption(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<hashwatt::EngineError>(),
            Some(hashwatt::EngineError::Interrupted)
        )
    })
}

/// The error and its causes, each said once: library errors already name
/// their source in their own message.
fn message(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
