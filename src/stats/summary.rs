//! The summary of a run (or of a shard of one): per-step distributions of
//! every recorded series and per-farm distributions over the run.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Distribution, Statistics};

/// What makes two runs parts of one: same program version, same checked
/// scenario, same seed, same total number of paths and chunk grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// hashwatt's version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// The checked scenario in canonical JSON.
    pub scenario: String,
    /// The run's seed.
    pub seed: u64,
    /// Total number of paths of the whole run (all shards).
    pub paths: u64,
    /// Paths per chunk of the engine's fixed grid.
    pub chunk_size: u64,
    /// Number of shards the run is split into (1 when not split).
    pub shard_count: u32,
}

/// Per-step distributions of one recorded series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesSummary {
    /// Series name, `<group>.<name>.<quantity>_<unit>` or `<quantity>_<unit>`.
    pub name: String,
    /// One distribution per recorded step.
    pub steps: Vec<Distribution>,
}

/// One farm's results over the whole run, one value per path
/// (model.md §6: cost measures).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FarmSummary {
    /// Farm name.
    pub name: String,
    /// BTC mined over the run, net of the pool fee.
    pub btc_mined: Distribution,
    /// Revenue: the BTC mined, sold at each step's price, USD.
    pub revenue_usd: Distribution,
    /// Power bought over the run, USD.
    pub power_cost_usd: Distribution,
    /// Power sold back to the market over the run, USD.
    pub power_credits_usd: Distribution,
    /// Cash cost per BTC: (power − credits + opex) / BTC mined, USD/BTC, over
    /// the paths that mined any BTC.
    pub cash_cost_per_btc_usd: Distribution,
    /// All-in cost per BTC: the cash cost plus overhead, depreciation and
    /// interest, over BTC mined, USD/BTC.
    pub all_in_cost_per_btc_usd: Distribution,
    /// Breakeven hashprice: (power − credits + opex + overhead + interest) over
    /// the PH/s-days online net of the pool fee, USD per PH/s per day, over the
    /// paths with hashrate online.
    pub breakeven_hashprice_usd_per_ph_day: Distribution,
    /// Breakeven power price: the net price per MWh used at which the run's
    /// margin after interest is zero, (revenue + hedge − opex − overhead −
    /// interest) / MWh used, over the paths that used power.
    pub breakeven_power_usd_per_mwh: Distribution,
    /// Operating margin over the run: revenue + credits + hedge − power − opex
    /// − overhead, USD.
    pub margin_usd: Distribution,
    /// The operating margin without the hedge's settlements (on the same
    /// paths), USD.
    pub margin_unhedged_usd: Distribution,
    /// Hedge settlements over the run, USD.
    pub hedge_usd: Distribution,
    /// Operating margin less capital spending, discounted at the farm's rate to
    /// the start, USD.
    pub npv_usd: Distribution,
    /// Days until the summed operating margin covers the capital at stake at
    /// the start (the fleet's book value, lots still to come at cost), over the
    /// paths where it does.
    pub payback_days: Distribution,
    /// Share of the time the machines in service ran (nameplate-weighted), over
    /// the paths with machines in service.
    pub uptime_fraction: Distribution,
    /// Energy the machines in service did not draw (economic curtailment,
    /// curtailment by the grid, insolvency excluded), MWh.
    pub curtailed_mwh: Distribution,
    /// Cash at the end of the run (or at insolvency), USD.
    pub cash_end_usd: Distribution,
    /// MW of power granted to the farm's expansion over the run.
    pub expanded_mw: Distribution,
    /// Day the farm left its region, over the paths where it moved: their
    /// share is P(migration) over the horizon.
    pub migration_day: Distribution,
    /// Day of insolvency, over the paths where the farm failed: their share is
    /// P(insolvency) over the horizon.
    pub insolvency_day: Distribution,
}

impl FarmSummary {
    /// Names of the measures, in the order of [`FarmSummary::measures`].
    pub const MEASURES: [&'static str; 19] = [
        "btc_mined",
        "revenue_usd",
        "power_cost_usd",
        "power_credits_usd",
        "cash_cost_per_btc_usd",
        "all_in_cost_per_btc_usd",
        "breakeven_hashprice_usd_per_ph_day",
        "breakeven_power_usd_per_mwh",
        "margin_usd",
        "margin_unhedged_usd",
        "hedge_usd",
        "npv_usd",
        "payback_days",
        "uptime_fraction",
        "curtailed_mwh",
        "cash_end_usd",
        "expanded_mw",
        "migration_day",
        "insolvency_day",
    ];

