//! A BTC price process of one's own, plugged into the engine through
//! `PriceProcess` and `Simulation`: it keeps the engine's guarantees (same
//! bits for any thread count and sharding, common random numbers with the
//! built-in processes, mergeable summaries only with parts of the same
//! process), records its own series, and its moments match the analytic
//! ones within Monte Carlo error.

use hashwatt::Scenario;
use hashwatt::engine::{EngineError, RunConfig, Shard, Simulation, simulate};
use hashwatt::model::price_process::{PriceProcess, PriceStep, RegimeSwitchingPrice};
use hashwatt::stats::{MergeError, Statistics, Summary};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `ln P ← ln P + m + s·z` each step, `z` standard normal from the stream
/// `test_price.shock`; records `ln P` as `test_price.log_usd`.
#[derive(Debug, Clone, Copy)]
struct LogNormalSteps {
    start_usd: f64,
    m: f64,
    s: f64,
}

impl PriceProcess for LogNormalSteps {
    type State = f64;

    fn stream_names(&self) -> &[&'static str] {
        &["test_price.shock"]
    }

    fn identity(&self) -> Option<String> {
        Some(format!("lognormal steps {:?}", self))
    }

    fn init<R: Rng>(&self, _: &mut [R]) -> f64 {
        self.start_usd
    }

    fn price_usd(&self, state: &f64) -> f64 {
        *state
    }

    fn step<R: Rng>(&self, state: &mut f64, _: PriceStep, streams: &mut [R]) {
        let z: f64 = StandardNormal.sample(&mut streams[0]);
        *state *= (self.m + self.s * z).exp();
    }

    fn series_names(&self) -> Vec<String> {
        vec!["test_price.log_usd".to_string()]
    }

    fn series_value(&self, state: &f64, _: usize) -> f64 {
        state.ln()
    }
}

/// The built-in jump-diffusion under another name: same streams, same
/// steps.
struct Renamed<'a>(RegimeSwitchingPrice<'a>);

impl PriceProcess for Renamed<'_> {
    type State = f64;

    fn stream_names(&self) -> &[&'static str] {
        self.0.stream_names()
    }

    fn identity(&self) -> Option<String> {
        Some("the built-in jump-diffusion, renamed".to_string())
    }

    fn init<R: Rng>(&self, streams: &mut [R]) -> f64 {
        self.0.init(streams)
    }

    fn price_usd(&self, state: &f64) -> f64 {
        *state
    }

    fn step<R: Rng>(&self, state: &mut f64, at: PriceStep, streams: &mut [R]) {
        self.0.step(state, at, streams);
    }
}

/// A price that grows by 1 % a step and draws nothing.
struct OnePercent(f64);

impl PriceProcess for OnePercent {
    type State = f64;

    fn stream_names(&self) -> &[&'static str] {
        &[]
    }

    fn identity(&self) -> Option<String> {
        Some(format!("one percent a step from {}", self.0))
    }

    fn init<R: Rng>(&self, _: &mut [R]) -> f64 {
        self.0
    }

    fn price_usd(&self, state: &f64) -> f64 {
        *state
    }

    fn step<R: Rng>(&self, state: &mut f64, _: PriceStep, _: &mut [R]) {
        *state *= 1.01;
    }
}

fn reference(horizon_days: u32) -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    let horizon = format!("horizon_days={horizon_days}")
        .parse()
        .expect("override");
    Scenario::from_path_with(path, &[horizon]).expect("reference scenario")
}

const PROCESS: LogNormalSteps = LogNormalSteps {
    start_usd: 90_000.0,
    m: 0.01,
    s: 0.02,
};

fn run(scenario: &Scenario, config: &RunConfig) -> Result<Summary, EngineError> {
    Simulation::new(scenario, config)
        .price_process(PROCESS)
        .run()
}

fn series(summary: &Summary, name: &str) -> Vec<Statistics> {
    summary
        .series(name)
        .unwrap_or_else(|| panic!("series {name}"))
}

#[test]
fn a_plugged_in_process_gives_the_same_bits_for_any_threads_and_shards() {
    let scenario = reference(60);
    let mut config = RunConfig::new(11, 2500);
    config.threads = Some(1);
    let one = run(&scenario, &config).expect("runs");
    config.threads = Some(2);
    let two = run(&scenario, &config).expect("runs");
    assert_eq!(one, two);
    let parts = (1..=3)
        .map(|k| {
            let mut shard = config.clone();
            shard.shard = Shard::new(k, 3).expect("shard");
            run(&scenario, &shard).expect("runs")
        })
        .collect();
    let merged = Summary::merge_shards(parts).expect("parts of one run");
    let mut unsharded_identity = merged.identity().clone();
    unsharded_identity.shard_count = 1;
    assert_eq!(&unsharded_identity, one.identity());
    assert_eq!(merged.series_summaries(), one.series_summaries());
    assert_eq!(merged.farms(), one.farms());
}

