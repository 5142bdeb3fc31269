//! The typed series keys and the engine's series names agree: every series
//! a shipped scenario records parses into a [`SeriesKey`] whose name is
//! the same string and reads the same distributions, and every kind of key
//! is recorded by some shipped scenario. Results and errors can be sent to
//! and shared between threads.

use std::collections::BTreeSet;
use std::path::PathBuf;

use hashwatt::stats::{
    Distribution, FarmSeries, MergeError, NetworkSeries, RegionSeries, RestOfWorldSeries,
    SeriesKey, UnknownFarmMeasure, UnknownSeries,
};
use hashwatt::{RunConfig, Scenario, Summary, simulate};

/// The kind of a key, without the farm or region it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Network(NetworkSeries),
    Farm(FarmSeries),
    Region(RegionSeries),
    RestOfWorld(RestOfWorldSeries),
}

fn kind(key: &SeriesKey) -> Kind {
    match key {
        SeriesKey::Network(s) => Kind::Network(*s),
        SeriesKey::Farm { series, .. } => Kind::Farm(*series),
        SeriesKey::Region { series, .. } => Kind::Region(*series),
        SeriesKey::RestOfWorld(s) => Kind::RestOfWorld(*s),
    }
}

fn every_kind() -> BTreeSet<Kind> {
    let network = NetworkSeries::ALL.map(Kind::Network);
    let farm = FarmSeries::ALL.map(Kind::Farm);
    let region = RegionSeries::ALL.map(Kind::Region);
    let rest = RestOfWorldSeries::ALL.map(Kind::RestOfWorld);
    network
        .into_iter()
        .chain(farm)
        .chain(region)
        .chain(rest)
        .collect()
}

fn shipped_scenarios() -> Vec<PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("scenarios folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    paths
}

fn short_run(path: &PathBuf, extra: &[&str]) -> Summary {
    let mut overrides = vec!["horizon_days=30".parse().expect("override")];
    overrides.extend(extra.iter().map(|o| o.parse().expect("override")));
    let scenario = Scenario::from_path_with(path, &overrides).expect("shipped scenario");
    simulate(&scenario, &RunConfig::new(7, 4)).expect("run")
}

/// The shipped scenarios, and `operator` with a farm that may expand and
/// move (no shipped scenario has one).
fn runs() -> Vec<(String, Summary)> {
    let mut runs: Vec<(String, Summary)> = shipped_scenarios()
        .iter()
        .map(|p| (p.display().to_string(), short_run(p, &[])))
        .collect();
    let operator = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/operator.toml"
    ));
    let grows_and_moves = [
        r#"farms[name=operator].expansion={ model = "S21 Pro", payback_threshold_days = 900, request_mw = 10, max_mw = 40, lead_days = 60 }"#,
        r#"farms[name=operator].migration={ to = "hydro", after_denied_days = 90, cost_usd_per_mw = 300000, downtime_days = 45 }"#,
    ];
    let summary = short_run(&operator, &grows_and_moves);
    runs.push(("operator, expanding and moving".into(), summary));
    runs
}

#[test]
fn every_recorded_series_has_a_key_and_every_key_is_recorded() {
    let mut seen = BTreeSet::new();
    for (run, summary) in runs() {
        for series in summary.series_summaries() {
            let name = series.name();
            let key: SeriesKey = name.parse().unwrap_or_else(|e| panic!("{run}: {e}"));
            assert_eq!(key.name(), name, "{run}");
            assert_eq!(key.to_string(), name);
            let steps: &[Distribution] = summary.series_of(&key).expect("recorded");
            assert_eq!(steps, series.steps(), "{name}");
            seen.insert(kind(&key));
        }
    }
    let missing: Vec<_> = every_kind().difference(&seen).copied().collect();
    assert!(missing.is_empty(), "no run records {missing:?}");
}

#[test]
fn results_and_errors_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Summary>();
    send_sync::<Distribution>();
    send_sync::<SeriesKey>();
    send_sync::<MergeError>();
    send_sync::<UnknownSeries>();
    send_sync::<UnknownFarmMeasure>();
    send_sync::<hashwatt::report::StateError>();
}
