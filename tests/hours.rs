//! Hours within a day (`model::hours`): the closed forms against a
//! brute-force hourly simulation, exact identities, an independent
//! quadrature at extreme dispersions, and parameter validation.

use hashwatt::engine::stream;
use hashwatt::model::hours::{HourlySpread, HourlySpreadParams, HoursError};
use rand::RngExt;
use rand_distr::StandardNormal;

fn params(s: f64, pi: f64, median: f64, spike_s: f64, cap: f64) -> HourlySpreadParams {
    HourlySpreadParams {
        dispersion: s,
        spike_probability: pi,
        spike_median: median,
        spike_dispersion: spike_s,
        cap,
    }
}

fn spread(p: HourlySpreadParams) -> HourlySpread {
    HourlySpread::new(p).expect("valid parameters")
}

/// One brute-force case: parameters, daily price and the bids to check.
struct Case {
    params: HourlySpreadParams,
    daily_price: f64,
    bids: Vec<f64>,
}

/// Running mean and standard error of a sample.
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    sum: f64,
    sum_sq: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        self.sum += x;
        self.sum_sq += x * x;
    }
    fn mean(&self) -> f64 {
        self.sum / self.n
    }
    fn standard_error(&self) -> f64 {
        let mean = self.mean();
        let variance = (self.sum_sq / self.n - mean * mean).max(0.0) * self.n / (self.n - 1.0);
        (variance / self.n).sqrt()
    }
}

fn check_within_4_se(what: &str, case: usize, bid: f64, exact: f64, sample: &Moments) {
    let se = sample.standard_error();
    let mc = sample.mean();
    // 4 standard errors; the tiny absolute slack only matters where the
    // sample is constant (se = 0, e.g. an uptime of exactly 0 or 1).
    let tolerance = 4.0 * se + 1e-12 * (1.0 + exact.abs());
    assert!(
        (exact - mc).abs() <= tolerance,
        "case {case}, bid {bid}: {what} closed form {exact} vs simulated {mc} ± {se} (|diff| = {:.3} se)",
        (exact - mc).abs() / se
    );
}

#[test]
fn closed_forms_match_a_brute_force_hourly_simulation() {
    const N: usize = 200_000;
    let cases = [
        // Typical: mild dispersion, rare spikes well below the cap.
        Case {
            params: params(0.35, 0.01, 800.0, 0.8, 5_000.0),
            daily_price: 45.0,
            bids: vec![
                20.0,
                45.0 * (-0.5 * 0.35f64 * 0.35).exp(),
                60.0,
                3_000.0,
                6_000.0,
            ],
        },
        // Frequent spikes with a large mass at the cap (P(Y > cap) ≈ 0.24).
        Case {
            params: params(0.6, 0.05, 1_500.0, 1.0, 3_000.0),
            daily_price: 60.0,
            bids: vec![25.0, 60.0 * (-0.18f64).exp(), 100.0, 2_000.0, 3_000.0, 1e6],
        },
        // Degenerate: s = 0 and s_k = 0, spikes (400) above the cap (300).
        Case {
            params: params(0.0, 0.1, 400.0, 0.0, 300.0),
            daily_price: 50.0,
            bids: vec![49.9, 50.0, 200.0, 299.0, 300.0, 400.0],
        },
        // No spikes, large dispersion, normal hours reaching the cap.
        Case {
            params: params(1.2, 0.0, 1_000.0, 0.0, 500.0),
            daily_price: 80.0,
            bids: vec![10.0, 80.0 * (-0.72f64).exp(), 80.0, 499.0, 1_000.0],
        },
        // Daily price above the cap, wide spikes.
        Case {
            params: params(0.5, 0.02, 2_000.0, 1.5, 300.0),
            daily_price: 350.0,
            bids: vec![100.0, 290.0, 300.0],
        },
        // Very wide spikes (the large-σ branch of the partial expectation).
        Case {
            params: params(0.2, 0.2, 100.0, 3.0, 10_000.0),
            daily_price: 30.0,
            bids: vec![5.0, 30.0, 200.0, 9_999.0],
        },
    ];
    for (index, case) in cases.iter().enumerate() {
        let spread = spread(case.params);
        let p = case.params;
        let mut rng = stream(20_260_101, index as u64, "test.hours");
        let mut prices = Vec::with_capacity(N);
        for _ in 0..N {
            let u: f64 = rng.random();
            let eta: f64 = rng.sample(StandardNormal);
            let z = if u < p.spike_probability {
                p.spike_median * (p.spike_dispersion * eta).exp()
            } else {
                case.daily_price * (p.dispersion * eta - 0.5 * p.dispersion * p.dispersion).exp()
            };
            prices.push(z.min(p.cap));
        }
        let mut mean = Moments::default();
        prices.iter().for_each(|&x| mean.push(x));
        check_within_4_se(
            "mean_price",
            index,
            f64::NAN,
            spread.mean_price(case.daily_price),
            &mean,
        );
        for &bid in &case.bids {
            let (mut up, mut cost, mut sell) =
                (Moments::default(), Moments::default(), Moments::default());
            for &x in &prices {
                let runs = x <= bid;
                up.push(if runs { 1.0 } else { 0.0 });
                cost.push(if runs { x } else { 0.0 });
                sell.push(if runs { 0.0 } else { x });
            }
            let d = case.daily_price;
            check_within_4_se("uptime", index, bid, spread.uptime(d, bid), &up);
            check_within_4_se("energy_cost", index, bid, spread.energy_cost(d, bid), &cost);
            check_within_4_se(
                "sell_back_revenue",
                index,
                bid,
                spread.sell_back_revenue(d, bid),
                &sell,
            );
        }
    }
}

