//! Checking the grid part of a scenario: `[[regions]]` and
//! `[[datacenters]]`, and the regions that farms name.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::rules::{
    Checked, Invalid, broken, finite, identifier, in_range, invalid, non_negative, positive,
    refused, unique,
};
use super::spec::{
    DataCenterSpec, HoursSpec, PoliticsSpec, RegionSpec, RegionalMinersSpec, TrancheSpec,
};
use crate::model::allocation::Policy;
use crate::model::datacenter::{Pipeline, PipelineError, PipelineParams};
use crate::model::error::{Interval, Rule};
use crate::model::grid::{StackError, SupplyStack, Tranche};
use crate::model::hours::{HourlySpread, HourlySpreadParams, HoursError};
use crate::model::market::{DataCenter, MinerRequest, Region, RegionalMiners};
use crate::model::politics::{Election, PoliticalChain, PoliticalRegime, PoliticsError};
use crate::model::region::{BaselineLoad, CapacityAddition};

/// Dates and step of the scenario, to turn dates into days.
pub(super) struct Calendar {
    pub start: Date,
    pub step_days: u32,
    pub steps: usize,
}

impl Calendar {
    /// Days from the start to `date` (negative before it).
    pub(super) fn day(&self, field: &str, date: &str) -> Checked<f64> {
        let d: Date = date
            .parse()
            .map_err(|e| invalid(field, format!("`{date}` is not a date (YYYY-MM-DD): {e}")))?;
        let span = self
            .start
            .until(d)
            .map_err(|e| invalid(field, format!("`{date}`: {e}")))?;
        Ok(f64::from(span.get_days()))
    }

    fn step_years(&self) -> f64 {
        f64::from(self.step_days) / crate::model::units::DAYS_PER_YEAR
    }
}

/// Checks the regions, places the data centers and farms in them.
pub(super) fn check_regions(
    raw: &[RegionSpec],
    datacenters: &[DataCenterSpec],
    farm_regions: &[Option<&str>],
    calendar: &Calendar,
) -> Checked<Vec<Region>> {
    unique("regions", raw.iter().map(|r| r.name.as_str()))?;
    unique("datacenters", datacenters.iter().map(|d| d.name.as_str()))?;
    let mut regions = raw
        .iter()
        .enumerate()
        .map(|(i, r)| check_region(i, r, calendar))
        .collect::<Checked<Vec<_>>>()?;
    let index: BTreeMap<&str, usize> = raw
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let known = || {
        if raw.is_empty() {
            "no region is defined".to_string()
        } else {
            let names: Vec<&str> = raw.iter().map(|r| r.name.as_str()).collect();
            format!("expected one of {}", names.join(", "))
        }
    };
    for (i, d) in datacenters.iter().enumerate() {
        let field = format!("datacenters[{i}].region");
        let &r = index.get(d.region.as_str()).ok_or_else(|| {
            invalid(
                &field,
                format!("unknown region `{}`: {}", d.region, known()),
            )
        })?;
        regions[r]
            .datacenters
            .push(check_datacenter(i, d, calendar)?);
    }
    for (f, region) in farm_regions.iter().enumerate() {
        if let Some(name) = region {
            let &r = index.get(name).ok_or_else(|| {
                invalid(
                    format!("farms[{f}].region"),
                    format!("unknown region `{name}`: {}", known()),
                )
            })?;
            regions[r].farms.push(f);
        }
    }
    Ok(regions)
}

