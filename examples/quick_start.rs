//! Quick start: load the bundled default scenario, run it, and print the
//! median hashprice path and each farm's cost per BTC.
//!
//! Answers: "what does hashwatt say about hashprice and my cost per BTC
//! over the next five years, in one page of Rust?"
//!
//! ```text
//! cargo run --release --example quick_start -- [PATHS]
//! ```

use hashwatt::stats::FarmMeasure;
use hashwatt::{RunConfig, Scenario, simulate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(2000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/default.toml");
    let scenario = Scenario::from_path(path)?;
    let summary = simulate(&scenario, &RunConfig::new(1, paths))?;

    println!("{}: {paths} paths", scenario.name());
    println!("median hashprice, USD per PH/s per day (with the 90 % band):");
    let hashprice = summary
        .series("hashprice_usd_per_ph_day")
        .ok_or("the run records hashprice")?;
    // One line a quarter.
    let every = (91 / scenario.step_days()).max(1) as usize;
    for (t, stats) in hashprice.iter().enumerate().step_by(every) {
        let [p5, _, p50, _, p95] = stats.quantiles;
        println!("  {}  {p50:7.2}  [{p5:7.2}, {p95:7.2}]", summary.dates()[t]);
    }
    for farm in summary.farms() {
        let cost = farm.measure(FarmMeasure::AllInCostPerBtc).statistics();
        let cash = farm.measure(FarmMeasure::CashCostPerBtc).statistics();
        println!(
            "{}: cash cost {:.0} USD/BTC, all-in {:.0} USD/BTC (medians; mean all-in {:.0} ± {:.0})",
            farm.name(),
            cash.quantiles[2],
            cost.quantiles[2],
            cost.mean,
            cost.stderr
        );
    }
    Ok(())
}
