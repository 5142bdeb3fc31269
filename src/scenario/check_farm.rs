//! Checking `[[farms]]`: fleets (figures from the machine library where
//! left out), power contracts and their renewal, balance sheets and hedges.

use super::check_grid::Calendar;
use super::rules::{
    Checked, broken, finite, identifier, in_range, invalid, non_negative, positive, refused,
};
use super::spec::{
    ExpansionSpec, FarmSpec, FinanceSpec, HedgeSpec, LotSpec, MigrationSpec, RenewalSpec,
};
use crate::model::error::Interval;
use crate::model::expansion::{Expansion, ExpansionParams};
use crate::model::farm::{Contract, Farm, MachineLot};
use crate::model::finance::{Finance, FinanceError, Hedge, Renewal};
use crate::model::machines;
use crate::model::migration::Migration;
use crate::model::units::DAYS_PER_YEAR;

/// Service life of a machine when the scenario does not give one, years.
const DEFAULT_LIFE_YEARS: f64 = 5.0;
/// Tenor of a renewed contract when the scenario does not give one, years.
const DEFAULT_TENOR_YEARS: f64 = 3.0;
/// Discount rate of a farm's cash flows when not given, per year.
const DEFAULT_DISCOUNT_RATE: f64 = 0.10;

/// Checks farm `i`.
pub(super) fn check_farm(i: usize, raw: &FarmSpec, calendar: &Calendar) -> Checked<Farm> {
    let f = |name: &str| format!("farms[{i}].{name}");
    if raw.fleet.is_empty() {
        return Err(invalid(
            f("fleet"),
            "the fleet is empty: give at least one machine lot",
        ));
    }
    let fleet = raw
        .fleet
        .iter()
        .enumerate()
        .map(|(j, lot)| check_lot(&f(&format!("fleet[{j}]")), lot, calendar))
        .collect::<Checked<Vec<_>>>()?;
    let contract = check_contract(i, raw)?;
    let renewal = check_renewal(i, raw, calendar)?;
    Ok(Farm {
        name: identifier(&f("name"), &raw.name)?,
        region: raw.region.clone(),
        region_index: None,
        fleet,
        contract,
        pool_fee: in_range(&f("pool_fee"), raw.pool_fee, Interval::half_open(0.0, 1.0))?,
        pue: in_range(&f("pue"), raw.pue, Interval::closed(1.0, 10.0))?,
        availability: in_range(
            &f("availability"),
            raw.availability,
            Interval::left_open(0.0, 1.0),
        )?,
        opex_usd_per_mwh: non_negative(&f("opex_usd_per_mwh"), raw.opex_usd_per_mwh)?,
        overhead_usd_per_day: non_negative(&f("overhead_usd_per_day"), raw.overhead_usd_per_day)?,
        discount_rate: in_range(
            &f("discount_rate"),
            raw.discount_rate.unwrap_or(DEFAULT_DISCOUNT_RATE),
            Interval::left_open(-1.0, 10.0),
        )?,
        renewal,
        finance: raw
            .finance
            .as_ref()
            .map(|r| check_finance(&f("finance"), r))
            .transpose()?,
        hedge: raw
            .hedge
            .as_ref()
            .map(|h| check_hedge(&f("hedge"), h, calendar))
            .transpose()?,
        expansion: raw
            .expansion
            .as_ref()
            .map(|e| check_expansion(&f("expansion"), e, raw))
            .transpose()?,
        migration: raw
            .migration
            .as_ref()
            .map(|m| check_migration(&f("migration"), m, raw))
            .transpose()?,
    })
}