fn check_region(i: usize, r: &RegionSpec, calendar: &Calendar) -> Checked<Region> {
    let f = |name: &str| format!("regions[{i}].{name}");
    let name = identifier(&f("name"), &r.name)?;
    let cap = positive(&f("scarcity_cap_usd_per_mwh"), r.scarcity_cap_usd_per_mwh)?;
    let mut tranches = check_tranches(i, &r.supply)?;
    let initial_tranches = tranches.len();
    let mut additions = Vec::with_capacity(r.additions.len());
    for (j, a) in r.additions.iter().enumerate() {
        let g = |name: &str| f(&format!("additions[{j}].{name}"));
        let planned_day = calendar.day(&g("date"), &a.date)?;
        additions.push(
            CapacityAddition::new(a.mw, planned_day, a.delay_median_days, a.delay_dispersion)
                .map_err(|e| {
                    let p = *e.param();
                    let name = if p.field == "planned_day" {
                        "date"
                    } else {
                        p.field
                    };
                    refused(g(name), &p, p.value, e)
                })?,
        );
        tranches.push(Tranche {
            mw: a.mw,
            cost_usd_per_mwh: a.cost_usd_per_mwh,
            fuel_linked: a.fuel_linked,
        });
    }
    let stack = SupplyStack::new(tranches.clone(), cap)
        .map_err(|e| stack_error(i, r.supply.len(), &tranches, e))?;
    let lead_days = non_negative(&f("connection_lead_days"), r.connection_lead_days)?;
    let step = f64::from(calendar.step_days);
    let b = &r.baseline_load;
    let baseline = BaselineLoad::new(
        b.initial_mw,
        b.growth,
        b.seasonal_amplitude,
        b.peak_day_of_year,
        f64::from(calendar.start.day_of_year() - 1),
        b.noise,
    )
    .map_err(|e| {
        let p = *e.param();
        refused(f(&format!("baseline_load.{}", p.field)), &p, p.value, e)
    })?;
    let politics = check_politics(i, r, calendar)?;
    Ok(Region {
        name,
        stack,
        initial_tranches,
        additions,
        baseline,
        reserve_margin: in_range(
            &f("reserve_margin"),
            r.reserve_margin,
            Interval::half_open(0.0, 1.0),
        )?,
        // A lead beyond the horizon connects nothing within the run: the
        // lead-time ring (a slot per step of lead) needs no more slots.
        connection_lead_steps: (lead_days / step)
            .round()
            .clamp(1.0, calendar.steps as f64 + 1.0) as usize,
        delivery_adder_usd_per_mwh: non_negative(
            &f("delivery_adder_usd_per_mwh"),
            r.delivery_adder_usd_per_mwh,
        )?,
        large_load_adder_usd_per_mwh: finite(
            &f("large_load_adder_usd_per_mwh"),
            r.large_load_adder_usd_per_mwh,
        )?,
        hours: check_hours(i, r.hours.as_ref(), cap)?,
        politics,
        miners: match &r.miners {
            Some(m) => check_miners(i, m, calendar)?,
            None => RegionalMiners::none(),
        },
        datacenters: Vec::new(),
        farms: Vec::new(),
        farm_mw: 0.0,
        home_farms: 0,
        load_by_step: Region::load_profile(&baseline, calendar.steps, calendar.step_days),
    })
}

/// The scenario's error for a stack the model refused: a tranche's
/// capacity or cost (the first `n_supply` tranches are the supply's, the
/// others the additions'), or the cap.
fn stack_error(i: usize, n_supply: usize, tranches: &[Tranche], e: StackError) -> Invalid {
    let at = |j: usize, name: &str| {
        if j < n_supply {
            format!("regions[{i}].supply[{j}].{name}")
        } else {
            format!("regions[{i}].additions[{}].{name}", j - n_supply)
        }
    };
    let value = |v: f64| {
        if v.is_finite() {
            broken(Rule::NonNegative, v)
        } else {
            broken(Rule::Finite, v)
        }
    };
    match e {
        StackError::Capacity(j) => invalid(at(j, "mw"), value(tranches[j].mw)),
        StackError::Cost(j) => invalid(
            at(j, "cost_usd_per_mwh"),
            value(tranches[j].cost_usd_per_mwh),
        ),
        StackError::Cap => invalid(
            format!("regions[{i}].scarcity_cap_usd_per_mwh"),
            "must be at least the cost of every tranche and addition",
        ),
    }
    .because(e)
}

/// Tranches as sizes (`mw`) or as ranges (`from_mw`, `to_mw`) that must
/// follow each other without overlap or gap.
fn check_tranches(i: usize, supply: &[TrancheSpec]) -> Checked<Vec<Tranche>> {
    if supply.is_empty() {
        return Err(invalid(
            format!("regions[{i}].supply"),
            "the supply stack is empty: give at least one tranche",
        ));
    }
    let mut end = 0.0;
    supply
        .iter()
        .enumerate()
        .map(|(j, t)| {
            let g = |name: &str| format!("regions[{i}].supply[{j}].{name}");
            // A size is checked by the stack (`SupplyStack::new`).
            let mw = match (t.mw, t.from_mw, t.to_mw) {
                (Some(mw), None, None) => mw,
                (None, Some(from), Some(to)) => {
                    let from = non_negative(&g("from_mw"), from)?;
                    let to = finite(&g("to_mw"), to)?;
                    if from < end {
                        return Err(invalid(
                            g("from_mw"),
                            format!("tranches overlap: {from} MW is below the previous tranche's end, {end} MW"),
                        ));
                    }
                    if from > end {
                        return Err(invalid(
                            g("from_mw"),
                            format!("gap in the stack: the previous tranche ends at {end} MW"),
                        ));
                    }
                    if to < from {
                        return Err(invalid(g("to_mw"), format!("must be ≥ from_mw ({from})")));
                    }
                    to - from
                }
                _ => {
                    return Err(invalid(
                        g("mw"),
                        "give either `mw`, or both `from_mw` and `to_mw`",
                    ));
                }
            };
            end += mw;
            if let Some(name) = &t.name {
                identifier(&g("name"), name)?;
            }
            Ok(Tranche {
                mw,
                cost_usd_per_mwh: t.cost_usd_per_mwh,
                fuel_linked: t.fuel_linked,
            })
        })
        .collect()
}

