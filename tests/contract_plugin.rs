//! A power contract of one's own, plugged into one farm: the scenario's
//! own contract plugged in gives the same bits as the run without, a
//! contract with its own state, stream and series keeps every guarantee
//! (same bits for any thread count and sharding, common random numbers,
//! runs that merge only with their own kind), and bad plugs are refused.

use hashwatt::Scenario;
use hashwatt::engine::{EngineError, MAX_CHUNK_PATHS, RunConfig, Shard, Simulation};
use hashwatt::model::contract::{
    BidTerms, ContractStep, InForce, Market, PowerContract, ScenarioContract, ServedBid, StepTotals,
};
use hashwatt::stats::{FarmMeasure, Summary};
use rand::{Rng, RngExt};

fn operator() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    Scenario::from_path_with(path, &["horizon_days=180".parse().expect("override")])
        .expect("operator scenario")
}

fn own_contract(scenario: &Scenario) -> ScenarioContract {
    let farm = scenario.farms().iter().find(|f| f.name() == "operator");
    farm.expect("the operator farm").scenario_contract()
}

/// The farm's contract, called off the grid each step with probability
/// `p` (a stream of its own), recording whether it is called.
#[derive(Debug, Clone, Copy)]
struct CalledOff {
    base: ScenarioContract,
    p: f64,
}

#[derive(Debug, Clone, Copy)]
struct Called {
    base: InForce,
    on: bool,
}

impl PowerContract for CalledOff {
    type State = Called;
    fn stream_names(&self) -> &[&'static str] {
        &["calls"]
    }
    fn identity(&self) -> Option<String> {
        Some(format!("called off {}", self.p))
    }
    fn init<R: Rng>(&self, streams: &mut [R]) -> Called {
        Called {
            base: self.base.init(streams),
            on: false,
        }
    }
    fn bid(&self, s: &Called, value: f64, terms: &BidTerms) -> (bool, f64) {
        let (runs, price) = self.base.bid(&s.base, value, terms);
        (runs && !s.on, price)
    }
    fn serve(&self, s: &Called, bid: &ServedBid, m: &Market<'_>, t: &mut StepTotals) -> f64 {
        self.base.serve(&s.base, bid, m, t)
    }
    fn paid_price(&self, s: &Called, m: &Market<'_>, t: &StepTotals, energy: f64) -> f64 {
        self.base.paid_price(&s.base, m, t, energy)
    }
    fn home_price(&self, s: &Called, market: f64) -> f64 {
        self.base.home_price(&s.base, market)
    }
    fn step<R: Rng>(&self, s: &mut Called, at: &ContractStep, streams: &mut [R]) {
        self.base.step(&mut s.base, at, streams);
        s.on = streams[0].random_bool(self.p);
    }
    fn series_names(&self) -> Vec<String> {
        vec!["called".to_string()]
    }
    fn series_value(&self, s: &Called, _: usize) -> f64 {
        if s.on { 1.0 } else { 0.0 }
    }
}

const PATHS: u64 = 2 * MAX_CHUNK_PATHS + 37;

fn called_off(scenario: &Scenario, config: &RunConfig, p: f64) -> Summary {
    let contract = CalledOff {
        base: own_contract(scenario),
        p,
    };
    Simulation::new(scenario, config)
        .contract("operator", contract)
        .expect("a farm in a region")
        .run()
        .expect("run")
}

#[test]
fn the_scenario_s_own_contract_plugged_in_gives_the_same_bits() {
    let scenario = operator();
    let config = RunConfig::new(4, 1500);
    let plugged = Simulation::new(&scenario, &config)
        .contract("operator", own_contract(&scenario))
        .expect("a farm in a region")
        .run()
        .expect("run");
    assert_eq!(
        plugged,
        hashwatt::simulate(&scenario, &config).expect("run")
    );
}

#[test]
fn a_contract_with_its_own_stream_is_the_same_for_any_thread_count_and_sharding() {
    let scenario = operator();
    let one = RunConfig {
        threads: Some(1),
        ..RunConfig::new(11, PATHS)
    };
    let two = RunConfig {
        threads: Some(2),
        ..one.clone()
    };
    let whole = called_off(&scenario, &one, 0.2);
    assert_eq!(whole, called_off(&scenario, &two, 0.2));
    let shards: Vec<Summary> = (1..=3)
        .map(|k| {
            let shard = Shard::new(k, 3).expect("shard");
            called_off(
                &scenario,
                &RunConfig {
                    shard,
                    ..two.clone()
                },
                0.2,
            )
        })
        .collect();
    let merged = Summary::merge_shards(shards).expect("parts of one run");
    assert!(merged.same_results(&whole));
}

#[test]
fn calls_come_as_often_as_asked_and_other_processes_draw_the_same_numbers() {
    let scenario = operator();
    let config = RunConfig::new(12, 4000);
    let p = 0.2;
    let summary = called_off(&scenario, &config, p);
    let called = summary.series("farm.operator.called").expect("its series");
    assert_eq!(called.len(), scenario.steps());
    // Step 0 is before any draw; each later step is an independent
    // Bernoulli(p) on every path: the mean over paths and steps is within
    // 4 standard errors of p.
    assert_eq!(called[0].mean, 0.0);
    let later = &called[1..];
    let mean = later.iter().map(|s| s.mean).sum::<f64>() / later.len() as f64;
    let n = (later.len() as u64 * config.paths) as f64;
    let se = (p * (1.0 - p) / n).sqrt();
    assert!((mean - p).abs() < 4.0 * se, "{mean} vs {p} ± {se}");
    // Common random numbers: the price and fees do not depend on the
    // farm's contract, path by path, so their distributions are the same.
    let own = hashwatt::simulate(&scenario, &config).expect("run");
    for name in ["btc_price_usd", "fee_btc_per_block"] {
        assert_eq!(summary.series(name), own.series(name), "{name}");
    }
    // Called off, the farm mines less.
    let btc = |s: &Summary| {
        let farm = s.farm("operator").expect("farm");
        farm.measure(FarmMeasure::BtcMined).statistics().mean
    };
    assert!(btc(&summary) < btc(&own));
}

#[test]
fn runs_with_another_contract_do_not_merge_with_the_scenario_s() {
    let scenario = operator();
    let half = |k| RunConfig {
        shard: Shard::new(k, 2).expect("shard"),
        ..RunConfig::new(3, PATHS)
    };
    let own = hashwatt::simulate(&scenario, &half(1)).expect("run");
    let other = called_off(&scenario, &half(2), 0.2);
    assert_eq!(
        other.identity().contracts,
        vec!["operator: called off 0.2".to_string()]
    );
    let refused = Summary::merge_shards(vec![own, other]);
    let message = refused.expect_err("different contracts").to_string();
    assert!(message.contains("contracts"), "{message}");
}

#[test]
fn a_contract_for_a_farm_that_is_not_there_or_not_in_a_region_is_refused() {
    let scenario = operator();
    let config = RunConfig::new(1, 10);
    let contract = own_contract(&scenario);
    let unknown = Simulation::new(&scenario, &config).contract("nobody", contract);
    assert!(matches!(unknown.err(), Some(EngineError::UnknownFarm(f)) if f == "nobody"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    let core = Scenario::from_path(path).expect("scenario");
    let farm = core.farms()[0].name().to_string();
    let off_grid = Simulation::new(&core, &config).contract(&farm, contract);
    assert!(matches!(off_grid.err(), Some(EngineError::OffGridFarm(f)) if f == farm));
}
