//! Checking `[rest_of_world.investment]` and the age profile of the
//! rest-of-world classes (`age_years`, `life_years`).

use super::rules::{Checked, broken, invalid, refused};
use super::spec::InvestmentSpec;
use crate::model::error::Rule;
use crate::model::investment::{Investment, InvestmentParams};
use crate::model::retirement::{ClassAge, RetirementError};
use crate::model::units::DAYS_PER_YEAR;

/// Checks `[rest_of_world.investment]` for steps of `step_days` days: the
/// parameters are [`Investment::new`]'s; the life must cover a step.
pub(super) fn check_investment(raw: &InvestmentSpec, step_days: u32) -> Checked<Investment> {
    let f = |name: &str| format!("rest_of_world.investment.{name}");
    // A positive life shorter than a step (a life out of range is the
    // model's to refuse, below).
    let life_years = raw.life_years;
    if life_years > 0.0 && life_years * DAYS_PER_YEAR < f64::from(step_days) {
        return Err(invalid(
            f("life_years"),
            format!("{life_years} years is shorter than one step ({step_days} days)"),
        ));
    }
    Investment::new(InvestmentParams {
        frontier_efficiency_j_per_th: raw.frontier_efficiency_j_per_th,
        frontier_improvement_per_year: raw.frontier_improvement_per_year,
        machine_cost_usd_per_th: raw.machine_cost_usd_per_th,
        machine_cost_decline_per_year: raw.machine_cost_decline_per_year,
        site_power_price_usd_per_mwh: raw.site_power_price_usd_per_mwh,
        pool_fee: raw.pool_fee,
        pue: raw.pue,
        hurdle_rate: raw.hurdle_rate,
        response_ehs_per_year: raw.response_ehs_per_year,
        max_orders_ehs_per_year: raw.max_orders_ehs_per_year,
        lead_days: raw.lead_days,
        life_years,
        power_available_mw: raw.power_available_mw,
        power_growth_mw_per_year: raw.power_growth_mw_per_year,
    })
    .map_err(|e| {
        // The model's parameters are the scenario's keys.
        let p = *e.param();
        refused(f(p.field), &p, p.value, e)
    })
}

