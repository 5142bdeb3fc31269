//! The checked scenario: every value validated once, every derived constant
//! computed once. The engine only ever sees this type.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::check_farm::check_farm;
use super::check_grid::{Calendar, check_regions};
use super::check_investment::{check_class_age, check_investment};
use super::rules::{Checked, finite, identifier, invalid, non_negative, positive, unique};
use crate::model::investment::{DEFAULT_LIFE_YEARS, Investment, InvestmentPlan};
use std::path::Path;

use super::replay::{Steps, load};
use super::spec::{BtcPriceSpec, FeesSpec, MacroSpec, NetworkSpec, RestOfWorldSpec, ScenarioSpec};
use crate::model::consensus::difficulty_to_hashrate_ehs;
use crate::model::farm::Farm;
use crate::model::fees::FeeModel;
use crate::model::market::Region;
use crate::model::network::{EPOCH_BLOCKS, NetworkState};
use crate::model::power::PowerFactor;
use crate::model::price::{JumpDiffusion, PriceParams};
use crate::model::regime::{Regime, RegimeChain};
use crate::model::rest_of_world::{MinerClass, RestOfWorld};
use crate::model::units::DAYS_PER_YEAR;

/// A checked scenario: what the engine simulates.
///
/// Built with [`Scenario::from_toml_str`], [`Scenario::from_path`] or
/// [`Scenario::from_spec`]; every
/// field has been validated, so simulating it cannot fail on its values.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    #[serde(serialize_with = "serialize_date")]
    pub(crate) start_date: Date,
    pub(crate) step_days: u32,
    pub(crate) steps: usize,
    pub(crate) network: NetworkState,
    pub(crate) fees: FeeModel,
    pub(crate) initial_btc_price: f64,
    pub(crate) btc_price_replay: Option<Vec<f64>>,
    pub(crate) fee_replay: Option<Vec<f64>>,
    pub(crate) regimes: RegimeChain,
    pub(crate) power_factor: PowerFactor,
    pub(crate) rest_of_world: RestOfWorld,
    pub(crate) regions: Vec<Region>,
    pub(crate) farms: Vec<Farm>,
    pub(crate) hashrate_levels_ehs: Vec<f64>,
    pub(crate) investment: Option<Investment>,
    /// The investment's per-step tables (derived from `investment`).
    #[serde(skip)]
    pub(crate) investment_plan: Option<InvestmentPlan>,
    /// Whether to record `network.power_mw` and its CBECI-style estimate.
    pub(crate) record_network_power: bool,
    /// Series are recorded at every `record_every`-th step.
    pub(crate) record_every: usize,
    /// Steps at which the industry cost curve is taken, increasing.
    pub(crate) cost_curve_steps: Vec<usize>,
    /// The specification it was checked from (not part of its identity:
    /// two specs that differ only in defaults written out simulate the
    /// same).
    #[serde(skip)]
    pub(crate) spec: ScenarioSpec,
}

/// Most hashrate levels a scenario may follow.
pub const MAX_HASHRATE_LEVELS: usize = 8;

fn serialize_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// The first day a scenario may start: the genesis block's.
const EARLIEST_START: Date = jiff::civil::date(2009, 1, 3);

/// The last day a scenario may start: far beyond any forecast worth making,
/// and far from the calendar's end, so that a horizon stays in range.
const LATEST_START: Date = jiff::civil::date(2200, 12, 31);

