//! Farm finance (model.md §6): cost measures recomputed by hand, cash
//! accounting step by step, contract prices and cash under common random
//! numbers, tightness and index prices, insolvency, contract renewal,
//! hedges, machine delivery and retirement.
//!
//! Every comparison is either exact or within a tolerance that covers
//! floating-point rounding only, explained where it is used.

mod common;

use hashwatt::engine::{Trace, trace};
use hashwatt::model::farm::{Contract, Farm};
use hashwatt::model::finance::CashFlow;
use hashwatt::model::units::DAYS_PER_YEAR;
use hashwatt::stats::Distribution;
use hashwatt::stats::FarmMeasure;
use hashwatt::{RunConfig, Scenario, simulate};

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

/// MWh drawn by 1 PH/s at 1 J/TH over a day.
const MWH_PER_PH_DAY_PER_J_TH: f64 = 0.024;

/// Relative tolerance of the comparisons of sums over a path (a thousand
/// or two steps) with the engine's: each step's value agrees to a few ulps
/// (1e-15), sums in a different order lose at most steps·ulp ≈ 1e-13 of the
/// largest term, and ratios of such sums keep that order. 1e-9 leaves a
/// margin of 10⁴ and still catches any modelling error (a wrong term is a
/// relative error of 1e-4 or more).
const REL: f64 = 1e-9;

/// Relative tolerance of one step's value recomputed in another order
/// (a handful of roundings of 2⁻⁵³ each).
const STEP_REL: f64 = 1e-12;

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{SCENARIOS}/{name}")).expect("scenario file")
}

/// `text` up to its first `[[farms]]`, then `farms`.
fn with_farms(text: &str, farms: &str) -> String {
    let at = text.find("\n[[farms]]").expect("the text has farms");
    format!("{}\n{farms}", &text[..at])
}

/// The scenario of `text`; an `extends = "default.toml"` is the one in
/// `scenarios/`.
fn scenario(text: &str) -> Scenario {
    let text = text.replace(
        "extends = \"default.toml\"",
        &format!("extends = \"{SCENARIOS}/default.toml\""),
    );
    Scenario::from_toml_str(&text).unwrap_or_else(|e| panic!("a valid scenario: {e}"))
}

fn series<'a>(t: &'a Trace, name: &str) -> &'a [f64] {
    t.series(name)
        .unwrap_or_else(|| panic!("series {name} is recorded"))
}

fn farm_index(s: &Scenario, name: &str) -> usize {
    s.farms()
        .iter()
        .position(|f| f.name() == name)
        .unwrap_or_else(|| panic!("farm {name}"))
}

#[track_caller]
fn assert_close(what: &str, got: f64, want: f64, rel: f64) {
    let scale = got.abs().max(want.abs());
    assert!(
        (got - want).abs() <= rel * scale,
        "{what}: got {got}, want {want} (relative error {:e})",
        (got - want).abs() / scale
    );
}

/// The value of a farm measure on a run of one path.
#[track_caller]
fn one(d: &Distribution) -> Option<f64> {
    let s = d.statistics();
    match s.n {
        0 => None,
        1 => Some(s.mean),
        n => panic!("{n} values from one path"),
    }
}

/// The reward (subsidy and fees, BTC) of the blocks found at each step of
/// `t`, replaying the network from the scenario's start with the recorded
/// hashrate and fees through the model's `NetworkState::advance`; checks
/// the replay against the recorded difficulty on the way.
fn rewards(s: &Scenario, t: &Trace) -> Vec<f64> {
    let mut net = *s.network();
    let days = f64::from(s.step_days());
    let hashrate = series(t, "hashrate_ehs");
    let fee = series(t, "fee_btc_per_block");
    let difficulty = series(t, "difficulty_ehs");
    (0..s.steps())
        .map(|k| {
            assert_close(
                &format!("difficulty at step {k}"),
                net.difficulty_ehs,
                difficulty[k],
                STEP_REL,
            );
            let found = net.advance(hashrate[k], days);
            found.subsidy_btc + found.blocks * fee[k]
        })
        .collect()
}

/// BTC earned, net of the pool fee, by `online_phs` of a network of
/// `hashrate_ehs` whose blocks paid `reward` BTC (model.md §1.7).
fn btc_earned(farm: &Farm, online_phs: f64, hashrate_ehs: f64, reward: f64) -> f64 {
    online_phs / (1000.0 * hashrate_ehs) * reward * (1.0 - farm.pool_fee())
}

/// Nameplate PH/s of the farm's lots in service on `day`.
fn phs_in_service(farm: &Farm, day: f64) -> f64 {
    farm.fleet()
        .iter()
        .filter(|l| day >= l.purchase_day() && day - l.purchase_day() < l.life_days())
        .map(|l| f64::from(l.units()) * l.th_per_unit() / 1000.0)
        .sum()
}

/// What a farm outside the regions does in one step, by the online rule
/// (model.md §1.8): a lot in service runs the whole step when its
/// breakeven, net of pool fee and PUE, covers the contract price and opex.
#[derive(Debug, Default, Clone, Copy)]
struct Hand {
    /// Hashrate online (availability included), PH/s.
    online_phs: f64,
    /// Nameplate PH/s of the lots that ran, and of those in service.
    running_phs: f64,
    phs_in_service: f64,
    energy_mwh: f64,
    available_mwh: f64,
    depreciation_usd: f64,
    capex_usd: f64,
}

fn by_hand(farm: &Farm, hashprice: f64, day: f64, days: f64, price: f64) -> Hand {
    let mut h = Hand::default();
    for lot in farm.fleet() {
        let cost = f64::from(lot.units()) * lot.price_usd();
        if lot.purchase_day() > 0.0 && lot.purchase_day() >= day && lot.purchase_day() < day + days
        {
            h.capex_usd += cost;
        }
        if !(day >= lot.purchase_day() && day - lot.purchase_day() < lot.life_days()) {
            continue;
        }
        let phs = f64::from(lot.units()) * lot.th_per_unit() / 1000.0;
        let mwh_per_ph_day = MWH_PER_PH_DAY_PER_J_TH * lot.efficiency_j_per_th() * farm.pue();
        let available = phs * farm.availability();
        h.phs_in_service += phs;
        h.available_mwh += available * mwh_per_ph_day * days;
        h.depreciation_usd += cost / lot.life_days() * days;
        let breakeven = hashprice * (1.0 - farm.pool_fee()) / mwh_per_ph_day;
        if breakeven >= price + farm.opex_usd_per_mwh() {
            h.online_phs += available;
            h.running_phs += phs;
            h.energy_mwh += available * mwh_per_ph_day * days;
        }
    }
    h
}

/// The fixed price of `farm`'s contract.
fn fixed_price(farm: &Farm) -> f64 {
    farm.contract()
        .fixed_price_usd_per_mwh()
        .expect("a fixed contract")
}

// ---------------------------------------------------------------------------
// 1. Cost measures by hand on a deterministic path
// ---------------------------------------------------------------------------

/// A farm with every cost of §6: a lot bought before the start and one
/// delivered later, each with its price and life, pool fee, PUE,
/// availability, opex, overhead, an amortising loan and a discount rate.
const MEASURED: &str = r#"[[farms]]
name = "operator"
fleet = [
  { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5, price_usd = 800.0, purchased = "2025-05-24", life_years = 4 },
  { model = "S21 XP", units = 100, th_per_unit = 270.0, efficiency_j_per_th = 13.5, price_usd = 1500.0, purchased = "2027-03-01", life_years = 3 },
]
contract = { kind = "fixed", price_usd_per_mwh = 55.0 }
pool_fee = 0.02
pue = 1.08
availability = 0.97
opex_usd_per_mwh = 4.0
overhead_usd_per_day = 300.0
discount_rate = 0.12
finance = { cash_usd = 2.0e7, debt_usd = 1.5e6, debt_rate = 0.09, amortisation_years = 2.5 }
"#;

