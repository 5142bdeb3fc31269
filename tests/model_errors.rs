//! The model's constructors check their own parameters, and a scenario the
//! model refuses carries the model's typed error as its source
//! ([`ScenarioError::model_error`], [`std::error::Error::source`]), while
//! the message and field a user sees stay the scenario's.

mod common;

use std::error::Error as _;

use hashwatt::Scenario;
use hashwatt::model::ModelError;
use hashwatt::model::allocation::UnknownPolicy;
use hashwatt::model::datacenter::PipelineError;
use hashwatt::model::error::{Interval, ParamError, Rule};
use hashwatt::model::finance::{Finance, FinanceError, Hedge, Renewal};
use hashwatt::model::grid::StackError;
use hashwatt::model::hours::HoursError;
use hashwatt::model::market::{MinerRequest, MinersError, RegionalMiners};
use hashwatt::model::politics::PoliticsError;
use hashwatt::model::region::{BaselineLoad, CapacityAddition, RegionError};
use hashwatt::model::retirement::{ClassAge, RetirementError};
use hashwatt::scenario::{Override, ScenarioError};

/// A valid scenario with a region, a data center and two farms; each test
/// breaks one line of it.
const BASE: &str = concat!(
    common::input_world_header!("model-errors"),
    common::calm_conflict_regimes_2_6!(),
    common::power_factor!(),
    r#"[rest_of_world]
median_power_price_usd_per_mwh = 45.0
price_dispersion = 0.35
classes = [ { name = "j20", installed_ehs = 1000.0, efficiency_j_per_th = 20.0, age_years = [1.0, 3.0] } ]

[[regions]]
name = "tight"
reserve_margin = 0.12
connection_lead_days = 180
scarcity_cap_usd_per_mwh = 5000
policy = "ai_first"
baseline_load = { initial_mw = 50000, growth = 0.02, seasonal_amplitude = 0.15, peak_day_of_year = 220, noise = 0.05 }
supply = [
  { mw = 40000, cost_usd_per_mwh = 10 },
  { mw = 30000, cost_usd_per_mwh = 45, fuel_linked = true },
]
additions = [ { mw = 5000, date = "2027-06-01", cost_usd_per_mwh = 40, delay_median_days = 180, delay_dispersion = 0.5 } ]
hours = { dispersion = 0.3, spike_probability = 0.01, spike_median_usd_per_mwh = 800 }
miners = { connected_mw = 3000, efficiency_j_per_th = 22, requests = [ { mw = 2000, date = "2026-12-01" } ] }

[[datacenters]]
name = "wave"
region = "tight"
capex_median_usd = 45e9
cost_median_usd_per_mw = 12e6
start_date = "2026-12-15"
build_days = 1460
load_factor = 0.9
curtailable = 0.1

[[farms]]
name = "operator"
fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
contract = { kind = "fixed", price_usd_per_mwh = 55.0 }
pool_fee = 0.02

[[farms]]
name = "peer"
region = "tight"
fleet = [ { model = "S19", units = 100, th_per_unit = 100.0, efficiency_j_per_th = 30.0 } ]
contract = { kind = "index", adder_usd_per_mwh = 5.0 }
"#,
);

const POLITICS: &str = r#"[regions.politics]
initial = "neutral"
regimes = [
  { name = "neutral", policy = "first_come", transitions = { ban = 0.1 } },
  { name = "ban", policy = "pro_rata", mining_banned = true },
]
elections = [
  { date = "2026-12-01", outcome = { neutral = 0.5, ban = 0.5 } },
  { date = "2027-11-02", outcome = { neutral = 0.7, ban = 0.3 } },
]
"#;

