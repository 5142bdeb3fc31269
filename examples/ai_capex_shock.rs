//! AI capex shock: the US data-center wave (about 50 bn USD a year of
//! construction, split between an ERCOT-like and a PJM-like region) and one
//! company's ~70 bn USD programme, against the same world without them.
//!
//! Answers: "what do the AI pipelines do to miners' power price, to the
//! miners' MW the queue denies, and to the network's hashrate growth?"
//! Both worlds run on the same seed, so they share the BTC price, fees,
//! macro regimes and weather of the grid path by path.
//!
//! ```text
//! cargo run --release --example ai_capex_shock -- [PATHS]
//! ```

use hashwatt::scenario::Override;
use hashwatt::{RunConfig, Scenario, Summary, simulate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(1000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ai-squeeze.toml");
    let with_ai = Scenario::from_path(path)?;
    let no_ai: Override = "datacenters=[]".parse()?;
    let without_ai = Scenario::from_path_with(path, &[no_ai])?;
    let config = RunConfig::new(1, paths);
    let runs = [
        ("with the AI pipelines", simulate(&with_ai, &config)?),
        ("without them", simulate(&without_ai, &config)?),
    ];
    println!("ai-squeeze, {paths} paths, at the horizon (means ± 1 s.e.):");
    for (label, summary) in &runs {
        println!("{label}:");
        for region in ["ercot", "pjm"] {
            let price = last(summary, &format!("region.{region}.price_usd_per_mwh"))?;
            let denied = last(summary, &format!("region.{region}.miner_denied_mw"))?;
            println!(
                "  {region:5}  power price {:6.1} ± {:.1} USD/MWh   miners' MW denied {:7.1} ± {:.1}",
                price.0, price.1, denied.0, denied.1
            );
        }
        let growth = summary.hashrate_growth().annualised().statistics();
        println!(
            "  network hashrate growth {:.1} % a year (± {:.1})",
            100.0 * growth.mean,
            100.0 * growth.stderr
        );
    }
    Ok(())
}

/// The mean and standard error of series `name` at the last step.
fn last(summary: &Summary, name: &str) -> Result<(f64, f64), String> {
    let series = summary
        .series(name)
        .ok_or_else(|| format!("{name} is recorded"))?;
    let at = series.last().ok_or("at least one step")?;
    Ok((at.mean, at.stderr))
}
