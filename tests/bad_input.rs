//! Broken scenarios are refused with a typed error that names the field
//! and, where the position is known, the line and column; the binary exits
//! non-zero with a message on stderr and writes nothing.

use std::path::Path;
use std::process::Command;

use hashwatt::Scenario;
use hashwatt::scenario::{Position, ScenarioError};

/// A valid scenario; each test breaks one line of it.
const BASE: &str = r#"name = "bad-input"
start_date = "2026-11-24"
step_days = 1
horizon_days = 30

[network]
height = 1_000_000
difficulty_ehs = 1000.0

[fees]
mean_btc_per_block = 0.03
volatility = 0.5

[btc_price]
initial_usd = 90000.0

[macro]
initial_regime = "calm"

[[macro.regimes]]
name = "calm"
btc_drift = 0.1
btc_volatility = 0.5
transitions = { conflict = 2.0 }

[[macro.regimes]]
name = "conflict"
btc_drift = -0.2
btc_volatility = 0.9
transitions = { calm = 6.0 }

[power_factor]
mean_reversion = 3.0
volatility = 0.4

[rest_of_world]
median_power_price_usd_per_mwh = 45.0
price_dispersion = 0.35
classes = [ { name = "j20", installed_ehs = 1000.0, efficiency_j_per_th = 20.0 } ]

[[farms]]
name = "operator"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 55.0 }
pool_fee = 0.02

[[farms]]
name = "peer"
fleet = [ { model = "S19", units = 100, th_per_unit = 100.0, efficiency_j_per_th = 30.0 } ]
contract = { kind = "fixed", price_usd_per_mwh = 40.0 }
"#;

