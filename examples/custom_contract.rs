//! A power contract of one's own: the operator's own contract (fixed price
//! with sell-back, renewed at market) plus a demand-response programme,
//! in which the grid may call the farm off for a step and pays a credit
//! per MWh it would have drawn. Plugged into the operator farm in place of
//! the scenario's contract; the results under both.
//!
//! Answers: "is joining the demand-response programme worth it, and how
//! often would I be called?" Every other process (price, fees, regimes,
//! the grid) draws the same numbers with and without it (common random
//! numbers), so the difference is the programme's alone. The contract has
//! its own per-path state (the term in force and whether a call is on),
//! its own random stream (`farm.operator.demand_response.calls`) and a
//! series of its own (`farm.operator.demand_response.called`).
//!
//! ```text
//! cargo run --release --example custom_contract -- [PATHS]
//! ```

use hashwatt::Scenario;
use hashwatt::engine::{RunConfig, Simulation};
use hashwatt::model::contract::{
    BidTerms, ContractStep, InForce, Market, PowerContract, ScenarioContract, ServedBid, StepTotals,
};
use hashwatt::stats::{FarmMeasure, FarmSeries, SeriesKey, Summary};
use rand::{Rng, RngExt};

/// The farm's contract, and a call off the grid each step with
/// probability `call_probability`, paid `credit_usd_per_mwh` for the
/// energy the farm's machines in service would have drawn.
#[derive(Debug, Clone, Copy)]
struct DemandResponse {
    base: ScenarioContract,
    call_probability: f64,
    credit_usd_per_mwh: f64,
}

/// A path's state: the base contract's, and whether this step is called.
#[derive(Debug, Clone, Copy)]
struct Called {
    base: InForce,
    on: bool,
}

impl PowerContract for DemandResponse {
    type State = Called;

    fn stream_names(&self) -> &[&'static str] {
        &["demand_response.calls"]
    }

    fn identity(&self) -> Option<String> {
        Some(format!("{self:?}"))
    }

    fn init<R: Rng>(&self, streams: &mut [R]) -> Called {
        Called {
            base: self.base.init(streams),
            on: false,
        }
    }

    /// Called off: bids nothing (the base contract's price, for its
    /// record); otherwise as the base contract.
    fn bid(&self, s: &Called, value: f64, terms: &BidTerms) -> (bool, f64) {
        let (runs, price) = self.base.bid(&s.base, value, terms);
        (runs && !s.on, price)
    }

    /// The base contract's cost and credits (a called sell-back farm still
    /// buys its block and sells it all back), and the programme's credit.
    fn serve(&self, s: &Called, bid: &ServedBid, m: &Market<'_>, t: &mut StepTotals) -> f64 {
        if s.on {
            t.credits_usd += bid.energy_days * self.credit_usd_per_mwh;
        }
        self.base.serve(&s.base, bid, m, t)
    }

    fn paid_price(&self, s: &Called, m: &Market<'_>, t: &StepTotals, energy_mwh: f64) -> f64 {
        self.base.paid_price(&s.base, m, t, energy_mwh)
    }

    fn home_price(&self, s: &Called, market_usd_per_mwh: f64) -> f64 {
        self.base.home_price(&s.base, market_usd_per_mwh)
    }

    /// Renews the base contract when its term ends, and draws whether the
    /// next step is called.
    fn step<R: Rng>(&self, s: &mut Called, at: &ContractStep, streams: &mut [R]) {
        self.base.step(&mut s.base, at, streams);
        s.on = streams[0].random_bool(self.call_probability);
    }

    fn series_names(&self) -> Vec<String> {
        vec!["demand_response.called".to_string()]
    }

    fn series_value(&self, s: &Called, _: usize) -> f64 {
        if s.on { 1.0 } else { 0.0 }
    }
}

fn report(label: &str, summary: &Summary) -> Result<(), Box<dyn std::error::Error>> {
    let farm = summary.farm("operator").ok_or("the operator farm")?;
    let npv = farm.measure(FarmMeasure::Npv).statistics();
    let credits = farm.measure(FarmMeasure::PowerCredits).statistics();
    let insolvent = SeriesKey::farm("operator", FarmSeries::InsolventFraction);
    let failed = summary
        .series_of(&insolvent)
        .and_then(|steps| steps.last())
        .map_or(f64::NAN, |d| d.statistics().mean);
    println!(
        "  {label:22} NPV {:8.2} ± {:.2} M USD   credits {:6.2} M USD   P(insolvent) {:5.3}",
        npv.mean / 1e6,
        npv.stderr / 1e6,
        credits.mean / 1e6,
        failed,
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(2000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    let scenario = Scenario::from_path(path)?;
    let config = RunConfig::new(1, paths);
    let operator = scenario
        .farms()
        .iter()
        .find(|f| f.name() == "operator")
        .ok_or("the operator farm")?;
    // About one step in twenty called, paid a little above the site's
    // fixed price for the energy given up.
    let programme = DemandResponse {
        base: operator.scenario_contract(),
        call_probability: 0.05,
        credit_usd_per_mwh: 50.0,
    };
    let own = Simulation::new(&scenario, &config).run()?;
    let with_calls = Simulation::new(&scenario, &config)
        .contract("operator", programme)?
        .run()?;
    println!("{}: {paths} paths, the operator farm", scenario.name());
    report("its own contract", &own)?;
    report("with demand response", &with_calls)?;
    let called = with_calls
        .series("farm.operator.demand_response.called")
        .ok_or("the contract's series")?;
    let share = called.iter().map(|s| s.mean).sum::<f64>() / called.len() as f64;
    println!("  steps called off: {:.1} % (asked for 5 %)", 100.0 * share);
    Ok(())
}
