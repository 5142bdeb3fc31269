//! The pages of a comparison and of a sweep (`report.html` and `charts/`
//! beside `compare.json` or `sweep.json`): a small operator comparison
//! (a contract price of 42 against 50 USD/MWh) and a one-at-a-time sweep,
//! checked for their figures (each a chart file with data inside its plot),
//! self-containment, the tables in words (a farm without a balance sheet
//! "cannot fail"), `hashwatt report` on their folders, and rendered in
//! headless Chromium.

#[path = "common/pages.rs"]
mod pages;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hashwatt::engine::{Comparison, Control, compare};
use hashwatt::report::{
    COMPARE_FILE, REPORT_FILE, ReportError, render_compare, write_comparison, write_report,
    write_sweep,
};
use hashwatt::scenario::Override;
use hashwatt::sweep::{Mode, SweepResult, plan};
use hashwatt::{RunConfig, Scenario};

use pages::{assert_drawn, assert_rendered_figures, assert_self_contained, chromium, render};

const OPERATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");
const PRICE: &str = "farms[0].contract.price_usd_per_mwh";

fn set(text: &str) -> Override {
    text.parse().expect("a valid override")
}

/// The operator over 800 days (its replacement lot of 2027-08 inside, and
/// failures with it) at the contract price `price`.
fn operator(price: f64) -> Scenario {
    let changes = [set("horizon_days=800"), set(&format!("{PRICE}={price}"))];
    Scenario::from_path_with(OPERATOR, &changes).expect("valid")
}

/// 200 paths of the operator at 42 (A) and 50 USD/MWh (B).
fn comparison() -> &'static Comparison {
    static COMPARISON: OnceLock<Comparison> = OnceLock::new();
    COMPARISON.get_or_init(|| {
        compare(
            &[operator(42.0), operator(50.0)],
            &RunConfig::new(3, 200),
            Control::NONE,
        )
        .expect("comparable")
    })
}

/// The comparison written to a fresh folder.
fn compare_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("cmp");
    let files = ["a.toml".to_string(), "b.toml".to_string()];
    write_comparison(&dir, comparison(), &files, "{}\n").expect("written");
    (tmp, dir)
}

/// A one-at-a-time sweep of the operator's contract price and PUE, 100
/// paths a point over 400 days.
fn sweep() -> &'static SweepResult {
    static SWEEP: OnceLock<SweepResult> = OnceLock::new();
    SWEEP.get_or_init(|| {
        let varies = [
            format!("{PRICE}=35..55:3").parse().expect("vary"),
            "farms[0].pue=1.03..1.15:3".parse().expect("vary"),
        ];
        let plan = plan(
            Path::new(OPERATOR),
            &[set("horizon_days=400")],
            &varies,
            Mode::OneAtATime,
            None,
        )
        .expect("plan");
        plan.run(&RunConfig::new(5, 100)).expect("run")
    })
}

fn sweep_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("sweep");
    write_sweep(&dir, sweep()).expect("written");
    (tmp, dir)
}

/// The compare page's charts for the operator: the interval charts of the
/// key measures, then the differences over time that are not 0 on every
/// path (the BTC price, hashrate and hashprice do not depend on one
/// farm's contract; the cash does).
const COMPARE_CHARTS: [&str; 6] = [
    "difference-margin-usd",
    "difference-npv-usd",
    "difference-cash-cost-per-btc-usd",
    "difference-insolvency-probability",
    "difference-farm-operator-cash-usd",
    "difference-farm-operator-insolvent-fraction",
];

#[test]
fn the_compare_page_has_its_charts_with_data_and_its_tables() {
    let (_tmp, dir) = compare_dir();
    let shown = assert_self_contained(&dir);
    for name in COMPARE_CHARTS {
        assert!(shown.iter().any(|s| s == name), "{name} missing: {shown:?}");
    }
    for name in &shown {
        // An interval chart has a dot per farm; a fan or line many points
        // over the dates.
        let over_time =
            name.starts_with("difference-farm") || name.starts_with("difference-region");
        assert_drawn(&dir, name, if over_time { 3 } else { 1 }, over_time);
    }
    let html = std::fs::read_to_string(dir.join(REPORT_FILE)).expect("page");
    assert!(html.contains("B − A ± 1 standard error"));
    assert!(html.contains("90 % of paths: B − A from p5 to p95"));
    assert!(html.contains("P(B better)") && html.contains("variance reduction"));
    assert!(html.contains("<code>a.toml</code>") && html.contains("Seed 3, 200 paths"));
    // The hydro farm has no balance sheet: "cannot fail", and no
    // P(insolvency) row (no "0 ± 0") in its table.
    let hydro = html
        .split("<h3>operator-hydro</h3>")
        .nth(1)
        .expect("the hydro farm's table");
    let hydro = hydro.split("</table>").next().expect("its table");
    assert!(hydro.contains("cannot fail"), "{hydro}");
    assert!(!hydro.contains(">P(insolvency)</td>"), "{hydro}");
    let operator = html
        .split("<h3>operator</h3>")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the operator's table");
    assert!(operator.contains(">P(insolvency)</td>"));
    assert!(!operator.contains("cannot fail"));
    // B pays more for its power: a lower margin, on most paths.
    let margin = operator
        .split("<td class=\"what\">operating margin, USD</td>")
        .nth(1)
        .expect("margin row");
    let cells: Vec<&str> = margin
        .split("</tr>")
        .next()
        .expect("row")
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap_or(""))
        .collect();
    assert!(cells[2].starts_with('-'), "{cells:?}");
    let p_better: f64 = cells[4]
        .trim_end_matches(" %")
        .parse()
        .expect("a percentage");
    assert!(p_better < 50.0, "{cells:?}");
    // The series B does not move are said to be 0, not drawn.
    assert!(html.contains("exactly 0 on every path"));
    assert!(!shown.iter().any(|s| s == "difference-btc-price-usd"));
    // No long tails of digits anywhere in the tables.
    for cell in html.split("<td class=\"num\">").skip(1) {
        let cell = cell.split("</td>").next().unwrap_or("");
        let digits = cell.chars().filter(char::is_ascii_digit).count();
        assert!(digits <= 12, "a number too long to read: {cell}");
    }
}

