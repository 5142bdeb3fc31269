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
use hashwatt::model::expansion::{Expansion, ExpansionParams};
use hashwatt::model::farm::{FarmError, MachineLot};
use hashwatt::model::finance::{Finance, FinanceError, Hedge, Renewal};
use hashwatt::model::grid::StackError;
use hashwatt::model::hours::HoursError;
use hashwatt::model::investment::{Investment, InvestmentError, InvestmentParams};
use hashwatt::model::market::{MinerRequest, MinersError, RegionalMiners};
use hashwatt::model::migration::Migration;
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

const INVESTMENT: &str = r#"[rest_of_world.investment]
frontier_efficiency_j_per_th = 15.0
machine_cost_usd_per_th = 14.0
site_power_price_usd_per_mwh = 40.0
hurdle_rate = 0.25
response_ehs_per_year = 300.0
power_available_mw = 5000.0
"#;

/// `BASE` with `[rest_of_world.investment]` (`INVESTMENT` with `line`
/// added).
fn with_investment(line: &str) -> String {
    replace_line(
        BASE,
        "[[regions]]",
        &format!("{INVESTMENT}{line}\n\n[[regions]]"),
    )
}

#[test]
fn an_investment_is_the_investment_model_s() {
    let s = Scenario::from_toml_str(&with_investment("")).expect("valid");
    let inv = s.investment().expect("an investment");
    assert_eq!(
        (
            inv.frontier_efficiency_j_per_th(),
            inv.machine_cost_usd_per_th()
        ),
        (15.0, 14.0)
    );
    assert_eq!(inv.max_orders_ehs_per_year(), f64::INFINITY);
    let err = refused(
        &with_investment("pue = 0.9"),
        "rest_of_world.investment.pue",
    );
    let rule = Rule::Within(Interval::closed(1.0, 10.0));
    assert_eq!(
        model_error(&err),
        &ModelError::Investment(InvestmentError::Param(param("pue", 0.9, rule)))
    );
    assert!(
        err.to_string().ends_with("must be in [1, 10], not 0.9"),
        "{err}"
    );
    // A cap given is checked (none given: no cap).
    let err = refused(
        &with_investment("max_orders_ehs_per_year = -1"),
        "rest_of_world.investment.max_orders_ehs_per_year",
    );
    assert_eq!(
        model_error(&err),
        &ModelError::Investment(InvestmentError::Param(param(
            "max_orders_ehs_per_year",
            -1.0,
            Rule::NonNegative
        )))
    );
    assert!(err.to_string().ends_with("must be ≥ 0, not -1"), "{err}");
    // A life shorter than a step is the scenario's rule (the model has no
    // step).
    let err = refused(
        &with_investment("life_years = 0.001"),
        "rest_of_world.investment.life_years",
    );
    assert!(err.model_error().is_none());
    let err = refused(
        &with_investment("life_years = 0"),
        "rest_of_world.investment.life_years",
    );
    assert!(matches!(
        model_error(&err),
        ModelError::Investment(InvestmentError::Param(ParamError {
            field: "life_years",
            rule: Rule::Positive,
            ..
        }))
    ));
}

