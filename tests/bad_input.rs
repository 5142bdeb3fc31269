//! Broken scenarios are refused with a typed error that names the field
//! and, where the position is known, the line and column; the binary exits
//! non-zero with a message on stderr and writes nothing.

mod common;

use std::path::Path;
use std::process::Command;

use hashwatt::Scenario;
use hashwatt::model::allocation::Policy;
use hashwatt::model::farm::Contract;
use hashwatt::scenario::{Position, ScenarioError};

/// A valid scenario; each test breaks one line of it.
const BASE: &str = concat!(
    common::input_world_header!("bad-input"),
    common::calm_conflict_regimes_2_6!(),
    common::power_factor!(),
    r#"[rest_of_world]
median_power_price_usd_per_mwh = 45.0
price_dispersion = 0.35
classes = [ { name = "j20", installed_ehs = 1000.0, efficiency_j_per_th = 20.0 } ]

[[regions]]
name = "tight"
reserve_margin = 0.12
connection_lead_days = 180
scarcity_cap_usd_per_mwh = 5000
policy = "ai_first"
baseline_load = { initial_mw = 50000, growth = 0.02, seasonal_amplitude = 0.15, peak_day_of_year = 220, noise = 0.05 }
supply = [
  { mw = 40000, cost_usd_per_mwh = 10 },
  { mw = 30000, cost_usd_per_mwh = 45, fuel_linked = true },
]
additions = [ { mw = 5000, date = "2027-06-01", cost_usd_per_mwh = 40, delay_median_days = 180, delay_dispersion = 0.5 } ]
hours = { dispersion = 0.3, spike_probability = 0.01, spike_median_usd_per_mwh = 800 }
miners = { connected_mw = 3000, efficiency_j_per_th = 22, requests = [ { mw = 2000, date = "2026-12-01" } ] }

[[datacenters]]
name = "wave"
region = "tight" # where it connects
capex_median_usd = 45e9
cost_median_usd_per_mw = 12e6
start_date = "2026-12-15"
build_days = 1460
load_factor = 0.9
curtailable = 0.1

[[farms]]
name = "operator"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 55.0 }
pool_fee = 0.02

[[farms]]
name = "peer"
region = "tight" # the market it buys in
fleet = [ { model = "S19", units = 100, th_per_unit = 100.0, efficiency_j_per_th = 30.0 } ]
contract = { kind = "index", adder_usd_per_mwh = 5.0 }
"#,
);

/// `BASE` with the one line `from` replaced by `to`.
#[track_caller]
fn broken(from: &str, to: &str) -> String {
    replace_line(BASE, from, to)
}

