//! Rest-of-world investment, class retirement by age and the network's
//! power (model.md §6; docs/model.md, "Rest-of-world investment and the
//! network's power"), checked on traced paths against the equations written
//! out here: the power cap, the hurdle and the regime's premium, the lead
//! time, the CBECI threshold rule, the surviving fraction of aged classes,
//! and bit-identical results across thread counts.
//!
//! The scenarios are small and written here (not the calibrated files), so
//! that each test controls the one thing it checks; tolerances are bounds on
//! floating-point rounding, derived where they are used.

use hashwatt::engine::{Trace, trace};
use hashwatt::report::{Tables, summary_json};
use hashwatt::scenario::Override;
use hashwatt::{RunConfig, Scenario, Shard, simulate};

/// Unit roundoff of `f64`.
const EPS: f64 = f64::EPSILON;

/// `Φ(z)`, written from its definition (not hashwatt's).
fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// A small world: one calm and one "conflict" regime, fees and (unless
/// asked) the BTC price and the power factor deterministic, four classes,
/// optionally investment and a farm.
#[derive(Debug, Clone)]
struct World {
    step_days: u32,
    horizon_days: u32,
    btc_price: f64,
    btc_volatility: f64,
    /// Transition rates calm → conflict and back, per year.
    to_conflict: f64,
    to_calm: f64,
    /// The conflict regime's hurdle premium, per year.
    conflict_premium: f64,
    /// Initial power factor `X` (held: no reversion, no volatility).
    power_factor: f64,
    /// Rows of `rest_of_world.classes`.
    classes: &'static str,
    investment: Option<Investment>,
    farm: bool,
    /// `[outputs] network_power`.
    network_power: bool,
}

#[derive(Debug, Clone, Copy)]
struct Investment {
    improvement: f64,
    response: f64,
    max_orders: f64,
    lead_days: f64,
    life_years: f64,
    power_mw: f64,
    power_growth_mw: f64,
}

/// Frontier 13.5 J/TH at 16 USD per TH/s (15 % and 10 % cheaper a year),
/// 45 USD/MWh sites, PUE 1.1, 2 % fee, 40 % hurdle; the sizes vary.
const FRONTIER_J_PER_TH: f64 = 13.5;
const HURDLE: f64 = 0.40;
const PUE: f64 = 1.1;

impl Default for Investment {
    fn default() -> Self {
        Investment {
            improvement: 0.15,
            response: 2000.0,
            max_orders: 450.0,
            lead_days: 120.0,
            life_years: 20.0,
            power_mw: 1e7,
            power_growth_mw: 0.0,
        }
    }
}

/// Classes without ages: nothing retires.
const AGELESS: &str = r#"
  { name = "new",    installed_ehs = 700.0, efficiency_j_per_th = 16.0 },
  { name = "mid",    installed_ehs = 300.0, efficiency_j_per_th = 22.0 },
  { name = "old",    installed_ehs = 200.0, efficiency_j_per_th = 30.0 },
  { name = "oldest", installed_ehs = 150.0, efficiency_j_per_th = 42.0 },
"#;

/// The same classes with age profiles: `old` is half retired at day 0 and
/// gone after a year, `oldest` (one age) retires at once at day 365, `new`
/// from day 365 to day 1095, `mid` never.
const AGED: &str = r#"
  { name = "new",    installed_ehs = 700.0, efficiency_j_per_th = 16.0, age_years = [0.0, 2.0], life_years = 3.0 },
  { name = "mid",    installed_ehs = 300.0, efficiency_j_per_th = 22.0 },
  { name = "old",    installed_ehs = 200.0, efficiency_j_per_th = 30.0, age_years = [4.0, 6.0], life_years = 5.0 },
  { name = "oldest", installed_ehs = 150.0, efficiency_j_per_th = 42.0, age_years = [3.0, 3.0], life_years = 4.0 },
"#;

/// `(youngest, oldest, life)`, years.
type Ages = (f64, f64, f64);

/// Installed EH/s of the classes at day 0, before retirements.
const INSTALLED_EHS: f64 = 1350.0;

/// `(installed EH/s, J/TH, [youngest, oldest, life] years)` of [`AGED`]
/// ([`AGELESS`] without the ages).
const AGED_CLASSES: [(f64, f64, Option<Ages>); 4] = [
    (700.0, 16.0, Some((0.0, 2.0, 3.0))),
    (300.0, 22.0, None),
    (200.0, 30.0, Some((4.0, 6.0, 5.0))),
    (150.0, 42.0, Some((3.0, 3.0, 4.0))),
];

