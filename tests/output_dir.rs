//! `--out` never deletes a file hashwatt did not write, replaces its own
//! results whole, and cleans the staging folders of killed runs.

use std::fs;
use std::path::Path;

use hashwatt::report::{MANIFEST_FILE, OutputDir, OutputError, record_written};

fn write_result(target: &Path, files: &[(&str, &str)]) {
    let mut out = OutputDir::stage(target).expect("stage");
    for (name, text) in files {
        out.write(name, text.as_bytes()).expect("write");
    }
    out.commit().expect("commit");
}

fn hidden_entries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn an_earlier_result_is_replaced_whole_and_nothing_is_left_beside_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let target = tmp.path().join("out");
    write_result(&target, &[("summary.json", "1"), ("series/a.csv", "a")]);
    let manifest = fs::read_to_string(target.join(MANIFEST_FILE)).expect("manifest");
    assert!(manifest.lines().any(|l| l == "series/a.csv"), "{manifest}");
    write_result(&target, &[("summary.json", "2"), ("series/b.csv", "b")]);
    assert_eq!(
        fs::read_to_string(target.join("summary.json")).unwrap(),
        "2"
    );
    assert!(
        !target.join("series/a.csv").exists(),
        "the old result is gone"
    );
    assert!(target.join("series/b.csv").is_file());
    assert!(
        hidden_entries(tmp.path()).is_empty(),
        "{:?}",
        hidden_entries(tmp.path())
    );
}

#[test]
fn a_result_holding_a_users_files_is_refused_and_left_as_it_was() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let target = tmp.path().join("out");
    write_result(&target, &[("summary.json", "1"), ("series/a.csv", "a")]);
    fs::write(target.join("notes.md"), "my notes").expect("user file");
    fs::create_dir(target.join("plots")).expect("user dir");
    fs::write(target.join("series/mine.csv"), "x").expect("user file among ours");
    let err = OutputDir::stage(&target).unwrap_err();
    match &err {
        OutputError::ForeignFiles { files, .. } => {
            assert_eq!(files, &["notes.md", "plots/", "series/mine.csv"]);
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("did not write") && text.contains("notes.md"),
        "{text}"
    );
    assert_eq!(
        fs::read_to_string(target.join("notes.md")).unwrap(),
        "my notes"
    );
    assert_eq!(
        fs::read_to_string(target.join("summary.json")).unwrap(),
        "1"
    );
    assert!(hidden_entries(tmp.path()).is_empty());
}

#[test]
fn a_user_file_appearing_during_the_run_stops_the_commit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let target = tmp.path().join("out");
    write_result(&target, &[("summary.json", "1")]);
    let mut out = OutputDir::stage(&target).expect("stage");
    out.write("summary.json", b"2").expect("write");
    fs::write(target.join("notebook.ipynb"), "{}").expect("user file");
    assert!(matches!(
        out.commit(),
        Err(OutputError::ForeignFiles { .. })
    ));
    assert_eq!(
        fs::read_to_string(target.join("summary.json")).unwrap(),
        "1"
    );
    assert!(target.join("notebook.ipynb").is_file());
    assert!(
        hidden_entries(tmp.path()).is_empty(),
        "the staged files are removed"
    );
}

#[test]
fn results_of_versions_without_a_manifest_are_recognised_by_their_names() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let target = tmp.path().join("old");
    fs::create_dir_all(target.join("series")).unwrap();
    for f in [
        "summary.json",
        "state.bin",
        "run.json",
        "farms.csv",
        "series/x.csv",
    ] {
        fs::write(target.join(f), "old").unwrap();
    }
    write_result(&target, &[("summary.json", "new")]);
    assert_eq!(
        fs::read_to_string(target.join("summary.json")).unwrap(),
        "new"
    );
    assert!(!target.join("series/x.csv").exists());

    let other = tmp.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("summary.json"), "old").unwrap();
    fs::write(other.join("analysis.py"), "mine").unwrap();
    assert!(matches!(
        OutputDir::stage(&other),
        Err(OutputError::ForeignFiles { .. })
    ));
    let plain = tmp.path().join("plain");
    fs::create_dir_all(&plain).unwrap();
    fs::write(plain.join("data.csv"), "mine").unwrap();
    assert!(matches!(
        OutputDir::stage(&plain),
        Err(OutputError::NotResultDir(_))
    ));
}

#[test]
fn staging_folders_of_ended_processes_are_removed_and_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let target = tmp.path().join("out");
    // No process has this id (Linux caps pids far below it).
    let dead = tmp.path().join(".hashwatt-staging-out-4000000000-x1");
    fs::create_dir_all(dead.join("series")).unwrap();
    fs::write(dead.join("summary.json"), "half").unwrap();
    // Process 1 always runs: its staging folder is not ours to remove.
    let alive = tmp.path().join(".hashwatt-staging-out-1-x2");
    fs::create_dir_all(&alive).unwrap();
    // Another target's leftovers are left alone.
    let elsewhere = tmp.path().join(".hashwatt-staging-other-4000000000-x3");
    fs::create_dir_all(&elsewhere).unwrap();
    let out = OutputDir::stage(&target).expect("stage");
    if cfg!(target_os = "linux") {
        assert_eq!(out.removed_leftovers(), std::slice::from_ref(&dead));
        assert!(!dead.exists());
    }
    assert!(alive.exists() && elsewhere.exists());
    out.commit().expect("commit");
}

#[test]
fn files_added_to_a_result_are_recorded_as_hashwatts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let target = tmp.path().join("out");
    write_result(&target, &[("summary.json", "1")]);
    fs::write(target.join("report.html"), "<html>").unwrap();
    assert!(OutputDir::stage(&target).is_err(), "not recorded yet");
    record_written(&target, &["report.html".to_string()]).expect("record");
    write_result(&target, &[("summary.json", "2")]);
    assert!(!target.join("report.html").exists());
    assert!(hidden_entries(tmp.path()).is_empty());
}
