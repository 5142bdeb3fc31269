//! The per-farm measures of a run, declared once: their names, units,
//! labels, definitions and the direction in which they are better. Every
//! list of them (the summary's storage, `summary.json`, the csv files, the
//! headline, the paired comparison, the sweep's outputs) derives from
//! [`FarmMeasure::ALL`].

use std::fmt;
use std::str::FromStr;

use super::Better;

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
const DECLARATIONS: [Declaration; 19] = [
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
    /// Every measure, in the order the engine fills them and the outputs
    /// write them.
    pub const ALL: [FarmMeasure; 19] = [
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
    pub const NAMES: [&'static str; 19] = {
        let mut names = [""; 19];
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
