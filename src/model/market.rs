//! A region's power market as the engine sees it (model.md §4 and §5): the
//! supply stack and its scheduled additions, baseline load, tariffs, the
//! hourly spread, the political regimes, the region's own miners and the
//! data-center pipelines that queue for its capacity.
//!
//! Everything here is checked configuration; the per-path state and the
//! step live in the engine.

use serde::Serialize;

use super::datacenter::Pipeline;
use super::grid::SupplyStack;
use super::hours::HourlySpread;
use super::politics::PoliticalChain;
use super::region::{BaselineLoad, CapacityAddition};
use super::units::MW_PER_PHS_PER_J_TH;

/// A region's interconnection request from miners not modelled as farms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MinerRequest {
    /// MW asked for.
    pub mw: f64,
    /// Day the request enters the queue, from the scenario start.
    pub day: f64,
    /// Willingness to pay for firm capacity, USD per MW-year (auctions).
    pub bid_usd_per_mw_year: f64,
    /// Days the miners wait before giving up (the rest is denied).
    pub max_wait_days: f64,
}

/// The miners of a region that are not modelled farms: one efficiency
/// class, connected MW and the requests they queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionalMiners {
    /// MW connected at the start.
    pub connected_mw: f64,
    /// Fleet efficiency, J/TH.
    pub efficiency_j_per_th: f64,
    /// Power usage effectiveness, ≥ 1.
    pub pue: f64,
    /// Pool fee, in [0, 1).
    pub pool_fee: f64,
    /// Variable opex, USD/MWh.
    pub opex_usd_per_mwh: f64,
    /// Requests for more MW.
    pub requests: Vec<MinerRequest>,
}

impl RegionalMiners {
    /// No miners.
    pub fn none() -> Self {
        RegionalMiners {
            connected_mw: 0.0,
            efficiency_j_per_th: 20.0,
            pue: 1.0,
            pool_fee: 0.0,
            opex_usd_per_mwh: 0.0,
            requests: Vec::new(),
        }
    }

    /// PH/s hashed per MW drawn.
    pub fn phs_per_mw(&self) -> f64 {
        1.0 / (MW_PER_PHS_PER_J_TH * self.efficiency_j_per_th * self.pue)
    }

    /// What one MWh is worth to these miners at hashprice `HP` (USD per
    /// PH/s per day), net of pool fee and opex: their bid, USD/MWh.
    pub fn value_usd_per_mwh(&self, hashprice: f64) -> f64 {
        hashprice * (1.0 - self.pool_fee) * self.phs_per_mw() / 24.0 - self.opex_usd_per_mwh
    }
}

/// An AI data-center pipeline placed in a region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataCenter {
    /// Pipeline name.
    pub name: String,
    /// Capex, cost per MW, timing and load.
    pub pipeline: Pipeline,
    /// Willingness to pay for firm capacity, USD per MW-year (auctions).
    pub bid_usd_per_mw_year: f64,
}

/// One region of the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    /// Region name (used in series names).
    pub name: String,
    /// Supply: the initial tranches, then one tranche per addition.
    pub stack: SupplyStack,
    /// Number of initial tranches at the head of `stack`.
    pub initial_tranches: usize,
    /// Scheduled additions, one per tranche after the initial ones.
    pub additions: Vec<CapacityAddition>,
    /// Baseline (non-data-center, non-mining) load.
    pub baseline: BaselineLoad,
    /// Share of firm capacity held back as reserve, in [0, 1).
    pub reserve_margin: f64,
    /// Steps between a grant and the connection (at least 1).
    pub connection_lead_steps: usize,
    /// Delivery (transmission and distribution) adder, USD/MWh.
    pub delivery_adder_usd_per_mwh: f64,
    /// Large-load adder paid by data centers and miners, USD/MWh.
    pub large_load_adder_usd_per_mwh: f64,
    /// The hourly spread of prices around the daily clearing price.
    pub hours: HourlySpread,
    /// Political regimes: allocation policy, mining adder, bans.
    pub politics: PoliticalChain,
    /// Miners that are not modelled farms.
    pub miners: RegionalMiners,
    /// Data-center pipelines queuing here.
    pub datacenters: Vec<DataCenter>,
    /// Indices of the scenario's farms that can run here: its own, then
    /// those whose migration leads here.
    pub farms: Vec<usize>,
    /// Average draw of those farms when running, MW (connected at the
    /// start, counted against the headroom).
    pub farm_mw: f64,
    /// The first `home_farms` of `farms` are the region's own; the others
    /// may move in (their migration's destination).
    pub home_farms: usize,
    /// Mean and planning-peak baseline load at each step, MW: the same on
    /// every path, so computed once.
    pub load_by_step: Vec<LoadAtStep>,
}

/// A region's baseline load at one step, before the noise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoadAtStep {
    /// Mean load, MW ([`BaselineLoad::mean_mw`]).
    pub mean_mw: f64,
    /// Peak over the coming year, MW ([`BaselineLoad::peak_mw`]).
    pub peak_mw: f64,
}

impl Region {
    /// Initial firm capacity, MW (the additions come later, path by path).
    pub fn initial_capacity_mw(&self) -> f64 {
        self.stack.tranches()[..self.initial_tranches]
            .iter()
            .map(|t| t.mw)
            .sum()
    }

    /// The baseline at steps `0..steps` of `step_days` days.
    pub fn load_profile(baseline: &BaselineLoad, steps: usize, step_days: u32) -> Vec<LoadAtStep> {
        (0..steps)
            .map(|t| {
                let day = f64::from(step_days) * t as f64;
                LoadAtStep {
                    mean_mw: baseline.mean_mw(day),
                    peak_mw: baseline.peak_mw(day),
                }
            })
            .collect()
    }

    /// Adders every large load pays on top of the wholesale price, USD/MWh.
    pub fn large_load_adders(&self) -> f64 {
        self.delivery_adder_usd_per_mwh + self.large_load_adder_usd_per_mwh
    }
}
