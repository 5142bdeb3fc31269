//! Historical replay: prices and fees read from CSV files in place of
//! their stochastic processes.

mod common;

use std::path::{Path, PathBuf};

use hashwatt::Scenario;
use hashwatt::engine::trace;

const SCENARIO: &str = concat!(
    r#"name = "replay"
start_date = "2024-03-01"
step_days = 1
horizon_days = 10

[network]
height = 832_000
difficulty_ehs = 580.0

[fees]
replay = { file = "fees.csv", value_column = "fees_btc_per_day", scale = 0.006944444444444444 }

[btc_price]
replay = { file = "price.csv", date_column = "DateTime", value_column = "Price" }

"#,
    common::calm_regime!(),
    common::power_factor!(),
    r#"[rest_of_world]
median_power_price_usd_per_mwh = 45.0
price_dispersion = 0.4
classes = [ { name = "j25", installed_ehs = 600.0, efficiency_j_per_th = 25.0 } ]
"#,
);

/// Prices: a row per day from 2024-02-28 except 2024-03-04 and 2024-03-05
/// (a gap), quoted dates with a time, a byte-order mark, an empty column.
const PRICE: &str = "\u{feff}\"DateTime\",\"Price\",\"SMA (200)\"
\"2024-02-28 00:00:00\",57000.5,
\"2024-02-29 00:00:00\",61000.0,
\"2024-03-01 00:00:00\",62000.0,
\"2024-03-02 00:00:00\",62500.0,
\"2024-03-03 00:00:00\",63000.0,
\"2024-03-06 00:00:00\",66000.0,
\"2024-03-07 00:00:00\",67000.0,
\"2024-03-08 00:00:00\",68000.0,
\"2024-03-09 00:00:00\",69000.0,
\"2024-03-10 00:00:00\",70000.0,
\"2024-03-11 00:00:00\",71000.0,
";

fn fees_csv() -> String {
    let mut text = String::from("date,fees_btc_per_day\n");
    for d in 1..=12 {
        text.push_str(&format!("2024-03-{d:02},{}\n", 10.0 * f64::from(d)));
    }
    text
}

