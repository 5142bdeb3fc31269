//! `scenarios/reference-core-deterministic.toml` against an independent
//! step-by-step replay of model.md §1.3-1.7 and §2, written here in plain
//! `f64` from the specification (no hashwatt function is called by the
//! replay).
//!
//! The replay hard-codes the parameters of `reference-core.md`; if the
//! scenario file drifts from that table, these tests fail, as they should.

use hashwatt::stats::FarmMeasure;
use hashwatt::stats::Statistics;
use hashwatt::{RunConfig, Scenario, Summary, simulate};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/reference-core-deterministic.toml"
);

/// Relative tolerance of every deterministic comparison.
const REL: f64 = 1e-9;

// reference-core.md, deterministic variant.
const STEPS: usize = 1095;
const DT_DAYS: f64 = 1.0;
const DT_YEARS: f64 = 1.0 / 365.0;
const H0: f64 = 1_000_000.0;
const HD0: f64 = 1000.0;
const P0: f64 = 90_000.0;
const MU: f64 = 0.10;
const FEE: f64 = 0.03;
const MEDIAN: f64 = 45.0;
const DISPERSION: f64 = 0.35;
const KAPPA: f64 = 3.0;
const CLASSES: [(f64, f64); 4] = [(300.0, 15.0), (400.0, 20.0), (300.0, 28.0), (150.0, 38.0)];
const FARM_PHS: f64 = 50.0;
const FARM_J_PER_TH: f64 = 17.5;
const FARM_PRICE: f64 = 55.0;
const HALVING_HEIGHT: f64 = 1_050_000.0;

/// Bitcoin's subsidy in BTC at a (fractional) height, from integer satoshis.
fn subsidy(height: f64) -> f64 {
    let era = (height / 210_000.0).floor() as u32;
    if era >= 64 {
        0.0
    } else {
        (5_000_000_000u64 >> era) as f64 / 1e8
    }
}

fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// One recorded step of the replay, plus what happened inside it.
#[derive(Debug, Clone, Copy)]
struct Step {
    price: f64,
    hashrate: f64,
    difficulty: f64,
    hashprice: f64,
    fee: f64,
    farm_online: bool,
    /// Farm breakeven power price at this step (for the margin check).
    farm_breakeven: f64,
    height: f64,
    blocks: f64,
    /// Subsidy paid in the step, split at halvings: (before, after).
    paid: (f64, f64),
    /// Retargets inside the step: (factor, epoch days ed + δ).
    retargets: [Option<(f64, f64)>; 2],
    /// Smallest |(2016 − eb)/r − τ| seen in the step: how close the walk
    /// came to deciding a retarget the other way.
    retarget_margin: f64,
    farm_btc: f64,
    farm_cost: f64,
}