    /// An empty summary of the farm `name`.
    pub fn new(name: &str) -> Self {
        FarmSummary {
            name: name.to_string(),
            btc_mined: Distribution::default(),
            revenue_usd: Distribution::default(),
            power_cost_usd: Distribution::default(),
            power_credits_usd: Distribution::default(),
            cash_cost_per_btc_usd: Distribution::default(),
            all_in_cost_per_btc_usd: Distribution::default(),
            breakeven_hashprice_usd_per_ph_day: Distribution::default(),
            breakeven_power_usd_per_mwh: Distribution::default(),
            margin_usd: Distribution::default(),
            margin_unhedged_usd: Distribution::default(),
            hedge_usd: Distribution::default(),
            npv_usd: Distribution::default(),
            payback_days: Distribution::default(),
            uptime_fraction: Distribution::default(),
            curtailed_mwh: Distribution::default(),
            cash_end_usd: Distribution::default(),
            expanded_mw: Distribution::default(),
            migration_day: Distribution::default(),
            insolvency_day: Distribution::default(),
        }
    }

    /// Every measure, in the order of [`FarmSummary::MEASURES`].
    pub fn measures(&self) -> [&Distribution; 19] {
        [
            &self.btc_mined,
            &self.revenue_usd,
            &self.power_cost_usd,
            &self.power_credits_usd,
            &self.cash_cost_per_btc_usd,
            &self.all_in_cost_per_btc_usd,
            &self.breakeven_hashprice_usd_per_ph_day,
            &self.breakeven_power_usd_per_mwh,
            &self.margin_usd,
            &self.margin_unhedged_usd,
            &self.hedge_usd,
            &self.npv_usd,
            &self.payback_days,
            &self.uptime_fraction,
            &self.curtailed_mwh,
            &self.cash_end_usd,
            &self.expanded_mw,
            &self.migration_day,
            &self.insolvency_day,
        ]
    }

    pub(crate) fn measures_mut(&mut self) -> [&mut Distribution; 19] {
        [
            &mut self.btc_mined,
            &mut self.revenue_usd,
            &mut self.power_cost_usd,
            &mut self.power_credits_usd,
            &mut self.cash_cost_per_btc_usd,
            &mut self.all_in_cost_per_btc_usd,
            &mut self.breakeven_hashprice_usd_per_ph_day,
            &mut self.breakeven_power_usd_per_mwh,
            &mut self.margin_usd,
            &mut self.margin_unhedged_usd,
            &mut self.hedge_usd,
            &mut self.npv_usd,
            &mut self.payback_days,
            &mut self.uptime_fraction,
            &mut self.curtailed_mwh,
            &mut self.cash_end_usd,
            &mut self.expanded_mw,
            &mut self.migration_day,
            &mut self.insolvency_day,
        ]
    }

    /// Adds the counts of the same farm's summary from other paths.
    fn merge(&mut self, other: &FarmSummary) {
        for (mine, theirs) in self.measures_mut().into_iter().zip(other.measures()) {
            mine.merge(theirs);
        }
    }
}

/// Everything a run (or a shard of one) measured, mergeable exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// What the run was.
    pub identity: RunIdentity,
    /// Shards (numbered from 1) whose paths this summary holds, increasing.
    pub shards: Vec<u32>,
    /// Number of paths this summary holds.
    pub paths_done: u64,
    /// The scenario's name.
    pub scenario_name: String,
    /// Step length, days.
    pub step_days: u32,
    /// Days from the start at each recorded step.
    pub t_days: Vec<u32>,
    /// Calendar date of each recorded step (ISO 8601).
    pub dates: Vec<String>,
    /// Recorded series.
    pub series: Vec<SeriesSummary>,
    /// Per-farm results.
    pub farms: Vec<FarmSummary>,
    /// Growth of the network's hashrate over the run.
    pub hashrate_growth: HashrateGrowth,
    /// The industry cost curve at the scenario's dates.
    pub cost_curves: Vec<CostCurve>,
}

/// The industry cost curve at one date: every fleet's cash cost per BTC and
/// online hashrate, across paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostCurve {
    /// Days from the start of the step the curve is taken at.
    pub t_days: u32,
    /// Its date (ISO 8601).
    pub date: String,
    /// One entry per fleet: rest-of-world classes, invested machines,
    /// regional fleets, farms.
    pub entries: Vec<CurveEntry>,
}

