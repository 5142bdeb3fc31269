//! Sweep of the contract price: the operator's fixed power price on a grid
//! built in code, every point on the same seed, and the breakeven contract
//! price (where the mean NPV crosses zero) read off.
//!
//! Answers: "up to what power price can I sign and still expect to create
//! value?" Common random numbers make the NPV a smooth, monotone function
//! of the price, so a linear interpolation between grid points suffices.
//!
//! ```text
//! cargo run --release --example sweep_contract_price -- [PATHS]
//! ```

use hashwatt::scenario::Override;
use hashwatt::stats::FarmMeasure;
use hashwatt::{RunConfig, Scenario, simulate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(1000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    let config = RunConfig::new(1, paths);
    let prices: Vec<f64> = (0..=6).map(|k| 30.0 + 10.0 * f64::from(k)).collect();
    let mut npv = Vec::with_capacity(prices.len());
    println!("operator, {paths} paths: mean NPV by fixed contract price");
    for &price in &prices {
        let set: Override = format!(
            "farms[name=operator].contract={{ kind = \"fixed\", price_usd_per_mwh = {price}, sell_back = true }}"
        )
        .parse()?;
        let scenario = Scenario::from_path_with(path, &[set])?;
        let summary = simulate(&scenario, &config)?;
        let farm = summary.farm("operator").ok_or("the operator farm")?;
        let s = farm.measure(FarmMeasure::Npv).statistics();
        println!(
            "  {price:5.1} USD/MWh  NPV {:8.2} ± {:.2} M USD",
            s.mean / 1e6,
            s.stderr / 1e6
        );
        npv.push(s.mean);
    }
    match breakeven(&prices, &npv) {
        Some(p) => println!("breakeven contract price: {p:.1} USD/MWh (mean NPV = 0)"),
        None => println!("the mean NPV does not cross zero on this grid"),
    }
    Ok(())
}

/// The price where `npv` first crosses zero, interpolated linearly.
fn breakeven(prices: &[f64], npv: &[f64]) -> Option<f64> {
    let k = npv
        .windows(2)
        .position(|w| (w[0] >= 0.0) != (w[1] >= 0.0))?;
    let (p0, p1, v0, v1) = (prices[k], prices[k + 1], npv[k], npv[k + 1]);
    Some(p0 + (p1 - p0) * v0 / (v0 - v1))
}
