//! The 2024 backtest (`scenarios/backtest-2024.toml`, docs/backtest.md):
//! the scenario validates and runs against the public data in
//! `../shared/calibration/data`, replays the price and fees of the data
//! and starts at the network's actual hashrate. Skipped, with a message,
//! where the data are absent.

use std::path::{Path, PathBuf};

use hashwatt::{RunConfig, Scenario, simulate};

/// The data set the backtest reads, or `None` (with a message) if absent.
fn data_set() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/calibration/data");
    if !root.is_dir() {
        eprintln!(
            "skipped: {} is absent (the backtest reads the public data there)",
            root.display()
        );
        return None;
    }
    Some(root.join("targeted_nakamoto_2009_2025"))
}

/// The value of `column` in the row of `path` dated `date`, read
/// independently of the crate's replay: the first column holds the dates
/// (`2024-03-01` or `"2024-03-01 00:00:00"`), the header may start with a
/// byte-order mark and quote its names.
fn csv_value(path: &Path, column: &str, date: &str) -> f64 {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let unquote = |cell: &str| {
        cell.trim()
            .trim_start_matches('\u{feff}')
            .trim_matches('"')
            .to_string()
    };
    let mut lines = text.lines();
    let header = lines.next().expect("a header row");
    let at = header
        .split(',')
        .position(|name| unquote(name) == column)
        .unwrap_or_else(|| panic!("{} has no column {column}", path.display()));
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if unquote(cells[0]).starts_with(date) {
            return cells[at]
                .trim()
                .parse()
                .unwrap_or_else(|e| panic!("{}: {line}: {e}", path.display()));
        }
    }
    panic!("{} has no row dated {date}", path.display())
}

#[test]
fn the_2024_backtest_replays_the_data_and_starts_at_the_actual_hashrate() {
    let Some(data) = data_set() else {
        return;
    };
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/backtest-2024.toml");
    let scenario = Scenario::from_path(&file).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        scenario.btc_price_replay().is_some(),
        "the price is replayed"
    );
    assert!(scenario.fee_replay().is_some(), "the fees are replayed");
    let start = scenario.start_date().to_string();

    let summary = simulate(&scenario, &RunConfig::new(1, 64)).expect("runs");
    assert_eq!(summary.dates()[0], start);

    // The recorded price is the CSV's on the start date, on every path, and
    // the same on every path at every step.
    let price = summary.series("btc_price_usd").expect("recorded");
    assert_eq!(price.len(), scenario.steps());
    let want = csv_value(&data.join("price.csv"), "Price", &start);
    assert_eq!(price[0].mean, want);
    for (t, step) in price.iter().enumerate() {
        assert_eq!(step.std, 0.0, "step {t}: every path sees the same price");
        assert_eq!(step.quantiles[0], step.mean, "step {t}: p5");
        assert_eq!(step.quantiles[4], step.mean, "step {t}: p95");
    }

    // The fee per block on day 0 is the day's total fees over 144 blocks.
    let fee = &summary.series("fee_btc_per_block").expect("recorded")[0];
    let want = csv_value(&data.join("bitcoin_mining_data_daily.csv"), "fees", &start) / 144.0;
    assert!(
        (fee.mean - want).abs() <= 1e-12 * want,
        "fee {} against {want}",
        fee.mean
    );
    assert_eq!(fee.std, 0.0, "every path sees the same fees");

    // Day 0: the simulated hashrate is within 10 % of the actual one
    // (hashrate.csv is in H/s).
    let actual = csv_value(&data.join("hashrate.csv"), "Hash Rate", &start) / 1e18;
    let simulated = summary.series("hashrate_ehs").expect("recorded")[0].mean;
    assert!(
        (simulated / actual - 1.0).abs() <= 0.10,
        "day-0 hashrate: simulated {simulated:.1} EH/s, actual {actual:.1} EH/s on {start}"
    );
}