const MEDIAN_PRICE: f64 = 45.0;
const DISPERSION: f64 = 0.4;

impl Default for World {
    fn default() -> Self {
        World {
            step_days: 1,
            horizon_days: 365,
            btc_price: 91_000.0,
            btc_volatility: 0.0,
            to_conflict: 0.0,
            to_calm: 0.0,
            conflict_premium: 0.0,
            power_factor: 0.0,
            classes: AGELESS,
            investment: Some(Investment::default()),
            farm: false,
            network_power: true,
        }
    }
}

impl World {
    fn text(&self) -> String {
        let investment = match self.investment {
            None => String::new(),
            Some(i) => format!(
                r#"
[rest_of_world.investment]
frontier_efficiency_j_per_th = {FRONTIER_J_PER_TH:?}
frontier_improvement_per_year = {:?}
machine_cost_usd_per_th = 16.0
machine_cost_decline_per_year = 0.10
site_power_price_usd_per_mwh = 45.0
pool_fee = 0.02
pue = {PUE:?}
hurdle_rate = {HURDLE:?}
response_ehs_per_year = {:?}
max_orders_ehs_per_year = {:?}
lead_days = {:?}
life_years = {:?}
power_available_mw = {:?}
power_growth_mw_per_year = {:?}
"#,
                i.improvement,
                i.response,
                i.max_orders,
                i.lead_days,
                i.life_years,
                i.power_mw,
                i.power_growth_mw
            ),
        };
        let farm = if self.farm {
            r#"
[[farms]]
name = "farm"
fleet = [ { model = "S21", units = 1000, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 50.0 }
"#
        } else {
            ""
        };
        format!(
            r#"
name = "investment-test"
start_date = "2026-01-01"
step_days = {step_days}
horizon_days = {horizon_days}

[outputs]
network_power = {network_power}

[network]
height = 930_000
difficulty_ehs = 1000.0

[fees]
mean_btc_per_block = 0.05
volatility = 0.0

[btc_price]
initial_usd = {price:?}

[macro]
initial_regime = "calm"

[[macro.regimes]]
name = "calm"
btc_drift = 0.0
btc_volatility = {vol:?}
transitions = {{ conflict = {to_conflict:?} }}

[[macro.regimes]]
name = "conflict"
btc_drift = 0.0
btc_volatility = {vol:?}
hurdle_premium = {premium:?}
transitions = {{ calm = {to_calm:?} }}

[power_factor]
initial = {x:?}
mean_reversion = 0.0
volatility = 0.0

[rest_of_world]
median_power_price_usd_per_mwh = {MEDIAN_PRICE:?}
price_dispersion = {DISPERSION:?}
classes = [{classes}]
{investment}
{farm}
"#,
            step_days = self.step_days,
            horizon_days = self.horizon_days,
            price = self.btc_price,
            vol = self.btc_volatility,
            to_conflict = self.to_conflict,
            to_calm = self.to_calm,
            premium = self.conflict_premium,
            x = self.power_factor,
            classes = self.classes,
            network_power = self.network_power,
        )
    }

    fn scenario(&self) -> Scenario {
        Scenario::from_toml_str(&self.text()).expect("a valid scenario")
    }
}

fn series<'a>(t: &'a Trace, name: &str) -> &'a [f64] {
    t.series(name)
        .unwrap_or_else(|| panic!("series {name} is recorded"))
}

/// EH/s ordered in each step, `o(t) = C(t) − C(t−1)` with
/// `C = invested + on order` (every order ever placed while nothing
/// retires), and a bound on the rounding of each: the engine's running sums
/// and ours each round by at most `ε·C` per operation, a few operations per
/// step, so `|error of o(t)| ≤ 8ε·max C`.
fn orders(t: &Trace) -> (Vec<f64>, f64) {
    let invested = series(t, "rest_of_world.invested_ehs");
    let on_order = series(t, "rest_of_world.on_order_ehs");
    let total: Vec<f64> = invested.iter().zip(on_order).map(|(a, b)| a + b).collect();
    let orders = (0..total.len())
        .map(|s| total[s] - if s == 0 { 0.0 } else { total[s - 1] })
        .collect();
    let biggest = total.iter().fold(0.0, |a: f64, &b| a.max(b));
    (orders, 8.0 * EPS * biggest)
}