/// Parameter sets for the identities, including the awkward corners.
fn identity_sets() -> Vec<(HourlySpreadParams, f64)> {
    vec![
        (params(0.35, 0.01, 800.0, 0.8, 5_000.0), 45.0),
        (params(0.6, 0.05, 1_500.0, 1.0, 3_000.0), 60.0),
        (params(0.0, 0.1, 400.0, 0.0, 300.0), 50.0),
        (params(0.0, 0.0, 400.0, 0.0, 5_000.0), 50.0),
        (params(1.2, 0.0, 1_000.0, 0.0, 500.0), 80.0),
        (params(0.5, 0.02, 2_000.0, 1.5, 300.0), 350.0),
        (params(0.2, 0.2, 100.0, 3.0, 10_000.0), 30.0),
        (params(0.4, 0.03, 900.0, 6.0, 5_000.0), 40.0),
        (params(2.5, 0.5, 50.0, 12.0, 1e9), 20.0),
        (params(0.3, 0.01, 800.0, 0.8, f64::INFINITY), 45.0),
        (params(0.3, 0.01, 800.0, 0.8, 5_000.0), 0.0),
    ]
}

/// Bids from 0.01 to 20 000 USD/MWh (log grid) plus round values.
fn bid_grid() -> Vec<f64> {
    let mut bids: Vec<f64> = (0..=600)
        .map(|i| 0.01 * 10f64.powf(6.3 * i as f64 / 600.0))
        .collect();
    bids.extend([
        0.0, 30.0, 45.0, 50.0, 60.0, 80.0, 300.0, 350.0, 400.0, 5_000.0,
    ]);
    bids.sort_by(f64::total_cmp);
    bids
}

#[test]
fn uptime_is_one_for_an_unbounded_bid() {
    for (p, daily) in identity_sets() {
        let s = spread(p);
        assert_eq!(s.uptime(daily, f64::INFINITY), 1.0, "{p:?}");
        if p.cap.is_finite() {
            assert_eq!(s.uptime(daily, 2.0 * p.cap), 1.0, "{p:?}");
        }
    }
    // Without a cap, a very large finite bid runs (almost) every hour.
    let s = spread(params(0.3, 0.01, 800.0, 0.8, f64::INFINITY));
    assert!((s.uptime(45.0, 1e12) - 1.0).abs() < 1e-15);
}

#[test]
fn running_and_selling_back_account_for_every_hour() {
    for (p, daily) in identity_sets() {
        let s = spread(p);
        let mean = s.mean_price(daily);
        assert!(mean.is_finite() && mean >= 0.0, "{p:?}: mean {mean}");
        for bid in bid_grid() {
            let cost = s.energy_cost(daily, bid);
            let sell = s.sell_back_revenue(daily, bid);
            assert!(
                cost >= 0.0 && sell >= 0.0,
                "{p:?}, bid {bid}: {cost}, {sell}"
            );
            assert!(
                (cost + sell - mean).abs() <= 1e-12 * mean,
                "{p:?}, daily {daily}, bid {bid}: {cost} + {sell} != {mean}"
            );
        }
    }
}