/// One fleet on a cost curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveEntry {
    /// `class.<name>`, `invested`, `region.<name>.miners` or `farm.<name>`.
    pub name: String,
    /// Cash cost per BTC of running at the date's power price, USD/BTC.
    pub cash_cost_per_btc_usd: Distribution,
    /// Online hashrate, EH/s.
    pub online_ehs: Distribution,
}

impl CostCurve {
    /// An empty curve at `t_days` (`date`) with the fleets `names`.
    pub fn empty(t_days: u32, date: String, names: &[String]) -> Self {
        CostCurve {
            t_days,
            date,
            entries: names
                .iter()
                .map(|name| CurveEntry {
                    name: name.clone(),
                    cash_cost_per_btc_usd: Distribution::default(),
                    online_ehs: Distribution::default(),
                })
                .collect(),
        }
    }
}

/// The growth of the network's hashrate over a run, across paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HashrateGrowth {
    /// Per path, the annualised growth rate from the first recorded step to
    /// the last: `(H_last/H_first)^(365/days) − 1` (no value for a run of
    /// one step).
    pub annualised: Distribution,
    /// The first recorded day each level is reached, over the paths that
    /// reach it.
    pub levels: Vec<LevelReach>,
}

/// When the network's hashrate first reaches a level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelReach {
    /// The level, EH/s.
    pub level_ehs: f64,
    /// Days from the start to the first recorded step with `H ≥ level`,
    /// over the paths that reach it (their number is its count).
    pub days: Distribution,
}

/// Why summaries could not be merged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no summaries to merge")]
    Empty,
    /// The parts come from different runs.
    #[error("part {index} is from a different run: its {what} differs from the first part's")]
    DifferentRun {
        /// 0-based position of the offending part.
        index: usize,
        /// Which part of the identity differs.
        what: &'static str,
    },
    /// The same shard appears twice.
    #[error("shard {shard}/{count} is given more than once")]
    DuplicateShard {
        /// The shard number.
        shard: u32,
        /// The number of shards.
        count: u32,
    },
    /// Some shards are missing.
    #[error("shards missing: {missing:?} of {count}")]
    MissingShards {
        /// The missing shard numbers.
        missing: Vec<u32>,
        /// The number of shards.
        count: u32,
    },
    /// The parts record different series or farms.
    #[error("part {index} records different series or farms")]
    DifferentLayout {
        /// 0-based position of the offending part.
        index: usize,
    },
}