/// `BASE` with the one line `from` replaced by `to`.
fn broken(from: &str, to: &str) -> String {
    let hits = BASE.lines().filter(|l| *l == from).count();
    assert_eq!(hits, 1, "`{from}` is one line of BASE");
    BASE.lines()
        .map(|l| if l == from { to } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Line and column (1-based, in characters) of the unique `needle`.
fn position_of(text: &str, needle: &str) -> Position {
    position_in(text, needle, needle)
}

/// Line and column of `value` inside `anchor`, a unique piece of `text`.
fn position_in(text: &str, anchor: &str, value: &str) -> Position {
    assert_eq!(text.matches(anchor).count(), 1, "`{anchor}` is unique");
    let offset = text.find(anchor).expect("present") + anchor.find(value).expect("value in anchor");
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    Position { line, column }
}

/// Asserts a value error on `field`, located at the offending `value`
/// written in the unique line `line`, whose message contains `says`.
#[track_caller]
fn assert_invalid(text: &str, field: &str, (line, value): (&str, &str), says: &str) {
    let err = Scenario::from_toml_str(text).expect_err("the scenario is refused");
    let want = position_in(text, line, value);
    match &err {
        ScenarioError::Invalid {
            origin,
            position,
            field: f,
            message,
        } => {
            assert_eq!(origin, "<string>");
            assert_eq!(f, field, "{err}");
            assert_eq!(*position, Some(want), "{err}");
            assert!(message.contains(says), "{err}");
        }
        other => panic!("expected ScenarioError::Invalid for {field}, got {other:?}"),
    }
    assert_eq!(err.field(), Some(field));
    let shown = err.to_string();
    assert!(
        shown.contains(field),
        "the message names the field: {shown}"
    );
    assert!(
        shown.starts_with(&format!("<string>:{}:{}: ", want.line, want.column)),
        "the message gives line and column: {shown}"
    );
}

/// Asserts a syntax or type error at `at` written in the unique line
/// `line`, whose message contains each of `says`.
#[track_caller]
fn assert_syntax(text: &str, (line, at): (&str, &str), says: &[&str]) {
    let err = Scenario::from_toml_str(text).expect_err("the scenario is refused");
    let want = position_in(text, line, at);
    match &err {
        ScenarioError::Syntax {
            origin, position, ..
        } => {
            assert_eq!(origin, "<string>");
            assert_eq!(*position, want, "{err}");
        }
        other => panic!("expected ScenarioError::Syntax, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("<string>:{}:{}: ", want.line, want.column)),
        "the message gives line and column: {shown}"
    );
    for s in says {
        assert!(shown.contains(s), "the message says `{s}`: {shown}");
    }
}

#[test]
fn base_scenario_is_valid() {
    let s = Scenario::from_toml_str(BASE).expect("BASE is valid");
    assert_eq!(s.farms().len(), 2);
    assert_eq!(s.steps(), 30);
}

#[test]
fn negative_number() {
    let text = broken("volatility = 0.5", "volatility = -0.5");
    assert_invalid(
        &text,
        "fees.volatility",
        ("volatility = -0.5", "-0.5"),
        "≥ 0",
    );
    let line = "contract = { kind = \"fixed\", price_usd_per_mwh = -40.0 }";
    let text = broken(
        "contract = { kind = \"fixed\", price_usd_per_mwh = 40.0 }",
        line,
    );
    assert_invalid(
        &text,
        "farms[1].contract.price_usd_per_mwh",
        (line, "-40.0"),
        "≥ 0",
    );
    // Inside the second of an array of tables.
    let text = broken("btc_volatility = 0.9", "btc_volatility = -0.9");
    let at = ("btc_volatility = -0.9", "-0.9");
    assert_invalid(&text, "macro.regimes[1].btc_volatility", at, "≥ 0");
    // Inside an inline table of an array.
    let line = "classes = [ { name = \"j20\", installed_ehs = -1.0, efficiency_j_per_th = 20.0 } ]";
    let text = broken(
        "classes = [ { name = \"j20\", installed_ehs = 1000.0, efficiency_j_per_th = 20.0 } ]",
        line,
    );
    assert_invalid(
        &text,
        "rest_of_world.classes[0].installed_ehs",
        (line, "-1.0"),
        "≥ 0",
    );
}

#[test]
fn not_a_number() {
    let text = broken("mean_btc_per_block = 0.03", "mean_btc_per_block = nan");
    let at = ("mean_btc_per_block = nan", "nan");
    assert_invalid(&text, "fees.mean_btc_per_block", at, "finite");
    let text = broken("initial_usd = 90000.0", "initial_usd = inf");
    assert_invalid(
        &text,
        "btc_price.initial_usd",
        ("initial_usd = inf", "inf"),
        "finite",
    );
}

#[test]
fn probability_outside_unit_interval() {
    let text = broken("pool_fee = 0.02", "pool_fee = 1.0");
    assert_invalid(
        &text,
        "farms[0].pool_fee",
        ("pool_fee = 1.0", "1.0"),
        "[0, 1)",
    );
    let text = broken("pool_fee = 0.02", "pool_fee = -0.01");
    assert_invalid(
        &text,
        "farms[0].pool_fee",
        ("pool_fee = -0.01", "-0.01"),
        "[0, 1)",
    );
}

#[test]
fn empty_fleet() {
    let text = broken(
        "fleet = [ { model = \"S19\", units = 100, th_per_unit = 100.0, efficiency_j_per_th = 30.0 } ]",
        "fleet = []",
    );
    assert_invalid(&text, "farms[1].fleet", ("fleet = []", "[]"), "empty");
}

#[test]
fn step_of_zero_days() {
    let text = broken("step_days = 1", "step_days = 0");
    assert_invalid(&text, "step_days", ("step_days = 0", "0"), "at least 1");
}

#[test]
fn horizon_shorter_than_one_step() {
    let text =
        broken("step_days = 1", "step_days = 7").replace("horizon_days = 30", "horizon_days = 6");
    let at = ("horizon_days = 6", "6");
    assert_invalid(&text, "horizon_days", at, "shorter than one step");
}

#[test]
fn unknown_key() {
    let text = broken("volatility = 0.4", "volatilty = 0.4");
    assert_syntax(&text, ("volatilty", "volatilty"), &["volatilty"]);
    // A whole unknown table.
    let text = BASE.replace("[btc_price]", "[btc_prices]");
    assert_syntax(&text, ("btc_prices", "btc_prices"), &["btc_prices"]);
}

#[test]
fn missing_key() {
    let text = broken("initial_usd = 90000.0", "");
    let err = Scenario::from_toml_str(&text).expect_err("refused");
    assert!(matches!(err, ScenarioError::Syntax { .. }), "{err:?}");
    assert!(err.to_string().contains("initial_usd"), "{err}");
}

/// A type error is located and names the field and what was found (the
/// TOML deserializer's own message gives the position but not the key).
#[test]
fn wrong_type_names_the_field() {
    let text = broken("height = 1_000_000", "height = \"one million\"");
    let at = ("height = \"one", "\"one");
    assert_syntax(&text, at, &["network.height", "string"]);
    let text = broken("btc_drift = 0.1", "btc_drift = \"fast\"");
    let at = ("btc_drift = \"fast\"", "\"fast\"");
    assert_syntax(&text, at, &["macro.regimes[0].btc_drift", "string"]);
    let text = broken("step_days = 1", "step_days = -1");
    assert_syntax(&text, ("step_days = -1", "-1"), &["step_days", "-1"]);
}

#[test]
fn unknown_regime_in_transitions() {
    let line = "transitions = { peace = 6.0 }";
    let text = broken("transitions = { calm = 6.0 }", line);
    assert_invalid(
        &text,
        "macro.regimes[1].transitions.peace",
        (line, "6.0"),
        "peace",
    );
    let text = broken("initial_regime = \"calm\"", "initial_regime = \"peace\"");
    let at = ("initial_regime = \"peace\"", "\"peace\"");
    assert_invalid(&text, "macro.initial_regime", at, "peace");
}

#[test]
fn duplicate_farm_names() {
    let text = broken("name = \"peer\"", "name = \"operator\"");
    let err = Scenario::from_toml_str(&text).expect_err("refused");
    assert!(matches!(err, ScenarioError::Invalid { .. }), "{err:?}");
    assert_eq!(err.field(), Some("farms[1].name"));
    // Located at the second farm's name.
    let ScenarioError::Invalid {
        position, message, ..
    } = &err
    else {
        unreachable!()
    };
    let line = BASE
        .lines()
        .position(|l| l == "name = \"peer\"")
        .expect("line")
        + 1;
    assert_eq!(*position, Some(Position { line, column: 8 }), "{err}");
    assert!(message.contains("operator"), "{err}");
    assert!(err.to_string().contains("farms[1].name"));
}

/// A temporary file holding `bytes`.
fn temp_file(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

#[test]
fn not_a_text_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nul = temp_file(dir.path(), "nul.toml", b"name = \"x\"\0\nstep_days = 1\n");
    let latin1 = temp_file(dir.path(), "latin1.toml", b"name = \"caf\xe9\"\n");
    let binary = temp_file(dir.path(), "png.toml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    for path in [nul, latin1, binary] {
        let err = Scenario::from_path(&path).expect_err("refused");
        match &err {
            ScenarioError::NotText { origin } => assert_eq!(origin, &path.display().to_string()),
            other => panic!("expected NotText for {}, got {other:?}", path.display()),
        }
        let shown = err.to_string();
        assert!(shown.contains(&path.display().to_string()), "{shown}");
        assert!(shown.contains("not a text file"), "{shown}");
    }
    // NUL in a string given directly, too.
    let err = Scenario::from_toml_str("name = \"x\0\"").expect_err("refused");
    assert!(matches!(err, ScenarioError::NotText { .. }), "{err:?}");
}

#[test]
fn errors_from_a_file_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = temp_file(
        dir.path(),
        "neg.toml",
        broken("volatility = 0.5", "volatility = -0.5").as_bytes(),
    );
    let err = Scenario::from_path(&path).expect_err("refused");
    assert!(matches!(err, ScenarioError::Invalid { .. }), "{err:?}");
    let line = BASE
        .lines()
        .position(|l| l == "volatility = 0.5")
        .expect("line")
        + 1;
    assert!(
        err.to_string()
            .starts_with(&format!("{}:{line}:14: fees.volatility", path.display())),
        "{err}"
    );
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("does-not-exist.toml");
    let err = Scenario::from_path(&path).expect_err("refused");
    match &err {
        ScenarioError::Io { path: p, source } => {
            assert_eq!(p, &path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert!(err.to_string().contains("does-not-exist.toml"), "{err}");
}

// ---------------------------------------------------------------------------
// The binary
// ---------------------------------------------------------------------------

/// Runs `hashwatt run <scenario> --out <dir>/out` and checks the failure.
#[track_caller]
fn assert_binary_refuses(dir: &Path, scenario: &Path, says: &str) {
    let out_dir = dir.join("out");
    for args in [
        vec![
            "run",
            scenario.to_str().expect("utf-8"),
            "--out",
            out_dir.to_str().expect("utf-8"),
            "--paths",
            "10",
        ],
        vec!["validate", scenario.to_str().expect("utf-8")],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_hashwatt"))
            .args(&args)
            .output()
            .expect("the binary starts");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} must fail");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: an error, not a crash: {stderr}"
        );
        assert!(stderr.contains("error"), "{stderr}");
        assert!(stderr.contains(says), "stderr says `{says}`: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
        assert!(
            out.stdout.is_empty(),
            "nothing on stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    assert!(
        !out_dir.exists(),
        "no output directory for a refused scenario"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging directory left: {leftovers:?}"
    );
}

#[test]
fn binary_refuses_a_bad_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = temp_file(
        dir.path(),
        "bad.toml",
        broken("pool_fee = 0.02", "pool_fee = 1.5").as_bytes(),
    );
    assert_binary_refuses(dir.path(), &path, "farms[0].pool_fee");
}

#[test]
fn binary_refuses_a_syntax_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = broken("volatility = 0.4", "volatilty = 0.4");
    let at = position_of(&text, "volatilty");
    let path = temp_file(dir.path(), "bad.toml", text.as_bytes());
    let want = format!("bad.toml:{}:{}", at.line, at.column);
    assert_binary_refuses(dir.path(), &path, &want);
}

#[test]
fn binary_refuses_a_binary_file_and_a_missing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = temp_file(dir.path(), "bin.toml", b"\xff\xfe\0\x01");
    assert_binary_refuses(dir.path(), &path, "not a text file");
    let missing = dir.path().join("missing.toml");
    assert_binary_refuses(dir.path(), &missing, "missing.toml");
}
