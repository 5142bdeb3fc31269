//! A BTC price process of one's own: a log price that reverts to a rising
//! anchor (an Ornstein–Uhlenbeck process in `ln P`), plugged into the
//! engine in place of the scenario's jump-diffusion, and the operator's
//! results under both.
//!
//! Answers: "if the price mean-reverts instead of wandering, how do my
//! NPV and my risk of failing change?" Every other process (fees, regimes,
//! power, the grid) draws the same numbers under both prices (common
//! random numbers), so the difference is the price's alone.
//!
//! ```text
//! cargo run --release --example custom_price_process -- [PATHS]
//! ```

use hashwatt::Scenario;
use hashwatt::engine::{RunConfig, Simulation};
use hashwatt::model::price_process::{PriceProcess, PriceStep};
use hashwatt::model::units::DAYS_PER_YEAR;
use hashwatt::stats::{FarmMeasure, FarmSeries, SeriesKey, Summary};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `x = ln P − ln A(t)` reverts to 0 at rate `kappa` per year with
/// volatility `sigma` per √year, around an anchor `A(t)` that grows at
/// `anchor_growth` a year from `anchor_usd`; exact discretisation over a
/// step of `dt` years.
#[derive(Debug, Clone, Copy)]
struct MeanReverting {
    start_usd: f64,
    anchor_usd: f64,
    anchor_growth: f64,
    kappa: f64,
    sigma: f64,
    dt: f64,
}

/// A path's state: the log deviation from the anchor and the step.
#[derive(Debug, Clone, Copy)]
struct Deviation {
    x: f64,
    step: usize,
}

impl MeanReverting {
    fn anchor(&self, step: usize) -> f64 {
        self.anchor_usd * (self.anchor_growth * self.dt * step as f64).exp()
    }
}

impl PriceProcess for MeanReverting {
    type State = Deviation;

    fn stream_names(&self) -> &[&'static str] {
        &["mean_reverting_price.shock"]
    }

    fn identity(&self) -> Option<String> {
        Some(format!("{self:?}"))
    }

    fn init<R: Rng>(&self, _: &mut [R]) -> Deviation {
        let x = (self.start_usd / self.anchor(0)).ln();
        Deviation { x, step: 0 }
    }

    fn price_usd(&self, s: &Deviation) -> f64 {
        self.anchor(s.step) * s.x.exp()
    }

    fn step<R: Rng>(&self, s: &mut Deviation, at: PriceStep, streams: &mut [R]) {
        let decay = (-self.kappa * self.dt).exp();
        let sd = self.sigma * ((1.0 - decay * decay) / (2.0 * self.kappa)).sqrt();
        let z: f64 = StandardNormal.sample(&mut streams[0]);
        *s = Deviation {
            x: s.x * decay + sd * z,
            step: at.step + 1,
        };
    }

    fn series_names(&self) -> Vec<String> {
        vec!["mean_reverting_price.anchor_usd".to_string()]
    }

    fn series_value(&self, s: &Deviation, _: usize) -> f64 {
        self.anchor(s.step)
    }
}

fn report(label: &str, summary: &Summary) -> Result<(), Box<dyn std::error::Error>> {
    let farm = summary.farm("operator").ok_or("the operator farm")?;
    let npv = farm.measure(FarmMeasure::Npv).statistics();
    let insolvent = SeriesKey::farm("operator", FarmSeries::InsolventFraction);
    let failed = summary
        .series_of(&insolvent)
        .and_then(|steps| steps.last())
        .map_or(f64::NAN, |d| d.statistics().mean);
    let price = summary.series("btc_price_usd").ok_or("the price")?;
    let last = price.last().ok_or("a step")?;
    println!(
        "  {label:15} NPV {:8.2} ± {:.2} M USD   P(insolvent) {:5.3}   last price p50 {:>7.0} [p5 {:>7.0}, p95 {:>7.0}]",
        npv.mean / 1e6,
        npv.stderr / 1e6,
        failed,
        last.quantiles[2],
        last.quantiles[0],
        last.quantiles[4]
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(2000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    let scenario = Scenario::from_path(path)?;
    let config = RunConfig::new(1, paths);
    let process = MeanReverting {
        start_usd: scenario.initial_btc_price(),
        anchor_usd: scenario.initial_btc_price(),
        anchor_growth: 0.15,
        kappa: 1.5,
        sigma: 0.45,
        dt: f64::from(scenario.step_days()) / DAYS_PER_YEAR,
    };
    let built_in = Simulation::new(&scenario, &config).run()?;
    let reverting = Simulation::new(&scenario, &config)
        .price_process(process)
        .run()?;
    println!("{}: {paths} paths, the operator farm", scenario.name());
    report("jump-diffusion", &built_in)?;
    report("mean-reverting", &reverting)?;
    Ok(())
}
