//! `hashwatt sweep`: parsing and refusing `--vary`, the points a sweep
//! runs, and results checked against plain runs and against the
//! analytic effect of a fixed contract's price.

mod common;

use hashwatt::stats::FarmMeasure;
use std::path::{Path, PathBuf};
use std::process::Command;

use hashwatt::scenario::Override;
use hashwatt::stats::Summary;
use hashwatt::sweep::{FarmHeadline, Mode, SweepError, SweepResult, Vary, plan};
use hashwatt::{RunConfig, Scenario, simulate};

use common::{calm_regime, power_factor, rest_of_world_j20, small_world_header};

/// The small world with one farm outside the regions on a fixed contract
/// at 30 USD/MWh: its S21s break even near 95 USD/MWh at the starting
/// hashprice (~41 USD/PH/day), so over 30 days at prices of 20-40 they
/// run on every path and step (a halving of the hashprice in a month is a
/// five-sigma move): the farm's decisions do not depend on the price.
const WORLD: &str = concat!(
    small_world_header!("sweep", "30"),
    calm_regime!(),
    power_factor!(),
    rest_of_world_j20!(),
    r#"[[farms]]
name = "operator"
pool_fee = 0.02
availability = 0.97
contract = { kind = "fixed", price_usd_per_mwh = 30.0 }
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
"#
);

const PRICE: &str = "farms[0].contract.price_usd_per_mwh";

/// The world written to a fresh directory; returns (directory, file).
fn world() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("world.toml");
    std::fs::write(&file, WORLD).expect("written");
    (dir, file)
}

fn vary(text: &str) -> Vary {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} should parse: {e}"))
}

/// Every number of a point's results as JSON text: equal text is equal
/// bits (shortest round-trip form; NaN is `null` on both sides).
fn bits<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_string(x).expect("serialisable")
}

fn headlines(summary: &Summary) -> Vec<FarmHeadline> {
    summary
        .farms()
        .iter()
        .map(|f| FarmHeadline::read(summary, f.name()))
        .collect()
}

