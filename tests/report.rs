//! The HTML report: a small operator run (200 paths, a shortened horizon)
//! written as `report.html` and `charts/`, checked for structure (every
//! chart present, with data drawn inside its plot), self-containment (no
//! script, no address), its inputs table, its failure modes (complete or
//! absent), the terminal summary, and rendered in headless Chromium.

#[path = "common/pages.rs"]
mod pages;

use hashwatt::stats::FarmMeasure;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hashwatt::report::{
    INPUTS_FILE, InputChange, REPORT_FILE, ReportError, RunInputs, StateFile, render_report,
    terminal_summary, write_report, write_results,
};
use hashwatt::scenario::Override;
use hashwatt::stats::Summary;
use hashwatt::{RunConfig, Scenario, simulate};

use pages::{
    assert_nothing_to_fetch, assert_rendered_figures, canvas, chromium, data_points, render,
};

const OPERATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");

/// 200 paths of the operator scenario over 800 days (three cost-curve
/// dates, the replacement lot of 2027-08 inside the horizon).
fn summary() -> &'static Summary {
    static SUMMARY: OnceLock<Summary> = OnceLock::new();
    SUMMARY.get_or_init(|| {
        let set: Override = "horizon_days=800".parse().expect("override");
        let scenario = Scenario::from_path_with(OPERATOR, &[set]).expect("operator scenario");
        simulate(&scenario, &RunConfig::new(3, 200)).expect("run")
    })
}

fn inputs(summary: &Summary) -> RunInputs {
    RunInputs {
        scenario_file: "scenarios/operator.toml".into(),
        scenario_name: summary.scenario_name().to_string(),
        description: Some("a test <run>".into()),
        extends: vec!["ai-squeeze.toml".into()],
        changes: vec![InputChange {
            field: "farms[0].contract.price_usd_per_mwh".into(),
            value: "42.0".into(),
            base: None,
            origin: "scenarios/operator.toml".into(),
        }],
        overrides: vec!["horizon_days=800".into()],
        seed: summary.identity().seed,
        paths: summary.identity().paths,
        version: summary.identity().version.clone(),
        scenario_sha256: "0".repeat(64),
    }
}

/// A result directory of the run, with `inputs.json` if `with_inputs`.
fn result_dir(with_inputs: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("op");
    write_results(
        &dir,
        summary(),
        &[("run.json".to_string(), b"{}\n".to_vec())],
        StateFile::Write,
    )
    .expect("results");
    if with_inputs {
        let json = serde_json::to_string(&inputs(summary())).expect("json");
        std::fs::write(dir.join(INPUTS_FILE), json).expect("inputs");
    }
    (tmp, dir)
}

/// Every chart the operator run's report must have.
const CHARTS: [&str; 23] = [
    "btc-price",
    "hashrate",
    "hashprice",
    "power-price-ercot",
    "power-price-pjm",
    "power-price-hydro",
    "cash-operator",
    "insolvency-operator",
    "margin-operator",
    "npv-operator",
    "margin-operator-hydro",
    "npv-operator-hydro",
    "cost-curve-2026-01-01",
    "cost-curve-2027-01-01",
    "cost-curve-2028-01-01",
    "growth-annualised",
    "growth-levels",
    "region-mw-ercot",
    "region-mw-pjm",
    "region-mw-hydro",
    "curtailment-ercot",
    "curtailment-hydro",
    "curtailment-pjm",
];

#[test]
fn every_chart_is_present_with_data_in_its_plot() {
    let (_tmp, dir) = result_dir(true);
    let path = write_report(&dir).expect("report");
    assert_eq!(path, dir.join(REPORT_FILE));
    let html = std::fs::read_to_string(&path).expect("html");
    for name in CHARTS {
        let svg = std::fs::read_to_string(dir.join(format!("charts/{name}.svg")))
            .unwrap_or_else(|e| panic!("charts/{name}.svg: {e}"));
        assert!(
            html.contains(&format!("<figure id=\"fig-{name}\"><svg")),
            "{name} not on the page"
        );
        assert!(!svg.contains("No data"), "{name} has no data");
        let (w, h) = canvas(&svg);
        let pts = data_points(&svg);
        // Below the header (title and legend, at most ~100 px) and inside
        // the canvas, spread over a good part of its width.
        let inside: Vec<&(f64, f64)> = pts
            .iter()
            .filter(|(x, y)| *x > 60.0 && *x < w && *y > 40.0 && *y < h)
            .collect();
        assert!(
            inside.len() >= 3,
            "{name}: {} data points inside the plot",
            inside.len()
        );
        let (lo, hi) = inside
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
                (lo.min(*x), hi.max(*x))
            });
        assert!(
            hi - lo > w / 10.0,
            "{name}: data spans {lo}..{hi} of {w} px"
        );
    }
    let figures = html.matches("<figure id=").count();
    assert_eq!(figures, CHARTS.len());
    let files = std::fs::read_dir(dir.join("charts"))
        .expect("charts")
        .count();
    assert_eq!(files, figures, "each figure is also a file");
}

#[test]
fn the_page_is_self_contained_small_and_printable() {
    let report = render_report(summary(), Some(&inputs(summary()))).expect("report");
    let html = &report.html;
    assert!(html.len() < 5_000_000, "{} bytes", html.len());
    assert_nothing_to_fetch(html);
    assert!(html.contains("@media print"));
    // The standalone files keep their namespace (needed outside HTML).
    assert!(report.charts.iter().all(|(_, svg)| svg.contains("xmlns=")));
}

