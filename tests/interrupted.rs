//! A stopped run keeps its finished chunks: they merge with the rest of the
//! run into the bits of the whole run, through the library and through
//! `hashwatt run` (Ctrl-C, then `--resume`).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

use hashwatt::engine::{Control, MAX_CHUNK_PATHS, shard_chunks, simulate_chunks};
use hashwatt::stats::MergeError;
use hashwatt::{RunConfig, Scenario, Shard, Summary, simulate};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
const BIN: &str = env!("CARGO_BIN_EXE_hashwatt");

fn short_reference() -> Scenario {
    Scenario::from_path_with(REFERENCE, &["horizon_days=90".parse().expect("override")])
        .expect("valid")
}

#[test]
fn a_run_stopped_after_its_first_chunk_keeps_whole_chunks_that_merge_with_the_rest() {
    let scenario = short_reference();
    let config = RunConfig {
        threads: Some(2),
        ..RunConfig::new(11, 6 * MAX_CHUNK_PATHS + 250)
    };
    let stop = AtomicBool::new(false);
    let stop_now = |_| stop.store(true, Ordering::Relaxed);
    let all = shard_chunks(&config);
    let kept = simulate_chunks(&scenario, &config, &all, Control::new(&stop_now, &stop))
        .expect("a stopped run still returns what it finished");
    // At least the chunk that raised the flag; never all of them with two
    // workers stopping at the next block.
    assert!(!kept.chunks().is_empty());
    assert!(!kept.is_complete());
    let in_kept: u64 = kept
        .chunks()
        .iter()
        .map(|c| {
            let paths = config.chunk_range(c);
            paths.end - paths.start
        })
        .sum();
    assert_eq!(kept.paths_done(), in_kept, "only whole chunks are counted");

    let rest = simulate_chunks(
        &scenario,
        &config,
        &all.without(kept.chunks()),
        Control::NONE,
    )
    .expect("the rest");
    let whole = simulate(&scenario, &config).expect("whole run");
    let merged = Summary::merge_shards(vec![rest.clone(), kept.clone()]).expect("merge");
    assert_eq!(merged, whole, "stopped + rest = whole, bit for bit");

    // A part given twice, or alone, is refused with what is wrong.
    let twice = Summary::merge_shards(vec![kept.clone(), kept.clone(), rest]).unwrap_err();
    assert!(
        matches!(twice, MergeError::DuplicateChunks { index: 1, .. }),
        "{twice:?}"
    );
    let alone = Summary::merge_shards(vec![kept]).unwrap_err();
    assert!(
        matches!(alone, MergeError::MissingChunks { .. }),
        "{alone:?}"
    );
    assert!(alone.to_string().contains("paths missing"), "{alone}");
}

#[test]
fn chunks_outside_the_run_are_refused() {
    let scenario = short_reference();
    // 1 500 paths: eight chunks of 192 (the last of 156).
    let config = RunConfig::new(1, 1500);
    assert_eq!((config.chunks(), config.chunk_paths()), (8, 192));
    let outside = hashwatt::stats::ChunkSet::from_range(7..9);
    let e = simulate_chunks(&scenario, &config, &outside, Control::NONE).unwrap_err();
    assert_eq!(e.to_string(), "chunk 8 is outside the run's 8 chunks");
}

#[test]
fn a_stopped_shard_and_the_other_shard_name_what_is_missing() {
    let scenario = short_reference();
    let config = RunConfig {
        shard: Shard::new(2, 2).expect("shard"),
        ..RunConfig::new(3, 8 * MAX_CHUNK_PATHS)
    };
    let first = RunConfig {
        shard: Shard::new(1, 2).expect("shard"),
        ..config.clone()
    };
    // Eight chunks of 1 000: shard 2 of 2 runs chunks 4-7; it stopped
    // after chunk 7 only.
    let part = simulate_chunks(
        &scenario,
        &config,
        &hashwatt::stats::ChunkSet::from_range(7..8),
        Control::NONE,
    )
    .expect("part");
    let shard1 = simulate(&scenario, &first).expect("shard 1");
    let e = Summary::merge_shards(vec![shard1, part]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "paths missing: chunks 4-6 of 0-7 (3000 paths) are in no part; they belong to shard(s) 2"
    );
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn ctrl_c_keeps_the_finished_chunks_and_resume_finishes_the_run_exactly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (stopped, whole) = (tmp.path().join("stopped"), tmp.path().join("whole"));
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec!["run", REFERENCE, "--paths", "10000", "--seed", "5"];
        args.extend(["--set", "horizon_days=1000", "--quiet", "--out", s(out)]);
        args.extend(extra);
        let mut cmd = Command::new(BIN);
        cmd.args(args);
        cmd
    };
    let mut child = run(&stopped, &["--progress", "plain", "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Stop it once a chunk is reported done (a plain line per tenth).
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("reads") > 0 {
        seen.push_str(&line);
        if line.contains("paths") && line.contains('%') {
            break;
        }
        line.clear();
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    if !kill.is_ok_and(|s| s.success()) {
        let _ = child.kill();
        let _ = child.wait();
        return; // no kill command here
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).expect("reads");
    seen.push_str(&rest);
    let status = child.wait().expect("waits");
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(seen.contains("kept the "), "{seen}");
    assert!(seen.contains("--resume"), "{seen}");
    let summary = std::fs::read_to_string(stopped.join("summary.json")).expect("kept");
    assert!(summary.contains("\"chunks\":\""), "says it is partial");

    let out = run(&stopped, &["--resume", s(&stopped)])
        .output()
        .expect("resumes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&whole, &[]).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |d: &Path| std::fs::read(d.join("summary.json")).expect("summary");
    assert!(read(&stopped) == read(&whole), "resumed = uninterrupted");

    // Resuming with another scenario is refused before anything runs.
    let out = run(
        &tmp.path().join("other"),
        &["--set", "horizon_days=1001", "--resume", s(&stopped)],
    )
    .output()
    .expect("runs");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(text.contains("scenario differs"), "{text}");
}

#[test]
fn every_chunk_belongs_to_the_shard_that_runs_it() {
    let identity = |chunks: u64, shards: u32| hashwatt::stats::RunIdentity {
        version: String::new(),
        scenario: String::new(),
        seed: 0,
        paths: chunks * MAX_CHUNK_PATHS,
        chunk_size: MAX_CHUNK_PATHS,
        shard_count: shards,
        price_process: None,
        contracts: Vec::new(),
    };
    for chunks in 1..12u64 {
        for shards in 1..15u32 {
            let id = identity(chunks, shards);
            for c in 0..chunks {
                let k = id.shard_of(c);
                assert!(
                    id.shard_chunks(k).contains(&c),
                    "C={chunks} N={shards} chunk {c}"
                );
                let engine = Shard::new(k, shards).expect("shard").chunks(chunks);
                assert_eq!(engine, id.shard_chunks(k), "the engine's split");
            }
        }
    }
}