impl Scenario {
    pub(crate) fn check(raw: ScenarioSpec, dir: &Path) -> Checked<Scenario> {
        let name = identifier("name", &raw.name)?;
        let start_date: Date = raw.start_date.parse().map_err(|e| {
            invalid(
                "start_date",
                format!("`{}` is not a date (YYYY-MM-DD): {e}", raw.start_date),
            )
        })?;
        if !(EARLIEST_START..=LATEST_START).contains(&start_date) {
            return Err(invalid(
                "start_date",
                format!(
                    "{start_date} is outside {EARLIEST_START} (the genesis block) .. {LATEST_START}"
                ),
            ));
        }
        if raw.step_days == 0 {
            return Err(invalid("step_days", "must be at least 1 day"));
        }
        if raw.horizon_days < raw.step_days {
            return Err(invalid(
                "horizon_days",
                format!(
                    "{} days is shorter than one step ({} days)",
                    raw.horizon_days, raw.step_days
                ),
            ));
        }
        let steps = (raw.horizon_days / raw.step_days) as usize;
        let last = i64::from(raw.horizon_days);
        let end = jiff::Span::new()
            .try_days(last)
            .and_then(|span| start_date.checked_add(span));
        if end.is_err() {
            return Err(invalid(
                "horizon_days",
                "the horizon runs past the year 9999",
            ));
        }
        let step_years = f64::from(raw.step_days) / DAYS_PER_YEAR;

        let replay_steps = Steps {
            start: start_date,
            step_days: raw.step_days,
            count: steps,
        };
        let (fees, fee_replay) = check_fees(&raw.fees, dir, replay_steps)?;
        let (initial_btc_price, btc_price_replay) =
            check_btc_price(&raw.btc_price, dir, replay_steps)?;
        let pf = &raw.power_factor;
        let power_factor = PowerFactor::new(
            finite("power_factor.initial", pf.initial)?,
            non_negative("power_factor.mean_reversion", pf.mean_reversion)?,
            non_negative("power_factor.volatility", pf.volatility)?,
            step_years,
        );
        let calendar = Calendar {
            start: start_date,
            step_days: raw.step_days,
            steps,
        };
        let mut farms = raw
            .farms
            .iter()
            .enumerate()
            .map(|(i, f)| check_farm(i, f, &calendar))
            .collect::<Checked<Vec<_>>>()?;
        unique("farms", raw.farms.iter().map(|f| f.name.as_str()))?;
        let farm_regions: Vec<Option<&str>> =
            raw.farms.iter().map(|f| f.region.as_deref()).collect();
        let regions = check_regions(&raw.regions, &raw.datacenters, &farm_regions, &calendar)?;
        // The investment first: its life is the classes' default.
        let investment = raw
            .rest_of_world
            .investment
            .as_ref()
            .map(|i| check_investment(i, raw.step_days))
            .transpose()?;
        let default_life = investment
            .as_ref()
            .map_or(DEFAULT_LIFE_YEARS, |i| i.life_years);
        let rest_of_world = check_rest_of_world(&raw.rest_of_world, &calendar, default_life)?;
        let investment_plan = investment.as_ref().map(|i| i.prepare(steps, raw.step_days));
        let mut regions = regions;
        for (r, region) in regions.iter_mut().enumerate() {
            region.farm_mw = region.farms.iter().map(|&f| farms[f].mw()).sum();
            region.home_farms = region.farms.len();
            for &f in &region.farms {
                farms[f].region_index = Some(r);
            }
        }
        place_migrations(&mut farms, &mut regions)?;
        let no_hashrate = rest_of_world
            .classes()
            .iter()
            .all(|c| c.installed_ehs == 0.0)
            && farms.iter().all(|f| f.nameplate_phs() == 0.0)
            && regions.iter().all(|r| r.miners.connected_mw == 0.0);
        if no_hashrate {
            return Err(invalid(
                "rest_of_world.classes",
                "the network has no hashrate: give installed EH/s or a farm",
            ));
        }
        let network = check_network(&raw.network)?;
        let hashrate_levels_ehs = check_levels(raw.hashrate_levels_ehs.as_deref(), &network)?;
        let regimes = check_macro(&raw.macro_, step_years)?;
        let cost_curve_steps =
            check_curve_dates(raw.outputs.cost_curve_dates.as_deref(), &calendar)?;
        Ok(Scenario {
            name,
            description: raw.description.clone(),
            start_date,
            step_days: raw.step_days,
            steps,
            network,
            fees,
            initial_btc_price,
            btc_price_replay,
            fee_replay,
            regimes,
            power_factor,
            rest_of_world,
            regions,
            farms,
            hashrate_levels_ehs,
            investment,
            investment_plan,
            record_network_power: raw.outputs.network_power,
            record_every: check_record_every(raw.outputs.record_every_steps, steps)?,
            cost_curve_steps,
            spec: raw,
        })
    }
}

/// The fee model, or the replayed fees (then the model's parameters may be
/// left out).
fn check_fees(f: &FeesSpec, dir: &Path, steps: Steps) -> Checked<(FeeModel, Option<Vec<f64>>)> {
    let param = |name: &str, v: Option<f64>, replayed: bool| match v {
        Some(v) => non_negative(&format!("fees.{name}"), v),
        None if replayed => Ok(0.0),
        None => Err(invalid(
            format!("fees.{name}"),
            "missing: give it, or `fees.replay` to read the fees from a CSV",
        )),
    };
    let replayed = f.replay.is_some();
    let model = FeeModel::new(
        param("mean_btc_per_block", f.mean_btc_per_block, replayed)?,
        param("volatility", f.volatility, replayed)?,
    );
    let replay = match &f.replay {
        Some(r) => Some(load("fees.replay", r, dir, steps, |v| {
            (!(v.is_finite() && v >= 0.0)).then_some("is not a fee: must be finite and ≥ 0")
        })?),
        None => None,
    };
    Ok((model, replay))
}