#[test]
fn cost_measures_are_their_definitions_on_a_deterministic_path() {
    // Every volatility and jump intensity is 0 in this scenario, so its one
    // path is the same for any seed.
    let s = scenario(&with_farms(
        &read("reference-core-deterministic.toml"),
        MEASURED,
    ));
    let farm = &s.farms()[0];
    // The checker's reading of the dates and lives.
    assert_eq!(farm.fleet()[0].purchase_day(), -549.0);
    assert_eq!(farm.fleet()[1].purchase_day(), 97.0);
    assert_eq!(farm.fleet()[0].life_days(), 4.0 * DAYS_PER_YEAR);
    assert_eq!(farm.fleet()[1].life_days(), 3.0 * DAYS_PER_YEAR);
    let summary = simulate(&s, &RunConfig::new(5, 1)).expect("runs");
    let t = trace(&s, 5, 0);
    assert_eq!(t, trace(&s, 6, 3), "the scenario is deterministic");
    let m = summary.farm("operator").expect("the farm");

    let days = f64::from(s.step_days());
    let price = fixed_price(farm);
    let finance = farm.finance().expect("a balance sheet");
    let hp = series(&t, "hashprice_usd_per_ph_day");
    let btc_price = series(&t, "btc_price_usd");
    let hashrate = series(&t, "hashrate_ehs");
    let online_fraction = series(&t, "farm.operator.online_fraction");
    let cash = series(&t, "farm.operator.cash_usd");
    let reward = rewards(&s, &t);

    let (mut btc, mut revenue, mut power, mut opex, mut overhead) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut interest, mut depreciation, mut energy, mut available) = (0.0, 0.0, 0.0, 0.0);
    let (mut online_ph_days, mut uptime_days, mut service_days) = (0.0, 0.0, 0.0);
    let (mut margin, mut npv, mut capex, mut payback) = (0.0, 0.0, 0.0, None);
    let mut debt = finance.debt_usd();
    let mut balance = finance.cash_usd();
    // What the margin must repay: the first lot's book value at the start,
    // the second lot's full price.
    let capital = 250.0 * 800.0 * (1.0 - 549.0 / (4.0 * DAYS_PER_YEAR)) + 100.0 * 1500.0;
    // Steps with every lot in service running, and with some idle.
    let (mut ran, mut idle) = (0, 0);
    for k in 0..s.steps() {
        let day = days * k as f64;
        let h = by_hand(farm, hp[k], day, days, price);
        let flow = &t.cash_flows[0][k];
        let what = |name: &str| format!("{name} at step {k}");
        let fraction = if h.phs_in_service > 0.0 {
            h.online_phs / h.phs_in_service
        } else {
            0.0
        };
        assert_close(
            &what("online fraction"),
            online_fraction[k],
            fraction,
            STEP_REL,
        );
        if h.running_phs < h.phs_in_service {
            idle += 1;
        } else {
            ran += 1;
        }
        let mined = btc_earned(farm, h.online_phs, hashrate[k], reward[k]);
        assert_close(
            &what("revenue"),
            flow.revenue_usd,
            mined * btc_price[k],
            STEP_REL,
        );
        assert_close(
            &what("power"),
            flow.power_usd,
            h.energy_mwh * price,
            STEP_REL,
        );
        assert_close(
            &what("opex"),
            flow.opex_usd,
            h.energy_mwh * farm.opex_usd_per_mwh(),
            STEP_REL,
        );
        assert_eq!(flow.overhead_usd, 300.0 * days, "{}", what("overhead"));
        let due = debt * finance.debt_rate() * days / DAYS_PER_YEAR;
        let principal = (finance.debt_usd() * days / (2.5 * DAYS_PER_YEAR)).min(debt);
        assert_close(&what("interest"), flow.interest_usd, due, STEP_REL);
        assert_close(&what("principal"), flow.principal_usd, principal, STEP_REL);
        debt -= principal;
        assert_eq!(flow.capex_usd, h.capex_usd, "{}", what("capex"));
        assert_eq!((flow.credits_usd, flow.hedge_usd), (0.0, 0.0));
        let step_margin =
            mined * btc_price[k] - h.energy_mwh * (price + farm.opex_usd_per_mwh()) - 300.0 * days;
        balance += step_margin - due - principal - h.capex_usd;
        assert_close(&what("cash"), cash[k], balance, 1e-12);

        btc += mined;
        revenue += mined * btc_price[k];
        power += h.energy_mwh * price;
        opex += h.energy_mwh * farm.opex_usd_per_mwh();
        overhead += 300.0 * days;
        interest += due;
        depreciation += h.depreciation_usd;
        energy += h.energy_mwh;
        available += h.available_mwh;
        online_ph_days += h.online_phs * days;
        capex += h.capex_usd;
        if h.phs_in_service > 0.0 {
            uptime_days += h.running_phs / h.phs_in_service * days;
            service_days += days;
        }
        margin += step_margin;
        let t_end = day + days;
        npv +=
            (1.0 + farm.discount_rate()).powf(-t_end / DAYS_PER_YEAR) * (step_margin - h.capex_usd);
        if payback.is_none() && margin >= capital {
            payback = Some(t_end);
        }
    }
    // The path is not trivial: the S21 lot stops after the halving while
    // the XP lot runs on, the XP lot is paid for, the loan is repaid.
    assert!(ran > 100 && idle > 100, "ran {ran} steps, idle {idle}");
    assert_eq!(capex, 150_000.0);
    assert!(debt.abs() < 1e-6 * finance.debt_usd(), "debt left {debt}");

    let cash_cost = power + opex;
    let checks = [
        ("btc_mined", one(m.measure(FarmMeasure::BtcMined)), btc),
        ("revenue_usd", one(m.measure(FarmMeasure::Revenue)), revenue),
        (
            "power_cost_usd",
            one(m.measure(FarmMeasure::PowerCost)),
            power,
        ),
        (
            "cash_cost_per_btc_usd",
            one(m.measure(FarmMeasure::CashCostPerBtc)),
            cash_cost / btc,
        ),
        (
            "all_in_cost_per_btc_usd",
            one(m.measure(FarmMeasure::AllInCostPerBtc)),
            (cash_cost + overhead + depreciation + interest) / btc,
        ),
        (
            "breakeven_hashprice_usd_per_ph_day",
            one(m.measure(FarmMeasure::BreakevenHashprice)),
            (cash_cost + overhead + interest) / (online_ph_days * (1.0 - farm.pool_fee())),
        ),
        (
            "breakeven_power_usd_per_mwh",
            one(m.measure(FarmMeasure::BreakevenPower)),
            (revenue - opex - overhead - interest) / energy,
        ),
        ("margin_usd", one(m.measure(FarmMeasure::Margin)), margin),
        (
            "margin_unhedged_usd",
            one(m.measure(FarmMeasure::MarginUnhedged)),
            margin,
        ),
        ("npv_usd", one(m.measure(FarmMeasure::Npv)), npv),
        (
            "uptime_fraction",
            one(m.measure(FarmMeasure::Uptime)),
            uptime_days / service_days,
        ),
        (
            "curtailed_mwh",
            one(m.measure(FarmMeasure::Curtailed)),
            available - energy,
        ),
        (
            "cash_end_usd",
            one(m.measure(FarmMeasure::CashEnd)),
            balance,
        ),
    ];
    for (name, got, want) in checks {
        let got = got.unwrap_or_else(|| panic!("{name} is defined"));
        assert_close(name, got, want, REL);
    }
    assert_eq!(one(m.measure(FarmMeasure::PowerCredits)), Some(0.0));
    assert_eq!(one(m.measure(FarmMeasure::Hedge)), Some(0.0));
    assert_eq!(
        one(m.measure(FarmMeasure::InsolvencyDay)),
        None,
        "the farm stays solvent"
    );
    assert!(payback.is_some(), "the margin repays the capital");
    assert_eq!(one(m.measure(FarmMeasure::PaybackDays)), payback);
    // Breakevens are breakevens: at the breakeven power price the run's
    // margin after interest is zero; at the breakeven hashprice the cash
    // costs, overhead and interest are covered exactly.
    let at_breakeven_power = revenue
        - energy * one(m.measure(FarmMeasure::BreakevenPower)).expect("defined")
        - opex
        - overhead
        - interest;
    assert!(
        at_breakeven_power.abs() < REL * revenue,
        "{at_breakeven_power}"
    );
}

// ---------------------------------------------------------------------------
// 2. Cash adds up on every step
// ---------------------------------------------------------------------------

/// A step's energy (MWh), power bill and capex (USD) recomputed by hand.
#[derive(Debug, Clone, Copy)]
struct Expected {
    energy_mwh: f64,
    power_usd: f64,
    capex_usd: f64,
}

