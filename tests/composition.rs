//! Scenario composition: `extends` and `--set` overrides.

use std::path::{Path, PathBuf};
use std::process::Command;

use hashwatt::Scenario;
use hashwatt::scenario::{Override, ScenarioError};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");

/// A temporary directory holding the reference scenario as `base.toml`.
fn dir_with_base() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(REFERENCE, dir.path().join("base.toml")).expect("copy");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn set(s: &str) -> Override {
    s.parse().expect("well-formed override")
}

#[test]
fn a_child_overrides_single_keys_and_keeps_the_rest() {
    let dir = dir_with_base();
    let child = write(
        dir.path(),
        "child.toml",
        "extends = \"base.toml\"\nname = \"cheap\"\n[rest_of_world]\nmedian_power_price_usd_per_mwh = 35.0\n",
    );
    let base = Scenario::from_path(dir.path().join("base.toml")).expect("base");
    let s = Scenario::from_path(&child).expect("child");
    assert_eq!(s.name(), "cheap");
    assert_eq!(s.rest_of_world().median_power_price(), 35.0);
    // Untouched keys of the same table and other tables come from the base.
    assert_eq!(
        s.rest_of_world().dispersion(),
        base.rest_of_world().dispersion()
    );
    assert_eq!(s.rest_of_world().classes(), base.rest_of_world().classes());
    assert_eq!(s.steps(), base.steps());
    assert_eq!(s.farms(), base.farms());
}

#[test]
fn bases_chain_and_the_nearest_file_wins() {
    let dir = dir_with_base();
    write(
        dir.path(),
        "middle.toml",
        "extends = \"base.toml\"\nname = \"middle\"\nhorizon_days = 30\n",
    );
    let top = write(
        dir.path(),
        "top.toml",
        "extends = \"middle.toml\"\nname = \"top\"\n",
    );
    let s = Scenario::from_path(&top).expect("chain");
    assert_eq!((s.name(), s.steps()), ("top", 30));
}

#[test]
fn circular_and_missing_bases_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "a.toml", "extends = \"b.toml\"\n");
    write(dir.path(), "b.toml", "extends = \"a.toml\"\n");
    let err = Scenario::from_path(&a).expect_err("circle");
    assert!(matches!(err, ScenarioError::Compose { .. }), "{err:?}");
    assert!(err.to_string().contains("circle"), "{err}");

    let c = write(dir.path(), "c.toml", "extends = \"nowhere.toml\"\n");
    let err = Scenario::from_path(&c).expect_err("missing");
    assert!(err.to_string().contains("nowhere.toml"), "{err}");

    let d = write(dir.path(), "d.toml", "extends = 3\n");
    let err = Scenario::from_path(&d).expect_err("not a string");
    assert!(err.to_string().contains("extends"), "{err}");
}

