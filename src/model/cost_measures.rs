//! A farm's cost measures (model.md §6): one value per path and measure,
//! computed once from the farm's running totals ([`FarmPath`]) at the end
//! of a path, and declared once, with their names, units, labels,
//! definitions and the direction in which they are better. Every list of
//! them (the summary's storage, `summary.json`, the csv files, the
//! headline, the paired comparison, the sweep's outputs) derives from
//! [`FarmMeasure::ALL`].
//!
//! With the run's totals over the steps the farm was in business (BTC
//! mined net of the pool fee `B`, power bought `P`, credits `K`, opex `O`,
//! overhead `H`, depreciation `D`, interest `I`, hedge `G`, revenue `R`,
//! energy used `E`, PH/s-days online `Q`):
//!
//! - cash cost per BTC `(P − K + O)/B`, all-in `(P − K + O + H + D + I)/B`;
//! - breakeven hashprice `(P − K + O + H + I)/(Q·(1 − pool fee))`;
//! - breakeven power price `(R + G − O − H − I)/E`.
//!
//! # Example
//! ```
//! use hashwatt::model::cost_measures::{Better, FarmMeasure};
//! let m: FarmMeasure = "all_in_cost_per_btc_usd".parse().unwrap();
//! assert_eq!(m, FarmMeasure::AllInCostPerBtc);
//! assert_eq!(m.unit(), "USD/BTC");
//! assert_eq!(m.better(), Better::Lower);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::farm::Farm;
use super::farm_path::{FarmPath, FarmRun};

/// Which way a quantity is better, for the share of paths where B beats A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Better {
    /// More is better (margin, NPV, cash, BTC, uptime, breakeven power price).
    Higher,
    /// Less is better (costs, breakeven hashprice, payback, insolvency).
    Lower,
    /// Neither (curtailment, expansion, the day of a move): no share reported.
    Neither,
}

/// One of a farm's results over the whole run, one value per path
/// (model.md §6: cost measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FarmMeasure {
    /// BTC mined over the run, net of the pool fee, BTC.
    BtcMined,
    /// Revenue: the BTC mined, sold at each step's price, USD.
    Revenue,
    /// Power bought over the run, USD.
    PowerCost,
    /// Power sold back to the market over the run, USD.
    PowerCredits,
    /// Cash cost per BTC: (power − credits + opex) / BTC mined, USD/BTC.
    CashCostPerBtc,
    /// All-in cost per BTC: the cash cost plus overhead, depreciation and
    /// interest, over BTC mined, USD/BTC.
    AllInCostPerBtc,
    /// Breakeven hashprice, USD per PH/s per day.
    BreakevenHashprice,
    /// Breakeven power price, USD/MWh.
    BreakevenPower,
    /// Operating margin over the run, USD.
    Margin,
    /// The operating margin without the hedge's settlements, USD.
    MarginUnhedged,
    /// Hedge settlements over the run, USD.
    Hedge,
    /// Operating margin less capital spending, discounted to the start, USD.
    Npv,
    /// Days until the summed margin covers the capital at stake.
    PaybackDays,
    /// Share of the time the machines in service ran.
    Uptime,
    /// Energy the machines in service did not draw, MWh.
    Curtailed,
    /// Cash at the end of the run (or at insolvency), USD.
    CashEnd,
    /// MW of power granted to the farm's expansion over the run.
    Expanded,
    /// Day the farm left its region, over the paths where it moved.
    MigrationDay,
    /// Day of insolvency, over the paths where the farm failed.
    InsolvencyDay,
}

/// What is fixed about one measure: name, unit, label, definition and
/// direction, in one row so that none of them can be forgotten.
struct Declaration {
    name: &'static str,
    unit: &'static str,
    label: &'static str,
    description: &'static str,
    better: Better,
}

const fn declare(
    name: &'static str,
    unit: &'static str,
    label: &'static str,
    description: &'static str,
    better: Better,
) -> Declaration {
    Declaration {
        name,
        unit,
        label,
        description,
        better,
    }
}

