//! Operator margin: sign a fixed 5-year power contract, or stay on the
//! index price? Both choices run on the same paths (common random
//! numbers), so their difference is the effect of the contract alone.
//!
//! Answers: "by how much does the fixed contract change my NPV and my
//! probability of failing, and how sure is that difference?" The paired
//! difference's standard error is much smaller than either run's spread,
//! because the BTC price, fees, regimes and grids are the same path by
//! path.
//!
//! ```text
//! cargo run --release --example operator_margin -- [PATHS]
//! ```

use hashwatt::engine::PairedMeasure;
use hashwatt::engine::{Control, compare};
use hashwatt::scenario::Override;
use hashwatt::stats::FarmMeasure;
use hashwatt::{RunConfig, Scenario};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(2000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    // A: a fixed 42 USD/MWh contract with sell-back for the whole 5-year
    // horizon (no end date, so no renewal); B: the region's index price
    // plus a 2 USD/MWh adder.
    let fixed: Override = r#"farms[name=operator].contract={ kind = "fixed", price_usd_per_mwh = 42.0, sell_back = true }"#.parse()?;
    let index: Override =
        r#"farms[name=operator].contract={ kind = "index", adder_usd_per_mwh = 2.0 }"#.parse()?;
    let a = Scenario::from_path_with(path, &[fixed])?;
    let b = Scenario::from_path_with(path, &[index])?;
    let comparison = compare(&[a, b], &RunConfig::new(1, paths), Control::NONE)?;

    let pair = &comparison.pairs[0];
    let farm = pair
        .farms
        .iter()
        .find(|f| f.name == "operator")
        .ok_or("both scenarios have the operator")?;
    println!("operator, {paths} paths: index (B) against the fixed 5-year contract (A)");
    for measure in [
        PairedMeasure::Farm(FarmMeasure::Npv),
        PairedMeasure::InsolvencyProbability,
        PairedMeasure::Farm(FarmMeasure::AllInCostPerBtc),
    ] {
        let s = farm.measure(measure).statistics(measure.better());
        println!(
            "  {:24} A {:>14.4e}  B {:>14.4e}  B − A {:>12.4e} ± {:.2e} (1 s.e.), P(B better) {:.2}, variance ÷ {:.1}",
            measure.name(),
            s.a.mean,
            s.b.mean,
            s.difference.mean,
            s.difference.stderr,
            s.p_better,
            s.variance_reduction
        );
    }
    Ok(())
}