fn replay() -> Vec<Step> {
    let (mut p, mut hd, mut h, mut eb, mut ed, mut x) = (P0, HD0, H0, 0.0f64, 0.0f64, 0.0f64);
    let mut out = Vec::with_capacity(STEPS);
    for _ in 0..STEPS {
        // §2.2-2.3: fee (σ_f = 0 → exactly f̄) and hashprice at the start.
        let f = FEE;
        let hp = 144.0 * (subsidy(h) + f) * p / (hd * 1000.0);
        // §4 rest of world: Φ((ln b(e) − ln(m·e^X)) / s) for each class.
        let mut hashrate = 0.0;
        for (installed, e) in CLASSES {
            let b = hp / (0.024 * e);
            hashrate += installed * phi((b.ln() - (MEDIAN * x.exp()).ln()) / DISPERSION);
        }
        // The farm: online iff its breakeven ≥ its fixed price.
        let farm_breakeven = hp / (0.024 * FARM_J_PER_TH);
        let farm_online = farm_breakeven >= FARM_PRICE;
        let farm_phs = if farm_online { FARM_PHS } else { 0.0 };
        hashrate += farm_phs / 1000.0;
        // §1.3: the fluid walk of the step.
        let hd_start = hd;
        let mut tau = DT_DAYS;
        let mut blocks = 0.0;
        let mut retargets = [None, None];
        let mut n_retargets = 0;
        let mut retarget_margin = f64::INFINITY;
        loop {
            let r = 144.0 * hashrate / hd;
            let to_end = (2016.0 - eb) / r;
            retarget_margin = retarget_margin.min((to_end - tau).abs());
            if r > 0.0 && to_end <= tau {
                let factor = (14.0 / (ed + to_end)).clamp(0.25, 4.0);
                retargets[n_retargets] = Some((factor, ed + to_end));
                n_retargets += 1;
                blocks += 2016.0 - eb;
                hd *= factor;
                eb = 0.0;
                ed = 0.0;
                tau -= to_end;
            } else {
                blocks += r * tau;
                eb += r * tau;
                ed += tau;
                break;
            }
        }
        // §1.4: the subsidy of [h, h + b), split at the next halving height.
        let next_halving = ((h / 210_000.0).floor() + 1.0) * 210_000.0;
        let end = h + blocks;
        assert!(end < next_halving + 210_000.0, "two halvings in one step");
        let paid = if end <= next_halving {
            (blocks * subsidy(h), 0.0)
        } else {
            (
                (next_halving - h) * subsidy(h),
                (end - next_halving) * subsidy(next_halving),
            )
        };
        // §1.7: the farm's share of the step's blocks; its power bill.
        let farm_btc = farm_phs / (1000.0 * hashrate) * (paid.0 + paid.1 + blocks * f);
        let farm_cost = farm_phs * 0.024 * FARM_J_PER_TH * DT_DAYS * FARM_PRICE;
        out.push(Step {
            price: p,
            hashrate,
            difficulty: hd_start,
            hashprice: hp,
            fee: f,
            farm_online,
            farm_breakeven,
            height: h,
            blocks,
            paid,
            retargets,
            retarget_margin,
            farm_btc,
            farm_cost,
        });
        h = end;
        // §3 with σ = λ = 0: ln P grows by μ·Δy; §4 OU with σ_X = 0.
        p *= (MU * DT_YEARS).exp();
        x *= (-KAPPA * DT_YEARS).exp();
    }
    out
}

fn run(text: &str) -> Summary {
    let scenario = Scenario::from_toml_str(text).expect("the scenario is valid");
    simulate(&scenario, &RunConfig::new(1, 1)).expect("the run succeeds")
}

fn reference_text() -> String {
    std::fs::read_to_string(SCENARIO).expect("the scenario file is readable")
}

fn with_horizon(text: &str, days: usize) -> String {
    let from = format!("horizon_days = {STEPS}");
    assert!(text.contains(&from), "the scenario sets {from}");
    text.replace(&from, &format!("horizon_days = {days}"))
}

fn series(summary: &Summary, name: &str) -> Vec<Statistics> {
    summary
        .series(name)
        .unwrap_or_else(|| panic!("series {name} is recorded"))
}

#[track_caller]
fn assert_close(got: f64, want: f64, what: &str) {
    let rel = ((got - want) / want).abs();
    assert!(
        rel <= REL || got == want,
        "{what}: got {got:e}, want {want:e} (relative error {rel:e})"
    );
}

/// The replay's decisions are far from their thresholds, so a comparison
/// at 1e-9 cannot be upset by rounding.
#[test]
fn replay_is_well_conditioned() {
    let steps = replay();
    for (t, s) in steps.iter().enumerate() {
        let margin = (s.farm_breakeven - FARM_PRICE).abs() / FARM_PRICE;
        assert!(
            margin > 1e-6,
            "step {t}: farm breakeven {} ≈ 55",
            s.farm_breakeven
        );
        assert!(
            s.retarget_margin > 1e-6,
            "step {t}: retarget on the step edge"
        );
    }
}

#[test]
fn day_zero_hashprice() {
    let summary = run(&reference_text());
    let hp = series(&summary, "hashprice_usd_per_ph_day");
    let want = 144.0 * (3.125 + 0.03) * 90_000.0 / (1000.0 * 1000.0);
    assert_close(hp[0].mean, want, "HP_0");
    assert_eq!(series(&summary, "btc_price_usd")[0].mean, 90_000.0);
    assert_eq!(series(&summary, "difficulty_ehs")[0].mean, 1000.0);
    assert_eq!(series(&summary, "fee_btc_per_block")[0].mean, 0.03);
}

