//! `hashwatt run` as a user meets it: exported sample paths, Ctrl-C, thread
//! bounds.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hashwatt::Scenario;
use hashwatt::engine::trace;

const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/default.toml");
const OPERATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
const BIN: &str = env!("CARGO_BIN_EXE_hashwatt");

fn hashwatt(args: &[&str]) -> std::process::Output {
    let out = Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary starts");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn exported_paths_are_the_traced_paths_for_any_thread_count() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dirs = [tmp.path().join("t1"), tmp.path().join("t2")];
    for (dir, threads) in dirs.iter().zip(["1", "2"]) {
        hashwatt(&[
            "run",
            DEFAULT,
            "--paths",
            "40",
            "--seed",
            "9",
            "--export-paths",
            "3",
            "--threads",
            threads,
            "--quiet",
            "--out",
            s(dir),
        ]);
    }
    let read = |d: &Path, f: &str| std::fs::read_to_string(d.join(f)).expect("exported file");
    for f in [
        "paths/farms.csv",
        "paths/series/btc_price_usd.csv",
        "paths/series/hashrate_ehs.csv",
    ] {
        assert_eq!(read(&dirs[0], f), read(&dirs[1], f), "{f}");
    }
    let scenario = Scenario::from_path(DEFAULT).expect("scenario");
    let prices = read(&dirs[0], "paths/series/btc_price_usd.csv");
    let mut lines = prices.lines();
    assert_eq!(lines.next(), Some("t_days,date,path_0,path_1,path_2"));
    let traced: Vec<_> = (0..3).map(|p| trace(&scenario, 9, p)).collect();
    for (t, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        for (p, cell) in cells[2..].iter().enumerate() {
            let value = traced[p].series("btc_price_usd").expect("series")[t];
            assert_eq!(
                cell.parse::<f64>().expect("number"),
                value,
                "step {t} path {p}"
            );
        }
    }
    let farms = read(&dirs[0], "paths/farms.csv");
    assert_eq!(
        farms.lines().count(),
        1 + 3,
        "a header and a row per path and farm"
    );
    let margin = farms
        .lines()
        .nth(1)
        .expect("row")
        .split(',')
        .nth(10)
        .expect("margin");
    assert_eq!(
        margin.parse::<f64>().ok(),
        traced[0].farm_measures[0][8],
        "margin_usd of path 0"
    );
}

#[test]
fn ctrl_c_stops_the_workers_promptly_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tmp.path().join("out");
    let mut child = Command::new(BIN)
        .args(["run", OPERATOR, "--paths", "20000", "--out", s(&out_dir)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Well before the first chunk of 1 000 operator paths is done (about
    // 3 s a chunk on a core here): nothing finished, so nothing is kept.
    std::thread::sleep(Duration::from_millis(700));
    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    if !kill.is_ok_and(|s| s.success()) {
        let _ = child.kill();
        let _ = child.wait();
        return; // no kill command here
    }
    let out = child.wait_with_output().expect("waits");
    let waited = sent.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(waited < Duration::from_secs(3), "stopped after {waited:?}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(!out_dir.exists(), "no output folder");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("dir").collect();
    assert!(left.is_empty(), "nothing left beside it: {left:?}");
}

#[test]
fn absurd_thread_counts_are_refused() {
    for threads in ["0", "100000"] {
        let out = Command::new(BIN)
            .args([
                "run",
                DEFAULT,
                "--paths",
                "10",
                "--threads",
                threads,
                "--out",
                "/nonexistent/x",
            ])
            .output()
            .expect("starts");
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--threads"), "{stderr}");
    }
}

#[test]
fn usage_errors_exit_2_with_the_documented_prefix() {
    let out = Command::new(BIN)
        .args(["run", "--no-such-option"])
        .output()
        .expect("the binary starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("hashwatt: error: unexpected argument"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no terminal colours in a pipe: {stderr}"
    );
    let help = Command::new(BIN).arg("--help").output().expect("starts");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage"));
}

#[test]
fn a_run_whose_summaries_cannot_fit_in_memory_is_refused_before_it_starts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tmp.path().join("out");
    // 2.9 million daily steps: hundreds of GiB of per-step summaries.
    let out = Command::new(BIN)
        .args(["run", DEFAULT, "--paths", "20", "--out", s(&out_dir)])
        .args(["--set", "horizon_days=2900000", "--quiet"])
        .output()
        .expect("the binary starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("would need about"), "{stderr}");
    assert!(
        stderr.contains("step_days"),
        "says what to change: {stderr}"
    );
    assert!(!out_dir.exists());
}

#[test]
fn no_state_writes_the_same_tables_without_the_state() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (with, without) = (tmp.path().join("with"), tmp.path().join("without"));
    for (dir, extra) in [(&with, None), (&without, Some("--no-state"))] {
        let mut args = vec![
            "run", DEFAULT, "--paths", "30", "--seed", "4", "--quiet", "--out",
        ];
        args.push(s(dir));
        args.extend(extra);
        hashwatt(&args);
    }
    assert!(with.join("state.bin").is_file());
    assert!(!without.join("state.bin").exists());
    let read = |d: &Path, f: &str| std::fs::read(d.join(f)).expect("written");
    for f in ["summary.json", "farms.csv", "series/hashrate_ehs.csv"] {
        assert_eq!(read(&with, f), read(&without, f), "{f}");
    }
    // The manifest lists what was written, and a later run may replace it.
    let manifest = String::from_utf8(read(&without, ".hashwatt-manifest")).expect("utf-8");
    assert!(!manifest.contains("state.bin"), "{manifest}");
    hashwatt(&[
        "run",
        DEFAULT,
        "--paths",
        "10",
        "--quiet",
        "--out",
        s(&without),
    ]);
    assert!(without.join("state.bin").is_file());
}

#[test]
fn no_state_is_refused_for_a_shard_and_its_folder_cannot_be_merged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("quick");
    let out = Command::new(BIN)
        .args([
            "run",
            DEFAULT,
            "--paths",
            "10",
            "--no-state",
            "--shard",
            "1/2",
        ])
        .args(["--quiet", "--out", s(&dir)])
        .output()
        .expect("the binary starts");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--no-state") && stderr.contains("--shard"),
        "{stderr}"
    );
    assert!(!dir.exists());
    hashwatt(&[
        "run",
        DEFAULT,
        "--paths",
        "10",
        "--no-state",
        "--quiet",
        "--out",
        s(&dir),
    ]);
    let merged = tmp.path().join("merged");
    let out = Command::new(BIN)
        .args(["merge", s(&dir), "--out", s(&merged)])
        .output()
        .expect("the binary starts");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("state.bin"), "{stderr}");
    assert!(!merged.exists());
}

#[test]
fn an_empty_shard_warns_and_still_writes_its_part() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("part");
    // 10 paths are one chunk: of two shards, the first has none.
    let out = hashwatt(&[
        "run",
        DEFAULT,
        "--paths",
        "10",
        "--shard",
        "1/2",
        "--quiet",
        "--out",
        s(&dir),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: shard 1/2 has no paths"),
        "{stderr}"
    );
    assert!(dir.join("state.bin").is_file());
    let full = hashwatt(&[
        "run",
        DEFAULT,
        "--paths",
        "10",
        "--shard",
        "2/2",
        "--quiet",
        "--out",
        s(&tmp.path().join("rest")),
    ]);
    assert!(!String::from_utf8_lossy(&full.stderr).contains("warning"));
}
