//! A statistic the summary does not have, computed from single paths:
//! the operator's deepest fall in cash (peak to trough) and the longest
//! run of days its hashprice stays below the power cost of its oldest
//! machines.
//!
//! [`trace`] replays path `k` of a run exactly (the same bits the path adds
//! to the run's summary), so a researcher can compute anything from the
//! paths themselves and still compare it with the summary's figures.
//!
//! ```text
//! cargo run --release --example custom_statistic -- [PATHS]
//! ```

use hashwatt::Scenario;
use hashwatt::engine::trace;
use hashwatt::model::units::MWH_PER_PH_DAY_PER_J_TH;

/// Efficiency of the operator's oldest machines (S19 XP), J/TH.
const S19_XP_J_PER_TH: f64 = 21.5;

/// The largest peak-to-trough fall of `values`.
fn deepest_fall(values: &[f64]) -> f64 {
    let mut peak = f64::NEG_INFINITY;
    let mut deepest: f64 = 0.0;
    for &v in values {
        peak = peak.max(v);
        deepest = deepest.max(peak - v);
    }
    deepest
}

/// The longest run of consecutive entries where `below` holds.
fn longest_run(below: impl Iterator<Item = bool>) -> usize {
    let (mut run, mut longest) = (0, 0);
    for b in below {
        run = if b { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// The `q`-quantile of sorted `values` (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let k = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(200), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    let scenario = Scenario::from_path(path)?;
    let (mut falls, mut runs) = (Vec::new(), Vec::new());
    for k in 0..paths {
        let t = trace(&scenario, 1, k);
        let cash = t
            .series("farm.operator.cash_usd")
            .ok_or("operator's cash")?;
        let price = t
            .series("farm.operator.power_price_usd_per_mwh")
            .ok_or("operator's power price")?;
        let hashprice = t.series("hashprice_usd_per_ph_day").ok_or("hashprice")?;
        falls.push(deepest_fall(cash));
        // Power cost of one PH/s for a day on its oldest machines.
        let mwh = MWH_PER_PH_DAY_PER_J_TH * S19_XP_J_PER_TH;
        let cost = price.iter().map(|p| p * mwh);
        let under = hashprice.iter().zip(cost).map(|(h, c)| *h < c);
        runs.push(longest_run(under) as f64 * f64::from(scenario.step_days()));
    }
    falls.sort_by(f64::total_cmp);
    runs.sort_by(f64::total_cmp);
    println!("{}: {paths} paths, the operator farm", scenario.name());
    for (label, values, unit, scale) in [
        ("deepest fall in cash", &falls, "M USD", 1e-6),
        ("longest spell under water", &runs, "days", 1.0),
    ] {
        println!(
            "  {label:26} p50 {:8.2}  p90 {:8.2}  max {:8.2} {unit}",
            quantile(values, 0.5) * scale,
            quantile(values, 0.9) * scale,
            values.last().copied().unwrap_or(f64::NAN) * scale
        );
    }
    Ok(())
}