/// Checks farm `f` of `t` step by step: cash moves by the flow's `net_usd`
/// (exactly: it is one addition), `net_usd` is the sum of its parts,
/// revenue is the BTC earned (from a replay of the network) at the step's
/// price, and power, opex, overhead, interest, principal and capex are
/// their definitions, `expected(k)` giving energy, power and capex. After
/// the farm fails nothing moves. Returns the number of steps the farm was
/// solvent.
fn check_cash(s: &Scenario, t: &Trace, f: usize, expected: &dyn Fn(usize) -> Expected) -> usize {
    let farm = &s.farms()[f];
    let name = &farm.name();
    let finance = farm.finance().expect("a balance sheet");
    let days = f64::from(s.step_days());
    let cash = series(t, &format!("farm.{name}.cash_usd"));
    let insolvent = series(t, &format!("farm.{name}.insolvent_fraction"));
    let online_fraction = series(t, &format!("farm.{name}.online_fraction"));
    let btc_price = series(t, "btc_price_usd");
    let hashrate = series(t, "hashrate_ehs");
    let reward = rewards(s, t);
    let mut previous = finance.cash_usd();
    let mut debt = finance.debt_usd();
    let mut solvent_steps = 0;
    for k in 0..s.steps() {
        let flow = &t.cash_flows[f][k];
        let what = |q: &str| format!("{name}: {q} at step {k}");
        assert_eq!(cash[k], previous + flow.net_usd(), "{}", what("cash"));
        let parts = [
            flow.revenue_usd,
            flow.credits_usd,
            flow.hedge_usd,
            -flow.power_usd,
            -flow.opex_usd,
            -flow.overhead_usd,
            -flow.interest_usd,
            -flow.principal_usd,
            -flow.capex_usd,
        ];
        // Summed in another order: the difference is rounding, a few ulps
        // of the largest part or of the cash.
        let sum: f64 = parts.iter().rev().sum();
        let scale = parts.iter().map(|p| p.abs()).sum::<f64>() + previous.abs();
        assert!(
            (cash[k] - previous - sum).abs() <= STEP_REL * scale,
            "{}: {} vs {sum}",
            what("net flow"),
            cash[k] - previous
        );
        previous = cash[k];
        if insolvent[k] == 1.0 {
            // Failed at an earlier step: nothing moves any more.
            assert_eq!(*flow, CashFlow::default(), "{}", what("flow"));
            assert_eq!(online_fraction[k], 0.0, "{}", what("online"));
            continue;
        }
        assert_eq!(insolvent[k], 0.0);
        solvent_steps += 1;
        let day = days * k as f64;
        // The online fraction is of the nameplate in service; availability
        // is in it.
        let online = online_fraction[k] * phs_in_service(farm, day);
        let mined = btc_earned(farm, online, hashrate[k], reward[k]);
        assert_close(
            &what("revenue"),
            flow.revenue_usd,
            mined * btc_price[k],
            STEP_REL,
        );
        let e = expected(k);
        assert_close(&what("power"), flow.power_usd, e.power_usd, STEP_REL);
        assert_close(
            &what("opex"),
            flow.opex_usd,
            e.energy_mwh * farm.opex_usd_per_mwh(),
            STEP_REL,
        );
        assert_eq!(flow.overhead_usd, farm.overhead_usd_per_day() * days);
        let interest = debt * finance.debt_rate() * days / DAYS_PER_YEAR;
        let principal = (finance.debt_usd() * days / finance.amortisation_days()).min(debt);
        assert_close(&what("interest"), flow.interest_usd, interest, STEP_REL);
        assert_close(&what("principal"), flow.principal_usd, principal, STEP_REL);
        debt -= principal;
        assert_eq!(flow.capex_usd, e.capex_usd, "{}", what("capex"));
        assert_eq!(flow.hedge_usd, 0.0);
        if k + 1 < s.steps() {
            // Cash below zero: insolvent from the next step.
            let next = if cash[k] < 0.0 { 1.0 } else { 0.0 };
            assert_eq!(insolvent[k + 1], next, "{}", what("insolvency"));
        }
    }
    solvent_steps
}

#[test]
fn cash_adds_up_on_every_step_outside_the_regions() {
    let farms = MEASURED.replace("2.0e7", "5.0e5");
    let s = scenario(&with_farms(&read("reference-core.toml"), &farms));
    let farm = &s.farms()[0];
    let days = f64::from(s.step_days());
    let price = fixed_price(farm);
    let paths = 8;
    let summary = simulate(&s, &RunConfig::new(17, paths)).expect("runs");
    let mut failed = 0;
    // Per path: margin, all-in cost per BTC and cash at the end, over the
    // steps the farm was in business (docs/model.md, cost measures).
    let (mut margins, mut all_in, mut cash_end) = (Vec::new(), Vec::new(), Vec::new());
    for path in 0..paths {
        let t = trace(&s, 17, path);
        let hp = series(&t, "hashprice_usd_per_ph_day");
        let btc_price = series(&t, "btc_price_usd");
        let expected = |k: usize| {
            let h = by_hand(farm, hp[k], days * k as f64, days, price);
            Expected {
                energy_mwh: h.energy_mwh,
                power_usd: h.energy_mwh * price,
                capex_usd: h.capex_usd,
            }
        };
        let in_business = check_cash(&s, &t, 0, &expected);
        if in_business < s.steps() {
            failed += 1;
        }
        let flows = &t.cash_flows[0][..in_business];
        let depreciation: f64 = (0..in_business)
            .map(|k| by_hand(farm, hp[k], days * k as f64, days, price).depreciation_usd)
            .sum();
        let btc: f64 = flows
            .iter()
            .zip(btc_price)
            .map(|(f, p)| f.revenue_usd / p)
            .sum();
        let costs: f64 = flows
            .iter()
            .map(|f| f.power_usd + f.opex_usd + f.overhead_usd + f.interest_usd)
            .sum();
        margins.push(
            flows
                .iter()
                .map(CashFlow::operating_margin_usd)
                .sum::<f64>(),
        );
        all_in.push((costs + depreciation) / btc);
        cash_end.push(*series(&t, "farm.operator.cash_usd").last().expect("steps"));
    }
    // Half a million of cash against the loan and the second lot: some
    // paths fail, so the check covers insolvency too.
    assert!(failed > 0 && failed < paths, "{failed} paths failed");
    let m = summary.farm("operator").expect("farm");
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert_close(
        "margin",
        m.measure(FarmMeasure::Margin).statistics().mean,
        mean(&margins),
        REL,
    );
    let all_in_mean = m.measure(FarmMeasure::AllInCostPerBtc).statistics().mean;
    assert_close("all-in cost", all_in_mean, mean(&all_in), REL);
    assert_close(
        "cash",
        m.measure(FarmMeasure::CashEnd).statistics().mean,
        mean(&cash_end),
        REL,
    );
    assert_eq!(m.measure(FarmMeasure::InsolvencyDay).count(), failed);
}

/// Energy a one-lot farm in a region drew at step `k` (from its uptime
/// series) and what the lot would draw running the whole step, MWh.
fn region_energy(s: &Scenario, t: &Trace, f: usize, k: usize) -> (f64, f64) {
    let farm = &s.farms()[f];
    let [lot] = farm.fleet() else {
        panic!("one lot")
    };
    let days = f64::from(s.step_days());
    let phs = f64::from(lot.units()) * lot.th_per_unit() / 1000.0;
    let energy_days = phs
        * farm.availability()
        * MWH_PER_PH_DAY_PER_J_TH
        * lot.efficiency_j_per_th()
        * farm.pue()
        * days;
    let uptime = series(t, &format!("farm.{}.uptime_fraction", farm.name()))[k];
    (energy_days * uptime, energy_days)
}

