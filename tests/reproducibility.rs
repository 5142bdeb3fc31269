//! Results for a seed are bit-identical whatever the thread count and
//! however the paths are split into shards (model.md §7), through the
//! library and through the `hashwatt` binary; merging refuses parts that
//! do not make one run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hashwatt::report::{Tables, state_bytes, summary_json};
use hashwatt::stats::MergeError;
use hashwatt::{RunConfig, Scenario, Shard, Summary, simulate};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
const PATHS: u64 = 600;
const SEED: u64 = 2718;

/// reference-core.toml with a 30-day horizon (the stochastic scenario).
fn short_reference_text() -> String {
    let text = std::fs::read_to_string(REFERENCE).expect("scenario file");
    assert!(text.contains("horizon_days = 1095"));
    text.replace("horizon_days = 1095", "horizon_days = 30")
}

fn short_reference() -> Scenario {
    Scenario::from_toml_str(&short_reference_text()).expect("valid")
}

/// The text of `summary.json` for a summary.
fn json(summary: &Summary) -> String {
    summary_json(summary, &Tables::of(summary))
}

fn config(seed: u64, paths: u64, shard: Shard, threads: usize) -> RunConfig {
    RunConfig {
        seed,
        paths,
        shard,
        threads: Some(threads),
    }
}

fn run_shard(scenario: &Scenario, seed: u64, paths: u64, k: u32, n: u32) -> Summary {
    let shard = Shard::new(k, n).expect("valid shard");
    simulate(scenario, &config(seed, paths, shard, 2)).expect("run")
}

#[test]
fn summary_is_identical_for_1_2_and_8_threads() {
    let scenario = short_reference();
    let texts: Vec<String> = [1, 2, 8]
        .map(|threads| {
            let summary =
                simulate(&scenario, &config(SEED, PATHS, Shard::WHOLE, threads)).expect("run");
            assert_eq!(summary.paths_done(), PATHS);
            json(&summary)
        })
        .into();
    assert_eq!(texts[0], texts[1], "1 vs 2 threads");
    assert_eq!(texts[0], texts[2], "1 vs 8 threads");
    // Not trivially equal: the run has spread.
    assert!(texts[0].contains("\"stderr\""));
}

/// `state.bin` (the mergeable state written into every result directory)
/// is a result of the run too: the same seed, scenario and path count must
/// give the same bytes, whatever the thread count or the order in which
/// worker threads happened to take the chunks.
#[test]
fn state_bin_is_identical_across_runs_and_thread_counts() {
    let scenario = short_reference();
    let reference =
        state_bytes(&simulate(&scenario, &config(SEED, PATHS, Shard::WHOLE, 1)).expect("run"));
    for (i, threads) in [2, 8, 2, 8, 2, 8, 2, 8, 2, 8, 2, 8].into_iter().enumerate() {
        let summary =
            simulate(&scenario, &config(SEED, PATHS, Shard::WHOLE, threads)).expect("run");
        assert!(
            state_bytes(&summary) == reference,
            "run {i} with {threads} threads wrote a different state.bin"
        );
    }
}

#[test]
fn three_shards_merged_equal_one_run() {
    let scenario = short_reference();
    let whole = simulate(&scenario, &config(SEED, PATHS, Shard::WHOLE, 2)).expect("run");
    let parts: Vec<Summary> = (1..=3)
        .map(|k| run_shard(&scenario, SEED, PATHS, k, 3))
        .collect();
    assert_eq!(
        parts.iter().map(|p| p.paths_done()).sum::<u64>(),
        PATHS,
        "the shards cover every path once"
    );
    for p in &parts {
        // A shard is incomplete unless it holds every chunk (with 600
        // paths, one chunk: shard 3's).
        assert_eq!(p.is_complete(), p.paths_done() == PATHS);
    }
    let merged = Summary::merge_shards(parts.clone()).expect("merge");
    assert!(merged.is_complete());
    assert_eq!(merged.paths_done(), PATHS);
    assert_eq!(json(&merged), json(&whole));
    // The order of the parts does not matter.
    let reordered =
        Summary::merge_shards(vec![parts[2].clone(), parts[0].clone(), parts[1].clone()])
            .expect("merge");
    assert_eq!(json(&reordered), json(&whole));
}