fn check_hours(i: usize, h: Option<&HoursSpec>, cap: f64) -> Checked<HourlySpread> {
    let f = |name: &str| format!("regions[{i}].hours.{name}");
    let params = match h {
        None => HourlySpreadParams {
            dispersion: 0.0,
            spike_probability: 0.0,
            spike_median: cap,
            spike_dispersion: 0.0,
            cap,
        },
        Some(h) => HourlySpreadParams {
            dispersion: h.dispersion,
            spike_probability: h.spike_probability,
            spike_median: h.spike_median_usd_per_mwh.unwrap_or(cap),
            spike_dispersion: h.spike_dispersion,
            cap,
        },
    };
    HourlySpread::new(params).map_err(|e| {
        let (field, value, rule) = match e {
            HoursError::NotFinite { field, value } => (field, value, Rule::Finite),
            HoursError::Negative { field, value } => (field, value, Rule::NonNegative),
            HoursError::ProbabilityOutOfRange { field, value } => {
                (field, value, Rule::Within(Interval::half_open(0.0, 1.0)))
            }
            HoursError::NotPositive { field, value } => (field, value, Rule::Positive),
        };
        let field = match field {
            "cap" => format!("regions[{i}].scarcity_cap_usd_per_mwh"),
            "spike_median" => f("spike_median_usd_per_mwh"),
            other => f(other),
        };
        invalid(field, broken(rule, value)).because(e)
    })
}

fn policy(field: &str, name: &str) -> Checked<Policy> {
    name.parse()
        .map_err(|e: crate::model::allocation::UnknownPolicy| {
            invalid(field, e.to_string()).because(e)
        })
}

fn check_politics(i: usize, r: &RegionSpec, calendar: &Calendar) -> Checked<PoliticalChain> {
    let f = |name: &str| format!("regions[{i}].{name}");
    let step_years = calendar.step_years();
    let Some(p) = &r.politics else {
        let regime = PoliticalRegime {
            name: "default".into(),
            policy: policy(&f("policy"), r.policy.as_deref().unwrap_or("first_come"))?,
            mining_adder_usd_per_mwh: r.mining_adder_usd_per_mwh,
            mining_banned: false,
        };
        return PoliticalChain::new(vec![regime], &[vec![0.0]], 0, Vec::new(), step_years).map_err(
            |e| match e {
                PoliticsError::Adder(_) => invalid(
                    f("mining_adder_usd_per_mwh"),
                    broken(Rule::Finite, r.mining_adder_usd_per_mwh),
                )
                .because(e),
                other => invalid(f("politics"), other.to_string()).because(other),
            },
        );
    };
    if r.policy.is_some() {
        return Err(invalid(
            f("policy"),
            "give the policy in each political regime, not beside `politics`",
        ));
    }
    if r.mining_adder_usd_per_mwh != 0.0 {
        return Err(invalid(
            f("mining_adder_usd_per_mwh"),
            "give the mining adder in each political regime, not beside `politics`",
        ));
    }
    check_political_chain(i, p, calendar)
}