/// ai-squeeze's two farms with balance sheets, and a third on a fixed
/// contract without sell-back in pjm.
const SQUEEZE_FARMS: &str = r#"[[farms]]
name = "operator"
region = "ercot"
fleet = [ { model = "S21", units = 2000, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 50.0, sell_back = true }
pool_fee = 0.02
pue = 1.05
availability = 0.97
opex_usd_per_mwh = 3.0
overhead_usd_per_day = 4000.0
finance = { cash_usd = 3.0e6, debt_usd = 2.0e7, debt_rate = 0.08, amortisation_years = 4 }

[[farms]]
name = "operator-hydro"
region = "hydro"
fleet = [ { model = "S21", units = 2000, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "index", adder_usd_per_mwh = 2.0 }
pool_fee = 0.02
pue = 1.05
availability = 0.97
opex_usd_per_mwh = 3.0
overhead_usd_per_day = 2000.0
finance = { cash_usd = 1.0e6, debt_usd = 1.0e7, debt_rate = 0.10 }

[[farms]]
name = "pjm-fixed"
region = "pjm"
fleet = [ { model = "S19 XP", units = 3000, th_per_unit = 140.0, efficiency_j_per_th = 21.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 62.0, sell_back = false }
pue = 1.1
opex_usd_per_mwh = 2.0
overhead_usd_per_day = 1000.0
finance = { cash_usd = 2.0e6, debt_usd = 5.0e6, debt_rate = 0.07, amortisation_years = 3 }
"#;

#[test]
fn cash_adds_up_on_every_step_in_the_regions() {
    let s = scenario(&with_farms(&read("ai-squeeze.toml"), SQUEEZE_FARMS));
    let mut solvent = [0; 3];
    let paths = 4;
    for path in 0..paths {
        let t = trace(&s, 23, path);
        for (f, farm) in s.farms().iter().enumerate() {
            let price = series(&t, &format!("farm.{}.power_price_usd_per_mwh", farm.name()));
            let expected = |k: usize| {
                let (energy, energy_days) = region_energy(&s, &t, f, k);
                let power = match farm.contract() {
                    // The mean price of the hours run, adders included.
                    Contract::Index { .. } if energy > 0.0 => energy * price[k],
                    Contract::Index { .. } => 0.0,
                    // Take-or-pay at the contract price, the mining adder on
                    // what is used (the series is the price with the adder).
                    Contract::Fixed {
                        price_usd_per_mwh,
                        sell_back: true,
                    } => energy_days * price_usd_per_mwh + energy * (price[k] - price_usd_per_mwh),
                    _ => energy * price[k],
                };
                Expected {
                    energy_mwh: energy,
                    power_usd: power,
                    capex_usd: 0.0,
                }
            };
            solvent[f] += check_cash(&s, &t, f, &expected);
        }
    }
    // Each farm ran for a while, and each failed on some path (the loans
    // are heavy), so both sides of insolvency are checked.
    let steps = paths as usize * s.steps();
    for (f, &n) in solvent.iter().enumerate() {
        assert!(
            n > 500 && n < steps,
            "{}: solvent {n} of {steps} steps",
            s.farms()[f].name()
        );
    }
}

// ---------------------------------------------------------------------------
// 3. A dearer contract never leaves more cash
// ---------------------------------------------------------------------------

/// Two 1 PH/s farms identical but for their contract price, in the same
/// scenario: they see the same path (prices, network, clearing), the
/// strongest form of common random numbers. The cheap one comes first, so
/// that where a clearing rations bids of equal price it is served first.
fn pair(name: &str, region: Option<&str>, low: f64, high: f64, sell_back: Option<bool>) -> String {
    let region = region.map_or(String::new(), |r| format!("region = \"{r}\"\n"));
    let sell_back = sell_back.map_or(String::new(), |b| format!(", sell_back = {b}"));
    [("low", low), ("high", high)]
        .map(|(which, price)| {
            format!(
                r#"[[farms]]
name = "{name}-{which}"
{region}fleet = [ {{ model = "S21", units = 5, th_per_unit = 200.0, efficiency_j_per_th = 17.5 }} ]
contract = {{ kind = "fixed", price_usd_per_mwh = {price:.1}{sell_back} }}
pool_fee = 0.02
pue = 1.05
availability = 0.97
opex_usd_per_mwh = 3.0
overhead_usd_per_day = 20.0
finance = {{ cash_usd = 1.0e6 }}
"#
            )
        })
        .join("\n")
}

/// What the model implies for the pair `name` on one path:
///
/// - the dear farm runs only when (and as much as) the cheap one does: the
///   same hashprice against a higher price (outside the regions), the same
///   clearing with the cheap farm's bid first (in a region);
/// - on the steps they run alike they earn alike, the same BTC at the same
///   price and the same power credits, and the dear one pays more for its
///   power: `Δp` on every MWh (on every MWh contracted, with sell-back);
/// - on a step only the cheap farm runs, it decided to at the step's
///   hashprice; outside the regions its extra cash is then at least the
///   shortfall of the step's revenue below that hashprice (a retarget or
///   a halving within the step), which is the only way it can lose;
/// - so the dear farm never ends with more cash: its losses on the first
///   kind of step are `Δp·E`, and the cheap farm's shortfalls, a few
///   dollars on the odd step, are far smaller (checked on every path).
///
/// Returns the number of steps the cheap farm ran alone.
fn check_pair(s: &Scenario, t: &Trace, name: &str, path: u64) -> usize {
    let (lo, hi) = (
        farm_index(s, &format!("{name}-low")),
        farm_index(s, &format!("{name}-high")),
    );
    let (farm_lo, farm_hi) = (&s.farms()[lo], &s.farms()[hi]);
    let dp = fixed_price(farm_hi) - fixed_price(farm_lo);
    let online = |f: usize| series(t, &format!("farm.{}.online_fraction", s.farms()[f].name()));
    let cash = |f: usize| series(t, &format!("farm.{}.cash_usd", s.farms()[f].name()));
    let (on_lo, on_hi) = (online(lo), online(hi));
    let hp = series(t, "hashprice_usd_per_ph_day");
    let days = f64::from(s.step_days());
    let mut alone = 0;
    for k in 0..s.steps() {
        let at = format!("{name}, path {path}, step {k}");
        assert!(
            on_hi[k] <= on_lo[k],
            "{at}: the dear farm runs {} > {}",
            on_hi[k],
            on_lo[k]
        );
        let (a, b) = (&t.cash_flows[lo][k], &t.cash_flows[hi][k]);
        let phs = phs_in_service(farm_lo, days * k as f64);
        let contracted = phs
            * farm_lo.availability()
            * MWH_PER_PH_DAY_PER_J_TH
            * farm_lo.fleet()[0].efficiency_j_per_th()
            * farm_lo.pue()
            * days;
        let energy = a.opex_usd / farm_lo.opex_usd_per_mwh();
        if on_lo[k] == on_hi[k] {
            assert_eq!(a.revenue_usd, b.revenue_usd, "{at}");
            assert_eq!(a.credits_usd, b.credits_usd, "{at}");
            assert_eq!(a.opex_usd, b.opex_usd, "{at}");
            let sell_back = matches!(
                farm_lo.contract(),
                Contract::Fixed {
                    sell_back: true,
                    ..
                }
            );
            let paid_on = if sell_back { contracted } else { energy };
            // Two products of a few roundings each.
            let scale = b.power_usd.abs() + a.power_usd.abs();
            assert!(
                (b.power_usd - a.power_usd - dp * paid_on).abs() <= STEP_REL * scale,
                "{at}: power {} vs {} + {dp}·{paid_on}",
                b.power_usd,
                a.power_usd
            );
        } else {
            alone += 1;
            if farm_lo.region().is_none() {
                let online_phs = on_lo[k] * phs;
                let decided = hp[k] * (1.0 - farm_lo.pool_fee()) * online_phs * days;
                let shortfall = (a.revenue_usd - decided).min(0.0);
                let gained = a.net_usd() - b.net_usd();
                let scale = a.revenue_usd + a.power_usd + a.opex_usd;
                assert!(
                    gained >= shortfall - STEP_REL * scale,
                    "{at}: the cheap farm alone lost {gained}, more than its revenue's shortfall {shortfall}"
                );
            }
        }
    }
    let (end_lo, end_hi) = (cash(lo)[s.steps() - 1], cash(hi)[s.steps() - 1]);
    assert!(
        end_hi <= end_lo,
        "{name}, path {path}: the dear farm ends with {end_hi} > {end_lo}"
    );
    alone
}

#[test]
fn a_dearer_fixed_contract_never_ends_with_more_cash_outside_the_regions() {
    let s = scenario(&with_farms(
        &read("reference-core.toml"),
        &pair("op", None, 55.0, 62.0, None),
    ));
    let mut alone = 0;
    for path in 0..32 {
        let t = trace(&s, 31, path);
        alone += check_pair(&s, &t, "op", path);
    }
    // The prices straddle the farms' breakeven on many steps.
    assert!(alone > 100, "the cheap farm ran alone on {alone} steps");
}

#[test]
fn a_dearer_fixed_contract_never_ends_with_more_cash_in_a_region() {
    let farms = [
        pair("sb", Some("ercot"), 45.0, 60.0, Some(true)),
        pair("nsb", Some("ercot"), 45.0, 60.0, Some(false)),
    ]
    .join("\n");
    let s = scenario(&with_farms(&read("ai-squeeze.toml"), &farms));
    let (mut alone_sb, mut alone_nsb) = (0, 0);
    for path in 0..32 {
        let t = trace(&s, 37, path);
        alone_sb += check_pair(&s, &t, "sb", path);
        alone_nsb += check_pair(&s, &t, "nsb", path);
    }
    assert!(alone_sb > 100 && alone_nsb > 100, "{alone_sb}, {alone_nsb}");
}

// ---------------------------------------------------------------------------
// 4. A tighter region never lowers the index price
// ---------------------------------------------------------------------------

/// One region without regional miners, and two index farms of a single
/// machine of 10⁻⁹ TH/s: 10⁻¹⁵ EH/s, below half an ulp of the ~10³ EH/s
/// network, so the farms' hashrate leaves the network's bits unchanged.
/// With no other miner in the region, nothing the grid does reaches the
/// network: the hashprice, and so every bid, is the same with or without
/// data centers, and the only change a pipeline makes is more load. The
/// hours have no spikes (see the test).
const INDEX_REGION: &str = concat!(
    common::small_world_header!("index-region", 730),
    common::calm_conflict_fuel_regimes!(),
    common::power_factor!(),
    common::rest_of_world_j20!(),
    common::tight_region!(),
    r#"additions = [ { mw = 6000, date = "2026-06-01", cost_usd_per_mwh = 20, delay_median_days = 60, delay_dispersion = 0.5 } ]
hours = { dispersion = 0.4 }

[regions.politics]
initial = "neutral"
regimes = [
  { name = "neutral", policy = "first_come", mining_adder_usd_per_mwh = 0, transitions = { taxed = 0.5 } },
  { name = "taxed", policy = "ai_first", mining_adder_usd_per_mwh = 8, transitions = { neutral = 1.0 } },
]

[[farms]]
name = "new"
region = "tight"
fleet = [ { model = "dust", units = 1, th_per_unit = 1e-9, efficiency_j_per_th = 17.5 } ]
contract = { kind = "index", adder_usd_per_mwh = 3.0 }

[[farms]]
name = "old"
region = "tight"
fleet = [ { model = "dust", units = 1, th_per_unit = 1e-9, efficiency_j_per_th = 34.0 } ]
contract = { kind = "index", adder_usd_per_mwh = 3.0 }
"#,
);

/// A data-center wave queuing in the region (as in tests/competition.rs).
const WAVE: &str = concat!(common::datacenter_wave!(), "curtailable = 0.1\n");

/// With the same bids, more inflexible load (the connected data centers)
/// and one more bid at the cap (their curtailable load) can only push the
/// clearing's load, and so the daily price, up (each bid served takes the
/// load to `min(load + MW, reach)`, non-decreasing in the load). An index
/// farm pays the mean price of the hours it runs, `E[p | p ≤ bid]`, or the
/// mean price when it runs none: for lognormal hours both rise with the
/// daily price (the first because the truncated normal's variance is below
/// 1), and a farm served less pays the mean over fewer, dearer hours. So
/// its price never falls, on any step.
///
/// (With spikes, `E[p | p ≤ bid]` mixes normal hours with spike hours whose
/// price does not follow the day's; a dearer day shifts weight to the spikes
/// below the bid, and the mean can fall: hence the hours without spikes.)
#[test]
fn a_tighter_region_never_lowers_the_price_of_index_farms() {
    let base = scenario(INDEX_REGION);
    let squeezed = scenario(&format!("{INDEX_REGION}{WAVE}"));
    let (mut dearer, mut steps) = (0, 0);
    for path in 0..32 {
        let (a, b) = (trace(&base, 41, path), trace(&squeezed, 41, path));
        // The premise: the network is the same, bit for bit.
        for name in ["hashrate_ehs", "hashprice_usd_per_ph_day", "btc_price_usd"] {
            assert_eq!(series(&a, name), series(&b, name), "{name}, path {path}");
        }
        let daily = "region.tight.price_usd_per_mwh";
        for (k, (x, y)) in series(&a, daily).iter().zip(series(&b, daily)).enumerate() {
            assert!(y >= x, "path {path}, step {k}: daily price {y} < {x}");
        }
        for farm in ["new", "old"] {
            let name = format!("farm.{farm}.power_price_usd_per_mwh");
            let (pa, pb) = (series(&a, &name), series(&b, &name));
            for (k, (x, y)) in pa.iter().zip(pb).enumerate() {
                steps += 1;
                // Equal daily prices give the same quotient of products
                // that differ only by the served share, which rounds: a few
                // ulps.
                assert!(
                    *y >= x * (1.0 - 1e-14),
                    "{farm}, path {path}, step {k}: {y} < {x} USD/MWh"
                );
                if *y > x * (1.0 + 1e-9) {
                    dearer += 1;
                }
            }
        }
    }
    // Not vacuous: the data centers made power dearer on many steps.
    assert!(dearer * 10 > steps, "dearer on {dearer} of {steps} steps");
}

// ---------------------------------------------------------------------------
// 5. Insolvency
// ---------------------------------------------------------------------------

/// A farm that can fail: dear power, overhead and a large loan against a
/// small cash pile (interest only). After the halving it idles and pays
/// overhead and interest until its cash runs out, unless the BTC price
/// rescues it.
const FRAGILE: &str = r#"[[farms]]
name = "fragile"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 70.0 }
overhead_usd_per_day = 500.0
finance = { cash_usd = 1.0e6, debt_usd = 5.0e6, debt_rate = 0.10 }

[[farms]]
name = "safe"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 30.0 }
finance = { cash_usd = 1.0e7 }
"#;

#[test]
fn insolvency_stops_the_farm_and_is_counted() {
    let s = scenario(&with_farms(&read("reference-core.toml"), FRAGILE));
    let paths = 64;
    let seed = 43;
    let summary = simulate(&s, &RunConfig::new(seed, paths)).expect("runs");
    let days = f64::from(s.step_days());
    let last = s.steps() - 1;
    let row = s.rest_of_world();
    let mut failed_days = Vec::new();
    // How many paths had failed by each step.
    let mut failed_by = vec![0u32; s.steps()];
    // Each path's operating margin, from its cash flows.
    let mut margins = Vec::new();
    for path in 0..paths {
        let t = trace(&s, seed, path);
        let insolvent = series(&t, "farm.fragile.insolvent_fraction");
        let cash = series(&t, "farm.fragile.cash_usd");
        let online = series(&t, "farm.fragile.online_fraction");
        let safe_online = series(&t, "farm.safe.online_fraction");
        let hp = series(&t, "hashprice_usd_per_ph_day");
        let hashrate = series(&t, "hashrate_ehs");
        // The safe farm never fails: with no debt or overhead it loses at
        // most a step's power bill (50 PH/s · 0.42 MWh · 30 USD ≈ 630 USD)
        // on a step it runs at a loss, a few hundred thousand over the
        // horizon against ten million of cash.
        assert!(
            series(&t, "farm.safe.insolvent_fraction")
                .iter()
                .all(|&x| x == 0.0)
        );
        let failed = cash.iter().position(|&c| c < 0.0);
        for k in 0..s.steps() {
            let at = format!("path {path}, step {k}");
            // Still in business at the failing step, out from the next.
            let out = failed.is_some_and(|f| k > f);
            assert_eq!(insolvent[k], if out { 1.0 } else { 0.0 }, "{at}");
            if out {
                failed_by[k] += 1;
                let f = failed.expect("failed");
                assert_eq!(cash[k], cash[f], "{at}: cash frozen");
                assert_eq!(online[k], 0.0, "{at}");
                assert_eq!(t.cash_flows[0][k], CashFlow::default(), "{at}");
            }
            // The network is the rest of the world plus the farms online:
            // 50 PH/s each when running, 0 for the failed farm.
            let mut h = row.online_ehs(hp[k].ln(), t.power_factor[k]);
            h += online[k] * 50.0 / 1000.0;
            h += safe_online[k] * 50.0 / 1000.0;
            assert_eq!(hashrate[k], h, "{at}");
        }
        if let Some(f) = failed {
            assert!(cash[..f].iter().all(|&c| c >= 0.0));
            // Running until it failed (at the start at least).
            assert_eq!(online[0], 1.0);
            failed_days.push(days * f as f64);
        }
        margins.push(
            t.cash_flows[0]
                .iter()
                .map(CashFlow::operating_margin_usd)
                .sum::<f64>(),
        );
    }
    let m = summary.farm("fragile").expect("farm");
    let n = failed_days.len();
    // Built to fail on some paths, not all.
    assert!(n > 0 && n < paths as usize, "{n} of {paths} paths failed");
    assert_eq!(m.measure(FarmMeasure::InsolvencyDay).count(), n as u64);
    let mean = failed_days.iter().sum::<f64>() / n as f64;
    assert_close(
        "mean insolvency day",
        m.measure(FarmMeasure::InsolvencyDay).statistics().mean,
        mean,
        REL,
    );
    // The series' mean at each step is the share of paths failed by then.
    let share = summary
        .series("farm.fragile.insolvent_fraction")
        .expect("recorded");
    for (k, stats) in share.iter().enumerate() {
        assert_eq!(
            stats.mean,
            f64::from(failed_by[k]) / paths as f64,
            "step {k}"
        );
    }
    assert_eq!(failed_by[last] as usize, n);
    // summary.json: P(insolvency) of each farm.
    let json: serde_json::Value = serde_json::from_str(&hashwatt::report::summary_json(
        &summary,
        &hashwatt::report::Tables::of(&summary),
    ))
    .expect("json");
    let p = |farm: &str| json["farms"][farm]["insolvency_probability"].as_f64();
    assert_eq!(p("fragile"), Some(n as f64 / paths as f64));
    assert_eq!(p("safe"), Some(0.0));
    // The margin's tail: VaR is its 5th percentile (numpy's linear
    // definition), CVaR the mean of the worst 5 % of paths (3.2 of 64: the
    // three worst and a fifth of the fourth). The sketch reads each value
    // within 1/128 of its magnitude (docs/model.md): the bounds below.
    margins.sort_by(f64::total_cmp);
    let fragile = &json["farms"]["fragile"];
    let var = fragile["var95_margin_usd"].as_f64().expect("var95");
    let rank = 0.05 * (paths - 1) as f64;
    let (i, w) = (rank.floor() as usize, rank.fract());
    let want = margins[i] + w * (margins[i + 1] - margins[i]);
    let bound = (margins[i].abs().max(margins[i + 1].abs())) / 128.0;
    assert!((var - want).abs() <= bound, "VaR {var}, want {want}");
    let cvar = fragile["cvar95_margin_usd"].as_f64().expect("cvar95");
    let tail = 0.05 * paths as f64;
    let want = (margins[..3].iter().sum::<f64>() + (tail - 3.0) * margins[3]) / tail;
    let bound = (margins[..3].iter().map(|m| m.abs()).sum::<f64>()
        + (tail - 3.0) * margins[3].abs())
        / tail
        / 128.0;
    assert!((cvar - want).abs() <= bound, "CVaR {cvar}, want {want}");
    assert_close(
        "mean margin",
        m.measure(FarmMeasure::Margin).statistics().mean,
        margins.iter().sum::<f64>() / paths as f64,
        REL,
    );
    let safe = summary.farm("safe").expect("farm");
    assert_eq!(safe.measure(FarmMeasure::InsolvencyDay).count(), 0);
    assert!(safe.measure(FarmMeasure::CashEnd).statistics().quantiles[0] > 0.0);
}

// ---------------------------------------------------------------------------
// 6. Renewal of fixed contracts
// ---------------------------------------------------------------------------

/// A farm of (imaginary) 2 J/TH machines, which run at any hashprice above
/// ~4, so that the price they pay is seen on almost every step, on a fixed
/// contract that ends on day 200 (2027-06-12) and renews for half-year
/// terms; the tight premium and tenor cannot apply outside the regions
/// (tightness 0).
const RENEWING: &str = r#"[[farms]]
name = "renewing"
fleet = [ { model = "lean", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 2.0 } ]
contract = { kind = "fixed", price_usd_per_mwh = 40.0, end = "2027-06-12", renewal = { premium_usd_per_mwh = 6.5, tight_premium_usd_per_mwh = 30.0, tenor_years = 0.5, tight_tenor_years = 0.25 } }
"#;

/// The contract price in force at each step of a farm outside the regions
/// by the renewal rule: at the end of the step whose next day reaches the
/// term's end, the price becomes the rest of the world's median site price
/// `median·exp(X)` (with `X` of that step) plus the premium, for a term of
/// `tenor_days`.
fn renewed_prices(
    s: &Scenario,
    t: &Trace,
    first: f64,
    end: f64,
    premium: f64,
    tenor: f64,
) -> Vec<f64> {
    let days = f64::from(s.step_days());
    let median = s.rest_of_world().median_power_price();
    let (mut price, mut term_end) = (first, end);
    (0..s.steps())
        .map(|k| {
            let now = price;
            if days * (k + 1) as f64 >= term_end {
                price = median * t.power_factor[k].exp() + premium;
                term_end += tenor;
            }
            now
        })
        .collect()
}

/// The price the farm paid per MWh at each step it ran (power over energy,
/// the energy by hand).
fn paid_prices(s: &Scenario, t: &Trace, f: usize) -> Vec<Option<f64>> {
    let farm = &s.farms()[f];
    let days = f64::from(s.step_days());
    let hp = series(t, "hashprice_usd_per_ph_day");
    (0..s.steps())
        .map(|k| {
            // Any price: only the energy is used.
            let h = by_hand(farm, hp[k], days * k as f64, days, 0.0);
            let flow = &t.cash_flows[f][k];
            (flow.power_usd > 0.0).then(|| flow.power_usd / h.energy_mwh)
        })
        .collect()
}

#[test]
fn a_fixed_contract_outside_the_regions_renews_at_the_site_price() {
    for (file, paths) in [
        ("reference-core-deterministic.toml", 1),
        ("reference-core.toml", 8),
    ] {
        let s = scenario(&with_farms(&read(file), RENEWING));
        let renewal = s.farms()[0].renewal().expect("a renewal");
        assert_eq!(renewal.end_day(), 200.0);
        assert_eq!(renewal.slack_tenor_days(), 0.5 * DAYS_PER_YEAR);
        for path in 0..paths {
            let t = trace(&s, 47, path);
            let want = renewed_prices(&s, &t, 40.0, 200.0, 6.5, 182.5);
            let paid = paid_prices(&s, &t, 0);
            let mut ran = 0;
            for (k, (got, want)) in paid.iter().zip(&want).enumerate() {
                if let Some(got) = got {
                    ran += 1;
                    // A quotient of a product: a few ulps.
                    assert_close(
                        &format!("{file}, path {path}, step {k}"),
                        *got,
                        *want,
                        STEP_REL,
                    );
                }
            }
            assert!(
                ran > s.steps() * 9 / 10,
                "{file}, path {path}: ran {ran} steps"
            );
            if file.ends_with("deterministic.toml") {
                // X = 0 on every step: the median plus the premium.
                assert!(t.power_factor.iter().all(|&x| x == 0.0));
                assert!(want[..200].iter().all(|&p| p == 40.0));
                assert!(want[200..].iter().all(|&p| p == 45.0 + 6.5));
            } else {
                // Renewed on days 200, 383 (182.5 rounded up to a step),
                // 565, 748 and 930, at a new price each time.
                let changes: Vec<usize> =
                    (1..s.steps()).filter(|&k| want[k] != want[k - 1]).collect();
                assert_eq!(changes, [200, 383, 565, 748, 930]);
            }
        }
    }
}

/// Two regions of 10 GW: `slack`, whose load leaves more than
/// a reserve's worth of headroom (tightness 0 at every step), and `tight`,
/// whose planning peak is above its capacity net of the reserve (no
/// headroom: tightness 1). One farm in each on the same renewing contract.
const TWO_REGIONS: &str = concat!(
    common::small_world_header!("two-regions", 730),
    common::calm_regime!(),
    common::power_factor!(),
    common::rest_of_world_j20!(),
    r#"[[regions]]
name = "slack"
reserve_margin = 0.10
scarcity_cap_usd_per_mwh = 3000
delivery_adder_usd_per_mwh = 6
large_load_adder_usd_per_mwh = 2
baseline_load = { initial_mw = 2000, growth = 0.02, seasonal_amplitude = 0.15, peak_day_of_year = 220, noise = 0.05 }
supply = [
  { mw = 1000, cost_usd_per_mwh = 20 },
  { mw = 9000, cost_usd_per_mwh = 40, fuel_linked = true },
]
hours = { dispersion = 0.3, spike_probability = 0.01, spike_median_usd_per_mwh = 600 }

[[regions]]
name = "tight"
reserve_margin = 0.20
scarcity_cap_usd_per_mwh = 3000
delivery_adder_usd_per_mwh = 6
large_load_adder_usd_per_mwh = 2
baseline_load = { initial_mw = 8500, growth = 0.0, seasonal_amplitude = 0.05, peak_day_of_year = 220, noise = 0.02 }
supply = [
  { mw = 4000, cost_usd_per_mwh = 20 },
  { mw = 6000, cost_usd_per_mwh = 40, fuel_linked = true },
]
hours = { dispersion = 0.3, spike_probability = 0.01, spike_median_usd_per_mwh = 600 }

[[farms]]
name = "in-slack"
region = "slack"
fleet = [ { model = "S21", units = 50, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 40.0, end = "2026-04-11", renewal = { premium_usd_per_mwh = 5.0, tight_premium_usd_per_mwh = 25.0, tenor_years = 1.0, tight_tenor_years = 0.25 } }

[[farms]]
name = "in-tight"
region = "tight"
fleet = [ { model = "S21", units = 50, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 40.0, end = "2026-04-11", renewal = { premium_usd_per_mwh = 5.0, tight_premium_usd_per_mwh = 25.0, tenor_years = 1.0, tight_tenor_years = 0.25 } }
"#,
);

/// Window of the market price a renewal in a region is priced from, days
/// (the engine's `MARKET_WINDOW_DAYS`, docs/model.md §6).
const MARKET_WINDOW_DAYS: f64 = 30.0;

/// The market price a renewal in region `r` is priced from after each
/// step: the mean hourly price of the day plus the delivery and large-load
/// adders, averaged exponentially over [`MARKET_WINDOW_DAYS`], recomputed
/// from the recorded daily price.
fn market_prices(s: &Scenario, t: &Trace, r: usize) -> Vec<f64> {
    let region = &s.regions()[r];
    let daily = series(t, &format!("region.{}.price_usd_per_mwh", region.name()));
    let weight = (f64::from(s.step_days()) / MARKET_WINDOW_DAYS).min(1.0);
    let mut average = f64::NAN;
    daily
        .iter()
        .map(|&p| {
            let market = region.hours().mean_price(p) + region.large_load_adders();
            average = if average.is_nan() {
                market
            } else {
                average + weight * (market - average)
            };
            average
        })
        .collect()
}

/// The contract prices of a region's farm by the renewal rule at a
/// constant tightness `tightness`: `market + premium + tight premium ·
/// tightness`, for `tenor + (tight tenor − tenor) · tightness` days.
fn renewed_in_region(s: &Scenario, market: &[f64], farm: &Farm, tightness: f64) -> Vec<f64> {
    let r = farm.renewal().expect("a renewal");
    let days = f64::from(s.step_days());
    let (mut price, mut term_end) = (fixed_price(farm), r.end_day());
    (0..s.steps())
        .map(|k| {
            let now = price;
            if days * (k + 1) as f64 >= term_end {
                price =
                    market[k] + r.premium_usd_per_mwh() + r.tight_premium_usd_per_mwh() * tightness;
                term_end += r.slack_tenor_days()
                    + (r.tight_tenor_days() - r.slack_tenor_days()) * tightness;
            }
            now
        })
        .collect()
}

#[test]
fn a_tight_region_renews_dearer_and_shorter_than_a_slack_one() {
    let s = scenario(TWO_REGIONS);
    for path in 0..8 {
        let t = trace(&s, 53, path);
        let mut changes = Vec::new();
        for (f, tightness) in [(0, 0.0), (1, 1.0)] {
            let farm = &s.farms()[f];
            let r = farm.region_index().expect("in a region");
            let market = market_prices(&s, &t, r);
            let want = renewed_in_region(&s, &market, farm, tightness);
            // No political mining adder here: the series is the contract's
            // price.
            let got = series(&t, &format!("farm.{}.power_price_usd_per_mwh", farm.name()));
            for (k, (g, w)) in got.iter().zip(&want).enumerate() {
                // The average is the engine's sequence of operations
                // recomputed: rounding only.
                assert_close(
                    &format!("{}, path {path}, step {k}", farm.name()),
                    *g,
                    *w,
                    STEP_REL,
                );
            }
            changes.push(
                (1..s.steps())
                    .filter(|&k| want[k] != want[k - 1])
                    .collect::<Vec<_>>(),
            );
            // The tight premium is paid in full in the tight region only.
            let premium = want[100] - market[99];
            assert_close("premium", premium, 5.0 + 25.0 * tightness, STEP_REL);
        }
        // Slack: renewed on day 100 for a year; tight: every quarter
        // (91.25 days, each renewal on the first step that reaches it).
        assert_eq!(changes[0], [100, 465]);
        assert_eq!(changes[1], [100, 192, 283, 374, 465, 557, 648]);
    }
}

// ---------------------------------------------------------------------------
// 7. Hedges
// ---------------------------------------------------------------------------

/// Three identical farms on free power (a stranded-gas site, say), which
/// run every step: one with a hashprice forward on half its hashrate over the
/// whole horizon, one without, and one with a short forward on 80 % that
/// starts on day 97 (2027-03-01) for 100 days.
const HEDGED: &str = r#"[[farms]]
name = "hedged"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 0.0 }
pool_fee = 0.02
availability = 0.95
hedge = { share = 0.5, hashprice_usd_per_ph_day = 30.0, tenor_days = 1095 }

[[farms]]
name = "bare"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 0.0 }
pool_fee = 0.02
availability = 0.95

[[farms]]
name = "window"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 0.0 }
pool_fee = 0.02
availability = 0.95
hedge = { share = 0.8, hashprice_usd_per_ph_day = 35.0, start = "2027-03-01", tenor_days = 100 }
"#;

