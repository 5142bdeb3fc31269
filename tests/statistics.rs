//! Statistical checks of the stochastic processes against their exact laws.
//!
//! Every check uses fixed seeds and allows 4 Monte Carlo standard errors,
//! computed from the analytic law (not from the sample): for a mean,
//! `σ/√n`; for a sample variance, `√((μ₄ − σ⁴(n−3)/(n−1))/n)`; for a
//! sample standard deviation, that over `2σ` (delta method). The moments
//! are derived below in closed form or by quadrature written in this file.

mod common;

use hashwatt::engine::stream;
use hashwatt::stats::Statistics;
use hashwatt::{RunConfig, Scenario, simulate};

/// Standard errors allowed.
const K: f64 = 4.0;

#[track_caller]
fn assert_within(what: &str, got: f64, want: f64, se: f64) {
    assert!(
        se > 0.0 && se.is_finite(),
        "{what}: bad standard error {se}"
    );
    let z = (got - want) / se;
    assert!(
        z.abs() <= K,
        "{what}: got {got}, want {want} ± {se} (z = {z:.2}, allowed ±{K})"
    );
}

/// Variance and fourth central moment from raw moments `m[k] = E[Y^k]`.
fn central(m: [f64; 5]) -> (f64, f64) {
    let m1 = m[1];
    let var = m[2] - m1 * m1;
    let mu4 = m[4] - 4.0 * m[3] * m1 + 6.0 * m[2] * m1 * m1 - 3.0 * m1.powi(4);
    (var, mu4)
}

/// Standard error of the sample variance of `n` iid values.
fn se_var(var: f64, mu4: f64, n: f64) -> f64 {
    ((mu4 - var * var * (n - 3.0) / (n - 1.0)) / n).sqrt()
}

/// Standard error of the sample standard deviation (delta method).
fn se_std(var: f64, mu4: f64, n: f64) -> f64 {
    se_var(var, mu4, n) / (2.0 * var.sqrt())
}

/// Sample mean and variance (n − 1), two-pass.
fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// A one-regime scenario with the given price, fee and power-factor
/// parameters and one rest-of-world class.
struct Params {
    step_days: u32,
    horizon_days: u32,
    fee_volatility: f64,
    drift: f64,
    volatility: f64,
    jump_intensity: f64,
    jump_mean: f64,
    jump_sd: f64,
    x0: f64,
    kappa: f64,
    sigma_x: f64,
    median: f64,
    installed: f64,
    efficiency: f64,
}

const REFERENCE: Params = Params {
    step_days: 1,
    horizon_days: 365,
    fee_volatility: 0.5,
    drift: 0.10,
    volatility: 0.50,
    jump_intensity: 2.0,
    jump_mean: -0.05,
    jump_sd: 0.10,
    x0: 0.0,
    kappa: 3.0,
    sigma_x: 0.40,
    median: 45.0,
    installed: 1000.0,
    efficiency: 20.0,
};

const P0: f64 = 90_000.0;
const FEE: f64 = 0.03;

fn scenario(p: &Params) -> Scenario {
    let text = format!(
        r#"
        name = "statistics"
        start_date = "2026-11-24"
        step_days = {step}
        horizon_days = {horizon}

        [network]
        height = 1_000_000
        difficulty_ehs = 1000.0

        [fees]
        mean_btc_per_block = {FEE:?}
        volatility = {fv:?}

        [btc_price]
        initial_usd = {P0:?}

        [[macro.regimes]]
        name = "base"
        btc_drift = {mu:?}
        btc_volatility = {sigma:?}
        btc_jump_intensity = {lambda:?}
        btc_jump_mean = {mj:?}
        btc_jump_sd = {sj:?}

        [power_factor]
        initial = {x0:?}
        mean_reversion = {kappa:?}
        volatility = {sx:?}

        [rest_of_world]
        median_power_price_usd_per_mwh = {median:?}
        price_dispersion = 0.35
        classes = [ {{ name = "only", installed_ehs = {installed:?}, efficiency_j_per_th = {eff:?} }} ]
        "#,
        step = p.step_days,
        horizon = p.horizon_days,
        fv = p.fee_volatility,
        mu = p.drift,
        sigma = p.volatility,
        lambda = p.jump_intensity,
        mj = p.jump_mean,
        sj = p.jump_sd,
        x0 = p.x0,
        kappa = p.kappa,
        sx = p.sigma_x,
        median = p.median,
        installed = p.installed,
        eff = p.efficiency,
    );
    Scenario::from_toml_str(&text).expect("test scenario is valid")
}

