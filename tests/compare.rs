//! `engine::compare`: scenarios on common random numbers, paired against
//! the first. Each scenario's own summary has the bits of a plain run; the
//! differences are exact for identical scenarios, cover only what the
//! scenarios share, have the same bits for any thread count, and pairing
//! shrinks the error of a difference by the factor theory predicts.

use hashwatt::stats::FarmMeasure;
use std::sync::atomic::{AtomicBool, Ordering};

use hashwatt::engine::{Comparison, Control, EngineError, PairedMeasure, compare};
use hashwatt::report::{Tables, compare_json, summary_json};
use hashwatt::scenario::Override;
use hashwatt::stats::Better;
use hashwatt::{RunConfig, Scenario, simulate};

const MARGIN: PairedMeasure = PairedMeasure::Farm(FarmMeasure::Margin);

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
const OPERATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/operator.toml");

fn set(text: &str) -> Override {
    text.parse().expect("a valid override")
}

/// reference-core with `horizon` days and the farm's fixed price `price`.
fn reference(horizon: u32, price: f64) -> Scenario {
    let changes = [
        set(&format!("horizon_days={horizon}")),
        set(&format!("farms[0].contract.price_usd_per_mwh={price}")),
    ];
    Scenario::from_path_with(REFERENCE, &changes).expect("valid")
}

/// The operator (a leveraged farm in a region, with data centers) over
/// `horizon` days, at contract price `price`.
fn operator(horizon: u32, price: f64) -> Scenario {
    let changes = [
        set(&format!("horizon_days={horizon}")),
        set(&format!("farms[0].contract.price_usd_per_mwh={price}")),
    ];
    Scenario::from_path_with(OPERATOR, &changes).expect("valid")
}

fn config(seed: u64, paths: u64, threads: usize) -> RunConfig {
    RunConfig {
        threads: Some(threads),
        ..RunConfig::new(seed, paths)
    }
}

fn run(scenarios: &[Scenario], config: &RunConfig) -> Comparison {
    compare(scenarios, config, Control::NONE).expect("comparable")
}

fn json(c: &Comparison) -> String {
    compare_json(c, &["a.toml".to_string(), "b.toml".to_string()])
}

#[test]
fn each_summary_has_the_bits_of_a_plain_run() {
    // Two chunks, the second partial; a farm in a region with finance, and
    // one outside with a different horizon (lockstep with unequal lengths).
    let cfg = config(7, 1300, 2);
    let scenarios = [operator(200, 42.0), operator(200, 50.0)];
    let c = run(&scenarios, &cfg);
    for (scenario, summary) in scenarios.iter().zip(&c.summaries) {
        let alone = simulate(scenario, &cfg).expect("run");
        assert_eq!(summary, &alone);
        assert_eq!(
            summary_json(summary, &Tables::of(summary)),
            summary_json(&alone, &Tables::of(&alone))
        );
    }
    // Not trivially equal: the contract price moved the power cost.
    let cost = |k: usize| {
        c.summaries[k].farms()[0]
            .measure(FarmMeasure::PowerCost)
            .statistics()
            .mean
    };
    assert!(cost(1) > cost(0) * 1.05);

    let short_long = [reference(90, 55.0), reference(150, 45.0)];
    let c = run(&short_long, &cfg);
    for (scenario, summary) in short_long.iter().zip(&c.summaries) {
        assert_eq!(summary, &simulate(scenario, &cfg).expect("run"));
    }
}

