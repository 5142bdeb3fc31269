//! Every number hashwatt writes is finite or explicitly undefined, for every
//! shipped scenario and for extreme but valid worlds (docs/limits.md,
//! "Extreme worlds"): no `NaN` or `inf` in a CSV cell, no `null` in JSON
//! beside defined values of the same statistic, and no insolvency figure
//! for a farm that cannot fail.

use std::path::{Path, PathBuf};

use hashwatt::report::{StateFile, write_results};
use hashwatt::scenario::Override;
use hashwatt::{RunConfig, Scenario, simulate};
use serde_json::Value;

fn scenario_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Runs `file` with `sets` on `paths` paths, writes the result folder and
/// checks every file in it.
fn check_world(label: &str, file: &str, sets: &[&str], paths: u64) {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().expect("override")).collect();
    let scenario = Scenario::from_path_with(scenario_file(file), &overrides)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let summary = simulate(&scenario, &RunConfig::new(3, paths)).expect("runs");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    write_results(&out, &summary, &[], StateFile::Write).expect("writes");
    let mut files = Vec::new();
    collect_files(&out, &mut files);
    assert!(files.len() > 3, "{label}: {files:?}");
    for path in files {
        let name = path.display().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let text = std::fs::read_to_string(&path).expect("text");
                let json: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{label}: {name} is not JSON: {e}"));
                check_json(&format!("{label}: {name}"), "", &json, paths);
            }
            Some("csv") => check_csv(&format!("{label}: {name}"), &path),
            _ => {}
        }
    }
    // A farm without a balance sheet has no P(insolvency), not 0.
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    for (name, farm) in json["farms"].as_object().expect("farms") {
        let can_fail = farm["can_fail"].as_bool().expect("can_fail");
        assert_eq!(
            farm["insolvency_probability"].is_null(),
            !can_fail,
            "{label}: farm {name}"
        );
    }
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The statistics that are all defined or all undefined together: they
/// come from the same values (`std` and `stderr` need two).
const TOGETHER: [&str; 6] = ["mean", "p5", "p25", "p50", "p75", "p95"];

fn check_json(label: &str, at: &str, value: &Value, paths: u64) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                check_json(label, &format!("{at}[{i}]"), item, paths);
            }
        }
        return;
    };
    if TOGETHER.iter().all(|k| map.contains_key(*k)) {
        match &map["mean"] {
            // Per-step arrays: undefined at a step in every statistic or
            // in none.
            Value::Array(means) => {
                for t in 0..means.len() {
                    let nulls = TOGETHER.iter().filter(|k| map[**k][t].is_null()).count();
                    assert!(
                        nulls == 0 || nulls == TOGETHER.len(),
                        "{label}: {at} step {t}: {nulls} of the statistics are null"
                    );
                }
            }
            // One measure: null exactly when no path defines it.
            _ => {
                let nulls = TOGETHER.iter().filter(|k| map[**k].is_null()).count();
                assert!(
                    nulls == 0 || nulls == TOGETHER.len(),
                    "{label}: {at}: {nulls} of the statistics are null"
                );
                if let Some(undefined) = map.get("paths_undefined").and_then(Value::as_u64) {
                    assert_eq!(
                        nulls == TOGETHER.len(),
                        undefined == paths,
                        "{label}: {at}: null statistics and {undefined} undefined paths of {paths}"
                    );
                }
            }
        }
    }
    for (k, v) in map {
        check_json(label, &format!("{at}.{k}"), v, paths);
    }
}

fn check_csv(label: &str, path: &Path) {
    let mut reader = csv::Reader::from_path(path).expect("csv");
    for (row, record) in reader.records().enumerate() {
        let record = record.unwrap_or_else(|e| panic!("{label}: row {row}: {e}"));
        for (col, cell) in record.iter().enumerate() {
            let lower = cell.to_ascii_lowercase();
            assert!(
                ![
                    "nan",
                    "inf",
                    "-inf",
                    "+inf",
                    "infinity",
                    "-infinity",
                    "null"
                ]
                .contains(&lower.as_str()),
                "{label}: row {row} column {col}: `{cell}`"
            );
            if let Ok(x) = cell.parse::<f64>() {
                assert!(x.is_finite(), "{label}: row {row} column {col}: `{cell}`");
            }
        }
    }
}

#[test]
fn every_shipped_scenario_writes_finite_or_undefined_numbers() {
    let mut names: Vec<String> = std::fs::read_dir(scenario_file(""))
        .expect("scenarios")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in &names {
        check_world(name, name, &[], 300);
    }
}

#[test]
fn a_btc_price_towards_zero_stalls_the_network_and_stays_finite() {
    // Miners switch off; an epoch lasts for months.
    check_world(
        "price 1e-6",
        "default.toml",
        &["btc_price.initial_usd=1e-6"],
        200,
    );
}

#[test]
fn a_btc_price_of_a_billion_stays_finite() {
    check_world(
        "price 1e9",
        "default.toml",
        &["btc_price.initial_usd=1e9"],
        200,
    );
}

#[test]
fn zero_fees_stay_finite() {
    check_world(
        "no fees",
        "default.toml",
        &["fees.mean_btc_per_block=0"],
        200,
    );
}

#[test]
fn every_farm_insolvent_stays_finite() {
    check_world(
        "farms insolvent",
        "operator.toml",
        &["btc_price.initial_usd=2000"],
        200,
    );
}

#[test]
fn a_grid_short_of_capacity_for_years_stays_finite() {
    // ERCOT's load above its whole supply stack from the first day.
    check_world(
        "capacity exhausted",
        "ai-squeeze.toml",
        &["regions[name=ercot].baseline_load.initial_mw=90000"],
        200,
    );
}

#[test]
fn fifty_years_across_twelve_halvings_stay_finite() {
    // Weekly steps: 2 609 recorded steps (docs/limits.md gives the daily
    // run's memory).
    check_world(
        "50 years",
        "default.toml",
        &["horizon_days=18262", "step_days=7"],
        100,
    );
}

#[test]
fn one_path_and_a_million_paths_stay_finite() {
    check_world("one path", "reference-core.toml", &[], 1);
    check_world(
        "a million paths",
        "reference-core.toml",
        &["horizon_days=14"],
        1_000_000,
    );
}