/// Expected annual return of a frontier machine ordered at step `step`,
/// by hand: `365·(HP·(1 − f) − 0.024·e_f·PUE·p·exp(X))/(1000·c)` with
/// `e_f = 13.5·(1 − g)^(d/365)` and `c = 16·0.9^(d/365)`.
fn expected_return(s: &Scenario, inv: &Investment, t: &Trace, step: usize) -> f64 {
    let years = step as f64 * f64::from(s.step_days()) / 365.0;
    let hp = series(t, "hashprice_usd_per_ph_day")[step];
    let efficiency = FRONTIER_J_PER_TH * (1.0 - inv.improvement).powf(years);
    let cost = 16.0 * 0.9f64.powf(years);
    let energy = 0.024 * efficiency * PUE * 45.0 * t.power_factor[step].exp();
    365.0 * (hp * 0.98 - energy) / (1000.0 * cost)
}

/// The order the model prescribes at step `step` with unlimited power,
/// `min(o_max, R·max(0, r − h − h_regime))·Δy`, and a bound on the rounding
/// of `R·r·Δy` (ours and the engine's, which tabulates `e_f` and `c`: a few
/// ε of each factor, 64ε of the product in all).
fn prescribed(s: &Scenario, inv: &Investment, t: &Trace, step: usize) -> (f64, f64) {
    let r = expected_return(s, inv, t, step);
    let premium = s.regimes().regimes()[t.macro_regime[step]].hurdle_premium;
    let years = f64::from(s.step_days()) / 365.0;
    let order = (inv.response * (r - HURDLE - premium).max(0.0)).min(inv.max_orders) * years;
    (order, 64.0 * EPS * inv.response * r.abs() * years)
}

// (a) ---------------------------------------------------------------------

/// At a high BTC price every step wants more than the power allows: the
/// machines installed and on order, at the efficiency of their order date,
/// fill the site MW available exactly and never more.
#[test]
fn investment_never_commits_more_power_than_is_available() {
    for step_days in [1, 7] {
        let inv = Investment {
            response: 1e6,
            max_orders: 1e6,
            lead_days: 90.0,
            power_mw: 500.0,
            power_growth_mw: 1000.0,
            ..Investment::default()
        };
        let world = World {
            step_days,
            horizon_days: 1095,
            btc_price: 300_000.0,
            investment: Some(inv),
            ..World::default()
        };
        let s = world.scenario();
        let plan = s.investment_plan().expect("investment");
        assert_eq!(plan.pue(), PUE);
        for path in 0..3 {
            let t = trace(&s, 11, path);
            let (orders, tol_ehs) = orders(&t);
            // Machine MW of every order so far, at its order date's J/TH.
            let mut mw = 0.0;
            for (step, &o) in orders.iter().enumerate() {
                mw += o * plan.frontier_efficiency(step);
                // Rounding: `tol_ehs` per order, times the largest J/TH and
                // the PUE, summed over the orders.
                let tol = tol_ehs * FRONTIER_J_PER_TH * PUE * (step + 1) as f64;
                let committed = mw * PUE;
                let available = plan.available_mw(step);
                let expected = 500.0 + 1000.0 * (step as f64 * f64::from(step_days)) / 365.0;
                assert!((available - expected).abs() <= 4.0 * EPS * expected);
                assert!(
                    committed <= available + tol,
                    "Δ {step_days}, path {path}, step {step}: {committed} MW > {available} MW"
                );
                // The cap binds: the orders fill it (not a vacuous bound).
                assert!(
                    committed >= available - tol,
                    "Δ {step_days}, path {path}, step {step}: {committed} MW < {available} MW"
                );
            }
            let invested = series(&t, "rest_of_world.invested_ehs");
            assert!(invested[invested.len() - 1] > 0.0);
        }
    }
}

// (b) ---------------------------------------------------------------------