#[test]
fn a_hedge_settles_share_times_hashrate_times_the_price_gap() {
    let s = scenario(&with_farms(&read("reference-core.toml"), HEDGED));
    let days = f64::from(s.step_days());
    for path in 0..8 {
        let t = trace(&s, 59, path);
        let hp = series(&t, "hashprice_usd_per_ph_day");
        let (mut hedge, mut margin) = ([0.0; 3], [0.0; 3]);
        for (k, &hp) in hp.iter().enumerate() {
            let day = days * k as f64;
            let [h, bare, w] = [0, 1, 2].map(|f| t.cash_flows[f][k]);
            // Hedging changes nothing but the settlement.
            for other in [h, w] {
                assert_eq!(
                    CashFlow {
                        hedge_usd: 0.0,
                        ..other
                    },
                    bare,
                    "path {path}, step {k}"
                );
            }
            // share · PH/s in service that can hash (nameplate ×
            // availability) · (K − HP) · days, while the forward runs.
            let phs = 50.0 * 0.95;
            assert_close(
                &format!("settlement, path {path}, step {k}"),
                h.hedge_usd,
                0.5 * phs * (30.0 - hp) * days,
                STEP_REL,
            );
            let running = (97.0..197.0).contains(&day);
            let want = if running {
                0.8 * phs * (35.0 - hp) * days
            } else {
                0.0
            };
            assert_close(
                &format!("window, path {path}, step {k}"),
                w.hedge_usd,
                want,
                STEP_REL,
            );
            for (f, flow) in [h, bare, w].iter().enumerate() {
                hedge[f] += flow.hedge_usd;
                margin[f] += flow.operating_margin_usd();
            }
        }
        // The margin with the hedge less the margin without it is the hedge.
        for f in [0, 2] {
            assert_close("hedged margin", margin[f] - margin[1], hedge[f], REL);
        }
    }
    let summary = simulate(&s, &RunConfig::new(59, 1)).expect("runs");
    let t = trace(&s, 59, 0);
    for name in ["hedged", "window"] {
        let m = summary.farm(name).expect("farm");
        let f = farm_index(&s, name);
        let hedge: f64 = t.cash_flows[f].iter().map(|c| c.hedge_usd).sum();
        let margin = one(m.measure(FarmMeasure::Margin)).expect("margin");
        let unhedged = one(m.measure(FarmMeasure::MarginUnhedged)).expect("margin");
        assert_close(
            &format!("{name}: hedge_usd"),
            one(m.measure(FarmMeasure::Hedge)).expect("hedge"),
            hedge,
            REL,
        );
        assert_close(
            &format!("{name}: margin − unhedged"),
            margin - unhedged,
            hedge,
            REL,
        );
        let bare = one(summary
            .farm("bare")
            .expect("farm")
            .measure(FarmMeasure::Margin))
        .expect("margin");
        assert_close(&format!("{name}: unhedged margin"), unhedged, bare, REL);
    }
}