/// A machine lot at `field`: figures left out come from the machine
/// library; bought on the scenario's start unless `purchased` says when.
fn check_lot(field: &str, lot: &LotSpec, calendar: &Calendar) -> Checked<MachineLot> {
    let g = |name: &str| format!("{field}.{name}");
    if lot.units == 0 {
        return Err(invalid(g("units"), "must be at least 1"));
    }
    let spec = machines::lookup(&lot.model);
    let figure = |name: &str, given: Option<f64>, library: Option<f64>| match given.or(library) {
        Some(v) => positive(&g(name), v),
        None => Err(invalid(
            g(name),
            format!(
                "missing, and `{}` is not in the machine library ({}): give the figure",
                lot.model,
                machines::library()
                    .iter()
                    .map(|m| m.model.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    };
    let th_per_unit = figure("th_per_unit", lot.th_per_unit, spec.map(|m| m.th_per_unit))?;
    let efficiency_j_per_th = figure(
        "efficiency_j_per_th",
        lot.efficiency_j_per_th,
        spec.map(|m| m.efficiency_j_per_th),
    )?;
    // A price left out is the library's price per TH/s of the model's time;
    // with neither, the lot is not depreciated.
    let library_price = spec
        .and_then(|m| m.price_usd_per_th)
        .map(|p| p * th_per_unit);
    let price_usd = lot.price_usd.or(library_price).unwrap_or(0.0);
    let priced = MachineLot::new(&lot.model, lot.units, th_per_unit, efficiency_j_per_th)
        .with_price(price_usd)
        .map_err(|e| {
            let p = *e.param();
            refused(g("price_usd"), &p, p.value, e)
        })?;
    let purchase_day = match &lot.purchased {
        Some(date) => calendar.day(&g("purchased"), date)?,
        None => 0.0,
    };
    // The model counts days, the scenario years.
    let life_years = lot.life_years.unwrap_or(DEFAULT_LIFE_YEARS);
    priced
        .with_service(purchase_day, life_years * DAYS_PER_YEAR)
        .map_err(|e| {
            let p = *e.param();
            match p.field {
                "life_days" => refused(g("life_years"), &p, life_years, e),
                _ => refused(g("purchased"), &p, p.value, e),
            }
        })
}

/// The opening balance sheet at `field`.
fn check_finance(field: &str, raw: &FinanceSpec) -> Checked<Finance> {
    let g = |name: &str| format!("{field}.{name}");
    let amortisation_days = raw
        .amortisation_years
        .map_or(f64::INFINITY, |years| years * DAYS_PER_YEAR);
    Finance::new(raw.cash_usd, raw.debt_usd, raw.debt_rate, amortisation_days).map_err(|e| match e
        .param()
        .copied()
    {
        // The scenario gives the period in years.
        Some(p) if p.field == "amortisation_days" => {
            let years = raw.amortisation_years.unwrap_or(f64::INFINITY);
            refused(g("amortisation_years"), &p, years, e)
        }
        Some(p) => refused(g(p.field), &p, p.value, e),
        None => invalid(field, e.to_string()).because(e),
    })
}

/// The expansion at `field` of a farm in a region: the machine from the
/// library unless its figures are given.
fn check_expansion(field: &str, raw: &ExpansionSpec, farm: &FarmSpec) -> Checked<Expansion> {
    let g = |name: &str| format!("{field}.{name}");
    if farm.region.is_none() {
        return Err(invalid(
            field,
            "an expansion asks a region's queue for power: give the farm's `region`",
        ));
    }
    let spec = machines::lookup(&raw.model);
    let missing = |name: &str| {
        invalid(
            g(name),
            format!(
                "missing, and the machine library has no figure for `{}`",
                raw.model
            ),
        )
    };
    let efficiency = raw
        .efficiency_j_per_th
        .or(spec.map(|m| m.efficiency_j_per_th))
        .ok_or_else(|| missing("efficiency_j_per_th"))?;
    let price_per_th = raw
        .price_usd_per_th
        .or(spec.and_then(|m| m.price_usd_per_th))
        .ok_or_else(|| missing("price_usd_per_th"))?;
    let life_years = raw.life_years.unwrap_or(DEFAULT_LIFE_YEARS);
    let expansion = Expansion::new(ExpansionParams {
        model: raw.model.clone(),
        efficiency_j_per_th: efficiency,
        price_usd_per_phs: price_per_th * 1000.0,
        life_days: life_years * DAYS_PER_YEAR,
        payback_threshold_days: raw.payback_threshold_days,
        request_mw: raw.request_mw,
        max_mw: raw.max_mw,
        lead_days: raw.lead_days,
        max_wait_days: raw.max_wait_days,
        debt_share: raw.debt_share,
    });
    // Borrowing needs a balance sheet: refused once the share itself is in
    // range (the model checks the share first).
    let share_in_range = !matches!(&expansion, Err(e) if e.param().field == "debt_share");
    if share_in_range && raw.debt_share > 0.0 && farm.finance.is_none() {
        return Err(invalid(
            g("debt_share"),
            "borrowing needs the farm's `[farms.finance]` (its debt terms)",
        ));
    }
    expansion.map_err(|e| {
        // The scenario gives the price per TH/s and the life in years.
        let p = *e.param();
        match p.field {
            "price_usd_per_phs" => refused(g("price_usd_per_th"), &p, price_per_th, e),
            "life_days" => refused(g("life_years"), &p, life_years, e),
            name => refused(g(name), &p, p.value, e),
        }
    })
}

/// The migration at `field` of a farm in a region (the destination is
/// placed among the regions later).
fn check_migration(field: &str, raw: &MigrationSpec, farm: &FarmSpec) -> Checked<Migration> {
    let g = |name: &str| format!("{field}.{name}");
    let Some(home) = &farm.region else {
        return Err(invalid(
            field,
            "a migration moves a farm between regions: give the farm's `region`",
        ));
    };
    if &raw.to == home {
        return Err(invalid(
            g("to"),
            format!("`{home}` is the farm's own region"),
        ));
    }
    if raw.after_denied_days.is_none() && raw.above_price_usd_per_mwh.is_none() {
        return Err(invalid(
            field,
            "give what makes the farm move: `after_denied_days` or `above_price_usd_per_mwh`",
        ));
    }
    Migration::new(
        raw.to.clone(),
        raw.after_denied_days,
        raw.above_price_usd_per_mwh,
        raw.cost_usd_per_mw,
        raw.downtime_days,
        raw.adder_usd_per_mwh,
    )
    .map_err(|e| {
        // The model's parameters are the scenario's keys.
        let p = *e.param();
        refused(g(p.field), &p, p.value, e)
    })
}

/// The hashprice forward at `field`.
fn check_hedge(field: &str, raw: &HedgeSpec, calendar: &Calendar) -> Checked<Hedge> {
    let g = |name: &str| format!("{field}.{name}");
    let start_day = match &raw.start {
        Some(date) => calendar.day(&g("start"), date)?,
        None => 0.0,
    };
    Hedge::new(
        raw.share,
        raw.hashprice_usd_per_ph_day,
        start_day,
        raw.tenor_days,
    )
    .map_err(|e| match e.param().copied() {
        Some(p) => {
            let name = if p.field == "start_day" {
                "start"
            } else {
                p.field
            };
            refused(g(name), &p, p.value, e)
        }
        None => invalid(field, e.to_string()).because(e),
    })
}

/// The renewal of a fixed contract with an `end` date: `None` without one.
fn check_renewal(i: usize, raw: &FarmSpec, calendar: &Calendar) -> Checked<Option<Renewal>> {
    let f = |name: &str| format!("farms[{i}].contract.{name}");
    let c = &raw.contract;
    let Some(end) = &c.end else {
        if c.renewal.is_some() {
            return Err(invalid(
                f("renewal"),
                "a renewal needs the contract's `end` date",
            ));
        }
        return Ok(None);
    };
    if c.kind != "fixed" {
        return Err(invalid(
            f("end"),
            "only a fixed contract ends and is renewed at market",
        ));
    }
    let end_day = calendar.day(&f("end"), end)?;
    let default = RenewalSpec {
        premium_usd_per_mwh: 0.0,
        tight_premium_usd_per_mwh: 0.0,
        tenor_years: None,
        tight_tenor_years: None,
    };
    let r = c.renewal.as_ref().unwrap_or(&default);
    let tenor_years = r.tenor_years.unwrap_or(DEFAULT_TENOR_YEARS);
    let tight_tenor_years = r.tight_tenor_years.unwrap_or(tenor_years);
    Renewal::new(
        end_day,
        r.premium_usd_per_mwh,
        r.tight_premium_usd_per_mwh,
        tenor_years * DAYS_PER_YEAR,
        tight_tenor_years * DAYS_PER_YEAR,
    )
    .map(Some)
    .map_err(|e| {
        // The scenario gives the end as a date and the tenors in years.
        let tight = f("renewal.tight_tenor_years");
        match e.param().copied() {
            Some(p) => match p.field {
                "end_day" => invalid(
                    f("end"),
                    format!("`{end}` is not after the scenario's start"),
                ),
                "tenor_days" => invalid(f("renewal.tenor_years"), broken(p.rule, tenor_years)),
                "tight_tenor_days" => invalid(tight, broken(p.rule, tight_tenor_years)),
                name => invalid(f(&format!("renewal.{name}")), broken(p.rule, p.value)),
            },
            None => match e {
                FinanceError::TightTenor { .. } => invalid(
                    tight,
                    format!(
                        "{tight_tenor_years} is longer than `tenor_years` ({tenor_years}): tight markets shorten tenors"
                    ),
                ),
                _ => invalid(f("renewal"), e.to_string()),
            },
        }
        .because(e)
    })
}

/// A farm's `contract`: `fixed` (price, sell-back by default in a region),
/// `hosted` (all-in price) or `index` (market plus adder, in a region); a
/// key that does not belong to the kind is an error on that key.
fn check_contract(i: usize, raw: &FarmSpec) -> Checked<Contract> {
    let f = |name: &str| format!("farms[{i}].contract.{name}");
    let c = &raw.contract;
    let in_region = raw.region.is_some();
    // `Err` on `key` when `given`.
    let refuse = |given: bool, key: &str, message: &str| {
        if given {
            Err(invalid(f(key), message))
        } else {
            Ok(())
        }
    };
    let price = |what: &str| {
        let field = f("price_usd_per_mwh");
        let price = c.price_usd_per_mwh.ok_or_else(|| {
            invalid(
                &field,
                format!("missing: a {what} contract needs its price"),
            )
        })?;
        non_negative(&field, price)
    };
    match c.kind.as_str() {
        "fixed" => {
            refuse(
                c.adder_usd_per_mwh.is_some(),
                "adder_usd_per_mwh",
                "a fixed contract has a price, not an adder",
            )?;
            let sell_back = c.sell_back.unwrap_or(in_region);
            refuse(
                sell_back && !in_region,
                "sell_back",
                "selling power back needs the farm's `region` (a market to sell into)",
            )?;
            Ok(Contract::Fixed {
                price_usd_per_mwh: price("fixed")?,
                sell_back,
            })
        }
        "hosted" => {
            refuse(
                c.adder_usd_per_mwh.is_some(),
                "adder_usd_per_mwh",
                "a hosted contract has an all-in price, not an adder",
            )?;
            refuse(
                c.sell_back.is_some(),
                "sell_back",
                "a hosted farm pays for what it uses: nothing to sell back",
            )?;
            Ok(Contract::Hosted {
                price_usd_per_mwh: price("hosted (all-in)")?,
            })
        }
        "index" => {
            refuse(
                !in_region,
                "kind",
                "an index contract needs the farm's `region` (the market it follows)",
            )?;
            refuse(
                c.price_usd_per_mwh.is_some(),
                "price_usd_per_mwh",
                "an index contract pays the market price plus `adder_usd_per_mwh`",
            )?;
            refuse(
                c.sell_back.is_some(),
                "sell_back",
                "an index contract buys only what it uses: nothing to sell back",
            )?;
            Ok(Contract::Index {
                adder_usd_per_mwh: finite(
                    &f("adder_usd_per_mwh"),
                    c.adder_usd_per_mwh.unwrap_or(0.0),
                )?,
            })
        }
        other => Err(invalid(
            f("kind"),
            format!("unknown contract kind `{other}`: expected `fixed`, `hosted` or `index`"),
        )),
    }
}