/// Below the hurdle nothing is ordered, and nothing arrives; above it the
/// order is the response to the excess return, capped.
#[test]
fn no_order_below_the_hurdle() {
    // 30 000 USD: HP ≈ 13.7 USD/PH/day, below the frontier's energy cost
    // (0.024·13.5·1.1·45 = 16.0) net of the fee. 40 days: before the first
    // retarget (the hashrate falls to about a quarter, so 2016 blocks take
    // about two months), so the hashprice stays there.
    let world = World {
        btc_price: 30_000.0,
        horizon_days: 40,
        ..World::default()
    };
    let inv = Investment::default();
    let s = world.scenario();
    let t = trace(&s, 3, 0);
    for step in 0..s.steps() {
        let r = expected_return(&s, &inv, &t, step);
        assert!(
            r < HURDLE,
            "step {step}: return {r} is not below the hurdle"
        );
    }
    assert!(
        series(&t, "rest_of_world.on_order_ehs")
            .iter()
            .all(|&v| v == 0.0)
    );
    assert!(
        series(&t, "rest_of_world.invested_ehs")
            .iter()
            .all(|&v| v == 0.0)
    );

    // Above it, from the first step, at several power prices: the order is
    // the prescribed one, and the library's return is the equation's.
    for x in [0.0, 0.3, -0.2] {
        let s = World {
            power_factor: x,
            ..World::default()
        }
        .scenario();
        let plan = s.investment_plan().expect("investment");
        let t = trace(&s, 3, 0);
        let hp0 = series(&t, "hashprice_usd_per_ph_day")[0];
        let r0 = expected_return(&s, &inv, &t, 0);
        assert!((plan.expected_return(0, hp0, x) - r0).abs() <= 16.0 * EPS * r0.abs());
        assert!(r0 > HURDLE, "X {x}: the world is above the hurdle: {r0}");
        let on_order = series(&t, "rest_of_world.on_order_ehs");
        let (want, rounding) = prescribed(&s, &inv, &t, 0);
        assert!(want > 0.0);
        assert!((on_order[0] - want).abs() <= rounding + 4.0 * EPS * want);
        let (orders, tol) = orders(&t);
        let mut ordering = 0;
        for (step, &o) in orders.iter().enumerate() {
            let (want, rounding) = prescribed(&s, &inv, &t, step);
            assert!(
                (o - want).abs() <= tol + rounding,
                "X {x}, step {step}: ordered {o}, prescribed {want}"
            );
            ordering += usize::from(want > 0.0);
        }
        assert!(ordering > 100, "X {x}: {ordering} steps with orders");
    }
}

/// The macro regime's hurdle premium is added to the hurdle: with common
/// random numbers (one seed, so one regime and price path), a large premium
/// in the conflict regime stops every order placed in it, and nothing else
/// changes the rule.
#[test]
fn the_regime_premium_suppresses_orders() {
    let inv = Investment {
        response: 1e5,
        max_orders: 300.0,
        ..Investment::default()
    };
    let base = World {
        btc_price: 150_000.0,
        btc_volatility: 0.5,
        to_conflict: 4.0,
        to_calm: 4.0,
        investment: Some(inv),
        ..World::default()
    };
    let calm_premium = base.scenario();
    let dear = World {
        conflict_premium: 10.0,
        ..base.clone()
    }
    .scenario();
    let conflict = 1;
    assert_eq!(dear.regimes().regimes()[conflict].hurdle_premium, 10.0);
    let mut checked = 0;
    for path in 0..8 {
        let a = trace(&calm_premium, 5, path);
        let b = trace(&dear, 5, path);
        // Common random numbers: the same regimes and BTC prices.
        assert_eq!(a.macro_regime, b.macro_regime);
        assert_eq!(series(&a, "btc_price_usd"), series(&b, "btc_price_usd"));
        let in_conflict: Vec<usize> = (0..a.macro_regime.len())
            .filter(|&s| a.macro_regime[s] == conflict)
            .collect();
        if in_conflict.is_empty() || in_conflict.len() == a.macro_regime.len() {
            continue;
        }
        let (orders_a, tol_a) = orders(&a);
        let (orders_b, tol_b) = orders(&b);
        let mut ordering_in_conflict = 0;
        for step in 0..orders_a.len() {
            let (want_a, round_a) = prescribed(&calm_premium, &inv, &a, step);
            let (want_b, round_b) = prescribed(&dear, &inv, &b, step);
            assert!((orders_a[step] - want_a).abs() <= tol_a + round_a);
            assert!((orders_b[step] - want_b).abs() <= tol_b + round_b);
            if a.macro_regime[step] == conflict {
                // With the premium, no order in the conflict regime (it
                // exceeds any excess return); without it, orders go on.
                assert_eq!(want_b, 0.0, "path {path}, step {step}");
                assert!(orders_b[step].abs() <= tol_b, "path {path}, step {step}");
                if want_a > 0.0 {
                    ordering_in_conflict += 1;
                }
            }
        }
        let total = |t: &Trace| {
            let i = series(t, "rest_of_world.invested_ehs");
            let o = series(t, "rest_of_world.on_order_ehs");
            i[i.len() - 1] + o[o.len() - 1]
        };
        assert!(ordering_in_conflict > 0, "path {path}");
        assert!(total(&b) < total(&a), "path {path}");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} paths visit both regimes");
}