#[test]
fn more_shards_than_chunks_still_merge_exactly() {
    // Chunks of 32 paths (the smallest): 70 paths are three chunks, so 7
    // shards leave four empty.
    let scenario = short_reference();
    let paths = 70;
    assert_eq!(RunConfig::new(SEED, paths).chunks(), 3);
    let whole = simulate(&scenario, &config(SEED, paths, Shard::WHOLE, 1)).expect("run");
    let parts: Vec<Summary> = (1..=7)
        .map(|k| run_shard(&scenario, SEED, paths, k, 7))
        .collect();
    assert_eq!(parts.iter().map(|p| p.paths_done()).sum::<u64>(), paths);
    let merged = Summary::merge_shards(parts).expect("merge");
    assert_eq!(json(&merged), json(&whole));
    // Same results, though split otherwise (7 shards against 1).
    assert!(merged.same_results(&whole));
    assert_ne!(merged, whole);
    let other_seed = simulate(&scenario, &config(SEED + 1, paths, Shard::WHOLE, 1)).expect("run");
    assert!(!whole.same_results(&other_seed));
}

#[test]
fn merge_refuses_parts_of_different_runs() {
    let scenario = short_reference();
    // Fewer shards than chunks, so that each shard holds paths of its own.
    const PATHS: u64 = 3 * hashwatt::engine::MAX_CHUNK_PATHS;
    let s1 = run_shard(&scenario, SEED, PATHS, 1, 3);
    let s2 = run_shard(&scenario, SEED, PATHS, 2, 3);
    let s3 = run_shard(&scenario, SEED, PATHS, 3, 3);

    // Different seed.
    let other_seed = run_shard(&scenario, SEED + 1, PATHS, 2, 3);
    let e = Summary::merge_shards(vec![s1.clone(), other_seed, s3.clone()]).unwrap_err();
    assert!(
        matches!(e, MergeError::DifferentRun { index: 1, what } if what.contains("seed")),
        "{e:?}"
    );

    // Different scenario (one parameter changed, same name).
    let changed = Scenario::from_toml_str(
        &short_reference_text().replace("mean_btc_per_block = 0.03", "mean_btc_per_block = 0.031"),
    )
    .expect("valid");
    let other_scenario = run_shard(&changed, SEED, PATHS, 3, 3);
    let e = Summary::merge_shards(vec![s1.clone(), s2.clone(), other_scenario]).unwrap_err();
    assert!(
        matches!(e, MergeError::DifferentRun { index: 2, what } if what.contains("scenario")),
        "{e:?}"
    );

    // Different total path count.
    let other_paths = run_shard(&scenario, SEED, PATHS + 1, 2, 3);
    let e = Summary::merge_shards(vec![s1.clone(), other_paths, s3.clone()]).unwrap_err();
    assert!(
        matches!(e, MergeError::DifferentRun { index: 1, what } if what.contains("path")),
        "{e:?}"
    );

    // Duplicate shard.
    let e =
        Summary::merge_shards(vec![s1.clone(), s2.clone(), s2.clone(), s3.clone()]).unwrap_err();
    assert!(
        matches!(e, MergeError::DuplicateChunks { index: 2, .. }),
        "{e:?}"
    );

    // Missing shard.
    let e = Summary::merge_shards(vec![s1.clone(), s3.clone()]).unwrap_err();
    assert!(
        matches!(&e, MergeError::MissingChunks { missing_shards, .. } if missing_shards == &[2]),
        "{e:?}"
    );
    assert!(e.to_string().contains("shard(s) 2"), "{e}");

    // A part of the same run split another way.
    let other_split = run_shard(&scenario, SEED, PATHS, 2, 2);
    let e = Summary::merge_shards(vec![s1.clone(), other_split]).unwrap_err();
    assert!(
        matches!(e, MergeError::DifferentRun { index: 1, what } if what.contains("shard")),
        "{e:?}"
    );

    // Same identity but a different layout of recorded series.
    let mut names: Vec<String> = s2
        .series_summaries()
        .iter()
        .map(|s| s.name().to_string())
        .collect();
    names[0] = "something_else".to_string();
    let farms: Vec<String> = s2.farms().iter().map(|f| f.name().to_string()).collect();
    let levels: Vec<f64> = s2
        .hashrate_growth()
        .levels()
        .iter()
        .map(|l| l.level_ehs())
        .collect();
    let relabelled = Summary::empty(
        s2.identity().clone(),
        2,
        s2.scenario_name(),
        s2.step_days(),
        s2.t_days().to_vec(),
        s2.dates().to_vec(),
        &names,
        &farms,
        &levels,
        s2.cost_curves().to_vec(),
    );
    let e = Summary::merge_shards(vec![s1.clone(), relabelled, s3.clone()]).unwrap_err();
    assert!(
        matches!(e, MergeError::DifferentLayout { index: 1 }),
        "{e:?}"
    );

    // Nothing at all.
    let e = Summary::merge_shards(Vec::new()).unwrap_err();
    assert!(matches!(e, MergeError::Empty), "{e:?}");

    // And the right three do merge.
    Summary::merge_shards(vec![s1, s2, s3]).expect("merge");
}