#[test]
fn the_other_processes_draw_the_same_numbers_as_with_the_built_in_price() {
    let scenario = reference(60);
    let config = RunConfig::new(5, 1000);
    let own = simulate(&scenario, &config).expect("runs");
    let plugged = run(&scenario, &config).expect("runs");
    // Fees do not depend on the price: the same draws, the same bits.
    assert_eq!(
        own.series_of(&"fee_btc_per_block".parse().expect("a key")),
        plugged.series_of(&"fee_btc_per_block".parse().expect("a key"))
    );
    assert_ne!(
        series(&own, "btc_price_usd"),
        series(&plugged, "btc_price_usd")
    );

    // The built-in process under another name: every series the same.
    let renamed = Simulation::new(&scenario, &config)
        .price_process(Renamed(match scenario.price_process() {
            hashwatt::model::price_process::ScenarioPrice::JumpDiffusion(p) => p,
            other => panic!("the reference scenario simulates its price: {other:?}"),
        }))
        .run()
        .expect("runs");
    assert_eq!(renamed.series_summaries(), own.series_summaries());
    assert_eq!(renamed.farms(), own.farms());
    // ... but it is another run: its parts do not merge with the built-in's.
    assert_eq!(
        renamed.identity().difference(own.identity()),
        Some("price process")
    );
}

#[test]
fn parts_run_with_different_processes_do_not_merge() {
    let scenario = reference(30);
    let mut config = RunConfig::new(3, 2000);
    config.shard = Shard::new(1, 2).expect("shard");
    let built_in = simulate(&scenario, &config).expect("runs");
    config.shard = Shard::new(2, 2).expect("shard");
    let plugged = run(&scenario, &config).expect("runs");
    let e = Summary::merge_shards(vec![built_in, plugged]).unwrap_err();
    assert!(
        matches!(
            e,
            MergeError::DifferentRun {
                index: 1,
                what: "price process"
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_deterministic_process_is_recorded_exactly() {
    let scenario = reference(20);
    let summary = Simulation::new(&scenario, &RunConfig::new(1, 1))
        .price_process(OnePercent(50_000.0))
        .run()
        .expect("runs");
    let mut expected = 50_000.0_f64;
    for (t, s) in series(&summary, "btc_price_usd").iter().enumerate() {
        assert_eq!(s.mean.to_bits(), expected.to_bits(), "step {t}");
        expected *= 1.01;
    }
}

/// At step `t` (after `t` shocks), `ln P_t ~ N(ln P_0 + t·m, t·s²)`, so
/// `E[P_t] = P_0·exp(t·(m + s²/2))` and
/// `Var[P_t] = E[P_t]²·(exp(t·s²) − 1)`; each mean is checked within 5
/// standard errors of the analytic standard deviation. The drift `m` is
/// large enough that recording the price one step late would fail.
#[test]
fn the_moments_of_a_plugged_in_process_match_the_analytic_ones() {
    let scenario = reference(120);
    let paths = 4000;
    let summary = run(&scenario, &RunConfig::new(17, paths)).expect("runs");
    let (p, n) = (PROCESS, paths as f64);
    let prices = series(&summary, "btc_price_usd");
    let logs = series(&summary, "test_price.log_usd");
    assert_eq!(prices.len(), 120);
    for t in [1usize, 30, 119] {
        let tf = t as f64;
        let mean = p.start_usd * (tf * (p.m + 0.5 * p.s * p.s)).exp();
        let sd = mean * ((tf * p.s * p.s).exp() - 1.0).sqrt();
        let got = prices[t].mean;
        assert!(
            (got - mean).abs() < 5.0 * sd / n.sqrt(),
            "price at {t}: {got} vs {mean}"
        );
        let log_mean = p.start_usd.ln() + tf * p.m;
        let log_sd = p.s * tf.sqrt();
        let got = logs[t].mean;
        assert!(
            (got - log_mean).abs() < 5.0 * log_sd / n.sqrt(),
            "ln price at {t}: {got} vs {log_mean}"
        );
    }
}