/// When the farm runs every step, its unhedged margin is
/// `PH·a·Σ (1 − fee)·HP_t·ρ_t·Δ − costs`, where `ρ_t` is the step's
/// revenue over what its starting hashprice promised (1 but for steps with
/// a retarget or the halving inside), and the hedge adds
/// `s·PH·a·Σ (K − HP_t)·Δ`. With `ρ = 1` the hedged margin is the unhedged
/// one scaled by `(1 − fee − s)/(1 − fee)` plus a constant, so their
/// standard deviations across paths are in that ratio, whatever `K` (it
/// only moves the mean). The `ρ_t ≠ 1` steps (one in fourteen, each off by
/// a few per cent of one day's revenue) change the sums by well under 1 %,
/// and the ratio by well under 0.01.
#[test]
fn a_hedge_narrows_the_margin_distribution() {
    let s = scenario(&with_farms(&read("reference-core.toml"), HEDGED));
    let summary = simulate(&s, &RunConfig::new(61, 2000)).expect("runs");
    let m = summary.farm("hedged").expect("farm");
    let hedged = m.measure(FarmMeasure::Margin).statistics();
    let unhedged = m.measure(FarmMeasure::MarginUnhedged).statistics();
    let bare = summary
        .farm("bare")
        .expect("farm")
        .measure(FarmMeasure::Margin)
        .statistics();
    // The unhedged margin of the hedged farm is the bare farm's, path by
    // path (to rounding).
    assert_close("std", unhedged.std, bare.std, REL);
    assert_close("mean", unhedged.mean, bare.mean, REL);
    let ratio = hedged.std / unhedged.std;
    let want = (1.0 - 0.02 - 0.5) / (1.0 - 0.02);
    // The premise: the farm ran every step of every path.
    assert_eq!(m.measure(FarmMeasure::Uptime).quantile(0.0), 1.0);
    assert!(hedged.std < unhedged.std);
    assert!((ratio - want).abs() < 0.01, "ratio {ratio}, want {want}");
}