#[test]
fn a_bid_at_or_above_the_cap_pays_the_mean_price() {
    for (p, daily) in identity_sets() {
        let s = spread(p);
        let mean = s.mean_price(daily);
        for bid in [p.cap, 1.5 * p.cap, f64::INFINITY] {
            assert_eq!(s.energy_cost(daily, bid), mean, "{p:?}, bid {bid}");
            assert_eq!(s.sell_back_revenue(daily, bid), 0.0, "{p:?}, bid {bid}");
        }
    }
}

#[test]
fn uptime_and_energy_cost_do_not_decrease_with_the_bid() {
    for (p, daily) in identity_sets() {
        let s = spread(p);
        let mut previous = (0.0, 0.0, f64::INFINITY);
        for bid in bid_grid() {
            let o = s.outcome(daily, bid);
            assert!((0.0..=1.0).contains(&o.uptime), "{p:?}, bid {bid}: {o:?}");
            assert!(o.uptime >= previous.0, "{p:?}, bid {bid}: uptime fell");
            assert!(o.energy_cost >= previous.1, "{p:?}, bid {bid}: cost fell");
            assert!(
                o.sell_back_revenue <= previous.2,
                "{p:?}, bid {bid}: sell-back rose"
            );
            // Hours that run cost at most the bid each.
            assert!(
                o.energy_cost <= bid * o.uptime * (1.0 + 1e-12),
                "{p:?}, bid {bid}: {o:?}"
            );
            previous = (o.uptime, o.energy_cost, o.sell_back_revenue);
        }
    }
}

#[test]
fn a_flat_day_without_spikes_is_the_daily_step() {
    for cap in [300.0, 5_000.0, f64::INFINITY] {
        let s = spread(params(0.0, 0.0, 1_000.0, 0.7, cap));
        for daily in [0.0, 12.5, 50.0, 299.0] {
            for bid in [0.0, 12.4, 12.5, 49.99, 50.0, 50.01, 298.0, 1e4] {
                let runs = daily <= bid;
                assert_eq!(s.uptime(daily, bid), if runs { 1.0 } else { 0.0 });
                assert_eq!(s.energy_cost(daily, bid), if runs { daily } else { 0.0 });
                assert_eq!(
                    s.sell_back_revenue(daily, bid),
                    if runs { 0.0 } else { daily }
                );
            }
            assert_eq!(s.mean_price(daily), daily);
        }
    }
}

#[test]
fn normal_hours_average_to_the_daily_price() {
    for dispersion in [0.0, 0.1, 0.35, 0.8, 1.5] {
        for cap in [1e12, f64::INFINITY] {
            let s = spread(params(dispersion, 0.0, 1_000.0, 1.0, cap));
            for daily in [0.5, 45.0, 120.0, 3_000.0] {
                let mean = s.mean_price(daily);
                assert!(
                    (mean - daily).abs() <= 1e-12 * daily,
                    "s = {dispersion}, cap {cap}: {mean} vs {daily}"
                );
            }
        }
    }
    // No spikes: even spikes whose uncapped mean overflows do not matter.
    let s = spread(params(0.3, 0.0, 1_000.0, 40.0, f64::INFINITY));
    assert!((s.mean_price(45.0) - 45.0).abs() <= 1e-12 * 45.0);
    assert!(
        (s.sell_back_revenue(45.0, 45.0) + s.energy_cost(45.0, 45.0) - 45.0).abs() < 1e-12 * 45.0
    );
    // With spikes and no cap: (1 − π)·P_d + π·m·e^{s_k²/2}.
    let s = spread(params(0.5, 0.04, 700.0, 0.9, f64::INFINITY));
    let want = 0.96 * 45.0 + 0.04 * 700.0 * (0.5f64 * 0.81).exp();
    assert!((s.mean_price(45.0) - want).abs() <= 1e-12 * want);
}

#[test]
fn outcome_matches_the_single_methods_bit_for_bit() {
    for (p, daily) in identity_sets() {
        let s = spread(p);
        for bid in bid_grid() {
            let o = s.outcome(daily, bid);
            assert_eq!(o.uptime.to_bits(), s.uptime(daily, bid).to_bits());
            assert_eq!(o.energy_cost.to_bits(), s.energy_cost(daily, bid).to_bits());
            assert_eq!(
                o.sell_back_revenue.to_bits(),
                s.sell_back_revenue(daily, bid).to_bits()
            );
            assert_eq!(o.mean_price.to_bits(), s.mean_price(daily).to_bits());
        }
    }
}