/// `text` with its one line `from` replaced by `to`.
#[track_caller]
fn replace_line(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.lines().filter(|l| *l == from).count(), 1, "`{from}`");
    text.lines()
        .map(|l| if l == from { to } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `BASE` with the region's policy replaced by political regimes, then
/// the line `from` of that replaced by `to`.
fn politics_broken(from: &str, to: &str) -> String {
    let text = replace_line(BASE, "policy = \"ai_first\"", "");
    let text = replace_line(
        &text,
        "[[datacenters]]",
        &format!("{POLITICS}\n[[datacenters]]"),
    );
    replace_line(&text, from, to)
}

/// The error refusing `text` (one line `from` of `BASE` made `to`), which
/// must be a value error on `field`.
#[track_caller]
fn refused(text: &str, field: &str) -> ScenarioError {
    let err = Scenario::from_toml_str(text).expect_err("the scenario is refused");
    assert_eq!(err.field(), Some(field), "{err}");
    err
}

#[track_caller]
fn broken(from: &str, to: &str, field: &str) -> ScenarioError {
    refused(&replace_line(BASE, from, to), field)
}

/// The model's error of `err`, which `source()` must return too.
#[track_caller]
fn model_error(err: &ScenarioError) -> &ModelError {
    let model = err.model_error().expect("the model's error is kept");
    let source = err.source().expect("a source");
    let via_source = source
        .downcast_ref::<ModelError>()
        .expect("the source is the ModelError");
    assert_eq!(via_source, model);
    assert_eq!(source.to_string(), model.to_string());
    model
}

fn param(field: &'static str, value: f64, rule: Rule) -> ParamError {
    ParamError { field, value, rule }
}

const TRANCHE_1: &str = "  { mw = 30000, cost_usd_per_mwh = 45, fuel_linked = true },";
const BASELINE: &str = "baseline_load = { initial_mw = 50000, growth = 0.02, seasonal_amplitude = 0.15, peak_day_of_year = 220, noise = 0.05 }";
const ADDITIONS: &str = "additions = [ { mw = 5000, date = \"2027-06-01\", cost_usd_per_mwh = 40, delay_median_days = 180, delay_dispersion = 0.5 } ]";
const HOURS: &str =
    "hours = { dispersion = 0.3, spike_probability = 0.01, spike_median_usd_per_mwh = 800 }";
const MINERS: &str = "miners = { connected_mw = 3000, efficiency_j_per_th = 22, requests = [ { mw = 2000, date = \"2026-12-01\" } ] }";
const OPERATOR_CONTRACT: &str = "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0 }";

/// `BASE` with `line` added to the operator's farm.
fn operator_with(line: &str) -> String {
    replace_line(BASE, "pool_fee = 0.02", &format!("pool_fee = 0.02\n{line}"))
}

// ---------------------------------------------------------------------------
// Scenarios the model refuses
// ---------------------------------------------------------------------------

#[test]
fn a_cap_below_a_cost_is_the_stack_s_error() {
    let err = broken(
        "scarcity_cap_usd_per_mwh = 5000",
        "scarcity_cap_usd_per_mwh = 20",
        "regions[0].scarcity_cap_usd_per_mwh",
    );
    assert!(matches!(
        err.model_error(),
        Some(ModelError::Stack(StackError::Cap))
    ));
    assert_eq!(model_error(&err), &ModelError::Stack(StackError::Cap));
    // The message is the scenario's, with the field and position.
    let shown = err.to_string();
    assert!(
        shown.starts_with("<string>:")
            && shown.ends_with(
                "regions[0].scarcity_cap_usd_per_mwh: must be at least the cost of every tranche and addition"
            ),
        "{shown}"
    );
    // The same through `--set`, on a file that extends another.
    let cap: Override = "regions[0].scarcity_cap_usd_per_mwh=20"
        .parse()
        .expect("override");
    let err = Scenario::from_path_with("scenarios/ai-squeeze.toml", &[cap]).expect_err("refused");
    assert_eq!(model_error(&err), &ModelError::Stack(StackError::Cap));
}

#[test]
fn tranche_sizes_and_costs_are_the_stack_s() {
    let line = "  { mw = -30000, cost_usd_per_mwh = 45, fuel_linked = true },";
    let err = broken(TRANCHE_1, line, "regions[0].supply[1].mw");
    assert_eq!(
        model_error(&err),
        &ModelError::Stack(StackError::Capacity(1))
    );
    assert!(
        err.to_string().ends_with("must be ≥ 0, not -30000"),
        "{err}"
    );
    let line = "  { mw = 30000, cost_usd_per_mwh = -45, fuel_linked = true },";
    let err = broken(TRANCHE_1, line, "regions[0].supply[1].cost_usd_per_mwh");
    assert_eq!(model_error(&err), &ModelError::Stack(StackError::Cost(1)));
    // An addition's cost is its tranche's: the third of the stack.
    let line = ADDITIONS.replace("cost_usd_per_mwh = 40", "cost_usd_per_mwh = -40");
    let err = broken(ADDITIONS, &line, "regions[0].additions[0].cost_usd_per_mwh");
    assert_eq!(model_error(&err), &ModelError::Stack(StackError::Cost(2)));
}

#[test]
fn the_hourly_spread_is_the_hours_model_s() {
    let line = HOURS.replace("dispersion = 0.3", "dispersion = -0.3");
    let err = broken(HOURS, &line, "regions[0].hours.dispersion");
    assert_eq!(
        model_error(&err),
        &ModelError::Hours(HoursError::Negative {
            field: "dispersion",
            value: -0.3
        })
    );
    assert!(err.to_string().ends_with("must be ≥ 0, not -0.3"), "{err}");
    let line = HOURS.replace("spike_probability = 0.01", "spike_probability = 1.0");
    let err = broken(HOURS, &line, "regions[0].hours.spike_probability");
    assert!(matches!(
        model_error(&err),
        ModelError::Hours(HoursError::ProbabilityOutOfRange { value, .. }) if *value == 1.0
    ));
    assert!(
        err.to_string().ends_with("must be in [0, 1), not 1"),
        "{err}"
    );
    let line = HOURS.replace("= 800", "= 0");
    let err = broken(HOURS, &line, "regions[0].hours.spike_median_usd_per_mwh");
    assert!(matches!(
        model_error(&err),
        ModelError::Hours(HoursError::NotPositive {
            field: "spike_median",
            ..
        })
    ));
    let line = HOURS.replace(" }", ", spike_dispersion = -1 }");
    let err = broken(HOURS, &line, "regions[0].hours.spike_dispersion");
    assert!(matches!(
        model_error(&err),
        ModelError::Hours(HoursError::Negative {
            field: "spike_dispersion",
            ..
        })
    ));
}

#[test]
fn baseline_loads_and_additions_are_the_region_s() {
    let line = BASELINE.replace("growth = 0.02", "growth = -1.0");
    let err = broken(BASELINE, &line, "regions[0].baseline_load.growth");
    let rule = Rule::Within(Interval::left_open(-1.0, 1.0));
    assert_eq!(
        model_error(&err),
        &ModelError::Region(RegionError::Baseline(param("growth", -1.0, rule)))
    );
    assert!(
        err.to_string().ends_with("must be in (-1, 1], not -1"),
        "{err}"
    );
    let line = BASELINE.replace("noise = 0.05", "noise = -0.05");
    let err = broken(BASELINE, &line, "regions[0].baseline_load.noise");
    assert!(matches!(
        model_error(&err),
        ModelError::Region(RegionError::Baseline(ParamError { field: "noise", .. }))
    ));
    let line = ADDITIONS.replace("delay_dispersion = 0.5", "delay_dispersion = -0.5");
    let err = broken(ADDITIONS, &line, "regions[0].additions[0].delay_dispersion");
    assert_eq!(
        model_error(&err),
        &ModelError::Region(RegionError::Addition(param(
            "delay_dispersion",
            -0.5,
            Rule::NonNegative
        )))
    );
}

#[test]
fn a_region_s_miners_are_the_market_s() {
    let line = MINERS.replace(
        "efficiency_j_per_th = 22",
        "efficiency_j_per_th = 22, pue = 0.9",
    );
    let err = broken(MINERS, &line, "regions[0].miners.pue");
    let rule = Rule::Within(Interval::closed(1.0, 10.0));
    assert_eq!(
        model_error(&err),
        &ModelError::Miners(MinersError::Miners(param("pue", 0.9, rule)))
    );
    assert!(
        err.to_string().ends_with("must be in [1, 10], not 0.9"),
        "{err}"
    );
    let line = MINERS.replace("\"2026-12-01\" }", "\"2026-12-01\", max_wait_days = -3 }");
    let err = broken(MINERS, &line, "regions[0].miners.requests[0].max_wait_days");
    assert_eq!(
        model_error(&err),
        &ModelError::Miners(MinersError::Request(param(
            "max_wait_days",
            -3.0,
            Rule::NonNegative
        )))
    );
}

#[test]
fn a_data_center_is_the_pipeline_s() {
    let err = broken(
        "load_factor = 0.9",
        "load_factor = 1.5",
        "datacenters[0].load_factor",
    );
    assert!(matches!(
        model_error(&err),
        ModelError::Pipeline(PipelineError::OutOfRange {
            field: "load_factor",
            ..
        })
    ));
}

#[test]
fn policies_and_politics_are_the_politics_model_s() {
    let err = broken(
        "policy = \"ai_first\"",
        "policy = \"lottery\"",
        "regions[0].policy",
    );
    assert_eq!(
        model_error(&err),
        &ModelError::Policy(UnknownPolicy("lottery".into()))
    );
    let election_0 = "  { date = \"2026-12-01\", outcome = { neutral = 0.5, ban = 0.5 } },";
    let election_1 = "  { date = \"2027-11-02\", outcome = { neutral = 0.7, ban = 0.3 } },";
    let text = politics_broken(election_1, &election_1.replace("2027-11-02", "2026-12-01"));
    let err = refused(&text, "regions[0].politics.elections[1].date");
    assert_eq!(
        model_error(&err),
        &ModelError::Politics(PoliticsError::SameDay(1))
    );
    assert!(
        err.to_string().ends_with("elections[0] is on the same day"),
        "{err}"
    );
    let text = politics_broken(election_0, &election_0.replace("2026-12-01", "2026-11-01"));
    let err = refused(&text, "regions[0].politics.elections[0].date");
    assert_eq!(
        model_error(&err),
        &ModelError::Politics(PoliticsError::Day(0))
    );
    let text = politics_broken(election_1, &election_1.replace("ban = 0.3", "ban = 0.05"));
    let err = refused(&text, "regions[0].politics.elections[1].outcome");
    assert_eq!(
        model_error(&err),
        &ModelError::Politics(PoliticsError::Outcome(1))
    );
    assert!(err.to_string().ends_with("sum to 1, not 0.750000"), "{err}");
    let text = politics_broken(
        "  { name = \"ban\", policy = \"pro_rata\", mining_banned = true },",
        "",
    );
    let text = replace_line(
        &text,
        "  { name = \"neutral\", policy = \"first_come\", transitions = { ban = 0.1 } },",
        "",
    );
    let text = replace_line(&text, "initial = \"neutral\"", "");
    let text = replace_line(&text, election_0, "");
    let text = replace_line(&text, election_1, "");
    let err = refused(&text, "regions[0].politics.regimes");
    assert_eq!(
        model_error(&err),
        &ModelError::Politics(PoliticsError::NoRegime)
    );
}

#[test]
fn balance_sheets_hedges_and_renewals_are_the_finance_model_s() {
    let err = refused(
        &operator_with("finance = { cash_usd = 1e6, debt_usd = 1e6, debt_rate = 1.5 }"),
        "farms[0].finance.debt_rate",
    );
    let rule = Rule::Within(Interval::closed(0.0, 1.0));
    assert_eq!(
        model_error(&err),
        &ModelError::Finance(FinanceError::Finance(param("debt_rate", 1.5, rule)))
    );
    // The model counts days, the scenario years: the message shows years.
    let err = refused(
        &operator_with(
            "finance = { cash_usd = 1e6, debt_usd = 1e6, debt_rate = 0.1, amortisation_years = 0 }",
        ),
        "farms[0].finance.amortisation_years",
    );
    assert!(matches!(
        model_error(&err),
        ModelError::Finance(FinanceError::Finance(ParamError {
            field: "amortisation_days",
            rule: Rule::Positive,
            ..
        }))
    ));
    assert!(err.to_string().ends_with("must be > 0, not 0"), "{err}");
    let err = refused(
        &operator_with(
            "hedge = { share = 1.5, hashprice_usd_per_ph_day = 45.0, tenor_days = 180 }",
        ),
        "farms[0].hedge.share",
    );
    let rule = Rule::Within(Interval::left_open(0.0, 1.0));
    assert_eq!(
        model_error(&err),
        &ModelError::Finance(FinanceError::Hedge(param("share", 1.5, rule)))
    );
    let contract = "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0, end = \"2027-06-12\", renewal = { tenor_years = 1.0, tight_tenor_years = 2.0 } }";
    let err = refused(
        &replace_line(BASE, OPERATOR_CONTRACT, contract),
        "farms[0].contract.renewal.tight_tenor_years",
    );
    assert_eq!(
        model_error(&err),
        &ModelError::Finance(FinanceError::TightTenor {
            tenor_days: 365.0,
            tight_tenor_days: 730.0
        })
    );
    assert!(
        err.to_string()
            .ends_with("2 is longer than `tenor_years` (1): tight markets shorten tenors"),
        "{err}"
    );
    let contract =
        "contract = { kind = \"fixed\", price_usd_per_mwh = 55.0, end = \"2026-11-24\" }";
    let err = refused(
        &replace_line(BASE, OPERATOR_CONTRACT, contract),
        "farms[0].contract.end",
    );
    assert!(matches!(
        model_error(&err),
        ModelError::Finance(FinanceError::Renewal(ParamError {
            field: "end_day",
            ..
        }))
    ));
    assert!(
        err.to_string()
            .ends_with("is not after the scenario's start"),
        "{err}"
    );
}

#[test]
fn class_ages_are_the_retirement_model_s() {
    let classes = "classes = [ { name = \"j20\", installed_ehs = 1000.0, efficiency_j_per_th = 20.0, age_years = [1.0, 3.0] } ]";
    let err = broken(
        classes,
        &classes.replace("[1.0, 3.0]", "[3.0, 1.0]"),
        "rest_of_world.classes[0].age_years",
    );
    assert_eq!(
        model_error(&err),
        &ModelError::Retirement(RetirementError::Order {
            min_years: 3.0,
            max_years: 1.0
        })
    );
    let err = broken(
        classes,
        &classes.replace("[1.0, 3.0]", "[1.0, 3.0], life_years = 0"),
        "rest_of_world.classes[0].life_years",
    );
    assert!(matches!(
        model_error(&err),
        ModelError::Retirement(RetirementError::Param(ParamError {
            field: "life_years",
            ..
        }))
    ));
}

#[test]
fn scenario_rules_carry_no_model_error() {
    let err = broken("pool_fee = 0.02", "pool_fee = 1.5", "farms[0].pool_fee");
    assert!(err.model_error().is_none());
    assert!(err.source().is_none());
    // Syntax errors neither.
    let err = Scenario::from_toml_str("name = ").expect_err("syntax");
    assert!(err.model_error().is_none());
}

#[test]
fn a_spec_built_in_code_keeps_the_model_error_too() {
    let mut spec = Scenario::from_toml_str(BASE).expect("valid").spec().clone();
    spec.regions[0].scarcity_cap_usd_per_mwh = 20.0;
    let err = Scenario::from_spec(spec).expect_err("refused");
    assert_eq!(err.field(), Some("regions[0].scarcity_cap_usd_per_mwh"));
    assert_eq!(model_error(&err), &ModelError::Stack(StackError::Cap));
}

#[test]
fn model_errors_are_send_sync_and_static() {
    fn bounds<T: std::error::Error + Send + Sync + 'static>() {}
    bounds::<ModelError>();
    bounds::<ParamError>();
    bounds::<FinanceError>();
    bounds::<RegionError>();
    bounds::<MinersError>();
    bounds::<RetirementError>();
    bounds::<ScenarioError>();
}

// ---------------------------------------------------------------------------
// The constructors' rules
// ---------------------------------------------------------------------------

#[test]
fn finance_new_checks_the_balance_sheet() {
    let f = Finance::new(1e6, 5e6, 0.09, 1460.0).expect("valid");
    assert_eq!(
        (f.cash_usd, f.debt_usd, f.debt_rate, f.amortisation_days),
        (1e6, 5e6, 0.09, 1460.0)
    );
    assert!(Finance::new(0.0, 0.0, 0.0, f64::INFINITY).is_ok());
    assert!(Finance::new(0.0, 0.0, 1.0, 1.0).is_ok());
    let err = |cash, debt, rate, days| match Finance::new(cash, debt, rate, days) {
        Err(FinanceError::Finance(p)) => (p.field, p.rule),
        other => panic!("expected a balance-sheet error, got {other:?}"),
    };
    assert_eq!(err(-1.0, 0.0, 0.0, 1.0), ("cash_usd", Rule::NonNegative));
    assert_eq!(
        err(f64::INFINITY, 0.0, 0.0, 1.0),
        ("cash_usd", Rule::Finite)
    );
    assert_eq!(err(0.0, -1.0, 0.0, 1.0), ("debt_usd", Rule::NonNegative));
    let unit = Rule::Within(Interval::closed(0.0, 1.0));
    assert_eq!(err(0.0, 0.0, 1.01, 1.0), ("debt_rate", unit));
    assert_eq!(err(0.0, 0.0, f64::NAN, 1.0), ("debt_rate", Rule::Finite));
    assert_eq!(
        err(0.0, 0.0, 0.1, 0.0),
        ("amortisation_days", Rule::Positive)
    );
    assert_eq!(
        err(0.0, 0.0, 0.1, f64::NAN),
        ("amortisation_days", Rule::Finite)
    );
    assert_eq!(
        Finance::new(-1.0, 0.0, 0.0, 1.0).unwrap_err().to_string(),
        "balance sheet: cash_usd = -1: must be ≥ 0"
    );
}

#[test]
fn hedge_new_checks_the_forward() {
    let h = Hedge::new(0.25, 45.0, 7.0, 180.0).expect("valid");
    assert_eq!(
        (
            h.share(),
            h.hashprice_usd_per_ph_day(),
            h.start_day(),
            h.end_day()
        ),
        (0.25, 45.0, 7.0, 187.0)
    );
    // A forward may have started before the scenario.
    assert!(Hedge::new(1.0, 0.0, -30.0, 1.0).is_ok());
    let err = |share, price, start, tenor| match Hedge::new(share, price, start, tenor) {
        Err(FinanceError::Hedge(p)) => (p.field, p.rule),
        other => panic!("expected a hedge error, got {other:?}"),
    };
    let share = Rule::Within(Interval::left_open(0.0, 1.0));
    assert_eq!(err(0.0, 45.0, 0.0, 1.0), ("share", share));
    assert_eq!(err(1.1, 45.0, 0.0, 1.0), ("share", share));
    assert_eq!(
        err(0.5, -1.0, 0.0, 1.0),
        ("hashprice_usd_per_ph_day", Rule::NonNegative)
    );
    assert_eq!(err(0.5, 45.0, f64::NAN, 1.0), ("start_day", Rule::Finite));
    assert_eq!(err(0.5, 45.0, 0.0, 0.0), ("tenor_days", Rule::Positive));
}

#[test]
fn renewal_new_checks_the_terms() {
    let r = Renewal::new(200.0, -2.0, 20.0, 730.0, 182.5).expect("valid");
    assert_eq!(
        (
            r.end_day,
            r.premium_usd_per_mwh,
            r.tight_premium_usd_per_mwh,
            r.tenor_days,
            r.tight_tenor_days
        ),
        (200.0, -2.0, 20.0, 730.0, 182.5)
    );
    assert!(Renewal::new(1.0, 0.0, 0.0, 365.0, 365.0).is_ok());
    let err = |end, premium, tight_premium, tenor, tight_tenor| match Renewal::new(
        end,
        premium,
        tight_premium,
        tenor,
        tight_tenor,
    ) {
        Err(FinanceError::Renewal(p)) => (p.field, p.rule),
        other => panic!("expected a renewal error, got {other:?}"),
    };
    assert_eq!(err(0.0, 0.0, 0.0, 1.0, 1.0), ("end_day", Rule::Positive));
    assert_eq!(
        err(1.0, f64::NAN, 0.0, 1.0, 1.0),
        ("premium_usd_per_mwh", Rule::Finite)
    );
    assert_eq!(
        err(1.0, 0.0, -1.0, 1.0, 1.0),
        ("tight_premium_usd_per_mwh", Rule::NonNegative)
    );
    assert_eq!(err(1.0, 0.0, 0.0, 0.0, 1.0), ("tenor_days", Rule::Positive));
    assert_eq!(
        err(1.0, 0.0, 0.0, 1.0, -1.0),
        ("tight_tenor_days", Rule::Positive)
    );
    assert_eq!(
        Renewal::new(1.0, 0.0, 0.0, 365.0, 366.0),
        Err(FinanceError::TightTenor {
            tenor_days: 365.0,
            tight_tenor_days: 366.0
        })
    );
}

#[test]
fn baseline_load_new_checks_its_shape() {
    let b = BaselineLoad::new(50_000.0, 0.02, 0.15, 220.0, 327.0, 0.05).expect("valid");
    assert_eq!(
        (
            b.initial_mw(),
            b.growth(),
            b.seasonal_amplitude(),
            b.peak_day_of_year(),
            b.start_day_of_year(),
            b.noise()
        ),
        (50_000.0, 0.02, 0.15, 220.0, 327.0, 0.05)
    );
    assert!(BaselineLoad::new(0.0, 1.0, 0.0, 366.0, 0.0, 0.0).is_ok());
    let err = |values: [f64; 6]| {
        let [l, g, a, peak, start, noise] = values;
        BaselineLoad::new(l, g, a, peak, start, noise)
            .unwrap_err()
            .param()
            .field
    };
    let ok = [1000.0, 0.0, 0.1, 200.0, 0.0, 0.0];
    for (i, bad, field) in [
        (0, -1.0, "initial_mw"),
        (1, -1.0, "growth"),
        (1, 1.5, "growth"),
        (2, 1.0, "seasonal_amplitude"),
        (2, -0.1, "seasonal_amplitude"),
        (3, 367.0, "peak_day_of_year"),
        (4, -1.0, "start_day_of_year"),
        (5, -0.01, "noise"),
        (5, f64::NAN, "noise"),
    ] {
        let mut values = ok;
        values[i] = bad;
        assert_eq!(err(values), field, "{values:?}");
    }
}

#[test]
fn capacity_addition_new_checks_size_and_delay() {
    let a = CapacityAddition::new(500.0, 100.0, 30.0, 0.5).expect("valid");
    assert_eq!(
        (
            a.mw(),
            a.planned_day(),
            a.delay_median_days(),
            a.delay_dispersion()
        ),
        (500.0, 100.0, 30.0, 0.5)
    );
    // Planned before the start: in service from day 0.
    assert!(CapacityAddition::new(500.0, -10.0, 0.0, 0.0).is_ok());
    let field = |mw, day, median, dispersion| {
        CapacityAddition::new(mw, day, median, dispersion)
            .unwrap_err()
            .param()
            .field
    };
    assert_eq!(field(-1.0, 0.0, 0.0, 0.0), "mw");
    assert_eq!(field(1.0, f64::NAN, 0.0, 0.0), "planned_day");
    assert_eq!(field(1.0, 0.0, -1.0, 0.0), "delay_median_days");
    assert_eq!(field(1.0, 0.0, 0.0, -1.0), "delay_dispersion");
}

#[test]
fn miner_requests_and_regional_miners_check_themselves() {
    let q = MinerRequest::new(2000.0, 7.0, 1e5, f64::INFINITY).expect("valid");
    assert_eq!(
        (q.mw, q.day, q.bid_usd_per_mw_year, q.max_wait_days),
        (2000.0, 7.0, 1e5, f64::INFINITY)
    );
    let field = |mw, day, bid, wait| {
        MinerRequest::new(mw, day, bid, wait)
            .unwrap_err()
            .param()
            .field
    };
    assert_eq!(field(-1.0, 0.0, 0.0, 1.0), "mw");
    assert_eq!(field(1.0, f64::INFINITY, 0.0, 1.0), "day");
    assert_eq!(field(1.0, 0.0, -1.0, 1.0), "bid_usd_per_mw_year");
    assert_eq!(field(1.0, 0.0, 0.0, -1.0), "max_wait_days");
    assert_eq!(field(1.0, 0.0, 0.0, f64::NAN), "max_wait_days");
    let m = RegionalMiners::new(3000.0, 22.0, 1.0, 0.0, 0.0, vec![q]).expect("valid");
    assert_eq!(m.requests, vec![q]);
    assert!(RegionalMiners::new(0.0, 22.0, 10.0, 0.99, 5.0, Vec::new()).is_ok());
    let field = |values: [f64; 5]| {
        let [mw, eff, pue, fee, opex] = values;
        RegionalMiners::new(mw, eff, pue, fee, opex, Vec::new())
            .unwrap_err()
            .param()
            .field
    };
    let ok = [3000.0, 22.0, 1.1, 0.02, 2.0];
    for (i, bad, name) in [
        (0, -1.0, "connected_mw"),
        (1, 0.0, "efficiency_j_per_th"),
        (2, 0.99, "pue"),
        (2, 10.5, "pue"),
        (3, 1.0, "pool_fee"),
        (3, -0.01, "pool_fee"),
        (4, -1.0, "opex_usd_per_mwh"),
    ] {
        let mut values = ok;
        values[i] = bad;
        assert_eq!(field(values), name, "{values:?}");
    }
}

#[test]
fn class_age_new_is_public() {
    let age = ClassAge::new(1.0, 3.0, 5.0).expect("valid");
    assert_eq!(
        (age.min_years(), age.max_years(), age.life_years()),
        (1.0, 3.0, 5.0)
    );
    assert!(matches!(
        ClassAge::new(-1.0, 3.0, 5.0),
        Err(RetirementError::Param(ParamError {
            field: "min_years",
            rule: Rule::NonNegative,
            ..
        }))
    ));
}