// (c) ---------------------------------------------------------------------

/// An order placed in step `t` hashes from step `t + n_lead`,
/// `n_lead = max(1, round(lead_days/Δ))`: the first step with invested
/// machines is exactly `n_lead` after the first order, and from then on the
/// installed EH/s are the orders placed `n_lead` steps or more ago.
#[test]
fn orders_arrive_after_the_lead_time() {
    for (step_days, lead_days, lead_steps) in [
        (1, 120.0, 120),
        (1, 0.0, 1),
        (7, 120.0, 17), // 17.14 steps
        (7, 94.0, 13),  // 13.43 steps
        (7, 3.0, 1),
    ] {
        let world = World {
            step_days,
            horizon_days: 730,
            investment: Some(Investment {
                lead_days,
                ..Investment::default()
            }),
            ..World::default()
        };
        let s = world.scenario();
        assert_eq!(s.investment_plan().expect("plan").lead_steps(), lead_steps);
        let t = trace(&s, 9, 0);
        let on_order = series(&t, "rest_of_world.on_order_ehs");
        let invested = series(&t, "rest_of_world.invested_ehs");
        let first_order = on_order.iter().position(|&v| v > 0.0).expect("an order");
        let first_arrival = invested.iter().position(|&v| v > 0.0).expect("an arrival");
        assert_eq!(
            first_arrival,
            first_order + lead_steps,
            "Δ {step_days}, lead {lead_days} days"
        );
        let (orders, tol) = orders(&t);
        let mut arrived = 0.0;
        for step in 0..invested.len() {
            if step >= lead_steps {
                arrived += orders[step - lead_steps];
            }
            let bound = tol * (step + 1) as f64;
            assert!(
                (invested[step] - arrived).abs() <= bound,
                "Δ {step_days}, lead {lead_days}, step {step}: {} vs {arrived}",
                invested[step]
            );
        }
    }
}

// (d) ---------------------------------------------------------------------

/// `network.power_mw` and `network.cbeci_power_mw` at step 0 of a world
/// held at power factor `x` (the hashprice at step 0 does not depend on it).
fn step0_power(x: f64, farm: bool) -> (f64, f64, f64, f64) {
    let world = World {
        power_factor: x,
        farm,
        ..World::default()
    };
    let s = world.scenario();
    assert!(s.records_network_power());
    let t = trace(&s, 1, 0);
    (
        series(&t, "network.power_mw")[0],
        series(&t, "network.cbeci_power_mw")[0],
        series(&t, "hashrate_ehs")[0],
        series(&t, "hashprice_usd_per_ph_day")[0],
    )
}

/// Online network power falls as the world power price rises (the CBECI
/// threshold shape): each class runs at the sites cheaper than its
/// breakeven, and a higher `X` makes every site dearer.
#[test]
fn online_network_power_falls_as_the_world_power_price_rises() {
    let grid = [-0.8, -0.4, -0.1, 0.0, 0.1, 0.4, 0.8];
    let mut last: Option<(f64, f64)> = None;
    for &x in &grid {
        let (power, _, hashrate, hp) = step0_power(x, false);
        // By hand: Σ installed·Φ((ln HP − ln(0.024·e) − ln m − X)/s)·e.
        let (mut by_hand, mut sum) = (0.0, 0.0);
        let mut online_ehs = 0.0;
        for &(ehs, e, _) in &AGED_CLASSES {
            let z = ((hp / (0.024 * e)).ln() - MEDIAN_PRICE.ln() - x) / DISPERSION;
            by_hand += ehs * phi(z) * e;
            online_ehs += ehs * phi(z);
            sum += ehs * e;
        }
        // hashwatt's Φ is accurate to 1e-12 relative (model.md §1.9), ours
        // (libm) to an ulp; z is rounded by a few ε·|ln|, far less: twice
        // 1e-12 of the installed MW (EH/s) bounds the difference.
        assert!(
            (power - by_hand).abs() <= 2e-12 * sum,
            "X {x}: {power} vs {by_hand}"
        );
        assert!((hashrate - online_ehs).abs() <= 2e-12 * INSTALLED_EHS);
        if let Some((x0, p0)) = last {
            assert!(power < p0, "X {x0} → {x}: {p0} → {power} MW");
        }
        last = Some((x, power));
    }
}