#[test]
fn identical_scenarios_differ_by_exactly_zero() {
    let s = operator(120, 42.0);
    let c = run(&[s.clone(), s], &config(3, 400, 2));
    let pair = &c.pairs[0];
    assert_eq!(pair.farms.len(), 2, "operator and operator-hydro");
    let measures = pair
        .farms
        .iter()
        .flat_map(|f| PairedMeasure::ALL.iter().zip(&f.measures));
    for (measure, m) in measures {
        let (name, better) = (measure.name(), measure.better());
        let st = m.statistics(better);
        if st.paths == 0 {
            continue;
        }
        assert_eq!(st.difference.mean.to_bits(), 0.0f64.to_bits(), "{name}");
        assert_eq!(st.difference.std, 0.0, "{name}");
        assert_eq!(st.difference.quantiles, [0.0; 5], "{name}");
        assert_eq!(st.p_tied, 1.0, "{name}");
        match better {
            Better::Neither => assert!(st.p_better.is_nan(), "{name}"),
            _ => assert_eq!(st.p_better, 0.5, "{name}"),
        }
        // No spread left: +∞ where the sides vary, undefined where not.
        if st.a.std > 0.0 {
            assert_eq!(st.variance_reduction, f64::INFINITY, "{name}");
        } else {
            assert!(st.variance_reduction.is_nan(), "{name}");
        }
    }
    assert_eq!(pair.farms[0].name, "operator");
    let margin = pair.farms[0].measure(MARGIN);
    assert_eq!(margin.statistics(Better::Higher).paths, 400);
    assert!(margin.statistics(Better::Higher).a.std > 0.0);
    assert!(c.notes.is_empty(), "{:?}", c.notes);
    assert_eq!(pair.series.len(), c.summaries[0].series_summaries().len());
    for series in &pair.series {
        for d in &series.steps {
            let st = d.statistics();
            assert_eq!((st.mean, st.std), (0.0, 0.0), "{}", series.name);
        }
    }
    // The file writes the undefined and infinite ratios as null.
    let text = json(&c);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let m = &v["comparisons"][0]["farms"]["operator"]["margin_usd"];
    assert_eq!(m["mean"], 0.0);
    assert_eq!(m["paths_defined"], 400);
    assert!(m["variance_reduction"].is_null());
    assert_eq!(m["p_better"], 0.5);
}

/// Per replicate `j` of `paths` paths: the mean margin of A and B on seed
/// `j` (common random numbers), and of B on seed `j + 1`.
struct Replicates {
    paired: Vec<f64>,
    unpaired: Vec<f64>,
}