#[test]
fn every_recorded_step_matches_the_replay() {
    let summary = run(&reference_text());
    let steps = replay();
    let names = [
        "btc_price_usd",
        "hashrate_ehs",
        "difficulty_ehs",
        "hashprice_usd_per_ph_day",
        "fee_btc_per_block",
        "farm.operator.online_fraction",
    ];
    let recorded: Vec<Vec<Statistics>> = names.iter().map(|n| series(&summary, n)).collect();
    for r in &recorded {
        assert_eq!(r.len(), STEPS);
    }
    for (t, s) in steps.iter().enumerate() {
        let want = [
            s.price,
            s.hashrate,
            s.difficulty,
            s.hashprice,
            s.fee,
            if s.farm_online { 1.0 } else { 0.0 },
        ];
        for ((name, r), w) in names.iter().zip(&recorded).zip(want) {
            assert_close(r[t].mean, w, &format!("{name} at step {t}"));
        }
    }
}

/// The halving at 1 050 000 falls inside one step: the hashprice of that
/// step still uses 3.125 BTC, the next step's uses 1.5625 BTC, and the
/// step's subsidy is split at the halving height.
#[test]
fn halving_step_and_subsidy_split() {
    let steps = replay();
    let t = steps
        .iter()
        .position(|s| s.height < HALVING_HEIGHT && s.height + s.blocks >= HALVING_HEIGHT)
        .expect("the halving happens within the horizon");
    let s = steps[t];
    // The split by hand: blocks below the halving at 3.125, above at 1.5625.
    let before = HALVING_HEIGHT - s.height;
    let after = s.height + s.blocks - HALVING_HEIGHT;
    assert!(
        before > 0.0 && after > 0.0,
        "the step straddles the halving"
    );
    assert_close(s.paid.0, before * 3.125, "replay split, before");
    assert_close(s.paid.1, after * 1.5625, "replay split, after");
    assert!(
        s.farm_online,
        "the farm earns in the halving step (else the split is invisible)"
    );

    let text = reference_text();
    let summary = run(&text);
    let hp = series(&summary, "hashprice_usd_per_ph_day");
    let hd = series(&summary, "difficulty_ehs");
    let price = series(&summary, "btc_price_usd");
    let fee = series(&summary, "fee_btc_per_block");
    // Subsidy implied by the recorded hashprice: HP·HD·1000/(144·P) − F.
    let implied =
        |k: usize| hp[k].mean * hd[k].mean * 1000.0 / (144.0 * price[k].mean) - fee[k].mean;
    for k in 0..=t {
        assert_close(implied(k), 3.125, &format!("subsidy in HP at step {k}"));
    }
    for k in t + 1..(t + 10).min(STEPS) {
        assert_close(implied(k), 1.5625, &format!("subsidy in HP at step {k}"));
    }

    // The farm's BTC of step t alone: the run to t + 1 days minus the run
    // to t days. It holds the split subsidy: x/(1000·H)·(paid + b·F).
    let upto = |days: usize| {
        run(&with_horizon(&text, days)).farms()[0]
            .measure(FarmMeasure::BtcMined)
            .statistics()
            .mean
    };
    let step_btc = upto(t + 1) - upto(t);
    let share = FARM_PHS / (1000.0 * s.hashrate);
    let want = share * (before * 3.125 + after * 1.5625 + s.blocks * FEE);
    // A difference of two sums of ~t terms: allow t ulps of the sum on top.
    let sum_scale: f64 = steps[..=t].iter().map(|s| s.farm_btc).sum();
    let tol = REL * want + (t as f64) * f64::EPSILON * sum_scale;
    assert!(
        (step_btc - want).abs() <= tol,
        "farm BTC in the halving step {t}: got {step_btc}, want {want}"
    );
    // Not paying the whole step at the old (or new) subsidy.
    let unsplit_old = share * (s.blocks * 3.125 + s.blocks * FEE);
    let unsplit_new = share * (s.blocks * 1.5625 + s.blocks * FEE);
    assert!((step_btc - unsplit_old).abs() > 1e3 * tol);
    assert!((step_btc - unsplit_new).abs() > 1e3 * tol);
}