/// CBECI's rule at step 0: hashrate × the unweighted mean of the
/// efficiencies (classes and farm lots) profitable at 50 USD/MWh. It does
/// not see the power price, so it stays put while the simulated power falls.
#[test]
fn cbeci_estimate_follows_its_rule() {
    let mut estimates = Vec::new();
    for x in [-0.4, 0.0, 0.4] {
        let (power, cbeci, hashrate, hp) = step0_power(x, true);
        let threshold = hp / (0.024 * 50.0);
        let models = [16.0, 22.0, 30.0, 42.0, 17.5];
        // No model sits at the threshold (its rounding cannot matter).
        assert!(
            models.iter().all(|e| (e - threshold).abs() > 0.5),
            "{threshold}"
        );
        let profitable: Vec<f64> = models.into_iter().filter(|&e| e <= threshold).collect();
        assert!(
            !profitable.is_empty() && profitable.len() < 5,
            "{profitable:?}"
        );
        let mean = profitable.iter().sum::<f64>() / profitable.len() as f64;
        assert!(
            (cbeci - hashrate * mean).abs() <= 8.0 * EPS * hashrate * mean,
            "X {x}: {cbeci} vs {}",
            hashrate * mean
        );
        estimates.push((power, cbeci / hashrate));
    }
    // The estimated efficiency is the same for every X ...
    assert!(estimates.windows(2).all(|w| w[0].1 == w[1].1));
    // ... while the simulated power falls with X.
    assert!(estimates.windows(2).all(|w| w[1].0 < w[0].0));
}

/// Once invested machines are installed, CBECI's rule counts the frontier
/// model among the profitable ones, and retired classes drop out of it.
#[test]
fn cbeci_counts_the_frontier_and_forgets_retired_classes() {
    let world = World {
        classes: AGED,
        horizon_days: 730,
        ..World::default()
    };
    let s = world.scenario();
    let plan = s.investment_plan().expect("plan");
    let t = trace(&s, 2, 0);
    let invested = series(&t, "rest_of_world.invested_ehs");
    let hp = series(&t, "hashprice_usd_per_ph_day");
    let hashrate = series(&t, "hashrate_ehs");
    let cbeci = series(&t, "network.cbeci_power_mw");
    let mut with_frontier = 0;
    for step in (0..s.steps()).step_by(7) {
        let day = step as f64;
        let threshold = hp[step] / (0.024 * 50.0);
        let mut models: Vec<f64> = AGED_CLASSES
            .iter()
            .filter(|(_, _, age)| age.is_none_or(|a| surviving(a, day) > 0.0))
            .map(|&(_, e, _)| e)
            .collect();
        if invested[step] > 0.0 {
            models.push(plan.frontier_efficiency(step));
            with_frontier += 1;
        }
        let profitable: Vec<f64> = models.iter().copied().filter(|&e| e <= threshold).collect();
        let e = if profitable.is_empty() {
            models.iter().copied().fold(f64::INFINITY, f64::min)
        } else {
            profitable.iter().sum::<f64>() / profitable.len() as f64
        };
        assert!(
            (cbeci[step] - hashrate[step] * e).abs() <= 8.0 * EPS * hashrate[step] * e,
            "step {step}"
        );
    }
    assert!(with_frontier > 10);
}