/// A directory with the scenario and its CSVs, `edit` applied to each.
fn setup(edit: impl Fn(&str, String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: String| {
        std::fs::write(dir.path().join(name), edit(name, text)).expect("write");
    };
    write("price.csv", PRICE.to_string());
    write("fees.csv", fees_csv());
    write("s.toml", SCENARIO.to_string());
    let file = dir.path().join("s.toml");
    (dir, file)
}

fn load(file: &Path) -> Scenario {
    Scenario::from_path(file).expect("a valid scenario")
}

#[test]
fn every_path_sees_the_replayed_prices_and_fees() {
    let (_dir, file) = setup(|_, t| t);
    let s = load(&file);
    let want_price = [
        62000.0, 62500.0, 63000.0, 63000.0, 63000.0, 66000.0, 67000.0, 68000.0, 69000.0, 70000.0,
    ];
    assert_eq!(s.initial_btc_price(), 62000.0);
    for path in 0..3 {
        let t = trace(&s, 9, path);
        assert_eq!(t.series("btc_price_usd").unwrap(), want_price);
        let fees = t.series("fee_btc_per_block").unwrap();
        for (step, &f) in fees.iter().enumerate() {
            let want = 10.0 * (step as f64 + 1.0) * 0.006944444444444444;
            assert_eq!(f, want, "step {step}");
        }
    }
}

#[test]
fn weekly_steps_take_the_last_value_on_or_before_their_date() {
    let (_dir, file) = setup(|name, t| {
        if name == "s.toml" {
            t.replace("step_days = 1", "step_days = 3")
        } else {
            t
        }
    });
    let t = trace(&load(&file), 1, 0);
    // Days 0, 3, 6: 03-01, 03-04 (no row: 03-03's value), 03-07.
    assert_eq!(
        t.series("btc_price_usd").unwrap(),
        [62000.0, 63000.0, 67000.0]
    );
}

/// Asserts that the scenario, with `edit` applied, is refused on `field`
/// with a message containing `says`.
#[track_caller]
fn refused(edit: impl Fn(&str, String) -> String, field: &str, says: &str) {
    let (_dir, file) = setup(edit);
    let err = Scenario::from_path(&file).expect_err("refused");
    assert_eq!(err.field(), Some(field), "{err}");
    assert!(err.to_string().contains(says), "{err}");
}

fn in_file(
    which: &'static str,
    from: &'static str,
    to: &'static str,
) -> impl Fn(&str, String) -> String {
    move |name, text| {
        if name == which {
            text.replace(from, to)
        } else {
            text
        }
    }
}

#[test]
fn bad_replays_are_refused_naming_the_field_and_the_line() {
    refused(
        in_file("s.toml", "file = \"price.csv\"", "file = \"nowhere.csv\""),
        "btc_price.replay.file",
        "nowhere.csv",
    );
    refused(
        in_file(
            "s.toml",
            "value_column = \"Price\"",
            "value_column = \"Close\"",
        ),
        "btc_price.replay.value_column",
        "its columns are DateTime, Price, SMA (200)",
    );
    refused(
        in_file(
            "price.csv",
            "\"2024-03-07 00:00:00\"",
            "\"2024-03-01 12:00:00\"",
        ),
        "btc_price.replay.file",
        "line 8: 2024-03-01 does not follow 2024-03-06",
    );
    refused(
        in_file("price.csv", "68000.0", "sixty-eight"),
        "btc_price.replay.file",
        "line 9: `sixty-eight` is not a number",
    );
    refused(
        in_file("price.csv", "68000.0", "-68000.0"),
        "btc_price.replay.file",
        "is not a price",
    );
    refused(
        in_file(
            "price.csv",
            "\"2024-03-10 00:00:00\",70000.0,\n\"2024-03-11 00:00:00\",71000.0,\n",
            "",
        ),
        "btc_price.replay.file",
        "covers 2024-02-28 to 2024-03-09; the run needs 2024-03-01 to 2024-03-10",
    );
    refused(
        in_file("s.toml", "horizon_days = 10", "horizon_days = 12"),
        "btc_price.replay.file",
        "the run needs 2024-03-01 to 2024-03-12",
    );
    refused(
        in_file(
            "s.toml",
            "start_date = \"2024-03-01\"",
            "start_date = \"2024-02-27\"",
        ),
        "fees.replay.file",
        "covers 2024-03-01 to 2024-03-12; the run needs 2024-02-27 to 2024-03-07",
    );
    refused(
        in_file(
            "s.toml",
            "[btc_price]\n",
            "[btc_price]\ninitial_usd = 60000.0\n",
        ),
        "btc_price.initial_usd",
        "either",
    );
    refused(
        in_file("s.toml", "scale = 0.006944444444444444", "scale = -1.0"),
        "fees.replay.scale",
        "> 0",
    );
    // A misspelt key is a syntax error, located.
    let (_dir, file) = setup(in_file(
        "s.toml",
        "replay = { file = \"fees.csv\"",
        "xreplay = { file = \"fees.csv\"",
    ));
    let err = Scenario::from_path(&file).expect_err("refused");
    assert!(
        err.to_string()
            .contains(":11:1: fees.xreplay: unknown field"),
        "{err}"
    );
}

/// A replay of the public price history in `../shared/calibration` (the
/// test says so and passes where that folder is absent).
#[test]
fn the_public_price_history_replays() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/calibration/data/targeted_nakamoto_2009_2025/price.csv");
    if !data.is_file() {
        eprintln!("skipped: {} is absent", data.display());
        return;
    }
    let text = SCENARIO
        .replace("horizon_days = 10", "horizon_days = 365")
        .replace(
            "file = \"price.csv\"",
            &format!("file = {:?}", data.display().to_string()),
        );
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("fees.csv"), {
        let mut t = String::from("date,fees_btc_per_day\n2024-01-01,20\n");
        t.push_str("2025-12-31,20\n");
        t
    })
    .expect("write");
    let file = dir.path().join("s.toml");
    std::fs::write(&file, text).expect("write");
    let s = load(&file);
    let prices = s.btc_price_replay().expect("replayed");
    assert_eq!(prices.len(), 365);
    // 2024-03-01 .. 2025-02-28: between 50 k and 110 k USD every day.
    assert!(
        prices.iter().all(|p| (50_000.0..110_000.0).contains(p)),
        "{prices:?}"
    );
    let summary = hashwatt::simulate(&s, &hashwatt::RunConfig::new(1, 64)).expect("runs");
    let recorded = summary.series("btc_price_usd").expect("recorded");
    for (stats, &p) in recorded.iter().zip(prices) {
        assert_eq!(stats.mean, p);
        assert_eq!(stats.std, 0.0, "every path sees the same price");
    }
}
