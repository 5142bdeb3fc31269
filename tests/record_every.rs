//! `[outputs] record_every_steps`: a run that records every k-th step
//! summarises exactly those steps of the run that records all of them, and
//! everything else (farm measures, growth, cost curves) is the same bits.

use hashwatt::scenario::Override;
use hashwatt::{RunConfig, Scenario, Summary, simulate};

const OPERATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");

fn run(changes: &[&str]) -> Summary {
    let changes: Vec<Override> = changes
        .iter()
        .map(|c| c.parse().expect("override"))
        .collect();
    let scenario = Scenario::from_path_with(OPERATOR, &changes).expect("valid");
    simulate(&scenario, &RunConfig::new(11, 120)).expect("run")
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialisable")
}

#[test]
fn every_kth_step_is_that_step_of_the_full_record() {
    let horizon = "horizon_days=400";
    let all = run(&[horizon]);
    let weekly = run(&[horizon, "outputs.record_every_steps=7"]);
    // Steps 0, 7, ..., 399: 58 of the 400.
    assert_eq!(weekly.t_days().len(), 400usize.div_ceil(7));
    for (j, &t) in weekly.t_days().iter().enumerate() {
        assert_eq!(t as usize, 7 * j);
        assert_eq!(weekly.dates()[j], all.dates()[7 * j]);
    }
    assert_eq!(
        weekly.series_summaries().len(),
        all.series_summaries().len()
    );
    for (w, a) in weekly.series_summaries().iter().zip(all.series_summaries()) {
        assert_eq!(w.name(), a.name());
        for (j, step) in w.steps().iter().enumerate() {
            assert_eq!(
                json(&step.statistics()),
                json(&a.steps()[7 * j].statistics()),
                "{} at step {}",
                w.name(),
                7 * j
            );
        }
    }
    assert_eq!(json(&weekly.farms()), json(&all.farms()));
    assert_eq!(json(&weekly.cost_curves()), json(&all.cost_curves()));
    assert_eq!(
        json(&weekly.hashrate_growth()),
        json(&all.hashrate_growth())
    );
}

#[test]
fn record_every_must_be_between_one_and_the_steps() {
    for (k, needle) in [("0", "at least 1"), ("401", "at most 400")] {
        let changes: Vec<Override> = [
            "horizon_days=400",
            &format!("outputs.record_every_steps={k}"),
        ]
        .iter()
        .map(|c| c.parse().expect("override"))
        .collect();
        let err = Scenario::from_path_with(OPERATOR, &changes).expect_err("refused");
        let message = err.to_string();
        assert!(message.contains("outputs.record_every_steps"), "{message}");
        assert!(message.contains(needle), "{message}");
    }
}