#[test]
fn machine_lots_expansions_and_migrations_are_the_farm_model_s() {
    let fleet = "fleet = [ { model = \"S21\", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]";
    // The model counts days, the scenario years: the message shows years.
    let line = fleet.replace("17.5 }", "17.5, life_years = -2 }");
    let err = broken(fleet, &line, "farms[0].fleet[0].life_years");
    assert_eq!(
        model_error(&err),
        &ModelError::Farm(FarmError::Lot(param(
            "life_days",
            -2.0 * 365.0,
            Rule::Positive
        )))
    );
    assert!(err.to_string().ends_with("must be > 0, not -2"), "{err}");
    let line = fleet.replace("17.5 }", "17.5, price_usd = -5 }");
    let err = broken(fleet, &line, "farms[0].fleet[0].price_usd");
    assert_eq!(
        model_error(&err),
        &ModelError::Farm(FarmError::Lot(param("price_usd", -5.0, Rule::NonNegative)))
    );

    let peer = "contract = { kind = \"index\", adder_usd_per_mwh = 5.0 }";
    let grow = |extra: &str| {
        format!(
            "{peer}\nexpansion = {{ model = \"S21 Pro\", payback_threshold_days = 900, request_mw = 10, max_mw = 40, lead_days = 60{extra} }}"
        )
    };
    let s = Scenario::from_toml_str(&replace_line(BASE, peer, &grow(""))).expect("valid");
    let e = s.farms()[1].expansion().expect("an expansion");
    assert_eq!(
        (e.model(), e.request_mw(), e.max_mw()),
        ("S21 Pro", 10.0, 40.0)
    );
    assert_eq!(e.max_wait_days(), f64::INFINITY);
    // The scenario gives the price per TH/s, the model per PH/s.
    let text = replace_line(BASE, peer, &grow(", price_usd_per_th = -2"));
    let err = refused(&text, "farms[1].expansion.price_usd_per_th");
    assert_eq!(
        model_error(&err),
        &ModelError::Farm(FarmError::Expansion(param(
            "price_usd_per_phs",
            -2000.0,
            Rule::NonNegative
        )))
    );
    assert!(err.to_string().ends_with("must be ≥ 0, not -2"), "{err}");
    let text = replace_line(BASE, peer, &grow(", max_wait_days = 0"));
    let err = refused(&text, "farms[1].expansion.max_wait_days");
    assert!(matches!(
        model_error(&err),
        ModelError::Farm(FarmError::Expansion(ParamError {
            field: "max_wait_days",
            rule: Rule::Positive,
            ..
        }))
    ));
    // Borrowing without a balance sheet is the scenario's rule; a share out
    // of range is the model's, reported first.
    let err = refused(
        &replace_line(BASE, peer, &grow(", debt_share = 0.5")),
        "farms[1].expansion.debt_share",
    );
    assert!(err.model_error().is_none());
    assert!(err.to_string().contains("[farms.finance]"), "{err}");
    let err = refused(
        &replace_line(BASE, peer, &grow(", debt_share = 1.5, max_wait_days = 0")),
        "farms[1].expansion.debt_share",
    );
    assert!(matches!(
        model_error(&err),
        ModelError::Farm(FarmError::Expansion(ParamError {
            field: "debt_share",
            ..
        }))
    ));

    // A second region to move to.
    let hydro = "[[regions]]\nname = \"hydro\"\nreserve_margin = 0.1\nconnection_lead_days = 30\nscarcity_cap_usd_per_mwh = 3000\nbaseline_load = { initial_mw = 1000, growth = 0.0, seasonal_amplitude = 0.0, peak_day_of_year = 1, noise = 0.0 }\nsupply = [ { mw = 5000, cost_usd_per_mwh = 20 } ]\n\n[[datacenters]]";
    let moving = |extra: &str| {
        let text = replace_line(BASE, "[[datacenters]]", hydro);
        replace_line(
            &text,
            peer,
            &format!(
                "{peer}\nmigration = {{ to = \"hydro\", after_denied_days = 90, cost_usd_per_mw = 300000, downtime_days = 45{extra} }}"
            ),
        )
    };
    let s = Scenario::from_toml_str(&moving("")).expect("valid");
    let m = s.farms()[1].migration().expect("a migration");
    assert_eq!(
        (m.to(), m.to_index(), m.after_denied_days()),
        ("hydro", 1, 90.0)
    );
    assert_eq!(m.above_price_usd_per_mwh(), f64::INFINITY);
    let text = moving("").replace("downtime_days = 45", "downtime_days = -5");
    let err = refused(&text, "farms[1].migration.downtime_days");
    assert_eq!(
        model_error(&err),
        &ModelError::Farm(FarmError::Migration(param(
            "downtime_days",
            -5.0,
            Rule::NonNegative
        )))
    );
    assert!(err.to_string().ends_with("must be ≥ 0, not -5"), "{err}");
}