// ---------------------------------------------------------------------------
// The binary
// ---------------------------------------------------------------------------

fn hashwatt(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_hashwatt"))
        .args(args)
        .output()
        .expect("the binary starts");
    assert!(
        out.status.success(),
        "hashwatt {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

const SERIES: [&str; 6] = [
    "btc_price_usd",
    "hashrate_ehs",
    "difficulty_ehs",
    "hashprice_usd_per_ph_day",
    "fee_btc_per_block",
    "farm.operator.online_fraction",
];

fn result_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![
        dir.join("summary.json"),
        dir.join("run.json"),
        dir.join("state.bin"),
        dir.join("farms.csv"),
    ];
    files.extend(
        SERIES
            .iter()
            .map(|n| dir.join("series").join(format!("{n}.csv"))),
    );
    files
}

fn assert_complete(dir: &Path, steps: usize) {
    for f in result_files(dir) {
        assert!(f.is_file(), "{} is missing", f.display());
    }
    let series: Vec<_> = std::fs::read_dir(dir.join("series"))
        .expect("series dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(series.len(), SERIES.len(), "one CSV per series: {series:?}");
    for name in SERIES {
        let text =
            std::fs::read_to_string(dir.join("series").join(format!("{name}.csv"))).expect("csv");
        assert_eq!(
            text.lines().count(),
            steps + 1,
            "{name}.csv: a header and a row per step"
        );
        assert!(text.starts_with("t_days,date,mean,std,stderr,p5,p25,p50,p75,p95"));
    }
    let farms = std::fs::read_to_string(dir.join("farms.csv")).expect("farms.csv");
    assert_eq!(
        farms.lines().count(),
        1 + hashwatt::stats::FarmSummary::MEASURES.len(),
        "header and every measure of one farm"
    );
    for json in ["summary.json", "run.json"] {
        let text = std::fs::read_to_string(dir.join(json)).expect("json");
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{json} is not JSON: {e}"));
    }
    let state = std::fs::read(dir.join("state.bin")).expect("state");
    assert!(state.starts_with(b"HASHWATT-STATE-5"));
}

#[test]
fn binary_shards_merged_equal_one_run_and_directories_are_complete() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scenario = tmp.path().join("short.toml");
    std::fs::write(&scenario, short_reference_text()).expect("write scenario");
    let paths = PATHS.to_string();
    let seed = SEED.to_string();
    let common = |out: &Path| {
        vec![
            "run".to_string(),
            s(&scenario).to_string(),
            "--out".to_string(),
            s(out).to_string(),
            "--paths".to_string(),
            paths.clone(),
            "--seed".to_string(),
            seed.clone(),
        ]
    };
    let whole = tmp.path().join("whole");
    let args = common(&whole);
    hashwatt(&args.iter().map(String::as_str).collect::<Vec<_>>());

    let mut shard_dirs = Vec::new();
    for k in 1..=3 {
        let dir = tmp.path().join(format!("shard{k}"));
        let mut args = common(&dir);
        args.extend([
            "--shard".to_string(),
            format!("{k}/3"),
            "--threads".to_string(),
            "1".to_string(),
        ]);
        hashwatt(&args.iter().map(String::as_str).collect::<Vec<_>>());
        shard_dirs.push(dir);
    }
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shard_dirs.iter().map(|d| s(d)));
    args.extend(["--out", s(&merged)]);
    hashwatt(&args);

    let read = |d: &Path, f: &str| std::fs::read(d.join(f)).expect("result file");
    assert_eq!(
        read(&merged, "summary.json"),
        read(&whole, "summary.json"),
        "merged summary.json equals one run's"
    );
    assert_eq!(read(&merged, "farms.csv"), read(&whole, "farms.csv"));
    for name in SERIES {
        let f = format!("series/{name}.csv");
        assert_eq!(read(&merged, &f), read(&whole, &f), "{f}");
    }
    for dir in shard_dirs.iter().chain([&whole, &merged]) {
        assert_complete(dir, 30);
    }
    // The binary writes what the library computes.
    let summary = simulate(&short_reference(), &RunConfig::new(SEED, PATHS)).expect("run");
    assert_eq!(read(&whole, "summary.json"), json(&summary).into_bytes());
    // No staging directories left behind.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("tmp")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn binary_merge_refuses_a_missing_shard() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scenario = tmp.path().join("short.toml");
    std::fs::write(&scenario, short_reference_text()).expect("write scenario");
    let mut dirs = Vec::new();
    for k in [1, 3] {
        let dir = tmp.path().join(format!("shard{k}"));
        let shard = format!("{k}/3");
        hashwatt(&[
            "run",
            s(&scenario),
            "--out",
            s(&dir),
            "--paths",
            "3000",
            "--shard",
            &shard,
        ]);
        dirs.push(dir);
    }
    let merged = tmp.path().join("merged");
    let out = Command::new(env!("CARGO_BIN_EXE_hashwatt"))
        .args(["merge", s(&dirs[0]), s(&dirs[1]), "--out", s(&merged)])
        .output()
        .expect("the binary starts");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!merged.exists(), "no output for a refused merge");
}