#[test]
fn the_headline_and_inputs_are_in_words() {
    let report = render_report(summary(), Some(&inputs(summary()))).expect("report");
    let html = &report.html;
    assert!(html.contains("<h3>operator</h3>") && html.contains("<h3>operator-hydro</h3>"));
    assert!(html.contains("cannot fail: the farm has no balance sheet"));
    assert!(html.contains("P(insolvency): "));
    assert!(html.contains("cash cost per BTC, USD/BTC"));
    // The inputs table: the change, the override, escaped text, and the
    // hash in inputs.json checked against the state's scenario.
    assert!(html.contains("<code>farms[0].contract.price_usd_per_mwh</code>"));
    assert!(html.contains("horizon_days=800"));
    assert!(html.contains("a test &lt;run&gt;"));
    assert!(html.contains("the inputs may belong to another run"));
    assert!(html.contains("What the model leaves out"));
    let bare = render_report(summary(), None).expect("report").html;
    assert!(bare.contains("did not record its inputs"));
    assert!(bare.contains(&format!(
        "<tr><th>seed</th><td>{}</td></tr>",
        summary().identity().seed
    )));
}

#[test]
fn terminal_summary_fits_100_columns() {
    let text = terminal_summary(summary());
    println!("{text}");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    assert!(text.starts_with("operator: 200 paths, 2026-01-01 to "));
    for want in [
        "farm operator\n",
        "farm operator-hydro\n",
        "cash cost per BTC, USD/BTC",
        "VaR95 of the margin, USD",
        "P(insolvency)",
        "cannot fail",
        "payback",
    ] {
        assert!(text.contains(want), "missing {want:?}");
    }
    // The operating margin's median, with a suffix, as summary.json has it.
    let median = summary()
        .farm("operator")
        .unwrap()
        .measure(FarmMeasure::Margin)
        .quantile(0.5);
    let row = text
        .lines()
        .find(|l| l.contains("operating margin, USD"))
        .unwrap();
    assert!(
        row.contains(&hashwatt::report::format::compact(median)),
        "{row}"
    );
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != hashwatt::report::MANIFEST_FILE)
        .collect()
}

#[test]
fn bad_inputs_leave_no_report_and_no_temporary_files() {
    let (_tmp, dir) = result_dir(false);
    std::fs::write(dir.join(INPUTS_FILE), "{ not json").expect("write");
    let err = write_report(&dir).expect_err("damaged inputs");
    assert!(matches!(err, ReportError::Inputs { .. }), "{err}");
    assert!(!dir.join(REPORT_FILE).exists() && !dir.join("charts").exists());
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    let empty = tempfile::tempdir().expect("tempdir");
    let err = write_report(empty.path()).expect_err("no state");
    assert!(matches!(err, ReportError::State(_)), "{err}");
    assert!(err.to_string().contains("state.bin"));
    // A second report replaces the first, charts and all.
    std::fs::remove_file(dir.join(INPUTS_FILE)).expect("rm");
    write_report(&dir).expect("first");
    std::fs::write(dir.join("charts/stale.svg"), "old").expect("stale");
    write_report(&dir).expect("second");
    assert!(!dir.join("charts/stale.svg").exists());
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}

#[test]
fn a_world_without_farms_or_regions_still_reports() {
    let scenario = Scenario::from_toml_str(
        r#"
        name = "bare"
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
        initial_usd = 90_000.0
        [[macro.regimes]]
        name = "calm"
        btc_drift = 0.10
        btc_volatility = 0.50
        [power_factor]
        mean_reversion = 3.0
        volatility = 0.40
        [rest_of_world]
        median_power_price_usd_per_mwh = 45.0
        price_dispersion = 0.35
        classes = [ { name = "frontier", installed_ehs = 1000.0, efficiency_j_per_th = 18.0 } ]
        "#,
    )
    .expect("scenario");
    let summary = simulate(&scenario, &RunConfig::new(1, 50)).expect("run");
    let report = render_report(&summary, None).expect("report");
    assert!(report.html.contains("This scenario has no farms"));
    assert!(report.charts.iter().any(|(n, _)| n == "btc-price"));
    assert!(!report.charts.iter().any(|(n, _)| n.starts_with("region-")));
    assert!(terminal_summary(&summary).contains("No farms in this scenario"));
}

/// Renders the report in headless Chromium: a screenshot that is not
/// blank, every chart in the rendered DOM with its drawing area, and no
/// console error.
#[test]
fn chromium_renders_the_report() {
    let Some(chromium) = chromium() else { return };
    let (tmp, dir) = result_dir(true);
    let page = write_report(&dir).expect("report");
    // A blank 1280x6000 page compresses to a few kB; the charts' bands and
    // text take far more.
    let dom = render(chromium, &page, tmp.path(), 6000, 100_000);
    let expected: Vec<String> = CHARTS.iter().map(|c| c.to_string()).collect();
    let mut shown = pages::figures(&dom);
    shown.sort();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(shown, sorted, "figures in the rendered page");
    assert_rendered_figures(&dom, &pages::figures(&dom));
}