#[test]
fn first_retarget_step_and_factor() {
    let steps = replay();
    let t = steps
        .iter()
        .position(|s| s.retargets[0].is_some())
        .expect("a retarget happens");
    let (factor, epoch_days) = steps[t].retargets[0].expect("retarget");
    assert!(steps[t].retargets[1].is_none());
    // The epoch started at eb = 0, ed = 0 on day 0: its length in days is
    // the steps before plus δ, i.e. t + δ, and 2016 blocks were found.
    assert!(epoch_days > t as f64 && epoch_days <= (t + 1) as f64);
    assert_close(factor, 14.0 / epoch_days, "replay factor");

    let summary = run(&reference_text());
    let hd = series(&summary, "difficulty_ehs");
    let first_change = (0..STEPS - 1)
        .find(|&k| hd[k + 1].mean != hd[k].mean)
        .expect("the difficulty changes");
    assert_eq!(first_change, t, "step of the first retarget");
    assert_eq!(hd[t].mean, HD0, "difficulty unchanged before the retarget");
    assert_close(hd[t + 1].mean / hd[t].mean, factor, "first retarget factor");
}

#[test]
fn farm_btc_and_power_cost_over_the_run() {
    let summary = run(&reference_text());
    let steps = replay();
    let btc: f64 = steps.iter().map(|s| s.farm_btc).sum();
    let cost: f64 = steps.iter().map(|s| s.farm_cost).sum();
    let farm = summary.farm("operator").expect("farm operator");
    assert_close(
        farm.measure(FarmMeasure::BtcMined).statistics().mean,
        btc,
        "BTC mined",
    );
    assert_close(
        farm.measure(FarmMeasure::PowerCost).statistics().mean,
        cost,
        "power cost",
    );
    assert_close(
        farm.measure(FarmMeasure::CashCostPerBtc).statistics().mean,
        cost / btc,
        "cash cost per BTC",
    );
    // The farm's on/off decision is exercised both ways over the run (it
    // stops for a few days after the halving), so the totals check it.
    let online_days = steps.iter().filter(|s| s.farm_online).count();
    assert!(
        online_days > 0 && online_days < STEPS,
        "{online_days} online days"
    );
}

#[test]
fn one_path_has_zero_spread() {
    let summary = run(&reference_text());
    assert_eq!(summary.paths_done(), 1);
    for s in summary.series_summaries() {
        for (t, d) in s.steps().iter().enumerate() {
            let st = d.statistics();
            assert_eq!(st.n, 1, "{} at {t}", s.name());
            assert_eq!(st.std, 0.0, "{} std at {t}", s.name());
            assert_eq!(st.stderr, 0.0, "{} stderr at {t}", s.name());
            assert_eq!(st.quantiles, [st.mean; 5], "{} quantiles at {t}", s.name());
        }
    }
    for f in summary.farms() {
        for d in [
            f.measure(FarmMeasure::BtcMined),
            f.measure(FarmMeasure::PowerCost),
            f.measure(FarmMeasure::CashCostPerBtc),
        ] {
            let st = d.statistics();
            assert_eq!(
                (st.n, st.std, st.stderr),
                (1, 0.0, 0.0),
                "farm {}",
                f.name()
            );
        }
    }
}

/// reference-core.md: cash cost per BTC is summarised over the paths that
/// mined any BTC, and the number of the others is reported beside it. A
/// farm whose contract price is never covered mines nothing.
#[test]
fn farm_that_never_mines_has_undefined_cost_per_btc() {
    let text = reference_text().replace("price_usd_per_mwh = 55.0", "price_usd_per_mwh = 5500.0");
    let scenario = Scenario::from_toml_str(&with_horizon(&text, 30)).expect("valid");
    let summary = simulate(&scenario, &RunConfig::new(1, 3)).expect("run");
    let farm = summary.farm("operator").expect("farm");
    assert_eq!(farm.measure(FarmMeasure::BtcMined).statistics().mean, 0.0);
    assert_eq!(farm.measure(FarmMeasure::PowerCost).statistics().mean, 0.0);
    assert_eq!(farm.measure(FarmMeasure::CashCostPerBtc).count(), 0);
    let online = series(&summary, "farm.operator.online_fraction");
    assert!(online.iter().all(|s| s.mean == 0.0));
    let json = hashwatt::report::summary_json(&summary, &hashwatt::report::Tables::of(&summary));
    let v: serde_json::Value = serde_json::from_str(&json).expect("summary.json is JSON");
    let cost = &v["farms"]["operator"]["cash_cost_per_btc_usd"];
    assert_eq!(cost["paths_undefined"], 3, "{cost}");
    assert!(cost["mean"].is_null(), "{cost}");
}
