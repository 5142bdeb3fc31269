//! A run split the way a scheduler splits it (separate processes, separate
//! output folders, `deploy/shard-task.sh` reading the task's number from
//! the environment) merges into exactly one run's result.

use std::path::Path;
use std::process::Command;

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
const DEPLOY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy");
const BIN: &str = env!("CARGO_BIN_EXE_hashwatt");

fn short_reference(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(REFERENCE).expect("scenario file");
    assert!(text.contains("horizon_days = 1095"));
    let path = dir.join("short.toml");
    std::fs::write(
        &path,
        text.replace("horizon_days = 1095", "horizon_days = 20"),
    )
    .expect("write");
    path
}

#[test]
fn a_local_job_array_of_four_shards_merges_into_one_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scenario = short_reference(tmp.path());
    let out = tmp.path().join("shards");
    let array = Command::new("bash")
        .arg(format!("{DEPLOY}/local/job-array.sh"))
        .arg("4")
        .env("SCENARIO", &scenario)
        .env("PATHS", "4000")
        .env("SEED", "11")
        .env("OUT", &out)
        .env("HASHWATT", BIN)
        .output()
        .expect("bash runs");
    let log = String::from_utf8_lossy(&array.stderr);
    assert!(array.status.success(), "{log}");
    for k in 1..=4 {
        let shard = out.join(format!("shard-{k}-of-4"));
        assert!(
            shard.join("state.bin").is_file(),
            "{}: {log}",
            shard.display()
        );
    }
    assert!(
        log.contains("(100 %)"),
        "plain progress lines in the log: {log}"
    );

    let whole = tmp.path().join("whole");
    let run = Command::new(BIN)
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--paths",
            "4000",
            "--seed",
            "11",
        ])
        .args(["--quiet", "--out", whole.to_str().unwrap()])
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read = |d: &Path| std::fs::read(d.join("summary.json")).expect("summary.json");
    assert_eq!(read(&out.join("merged")), read(&whole), "merged = one run");
}

#[test]
fn the_kubernetes_index_is_shifted_to_hashwatts_shards() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scenario = short_reference(tmp.path());
    let out = tmp.path().join("k8s");
    for index in 0..2 {
        let task = Command::new("bash")
            .arg(format!("{DEPLOY}/shard-task.sh"))
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .env("SHARDS", "2")
            .env("SCENARIO", &scenario)
            .env("PATHS", "2000")
            .env("OUT", &out)
            .env("HASHWATT", BIN)
            .env_remove("SLURM_ARRAY_TASK_ID")
            .output()
            .expect("bash runs");
        assert!(
            task.status.success(),
            "{}",
            String::from_utf8_lossy(&task.stderr)
        );
    }
    assert!(out.join("shard-1-of-2/state.bin").is_file());
    assert!(out.join("shard-2-of-2/state.bin").is_file());
    let merged = tmp.path().join("merged");
    let merge = Command::new(BIN)
        .args([
            "merge",
            out.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ])
        .output()
        .expect("runs");
    assert!(
        merge.status.success(),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
}