// ---------------------------------------------------------------------------
// BTC price: compensated log jump-diffusion (model.md §3)
// ---------------------------------------------------------------------------

/// `E[(P_T/P0)^k]` for the one-regime jump-diffusion:
/// `ln(P_T/P0) = a·T + σW_T + Σ_{j≤N_T} J_j`, `a = μ − σ²/2 − λk̄`, so
/// `E[e^{k ln(P_T/P0)}] = exp(k·a·T + k²σ²T/2 + λT(E[e^{kJ}] − 1))`.
fn price_raw_moment(p: &Params, t_years: f64, k: f64) -> f64 {
    let kbar = (p.jump_mean + 0.5 * p.jump_sd * p.jump_sd).exp() - 1.0;
    let a = p.drift - 0.5 * p.volatility * p.volatility - p.jump_intensity * kbar;
    let jump_mgf = (k * p.jump_mean + 0.5 * k * k * p.jump_sd * p.jump_sd).exp();
    (k * a * t_years
        + 0.5 * k * k * p.volatility * p.volatility * t_years
        + p.jump_intensity * t_years * (jump_mgf - 1.0))
        .exp()
}

/// `E[P_t] = P0·e^{μt}` and `Var[P_t] = P0²e^{2μt}(exp(σ²t + λt·E[(e^J − 1)²]) − 1)`
/// with `E[(e^J−1)²] = e^{2μJ+2σJ²} − 2e^{μJ+σJ²/2} + 1`; checked against the
/// engine's recorded `btc_price_usd` at several steps.
#[test]
fn btc_price_mean_and_std_follow_the_compensated_jump_diffusion() {
    let p = &REFERENCE;
    let n = 20_000u64;
    let summary = simulate(&scenario(p), &RunConfig::new(2024, n)).expect("run");
    let price = summary.series("btc_price_usd").expect("recorded");
    let nf = n as f64;
    for step in [30usize, 182, 364] {
        let t = step as f64 * f64::from(p.step_days) / 365.0;
        let s: &Statistics = &price[step];
        assert_eq!(s.n, n);
        // Closed forms, in units of P0.
        let mean = (p.drift * t).exp();
        let e2 = (2.0 * p.jump_mean + 2.0 * p.jump_sd * p.jump_sd).exp()
            - 2.0 * (p.jump_mean + 0.5 * p.jump_sd * p.jump_sd).exp()
            + 1.0;
        let var = mean
            * mean
            * ((p.volatility * p.volatility * t + p.jump_intensity * t * e2).exp() - 1.0);
        // The same from the moment generating function, as a cross-check of
        // the algebra; and the fourth central moment for the std's error.
        let m = [0.0, 1.0, 2.0, 3.0, 4.0].map(|k| price_raw_moment(p, t, k));
        assert!((m[1] - mean).abs() < 1e-12 * mean, "E[P] algebra");
        let (var_mgf, mu4) = central(m);
        assert!((var_mgf - var).abs() < 1e-9 * var, "Var[P] algebra");

        assert_within(
            &format!("E[P] at step {step}"),
            s.mean,
            P0 * mean,
            P0 * (var / nf).sqrt(),
        );
        assert_within(
            &format!("std P at step {step}"),
            s.std,
            P0 * var.sqrt(),
            P0 * se_std(var, mu4, nf),
        );
        // The reported standard error is std/√n.
        assert_eq!(s.stderr, s.std / nf.sqrt());
    }
}

/// Draws `n` independent values of `ln(P_T/P0)` after `steps` steps of the
/// scenario's own [`JumpDiffusion`](hashwatt::model::price::JumpDiffusion).
fn log_price_draws(p: &Params, n: u64, steps: usize, seed: u64) -> Vec<f64> {
    let s = scenario(p);
    let process = &s.regimes().regimes()[0].price;
    (0..n)
        .map(|i| {
            let mut diffusion = stream(seed, i, "test.diffusion");
            let mut jumps = stream(seed, i, "test.jumps");
            let mut price = 1.0;
            for _ in 0..steps {
                price = process.step(price, &mut diffusion, &mut jumps);
            }
            price.ln()
        })
        .collect()
}