fn sample_variance(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

#[test]
fn pairing_beats_independent_seeds_by_the_predicted_factor() {
    // Two contracts for the same farm: 45 against 80 USD/MWh. On one path
    // the two margins move with the same BTC price and difficulty, so they
    // are strongly correlated (ρ ≈ 0.994; not 1: on the dear contract the
    // farm switches off when the hashprice is low), and their difference
    // varies far less than each of them (theory: a factor of about 115).
    let scenarios = [reference(120, 45.0), reference(120, 80.0)];
    const K: usize = 60;
    const PATHS: u64 = 250;
    let margin = |c: &Comparison| {
        let s = c.pairs[0].farms[0]
            .measure(MARGIN)
            .statistics(Better::Higher);
        (s.a.mean, s.b.mean, s)
    };
    let runs: Vec<Comparison> = (0..=K as u64)
        .map(|j| run(&scenarios, &config(100 + j, PATHS, 2)))
        .collect();
    let mut r = Replicates {
        paired: Vec::new(),
        unpaired: Vec::new(),
    };
    for j in 0..K {
        let (a, b, _) = margin(&runs[j]);
        let (_, b_other, _) = margin(&runs[j + 1]);
        r.paired.push(b - a);
        r.unpaired.push(b_other - a);
    }
    // Theory, from the paired paths of every run pooled (K·PATHS paths):
    // var(B − A) = σA² + σB² − 2ρσAσB, so independent seeds have
    // (σA² + σB²) / (σA² + σB² − 2ρσAσB) times the variance of pairing.
    let (mut va, mut vb, mut rho) = (0.0, 0.0, 0.0);
    for c in &runs[..K] {
        let (_, _, s) = margin(c);
        va += s.a.std.powi(2) / K as f64;
        vb += s.b.std.powi(2) / K as f64;
        rho += s.correlation / K as f64;
    }
    let predicted = (va + vb) / (va + vb - 2.0 * rho * va.sqrt() * vb.sqrt());
    // Measured: the spread over replicates of the two estimates of the
    // mean difference.
    let measured = sample_variance(&r.unpaired) / sample_variance(&r.paired);
    // Each replicate's mean is over 250 paths, close to normal (central
    // limit), so each sample variance over K replicates is σ²·χ²(K−1)/(K−1)
    // and their ratio is R·F(K−1, K−1). ln F(59, 59) has standard deviation
    // √(2/(K−1) + 2/(K−1)) ≈ 0.26; 4 sigma (a false alarm about once in
    // 15 000 runs) is a factor e^(4·0.26) ≈ 2.8 either way.
    let sigma = (4.0 / (K as f64 - 1.0)).sqrt();
    let bound = (4.0 * sigma).exp();
    let ratio = measured / predicted;
    eprintln!(
        "variance reduction: measured {measured:.1}, predicted {predicted:.1} (ρ = {rho:.5})"
    );
    assert!(
        (1.0 / bound..bound).contains(&ratio),
        "measured {measured:.1}, predicted {predicted:.1} (ρ = {rho:.4}), ratio {ratio:.3} outside \
         1/{bound:.2}..{bound:.2}"
    );
    // And by a clear margin: even at the edge of the bound, pairing is
    // more than ten times better in variance.
    assert!(predicted > 10.0 * bound, "predicted {predicted:.1}");
    assert!(measured > 10.0, "measured {measured:.1}");
    // The paired standard error each comparison reports matches the spread
    // of the paired estimates over replicates (χ²(K−1)/(K−1): 4 sigma is
    // 4·√(2/(K−1)) ≈ 0.74 in relative terms; take the log scale as above).
    let reported: f64 = runs[..K]
        .iter()
        .map(|c| margin(c).2.difference.stderr.powi(2))
        .sum::<f64>()
        / K as f64;
    let spread = sample_variance(&r.paired) / reported;
    let chi_bound = (4.0 * (2.0 / (K as f64 - 1.0)).sqrt()).exp();
    assert!(
        (1.0 / chi_bound..chi_bound).contains(&spread),
        "paired stderr² {reported:.3e} against the replicates' {:.3e}",
        sample_variance(&r.paired)
    );
}

#[test]
fn only_what_is_shared_is_compared() {
    // B has a second farm, a longer horizon and so the same calendar.
    let a = reference(60, 55.0);
    let text = std::fs::read_to_string(REFERENCE).expect("scenario file");
    let extra = "\n[[farms]]\nname = \"extra\"\nfleet = [ { model = \"S21\", units = 10, \
                 th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]\ncontract = { kind = \
                 \"fixed\", price_usd_per_mwh = 40.0 }\n";
    let with_extra = text.replace("[outputs]", &format!("{extra}\n[outputs]"));
    let with_extra = with_extra.replace("horizon_days = 1095", "horizon_days = 90");
    let b = Scenario::from_toml_str(&with_extra).expect("valid");
    assert_eq!(b.farms().len(), 2);
    let c = run(&[a, b], &config(5, 300, 2));
    assert_eq!(c.common_steps, 60);
    assert_eq!(c.t_days.len(), 60);
    assert_eq!(c.dates.len(), 60);
    let pair = &c.pairs[0];
    let farms: Vec<&str> = pair.farms.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(farms, ["operator"]);
    assert!(pair.series.iter().all(|s| !s.name.contains("extra")));
    assert!(pair.series.iter().any(|s| s.name == "btc_price_usd"));
    assert!(pair.series.iter().all(|s| s.steps.len() == 60));
    let notes = c.notes.join("\n");
    assert!(notes.contains("extra"), "{notes}");
    assert!(notes.contains("horizons differ"), "{notes}");
    assert!(notes.contains("own horizon"), "{notes}");
    // Same paths, same draws: the BTC price is identical up to day 60.
    let btc = pair
        .series
        .iter()
        .find(|s| s.name == "btc_price_usd")
        .expect("shared");
    assert!(btc.steps.iter().all(|d| d.statistics().std == 0.0));

    // Another start date: no series, a note, the farms still compared.
    let moved = std::fs::read_to_string(REFERENCE)
        .expect("scenario file")
        .replace("start_date = \"2026-11-24\"", "start_date = \"2026-12-01\"")
        .replace("horizon_days = 1095", "horizon_days = 60");
    let moved = Scenario::from_toml_str(&moved).expect("valid");
    let c = run(&[reference(60, 55.0), moved], &config(5, 300, 1));
    assert!(c.t_days.is_empty());
    assert_eq!(c.common_steps, 0);
    assert!(c.pairs[0].series.is_empty());
    assert_eq!(c.pairs[0].farms.len(), 1);
    assert!(c.notes.join("\n").contains("calendar"), "{:?}", c.notes);
    let v: serde_json::Value = serde_json::from_str(&json(&c)).expect("valid JSON");
    assert_eq!(v["common_horizon"]["steps"], 0);
}

#[test]
fn a_comparison_has_the_same_bits_for_1_2_and_8_threads() {
    let scenarios = [operator(100, 42.0), operator(100, 50.0), operator(80, 60.0)];
    let results: Vec<Comparison> = [1, 2, 8]
        .map(|t| run(&scenarios, &config(11, 2500, t)))
        .into();
    assert_eq!(results[0], results[1], "1 vs 2 threads");
    assert_eq!(results[0], results[2], "1 vs 8 threads");
    let texts: Vec<String> = results.iter().map(json).collect();
    assert_eq!(texts[0], texts[1]);
    assert_eq!(texts[0], texts[2]);
    // Not trivially equal: the differences have spread.
    let margin = results[0].pairs[0].farms[0].measure(MARGIN);
    assert!(margin.statistics(Better::Higher).difference.std > 0.0);
}

#[test]
fn a_stopped_comparison_returns_no_result() {
    let scenarios = [reference(200, 42.0), reference(200, 50.0)];
    let stop = AtomicBool::new(false);
    // Stop as soon as the first chunk is done: the other chunks stop
    // within a block of steps.
    let progress = |_| stop.store(true, Ordering::Relaxed);
    let control = Control::new(&progress, &stop);
    let result = compare(&scenarios, &config(1, 8000, 2), control);
    assert_eq!(result.err(), Some(EngineError::Interrupted));
    let stop = AtomicBool::new(false);
    let progress = |_| stop.store(true, Ordering::Relaxed);
    let control = Control::new(&progress, &stop);
    let run = hashwatt::engine::simulate_with_control(&scenarios[0], &config(1, 8000, 2), control);
    assert_eq!(run, Err(EngineError::Interrupted));
    // Too few scenarios, or a shard, cannot be compared.
    let one = compare(&scenarios[..1], &config(1, 10, 1), Control::NONE);
    assert!(matches!(one, Err(EngineError::NotComparable(_))));
}

#[test]
fn a_trace_holds_the_farm_measures_its_path_adds_to_the_summary() {
    let scenario = operator(150, 42.0);
    for path in [0, 3] {
        let t = hashwatt::engine::trace(&scenario, 9, path);
        // Path 0 alone is a one-path run: its summary's means are the
        // path's measures, bit for bit.
        if path == 0 {
            let summary = simulate(&scenario, &config(9, 1, 1)).expect("run");
            for (farm, measures) in summary.farms().iter().zip(&t.farm_measures) {
                for (d, m) in farm.measures().iter().zip(measures) {
                    let st = d.statistics();
                    match m {
                        Some(v) => assert_eq!(st.mean.to_bits(), v.to_bits(), "{}", farm.name()),
                        None => assert_eq!(st.n, 0, "{}", farm.name()),
                    }
                }
            }
        }
        // On any path, the cash at the end is the last of the cash series.
        let cash = t.series("farm.operator.cash_usd").expect("a finance farm");
        let cash_end = t.farm_measures[0][15].expect("always defined");
        assert_eq!(cash_end.to_bits(), cash[cash.len() - 1].to_bits());
    }
}

#[test]
fn long_horizons_keep_series_differences_at_evenly_spaced_dates() {
    let scenarios = [reference(800, 42.0), reference(800, 50.0)];
    let c = run(&scenarios, &config(4, 200, 2));
    assert_eq!(c.common_steps, 800);
    assert!(c.steps.len() <= hashwatt::engine::MAX_SERIES_DATES);
    assert_eq!((c.steps[0], c.steps[1]), (0, 3));
    assert_eq!(c.steps.last(), Some(&799));
    let summary_dates: Vec<&String> = c
        .steps
        .iter()
        .map(|&t| &c.summaries[0].dates()[t])
        .collect();
    assert_eq!(c.dates.iter().collect::<Vec<_>>(), summary_dates);
    // At each kept date the mean difference is the difference of the two
    // summaries' means at that step (up to rounding).
    let name = "farm.operator.online_fraction";
    let diff = c.pairs[0]
        .series
        .iter()
        .find(|s| s.name == name)
        .expect("shared");
    let (a, b) = (
        c.summaries[0].series(name).expect("recorded"),
        c.summaries[1].series(name).expect("recorded"),
    );
    let mut moved = 0;
    for (j, &t) in c.steps.iter().enumerate() {
        let d = diff.steps[j].statistics().mean;
        assert!((d - (b[t].mean - a[t].mean)).abs() < 1e-12, "step {t}");
        moved += usize::from(d != 0.0);
    }
    assert!(
        moved > 10,
        "the dearer contract switches the farm off more often"
    );
}

/// Runs the `hashwatt` binary.
fn hashwatt(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hashwatt"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_compare_command_writes_a_complete_directory_and_a_table() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let out = tmp.path().join("cmp");
    let out_arg = out.to_str().expect("UTF-8 path");
    let args = [
        "compare",
        REFERENCE,
        REFERENCE,
        "--set",
        "horizon_days=60",
        "--set-for",
        "2:farms[0].contract.price_usd_per_mwh=50",
        "--paths",
        "300",
        "--out",
        out_arg,
    ];
    let o = hashwatt(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("farm operator"), "{table}");
    assert!(table.contains("P(insolvency)"), "{table}");
    // reference-core's farm has no balance sheet: no "0 ± 0" for it.
    assert!(table.contains("cannot fail: no balance sheet"), "{table}");
    let text = std::fs::read_to_string(out.join("compare.json")).expect("compare.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["paths"], 300);
    assert_eq!(v["scenarios"][1]["file"], REFERENCE);
    let cost = &v["comparisons"][0]["farms"]["operator"]["power_cost_usd"];
    // B's contract (50 USD/MWh) is cheaper than A's (55): B pays less on
    // every path, and runs all the time, so its cost does not vary (no
    // correlation, and pairing cannot help: a variance reduction of 1).
    assert!(cost["mean"].as_f64().expect("a number") < 0.0, "{cost}");
    assert_eq!(cost["better"], "lower");
    assert_eq!(cost["p_better"], 1.0);
    assert!(cost["correlation"].is_null());
    let reduction = cost["variance_reduction"].as_f64().expect("a number");
    assert!((reduction - 1.0).abs() < 1e-9, "{reduction}");
    for k in 0..2 {
        let summary = v["scenarios"][k]["summary"].as_str().expect("a path");
        assert!(out.join(summary).is_file(), "{summary}");
    }
    // The page is written with it, in the same atomic output, and said.
    let page = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(page.contains("<h3>operator</h3>"), "the farm's table");
    assert!(out.join("charts/difference-margin-usd.svg").is_file());
    assert!(String::from_utf8_lossy(&o.stderr).contains("report.html in a browser"));
    // Nothing but the result beside it: no staging folder left behind.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("listing")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("cmp")]);
    // Run again over it: an earlier result is replaced.
    assert!(hashwatt(&args).status.success());

    // A --set-for naming a scenario that is not there is refused before
    // anything runs.
    let bad = hashwatt(&[
        "compare",
        REFERENCE,
        REFERENCE,
        "--set-for",
        "3:horizon_days=10",
        "--out",
        tmp.path().join("bad").to_str().expect("UTF-8"),
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("only 2 scenarios"));
    assert!(!tmp.path().join("bad").exists());
}
