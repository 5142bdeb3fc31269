//! A statistic the summary does not have, computed as the paths run: the
//! operator's deepest fall in cash (peak to trough) and the longest run of
//! days its hashprice stays below the power cost of its oldest machines.
//!
//! Answers: "how deep and how long are the bad times, path by path?"
//! An [`Observer`] sees every recorded value of every path, a chunk of
//! paths at a time, and keeps a small state per path; the run hands back
//! each chunk's observations in chunk order, so the result is the same for
//! any thread count. [`trace`](hashwatt::engine::trace) replays one path
//! and gives the same values, which is how the example checks itself.
//!
//! ```text
//! cargo run --release --example custom_statistic -- [PATHS]
//! ```

use hashwatt::engine::{Observer, RunConfig, Simulation, StepValues, trace};
use hashwatt::model::units::MWH_PER_PH_DAY_PER_J_TH;
use hashwatt::{Scenario, Summary};

/// Efficiency of the operator's oldest machines (S19 XP), J/TH.
const S19_XP_J_PER_TH: f64 = 21.5;

/// What one path has seen so far.
#[derive(Clone, Copy)]
struct PathSoFar {
    peak_cash: f64,
    deepest_fall: f64,
    under_water: u32,
    longest_under_water: u32,
}

impl PathSoFar {
    const START: PathSoFar = PathSoFar {
        peak_cash: f64::NEG_INFINITY,
        deepest_fall: 0.0,
        under_water: 0,
        longest_under_water: 0,
    };

    fn see(&mut self, cash: f64, under_water: bool) {
        self.peak_cash = self.peak_cash.max(cash);
        self.deepest_fall = self.deepest_fall.max(self.peak_cash - cash);
        self.under_water = if under_water { self.under_water + 1 } else { 0 };
        self.longest_under_water = self.longest_under_water.max(self.under_water);
    }
}

/// The observer: where its three series sit in each step's values.
struct BadTimes {
    cash: usize,
    power_price: usize,
    hashprice: usize,
}

impl Observer for BadTimes {
    type Chunk = Vec<PathSoFar>;

    fn start_chunk(&self, _first_path: u64, paths: usize) -> Vec<PathSoFar> {
        vec![PathSoFar::START; paths]
    }

    fn step(&self, chunk: &mut Vec<PathSoFar>, _step: usize, values: &StepValues<'_>) {
        // Power cost of one PH/s for a day on the oldest machines, USD.
        let mwh = MWH_PER_PH_DAY_PER_J_TH * S19_XP_J_PER_TH;
        let cash = values.series(self.cash);
        let price = values.series(self.power_price);
        let hashprice = values.series(self.hashprice);
        for (i, path) in chunk.iter_mut().enumerate() {
            path.see(cash[i], hashprice[i] < price[i] * mwh);
        }
    }
}

/// The `q`-quantile of sorted `values` (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let k = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(2000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    let scenario = Scenario::from_path(path)?;
    let config = RunConfig::new(1, paths);
    let run = Simulation::new(&scenario, &config);
    let index = |name: &str| run.series_index(name).ok_or(format!("no series {name}"));
    let observer = BadTimes {
        cash: index("farm.operator.cash_usd")?,
        power_price: index("farm.operator.power_price_usd_per_mwh")?,
        hashprice: index("hashprice_usd_per_ph_day")?,
    };
    let (summary, chunks): (Summary, _) = run.run_observed(&observer)?;
    let seen: Vec<PathSoFar> = chunks.into_iter().flatten().collect();

    // Path 0 replayed alone gives the same cash path, so the same fall.
    let replay = trace(&scenario, config.seed, 0);
    let mut first = PathSoFar::START;
    for &cash in replay.series("farm.operator.cash_usd").ok_or("cash")? {
        first.see(cash, false);
    }
    if first.deepest_fall != seen[0].deepest_fall {
        return Err("the observer and the trace disagree on path 0".into());
    }

    let days = f64::from(scenario.step_days());
    let mut falls: Vec<f64> = seen.iter().map(|p| p.deepest_fall).collect();
    let mut spells: Vec<f64> = seen
        .iter()
        .map(|p| f64::from(p.longest_under_water) * days)
        .collect();
    falls.sort_by(f64::total_cmp);
    spells.sort_by(f64::total_cmp);
    println!(
        "{}: {} paths, the operator farm",
        scenario.name(),
        summary.paths_done()
    );
    for (label, values, unit, scale) in [
        ("deepest fall in cash", &falls, "M USD", 1e-6),
        ("longest spell under water", &spells, "days", 1.0),
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