/// Mean and variance of `ln P_T` and their 4th-cumulant-based errors:
/// `E = (μ − σ²/2 − λk̄)T + λTμJ`, `Var = (σ² + λ(μJ² + σJ²))T`,
/// `κ₄ = λT·E[J⁴]`, `E[J⁴] = μJ⁴ + 6μJ²σJ² + 3σJ⁴`.
fn check_log_price(p: &Params, n: u64, seed: u64) {
    let steps = (p.horizon_days / p.step_days) as usize;
    let t = steps as f64 * f64::from(p.step_days) / 365.0;
    let draws = log_price_draws(p, n, steps, seed);
    let (mean, var) = mean_var(&draws);
    let kbar = (p.jump_mean + 0.5 * p.jump_sd * p.jump_sd).exp() - 1.0;
    let (mj, sj, lambda) = (p.jump_mean, p.jump_sd, p.jump_intensity);
    let want_mean =
        (p.drift - 0.5 * p.volatility * p.volatility - lambda * kbar) * t + lambda * t * mj;
    let want_var = (p.volatility * p.volatility + lambda * (mj * mj + sj * sj)) * t;
    let ej4 = mj.powi(4) + 6.0 * mj * mj * sj * sj + 3.0 * sj.powi(4);
    let mu4 = 3.0 * want_var * want_var + lambda * t * ej4;
    let nf = n as f64;
    let label = format!("σ={} λ={} Δ={}d", p.volatility, lambda, p.step_days);
    assert_within(
        &format!("E[ln P_T], {label}"),
        mean,
        want_mean,
        (want_var / nf).sqrt(),
    );
    assert_within(
        &format!("Var[ln P_T], {label}"),
        var,
        want_var,
        se_var(want_var, mu4, nf),
    );
}

#[test]
fn log_price_variance_reference_parameters() {
    // Daily steps over a year, the reference regime.
    check_log_price(&REFERENCE, 20_000, 11);
}

#[test]
fn log_price_variance_jumps_only() {
    // No diffusion and ~2 jumps per weekly step: isolates the jump part
    // (count, the √N scaling of the summed jump sizes, the compensation).
    let p = Params {
        step_days: 7,
        horizon_days: 364,
        volatility: 0.0,
        jump_intensity: 100.0,
        jump_mean: -0.02,
        jump_sd: 0.05,
        ..REFERENCE
    };
    check_log_price(&p, 20_000, 12);
}

// ---------------------------------------------------------------------------
// Fees (model.md §1.5)
// ---------------------------------------------------------------------------

/// `F = f̄·exp(σ_f ε − σ_f²/2)`: mean `f̄`, `E[(F/f̄)^k] = e^{k(k−1)σ_f²/2}`.
#[test]
fn fee_mean_and_std() {
    let p = Params {
        horizon_days: 40,
        ..REFERENCE
    };
    let n = 20_000u64;
    let summary = simulate(&scenario(&p), &RunConfig::new(77, n)).expect("run");
    let fees = summary.series("fee_btc_per_block").expect("recorded");
    let s2 = p.fee_volatility * p.fee_volatility;
    let m = [0.0, 1.0, 2.0, 3.0, 4.0].map(|k: f64| (0.5 * k * (k - 1.0) * s2).exp());
    let (var, mu4) = central(m);
    let nf = n as f64;
    for step in [0usize, 1, 7, 20, 39] {
        let s = &fees[step];
        assert_within(
            &format!("mean fee at step {step}"),
            s.mean,
            FEE,
            FEE * (var / nf).sqrt(),
        );
        assert_within(
            &format!("std fee at step {step}"),
            s.std,
            FEE * var.sqrt(),
            FEE * se_std(var, mu4, nf),
        );
    }
}