/// model.md §7: each process draws from its own stream, so two scenarios
/// that differ in one process share the other processes' draws (common
/// random numbers). Here the fee volatility and the farms differ; the BTC
/// price draws must not.
#[test]
fn other_processes_keep_their_draws_when_one_changes() {
    let base = short_reference_text();
    let farm_start = base.find("[[farms]]").expect("a farm table");
    let variants = [
        base.clone(),
        base.replace("volatility = 0.5\n", "volatility = 0.9\n"),
        base[..farm_start].to_string(),
    ];
    assert_ne!(variants[0], variants[1], "the fee volatility changed");
    let summaries: Vec<Summary> = variants
        .iter()
        .map(|text| {
            let scenario = Scenario::from_toml_str(text).expect("valid");
            simulate(&scenario, &RunConfig::new(SEED, 300)).expect("run")
        })
        .collect();
    // Compare what is reported (mean, std, stderr, quantiles, bit for bit).
    let price = |s: &Summary| s.series("btc_price_usd").expect("price series");
    assert_eq!(
        price(&summaries[0]),
        price(&summaries[1]),
        "fee volatility moved the price draws"
    );
    assert_eq!(
        price(&summaries[0]),
        price(&summaries[2]),
        "removing the farm moved the price draws"
    );
    // The fee draws themselves do change with the fee volatility.
    let fee = |s: &Summary| s.series("fee_btc_per_block").expect("fees")[1].std;
    assert_ne!(fee(&summaries[0]), fee(&summaries[1]));
}