// ---------------------------------------------------------------------------
// 8. Delivery and retirement of machine lots
// ---------------------------------------------------------------------------

/// An S21 lot bought a year before the start with a two-year life
/// (retires on day 365), an S21 XP lot delivered on day 200 (2027-06-12);
/// each alone and both together, on power cheap enough that every lot in
/// service runs.
const LOTS: &str = r#"[[farms]]
name = "old"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5, price_usd = 2000.0, purchased = "2025-11-24", life_years = 2 } ]
contract = { kind = "fixed", price_usd_per_mwh = 20.0 }

[[farms]]
name = "new"
fleet = [ { model = "S21 XP", units = 100, th_per_unit = 270.0, efficiency_j_per_th = 13.5, price_usd = 4000.0, purchased = "2027-06-12" } ]
contract = { kind = "fixed", price_usd_per_mwh = 20.0 }
finance = { cash_usd = 1.0e6 }

[[farms]]
name = "both"
fleet = [
  { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5, price_usd = 2000.0, purchased = "2025-11-24", life_years = 2 },
  { model = "S21 XP", units = 100, th_per_unit = 270.0, efficiency_j_per_th = 13.5, price_usd = 4000.0, purchased = "2027-06-12" },
]
contract = { kind = "fixed", price_usd_per_mwh = 20.0 }
"#;