#[test]
fn a_checked_scenario_reads_through_accessors() {
    let s = Scenario::from_toml_str(BASE).expect("valid");
    let region = &s.regions()[0];
    assert_eq!((region.name(), region.reserve_margin()), ("tight", 0.12));
    // 180 days of lead, beyond the 30-day horizon: one step past its end.
    assert_eq!(region.connection_lead_steps(), s.steps() + 1);
    assert_eq!(
        (region.initial_tranches(), region.additions().len()),
        (2, 1)
    );
    assert_eq!(region.stack().tranches().len(), 3);
    assert_eq!((region.farms(), region.home_farms()), (&[1][..], 1));
    assert_eq!(region.load_by_step().len(), s.steps());
    let miners = region.miners();
    assert_eq!(
        (miners.connected_mw(), miners.efficiency_j_per_th()),
        (3000.0, 22.0)
    );
    assert_eq!(miners.requests()[0].mw(), 2000.0);
    let wave = &region.datacenters()[0];
    assert_eq!(wave.name(), "wave");
    assert_eq!(wave.pipeline().params().load_factor, 0.9);
    let [operator, peer] = s.farms() else {
        panic!("two farms")
    };
    assert_eq!((operator.name(), operator.region()), ("operator", None));
    assert_eq!(
        (peer.region(), peer.region_index()),
        (Some("tight"), Some(0))
    );
    assert_eq!((operator.pool_fee(), operator.pue()), (0.02, 1.0));
    assert_eq!(operator.contract().fixed_price_usd_per_mwh(), Some(55.0));
    let lot = &operator.fleet()[0];
    assert_eq!(
        (
            lot.model(),
            lot.units(),
            lot.th_per_unit(),
            lot.efficiency_j_per_th()
        ),
        ("S21", 250, 200.0, 17.5)
    );
    assert!(operator.finance().is_none() && operator.expansion().is_none());
    // The region counts its own farm's draw against its headroom.
    assert_eq!(region.farm_mw(), peer.mw());
    assert!(region.farm_mw() > 0.0);
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
    bounds::<FarmError>();
    bounds::<InvestmentError>();
    bounds::<ScenarioError>();
}

// ---------------------------------------------------------------------------
// The constructors' rules
// ---------------------------------------------------------------------------