/// Invested machines run where their margin net of the pool fee and the
/// PUE is positive: with one frontier efficiency (no improvement) they add
/// `invested·Φ((ln HP − ln(0.024·e·PUE/(1 − f)) − ln m − X)/s)` EH/s and
/// that times `e` MW (machine power, without PUE) to the classes'.
#[test]
fn invested_machines_dispatch_at_their_margin() {
    for x in [0.0, 0.5] {
        let world = World {
            power_factor: x,
            investment: Some(Investment {
                improvement: 0.0,
                lead_days: 30.0,
                ..Investment::default()
            }),
            ..World::default()
        };
        let s = world.scenario();
        let t = trace(&s, 8, 0);
        let hp = series(&t, "hashprice_usd_per_ph_day");
        let invested = series(&t, "rest_of_world.invested_ehs");
        let hashrate = series(&t, "hashrate_ehs");
        let power = series(&t, "network.power_mw");
        let z = |h: f64, e: f64| ((h / (0.024 * e)).ln() - MEDIAN_PRICE.ln() - x) / DISPERSION;
        let dispatch_j_per_th = FRONTIER_J_PER_TH * PUE / (1.0 - 0.02);
        for step in 0..s.steps() {
            let h = hp[step];
            let mut ehs = invested[step] * phi(z(h, dispatch_j_per_th));
            let mut mw = ehs * FRONTIER_J_PER_TH;
            for &(installed, e, _) in &AGED_CLASSES {
                ehs += installed * phi(z(h, e));
                mw += installed * phi(z(h, e)) * e;
            }
            // As above: twice 1e-12 of the installed EH/s (MW).
            let installed = INSTALLED_EHS + invested[step];
            assert!(
                (hashrate[step] - ehs).abs() <= 2e-12 * installed,
                "X {x}, step {step}: {} vs {ehs}",
                hashrate[step]
            );
            assert!(
                (power[step] - mw).abs() <= 2e-12 * installed * 42.0,
                "X {x}, step {step}: {} vs {mw}",
                power[step]
            );
        }
        assert!(invested[s.steps() - 1] > 50.0);
    }
}

/// Machines of different order dates sit in cohorts of `W` delivery steps
/// (model.md §6; `W = ⌈n_life/7⌉`), each dispatching at its EH/s-weighted
/// mean efficiency, the J/TH of each machine being the frontier's at its
/// order date, not at its arrival.
#[test]
fn invested_cohorts_dispatch_at_their_mean_efficiency() {
    let inv = Investment {
        improvement: 0.3,
        lead_days: 45.0,
        ..Investment::default()
    };
    let world = World {
        horizon_days: 540,
        investment: Some(inv),
        ..World::default()
    };
    let s = world.scenario();
    let plan = s.investment_plan().expect("plan");
    let (lead, width) = (plan.lead_steps(), plan.cohort_steps());
    // The life (20 years) is clamped to the run: 540 steps, W = ⌈540/7⌉.
    assert_eq!((lead, width), (45, 78));
    let t = trace(&s, 6, 0);
    let hp = series(&t, "hashprice_usd_per_ph_day");
    let hashrate = series(&t, "hashrate_ehs");
    let (orders, tol) = orders(&t);
    let z = |h: f64, e: f64| ((h / (0.024 * e)).ln() - MEDIAN_PRICE.ln()) / DISPERSION;
    // Per cohort: EH/s and machine MW.
    let mut cohorts = vec![(0.0, 0.0); s.steps().div_ceil(width)];
    for step in 0..s.steps() {
        if step >= lead {
            let ordered_at = step - lead;
            let e = FRONTIER_J_PER_TH * 0.7f64.powf(ordered_at as f64 / 365.0);
            let c = &mut cohorts[step / width];
            c.0 += orders[ordered_at];
            c.1 += orders[ordered_at] * e;
        }
        let mut online = 0.0;
        for &(installed, e, _) in &AGED_CLASSES {
            online += installed * phi(z(hp[step], e));
        }
        for &(ehs, mw) in cohorts.iter().filter(|c| c.0 > 0.0) {
            online += ehs * phi(z(hp[step], mw / ehs * PUE / 0.98));
        }
        // Each reconstructed order is off by at most `tol`; through a
        // cohort's EH/s and its mean J/TH (φ/s ≤ 1/(0.4·√(2π)) ≈ 1 per unit
        // of relative J/TH) that is at most 3·tol per order, plus Φ's
        // accuracy as above.
        let bound = 3.0 * tol * (step + 1) as f64 + 2e-12 * (INSTALLED_EHS + hashrate[step]);
        assert!(
            (hashrate[step] - online).abs() <= bound,
            "step {step}: {} vs {online}",
            hashrate[step]
        );
    }
    assert!(cohorts.iter().filter(|c| c.0 > 0.0).count() >= 5);
}

// (e) ---------------------------------------------------------------------