/// The initial BTC price, or the replayed prices (then the first is the
/// initial price, and `initial_usd` must not be given).
fn check_btc_price(p: &BtcPriceSpec, dir: &Path, steps: Steps) -> Checked<(f64, Option<Vec<f64>>)> {
    match (&p.replay, p.initial_usd) {
        (None, Some(initial)) => Ok((positive("btc_price.initial_usd", initial)?, None)),
        (None, None) => Err(invalid(
            "btc_price.initial_usd",
            "missing: give the initial price, or `btc_price.replay` to read prices from a CSV",
        )),
        (Some(_), Some(_)) => Err(invalid(
            "btc_price.initial_usd",
            "give either `initial_usd` or `replay`: a replay starts at its own price",
        )),
        (Some(r), None) => {
            let prices = load("btc_price.replay", r, dir, steps, |v| {
                (!(v.is_finite() && v > 0.0)).then_some("is not a price: must be finite and > 0")
            })?;
            Ok((prices[0], Some(prices)))
        }
    }
}

/// The hashrate levels to follow: as given (positive, increasing), or by
/// default 1.25, 1.5 and 2 times the starting difficulty's hashrate, to the
/// nearest 10 EH/s.
fn check_levels(given: Option<&[f64]>, network: &NetworkState) -> Checked<Vec<f64>> {
    let Some(levels) = given else {
        return Ok([1.25, 1.5, 2.0]
            .iter()
            .map(|m| (m * network.difficulty_ehs / 10.0).round().max(1.0) * 10.0)
            .collect());
    };
    if levels.len() > MAX_HASHRATE_LEVELS {
        return Err(invalid(
            "hashrate_levels_ehs",
            format!(
                "give at most {MAX_HASHRATE_LEVELS} levels, not {}",
                levels.len()
            ),
        ));
    }
    for (i, &level) in levels.iter().enumerate() {
        let field = format!("hashrate_levels_ehs[{i}]");
        positive(&field, level)?;
        if i > 0 && level <= levels[i - 1] {
            return Err(invalid(&field, "levels must increase"));
        }
    }
    Ok(levels.to_vec())
}

fn check_network(n: &NetworkSpec) -> Checked<NetworkState> {
    let difficulty_ehs = match (n.difficulty_ehs, n.difficulty) {
        (Some(hd), None) => positive("network.difficulty_ehs", hd)?,
        (None, Some(d)) => difficulty_to_hashrate_ehs(positive("network.difficulty", d)?),
        (Some(_), Some(_)) => {
            return Err(invalid(
                "network.difficulty",
                "give either `difficulty` or `difficulty_ehs`, not both",
            ));
        }
        (None, None) => {
            return Err(invalid(
                "network.difficulty_ehs",
                "missing: give `difficulty_ehs` (EH/s) or `difficulty` (consensus)",
            ));
        }
    };
    let epoch_blocks = non_negative("network.epoch_blocks", n.epoch_blocks)?;
    if epoch_blocks >= EPOCH_BLOCKS {
        return Err(invalid(
            "network.epoch_blocks",
            format!("must be below {EPOCH_BLOCKS}, not {epoch_blocks}"),
        ));
    }
    Ok(NetworkState {
        height: n.height as f64,
        difficulty_ehs,
        epoch_blocks,
        epoch_days: non_negative("network.epoch_days", n.epoch_days)?,
    })
}

fn check_macro(m: &MacroSpec, step_years: f64) -> Checked<RegimeChain> {
    if m.regimes.is_empty() {
        return Err(invalid("macro.regimes", "give at least one regime"));
    }
    unique("macro.regimes", m.regimes.iter().map(|r| r.name.as_str()))?;
    let index: BTreeMap<&str, usize> = m
        .regimes
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut regimes = Vec::with_capacity(m.regimes.len());
    let mut rates = vec![vec![0.0; m.regimes.len()]; m.regimes.len()];
    for (i, r) in m.regimes.iter().enumerate() {
        let f = |name: &str| format!("macro.regimes[{i}].{name}");
        identifier(&f("name"), &r.name)?;
        let params = PriceParams {
            drift: finite(&f("btc_drift"), r.btc_drift)?,
            volatility: non_negative(&f("btc_volatility"), r.btc_volatility)?,
            jump_intensity: non_negative(&f("btc_jump_intensity"), r.btc_jump_intensity)?,
            jump_mean: finite(&f("btc_jump_mean"), r.btc_jump_mean)?,
            jump_sd: non_negative(&f("btc_jump_sd"), r.btc_jump_sd)?,
        };
        for (to, &rate) in &r.transitions {
            let field = f(&format!("transitions.{to}"));
            let j = *index
                .get(to.as_str())
                .ok_or_else(|| invalid(&field, format!("unknown regime `{to}`")))?;
            if j == i {
                return Err(invalid(&field, "a regime cannot move to itself"));
            }
            rates[i][j] = non_negative(&field, rate)?;
        }
        regimes.push(Regime {
            name: r.name.clone(),
            price: JumpDiffusion::new(params, step_years),
            fuel_multiplier: positive(&f("fuel_multiplier"), r.fuel_multiplier)?,
            hurdle_premium: finite(&f("hurdle_premium"), r.hurdle_premium)?,
        });
    }
    let initial = match &m.initial_regime {
        None => 0,
        Some(name) => *index
            .get(name.as_str())
            .ok_or_else(|| invalid("macro.initial_regime", format!("unknown regime `{name}`")))?,
    };
    Ok(RegimeChain::new(regimes, &rates, initial, step_years))
}