/// The declarations, in the order of [`FarmMeasure::ALL`].
const DECLARATIONS: [Declaration; FarmMeasure::COUNT] = [
    declare(
        "btc_mined",
        "BTC",
        "BTC mined, BTC",
        "BTC mined over the run, net of the pool fee.",
        Better::Higher,
    ),
    declare(
        "revenue_usd",
        "USD",
        "revenue, USD",
        "Revenue: the BTC mined, sold at each step's price.",
        Better::Higher,
    ),
    declare(
        "power_cost_usd",
        "USD",
        "power cost, USD",
        "Power bought over the run.",
        Better::Lower,
    ),
    declare(
        "power_credits_usd",
        "USD",
        "power credits, USD",
        "Power sold back to the market over the run.",
        Better::Higher,
    ),
    declare(
        "cash_cost_per_btc_usd",
        "USD/BTC",
        "cash cost per BTC, USD/BTC",
        "(power − credits + opex) / BTC mined, over the paths that mined any BTC.",
        Better::Lower,
    ),
    declare(
        "all_in_cost_per_btc_usd",
        "USD/BTC",
        "all-in cost per BTC, USD/BTC",
        "The cash cost plus overhead, depreciation and interest, over BTC mined.",
        Better::Lower,
    ),
    declare(
        "breakeven_hashprice_usd_per_ph_day",
        "USD/PH/day",
        "breakeven hashprice, USD/PH/day",
        "(power − credits + opex + overhead + interest) over the PH/s-days online net of \
         the pool fee, over the paths with hashrate online.",
        Better::Lower,
    ),
    declare(
        "breakeven_power_usd_per_mwh",
        "USD/MWh",
        "breakeven power price, USD/MWh",
        "The net price per MWh used at which the run's margin after interest is zero, \
         (revenue + hedge − opex − overhead − interest) / MWh used, over the paths that \
         used power.",
        Better::Higher,
    ),
    declare(
        "margin_usd",
        "USD",
        "operating margin, USD",
        "Operating margin: revenue + credits + hedge − power − opex − overhead.",
        Better::Higher,
    ),
    declare(
        "margin_unhedged_usd",
        "USD",
        "margin without the hedge, USD",
        "The operating margin without the hedge's settlements, on the same paths.",
        Better::Higher,
    ),
    declare(
        "hedge_usd",
        "USD",
        "hedge settlements, USD",
        "Hedge settlements over the run.",
        Better::Higher,
    ),
    declare(
        "npv_usd",
        "USD",
        "NPV, USD",
        "Operating margin less capital spending, discounted at the farm's rate to the start.",
        Better::Higher,
    ),
    declare(
        "payback_days",
        "days",
        "payback, days",
        "Days until the summed operating margin covers the capital at stake at the start \
         (the fleet's book value, lots still to come at cost), over the paths where it does.",
        Better::Lower,
    ),
    declare(
        "uptime_fraction",
        "share",
        "uptime, share of the time",
        "Share of the time the machines in service ran (nameplate-weighted), over the paths \
         with machines in service.",
        Better::Higher,
    ),
    declare(
        "curtailed_mwh",
        "MWh",
        "curtailed, MWh",
        "Energy the machines in service did not draw (economic curtailment, curtailment by \
         the grid, insolvency excluded).",
        Better::Neither,
    ),
    declare(
        "cash_end_usd",
        "USD",
        "cash at the end, USD",
        "Cash at the end of the run (or at insolvency).",
        Better::Higher,
    ),
    declare(
        "expanded_mw",
        "MW",
        "expanded, MW",
        "MW of power granted to the farm's expansion over the run.",
        Better::Neither,
    ),
    declare(
        "migration_day",
        "days",
        "day of the move (moved paths), days",
        "Day the farm left its region, over the paths where it moved: their share is \
         P(migration) over the horizon.",
        Better::Neither,
    ),
    declare(
        "insolvency_day",
        "days",
        "day of failure (failed paths), days",
        "Day of insolvency, over the paths where the farm failed: their share is \
         P(insolvency) over the horizon.",
        Better::Higher,
    ),
];