/// The reported quantiles of the fee (lognormal: `x_q = f̄·e^{σ z_q − σ²/2}`).
/// A sample quantile's error is `√(q(1−q)/n) / f(x_q)`, with the density
/// `f(x) = φ(z)/(σx)`; the sketch adds at most `x_q/128` (its documented
/// relative bound, `stats::sketch`).
#[test]
fn fee_quantiles() {
    let p = Params {
        horizon_days: 3,
        ..REFERENCE
    };
    let n = 20_000u64;
    let summary = simulate(&scenario(&p), &RunConfig::new(78, n)).expect("run");
    let fees = summary.series("fee_btc_per_block").expect("recorded");
    let sigma = p.fee_volatility;
    // Φ⁻¹ of 0.05, 0.25, 0.5, 0.75, 0.95.
    let z = [
        -1.6448536269514722,
        -0.6744897501960817,
        0.0,
        0.6744897501960817,
        1.6448536269514722,
    ];
    assert_eq!(hashwatt::stats::QUANTILES, [0.05, 0.25, 0.5, 0.75, 0.95]);
    let bound = 1.0 / hashwatt::stats::BUCKETS_PER_OCTAVE as f64;
    assert_eq!(fees.len(), 3);
    for (step, at) in fees.iter().enumerate() {
        for (k, &q) in hashwatt::stats::QUANTILES.iter().enumerate() {
            let x = FEE * (sigma * z[k] - 0.5 * sigma * sigma).exp();
            let density =
                (-0.5 * z[k] * z[k]).exp() / (2.0 * std::f64::consts::PI).sqrt() / (sigma * x);
            let se = (q * (1.0 - q) / n as f64).sqrt() / density;
            let got = at.quantiles[k];
            let allowed = K * se + bound * x;
            assert!(
                (got - x).abs() <= allowed,
                "p{} of the fee at step {step}: got {got}, want {x} ± {allowed}",
                q * 100.0
            );
        }
    }
}

// ---------------------------------------------------------------------------
// World power factor: Ornstein–Uhlenbeck stepped exactly (model.md §4)
// ---------------------------------------------------------------------------

/// The exact law of the OU after `t` years from `x0`:
/// mean `x0·e^{−κt}`, variance `σ²(1 − e^{−2κt})/(2κ)`.
fn ou_law(x0: f64, kappa: f64, sigma: f64, t: f64) -> (f64, f64) {
    (
        x0 * (-kappa * t).exp(),
        sigma * sigma * (1.0 - (-2.0 * kappa * t).exp()) / (2.0 * kappa),
    )
}

/// `PowerFactor::step` driven directly with the library's streams, on
/// 30-day steps (where an Euler step would be visibly wrong): the
/// transition law after 1 and 3 steps and the stationary law after 60.
#[test]
fn power_factor_transition_and_stationary_law() {
    let p = Params {
        step_days: 30,
        horizon_days: 1800,
        x0: 0.8,
        ..REFERENCE
    };
    let s = scenario(&p);
    let pf = s.power_factor();
    let n = 40_000u64;
    let checkpoints = [1usize, 3, 60];
    let mut at: Vec<Vec<f64>> = vec![Vec::with_capacity(n as usize); checkpoints.len()];
    for i in 0..n {
        let mut rng = stream(5, i, "test.power_factor");
        let mut x = pf.initial();
        for step in 1..=60 {
            x = pf.step(x, &mut rng);
            if let Some(c) = checkpoints.iter().position(|&k| k == step) {
                at[c].push(x);
            }
        }
    }
    let nf = n as f64;
    for (c, &k) in checkpoints.iter().enumerate() {
        let t = k as f64 * 30.0 / 365.0;
        let (want_mean, want_var) = ou_law(p.x0, p.kappa, p.sigma_x, t);
        let (mean, var) = mean_var(&at[c]);
        assert_within(
            &format!("E[X] after {k} steps"),
            mean,
            want_mean,
            (want_var / nf).sqrt(),
        );
        // Normal: μ₄ = 3σ⁴.
        assert_within(
            &format!("Var[X] after {k} steps"),
            var,
            want_var,
            se_var(want_var, 3.0 * want_var * want_var, nf),
        );
    }
    // After 60 steps (~4.9 years, e^{−2κt} ≈ 2e-13) the law is stationary.
    let stationary = p.sigma_x * p.sigma_x / (2.0 * p.kappa);
    let (mean, var) = mean_var(&at[2]);
    assert_within("stationary mean", mean, 0.0, (stationary / nf).sqrt());
    assert_within(
        "stationary variance",
        var,
        stationary,
        se_var(stationary, 3.0 * stationary * stationary, nf),
    );
}

