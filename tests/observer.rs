//! A user's observer sees exactly the values the summary is made of, and
//! its observations are the same for any thread count and sharding.

use hashwatt::Scenario;
use hashwatt::engine::MAX_CHUNK_PATHS;
use hashwatt::engine::{Observer, RunConfig, Shard, Simulation, StepValues, trace};
use hashwatt::stats::Distribution;

/// Per path: every value of one series, and the steps seen.
struct Record {
    series: usize,
}

#[derive(Debug, PartialEq)]
struct Seen {
    first_path: u64,
    values: Vec<Vec<f64>>,
    steps: Vec<usize>,
    finished: bool,
}

impl Observer for Record {
    type Chunk = Seen;
    fn start_chunk(&self, first_path: u64, paths: usize) -> Seen {
        Seen {
            first_path,
            values: vec![Vec::new(); paths],
            steps: Vec::new(),
            finished: false,
        }
    }
    fn step(&self, seen: &mut Seen, step: usize, values: &StepValues<'_>) {
        assert_eq!(values.paths(), seen.values.len());
        for (path, &v) in seen.values.iter_mut().zip(values.series(self.series)) {
            path.push(v);
        }
        seen.steps.push(step);
    }
    fn finish_chunk(&self, seen: &mut Seen) {
        seen.finished = true;
    }
}

fn operator() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
    Scenario::from_path_with(path, &["horizon_days=120".parse().expect("override")])
        .expect("operator scenario")
}

const PATHS: u64 = 2 * MAX_CHUNK_PATHS + 37;

fn observe(scenario: &Scenario, config: &RunConfig, name: &str) -> Vec<Seen> {
    let run = Simulation::new(scenario, config);
    let series = run.series_index(name).expect("recorded");
    let (summary, seen) = run.run_observed(&Record { series }).expect("run");
    assert_eq!(
        summary,
        run.run().expect("run"),
        "observing changes nothing"
    );
    seen
}

#[test]
fn observations_match_the_traced_paths_and_the_summary() {
    let scenario = operator();
    let name = "farm.operator.cash_usd";
    let config = RunConfig::new(5, PATHS);
    let seen = observe(&scenario, &config, name);
    let size = config.chunk_paths();
    assert_eq!(
        seen.len() as u64,
        config.chunks(),
        "one observation per chunk"
    );
    for (c, chunk) in seen.iter().enumerate() {
        assert_eq!(chunk.first_path, c as u64 * size);
        assert_eq!(chunk.steps, (0..scenario.steps()).collect::<Vec<_>>());
        assert!(chunk.finished);
    }
    // The last chunk is the rest.
    let last = config.chunk_range(config.chunks() - 1);
    assert_eq!(
        seen[seen.len() - 1].values.len() as u64,
        last.end - last.start
    );
    assert!(last.end - last.start < size);
    for path in [0, size - 1, size, PATHS - 1] {
        let (c, i) = ((path / size) as usize, (path % size) as usize);
        let traced = trace(&scenario, config.seed, path);
        assert_eq!(seen[c].values[i], traced.series(name).expect("traced"));
    }
    // The summary's distribution at the horizon is made of the observed
    // values, chunk by chunk: the same bits.
    let summary = hashwatt::simulate(&scenario, &config).expect("run");
    let last = summary.series(name).expect("recorded").last().copied();
    let mut observed = Distribution::default();
    for chunk in &seen {
        let values: Vec<f64> = chunk.values.iter().map(|v| v[v.len() - 1]).collect();
        observed.add_chunk(&values);
    }
    assert_eq!(last, Some(observed.statistics()));
}

#[test]
fn observations_are_the_same_for_any_thread_count_and_sharding() {
    let scenario = operator();
    let name = "hashprice_usd_per_ph_day";
    let one = RunConfig {
        threads: Some(1),
        ..RunConfig::new(9, PATHS)
    };
    let two = RunConfig {
        threads: Some(2),
        ..one.clone()
    };
    let whole = observe(&scenario, &one, name);
    assert_eq!(whole, observe(&scenario, &two, name));
    let mut shards = Vec::new();
    for k in 1..=3 {
        let config = RunConfig {
            shard: Shard::new(k, 3).expect("shard"),
            ..two.clone()
        };
        shards.extend(observe(&scenario, &config, name));
    }
    assert_eq!(whole, shards);
}