impl Summary {
    /// Statistics of the series `name`, one per step; `None` if no such series.
    pub fn series(&self, name: &str) -> Option<Vec<Statistics>> {
        self.series
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.steps.iter().map(Distribution::statistics).collect())
    }

    /// The farm named `name`; `None` if no such farm.
    pub fn farm(&self, name: &str) -> Option<&FarmSummary> {
        self.farms.iter().find(|f| f.name == name)
    }

    /// Whether the farm `farm` has a balance sheet (`[farms.finance]`), and
    /// so can fail: it records the series `farm.<name>.insolvent_fraction`.
    pub fn has_balance_sheet(&self, farm: &str) -> bool {
        let name = format!("farm.{farm}.insolvent_fraction");
        self.series.iter().any(|s| s.name == name)
    }

    /// Whether every shard of the run is included.
    pub fn is_complete(&self) -> bool {
        self.shards.len() == self.identity.shard_count as usize
    }

    /// Merges the shards of one run into the summary of the whole run.
    ///
    /// # Errors
    /// [`MergeError`] when the parts come from different runs (version,
    /// scenario, seed, path count, shard count), when a shard is given twice
    /// or when one is missing.
    pub fn merge_shards(parts: Vec<Summary>) -> Result<Summary, MergeError> {
        let mut parts = parts.into_iter();
        let mut total = parts.next().ok_or(MergeError::Empty)?;
        for (i, part) in parts.enumerate() {
            total.absorb(part, i + 1)?;
        }
        let count = total.identity.shard_count;
        let missing: Vec<u32> = (1..=count).filter(|k| !total.shards.contains(k)).collect();
        if !missing.is_empty() {
            return Err(MergeError::MissingShards { missing, count });
        }
        Ok(total)
    }

    fn absorb(&mut self, part: Summary, index: usize) -> Result<(), MergeError> {
        let (a, b) = (&self.identity, &part.identity);
        let differs = [
            ("version", a.version != b.version),
            ("scenario", a.scenario != b.scenario),
            ("seed", a.seed != b.seed),
            ("path count", a.paths != b.paths),
            ("chunk size", a.chunk_size != b.chunk_size),
            ("shard count", a.shard_count != b.shard_count),
        ];
        if let Some((what, _)) = differs.iter().find(|(_, d)| *d) {
            return Err(MergeError::DifferentRun { index, what });
        }
        if let Some(&shard) = part.shards.iter().find(|k| self.shards.contains(k)) {
            let count = a.shard_count;
            return Err(MergeError::DuplicateShard { shard, count });
        }
        let same_layout = self.t_days == part.t_days
            && self.series.len() == part.series.len()
            && self.farms.len() == part.farms.len()
            && self
                .series
                .iter()
                .zip(&part.series)
                .all(|(x, y)| x.name == y.name)
            && self
                .farms
                .iter()
                .zip(&part.farms)
                .all(|(x, y)| x.name == y.name)
            && self.hashrate_growth.levels.len() == part.hashrate_growth.levels.len()
            && self
                .hashrate_growth
                .levels
                .iter()
                .zip(&part.hashrate_growth.levels)
                .all(|(x, y)| x.level_ehs == y.level_ehs)
            && self.cost_curves.len() == part.cost_curves.len()
            && self
                .cost_curves
                .iter()
                .zip(&part.cost_curves)
                .all(|(x, y)| x.t_days == y.t_days && x.entries.len() == y.entries.len());
        if !same_layout {
            return Err(MergeError::DifferentLayout { index });
        }
        self.add_counts(&part);
        self.shards.extend(&part.shards);
        self.shards.sort_unstable();
        Ok(())
    }

    /// Adds the counts of a summary with the same layout (another worker's
    /// chunks of the same shard, or a checked part of the same run).
    pub(crate) fn add_counts(&mut self, other: &Summary) {
        // Series are independent: merge them in parallel.
        self.series
            .par_iter_mut()
            .zip(&other.series)
            .for_each(|(mine, theirs)| {
                for (m, t) in mine.steps.iter_mut().zip(&theirs.steps) {
                    m.merge(t);
                }
            });
        for (mine, theirs) in self.farms.iter_mut().zip(&other.farms) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.cost_curves.iter_mut().zip(&other.cost_curves) {
            for (m, t) in mine.entries.iter_mut().zip(&theirs.entries) {
                m.cash_cost_per_btc_usd.merge(&t.cash_cost_per_btc_usd);
                m.online_ehs.merge(&t.online_ehs);
            }
        }
        let (mine, theirs) = (&mut self.hashrate_growth, &other.hashrate_growth);
        mine.annualised.merge(&theirs.annualised);
        for (m, t) in mine.levels.iter_mut().zip(&theirs.levels) {
            m.days.merge(&t.days);
        }
        self.paths_done += other.paths_done;
    }
}

impl Summary {
    /// An empty summary of shard `shard` of the run `identity`, recording
    /// `series` at the steps `t_days` (dated `dates`), the `farms`, when
    /// the hashrate reaches `levels_ehs` and the empty `cost_curves`.
    #[allow(clippy::too_many_arguments)]
    pub fn empty(
        identity: RunIdentity,
        shard: u32,
        scenario_name: &str,
        step_days: u32,
        t_days: Vec<u32>,
        dates: Vec<String>,
        series: &[String],
        farms: &[String],
        levels_ehs: &[f64],
        cost_curves: Vec<CostCurve>,
    ) -> Summary {
        let steps = t_days.len();
        Summary {
            identity,
            shards: vec![shard],
            paths_done: 0,
            scenario_name: scenario_name.to_string(),
            step_days,
            t_days,
            dates,
            series: series
                .iter()
                .map(|name| SeriesSummary {
                    name: name.clone(),
                    steps: vec![Distribution::default(); steps],
                })
                .collect(),
            farms: farms.iter().map(|name| FarmSummary::new(name)).collect(),
            hashrate_growth: HashrateGrowth {
                annualised: Distribution::default(),
                levels: levels_ehs
                    .iter()
                    .map(|&level_ehs| LevelReach {
                        level_ehs,
                        days: Distribution::default(),
                    })
                    .collect(),
            },
            cost_curves,
        }
    }
}