#[test]
fn errors_point_into_the_file_that_holds_the_value() {
    let dir = dir_with_base();
    // A wrong type in the child: located in the child.
    let child = write(
        dir.path(),
        "child.toml",
        "extends = \"base.toml\"\n[fees]\nvolatility = \"high\"\n",
    );
    let err = Scenario::from_path(&child).expect_err("type error");
    match &err {
        ScenarioError::Syntax {
            origin,
            position,
            message,
        } => {
            assert!(origin.ends_with("child.toml"), "{err}");
            assert_eq!((position.line, position.column), (3, 14), "{err}");
            assert!(message.starts_with("fees.volatility"), "{err}");
        }
        other => panic!("expected Syntax, got {other:?}"),
    }
    // A bad value inherited from the base: located in the base.
    let text = std::fs::read_to_string(REFERENCE)
        .expect("reference")
        .replace("price_dispersion = 0.35", "price_dispersion = -0.35");
    write(dir.path(), "base.toml", &text);
    let child = write(
        dir.path(),
        "child2.toml",
        "extends = \"base.toml\"\nname = \"x\"\n",
    );
    let err = Scenario::from_path(&child).expect_err("inherited bad value");
    match &err {
        ScenarioError::Invalid {
            origin,
            field,
            position,
            ..
        } => {
            assert!(origin.ends_with("base.toml"), "{err}");
            assert_eq!(field, "rest_of_world.price_dispersion");
            let line = text
                .lines()
                .position(|l| l.starts_with("price_dispersion"))
                .expect("line")
                + 1;
            assert_eq!(position.map(|p| p.line), Some(line), "{err}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn overrides_set_fields_anywhere() {
    let s = Scenario::from_path_with(
        REFERENCE,
        &[
            set("farms[0].contract.price_usd_per_mwh=40"),
            set("fees.volatility=0.25"),
            set("name=variant-b"),
            set("horizon_days=10"),
        ],
    )
    .expect("overrides apply");
    assert_eq!(
        s.farms()[0].contract().fixed_price_usd_per_mwh(),
        Some(40.0)
    );
    assert_eq!(s.fees().volatility(), 0.25);
    assert_eq!((s.name(), s.steps()), ("variant-b", 10));
    // Later overrides win.
    let s = Scenario::from_path_with(REFERENCE, &[set("horizon_days=10"), set("horizon_days=20")])
        .expect("overrides apply");
    assert_eq!(s.steps(), 20);
}

#[test]
fn a_bad_override_is_blamed_on_the_override() {
    let err = Scenario::from_path_with(REFERENCE, &[set("farms[0].pool_fee=1.5")])
        .expect_err("out of range");
    match &err {
        ScenarioError::Invalid {
            origin,
            field,
            position,
            ..
        } => {
            assert_eq!(origin, "--set farms[0].pool_fee");
            assert_eq!(field, "farms[0].pool_fee");
            assert_eq!(*position, None);
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    let err =
        Scenario::from_path_with(REFERENCE, &[set("fees.volatilty=0.2")]).expect_err("unknown key");
    assert!(
        err.to_string().contains("unknown field `volatilty`"),
        "{err}"
    );
    let err = Scenario::from_path_with(REFERENCE, &[set("farms[2].pool_fee=0.1")])
        .expect_err("no such farm");
    assert!(matches!(err, ScenarioError::Compose { .. }), "{err:?}");
}

#[test]
fn the_binary_takes_set_and_common_random_numbers_hold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "run",
            REFERENCE,
            "--paths",
            "300",
            "--seed",
            "5",
            "--set",
            "horizon_days=40",
        ];
        args.extend_from_slice(extra);
        let out_dir = dir.path().join(out);
        args.extend_from_slice(&["--out", out_dir.to_str().expect("utf-8")]);
        let status = Command::new(env!("CARGO_BIN_EXE_hashwatt"))
            .args(&args)
            .output()
            .expect("runs");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let text = std::fs::read_to_string(out_dir.join("summary.json")).expect("summary");
        serde_json::from_str::<serde_json::Value>(&text).expect("json")
    };
    let base = run("base", &[]);
    let variant = run(
        "variant",
        &["--set", "farms[0].contract.price_usd_per_mwh=80"],
    );
    assert_eq!(base["t_days"].as_array().map(Vec::len), Some(40));
    // The contract price does not touch the BTC price process: same draws.
    assert_eq!(
        base["series"]["btc_price_usd"],
        variant["series"]["btc_price_usd"]
    );
    // A dearer contract never mines more.
    let btc = |s: &serde_json::Value| {
        s["farms"]["operator"]["btc_mined"]["mean"]
            .as_f64()
            .expect("btc")
    };
    assert!(btc(&variant) <= btc(&base));
    let bad = Command::new(env!("CARGO_BIN_EXE_hashwatt"))
        .args(["validate", REFERENCE, "--set", "no-equals-sign"])
        .output()
        .expect("runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("PATH=VALUE"));
}
