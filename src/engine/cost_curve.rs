//! The industry cost curve on the chunk's paths at the scenario's dates:
//! every fleet's cash cost per BTC and online hashrate (model.md §6).

use super::grid::RegionPath;
use crate::model::cost_curve::{cash_cost_per_btc, mean_price_below};
use crate::model::farm_path::FarmPath;
use crate::model::investment::InvestmentPath;
use crate::model::units::MWH_PER_PH_DAY_PER_J_TH;
use crate::scenario::Scenario;
use crate::stats::CostCurve;

/// The fleets of the curve, in entry order: rest-of-world classes, the
/// invested machines (with investment), each region's own miners, farms.
pub(crate) fn entry_names(scenario: &Scenario) -> Vec<String> {
    let classes = scenario.rest_of_world().classes().iter();
    let mut names: Vec<String> = classes.map(|c| format!("class.{}", c.name)).collect();
    if scenario.investment().is_some() {
        names.push("invested".to_string());
    }
    for region in scenario.regions() {
        names.push(format!("region.{}.miners", region.name));
    }
    for farm in scenario.farms() {
        names.push(format!("farm.{}", farm.name));
    }
    names
}

/// What one path's step gives every fleet of the curve.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Market {
    pub step: usize,
    pub btc_price: f64,
    pub hashprice: f64,
    pub power_factor: f64,
}

/// A chunk's curve values: `values[((d·entries + e)·2 + k)·paths + i]` for
/// date `d`, entry `e`, `k` = 0 (cost per BTC) or 1 (online EH/s), path `i`.
pub(crate) struct CurveBuffer {
    entries: usize,
    paths: usize,
    values: Vec<f64>,
}

impl CurveBuffer {
    /// A buffer for `paths` paths of `scenario`.
    pub(crate) fn new(scenario: &Scenario, paths: usize) -> Self {
        let entries = entry_names(scenario).len();
        let dates = scenario.cost_curve_steps().len();
        CurveBuffer {
            entries,
            paths,
            values: vec![0.0; dates * entries * 2 * paths],
        }
    }

    fn put(&mut self, date: usize, entry: usize, k: usize, path: usize, value: f64) {
        let at = ((date * self.entries + entry) * 2 + k) * self.paths + path;
        self.values[at] = value;
    }

    /// Adds the chunk's first `n` paths to the curves; `finite` is a
    /// reusable buffer.
    pub(crate) fn add_to(&self, curves: &mut [CostCurve], n: usize, finite: &mut Vec<f64>) {
        for (d, curve) in curves.iter_mut().enumerate() {
            for (e, entry) in curve.entries.iter_mut().enumerate() {
                let at = |k: usize| ((d * self.entries + e) * 2 + k) * self.paths;
                let costs = &self.values[at(0)..at(0) + n];
                // A fleet with nothing in service has no cost per BTC.
                finite.clear();
                finite.extend(costs.iter().copied().filter(|c| c.is_finite()));
                entry.cash_cost_per_btc_usd.add_chunk(finite);
                entry.online_ehs.add_chunk(&self.values[at(1)..at(1) + n]);
            }
        }
    }
}

/// Records path `path` (of the chunk) at the curve's date `date`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    scenario: &Scenario,
    buffer: &mut CurveBuffer,
    date: usize,
    path: usize,
    market: Market,
    investment: Option<&InvestmentPath>,
    regions: &[RegionPath],
    farms: &[FarmPath],
) {
    let Market {
        step,
        btc_price,
        hashprice,
        power_factor,
    } = market;
    let row = scenario.rest_of_world();
    let median = row.median_power_price() * power_factor.exp();
    let ln_hp = hashprice.ln();
    let mut e = 0;
    let mut put = |cost: f64, ehs: f64| {
        buffer.put(date, e, 0, path, cost);
        buffer.put(date, e, 1, path, ehs);
        e += 1;
    };
    // A site-price fleet runs where power is at most its breakeven and
    // pays the mean price of those sites.
    let site_fleet = |energy: f64, fee: f64| {
        let breakeven = hashprice * (1.0 - fee) / energy;
        let price = mean_price_below(median, row.dispersion(), breakeven);
        cash_cost_per_btc(price, energy, fee, btc_price, hashprice)
    };
    for (k, installed) in row.installed_at(step).enumerate() {
        let class = &row.classes()[k];
        let energy = MWH_PER_PH_DAY_PER_J_TH * class.efficiency_j_per_th;
        let online = installed * row.online_fraction(k, ln_hp, power_factor);
        put(site_fleet(energy, 0.0), online);
    }
    if let (Some(inv), Some(params)) = (investment, scenario.investment()) {
        let (ln_m, inv_s) = (row.ln_median(), row.inverse_dispersion());
        let ehs = inv.online_ehs(ln_hp, power_factor, ln_m, inv_s);
        let installed = inv.installed_ehs();
        let cost = if installed > 0.0 {
            let energy = MWH_PER_PH_DAY_PER_J_TH * inv.installed_mw() / installed * params.pue;
            site_fleet(energy, params.pool_fee)
        } else {
            f64::NAN
        };
        put(cost, ehs);
    }
    for (region, state) in scenario.regions().iter().zip(regions) {
        let m = &region.miners;
        let energy = MWH_PER_PH_DAY_PER_J_TH * m.efficiency_j_per_th * m.pue;
        let cost_mwh = state.market_price() + m.opex_usd_per_mwh;
        let cost = cash_cost_per_btc(cost_mwh, energy, m.pool_fee, btc_price, hashprice);
        put(cost, state.miners_running_mw() * m.phs_per_mw() / 1000.0);
    }
    let day = step as f64 * f64::from(scenario.step_days());
    for (farm, state) in scenario.farms().iter().zip(farms) {
        let op = &state.current;
        let (mut energy, mut phs) = (0.0, 0.0);
        for lot in farm.fleet.iter().filter(|l| l.in_service(day)) {
            energy += lot.phs() * MWH_PER_PH_DAY_PER_J_TH * lot.efficiency_j_per_th * farm.pue;
            phs += lot.phs();
        }
        let cost = if phs > 0.0 && state.solvent() {
            let cost_mwh = op.price_usd_per_mwh + farm.opex_usd_per_mwh;
            cash_cost_per_btc(cost_mwh, energy / phs, farm.pool_fee, btc_price, hashprice)
        } else {
            f64::NAN
        };
        put(cost, op.online_phs / 1000.0);
    }
}