#[test]
fn bad_daily_prices_and_bids_give_nan() {
    let s = spread(params(0.35, 0.01, 800.0, 0.8, 5_000.0));
    for daily in [-1.0, f64::NAN, f64::INFINITY] {
        assert!(s.uptime(daily, 50.0).is_nan());
        assert!(s.energy_cost(daily, 50.0).is_nan());
        assert!(s.sell_back_revenue(daily, 50.0).is_nan());
        assert!(s.mean_price(daily).is_nan());
    }
    let o = s.outcome(45.0, f64::NAN);
    assert!(o.uptime.is_nan() && o.energy_cost.is_nan() && o.sell_back_revenue.is_nan());
    assert_eq!(o.mean_price, s.mean_price(45.0));
    // A negative bid never runs (prices are ≥ 0).
    assert_eq!(s.uptime(45.0, -10.0), 0.0);
    assert_eq!(s.energy_cost(45.0, -10.0), 0.0);
}

/// Composite Simpson rule of `f` on `[a, b]` with `n` (even) intervals.
fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    if b <= a {
        return 0.0;
    }
    let h = (b - a) / n as f64;
    let mut sum = f(a) + f(b);
    for i in 1..n {
        let x = a + h * i as f64;
        sum += if i % 2 == 1 { 4.0 } else { 2.0 } * f(x);
    }
    sum * h / 3.0
}

/// `E[X·1{lo < X ≤ hi}]` and `P(X > hi)` for `X = exp(μ + σ·η)`, by
/// quadrature over `η` (the integrand `e^{μ+ση}φ(η)` peaks at `η = σ`).
fn quadrature(mu: f64, sigma: f64, lo: f64, hi: f64) -> (f64, f64) {
    const N: usize = 400_000;
    let z = |x: f64| (x.ln() - mu) / sigma;
    let phi = |e: f64| (-0.5 * e * e).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let (z_lo, z_hi) = (z(lo), z(hi));
    let a = z_lo.max(z_hi.min(sigma) - 40.0);
    let b = z_hi.min(z_lo.max(sigma) + 40.0);
    let partial = simpson(|e| (mu + sigma * e - 0.5 * e * e).exp(), a, b, N)
        / (2.0 * std::f64::consts::PI).sqrt();
    let tail = simpson(phi, z_hi.max(-40.0), z_hi.max(-40.0) + 40.0, N);
    (partial, tail)
}

#[test]
fn closed_forms_match_quadrature_at_extreme_dispersions() {
    // Spike dispersions whose e^{σ²/2} overflows, bids far in both tails.
    for (s_k, median, cap) in [
        (6.0, 900.0, 5_000.0),
        (12.0, 50.0, 1e9),
        (40.0, 500.0, 5_000.0),
    ] {
        let (s_n, pi, daily): (f64, f64, f64) = (0.4, 0.03, 40.0);
        let spread = spread(params(s_n, pi, median, s_k, cap));
        let components = [
            (1.0 - pi, daily.ln() - 0.5 * s_n * s_n, s_n),
            (pi, median.ln(), s_k),
        ];
        for bid in [1e-3, 1.0, 30.0, 40.0, 200.0, 1_000.0, 4_999.0] {
            let (mut cost, mut sell, mut up, mut mean) = (0.0, 0.0, 0.0, 0.0);
            for (w, mu, sigma) in components {
                let (below, _) = quadrature(mu, sigma, 1e-300, bid);
                let (above, cap_mass) = quadrature(mu, sigma, bid, cap);
                let (_, above_bid) = quadrature(mu, sigma, 1e-300, bid);
                cost += w * below;
                sell += w * (above + cap * cap_mass);
                up += w * (1.0 - above_bid);
                mean += w * (below + above + cap * cap_mass);
            }
            let got = spread.outcome(daily, bid);
            for (what, got, want) in [
                ("energy_cost", got.energy_cost, cost),
                ("sell_back_revenue", got.sell_back_revenue, sell),
                ("mean_price", got.mean_price, mean),
                ("uptime", got.uptime, up),
            ] {
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs().max(1e-300) + 1e-14,
                    "s_k = {s_k}, bid {bid}: {what} {got} vs quadrature {want}"
                );
            }
        }
    }
}