/// Checks the age profile of `rest_of_world.classes[i]`: `age_years =
/// [youngest, oldest]` (deserialise it as `Option<Vec<f64>>`) at the start (finite, ≥ 0, youngest ≤ oldest) and
/// `life_years` (> 0, `default_life_years` when absent). A class without
/// `age_years` never retires (`None`); `life_years` alone is refused.
pub(super) fn check_class_age(
    i: usize,
    age_years: Option<&[f64]>,
    life_years: Option<f64>,
    default_life_years: f64,
) -> Checked<Option<ClassAge>> {
    let f = |name: &str| format!("rest_of_world.classes[{i}].{name}");
    let Some(ages) = age_years else {
        return match life_years {
            Some(_) => Err(invalid(
                f("life_years"),
                "give the class's `age_years = [youngest, oldest]` with its life",
            )),
            None => Ok(None),
        };
    };
    let field = f("age_years");
    // A `Vec`, not `[f64; 2]`: the TOML deserialiser fills a fixed array
    // from a longer one without complaint.
    let &[min_years, max_years] = ages else {
        return Err(invalid(
            &field,
            format!(
                "give two ages, [youngest, oldest], not {} values",
                ages.len()
            ),
        ));
    };
    let life_years = life_years.unwrap_or(default_life_years);
    ClassAge::new(min_years, max_years, life_years)
        .map(Some)
        .map_err(|e| {
            let ages = format!("[{min_years}, {max_years}]");
            match &e {
                RetirementError::Param(p) if p.field == "life_years" => {
                    invalid(f("life_years"), broken(p.rule, p.value))
                }
                RetirementError::Param(p) if p.rule == Rule::Finite => {
                    invalid(&field, format!("ages must be finite numbers, not {ages}"))
                }
                RetirementError::Param(_) => {
                    invalid(&field, format!("ages must be ≥ 0, not {ages}"))
                }
                RetirementError::Order { .. } => invalid(
                    &field,
                    format!("give [youngest, oldest]: {min_years} is above {max_years}"),
                ),
            }
            .because(e)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::investment::DEFAULT_LIFE_YEARS;

    const MINIMAL: &str = r#"
        frontier_efficiency_j_per_th = 15.0
        machine_cost_usd_per_th = 14.0
        site_power_price_usd_per_mwh = 40.0
        hurdle_rate = 0.25
        response_ehs_per_year = 300.0
        power_available_mw = 5000.0
    "#;

    fn raw(extra: &str) -> InvestmentSpec {
        toml::from_str(&format!("{MINIMAL}\n{extra}")).expect("valid TOML")
    }

    #[test]
    fn defaults() {
        let inv = check_investment(&raw(""), 1).expect("valid");
        assert_eq!(inv.frontier_improvement_per_year, 0.0);
        assert_eq!(inv.machine_cost_decline_per_year, 0.0);
        assert_eq!(inv.pool_fee, 0.0);
        assert_eq!(inv.pue, 1.0);
        assert_eq!(inv.max_orders_ehs_per_year, f64::INFINITY);
        assert_eq!(inv.lead_days, 0.0);
        assert_eq!(inv.life_years, DEFAULT_LIFE_YEARS);
        assert_eq!(inv.power_growth_mw_per_year, 0.0);
        assert_eq!(inv.power_available_mw, 5000.0);
    }

    #[test]
    fn bad_values_name_their_field() {
        for (extra, key) in [
            (
                "frontier_improvement_per_year = 1.0",
                "frontier_improvement_per_year",
            ),
            (
                "machine_cost_decline_per_year = -0.1",
                "machine_cost_decline_per_year",
            ),
            ("pool_fee = 1.0", "pool_fee"),
            ("pue = 0.9", "pue"),
            ("max_orders_ehs_per_year = -1.0", "max_orders_ehs_per_year"),
            ("lead_days = -1.0", "lead_days"),
            ("life_years = 0.0", "life_years"),
            ("life_years = 0.001", "life_years"),
            (
                "power_growth_mw_per_year = -10.0",
                "power_growth_mw_per_year",
            ),
            ("hurdle_rate = nan", "hurdle_rate"),
        ] {
            let text = MINIMAL.replace(&format!("{key} ="), "# was");
            let value: InvestmentSpec =
                toml::from_str(&format!("{text}\n{extra}")).expect("valid TOML");
            let e = check_investment(&value, 1).expect_err(extra);
            assert_eq!(
                e.field,
                format!("rest_of_world.investment.{key}"),
                "{extra}"
            );
        }
        for (key, bad) in [
            ("frontier_efficiency_j_per_th", "0.0"),
            ("machine_cost_usd_per_th", "-1.0"),
            ("site_power_price_usd_per_mwh", "-1.0"),
            ("response_ehs_per_year", "inf"),
            ("power_available_mw", "-1.0"),
        ] {
            let text = MINIMAL.replace(&format!("{key} ="), &format!("{key} = {bad} #"));
            let value: InvestmentSpec = toml::from_str(&text).expect("valid TOML");
            let e = check_investment(&value, 1).expect_err(key);
            assert_eq!(e.field, format!("rest_of_world.investment.{key}"));
        }
        // 3.65 days: longer than a step of 3 days, shorter than one of 7.
        assert!(check_investment(&raw("life_years = 0.01"), 3).is_ok());
        let e = check_investment(&raw("life_years = 0.01"), 7).expect_err("refused");
        assert_eq!(e.field, "rest_of_world.investment.life_years");
        assert!(e.message.contains("shorter than one step"), "{}", e.message);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = format!("{MINIMAL}\nlead_time_days = 30");
        assert!(toml::from_str::<InvestmentSpec>(&text).is_err());
    }

    #[test]
    fn class_ages() {
        assert_eq!(check_class_age(0, None, None, 5.0).ok().flatten(), None);
        let age = check_class_age(2, Some(&[1.0, 3.0]), None, 5.0).expect("valid");
        assert_eq!(age, Some(ClassAge::new(1.0, 3.0, 5.0).expect("valid")));
        let age = check_class_age(2, Some(&[2.0, 2.0]), Some(4.0), 5.0).expect("valid");
        assert_eq!(age.map(|a| a.life_years()), Some(4.0));
        for (ages, life, field) in [
            (Some(&[3.0, 1.0][..]), None, "age_years"),
            (Some(&[-1.0, 1.0]), None, "age_years"),
            (Some(&[1.0, f64::INFINITY]), None, "age_years"),
            (Some(&[f64::NAN, 1.0]), None, "age_years"),
            (Some(&[1.0]), None, "age_years"),
            (Some(&[1.0, 2.0, 3.0]), None, "age_years"),
            (Some(&[1.0, 2.0]), Some(0.0), "life_years"),
            (None, Some(4.0), "life_years"),
        ] {
            let e = check_class_age(3, ages, life, 5.0).expect_err(field);
            assert_eq!(e.field, format!("rest_of_world.classes[3].{field}"));
        }
    }
}
