//! The industry cost curve in `summary.json`: each fleet's cash cost per BTC
//! by hand on a deterministic path, the curve's order and cumulative
//! hashrate, and its dates.

use hashwatt::model::cost_curve::mean_price_below;
use hashwatt::report::{Tables, summary_json};
use hashwatt::{RunConfig, Scenario, engine, simulate};

const DETERMINISTIC: &str = include_str!("../scenarios/reference-core-deterministic.toml");

/// The deterministic scenario with the cost curve at `dates` (a TOML array).
fn deterministic(dates: &str) -> Scenario {
    let outputs = format!("[outputs]\ncost_curve_dates = {dates}\n\n[network]");
    Scenario::from_toml_str(&DETERMINISTIC.replace("[network]", &outputs))
        .expect("a valid scenario")
}

#[test]
fn costs_per_btc_match_the_hashprice_identity_on_a_deterministic_path() {
    let s = deterministic(r#"["2026-11-24", "2027-11-24", "2029-11-22"]"#);
    assert_eq!(s.cost_curve_steps(), &[0, 365, 1094]);
    let summary = simulate(&s, &RunConfig::new(7, 1)).expect("a run");
    let trace = engine::trace(&s, 7, 0);
    let price = trace.series("btc_price_usd").expect("price");
    let hp = trace.series("hashprice_usd_per_ph_day").expect("hashprice");
    let online = trace.series("farm.operator.online_fraction").expect("farm");
    let row = s.rest_of_world();
    let farm = &s.farms()[0];
    for (curve, &t) in summary.cost_curves().iter().zip(s.cost_curve_steps()) {
        assert_eq!(curve.t_days() as usize, t);
        let x = trace.power_factor[t];
        let median = row.median_power_price() * x.exp();
        for (k, class) in row.classes().iter().enumerate() {
            let entry = &curve.entries()[k];
            assert_eq!(entry.name(), format!("class.{}", class.name));
            // cost/BTC = P·E[p | p ≤ b]/b, b = HP/(0.024·e).
            let b = hp[t] / (0.024 * class.efficiency_j_per_th);
            let expected = price[t] * mean_price_below(median, row.dispersion(), b) / b;
            let got = entry.cash_cost_per_btc_usd().statistics().mean;
            assert!(
                (got - expected).abs() <= 1e-9 * expected,
                "{} at step {t}: {got} vs {expected}",
                entry.name()
            );
            let on = entry.online_ehs().statistics().mean;
            let by_hand = class.installed_ehs * row.online_fraction(k, hp[t].ln(), x);
            assert!((on - by_hand).abs() <= 1e-12 * by_hand.max(1.0));
        }
        // The farm: (contract price + opex)·0.024·e·PUE·P / (HP·(1 − fee)).
        let entry = curve.entries().last().expect("the farm's entry");
        assert_eq!(entry.name(), "farm.operator");
        let lot = &farm.fleet()[0];
        let price_mwh =
            farm.contract().fixed_price_usd_per_mwh().expect("fixed") + farm.opex_usd_per_mwh();
        let energy = 0.024 * lot.efficiency_j_per_th() * farm.pue();
        let expected = price_mwh * energy * price[t] / (hp[t] * (1.0 - farm.pool_fee()));
        let got = entry.cash_cost_per_btc_usd().statistics().mean;
        assert!(
            (got - expected).abs() <= 1e-9 * expected,
            "farm: {got} vs {expected}"
        );
        let on = entry.online_ehs().statistics().mean;
        assert_eq!(on, online[t] * farm.nameplate_phs() / 1000.0);
    }
}

#[test]
fn the_curve_runs_from_the_cheapest_fleet_with_cumulative_hashrate() {
    let s = Scenario::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/ai-squeeze.toml"
    ))
    .expect("scenario");
    let summary = simulate(&s, &RunConfig::new(3, 300)).expect("a run");
    let json: serde_json::Value =
        serde_json::from_str(&summary_json(&summary, &Tables::of(&summary))).expect("json");
    let curves = json["cost_curves"].as_array().expect("curves");
    // Default dates: the start and every anniversary inside the horizon.
    let expected: Vec<usize> = (0..s.steps()).step_by(365).collect();
    assert_eq!(s.cost_curve_steps(), expected.as_slice());
    assert_eq!(curves.len(), expected.len());
    for curve in curves {
        let entries = curve["entries"].as_array().expect("entries");
        let mut last_median = f64::NEG_INFINITY;
        let mut sum = 0.0;
        for e in entries {
            let median = e["cash_cost_per_btc_usd"]["p50"].as_f64();
            if let Some(m) = median {
                assert!(
                    m >= last_median,
                    "sorted by median cost: {m} after {last_median}"
                );
                last_median = m;
            }
            sum += e["online_ehs"]["mean"].as_f64().expect("online");
            let cumulative = e["cumulative_online_ehs"].as_f64().expect("cumulative");
            assert!((cumulative - sum).abs() <= 1e-9 * sum.max(1.0));
        }
        // Every fleet of the network is on the curve: the cumulative EH/s
        // is the mean network hashrate of that step.
        let t = curve["t_days"].as_u64().expect("t") as usize;
        let hashrate = summary.series("hashrate_ehs").expect("hashrate")[t].mean;
        assert!(
            (sum - hashrate).abs() <= 1e-9 * hashrate,
            "curve {sum} vs network {hashrate} EH/s"
        );
    }
}

#[test]
fn cost_curve_dates_outside_the_horizon_or_out_of_order_are_refused() {
    let text = DETERMINISTIC.replace(
        "[network]",
        "[outputs]\ncost_curve_dates = [\"2031-01-01\"]\n\n[network]",
    );
    let err = Scenario::from_toml_str(&text).expect_err("outside the horizon");
    assert_eq!(err.field(), Some("outputs.cost_curve_dates[0]"), "{err}");
    let text = DETERMINISTIC.replace(
        "[network]",
        "[outputs]\ncost_curve_dates = [\"2027-06-01\", \"2027-01-01\"]\n\n[network]",
    );
    let err = Scenario::from_toml_str(&text).expect_err("out of order");
    assert_eq!(err.field(), Some("outputs.cost_curve_dates[1]"), "{err}");
}