/// `text` with its one line `from` replaced by `to` (which may hold
/// several lines, or none).
#[track_caller]
fn replace_line(text: &str, from: &str, to: &str) -> String {
    let hits = text.lines().filter(|l| *l == from).count();
    assert_eq!(hits, 1, "`{from}` is one line of the text");
    text.lines()
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
            ..
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
    let [region] = s.regions() else {
        panic!("one region: {:?}", s.regions())
    };
    assert_eq!(region.name(), "tight");
    assert_eq!(region.initial_tranches(), 2);
    // The addition is a third tranche.
    let mw: Vec<f64> = region.stack().tranches().iter().map(|t| t.mw).collect();
    assert_eq!(mw, [40_000.0, 30_000.0, 5_000.0]);
    assert_eq!(region.initial_capacity_mw(), 70_000.0);
    assert_eq!(region.stack().scarcity_cap(), 5_000.0);
    assert_eq!(region.reserve_margin(), 0.12);
    let regimes = region.politics().regimes();
    assert_eq!(regimes.len(), 1);
    assert_eq!(regimes[0].policy, Policy::AiFirst);
    assert_eq!(region.miners().connected_mw(), 3_000.0);
    assert_eq!(region.miners().requests().len(), 1);
    let names: Vec<&str> = region.datacenters().iter().map(|d| d.name()).collect();
    assert_eq!(names, ["wave"]);
    // Only the peer farm is in the region, on an index contract.
    assert_eq!(region.farms(), [1]);
    assert_eq!(s.farms()[0].region(), None);
    assert_eq!(s.farms()[1].region(), Some("tight"));
    assert_eq!(
        s.farms()[1].contract(),
        Contract::Index {
            adder_usd_per_mwh: 5.0
        }
    );
    assert!(region.farm_mw() > 0.0);
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
    let line = "contract = { kind = \"fixed\", price_usd_per_mwh = -55.0 }";
    let text = broken(
        "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0 }",
        line,
    );
    assert_invalid(
        &text,
        "farms[0].contract.price_usd_per_mwh",
        (line, "-55.0"),
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
    let text = broken("height = 1_000_000", "");
    let err = Scenario::from_toml_str(&text).expect_err("refused");
    assert!(matches!(err, ScenarioError::Syntax { .. }), "{err:?}");
    assert!(err.to_string().contains("height"), "{err}");
    // Keys that a replay may replace are checked after parsing.
    let text = broken("initial_usd = 90000.0", "");
    let err = Scenario::from_toml_str(&text).expect_err("refused");
    assert_eq!(err.field(), Some("btc_price.initial_usd"), "{err}");
    assert!(err.to_string().contains("replay"), "{err}");
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
// The grid: regions, data centers and the farms in them
// ---------------------------------------------------------------------------

/// Political regimes and elections for the region of `BASE`, in place of
/// its `policy`.
const POLITICS: &str = r#"[regions.politics]
initial = "neutral"
regimes = [
  { name = "neutral", policy = "first_come", transitions = { ban = 0.1 } },
  { name = "ban", policy = "pro_rata", mining_banned = true },
]
elections = [
  { date = "2026-12-01", outcome = { neutral = 0.5, ban = 0.5 } },
  { date = "2027-11-02", outcome = { neutral = 0.7, ban = 0.3 } },
]
"#;

/// A second, minimal region.
const SLACK: &str = r#"[[regions]]
name = "slack"
reserve_margin = 0.25
scarcity_cap_usd_per_mwh = 3000
baseline_load = { initial_mw = 1000 }
supply = [ { mw = 2000, cost_usd_per_mwh = 30 } ]
"#;

const POLICY: &str = "policy = \"ai_first\"";

/// `text` with `block` (whole lines) put just before `[[datacenters]]`,
/// that is after the tables of the region(s).
fn before_datacenters(text: &str, block: &str) -> String {
    replace_line(
        text,
        "[[datacenters]]",
        &format!("{block}\n[[datacenters]]"),
    )
}

/// `BASE` with the region's `policy` replaced by `POLITICS`.
fn with_politics() -> String {
    before_datacenters(&replace_line(BASE, POLICY, ""), POLITICS)
}

/// `with_politics()` with the one line `from` replaced by `to`.
fn politics_broken(from: &str, to: &str) -> String {
    replace_line(&with_politics(), from, to)
}

const TRANCHE_0: &str = "  { mw = 40000, cost_usd_per_mwh = 10 },";
const TRANCHE_1: &str = "  { mw = 30000, cost_usd_per_mwh = 45, fuel_linked = true },";
const REGIME_0: &str =
    "  { name = \"neutral\", policy = \"first_come\", transitions = { ban = 0.1 } },";
const ELECTION_0: &str = "  { date = \"2026-12-01\", outcome = { neutral = 0.5, ban = 0.5 } },";
const ELECTION_1: &str = "  { date = \"2027-11-02\", outcome = { neutral = 0.7, ban = 0.3 } },";
const DC_REGION: &str = "region = \"tight\" # where it connects";
const FARM_REGION: &str = "region = \"tight\" # the market it buys in";
const BASELINE: &str = "baseline_load = { initial_mw = 50000, growth = 0.02, seasonal_amplitude = 0.15, peak_day_of_year = 220, noise = 0.05 }";
const ADDITIONS: &str = "additions = [ { mw = 5000, date = \"2027-06-01\", cost_usd_per_mwh = 40, delay_median_days = 180, delay_dispersion = 0.5 } ]";
const HOURS: &str =
    "hours = { dispersion = 0.3, spike_probability = 0.01, spike_median_usd_per_mwh = 800 }";
const MINERS: &str = "miners = { connected_mw = 3000, efficiency_j_per_th = 22, requests = [ { mw = 2000, date = \"2026-12-01\" } ] }";

#[test]
fn politics_instead_of_a_policy_is_valid() {
    let s = Scenario::from_toml_str(&with_politics()).expect("valid");
    let chain = &s.regions()[0].politics();
    let names: Vec<&str> = chain.regimes().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["neutral", "ban"]);
    assert_eq!(chain.regimes()[0].policy, Policy::FirstCome);
    assert_eq!(chain.regimes()[1].policy, Policy::ProRata);
    assert!(chain.regimes()[1].mining_banned);
    assert_eq!(chain.initial(), 0);
    let text = politics_broken("initial = \"neutral\"", "initial = \"ban\"");
    let s = Scenario::from_toml_str(&text).expect("valid");
    assert_eq!(s.regions()[0].politics().initial(), 1);
}

#[test]
fn unknown_region() {
    let line = "region = \"loose\" # where it connects";
    let text = broken(DC_REGION, line);
    let at = (line, "\"loose\"");
    assert_invalid(&text, "datacenters[0].region", at, "unknown region `loose`");
    assert_invalid(&text, "datacenters[0].region", at, "expected one of tight");
    // Every known region is listed.
    let text = before_datacenters(&text, SLACK);
    assert_invalid(
        &text,
        "datacenters[0].region",
        at,
        "expected one of tight, slack",
    );
    let line = "region = \"loose\" # the market it buys in";
    let text = broken(FARM_REGION, line);
    let at = (line, "\"loose\"");
    assert_invalid(&text, "farms[1].region", at, "unknown region `loose`");
    assert_invalid(&text, "farms[1].region", at, "expected one of tight");
    // Names are case-sensitive.
    let line = "region = \"Tight\" # the market it buys in";
    let text = broken(FARM_REGION, line);
    assert_invalid(&text, "farms[1].region", (line, "\"Tight\""), "`Tight`");
}

#[test]
fn duplicate_region_and_datacenter_names() {
    let text = before_datacenters(BASE, &SLACK.replace("\"slack\"", "\"tight\""));
    let anchor = "name = \"tight\"\nreserve_margin = 0.25";
    assert_invalid(
        &text,
        "regions[1].name",
        (anchor, "\"tight\""),
        "`tight` is used twice",
    );
    let second = "[[datacenters]]\nname = \"wave\"\nregion = \"tight\"\ncapex_median_usd = 1e9\ncost_median_usd_per_mw = 1e7\nstart_date = \"2027-01-01\"\nbuild_days = 700\n";
    let text = format!("{BASE}\n{second}");
    let anchor = "name = \"wave\"\nregion = \"tight\"\n";
    assert_invalid(
        &text,
        "datacenters[1].name",
        (anchor, "\"wave\""),
        "`wave` is used twice",
    );
}

#[test]
fn tranches_as_ranges() {
    // Ranges that follow each other, alone or after a size, are the sizes.
    let ranges = [
        (
            "  { from_mw = 0, to_mw = 40000, cost_usd_per_mwh = 10 },",
            "  { from_mw = 40000, to_mw = 70000, cost_usd_per_mwh = 45 },",
        ),
        (
            TRANCHE_0,
            "  { from_mw = 40000, to_mw = 70000, cost_usd_per_mwh = 45 },",
        ),
    ];
    for (first, second) in ranges {
        let text = replace_line(&broken(TRANCHE_0, first), TRANCHE_1, second);
        let s = Scenario::from_toml_str(&text).expect("valid");
        let mw: Vec<f64> = s.regions()[0]
            .stack()
            .tranches()
            .iter()
            .map(|t| t.mw)
            .collect();
        assert_eq!(mw, [40_000.0, 30_000.0, 5_000.0], "{first} {second}");
    }
}

#[test]
fn overlapping_tranches() {
    let first = "  { from_mw = 0, to_mw = 40000, cost_usd_per_mwh = 10 },";
    let second = "  { from_mw = 30000, to_mw = 70000, cost_usd_per_mwh = 45 },";
    let text = replace_line(&broken(TRANCHE_0, first), TRANCHE_1, second);
    let field = "regions[0].supply[1].from_mw";
    assert_invalid(&text, field, (second, "30000"), "overlap");
    assert_invalid(&text, field, (second, "30000"), "40000 MW");
    // After a tranche given by its size.
    let text = broken(TRANCHE_1, second);
    assert_invalid(&text, field, (second, "30000"), "overlap");
}

#[test]
fn gap_between_tranches() {
    let first = "  { from_mw = 0, to_mw = 40000, cost_usd_per_mwh = 10 },";
    let second = "  { from_mw = 45000, to_mw = 70000, cost_usd_per_mwh = 45 },";
    let text = replace_line(&broken(TRANCHE_0, first), TRANCHE_1, second);
    let field = "regions[0].supply[1].from_mw";
    assert_invalid(&text, field, (second, "45000"), "gap");
    // The first range must start at 0.
    let first = "  { from_mw = 100, to_mw = 40000, cost_usd_per_mwh = 10 },";
    let text = broken(TRANCHE_0, first);
    assert_invalid(&text, "regions[0].supply[0].from_mw", (first, "100"), "gap");
}

#[test]
fn range_that_ends_before_it_starts() {
    let second = "  { from_mw = 40000, to_mw = 35000, cost_usd_per_mwh = 45 },";
    let text = broken(TRANCHE_1, second);
    let at = (second, "35000");
    assert_invalid(&text, "regions[0].supply[1].to_mw", at, "≥ from_mw");
}

#[test]
fn tranche_without_or_with_both_sizes() {
    let says = "give either `mw`, or both `from_mw` and `to_mw`";
    let field = "regions[0].supply[1].mw";
    // Neither: located at the tranche.
    let line = "  { cost_usd_per_mwh = 45, fuel_linked = true },";
    assert_invalid(&broken(TRANCHE_1, line), field, (line, "{"), says);
    // Both.
    let line = "  { mw = 30000, from_mw = 40000, to_mw = 70000, cost_usd_per_mwh = 45 },";
    assert_invalid(&broken(TRANCHE_1, line), field, (line, "30000"), says);
    // Half a range.
    let line = "  { from_mw = 40000, cost_usd_per_mwh = 45 },";
    assert_invalid(&broken(TRANCHE_1, line), field, (line, "{"), says);
}

#[test]
fn empty_supply() {
    let stack = format!("supply = [\n{TRANCHE_0}\n{TRANCHE_1}\n]\n");
    assert_eq!(BASE.matches(&stack).count(), 1);
    let text = BASE.replace(&stack, "supply = []\n");
    let at = ("supply = []", "[]");
    assert_invalid(&text, "regions[0].supply", at, "empty");
}

#[test]
fn negative_capacity() {
    let line = "  { mw = -1, cost_usd_per_mwh = 10 },";
    let text = broken(TRANCHE_0, line);
    assert_invalid(&text, "regions[0].supply[0].mw", (line, "-1"), "≥ 0");
    let line = ADDITIONS.replace("mw = 5000", "mw = -5000");
    let text = broken(ADDITIONS, &line);
    let at = (line.as_str(), "-5000");
    assert_invalid(&text, "regions[0].additions[0].mw", at, "≥ 0");
    let line = MINERS.replace("connected_mw = 3000", "connected_mw = -3000");
    let text = broken(MINERS, &line);
    let at = (line.as_str(), "-3000");
    assert_invalid(&text, "regions[0].miners.connected_mw", at, "≥ 0");
    let line = MINERS.replace("{ mw = 2000", "{ mw = -2000");
    let text = broken(MINERS, &line);
    let at = (line.as_str(), "-2000");
    assert_invalid(&text, "regions[0].miners.requests[0].mw", at, "≥ 0");
    let line = BASELINE.replace("initial_mw = 50000", "initial_mw = -50000");
    let text = broken(BASELINE, &line);
    let at = (line.as_str(), "-50000");
    assert_invalid(&text, "regions[0].baseline_load.initial_mw", at, "≥ 0");
}

#[test]
fn unknown_policy() {
    let says = "expected ai_first, first_come, pro_rata or auction";
    let line = "policy = \"lottery\"";
    let text = broken(POLICY, line);
    let at = (line, "\"lottery\"");
    assert_invalid(
        &text,
        "regions[0].policy",
        at,
        "unknown allocation policy `lottery`",
    );
    assert_invalid(&text, "regions[0].policy", at, says);
    let line = REGIME_0.replace("\"first_come\"", "\"lottery\"");
    let text = politics_broken(REGIME_0, &line);
    let at = (line.as_str(), "\"lottery\"");
    let field = "regions[0].politics.regimes[0].policy";
    assert_invalid(&text, field, at, "`lottery`");
    assert_invalid(&text, field, at, says);
}

#[test]
fn policy_beside_politics() {
    let text = before_datacenters(BASE, POLITICS);
    let at = (POLICY, "\"ai_first\"");
    assert_invalid(&text, "regions[0].policy", at, "politics");
    // The mining adder too belongs in each political regime.
    let text = before_datacenters(&broken(POLICY, "mining_adder_usd_per_mwh = 10"), POLITICS);
    let at = ("mining_adder_usd_per_mwh = 10", "10");
    assert_invalid(&text, "regions[0].mining_adder_usd_per_mwh", at, "politics");
}

#[test]
fn reserve_margin_outside_unit_interval() {
    let field = "regions[0].reserve_margin";
    let text = broken("reserve_margin = 0.12", "reserve_margin = 1.0");
    assert_invalid(&text, field, ("reserve_margin = 1.0", "1.0"), "[0, 1)");
    let text = broken("reserve_margin = 0.12", "reserve_margin = -0.1");
    assert_invalid(&text, field, ("reserve_margin = -0.1", "-0.1"), "[0, 1)");
}

#[test]
fn election_outcome_not_a_distribution() {
    let line = ELECTION_0.replace("neutral = 0.5, ban = 0.5", "neutral = 1.5");
    let text = politics_broken(ELECTION_0, &line);
    let field = "regions[0].politics.elections[0].outcome.neutral";
    assert_invalid(&text, field, (line.as_str(), "1.5"), "[0, 1]");
    let line = ELECTION_0.replace("neutral = 0.5, ban = 0.5", "neutral = 1.5, ban = -0.5");
    let text = politics_broken(ELECTION_0, &line);
    let field = "regions[0].politics.elections[0].outcome.ban";
    assert_invalid(&text, field, (line.as_str(), "-0.5"), "[0, 1]");
    let line = ELECTION_1.replace("neutral = 0.7, ban = 0.3", "neutral = 0.5, ban = 0.25");
    let text = politics_broken(ELECTION_1, &line);
    let field = "regions[0].politics.elections[1].outcome";
    let at = (line.as_str(), "{ neutral");
    assert_invalid(&text, field, at, "sum to 1, not 0.75");
    // A regime left out has probability 0.
    let line = ELECTION_1.replace("neutral = 0.7, ban = 0.3", "neutral = 0.7");
    let text = politics_broken(ELECTION_1, &line);
    assert_invalid(&text, field, (line.as_str(), "{ neutral"), "sum to 1");
    let line = ELECTION_1.replace("neutral = 0.7, ban = 0.3", "ban = 1.0");
    Scenario::from_toml_str(&politics_broken(ELECTION_1, &line)).expect("valid");
}

#[test]
fn election_dates() {
    let line = ELECTION_1.replace("2027-11-02", "2026-12-01");
    let text = politics_broken(ELECTION_1, &line);
    let field = "regions[0].politics.elections[1].date";
    let at = (line.as_str(), "\"2026-12-01\"");
    assert_invalid(&text, field, at, "elections[0] is on the same day");
    // The same day written another way.
    let line = ELECTION_1.replace("2027-11-02", "20261201");
    let text = politics_broken(ELECTION_1, &line);
    let at = (line.as_str(), "\"20261201\"");
    assert_invalid(&text, field, at, "elections[0] is on the same day");
    let line = ELECTION_0.replace("2026-12-01", "2026-11-01");
    let text = politics_broken(ELECTION_0, &line);
    let field = "regions[0].politics.elections[0].date";
    let at = (line.as_str(), "\"2026-11-01\"");
    assert_invalid(&text, field, at, "before the scenario starts");
    let line = ELECTION_0.replace("2026-12-01", "2026-13-01");
    let text = politics_broken(ELECTION_0, &line);
    let at = (line.as_str(), "\"2026-13-01\"");
    assert_invalid(&text, field, at, "not a date");
}

#[test]
fn unknown_political_regime() {
    let says = "unknown political regime `peace`";
    let line = REGIME_0.replace("{ ban = 0.1 }", "{ peace = 0.1 }");
    let text = politics_broken(REGIME_0, &line);
    let field = "regions[0].politics.regimes[0].transitions.peace";
    assert_invalid(&text, field, (line.as_str(), "0.1"), says);
    assert_invalid(
        &text,
        field,
        (line.as_str(), "0.1"),
        "expected one of neutral, ban",
    );
    let line = "initial = \"peace\"";
    let text = politics_broken("initial = \"neutral\"", line);
    let field = "regions[0].politics.initial";
    assert_invalid(&text, field, (line, "\"peace\""), says);
    assert_invalid(
        &text,
        field,
        (line, "\"peace\""),
        "expected one of neutral, ban",
    );
    let line = ELECTION_0.replace("ban = 0.5", "peace = 0.5");
    let text = politics_broken(ELECTION_0, &line);
    let field = "regions[0].politics.elections[0].outcome.peace";
    assert_invalid(&text, field, ("peace = 0.5", "0.5"), says);
    assert_invalid(
        &text,
        field,
        ("peace = 0.5", "0.5"),
        "expected one of neutral, ban",
    );
    // A regime does not move to itself.
    let line = REGIME_0.replace("{ ban = 0.1 }", "{ neutral = 0.1 }");
    let text = politics_broken(REGIME_0, &line);
    let field = "regions[0].politics.regimes[0].transitions.neutral";
    assert_invalid(&text, field, (line.as_str(), "0.1"), "itself");
}

#[test]
fn duplicate_political_regimes() {
    let line = "  { name = \"neutral\", policy = \"pro_rata\", mining_banned = true },";
    let text = politics_broken(
        "  { name = \"ban\", policy = \"pro_rata\", mining_banned = true },",
        line,
    );
    let at = (line, "\"neutral\"");
    assert_invalid(
        &text,
        "regions[0].politics.regimes[1].name",
        at,
        "used twice",
    );
}

#[test]
fn datacenter_values() {
    let line = "start_date = \"2026-11-01\"";
    let text = broken("start_date = \"2026-12-15\"", line);
    let at = (line, "\"2026-11-01\"");
    assert_invalid(
        &text,
        "datacenters[0].start_date",
        at,
        "before the scenario starts",
    );
    let field = "datacenters[0].load_factor";
    for (line, value) in [("load_factor = 0", "0"), ("load_factor = 1.5", "1.5")] {
        let text = broken("load_factor = 0.9", line);
        assert_invalid(&text, field, (line, value), "(0, 1]");
    }
    let line = "curtailable = 1.5";
    let text = broken("curtailable = 0.1", line);
    assert_invalid(&text, "datacenters[0].curtailable", (line, "1.5"), "[0, 1]");
    let line = "capex_median_usd = -45e9";
    let text = broken("capex_median_usd = 45e9", line);
    assert_invalid(
        &text,
        "datacenters[0].capex_median_usd",
        (line, "-45e9"),
        "> 0",
    );
    let line = "build_days = -1";
    let text = broken("build_days = 1460", line);
    assert_invalid(&text, "datacenters[0].build_days", (line, "-1"), "≥ 0");
}

#[test]
fn spike_probability_of_one() {
    let line = HOURS.replace("spike_probability = 0.01", "spike_probability = 1.0");
    let text = broken(HOURS, &line);
    let field = "regions[0].hours.spike_probability";
    assert_invalid(&text, field, (line.as_str(), "1.0"), "[0, 1)");
}

#[test]
fn scarcity_cap_below_a_cost() {
    let line = "scarcity_cap_usd_per_mwh = 30";
    let text = broken("scarcity_cap_usd_per_mwh = 5000", line);
    let field = "regions[0].scarcity_cap_usd_per_mwh";
    assert_invalid(&text, field, (line, "30"), "at least the cost");
    // Additions count too.
    let line = ADDITIONS.replace("cost_usd_per_mwh = 40", "cost_usd_per_mwh = 6000");
    let text = broken(ADDITIONS, &line);
    let at = ("scarcity_cap_usd_per_mwh = 5000", "5000");
    assert_invalid(&text, field, at, "at least the cost");
}

#[test]
fn contracts_that_need_a_region() {
    let text = broken(FARM_REGION, "");
    let line = "contract = { kind = \"index\", adder_usd_per_mwh = 5.0 }";
    let at = (line, "\"index\"");
    assert_invalid(
        &text,
        "farms[1].contract.kind",
        at,
        "needs the farm's `region`",
    );
    let line = "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0, sell_back = true }";
    let text = broken(
        "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0 }",
        line,
    );
    let at = (line, "true");
    assert_invalid(
        &text,
        "farms[0].contract.sell_back",
        at,
        "needs the farm's `region`",
    );
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

#[test]
fn fleet_figures_come_from_the_machine_library_when_left_out() {
    let from = "fleet = [ { model = \"S21\", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]";
    let s = Scenario::from_toml_str(&broken(
        from,
        "fleet = [ { model = \"S21 XP\", units = 250 } ]",
    ))
    .expect("S21 XP is in the library");
    let lot = &s.farms()[0].fleet()[0];
    let spec = hashwatt::model::machines::lookup("S21 XP").expect("in the library");
    assert_eq!(
        (lot.th_per_unit(), lot.efficiency_j_per_th()),
        (spec.th_per_unit, spec.efficiency_j_per_th)
    );
    // A figure given wins over the library's.
    let line = "fleet = [ { model = \"S21 XP\", units = 250, efficiency_j_per_th = 14.2 } ]";
    let s = Scenario::from_toml_str(&broken(from, line)).expect("valid");
    assert_eq!(s.farms()[0].fleet()[0].efficiency_j_per_th(), 14.2);
    // A model the library does not know needs its figures.
    let line = "fleet = [ { model = \"X99\", units = 250, efficiency_j_per_th = 20.0 } ]";
    let text = broken(from, line);
    let err = Scenario::from_toml_str(&text).expect_err("refused");
    assert_eq!(err.field(), Some("farms[0].fleet[0].th_per_unit"), "{err}");
    assert!(
        err.to_string()
            .contains("`X99` is not in the machine library (S9,"),
        "{err}"
    );
}

#[test]
fn hosted_contracts_take_an_all_in_price_only() {
    let from = "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0 }";
    let ok = broken(
        from,
        "contract = { kind = \"hosted\", price_usd_per_mwh = 70.0 }",
    );
    let s = Scenario::from_toml_str(&ok).expect("valid");
    assert_eq!(
        s.farms()[0].contract().fixed_price_usd_per_mwh(),
        Some(70.0)
    );
    for (line, field, says) in [
        (
            "contract = { kind = \"hosted\" }",
            "farms[0].contract.price_usd_per_mwh",
            "hosted (all-in) contract needs its price",
        ),
        (
            "contract = { kind = \"hosted\", price_usd_per_mwh = 70.0, adder_usd_per_mwh = 2.0 }",
            "farms[0].contract.adder_usd_per_mwh",
            "not an adder",
        ),
        (
            "contract = { kind = \"hosted\", price_usd_per_mwh = 70.0, sell_back = true }",
            "farms[0].contract.sell_back",
            "nothing to sell back",
        ),
        (
            "contract = { kind = \"colocated\", price_usd_per_mwh = 70.0 }",
            "farms[0].contract.kind",
            "expected `fixed`, `hosted` or `index`",
        ),
    ] {
        let err = Scenario::from_toml_str(&broken(from, line)).expect_err("refused");
        assert_eq!(err.field(), Some(field), "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
}

// ---------------------------------------------------------------------------
// Farm finance: machine lots, contract ends and renewals, balance sheets,
// hedges
// ---------------------------------------------------------------------------

const OPERATOR_FLEET: &str =
    "fleet = [ { model = \"S21\", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]";
const OPERATOR_CONTRACT: &str = "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0 }";
const PEER_CONTRACT: &str = "contract = { kind = \"index\", adder_usd_per_mwh = 5.0 }";

/// `BASE` with `line` added to the operator's farm (after its pool fee).
fn operator_with(line: &str) -> String {
    broken("pool_fee = 0.02", &format!("pool_fee = 0.02\n{line}"))
}

#[test]
fn finance_keys_are_read() {
    let fleet = "fleet = [ { model = \"S21\", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5, price_usd = 3500.0, purchased = \"2027-01-03\", life_years = 4 } ]";
    let contract = "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0, end = \"2027-06-12\", renewal = { premium_usd_per_mwh = -2.0, tight_premium_usd_per_mwh = 20.0, tenor_years = 2.0, tight_tenor_years = 0.5 } }";
    let text = broken(OPERATOR_FLEET, fleet);
    let text = replace_line(&text, OPERATOR_CONTRACT, contract);
    let text = replace_line(
        &text,
        "pool_fee = 0.02",
        "pool_fee = 0.02\noverhead_usd_per_day = 800.0\ndiscount_rate = 0.08\nfinance = { cash_usd = 2e6, debt_usd = 5e6, debt_rate = 0.09, amortisation_years = 4 }\nhedge = { share = 0.25, hashprice_usd_per_ph_day = 45.0, start = \"2026-12-01\", tenor_days = 180 }",
    );
    let s = Scenario::from_toml_str(&text).expect("valid");
    let farm = &s.farms()[0];
    let lot = &farm.fleet()[0];
    assert_eq!(
        (lot.price_usd(), lot.purchase_day(), lot.life_days()),
        (3500.0, 40.0, 4.0 * 365.0)
    );
    assert_eq!(
        (farm.overhead_usd_per_day(), farm.discount_rate()),
        (800.0, 0.08)
    );
    let finance = farm.finance().expect("finance");
    assert_eq!(
        (
            finance.cash_usd(),
            finance.debt_usd(),
            finance.debt_rate(),
            finance.amortisation_days()
        ),
        (2e6, 5e6, 0.09, 4.0 * 365.0)
    );
    let hedge = farm.hedge().expect("hedge");
    assert_eq!(
        (
            hedge.share(),
            hedge.hashprice_usd_per_ph_day(),
            hedge.start_day(),
            hedge.end_day()
        ),
        (0.25, 45.0, 7.0, 187.0)
    );
    let renewal = farm.renewal().expect("renewal");
    assert_eq!(
        (
            renewal.end_day(),
            renewal.premium_usd_per_mwh(),
            renewal.tight_premium_usd_per_mwh(),
            renewal.slack_tenor_days(),
            renewal.tight_tenor_days()
        ),
        (200.0, -2.0, 20.0, 730.0, 182.5)
    );
    // Defaults: a five-year life, no balance sheet or hedge, no renewal;
    // an end without a renewal table renews at market for three years.
    let s = Scenario::from_toml_str(BASE).expect("valid");
    let farm = &s.farms()[0];
    assert_eq!(farm.fleet()[0].life_days(), 5.0 * 365.0);
    assert_eq!(farm.fleet()[0].purchase_day(), 0.0);
    assert!(farm.finance().is_none() && farm.hedge().is_none() && farm.renewal().is_none());
    let line = "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0, end = \"2027-06-12\" }";
    let s = Scenario::from_toml_str(&broken(OPERATOR_CONTRACT, line)).expect("valid");
    let renewal = s.farms()[0].renewal().expect("renewal");
    assert_eq!(
        (
            renewal.premium_usd_per_mwh(),
            renewal.slack_tenor_days(),
            renewal.tight_tenor_days()
        ),
        (0.0, 3.0 * 365.0, 3.0 * 365.0)
    );
    // Interest only without an amortisation period.
    let text = operator_with("finance = { cash_usd = 1e6, debt_usd = 1e6, debt_rate = 0.1 }");
    let s = Scenario::from_toml_str(&text).expect("valid");
    let finance = s.farms()[0].finance().expect("finance");
    assert_eq!(finance.amortisation_days(), f64::INFINITY);
}

#[test]
fn balance_sheets_out_of_range() {
    for (line, key, value, says) in [
        ("finance = { cash_usd = -1.0 }", "cash_usd", "-1.0", "≥ 0"),
        (
            "finance = { cash_usd = 1e6, debt_usd = -5.0 }",
            "debt_usd",
            "-5.0",
            "≥ 0",
        ),
        (
            "finance = { cash_usd = 1e6, debt_usd = 1e6, debt_rate = 1.5 }",
            "debt_rate",
            "1.5",
            "[0, 1]",
        ),
        (
            "finance = { cash_usd = 1e6, debt_usd = 1e6, debt_rate = -0.1 }",
            "debt_rate",
            "-0.1",
            "[0, 1]",
        ),
        (
            "finance = { cash_usd = 1e6, debt_usd = 1e6, debt_rate = 0.1, amortisation_years = 0 }",
            "amortisation_years",
            "0 }",
            "> 0",
        ),
    ] {
        let text = operator_with(line);
        let field = format!("farms[0].finance.{key}");
        assert_invalid(&text, &field, (line, value), says);
    }
    let text = operator_with("finance = { debt_usd = 1e6 }");
    let at = ("finance = { debt_usd = 1e6 }", "{ debt_usd");
    assert_syntax(&text, at, &["cash_usd"]);
}

#[test]
fn hedges_out_of_range() {
    for (line, key, value, says) in [
        (
            "hedge = { share = 0.0, hashprice_usd_per_ph_day = 45.5, tenor_days = 365 }",
            "share",
            "0.0",
            "(0, 1]",
        ),
        (
            "hedge = { share = 1.5, hashprice_usd_per_ph_day = 45.0, tenor_days = 365 }",
            "share",
            "1.5",
            "(0, 1]",
        ),
        (
            "hedge = { share = 0.5, hashprice_usd_per_ph_day = -45.0, tenor_days = 365 }",
            "hashprice_usd_per_ph_day",
            "-45.0",
            "≥ 0",
        ),
        (
            "hedge = { share = 0.5, hashprice_usd_per_ph_day = 45.0, tenor_days = 0 }",
            "tenor_days",
            "0 }",
            "> 0",
        ),
        (
            "hedge = { share = 0.5, hashprice_usd_per_ph_day = 45.0, start = \"2027-02-30\", tenor_days = 90 }",
            "start",
            "\"2027-02-30\"",
            "not a date",
        ),
    ] {
        let text = operator_with(line);
        let field = format!("farms[0].hedge.{key}");
        assert_invalid(&text, &field, (line, value), says);
    }
}

#[test]
fn machine_lots_out_of_range() {
    let lot = |extra: &str| {
        format!(
            "fleet = [ {{ model = \"S21\", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5, {extra} }} ]"
        )
    };
    for (extra, key, value, says) in [
        ("price_usd = -100.0", "price_usd", "-100.0", "≥ 0"),
        ("life_years = 0", "life_years", "0 }", "> 0"),
        ("life_years = -1.5", "life_years", "-1.5", "> 0"),
        (
            "purchased = \"2026-13-01\"",
            "purchased",
            "\"2026-13-01\"",
            "not a date",
        ),
        (
            "purchased = \"24/11/2026\"",
            "purchased",
            "\"24/11/2026\"",
            "not a date",
        ),
    ] {
        let line = lot(extra);
        let text = broken(OPERATOR_FLEET, &line);
        let field = format!("farms[0].fleet[0].{key}");
        assert_invalid(&text, &field, (line.as_str(), value), says);
    }
    // The second lot of a fleet is named by its index.
    let line = "fleet = [ { model = \"S21\", units = 250 }, { model = \"S21\", units = 10, purchased = \"2027-02-29\" } ]";
    let text = broken(OPERATOR_FLEET, line);
    let at = (line, "\"2027-02-29\"");
    assert_invalid(&text, "farms[0].fleet[1].purchased", at, "not a date");
}

#[test]
fn contract_ends_and_renewals_out_of_range() {
    let fixed = |extra: &str| {
        format!("contract = {{ kind = \"fixed\", price_usd_per_mwh = 55.0, {extra} }}")
    };
    for (extra, key, value, says) in [
        // A renewal needs the end it follows.
        (
            "renewal = { premium_usd_per_mwh = 5.0 }",
            "renewal",
            "{ premium",
            "needs the contract's `end` date",
        ),
        // An end before the start, or on it.
        (
            "end = \"2026-01-01\"",
            "end",
            "\"2026-01-01\"",
            "is not after the scenario's start",
        ),
        (
            "end = \"2026-11-24\"",
            "end",
            "\"2026-11-24\"",
            "is not after the scenario's start",
        ),
        (
            "end = \"2027-02-29\"",
            "end",
            "\"2027-02-29\"",
            "not a date",
        ),
        // Tight markets shorten tenors, never lengthen them (the default
        // tenor is three years).
        (
            "end = \"2027-06-12\", renewal = { tenor_years = 1.0, tight_tenor_years = 2.0 }",
            "renewal.tight_tenor_years",
            "2.0 }",
            "longer than `tenor_years`",
        ),
        (
            "end = \"2027-06-12\", renewal = { tight_tenor_years = 4.0 }",
            "renewal.tight_tenor_years",
            "4.0 }",
            "longer than `tenor_years`",
        ),
        (
            "end = \"2027-06-12\", renewal = { tenor_years = 0.0 }",
            "renewal.tenor_years",
            "0.0 }",
            "> 0",
        ),
        (
            "end = \"2027-06-12\", renewal = { tight_premium_usd_per_mwh = -3.0 }",
            "renewal.tight_premium_usd_per_mwh",
            "-3.0",
            "≥ 0",
        ),
    ] {
        let line = fixed(extra);
        let text = broken(OPERATOR_CONTRACT, &line);
        let field = format!("farms[0].contract.{key}");
        assert_invalid(&text, &field, (line.as_str(), value), says);
    }
    // Only a fixed contract ends: not an index one, nor a hosted one.
    let line = "contract = { kind = \"index\", adder_usd_per_mwh = 5.0, end = \"2027-06-12\" }";
    let text = broken(PEER_CONTRACT, line);
    let at = (line, "\"2027-06-12\"");
    assert_invalid(&text, "farms[1].contract.end", at, "only a fixed contract");
    let line = "contract = { kind = \"hosted\", price_usd_per_mwh = 70.0, end = \"2027-06-12\" }";
    let text = broken(OPERATOR_CONTRACT, line);
    let at = (line, "\"2027-06-12\"");
    assert_invalid(&text, "farms[0].contract.end", at, "only a fixed contract");
}