#[test]
fn vary_parsing() {
    // (text, Ok((path, lo, hi, n)) or Err(part of the message))
    type Case = (
        &'static str,
        Result<(&'static str, f64, f64, usize), &'static str>,
    );
    let cases: [Case; 17] = [
        (
            "fees.volatility=0.3..0.7:5",
            Ok(("fees.volatility", 0.3, 0.7, 5)),
        ),
        (
            "farms[0].contract.price_usd_per_mwh=30..60:2",
            Ok((PRICE, 30.0, 60.0, 2)),
        ),
        (" x = -5 .. 5 : 3 ", Ok(("x", -5.0, 5.0, 3))),
        ("x=1e-3..2.5e-3:4", Ok(("x", 1e-3, 2.5e-3, 4))),
        ("x=1_000..2_000:3", Ok(("x", 1000.0, 2000.0, 3))),
        ("x=-2..-1:2", Ok(("x", -2.0, -1.0, 2))),
        ("x", Err("expected PATH=LO..HI:N")),
        ("=1..2:3", Err("not of the form")),
        ("a..b=1..2:3", Err("not of the form")),
        ("x=1..2", Err("expected :N")),
        ("x=1-2:3", Err("expected LO..HI")),
        ("x=a..2:3", Err("LO `a` is not a number")),
        ("x=1..2:three", Err("N `three` is not a whole number")),
        ("x=1..inf:3", Err("must be finite")),
        ("x=2..1:3", Err("LO (2) must be less than HI (1)")),
        ("x=1..2:1", Err("N (1) must be at least 2")),
        ("x=1..2:5000", Err("more than the 1000")),
    ];
    for (text, expected) in cases {
        match (text.parse::<Vary>(), expected) {
            (Ok(v), Ok((path, lo, hi, n))) => {
                assert_eq!(
                    (v.path(), v.lo(), v.hi(), v.count()),
                    (path, lo, hi, n),
                    "{text}"
                )
            }
            (Err(e), Err(part)) => {
                let message = e.to_string();
                assert!(message.contains(part), "{text}: {message}");
                if !matches!(e, SweepError::TooManyPoints { .. }) {
                    assert!(message.starts_with(&format!("--vary {text}:")), "{message}");
                }
            }
            (got, want) => panic!("{text}: got {got:?}, expected {want:?}"),
        }
    }
}

#[test]
fn values_are_evenly_spaced_and_end_at_hi() {
    assert_eq!(vary("x=0..1:5").values(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    // 0.1 + 0.2·(2/2) would round past 0.3: the last value is HI itself.
    assert_eq!(vary("x=0.1..0.3:3").values().last(), Some(&0.3));
}

/// Bad `--vary`s the scenario refuses, each with the part of the message
/// that says why; every message names the `--vary` as given.
const REFUSED: [(&str, &str); 7] = [
    ("fees.no_such_key=1..2:3", "no field `fees.no_such_key`"),
    ("farms[3].pool_fee=0..0.5:3", "no field `farms[3].pool_fee`"),
    ("name=1..2:3", "is a string, not a number"),
    ("farms[0].contract=1..2:3", "is a table, not a number"),
    (
        "farms[0].fleet[0].units=200..300:4",
        "is an integer but the grid needs 233.3",
    ),
    (
        "farms[0].pool_fee=0.5..1.5:3",
        "the scenario refuses the value 1:",
    ),
    ("horizon_days=0..30:2", "the scenario refuses the value 0:"),
];

#[test]
fn bad_varies_are_refused_naming_them() {
    let (_dir, file) = world();
    for (text, why) in REFUSED {
        let err = plan(&file, &[], &[vary(text)], Mode::Grid, None).expect_err(text);
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("--vary {text}: ")),
            "{message}"
        );
        assert!(message.contains(why), "{text}: {message}");
    }
    // One at a time too, and the refused field is the one blamed, not the
    // first axis.
    let good = vary("fees.volatility=0.3..0.7:3");
    let err = plan(
        &file,
        &[],
        &[good, vary("farms[0].pool_fee=0.5..1.5:3")],
        Mode::OneAtATime,
        None,
    )
    .expect_err("pool fee of 1");
    assert!(
        matches!(&err, SweepError::Refused { vary, value, .. }
        if vary == "farms[0].pool_fee=0.5..1.5:3" && *value == 1.0),
        "{err}"
    );
    assert!(err.to_string().contains("pool_fee"), "{err}");
}

#[test]
fn duplicate_fields_empty_sweeps_too_many_points_and_unknown_outputs_are_refused() {
    let (_dir, file) = world();
    let twice = [
        vary("fees.volatility=0.3..0.7:3"),
        vary("fees.volatility=0.1..0.2:2"),
    ];
    let err = plan(&file, &[], &twice, Mode::Grid, None).unwrap_err();
    assert!(matches!(err, SweepError::Duplicate { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("--vary fees.volatility=0.1..0.2:2:"),
        "{err}"
    );
    let err = plan(&file, &[], &[], Mode::Grid, None).unwrap_err();
    assert!(matches!(err, SweepError::NothingToVary), "{err}");
    // 40 × 30 = 1200 points in a grid; one at a time it is 1 + 70.
    let big = [
        vary("fees.volatility=0.3..0.7:40"),
        vary(&format!("{PRICE}=20..40:30")),
    ];
    let err = plan(&file, &[], &big, Mode::Grid, None).unwrap_err();
    assert!(
        err.to_string().contains("1200 points, more than the 1000"),
        "{err}"
    );
    let oat = plan(&file, &[], &big, Mode::OneAtATime, None).expect("71 points");
    assert_eq!(oat.points(), 71);
    for name in [
        "farms.nobody.margin_usd.mean",
        "farms.operator.margin.mean",
        "farms.operator.margin_usd.median",
        "series.no_such.mean",
        "series.btc_price_usd.mean@2031-01-01",
    ] {
        let err = plan(
            &file,
            &[],
            &[vary("fees.volatility=0.3..0.7:3")],
            Mode::Grid,
            Some(name),
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("--output {name}: no such output")),
            "{message}"
        );
        assert!(message.contains("<farm> one of: operator"), "{message}");
        assert!(message.contains("margin_usd"), "{message}");
    }
}

#[test]
fn outputs_resolve() {
    let (_dir, file) = world();
    let v = [vary("fees.volatility=0.3..0.7:3")];
    for name in [
        "farms.operator.npv_usd.p50",
        "farms.operator.insolvency_probability",
        "farms.operator.var95_margin_usd",
        "hashrate_growth.annualised_growth.mean",
        "series.btc_price_usd.p95",
        "series.btc_price_usd.mean@2026-01-15",
    ] {
        let p = plan(&file, &[], &v, Mode::Grid, Some(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.output(), name);
    }
    let p = plan(&file, &[], &v, Mode::Grid, None).expect("default output");
    assert_eq!(p.output(), "farms.operator.margin_usd.mean");
}

/// Runs a sweep of the contract price over `prices` (`LO..HI:N`).
fn price_sweep(file: &Path, prices: &str, mode: Mode, paths: u64) -> SweepResult {
    let plan = plan(file, &[], &[vary(&format!("{PRICE}={prices}"))], mode, None).expect("plan");
    plan.run(&RunConfig::new(11, paths)).expect("run")
}

#[test]
fn power_cost_is_linear_and_margin_falls_with_a_fixed_price() {
    let (_dir, file) = world();
    let prices = [20.0, 25.0, 30.0, 35.0, 40.0];
    let scenarios: Vec<Summary> = prices
        .iter()
        .map(|p| {
            let set: Override = format!("{PRICE}={p:?}").parse().expect("override");
            let s = Scenario::from_path_with(&file, &[set]).expect("scenario");
            simulate(&s, &RunConfig::new(11, 2000)).expect("run")
        })
        .collect();
    let result = price_sweep(&file, "20..40:5", Mode::Grid, 2000);
    assert_eq!(result.points.len(), 5);
    let farm = |s: &Summary| s.farm("operator").expect("the farm").clone();
    // The decisions do not depend on the price: the same BTC mined and
    // uptime, bit for bit, at every price (common random numbers).
    let first = farm(&scenarios[0]);
    for s in &scenarios {
        assert_eq!(
            farm(s).measure(FarmMeasure::BtcMined),
            first.measure(FarmMeasure::BtcMined)
        );
        assert_eq!(
            farm(s).measure(FarmMeasure::Uptime),
            first.measure(FarmMeasure::Uptime)
        );
    }
    // Then each path's power cost is Σ_t fl(E_t·p): p times the path's
    // energy, up to (T + 1) roundings of relative u = 2⁻⁵³ per path (T =
    // 30 steps, positive terms), and the mean over 2000 paths adds at
    // most ~140 more (lanes of ≤ 250 terms, exact sums across chunks):
    // cost/p agrees between prices within 2·172·u ≈ 4e-14. Test 1e-12.
    let energy =
        |s: &Summary, p: f64| farm(s).measure(FarmMeasure::PowerCost).statistics().mean / p;
    let e0 = energy(&scenarios[0], prices[0]);
    for (s, &p) in scenarios.iter().zip(&prices) {
        let e = energy(s, p);
        assert!(
            ((e - e0) / e0).abs() < 1e-12,
            "power cost / price at {p}: {e} vs {e0}"
        );
    }
    // The margin falls with the price: by exactly the extra power cost
    // (up to the rounding of the margin's larger terms), strictly in the
    // mean and in every quantile.
    let margins: Vec<_> = scenarios
        .iter()
        .map(|s| farm(s).measure(FarmMeasure::Margin).statistics())
        .collect();
    for k in 1..prices.len() {
        let (a, b) = (&margins[k - 1], &margins[k]);
        assert!(b.mean < a.mean, "{} → {}", a.mean, b.mean);
        for q in 0..5 {
            assert!(
                b.quantiles[q] <= a.quantiles[q],
                "quantile {q} at {}",
                prices[k]
            );
        }
        let drop = a.mean - b.mean;
        let extra_cost = e0 * (prices[k] - prices[k - 1]);
        assert!(
            (drop - extra_cost).abs() < 1e-9 * a.mean.abs(),
            "{drop} vs {extra_cost}"
        );
    }
    // The sweep's points are those runs, bit for bit, and its line and
    // tornado read them.
    for (k, (point, s)) in result.points.iter().zip(&scenarios).enumerate() {
        assert_eq!(point.values, vec![prices[k]]);
        assert_eq!(bits(&point.farms), bits(&headlines(s)), "point {k}");
        assert_eq!(point.output.value.to_bits(), margins[k].mean.to_bits());
        assert_eq!(point.output.stderr.to_bits(), margins[k].stderr.to_bits());
    }
    let line = &result.lines[0];
    assert_eq!(line.points.iter().map(|p| p.x).collect::<Vec<_>>(), prices);
    assert!(
        line.points
            .windows(2)
            .all(|w| w[1].output.value < w[0].output.value)
    );
    let bar = &result.tornado[0];
    assert_eq!((bar.lo_value, bar.hi_value), (20.0, 40.0));
    assert_eq!(bar.swing, margins[4].mean - margins[0].mean);
    assert!(bar.swing < 0.0);
    // The scenario's own price, 30, is a grid value: the base point.
    assert_eq!(result.base_point, 2);
    assert_eq!(bar.base, result.points[2].output);
}

#[test]
fn one_at_a_time_base_point_and_every_point_equal_plain_runs() {
    let (_dir, file) = world();
    let volatility = "fees.volatility=0.3..0.7:2";
    let varies = [vary(&format!("{PRICE}=20..40:3")), vary(volatility)];
    let plan = plan(
        &file,
        &[],
        &varies,
        Mode::OneAtATime,
        Some("farms.operator.npv_usd.p50"),
    )
    .expect("plan");
    // Base + 3 + 2 points; price 30 is the scenario's own: run once.
    assert_eq!(plan.points(), 6);
    assert_eq!(plan.points_to_run(), 5);
    let config = RunConfig::new(5, 1500);
    let result = plan.run(&config).expect("run");
    let base = simulate(&Scenario::from_path(&file).expect("scenario"), &config).expect("run");
    assert_eq!(result.base_point, 0);
    assert_eq!(bits(&result.points[0].farms), bits(&headlines(&base)));
    let npv = &base
        .farm("operator")
        .expect("farm")
        .measure(FarmMeasure::Npv);
    assert_eq!(
        result.points[0].output.value.to_bits(),
        npv.quantile(0.5).to_bits()
    );
    // Point k is `run --set <its overrides>`, bit for bit.
    for (k, point) in result.points.iter().enumerate() {
        let sets: Vec<Override> = point.sets.iter().map(|s| s.parse().expect("set")).collect();
        let s = Scenario::from_path_with(&file, &sets).expect("scenario");
        let summary = simulate(&s, &config).expect("run");
        assert_eq!(
            bits(&point.farms),
            bits(&headlines(&summary)),
            "point {k}: {:?}",
            point.sets
        );
    }
    assert_eq!(result.points[1].sets, vec![format!("{PRICE}=20.0")]);
    assert_eq!(result.points[1].values, vec![20.0, 0.5]);
    assert_eq!(result.points[4].varies, Some(1));
    // Lines hold each field's own points; the tornado is sorted by |swing|.
    assert_eq!(
        result.lines[0]
            .points
            .iter()
            .map(|p| p.point)
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        result.lines[1]
            .points
            .iter()
            .map(|p| p.point)
            .collect::<Vec<_>>(),
        [4, 5]
    );
    let swings: Vec<f64> = result.tornado.iter().map(|b| b.swing.abs()).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
    for bar in &result.tornado {
        assert_eq!(bar.base, result.points[0].output);
        let e = bar.at_lo.stderr.hypot(bar.at_hi.stderr);
        assert_eq!(bar.swing_stderr, e);
    }
}

#[test]
fn grid_points_and_marginal_lines() {
    let (_dir, file) = world();
    // The scenario's volatility is 0.5: the closest grid value of
    // 0.2, 0.45, 0.7 is 0.45.
    let varies = [
        vary(&format!("{PRICE}=20..40:2")),
        vary("fees.volatility=0.2..0.7:3"),
    ];
    let result = plan(&file, &[], &varies, Mode::Grid, None)
        .expect("plan")
        .run(&RunConfig::new(3, 1000))
        .expect("run");
    let values: Vec<Vec<f64>> = result.points.iter().map(|p| p.values.clone()).collect();
    assert_eq!(
        values,
        vec![
            vec![20.0, 0.2],
            vec![20.0, 0.45],
            vec![20.0, 0.7],
            vec![40.0, 0.2],
            vec![40.0, 0.45],
            vec![40.0, 0.7],
        ]
    );
    assert_eq!(
        result.points[4].sets,
        vec![format!("{PRICE}=40.0"), "fees.volatility=0.45".to_string()]
    );
    // Price 30 is as close to 20 as to 40: the lower; volatility 0.45.
    assert_eq!(result.base_point, 1);
    assert_eq!(
        result.lines[0]
            .points
            .iter()
            .map(|p| p.point)
            .collect::<Vec<_>>(),
        [1, 4]
    );
    assert_eq!(
        result.lines[1]
            .points
            .iter()
            .map(|p| p.point)
            .collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let price_bar = result
        .tornado
        .iter()
        .find(|b| b.field == PRICE)
        .expect("a bar");
    assert_eq!(price_bar.at_lo, result.points[1].output);
    assert_eq!(price_bar.at_hi, result.points[4].output);
}

fn hashwatt(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hashwatt"))
        .args(args)
        .output()
        .expect("hashwatt runs")
}

#[test]
fn cli_refuses_bad_varies_before_writing_anything() {
    let (dir, file) = world();
    let out = dir.path().join("out");
    let syntax = ["x=2..1:3", "x=1..2:1", "x=1..nan:2", "x"];
    for text in REFUSED.iter().map(|(t, _)| *t).chain(syntax) {
        let o = hashwatt(&[
            "sweep",
            file.to_str().expect("utf-8"),
            "--vary",
            text,
            "--out",
            out.to_str().expect("utf-8"),
            "--paths",
            "10",
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{text}");
        assert!(stderr.contains(text), "{text}: {stderr}");
        assert!(!out.exists(), "{text}: {} was written", out.display());
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(left.len(), 1, "{text}: only the scenario is there");
    }
}

#[test]
fn cli_writes_sweep_json_and_csv_and_prints_the_tornado() {
    let (dir, file) = world();
    let out = dir.path().join("out");
    let o = hashwatt(&[
        "sweep",
        file.to_str().expect("utf-8"),
        "--vary",
        &format!("{PRICE}=20..40:3"),
        "--vary",
        "fees.volatility=0.3..0.7:2",
        "--one-at-a-time",
        "--output",
        "farms.operator.insolvency_probability",
        "--out",
        out.to_str().expect("utf-8"),
        "--paths",
        "200",
        "--seed",
        "4",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout.starts_with("farms.operator.insolvency_probability: base - "),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("{PRICE}  20 -> -")), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sweep.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["mode"], "one_at_a_time");
    assert_eq!(json["points"].as_array().expect("points").len(), 6);
    assert_eq!(json["tornado"].as_array().expect("bars").len(), 2);
    // The farm has no balance sheet: it cannot fail, so it has no
    // P(insolvency) (null), not 0.
    assert!(json["points"][0]["output"]["value"].is_null());
    let csv = std::fs::read_to_string(out.join("sweep.csv")).expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7, "{csv}");
    assert!(lines[0].starts_with(&format!("point,{PRICE},fees.volatility,output,output_stderr,output_lo,output_hi,farms.operator.margin_usd.mean,")), "{}", lines[0]);
    assert!(lines[2].starts_with("1,20,0.5,,,,"), "{}", lines[2]);
    // The page beside them: the tornado and a line per field.
    let page = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(page.contains("<figure id=\"fig-tornado\">"));
    for chart in [
        "tornado",
        "line-farms-0-contract-price-usd-per-mwh",
        "line-fees-volatility",
    ] {
        assert!(out.join(format!("charts/{chart}.svg")).is_file(), "{chart}");
    }
    // The same sweep again, with another thread count: the same bytes.
    let again = dir.path().join("again");
    let o = hashwatt(&[
        "sweep",
        file.to_str().expect("utf-8"),
        "--vary",
        &format!("{PRICE}=20..40:3"),
        "--vary",
        "fees.volatility=0.3..0.7:2",
        "--one-at-a-time",
        "--output",
        "farms.operator.insolvency_probability",
        "--out",
        again.to_str().expect("utf-8"),
        "--paths",
        "200",
        "--seed",
        "4",
        "--threads",
        "1",
    ]);
    assert!(o.status.success());
    let same = |f: &str| std::fs::read(out.join(f)).ok() == std::fs::read(again.join(f)).ok();
    assert!(same("sweep.csv") && same("sweep.json"));
    // A sweep's folder is a hashwatt result: a later sweep replaces it.
    let o = hashwatt(&[
        "sweep",
        file.to_str().expect("utf-8"),
        "--vary",
        "fees.volatility=0.3..0.7:2",
        "--out",
        out.to_str().expect("utf-8"),
        "--paths",
        "50",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let csv = std::fs::read_to_string(out.join("sweep.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 3);
}