#[test]
fn finance_new_checks_the_balance_sheet() {
    let f = Finance::new(1e6, 5e6, 0.09, 1460.0).expect("valid");
    assert_eq!(
        (
            f.cash_usd(),
            f.debt_usd(),
            f.debt_rate(),
            f.amortisation_days()
        ),
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
            r.end_day(),
            r.premium_usd_per_mwh(),
            r.tight_premium_usd_per_mwh(),
            r.slack_tenor_days(),
            r.tight_tenor_days()
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
        (q.mw(), q.day(), q.bid_usd_per_mw_year(), q.max_wait_days()),
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
    assert_eq!(m.requests(), [q]);
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

fn investment_params() -> InvestmentParams {
    InvestmentParams {
        frontier_efficiency_j_per_th: 15.0,
        frontier_improvement_per_year: 0.1,
        machine_cost_usd_per_th: 14.0,
        machine_cost_decline_per_year: 0.2,
        site_power_price_usd_per_mwh: 40.0,
        pool_fee: 0.02,
        pue: 1.1,
        hurdle_rate: -0.05,
        response_ehs_per_year: 300.0,
        max_orders_ehs_per_year: Some(250.0),
        lead_days: 90.0,
        life_years: 4.5,
        power_available_mw: 5000.0,
        power_growth_mw_per_year: 1000.0,
    }
}

#[test]
fn investment_new_checks_its_parameters() {
    let inv = Investment::new(investment_params()).expect("valid");
    assert_eq!(
        [
            inv.frontier_efficiency_j_per_th(),
            inv.frontier_improvement_per_year(),
            inv.machine_cost_usd_per_th(),
            inv.machine_cost_decline_per_year(),
            inv.site_power_price_usd_per_mwh(),
            inv.pool_fee(),
            inv.pue(),
            inv.hurdle_rate(),
            inv.response_ehs_per_year(),
            inv.max_orders_ehs_per_year(),
            inv.lead_days(),
            inv.life_years(),
            inv.power_available_mw(),
            inv.power_growth_mw_per_year(),
        ],
        [
            15.0, 0.1, 14.0, 0.2, 40.0, 0.02, 1.1, -0.05, 300.0, 250.0, 90.0, 4.5, 5000.0, 1000.0
        ]
    );
    let uncapped = InvestmentParams {
        max_orders_ehs_per_year: None,
        ..investment_params()
    };
    assert_eq!(
        Investment::new(uncapped)
            .expect("valid")
            .max_orders_ehs_per_year(),
        f64::INFINITY
    );
    let err = |params: InvestmentParams| match Investment::new(params) {
        Err(InvestmentError::Param(p)) => (p.field, p.rule),
        other => panic!("expected an investment error, got {other:?}"),
    };
    let base = investment_params;
    let fraction = Rule::Within(Interval::half_open(0.0, 1.0));
    for (params, want) in [
        (
            InvestmentParams {
                frontier_efficiency_j_per_th: 0.0,
                ..base()
            },
            ("frontier_efficiency_j_per_th", Rule::Positive),
        ),
        (
            InvestmentParams {
                frontier_improvement_per_year: 1.0,
                ..base()
            },
            ("frontier_improvement_per_year", fraction),
        ),
        (
            InvestmentParams {
                machine_cost_usd_per_th: -1.0,
                ..base()
            },
            ("machine_cost_usd_per_th", Rule::Positive),
        ),
        (
            InvestmentParams {
                machine_cost_decline_per_year: -0.1,
                ..base()
            },
            ("machine_cost_decline_per_year", fraction),
        ),
        (
            InvestmentParams {
                site_power_price_usd_per_mwh: -1.0,
                ..base()
            },
            ("site_power_price_usd_per_mwh", Rule::NonNegative),
        ),
        (
            InvestmentParams {
                pool_fee: 1.0,
                ..base()
            },
            ("pool_fee", fraction),
        ),
        (
            InvestmentParams {
                pue: 10.5,
                ..base()
            },
            ("pue", Rule::Within(Interval::closed(1.0, 10.0))),
        ),
        (
            InvestmentParams {
                hurdle_rate: f64::NAN,
                ..base()
            },
            ("hurdle_rate", Rule::Finite),
        ),
        (
            InvestmentParams {
                response_ehs_per_year: f64::INFINITY,
                ..base()
            },
            ("response_ehs_per_year", Rule::Finite),
        ),
        (
            InvestmentParams {
                max_orders_ehs_per_year: Some(-1.0),
                ..base()
            },
            ("max_orders_ehs_per_year", Rule::NonNegative),
        ),
        (
            InvestmentParams {
                lead_days: -1.0,
                ..base()
            },
            ("lead_days", Rule::NonNegative),
        ),
        (
            InvestmentParams {
                life_years: 0.0,
                ..base()
            },
            ("life_years", Rule::Positive),
        ),
        (
            InvestmentParams {
                power_available_mw: -1.0,
                ..base()
            },
            ("power_available_mw", Rule::NonNegative),
        ),
        (
            InvestmentParams {
                power_growth_mw_per_year: -1.0,
                ..base()
            },
            ("power_growth_mw_per_year", Rule::NonNegative),
        ),
    ] {
        assert_eq!(err(params), want);
    }
    // The life is checked first.
    let two_bad = InvestmentParams {
        pue: 0.0,
        life_years: -1.0,
        ..base()
    };
    assert_eq!(err(two_bad).0, "life_years");
    assert_eq!(
        Investment::new(InvestmentParams {
            lead_days: -3.0,
            ..base()
        })
        .unwrap_err()
        .to_string(),
        "rest-of-world investment: lead_days = -3: must be ≥ 0"
    );
}

#[test]
fn a_machine_lot_s_price_and_service_are_checked() {
    let lot = MachineLot::new("S21", 250, 200.0, 17.5);
    assert_eq!(
        (lot.price_usd(), lot.purchase_day(), lot.life_days()),
        (0.0, 0.0, f64::INFINITY)
    );
    let lot = lot
        .with_price(3500.0)
        .and_then(|lot| lot.with_service(-30.0, 1460.0))
        .expect("valid");
    assert_eq!(
        (
            lot.model(),
            lot.units(),
            lot.th_per_unit(),
            lot.efficiency_j_per_th()
        ),
        ("S21", 250, 200.0, 17.5)
    );
    assert_eq!(
        (lot.price_usd(), lot.purchase_day(), lot.life_days()),
        (3500.0, -30.0, 1460.0)
    );
    assert_eq!(lot.cost_usd(), 250.0 * 3500.0);
    let field = |r: Result<MachineLot, FarmError>| match r {
        Err(FarmError::Lot(p)) => (p.field, p.rule),
        other => panic!("expected a lot error, got {other:?}"),
    };
    let lot = || MachineLot::new("S21", 1, 200.0, 17.5);
    assert_eq!(
        field(lot().with_price(-1.0)),
        ("price_usd", Rule::NonNegative)
    );
    assert_eq!(
        field(lot().with_price(f64::NAN)),
        ("price_usd", Rule::Finite)
    );
    assert_eq!(
        field(lot().with_service(f64::NEG_INFINITY, 10.0)),
        ("purchase_day", Rule::Finite)
    );
    assert_eq!(
        field(lot().with_service(0.0, 0.0)),
        ("life_days", Rule::Positive)
    );
    assert_eq!(
        field(lot().with_service(0.0, f64::INFINITY)),
        ("life_days", Rule::Finite)
    );
}

fn expansion_params() -> ExpansionParams {
    ExpansionParams {
        model: "S21 XP".into(),
        efficiency_j_per_th: 13.5,
        price_usd_per_phs: 16_000.0,
        life_days: 1826.0,
        payback_threshold_days: 540.0,
        request_mw: 10.0,
        max_mw: 50.0,
        lead_days: 90.0,
        max_wait_days: Some(365.0),
        debt_share: 0.4,
    }
}

#[test]
fn expansion_new_checks_its_parameters() {
    let e = Expansion::new(expansion_params()).expect("valid");
    assert_eq!(e.model(), "S21 XP");
    assert_eq!(
        [
            e.efficiency_j_per_th(),
            e.price_usd_per_phs(),
            e.life_days(),
            e.payback_threshold_days(),
            e.request_mw(),
            e.max_mw(),
            e.lead_days(),
            e.max_wait_days(),
            e.debt_share(),
        ],
        [13.5, 16_000.0, 1826.0, 540.0, 10.0, 50.0, 90.0, 365.0, 0.4]
    );
    let patient = ExpansionParams {
        max_wait_days: None,
        ..expansion_params()
    };
    assert_eq!(
        Expansion::new(patient).expect("valid").max_wait_days(),
        f64::INFINITY
    );
    let field = |params: ExpansionParams| match Expansion::new(params) {
        Err(FarmError::Expansion(p)) => p.field,
        other => panic!("expected an expansion error, got {other:?}"),
    };
    let base = expansion_params;
    for (params, want) in [
        (
            ExpansionParams {
                efficiency_j_per_th: 0.0,
                ..base()
            },
            "efficiency_j_per_th",
        ),
        (
            ExpansionParams {
                price_usd_per_phs: -1.0,
                ..base()
            },
            "price_usd_per_phs",
        ),
        (
            ExpansionParams {
                life_days: f64::INFINITY,
                ..base()
            },
            "life_days",
        ),
        (
            ExpansionParams {
                payback_threshold_days: -1.0,
                ..base()
            },
            "payback_threshold_days",
        ),
        (
            ExpansionParams {
                request_mw: 0.0,
                ..base()
            },
            "request_mw",
        ),
        (
            ExpansionParams {
                max_mw: -1.0,
                ..base()
            },
            "max_mw",
        ),
        (
            ExpansionParams {
                lead_days: f64::NAN,
                ..base()
            },
            "lead_days",
        ),
        (
            ExpansionParams {
                max_wait_days: Some(0.0),
                ..base()
            },
            "max_wait_days",
        ),
        (
            ExpansionParams {
                debt_share: 1.01,
                ..base()
            },
            "debt_share",
        ),
    ] {
        assert_eq!(field(params), want);
    }
}

#[test]
fn migration_new_checks_its_parameters() {
    let m = Migration::new("hydro", Some(180.0), Some(80.0), 250_000.0, 90.0, -2.0).expect("valid");
    assert_eq!((m.to(), m.to_index()), ("hydro", 0));
    assert_eq!(
        [
            m.after_denied_days(),
            m.above_price_usd_per_mwh(),
            m.cost_usd_per_mw(),
            m.downtime_days(),
            m.adder_usd_per_mwh(),
        ],
        [180.0, 80.0, 250_000.0, 90.0, -2.0]
    );
    let never = Migration::new("hydro", None, None, 0.0, 0.0, 0.0).expect("valid");
    assert_eq!(
        (never.after_denied_days(), never.above_price_usd_per_mwh()),
        (f64::INFINITY, f64::INFINITY)
    );
    assert!(!never.triggered(1e9, 1e9));
    let field = |after, above, cost, downtime, adder| match Migration::new(
        "hydro", after, above, cost, downtime, adder,
    ) {
        Err(FarmError::Migration(p)) => (p.field, p.rule),
        other => panic!("expected a migration error, got {other:?}"),
    };
    assert_eq!(
        field(Some(-1.0), None, 0.0, 0.0, 0.0),
        ("after_denied_days", Rule::NonNegative)
    );
    assert_eq!(
        field(None, Some(f64::INFINITY), 0.0, 0.0, 0.0),
        ("above_price_usd_per_mwh", Rule::Finite)
    );
    assert_eq!(
        field(None, None, -1.0, 0.0, 0.0),
        ("cost_usd_per_mw", Rule::NonNegative)
    );
    assert_eq!(
        field(None, None, 0.0, -1.0, 0.0),
        ("downtime_days", Rule::NonNegative)
    );
    assert_eq!(
        field(None, None, 0.0, 0.0, f64::NAN),
        ("adder_usd_per_mwh", Rule::Finite)
    );
    assert_eq!(
        Migration::new("hydro", None, None, -1.0, 0.0, 0.0)
            .unwrap_err()
            .to_string(),
        "migration: cost_usd_per_mw = -1: must be ≥ 0"
    );
}

#[test]
fn finance_and_renewal_read_through_accessors() {
    let f = Finance::new(2e6, 1e6, 0.08, 3650.0).expect("valid");
    // 1e6 of debt over 3650 days: 1e6/3650 of principal a day.
    let (interest, principal) = f.debt_service(f.debt_usd(), 0.0, 1.0);
    assert!((interest - 1e6 * 0.08 / 365.0).abs() < 1e-9);
    assert!((principal - 1e6 / f.amortisation_days()).abs() < 1e-9);
    let r = Renewal::new(365.0, 3.0, 12.0, 1095.0, 365.0).expect("valid");
    assert_eq!(r.tenor_days(0.0), r.slack_tenor_days());
    assert_eq!(r.tenor_days(1.0), r.tight_tenor_days());
    assert_eq!(
        r.price_usd_per_mwh(40.0, 1.0),
        40.0 + r.premium_usd_per_mwh() + r.tight_premium_usd_per_mwh()
    );
}