#[test]
fn report_rewrites_the_compare_page_from_compare_json() {
    let (_tmp, dir) = compare_dir();
    let first = std::fs::read(dir.join(REPORT_FILE)).expect("page");
    std::fs::remove_file(dir.join(REPORT_FILE)).expect("rm");
    std::fs::remove_dir_all(dir.join("charts")).expect("rm");
    let path = write_report(&dir).expect("report");
    assert_eq!(path, dir.join(REPORT_FILE));
    assert_eq!(std::fs::read(&path).expect("page"), first, "the same page");
    assert_self_contained(&dir);
    // A damaged compare.json is refused, naming it, and leaves no page.
    std::fs::write(dir.join(COMPARE_FILE), "{ not json").expect("damage");
    std::fs::remove_file(dir.join(REPORT_FILE)).expect("rm");
    let err = write_report(&dir).expect_err("damaged");
    assert!(matches!(err, ReportError::Result { .. }), "{err}");
    assert!(err.to_string().contains("compare.json"), "{err}");
    assert!(!dir.join(REPORT_FILE).exists());
    assert!(render_compare("{}", "x.json").is_err());
}

#[test]
fn the_sweep_page_has_the_tornado_lines_and_every_point() {
    let (_tmp, dir) = sweep_dir();
    let shown = assert_self_contained(&dir);
    assert_eq!(
        shown,
        [
            "tornado",
            "line-farms-0-contract-price-usd-per-mwh",
            "line-farms-0-pue"
        ]
    );
    assert_drawn(&dir, "tornado", 4, true);
    for line in &shown[1..] {
        assert_drawn(&dir, line, 3, true);
    }
    let tornado = std::fs::read_to_string(dir.join("charts/tornado.svg")).expect("svg");
    for want in [
        PRICE,
        "farms[0].pue",
        "95 % interval (Monte Carlo error) of each end",
    ] {
        assert!(tornado.contains(want), "{want} not in the tornado");
    }
    let html = std::fs::read_to_string(dir.join(REPORT_FILE)).expect("page");
    assert!(html.contains("one at a time: the scenario itself"));
    assert!(html.contains("<code>horizon_days=400</code>"));
    assert!(html.contains("<tr><th>paths per point</th><td>100</td></tr>"));
    assert!(html.contains("<tr><th>seed</th><td>5</td></tr>"));
    // A table per farm, a row per point (the base shaded), and "cannot
    // fail" for the farm without a balance sheet, with no P(insolvency)
    // column.
    let points = sweep().points.len();
    assert_eq!(points, 7);
    for farm in ["operator", "operator-hydro"] {
        let table = html
            .split(&format!("<h3>{farm}</h3>"))
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .expect("the farm's table");
        assert_eq!(table.matches("<tr").count(), points + 1, "{farm}");
        assert_eq!(table.matches("<tr class=\"base\">").count(), 1, "{farm}");
        let can_fail = farm == "operator";
        assert_eq!(
            table.contains("<th class=\"num\">P(insolvency)</th>"),
            can_fail
        );
        assert_eq!(table.contains("cannot fail"), !can_fail, "{farm}");
    }
    // A sweep's folder has no state: `report` says what to do.
    let err = write_report(&dir).expect_err("a sweep");
    assert!(err.to_string().contains("rerun the sweep"), "{err}");
}

/// Both pages in headless Chromium: each loads without a console error,
/// its screenshot is not blank, and every figure is rendered with its
/// drawing area.
#[test]
fn chromium_renders_the_compare_and_sweep_pages() {
    let Some(chromium) = chromium() else { return };
    for (tmp, dir) in [compare_dir(), sweep_dir()] {
        let expected = assert_self_contained(&dir);
        let dom = render(chromium, &dir.join(REPORT_FILE), tmp.path(), 3000, 60_000);
        assert_rendered_figures(&dom, &expected);
    }
}