/// `∫ g(m + √v·z) φ(z) dz` by composite Simpson on [−12, 12].
fn normal_expectation(m: f64, v: f64, g: impl Fn(f64) -> f64) -> f64 {
    let intervals = 4800;
    let (a, b) = (-12.0f64, 12.0f64);
    let h = (b - a) / f64::from(intervals);
    let f =
        |z: f64| g(m + v.sqrt() * z) * (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut sum = f(a) + f(b);
    for i in 1..intervals {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(a + f64::from(i) * h);
    }
    sum * h / 3.0
}

/// The OU as the engine steps it, observed through the recorded network
/// hashrate. With the price, fees and difficulty deterministic over the
/// horizon, the one class online gives `H_t = I·Φ((c − X_t)/s)` with
/// `c = ln(HP/(0.024 e)) − ln m`, a monotone function of `X_t ~ N(m_t, v_t)`.
/// `E[H_t] = I·Φ((c − m_t)/√(s² + v_t))`; the variance and 4th moment of
/// `H_t` by quadrature. Fast mean reversion (κ = 300/yr) reaches the
/// stationary law within the 12-day horizon.
#[test]
fn power_factor_in_the_engine_via_rest_of_world_hashrate() {
    let p = Params {
        step_days: 1,
        horizon_days: 12,
        fee_volatility: 0.0,
        drift: 0.0,
        volatility: 0.0,
        jump_intensity: 0.0,
        x0: 0.5,
        kappa: 300.0,
        sigma_x: 10.0,
        median: 60.0,
        installed: 500.0,
        efficiency: 20.0,
        ..REFERENCE
    };
    let n = 40_000u64;
    let summary = simulate(&scenario(&p), &RunConfig::new(99, n)).expect("run");
    let hashrate = summary.series("hashrate_ehs").expect("recorded");
    let hashprice = summary
        .series("hashprice_usd_per_ph_day")
        .expect("recorded");
    let difficulty = summary.series("difficulty_ehs").expect("recorded");
    // The premise: HP and HD are the same on every path and every step
    // (≤ 72 blocks a day: no retarget, no halving within 12 days).
    let hp = 144.0 * (3.125 + FEE) * P0 / (1000.0 * 1000.0);
    for t in 0..12 {
        assert_eq!(hashprice[t].std, 0.0);
        assert_eq!(difficulty[t].mean, 1000.0);
        assert!((hashprice[t].mean - hp).abs() <= 1e-12 * hp);
    }
    let s = 0.35;
    let c = (hp / (0.024 * p.efficiency)).ln() - p.median.ln();
    let h_of = |x: f64| p.installed * phi((c - x) / s);
    let nf = n as f64;
    // Step 0: X_0 = x0 exactly.
    assert!((hashrate[0].mean - h_of(p.x0)).abs() <= 1e-9 * h_of(p.x0));
    assert_eq!(hashrate[0].std, 0.0);
    let stationary = p.sigma_x * p.sigma_x / (2.0 * p.kappa);
    assert_eq!(hashrate.len(), 12);
    for (t, got) in hashrate.iter().enumerate().skip(1) {
        let (m, v) = ou_law(p.x0, p.kappa, p.sigma_x, t as f64 / 365.0);
        let raw = [0, 1, 2, 3, 4].map(|k| normal_expectation(m, v, |x| h_of(x).powi(k)));
        let closed = p.installed * phi((c - m) / (s * s + v).sqrt());
        assert!(
            (raw[1] - closed).abs() < 1e-9 * closed,
            "quadrature vs closed form"
        );
        let (var, mu4) = central(raw);
        assert_within(
            &format!("E[H] at step {t}"),
            got.mean,
            closed,
            (var / nf).sqrt(),
        );
        assert_within(
            &format!("std H at step {t}"),
            got.std,
            var.sqrt(),
            se_std(var, mu4, nf),
        );
    }
    // The last steps are stationary (e^{−2κt} < 1e-7 from day 10): a wrong
    // stationary variance σ²/(2κ) would move E[H] by many errors.
    let (m, v) = ou_law(p.x0, p.kappa, p.sigma_x, 11.0 / 365.0);
    assert!(m.abs() < 1e-3 && (v - stationary).abs() < 1e-6 * stationary);
}

// ---------------------------------------------------------------------------
// Macro regime chain (model.md §3)
// ---------------------------------------------------------------------------

fn regime_scenario(step_days: u32, regimes: &str) -> Scenario {
    let text = format!(
        r#"
        name = "regimes"
        start_date = "2026-11-24"
        step_days = {step_days}
        horizon_days = 3600
        [network]
        height = 1_000_000
        difficulty_ehs = 1000.0
        [fees]
        mean_btc_per_block = 0.03
        volatility = 0.5
        [btc_price]
        initial_usd = 90000.0
        [power_factor]
        mean_reversion = 3.0
        volatility = 0.4
        [rest_of_world]
        median_power_price_usd_per_mwh = 45.0
        price_dispersion = 0.35
        classes = [ {{ name = "only", installed_ehs = 1000.0, efficiency_j_per_th = 20.0 }} ]
        [macro]
        {regimes}
        "#
    );
    Scenario::from_toml_str(&text).expect("regime scenario is valid")
}

fn regime_index(s: &Scenario, name: &str) -> usize {
    s.regimes()
        .regimes()
        .iter()
        .position(|r| r.name == name)
        .expect("regime exists")
}

/// Two regimes, calm → conflict at 2/yr and back at 6/yr, 30-day steps.
/// The step chain leaves i with `p_i = 1 − e^{−Δy·q_i}`, so
/// `P(calm at n) = π + (1 − p₀₁ − p₁₀)ⁿ(1 − π)` from calm, with the
/// stationary law `π = p₁₀/(p₀₁ + p₁₀)` (≈ 0.720, not the continuous-time
/// 0.75: the 30-day step makes the difference visible).
#[test]
fn two_regime_occupancy_and_stationary_law() {
    let s = regime_scenario(
        30,
        concat!(
            "initial_regime = \"calm\"\n",
            common::calm_conflict_regimes_2_6!()
        ),
    );
    let chain = s.regimes();
    let calm = regime_index(&s, "calm");
    assert_eq!(chain.initial(), calm);
    let dy: f64 = 30.0 / 365.0;
    let p01 = 1.0 - (-2.0 * dy).exp();
    let p10 = 1.0 - (-6.0 * dy).exp();
    let pi = p10 / (p01 + p10);
    let lambda2 = 1.0 - p01 - p10;
    let n = 40_000u64;
    let checkpoints = [1usize, 2, 5, 40];
    let mut in_calm = [0u64; 4];
    for i in 0..n {
        let mut rng = stream(3, i, "test.regime");
        let mut r = chain.initial();
        for step in 1..=40 {
            r = chain.step(r, &mut rng);
            if let Some(c) = checkpoints.iter().position(|&k| k == step) {
                in_calm[c] += u64::from(r == calm);
            }
        }
    }
    let nf = n as f64;
    for (c, &k) in checkpoints.iter().enumerate() {
        let want = pi + lambda2.powi(k as i32) * (1.0 - pi);
        let got = in_calm[c] as f64 / nf;
        assert_within(
            &format!("P(calm after {k} steps)"),
            got,
            want,
            (want * (1.0 - want) / nf).sqrt(),
        );
    }
    // After 40 steps the chain is stationary (λ₂⁴⁰ ≈ 3e-14); 0.75 is more
    // than 4 errors away.
    let got = in_calm[3] as f64 / nf;
    let se = (pi * (1.0 - pi) / nf).sqrt();
    assert!(
        (0.75 - pi).abs() > 2.0 * K * se,
        "the test can tell the laws apart"
    );
    assert_within("stationary occupancy of calm", got, pi, se);
}

/// Leaving a regime, the chain picks the destination in proportion to the
/// rates: from `a` with `q_ab = 1`, `q_ac = 3`, one step moves to b with
/// probability `p/4` and to c with `3p/4`, `p = 1 − e^{−4Δy}`.
#[test]
fn regime_destinations_in_proportion_to_rates() {
    let s = regime_scenario(
        30,
        r#"
        initial_regime = "a"
        [[macro.regimes]]
        name = "a"
        btc_drift = 0.1
        btc_volatility = 0.5
        transitions = { b = 1.0, c = 3.0 }
        [[macro.regimes]]
        name = "b"
        btc_drift = 0.1
        btc_volatility = 0.5
        [[macro.regimes]]
        name = "c"
        btc_drift = 0.1
        btc_volatility = 0.5
        "#,
    );
    let chain = s.regimes();
    let (a, b, c) = (
        regime_index(&s, "a"),
        regime_index(&s, "b"),
        regime_index(&s, "c"),
    );
    let leave = 1.0 - (-4.0 * 30.0 / 365.0f64).exp();
    let n = 100_000u64;
    let mut counts = [0u64; 3];
    let mut rng = stream(4, 0, "test.regime");
    for _ in 0..n {
        counts[chain.step(a, &mut rng)] += 1;
    }
    let nf = n as f64;
    for (idx, want, what) in [
        (a, 1.0 - leave, "stay in a"),
        (b, leave / 4.0, "move to b"),
        (c, 3.0 * leave / 4.0, "move to c"),
    ] {
        let got = counts[idx] as f64 / nf;
        assert_within(what, got, want, (want * (1.0 - want) / nf).sqrt());
    }
    // b and c have no way out.
    for r in [b, c] {
        for _ in 0..1000 {
            assert_eq!(chain.step(r, &mut rng), r);
        }
    }
}

// ---------------------------------------------------------------------------
// Whole laws: Kolmogorov–Smirnov against statrs' distributions
// ---------------------------------------------------------------------------

/// The Kolmogorov–Smirnov distance between the sample `xs` and the law
/// with distribution function `cdf`: `sup |F_n(x) − F(x)|`.
fn ks_distance(mut xs: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// The distance a sample of `n` from the law itself exceeds with
/// probability α = 10⁻⁴ (the asymptotic Kolmogorov law,
/// `P(√n·D > c) ≈ 2e^{−2c²}`, so `c = √(ln(2/α)/2) ≈ 2.23`): a correct
/// process fails at these fixed seeds only if the seed is a 1-in-10⁴ one,
/// while each wrong law below is rejected by far.
fn ks_bound(n: usize) -> f64 {
    const ALPHA: f64 = 1e-4;
    ((2.0 / ALPHA).ln() / 2.0).sqrt() / (n as f64).sqrt()
}

/// `ln(P_T/P0)` of the jump diffusion: given `K` jumps (`K ~ Poisson(λT)`,
/// statrs' `Poisson`), normal with mean `(μ − σ²/2 − λk̄)T + KμJ` and
/// variance `σ²T + KσJ²` (statrs' `Normal`); its CDF is the mixture.
fn log_price_cdf(p: &Params, t: f64) -> impl Fn(f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Discrete, Normal, Poisson};
    let kbar = (p.jump_mean + 0.5 * p.jump_sd * p.jump_sd).exp() - 1.0;
    let base = (p.drift - 0.5 * p.volatility * p.volatility - p.jump_intensity * kbar) * t;
    let lambda_t = p.jump_intensity * t;
    let poisson = (lambda_t > 0.0).then(|| Poisson::new(lambda_t).expect("rate"));
    // Enough terms that the Poisson tail left out is below 1e-15.
    let terms: Vec<(f64, Normal)> = (0..=((lambda_t * 10.0) as u64 + 30))
        .map(|k| {
            let weight = poisson
                .as_ref()
                .map_or(if k == 0 { 1.0 } else { 0.0 }, |d| d.pmf(k));
            let kf = k as f64;
            let sd = (p.volatility * p.volatility * t + kf * p.jump_sd * p.jump_sd).sqrt();
            (
                weight,
                Normal::new(base + kf * p.jump_mean, sd).expect("law"),
            )
        })
        .filter(|(w, _)| *w > 0.0)
        .collect();
    move |x| terms.iter().map(|(w, d)| w * d.cdf(x)).sum()
}

#[test]
fn log_price_follows_the_poisson_mixture_of_normals() {
    let n = 20_000usize;
    for p in [
        REFERENCE,
        Params {
            jump_intensity: 12.0,
            jump_mean: -0.08,
            jump_sd: 0.15,
            volatility: 0.2,
            horizon_days: 90,
            ..REFERENCE
        },
    ] {
        let steps = (p.horizon_days / p.step_days) as usize;
        let t = steps as f64 * f64::from(p.step_days) / 365.0;
        let draws = log_price_draws(&p, n as u64, steps, 31);
        let d = ks_distance(draws.clone(), log_price_cdf(&p, t));
        let label = format!("λ={} σ={}", p.jump_intensity, p.volatility);
        assert!(
            d < ks_bound(n),
            "{label}: KS distance {d} ≥ {}",
            ks_bound(n)
        );
        // The test can fail: the same draws against the law without the
        // jumps' compensation −λk̄T are far off.
        let uncompensated = Params {
            drift: p.drift
                + p.jump_intensity * ((p.jump_mean + 0.5 * p.jump_sd.powi(2)).exp() - 1.0),
            ..p
        };
        let wrong = ks_distance(draws, log_price_cdf(&uncompensated, t));
        assert!(
            wrong > 3.0 * ks_bound(n),
            "{label}: a wrong law passes ({wrong})"
        );
    }
}

#[test]
fn power_factor_transition_follows_its_normal_law() {
    use statrs::distribution::{ContinuousCDF, Normal};
    let p = Params {
        step_days: 30,
        x0: 0.8,
        ..REFERENCE
    };
    let s = scenario(&p);
    let pf = s.power_factor();
    let n = 20_000usize;
    let draws: Vec<f64> = (0..n as u64)
        .map(|i| {
            let mut rng = stream(9, i, "test.power_factor");
            let x = pf.step(pf.initial(), &mut rng);
            pf.step(x, &mut rng)
        })
        .collect();
    let t = 60.0 / 365.0;
    let law = |kappa: f64| {
        let (mean, var) = ou_law(p.x0, kappa, p.sigma_x, t);
        Normal::new(mean, var.sqrt()).expect("law")
    };
    let exact = law(p.kappa);
    let exact_sd = ou_law(p.x0, p.kappa, p.sigma_x, t).1.sqrt();
    let d = ks_distance(draws.clone(), |x| exact.cdf(x));
    assert!(d < ks_bound(n), "KS distance {d} ≥ {}", ks_bound(n));
    // An Euler step's law (mean x0·(1 − κΔ)² after two steps, 0.45 against
    // the exact 0.49) is rejected: the test can fail.
    let dt = 30.0 / 365.0;
    let euler_mean = p.x0 * (1.0 - p.kappa * dt).powi(2);
    let euler = Normal::new(euler_mean, exact_sd).expect("law");
    let wrong = ks_distance(draws, |x| euler.cdf(x));
    assert!(wrong > 3.0 * ks_bound(n), "an Euler law passes ({wrong})");
}

#[test]
fn fee_per_block_follows_its_lognormal_law() {
    use statrs::distribution::{ContinuousCDF, LogNormal};
    // The engine's own fee draws, read back through an exported trace.
    let p = Params {
        horizon_days: 2,
        ..REFERENCE
    };
    let s = scenario(&p);
    let n = 5_000usize;
    let draws: Vec<f64> = (0..n as u64)
        .map(|i| {
            let trace = hashwatt::engine::trace(&s, 12, i);
            trace
                .series("fee_btc_per_block")
                .and_then(|v| v.get(1).copied())
                .expect("recorded")
        })
        .collect();
    let sigma = p.fee_volatility;
    let law = LogNormal::new(FEE.ln() - 0.5 * sigma * sigma, sigma).expect("law");
    let d = ks_distance(draws.clone(), |x| law.cdf(x));
    assert!(d < ks_bound(n), "KS distance {d} ≥ {}", ks_bound(n));
    // Without the −σ²/2 that makes the mean f̄, the law is rejected.
    let median_f = LogNormal::new(FEE.ln(), sigma).expect("law");
    let wrong = ks_distance(draws, |x| median_f.cdf(x));
    assert!(wrong > 3.0 * ks_bound(n), "a wrong law passes ({wrong})");
}

/// The sketch's quantiles against the exact order statistics of the same
/// values, within its promised relative error of 1/128 (model.md,
/// Statistics), merged from chunks in any order.
#[test]
fn sketch_quantiles_are_within_their_promised_error_of_the_exact_ones() {
    use hashwatt::stats::{BUCKETS_PER_OCTAVE, Distribution, QUANTILES};
    let mut rng = stream(4, 0, "test.sketch");
    let values: Vec<f64> = (0..100_000)
        .map(|_| {
            let z: f64 = rand::RngExt::sample(&mut rng, rand_distr::StandardNormal);
            (3.0 + 2.0 * z).exp()
        })
        .collect();
    let mut merged = Distribution::default();
    for chunk in values.chunks(1000).rev() {
        merged.add_chunk(chunk);
    }
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let bound = 1.0 / BUCKETS_PER_OCTAVE as f64;
    for (&q, &got) in QUANTILES.iter().zip(&merged.statistics().quantiles) {
        // The sketch's rank convention: the value of rank ⌈q·n⌉ (1-based),
        // between the two neighbouring order statistics.
        let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
        let (lo, hi) = (
            sorted[rank.saturating_sub(2)],
            sorted[rank.min(sorted.len() - 1)],
        );
        assert!(
            got >= lo * (1.0 - bound) && got <= hi * (1.0 + bound),
            "p{}: {got} not within 1/128 of [{lo}, {hi}]",
            q * 100.0
        );
    }
}