#[test]
fn bad_parameters_name_the_parameter() {
    let good = params(0.35, 0.01, 800.0, 0.8, 5_000.0);
    let with = |f: &dyn Fn(&mut HourlySpreadParams)| {
        let mut p = good;
        f(&mut p);
        HourlySpread::new(p)
    };
    let cases: Vec<(HourlySpreadParams, HoursError)> = vec![
        (
            HourlySpreadParams {
                dispersion: f64::NAN,
                ..good
            },
            HoursError::NotFinite {
                field: "dispersion",
                value: f64::NAN,
            },
        ),
        (
            HourlySpreadParams {
                dispersion: f64::INFINITY,
                ..good
            },
            HoursError::NotFinite {
                field: "dispersion",
                value: f64::INFINITY,
            },
        ),
        (
            HourlySpreadParams {
                dispersion: -0.1,
                ..good
            },
            HoursError::Negative {
                field: "dispersion",
                value: -0.1,
            },
        ),
        (
            HourlySpreadParams {
                spike_probability: f64::NAN,
                ..good
            },
            HoursError::NotFinite {
                field: "spike_probability",
                value: f64::NAN,
            },
        ),
        (
            HourlySpreadParams {
                spike_probability: 1.0,
                ..good
            },
            HoursError::ProbabilityOutOfRange {
                field: "spike_probability",
                value: 1.0,
            },
        ),
        (
            HourlySpreadParams {
                spike_probability: -0.01,
                ..good
            },
            HoursError::ProbabilityOutOfRange {
                field: "spike_probability",
                value: -0.01,
            },
        ),
        (
            HourlySpreadParams {
                spike_probability: f64::INFINITY,
                ..good
            },
            HoursError::ProbabilityOutOfRange {
                field: "spike_probability",
                value: f64::INFINITY,
            },
        ),
        (
            HourlySpreadParams {
                spike_median: 0.0,
                ..good
            },
            HoursError::NotPositive {
                field: "spike_median",
                value: 0.0,
            },
        ),
        (
            HourlySpreadParams {
                spike_median: -5.0,
                ..good
            },
            HoursError::NotPositive {
                field: "spike_median",
                value: -5.0,
            },
        ),
        (
            HourlySpreadParams {
                spike_median: f64::INFINITY,
                ..good
            },
            HoursError::NotFinite {
                field: "spike_median",
                value: f64::INFINITY,
            },
        ),
        (
            HourlySpreadParams {
                spike_median: f64::NAN,
                ..good
            },
            HoursError::NotFinite {
                field: "spike_median",
                value: f64::NAN,
            },
        ),
        (
            HourlySpreadParams {
                spike_dispersion: -1.0,
                ..good
            },
            HoursError::Negative {
                field: "spike_dispersion",
                value: -1.0,
            },
        ),
        (
            HourlySpreadParams {
                spike_dispersion: f64::NAN,
                ..good
            },
            HoursError::NotFinite {
                field: "spike_dispersion",
                value: f64::NAN,
            },
        ),
        (
            HourlySpreadParams { cap: 0.0, ..good },
            HoursError::NotPositive {
                field: "cap",
                value: 0.0,
            },
        ),
        (
            HourlySpreadParams {
                cap: -100.0,
                ..good
            },
            HoursError::NotPositive {
                field: "cap",
                value: -100.0,
            },
        ),
        (
            HourlySpreadParams {
                cap: f64::NEG_INFINITY,
                ..good
            },
            HoursError::NotPositive {
                field: "cap",
                value: f64::NEG_INFINITY,
            },
        ),
        (
            HourlySpreadParams {
                cap: f64::NAN,
                ..good
            },
            HoursError::NotFinite {
                field: "cap",
                value: f64::NAN,
            },
        ),
    ];
    for (p, want) in cases {
        let got = HourlySpread::new(p).expect_err("must be refused");
        // NaN != NaN: compare the variant and field through Debug text.
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "{p:?}");
        let field = match want {
            HoursError::NotFinite { field, .. }
            | HoursError::Negative { field, .. }
            | HoursError::ProbabilityOutOfRange { field, .. }
            | HoursError::NotPositive { field, .. } => field,
            _ => unreachable!("no other variant is built here"),
        };
        assert!(got.to_string().starts_with(field), "{got}");
    }
    // The edges that are allowed.
    assert!(with(&|p| p.dispersion = 0.0).is_ok());
    assert!(with(&|p| p.spike_probability = 0.0).is_ok());
    assert!(with(&|p| p.spike_probability = 0.999).is_ok());
    assert!(with(&|p| p.spike_dispersion = 0.0).is_ok());
    assert!(with(&|p| p.cap = f64::INFINITY).is_ok());
    assert!(with(&|p| p.cap = 1e-9).is_ok());
}