/// Share of a class still installed on `day`, ages uniform in
/// `[youngest, oldest]` at day 0, retiring at `life`.
fn surviving((youngest, oldest, life): Ages, day: f64) -> f64 {
    let left = life - day / 365.0 - youngest;
    if oldest > youngest {
        (left / (oldest - youngest)).clamp(0.0, 1.0)
    } else if left > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// Without investment and with the power factor held, the hashrate of each
/// step is the rest-of-world formula on the classes' surviving EH/s.
#[test]
fn classes_retire_by_age() {
    for (step_days, x) in [(1, 0.0), (7, 0.2), (3, -0.3)] {
        let world = World {
            step_days,
            horizon_days: 3 * 365 + 30,
            classes: AGED,
            investment: None,
            power_factor: x,
            ..World::default()
        };
        let s = world.scenario();
        assert!(s.investment().is_none());
        let t = trace(&s, 4, 0);
        assert!(t.power_factor.iter().all(|&v| v == x));
        let hp = series(&t, "hashprice_usd_per_ph_day");
        let hashrate = series(&t, "hashrate_ehs");
        for (step, (&h, &online)) in hp.iter().zip(hashrate).enumerate() {
            let day = (step as u32 * step_days) as f64;
            let by_hand: f64 = AGED_CLASSES
                .iter()
                .map(|&(ehs, e, age)| {
                    let share = age.map_or(1.0, |a| surviving(a, day));
                    let z = ((h / (0.024 * e)).ln() - MEDIAN_PRICE.ln() - x) / DISPERSION;
                    ehs * share * phi(z)
                })
                .sum();
            // As in the power test: twice 1e-12 of the installed EH/s.
            assert!(
                (online - by_hand).abs() <= 2e-12 * INSTALLED_EHS,
                "Δ {step_days}, step {step}: {online} vs {by_hand}"
            );
        }
        // The profile itself: `old` half retired at day 0, gone at one
        // year; `oldest` whole until day 365, then gone; `new` from year 1.
        let old = AGED_CLASSES[2].2.expect("aged");
        let oldest = AGED_CLASSES[3].2.expect("aged");
        let new = AGED_CLASSES[0].2.expect("aged");
        assert_eq!(surviving(old, 0.0), 0.5);
        assert_eq!(surviving(old, 365.0), 0.0);
        assert_eq!(surviving(oldest, 364.0), 1.0);
        assert_eq!(surviving(oldest, 365.0), 0.0);
        assert_eq!(surviving(new, 365.0), 1.0);
        assert_eq!(surviving(new, 730.0), 0.5);
        let installed: Vec<f64> = s.rest_of_world().installed_at(0).collect();
        assert_eq!(installed, [700.0, 300.0, 100.0, 150.0]);
        // Without the power series the engine takes another path to the
        // hashrate; it must retire the classes the same way, to the bit.
        let quiet = World {
            network_power: false,
            ..world
        }
        .scenario();
        assert!(!quiet.records_network_power());
        let t = trace(&quiet, 4, 0);
        assert!(t.series("network.power_mw").is_none());
        assert_eq!(series(&t, "hashrate_ehs"), hashrate);
    }
}

// (f) ---------------------------------------------------------------------

/// The calibrated scenarios with investment give the same `summary.json`
/// with one and two threads.
#[test]
fn investment_scenarios_are_reproducible_across_threads() {
    for file in ["default.toml", "ai-squeeze.toml"] {
        let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
        // 400 days: orders arrive (a 120-day lead) and cohorts fill.
        let short: Override = "horizon_days=400".parse().expect("override");
        let s = Scenario::from_path_with(&path, &[short]).expect("valid");
        assert!(s.investment().is_some(), "{file} models investment");
        let run = |threads| {
            let config = RunConfig {
                seed: 17,
                paths: 300,
                shard: Shard::WHOLE,
                threads: Some(threads),
            };
            let summary = simulate(&s, &config).expect("run");
            (summary_json(&summary, &Tables::of(&summary)), summary)
        };
        let (one, summary) = run(1);
        let (two, _) = run(2);
        assert!(one == two, "{file}: 1 and 2 threads differ");
        // Not trivially equal: machines were ordered and installed.
        let invested = summary
            .series("rest_of_world.invested_ehs")
            .expect("recorded");
        assert!(invested[invested.len() - 1].mean > 0.0, "{file}");
    }
}

#[test]
fn a_bad_investment_life_is_reported_at_its_own_key() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/default.toml");
    let text = std::fs::read_to_string(path).expect("default");
    let broken = text.replacen(
        "life_years = 6.0                        #",
        "life_years = 0.0                        #",
        1,
    );
    assert_ne!(broken, text, "the investment's life is in the file");
    let err = hashwatt::Scenario::from_toml_str(&broken).expect_err("refused");
    assert_eq!(
        err.field(),
        Some("rest_of_world.investment.life_years"),
        "{err}"
    );
}
