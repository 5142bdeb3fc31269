//! Property-based fuzzing of everything a user hands hashwatt: scenario
//! text (arbitrary bytes, and structured mutations of every shipped
//! scenario, which are the corpus), `--set` overrides and state files.
//! Each input is refused with an error or run to the end; none may panic
//! or hang. The runs use a fixed seed (the same cases on every machine, so
//! CI is reproducible); failures found are kept in
//! `tests/fuzz_inputs.proptest-regressions` and replayed first.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use hashwatt::report::{decode_state, state_bytes};
use hashwatt::scenario::{Document, Override};
use hashwatt::{RunConfig, Scenario, simulate};

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(20261202),
        // The scenario files are read afresh in every case; shrinking
        // long texts costs more than it tells.
        max_shrink_iters: 64,
        ..Config::default()
    }
}

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// The corpus: every shipped scenario, composed with the files it
/// `extends` into one standalone text (as `validate --print` writes it),
/// keeping those that load as they are.
fn corpus() -> Vec<(String, String)> {
    static CORPUS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
                .expect("scenarios")
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            files.sort();
            files
                .into_iter()
                .filter_map(|p| {
                    let text = Document::read(&p, &[]).ok()?.to_toml();
                    Scenario::from_toml_str(&text).ok()?;
                    Some((p.display().to_string(), text))
                })
                .collect()
        })
        .clone()
}

/// Values that break naive code: special floats, signs, huge and tiny
/// magnitudes, wrong types, empty things.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("nan".to_string()),
        1 => Just("inf".to_string()),
        1 => Just("-inf".to_string()),
        1 => Just("-1".to_string()),
        1 => Just("0".to_string()),
        1 => Just("0.0".to_string()),
        1 => Just("1e308".to_string()),
        1 => Just("-1e308".to_string()),
        1 => Just("1e-310".to_string()),
        1 => Just("9223372036854775807".to_string()),
        1 => Just("4294967296".to_string()),
        1 => Just("\"text\"".to_string()),
        1 => Just("[]".to_string()),
        1 => Just("{}".to_string()),
        1 => Just("true".to_string()),
        1 => Just("1979-05-27".to_string()),
        // Plausible numbers most often, so that many mutants run.
        8 => (-1e4f64..1e4).prop_map(|x| format!("{x:e}")),
        8 => (0u64..1000).prop_map(|n| n.to_string()),
    ]
}

/// One edit of a scenario's text: a value replaced, a line dropped or
/// doubled.
#[derive(Debug, Clone)]
enum Edit {
    Replace { line: usize, value: String },
    Drop { line: usize },
    Double { line: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (any::<usize>(), hostile_value()).prop_map(|(line, value)| Edit::Replace { line, value }),
        1 => any::<usize>().prop_map(|line| Edit::Drop { line }),
        1 => any::<usize>().prop_map(|line| Edit::Double { line }),
    ]
}

/// `text` with the edits applied, each at a line chosen modulo the
/// number of lines (a replacement at the value of a `key = value` line).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        match e {
            Edit::Replace { line, value } => {
                let assignments: Vec<usize> = (0..lines.len())
                    .filter(|&i| {
                        lines[i].contains(" = ") && !lines[i].trim_start().starts_with('#')
                    })
                    .collect();
                if assignments.is_empty() {
                    continue;
                }
                let i = assignments[line % assignments.len()];
                let l = &lines[i];
                // Inline tables and lists: replace the first value inside.
                if let Some(eq) = l.find(" = ") {
                    let rest = &l[eq + 3..];
                    let end = rest
                        .find([',', '}', ']', '#'])
                        .filter(|_| !rest.starts_with(['{', '[']))
                        .unwrap_or(rest.len());
                    lines[i] = format!("{} = {value}{}", &l[..eq], &rest[end..]);
                }
            }
            Edit::Drop { line } => {
                let i = line % lines.len();
                lines.remove(i);
            }
            Edit::Double { line } => {
                let i = line % lines.len();
                let copy = lines[i].clone();
                lines.insert(i, copy);
            }
        }
    }
    lines.join("\n")
}

/// Runs an accepted scenario briefly: a few paths over its first steps.
fn run_briefly(scenario: &Scenario) {
    let summary = simulate(scenario, &RunConfig::new(1, 3)).expect("a checked scenario runs");
    assert_eq!(summary.paths_done(), 3);
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn arbitrary_bytes_are_refused_or_read(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Scenario::from_toml_str(&text);
    }

    #[test]
    fn mutated_scenarios_are_refused_or_run(
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let corpus = corpus();
        prop_assume!(!corpus.is_empty());
        let (name, text) = &corpus[pick % corpus.len()];
        // A short horizon, so that an accepted mutant runs in moments.
        let short = mutate(text, &edits)
            .replace("horizon_days = 1826", "horizon_days = 40")
            .replace("horizon_days = 1095", "horizon_days = 40");
        match Scenario::from_toml_str(&short) {
            Ok(scenario) if scenario.steps() <= 400 => run_briefly(&scenario),
            Ok(_) => {}
            Err(e) => prop_assert!(!e.to_string().is_empty(), "{name}: empty message"),
        }
    }

    #[test]
    fn arbitrary_overrides_are_refused_or_applied(
        path in prop_oneof![
            Just("farms[0].pue".to_string()),
            Just("farms[name=operator].pool_fee".to_string()),
            Just("farms[name=nobody].pue".to_string()),
            Just("farms[7].pue".to_string()),
            Just("fees.volatility".to_string()),
            Just("btc_price".to_string()),
            Just("macro.regimes[0].btc_drift".to_string()),
            Just("start_date".to_string()),
            Just("step_days".to_string()),
            "[a-z_\\[\\]0-9=.]{1,30}",
        ],
        value in hostile_value(),
    ) {
        let text = format!("{path}={value}");
        let Ok(o) = text.parse::<Override>() else { return Ok(()); };
        let file = scenarios_dir().join("default.toml");
        let horizon: Override = "horizon_days=30".parse().expect("override");
        if let Ok(scenario) = Scenario::from_path_with(&file, &[horizon, o])
            && scenario.steps() <= 400
        {
            run_briefly(&scenario);
        }
    }

    #[test]
    fn arbitrary_state_bytes_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert!(decode_state(&bytes).is_err());
    }

    #[test]
    fn state_bytes_with_any_edit_are_refused(at in any::<usize>(), byte in any::<u8>(), cut in any::<bool>()) {
        let state = small_state();
        let mut bytes = state.clone();
        let i = at % bytes.len();
        if cut {
            bytes.truncate(i);
        } else {
            prop_assume!(bytes[i] != byte);
            bytes[i] = byte;
        }
        prop_assert!(decode_state(&bytes).is_err());
        prop_assert!(decode_state(&state).is_ok());
    }
}

/// The state file of a tiny run, made once.
fn small_state() -> Vec<u8> {
    static STATE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    STATE
        .get_or_init(|| {
            let file = scenarios_dir().join("reference-core.toml");
            let horizon: Override = "horizon_days=5".parse().expect("override");
            let scenario = Scenario::from_path_with(file, &[horizon]).expect("valid");
            let summary = simulate(&scenario, &RunConfig::new(1, 4)).expect("runs");
            state_bytes(&summary)
        })
        .clone()
}