#[test]
fn lots_start_on_delivery_are_paid_then_and_retire_at_the_end_of_their_life() {
    for step_days in [1u32, 7] {
        let text = with_farms(&read("reference-core-deterministic.toml"), LOTS)
            .replace("step_days = 1\n", &format!("step_days = {step_days}\n"));
        let s = scenario(&text);
        assert_eq!(s.farms()[0].fleet()[0].purchase_day(), -365.0);
        assert_eq!(s.farms()[1].fleet()[0].purchase_day(), 200.0);
        assert_eq!(s.farms()[1].fleet()[0].life_days(), 5.0 * DAYS_PER_YEAR);
        let t = trace(&s, 67, 0);
        let days = f64::from(step_days);
        let row = s.rest_of_world();
        let hp = series(&t, "hashprice_usd_per_ph_day");
        let hashrate = series(&t, "hashrate_ehs");
        let online =
            ["old", "new", "both"].map(|f| series(&t, &format!("farm.{f}.online_fraction")));
        let cash = series(&t, "farm.new.cash_usd");
        let mut paid_at = Vec::new();
        for k in 0..s.steps() {
            let day = days * k as f64;
            let at = format!("step_days {step_days}, step {k}");
            // A lot is in service from the first step that starts on or
            // after its delivery, until the first that starts at or after
            // delivery + life.
            let old = day < 365.0;
            let new = day >= 200.0;
            assert_eq!(online[0][k], if old { 1.0 } else { 0.0 }, "{at}");
            assert_eq!(online[1][k], if new { 1.0 } else { 0.0 }, "{at}");
            assert_eq!(online[2][k], if old || new { 1.0 } else { 0.0 }, "{at}");
            // Paid on the step the delivery falls in, from cash.
            let capex = t.cash_flows[1][k].capex_usd;
            if capex > 0.0 {
                assert_eq!(capex, 400_000.0, "{at}");
                paid_at.push(k);
            }
            assert_eq!(t.cash_flows[2][k].capex_usd, capex, "{at}");
            assert_eq!(t.cash_flows[0][k].capex_usd, 0.0, "{at}");
            // Power of the lots in service, all running.
            let (old_phs, new_phs) = (if old { 50.0 } else { 0.0 }, if new { 27.0 } else { 0.0 });
            let energy = (old_phs * 17.5 + new_phs * 13.5) * MWH_PER_PH_DAY_PER_J_TH * days;
            assert_close(&at, t.cash_flows[2][k].power_usd, 20.0 * energy, STEP_REL);
            // Their hashrate is in the network while in service, and only
            // then.
            let mut h = row.online_ehs(hp[k].ln(), t.power_factor[k]);
            h += old_phs / 1000.0;
            h += new_phs / 1000.0;
            h += (old_phs + new_phs) / 1000.0;
            assert_eq!(hashrate[k], h, "{at}");
        }
        // Day 200 falls in step 200 of a day, step 28 of a week
        // (196-202), which pays; the lot hashes from the step after.
        let step = (200.0 / days).floor() as usize;
        assert_eq!(paid_at, [step], "step_days {step_days}");
        assert_eq!(cash[step], cash[step - 1] + t.cash_flows[1][step].net_usd());
        assert!(cash[step] < cash[step - 1] - 300_000.0);
    }
}

/// The renewals of a region's farm read off its price series: at the end
/// of the step reaching the term's end the price becomes
/// `market + premium + tight premium · τ` for a term of `tenor + (tight tenor − tenor) · τ`
/// days, with the same `τ` in [0, 1]. Checks that the price holds between
/// renewals and that each new price implies a `τ` in [0, 1]; returns the
/// `τ` of each renewal. The series is the contract's price (no political
/// mining adder in these regions).
fn renewal_tightness(s: &Scenario, t: &Trace, f: usize, path: u64) -> Vec<f64> {
    let farm = &s.farms()[f];
    let r = farm.renewal().expect("a renewal");
    let market = market_prices(s, t, farm.region_index().expect("in a region"));
    let got = series(t, &format!("farm.{}.power_price_usd_per_mwh", farm.name()));
    let days = f64::from(s.step_days());
    let (mut price, mut term_end) = (fixed_price(farm), r.end_day());
    let mut taus = Vec::new();
    for k in 0..s.steps() {
        let at = format!("{}, path {path}, step {k}", farm.name());
        assert_close(&at, got[k], price, STEP_REL);
        if days * (k + 1) as f64 >= term_end && k + 1 < s.steps() {
            price = got[k + 1];
            let tau = (price - market[k] - r.premium_usd_per_mwh()) / r.tight_premium_usd_per_mwh();
            // τ from a difference of prices of ~50 USD/MWh: rounding of
            // 1e-14; at 0 or 1 it is taken as exact (the term's end falls
            // on whole days there).
            let tau = match tau {
                x if x.abs() < 1e-9 => 0.0,
                x if (x - 1.0).abs() < 1e-9 => 1.0,
                x => x,
            };
            assert!((0.0..=1.0).contains(&tau), "{at}: tightness {tau}");
            taus.push(tau);
            term_end += r.slack_tenor_days() + (r.tight_tenor_days() - r.slack_tenor_days()) * tau;
        }
    }
    taus
}

/// ai-squeeze's ercot and hydro with a 1 PH/s farm each on the same
/// renewing contract, ending 2027-01-01 (day 365). The political mining
/// adders are set to 0 so that the farms' price series is their contract's
/// price.
const SQUEEZE_RENEWING: &str = r#"[[farms]]
name = "ercot-renewing"
region = "ercot"
fleet = [ { model = "S21", units = 5, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 50.0, sell_back = false, end = "2027-01-01", renewal = { premium_usd_per_mwh = 5.0, tight_premium_usd_per_mwh = 25.0, tenor_years = 2.0, tight_tenor_years = 0.5 } }

[[farms]]
name = "hydro-renewing"
region = "hydro"
fleet = [ { model = "S21", units = 5, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 50.0, sell_back = false, end = "2027-01-01", renewal = { premium_usd_per_mwh = 5.0, tight_premium_usd_per_mwh = 25.0, tenor_years = 2.0, tight_tenor_years = 0.5 } }
"#;

/// In ai-squeeze, ercot's queue of data centers always asks for more than
/// its headroom: no room is left after the grants (tightness 1). Hydro's
/// headroom on day 364 is 6 700·0.92 − 3 230 (planning peak) − 2 000
/// (miners connected and granted) ≈ 930 MW, above its reserve's 536 MW
/// (tightness 0), and only more with a ban. So the first renewal costs the
/// ercot farm the full tight premium for a half-year term, the hydro farm
/// the slack premium for two years.
#[test]
fn in_ai_squeeze_ercot_renews_dearer_and_shorter_than_hydro() {
    let text = with_farms(&read("ai-squeeze.toml"), SQUEEZE_RENEWING)
        .replace(
            "mining_adder_usd_per_mwh = 5,",
            "mining_adder_usd_per_mwh = 0,",
        )
        .replace(
            "mining_adder_usd_per_mwh = 10,",
            "mining_adder_usd_per_mwh = 0,",
        );
    let s = scenario(&text);
    for path in 0..32 {
        let t = trace(&s, 71, path);
        let ercot = renewal_tightness(&s, &t, 0, path);
        let hydro = renewal_tightness(&s, &t, 1, path);
        // Renewed every half year from day 365 to the end, at full
        // tightness each time.
        assert_eq!(ercot, [1.0; 9], "path {path}");
        // Renewed on day 365 for two years, at no tightness (the chain of
        // renewals checks the term: the next comes on day 1 095).
        assert_eq!(hydro[0], 0.0, "path {path}");
    }
}