/// Finds each migrating farm's destination and lists the farm among the
/// destination's farms (after the region's own, which `farm_mw` counts),
/// so that it can bid there once it has moved.
fn place_migrations(farms: &mut [Farm], regions: &mut [Region]) -> Checked<()> {
    for (f, farm) in farms.iter_mut().enumerate() {
        let Some(m) = &mut farm.migration else {
            continue;
        };
        let r = regions.iter().position(|r| r.name == m.to).ok_or_else(|| {
            let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
            invalid(
                format!("farms[{f}].migration.to"),
                format!(
                    "unknown region `{}`: expected one of {}",
                    m.to,
                    names.join(", ")
                ),
            )
        })?;
        m.to_index = r;
        regions[r].farms.push(f);
    }
    Ok(())
}

/// The steps of the cost curve's dates (the step holding each date), or by
/// default the start and every anniversary inside the horizon.
fn check_curve_dates(dates: Option<&[String]>, calendar: &Calendar) -> Checked<Vec<usize>> {
    let step_days = f64::from(calendar.step_days);
    let Some(dates) = dates else {
        let every = (DAYS_PER_YEAR / step_days).round().max(1.0) as usize;
        return Ok((0..calendar.steps).step_by(every).collect());
    };
    let mut steps = Vec::with_capacity(dates.len());
    for (i, date) in dates.iter().enumerate() {
        let field = format!("outputs.cost_curve_dates[{i}]");
        let day = calendar.day(&field, date)?;
        let step = (day / step_days).floor();
        if day < 0.0 || step >= calendar.steps as f64 {
            return Err(invalid(field, format!("`{date}` is outside the horizon")));
        }
        let step = step as usize;
        if steps.last().is_some_and(|&last| step <= last) {
            return Err(invalid(
                field,
                format!("`{date}` does not come after the date before it (in another step)"),
            ));
        }
        steps.push(step);
    }
    Ok(steps)
}

/// The rest of the world; classes with an age profile and no life of their
/// own live `default_life` years.
fn check_rest_of_world(
    r: &RestOfWorldSpec,
    calendar: &Calendar,
    default_life: f64,
) -> Checked<RestOfWorld> {
    let median = positive(
        "rest_of_world.median_power_price_usd_per_mwh",
        r.median_power_price_usd_per_mwh,
    )?;
    let dispersion = positive("rest_of_world.price_dispersion", r.price_dispersion)?;
    unique(
        "rest_of_world.classes",
        r.classes.iter().map(|c| c.name.as_str()),
    )?;
    let classes = r
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let f = |name: &str| format!("rest_of_world.classes[{i}].{name}");
            Ok(MinerClass {
                name: identifier(&f("name"), &c.name)?,
                installed_ehs: non_negative(&f("installed_ehs"), c.installed_ehs)?,
                efficiency_j_per_th: positive(&f("efficiency_j_per_th"), c.efficiency_j_per_th)?,
            })
        })
        .collect::<Checked<Vec<_>>>()?;
    let ages = r
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| check_class_age(i, c.age_years.as_deref(), c.life_years, default_life))
        .collect::<Checked<Vec<_>>>()?;
    let step_days = f64::from(calendar.step_days);
    Ok(RestOfWorld::new(median, dispersion, classes).with_ages(ages, calendar.steps, step_days))
}

/// `[outputs] record_every_steps`: from 1 (every step) to the number of
/// steps (the first only).
fn check_record_every(k: u32, steps: usize) -> Checked<usize> {
    let field = "outputs.record_every_steps";
    if k == 0 {
        return Err(invalid(field, "must be at least 1 (1 records every step)"));
    }
    let k = k as usize;
    if k > steps {
        return Err(invalid(
            field,
            format!("{k} is more than the run's {steps} steps: at most {steps}"),
        ));
    }
    Ok(k)
}