fn check_political_chain(
    i: usize,
    p: &PoliticsSpec,
    calendar: &Calendar,
) -> Checked<PoliticalChain> {
    let f = |name: &str| format!("regions[{i}].politics.{name}");
    if p.regimes.is_empty() {
        // Before the names are looked up; the rule is the chain's.
        let e = PoliticsError::NoRegime;
        return Err(invalid(f("regimes"), e.to_string()).because(e));
    }
    unique(&f("regimes"), p.regimes.iter().map(|r| r.name.as_str()))?;
    let index: BTreeMap<&str, usize> = p
        .regimes
        .iter()
        .enumerate()
        .map(|(j, r)| (r.name.as_str(), j))
        .collect();
    let unknown = |field: &str, name: &str| {
        let names: Vec<&str> = p.regimes.iter().map(|r| r.name.as_str()).collect();
        invalid(
            field,
            format!(
                "unknown political regime `{name}`: expected one of {}",
                names.join(", ")
            ),
        )
    };
    let n = p.regimes.len();
    let mut rates = vec![vec![0.0; n]; n];
    let mut regimes = Vec::with_capacity(n);
    for (j, r) in p.regimes.iter().enumerate() {
        let g = |name: &str| f(&format!("regimes[{j}].{name}"));
        for (to, &rate) in &r.transitions {
            let field = g(&format!("transitions.{to}"));
            let &k = index.get(to.as_str()).ok_or_else(|| unknown(&field, to))?;
            if k == j {
                return Err(invalid(&field, "a regime cannot move to itself"));
            }
            rates[j][k] = non_negative(&field, rate)?;
        }
        regimes.push(PoliticalRegime {
            name: identifier(&g("name"), &r.name)?,
            policy: policy(&g("policy"), &r.policy)?,
            mining_adder_usd_per_mwh: r.mining_adder_usd_per_mwh,
            mining_banned: r.mining_banned,
        });
    }
    let initial = match &p.initial {
        None => 0,
        Some(name) => *index
            .get(name.as_str())
            .ok_or_else(|| unknown(&f("initial"), name))?,
    };
    let mut elections = Vec::with_capacity(p.elections.len());
    for (j, e) in p.elections.iter().enumerate() {
        let g = |name: &str| f(&format!("elections[{j}].{name}"));
        // The day's rules (not before the start, one election a day) and
        // the outcome's sum are the chain's (`PoliticalChain::new`).
        let day = calendar.day(&g("date"), &e.date)?;
        let mut outcome = vec![0.0; n];
        for (to, &prob) in &e.outcome {
            let field = g(&format!("outcome.{to}"));
            let &k = index.get(to.as_str()).ok_or_else(|| unknown(&field, to))?;
            outcome[k] = in_range(&field, prob, Interval::closed(0.0, 1.0))?;
        }
        elections.push(Election { day, outcome });
    }
    let days: Vec<f64> = elections.iter().map(|e| e.day).collect();
    let sums: Vec<f64> = elections.iter().map(|e| e.outcome.iter().sum()).collect();
    PoliticalChain::new(regimes, &rates, initial, elections, calendar.step_years()).map_err(|e| {
        let g = |j: usize, name: &str| f(&format!("elections[{j}].{name}"));
        match e {
            PoliticsError::Adder(j) => invalid(
                f(&format!("regimes[{j}].mining_adder_usd_per_mwh")),
                broken(Rule::Finite, p.regimes[j].mining_adder_usd_per_mwh),
            ),
            PoliticsError::Day(j) => invalid(g(j, "date"), "is before the scenario starts"),
            PoliticsError::SameDay(j) => {
                let k = days.iter().position(|&d| d == days[j]).unwrap_or(j);
                invalid(g(j, "date"), format!("elections[{k}] is on the same day"))
            }
            PoliticsError::Outcome(j) => invalid(
                g(j, "outcome"),
                format!("probabilities must sum to 1, not {:.6}", sums[j]),
            ),
            ref other => invalid(f("regimes"), other.to_string()),
        }
        .because(e)
    })
}

fn check_miners(i: usize, m: &RegionalMinersSpec, calendar: &Calendar) -> Checked<RegionalMiners> {
    let f = |name: &str| format!("regions[{i}].miners.{name}");
    let requests = m
        .requests
        .iter()
        .enumerate()
        .map(|(j, q)| {
            let g = |name: &str| f(&format!("requests[{j}].{name}"));
            let day = calendar.day(&g("date"), &q.date)?;
            let wait = q.max_wait_days.unwrap_or(f64::INFINITY);
            MinerRequest::new(q.mw, day, q.bid_usd_per_mw_year, wait).map_err(|e| {
                let p = *e.param();
                let name = if p.field == "day" { "date" } else { p.field };
                refused(g(name), &p, p.value, e)
            })
        })
        .collect::<Checked<Vec<_>>>()?;
    RegionalMiners::new(
        m.connected_mw,
        m.efficiency_j_per_th,
        m.pue,
        m.pool_fee,
        m.opex_usd_per_mwh,
        requests,
    )
    .map_err(|e| {
        let p = *e.param();
        refused(f(p.field), &p, p.value, e)
    })
}

fn check_datacenter(i: usize, d: &DataCenterSpec, calendar: &Calendar) -> Checked<DataCenter> {
    let f = |name: &str| format!("datacenters[{i}].{name}");
    let start_day = calendar.day(&f("start_date"), &d.start_date)?;
    if start_day < 0.0 {
        return Err(invalid(
            f("start_date"),
            "is before the scenario starts: put MW already connected in the baseline load",
        ));
    }
    let pipeline = Pipeline::new(PipelineParams {
        capex_median_usd: d.capex_median_usd,
        capex_dispersion: d.capex_dispersion,
        cost_median_usd_per_mw: d.cost_median_usd_per_mw,
        cost_dispersion: d.cost_dispersion,
        start_day,
        build_days: d.build_days,
        load_factor: d.load_factor,
        curtailable: d.curtailable,
    })
    .map_err(|e| match e {
        PipelineError::OutOfRange { field, message } => {
            let field = if field == "start_day" {
                "start_date"
            } else {
                field
            };
            invalid(f(field), message).because(e)
        }
    })?;
    Ok(DataCenter {
        name: identifier(&f("name"), &d.name)?,
        pipeline,
        bid_usd_per_mw_year: non_negative(&f("bid_usd_per_mw_year"), d.bid_usd_per_mw_year)?,
    })
}