impl FarmMeasure {
    /// How many measures there are.
    pub const COUNT: usize = 19;

    /// Every measure, in the order the engine fills them and the outputs
    /// write them.
    pub const ALL: [FarmMeasure; FarmMeasure::COUNT] = [
        FarmMeasure::BtcMined,
        FarmMeasure::Revenue,
        FarmMeasure::PowerCost,
        FarmMeasure::PowerCredits,
        FarmMeasure::CashCostPerBtc,
        FarmMeasure::AllInCostPerBtc,
        FarmMeasure::BreakevenHashprice,
        FarmMeasure::BreakevenPower,
        FarmMeasure::Margin,
        FarmMeasure::MarginUnhedged,
        FarmMeasure::Hedge,
        FarmMeasure::Npv,
        FarmMeasure::PaybackDays,
        FarmMeasure::Uptime,
        FarmMeasure::Curtailed,
        FarmMeasure::CashEnd,
        FarmMeasure::Expanded,
        FarmMeasure::MigrationDay,
        FarmMeasure::InsolvencyDay,
    ];

    /// The names of [`FarmMeasure::ALL`], in its order.
    pub const NAMES: [&'static str; FarmMeasure::COUNT] = {
        let mut names = [""; FarmMeasure::COUNT];
        let mut i = 0;
        while i < names.len() {
            names[i] = DECLARATIONS[i].name;
            i += 1;
        }
        names
    };

    /// Its position in [`FarmMeasure::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    const fn declaration(self) -> &'static Declaration {
        &DECLARATIONS[self.index()]
    }

    /// Its name in `summary.json`, the csv files and `--output`:
    /// `cash_cost_per_btc_usd`.
    pub const fn name(self) -> &'static str {
        self.declaration().name
    }

    /// Its unit: `USD`, `USD/BTC`, `days`, `share` (0..1), ...
    pub const fn unit(self) -> &'static str {
        self.declaration().unit
    }

    /// What the reports call it, with its unit: `cash cost per BTC, USD/BTC`.
    pub const fn label(self) -> &'static str {
        self.declaration().label
    }

    /// Its definition in a sentence (model.md, "Farm finance").
    pub const fn description(self) -> &'static str {
        self.declaration().description
    }

    /// Which way a change of it is better for the farm, for the share of
    /// paths where B beats A in a comparison.
    pub const fn better(self) -> Better {
        self.declaration().better
    }

    /// Whether it is a share (0..1), written as a percentage.
    pub fn is_share(self) -> bool {
        self.unit() == "share"
    }
}

impl fmt::Display for FarmMeasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is none of the farm measures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown farm measure `{name}` (known: {})", FarmMeasure::NAMES.join(", "))]
pub struct UnknownFarmMeasure {
    /// The name given.
    pub name: String,
}

impl FromStr for FarmMeasure {
    type Err = UnknownFarmMeasure;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        FarmMeasure::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| UnknownFarmMeasure {
                name: name.to_string(),
            })
    }
}

/// What a farm's run adds up to that needs no summing per step: over the
/// steps it was in business, its overhead, the depreciation of its lots in
/// service and the energy they could have drawn.
#[derive(Debug, Clone, Copy)]
struct Settled {
    overhead_usd: f64,
    depreciation_usd: f64,
    energy_available_mwh: f64,
}

impl Settled {
    fn of(farm: &Farm, state: &FarmPath, step_days: f64, steps: usize) -> Self {
        // An insolvent farm settled up to and including its failing step.
        let settled = if state.solvent() {
            steps
        } else {
            (state.insolvent_day / step_days) as usize + 1
        };
        let mut out = Settled {
            overhead_usd: farm.overhead_usd_per_day * step_days * settled as f64,
            depreciation_usd: 0.0,
            energy_available_mwh: 0.0,
        };
        for lot in &farm.fleet {
            let days = lot.steps_in_service(step_days, settled) * step_days;
            if days > 0.0 {
                out.depreciation_usd += lot.depreciation_usd_per_day() * days;
                out.energy_available_mwh += farm.lot_mw(lot) * 24.0 * days;
            }
        }
        if let Some(e) = &farm.expansion {
            let run = &state.run;
            out.depreciation_usd += e.price_usd_per_phs / e.life_days * run.expansion_ph_days;
            out.energy_available_mwh += run.expansion_mwh_available;
        }
        out
    }
}

