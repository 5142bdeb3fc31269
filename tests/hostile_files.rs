//! Files a scenario names are read only if they are regular files of a
//! bounded size: devices, FIFOs and huge horizons are refused with the
//! field or file named, never a hang, an out-of-memory kill or a panic.

use std::path::Path;
use std::time::{Duration, Instant};

use hashwatt::{Scenario, ScenarioError};

const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/default.toml");

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Loads `path` on a thread and fails if it takes longer than 20 s.
fn load_soon(path: std::path::PathBuf) -> Result<Scenario, ScenarioError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Scenario::from_path(&path));
    });
    let started = Instant::now();
    let result = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the loader answers instead of hanging");
    assert!(started.elapsed() < Duration::from_secs(20));
    result
}

#[test]
fn extending_a_device_is_refused() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    for device in ["/dev/zero", "/dev/urandom"] {
        let path = write(tmp.path(), "s.toml", &format!("extends = \"{device}\"\n"));
        let err = load_soon(path).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{device}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_without_a_writer_is_refused_not_waited_for() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fifo = tmp.path().join("pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    let err = load_soon(fifo.clone()).unwrap_err().to_string();
    assert!(err.contains("not a regular file"), "{err}");
    let path = write(tmp.path(), "s.toml", "extends = \"pipe.toml\"\n");
    let err = load_soon(path).unwrap_err().to_string();
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn a_replay_from_a_device_is_refused() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let text = std::fs::read_to_string(DEFAULT).expect("default scenario");
    let replay =
        "replay = { file = \"/dev/zero\", date_column = \"date\", value_column = \"price\" }";
    let text = text
        .lines()
        .map(|l| {
            if l.starts_with("initial_usd =") {
                replay
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("/dev/zero"));
    let err = Scenario::from_toml_str(&text).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("btc_price.replay.file"), "{text}");
    assert!(text.contains("not a regular file"), "{text}");
}

#[test]
fn a_scenario_file_beyond_the_size_bound_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("name = \"big\"\n");
    while (text.len() as u64) <= hashwatt::scenario::MAX_SCENARIO_BYTES {
        text.push_str("# padding padding padding padding padding padding padding\n");
    }
    let err = load_soon(write(tmp.path(), "big.toml", &text))
        .unwrap_err()
        .to_string();
    assert!(err.contains("larger than the 4 MiB"), "{err}");
}

#[test]
fn a_horizon_past_the_calendar_names_the_field() {
    let text = std::fs::read_to_string(DEFAULT).expect("default scenario");
    for horizon in ["7304485", "4000000000"] {
        let changed = regex_free_replace(&text, "horizon_days", horizon);
        let err = Scenario::from_toml_str(&changed).unwrap_err().to_string();
        assert!(err.contains("horizon_days"), "{horizon}: {err}");
    }
}

/// `text` with the value of the line starting with `key =` replaced.
fn regex_free_replace(text: &str, key: &str, value: &str) -> String {
    text.lines()
        .map(|line| {
            if line.starts_with(&format!("{key} =")) || line.starts_with(&format!("{key}=")) {
                format!("{key} = {value}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