/// One farm's measures on one path, in the order of [`FarmMeasure::ALL`];
/// `None` where a measure is not defined on that path (a ratio without BTC
/// mined, a payback never reached, a farm that never moved or failed).
/// `run` is (step days, steps) of the run.
///
/// The one place the measures are computed: the summaries, traces and
/// paired comparisons all read them from here, so they agree bit for bit.
pub(crate) fn path_measures(
    farm: &Farm,
    (step_days, steps): (f64, usize),
    p: &FarmPath,
) -> [Option<f64>; FarmMeasure::COUNT] {
    let settled = Settled::of(farm, p, step_days, steps);
    FarmMeasure::ALL.map(|m| measure(m, farm, p, &settled))
}

/// Measure `m` of a farm's path `p`, with what it settled in `e`.
#[inline]
fn measure(m: FarmMeasure, farm: &Farm, p: &FarmPath, e: &Settled) -> Option<f64> {
    let r: &FarmRun = &p.run;
    let cash_cost = r.power_cost_usd - r.credits_usd + r.opex_usd;
    let per_btc = |cost: f64| (r.btc > 0.0).then(|| cost / r.btc);
    match m {
        FarmMeasure::BtcMined => Some(r.btc),
        FarmMeasure::Revenue => Some(r.revenue_usd),
        FarmMeasure::PowerCost => Some(r.power_cost_usd),
        FarmMeasure::PowerCredits => Some(r.credits_usd),
        FarmMeasure::CashCostPerBtc => per_btc(cash_cost),
        FarmMeasure::AllInCostPerBtc => {
            per_btc(cash_cost + e.overhead_usd + e.depreciation_usd + r.interest_usd)
        }
        FarmMeasure::BreakevenHashprice => (r.online_ph_days > 0.0).then(|| {
            (cash_cost + e.overhead_usd + r.interest_usd)
                / (r.online_ph_days * (1.0 - farm.pool_fee))
        }),
        FarmMeasure::BreakevenPower => (r.energy_mwh > 0.0).then(|| {
            (r.revenue_usd + r.hedge_usd - r.opex_usd - e.overhead_usd - r.interest_usd)
                / r.energy_mwh
        }),
        FarmMeasure::Margin => Some(r.margin_usd),
        FarmMeasure::MarginUnhedged => Some(r.margin_usd - r.hedge_usd),
        FarmMeasure::Hedge => Some(r.hedge_usd),
        FarmMeasure::Npv => Some(r.npv_usd),
        FarmMeasure::PaybackDays => (!r.payback_day.is_nan()).then_some(r.payback_day),
        FarmMeasure::Uptime => (r.service_days > 0.0).then(|| r.uptime_days / r.service_days),
        FarmMeasure::Curtailed => Some(e.energy_available_mwh - r.energy_mwh),
        FarmMeasure::CashEnd => Some(p.cash_usd),
        FarmMeasure::Expanded => Some(p.expansion.granted_mw),
        FarmMeasure::MigrationDay => {
            (!p.migration.moved_day.is_nan()).then_some(p.migration.moved_day)
        }
        FarmMeasure::InsolvencyDay => (!p.solvent()).then_some(p.insolvent_day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_declaration_order() {
        for (i, m) in FarmMeasure::ALL.into_iter().enumerate() {
            assert_eq!(m.index(), i);
            assert_eq!(m.name(), FarmMeasure::NAMES[i]);
            assert_eq!(m.name().parse::<FarmMeasure>(), Ok(m));
            assert_eq!(m.to_string(), m.name());
        }
        assert!("margin".parse::<FarmMeasure>().is_err());
    }
}
