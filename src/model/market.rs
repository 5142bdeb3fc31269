//! A region's power market as the engine sees it (model.md §4 and §5): the
//! supply stack and its scheduled additions, baseline load, tariffs, the
//! hourly spread, the political regimes, the region's own miners and the
//! data-center pipelines that queue for its capacity.
//!
//! Everything here is checked configuration; the per-path state and the
//! step live in the engine.

use serde::Serialize;

use super::datacenter::Pipeline;
use super::error::{Interval, ParamError, Rule};
use super::grid::SupplyStack;
use super::hours::HourlySpread;
use super::politics::PoliticalChain;
use super::region::{BaselineLoad, CapacityAddition};
use super::units::MW_PER_PHS_PER_J_TH;

/// Why [`MinerRequest::new`] or [`RegionalMiners::new`] refused its
/// parameters.
///
/// # Example
/// ```
/// use hashwatt::model::error::{ParamError, Rule};
/// use hashwatt::model::market::{MinerRequest, MinersError};
/// let err = MinerRequest::new(-1.0, 0.0, 0.0, f64::INFINITY).unwrap_err();
/// let want = ParamError { field: "mw", value: -1.0, rule: Rule::NonNegative };
/// assert_eq!(err, MinersError::Request(want));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MinersError {
    /// A parameter of [`MinerRequest::new`] is out of range.
    #[error("miners' request: {0}")]
    Request(ParamError),
    /// A parameter of [`RegionalMiners::new`] is out of range.
    #[error("regional miners: {0}")]
    Miners(ParamError),
}

impl MinersError {
    /// The parameter out of range.
    pub fn param(&self) -> &ParamError {
        match self {
            MinersError::Request(p) | MinersError::Miners(p) => p,
        }
    }
}

/// A region's interconnection request from miners not modelled as farms.
///
/// Built by [`MinerRequest::new`], which checks it; read through its
/// accessors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MinerRequest {
    /// MW asked for.
    pub(crate) mw: f64,
    /// Day the request enters the queue, from the scenario start.
    pub(crate) day: f64,
    /// Willingness to pay for firm capacity, USD per MW-year (auctions).
    pub(crate) bid_usd_per_mw_year: f64,
    /// Days the miners wait before giving up (the rest is denied).
    pub(crate) max_wait_days: f64,
}

impl MinerRequest {
    /// `mw` (≥ 0) asked for on `day` (finite, from the scenario start) at a
    /// bid ≥ 0 (USD per MW-year), waiting at most `max_wait_days` (≥ 0,
    /// `f64::INFINITY`: for ever).
    ///
    /// # Errors
    /// [`MinersError::Request`] naming the first parameter out of range.
    pub fn new(
        mw: f64,
        day: f64,
        bid_usd_per_mw_year: f64,
        max_wait_days: f64,
    ) -> Result<MinerRequest, MinersError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(MinersError::Request)
        };
        Ok(MinerRequest {
            mw: check("mw", mw, Rule::NonNegative)?,
            day: check("day", day, Rule::Finite)?,
            bid_usd_per_mw_year: check(
                "bid_usd_per_mw_year",
                bid_usd_per_mw_year,
                Rule::NonNegative,
            )?,
            max_wait_days: ParamError::check_non_negative_or_infinite(
                "max_wait_days",
                max_wait_days,
            )
            .map_err(MinersError::Request)?,
        })
    }

    /// MW asked for, ≥ 0.
    pub fn mw(&self) -> f64 {
        self.mw
    }

    /// Day the request enters the queue, from the scenario start.
    pub fn day(&self) -> f64 {
        self.day
    }

    /// Willingness to pay for firm capacity, USD per MW-year (≥ 0; used by
    /// auctions).
    pub fn bid_usd_per_mw_year(&self) -> f64 {
        self.bid_usd_per_mw_year
    }

    /// Days the miners wait before giving up (the rest is denied), ≥ 0;
    /// `f64::INFINITY`: for ever.
    pub fn max_wait_days(&self) -> f64 {
        self.max_wait_days
    }
}

/// The miners of a region that are not modelled farms: one efficiency
/// class, connected MW and the requests they queue.
///
/// Built by [`RegionalMiners::new`] (or [`RegionalMiners::none`]); read
/// through its accessors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionalMiners {
    /// MW connected at the start.
    pub(crate) connected_mw: f64,
    /// Fleet efficiency, J/TH.
    pub(crate) efficiency_j_per_th: f64,
    /// Power usage effectiveness, ≥ 1.
    pub(crate) pue: f64,
    /// Pool fee, in [0, 1).
    pub(crate) pool_fee: f64,
    /// Variable opex, USD/MWh.
    pub(crate) opex_usd_per_mwh: f64,
    /// Requests for more MW.
    pub(crate) requests: Vec<MinerRequest>,
}

impl RegionalMiners {
    /// Miners with `connected_mw` (≥ 0) at the start, of efficiency
    /// `efficiency_j_per_th` (> 0) and PUE in [1, 10], paying a pool fee in
    /// [0, 1) and an opex ≥ 0 (USD/MWh), queuing `requests`.
    ///
    /// # Errors
    /// [`MinersError::Miners`] naming the first parameter out of range.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::market::{MinerRequest, RegionalMiners};
    /// let requests = vec![MinerRequest::new(100.0, 30.0, 0.0, f64::INFINITY)?];
    /// let miners = RegionalMiners::new(3000.0, 22.0, 1.1, 0.02, 2.0, requests)?;
    /// assert_eq!(miners.requests().len(), 1);
    /// assert_eq!(miners.pue(), 1.1);
    /// assert!(RegionalMiners::new(3000.0, 22.0, 0.9, 0.02, 2.0, Vec::new()).is_err());
    /// # Ok::<(), hashwatt::model::market::MinersError>(())
    /// ```
    pub fn new(
        connected_mw: f64,
        efficiency_j_per_th: f64,
        pue: f64,
        pool_fee: f64,
        opex_usd_per_mwh: f64,
        requests: Vec<MinerRequest>,
    ) -> Result<RegionalMiners, MinersError> {
        let check =
            |field, value, rule| ParamError::check(field, value, rule).map_err(MinersError::Miners);
        Ok(RegionalMiners {
            connected_mw: check("connected_mw", connected_mw, Rule::NonNegative)?,
            efficiency_j_per_th: check("efficiency_j_per_th", efficiency_j_per_th, Rule::Positive)?,
            pue: check("pue", pue, Rule::Within(Interval::closed(1.0, 10.0)))?,
            pool_fee: check(
                "pool_fee",
                pool_fee,
                Rule::Within(Interval::half_open(0.0, 1.0)),
            )?,
            opex_usd_per_mwh: check("opex_usd_per_mwh", opex_usd_per_mwh, Rule::NonNegative)?,
            requests,
        })
    }

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

    /// MW connected at the start, ≥ 0.
    pub fn connected_mw(&self) -> f64 {
        self.connected_mw
    }

    /// Fleet efficiency, J/TH (> 0).
    pub fn efficiency_j_per_th(&self) -> f64 {
        self.efficiency_j_per_th
    }

    /// Cooling overhead (power usage effectiveness), in [1, 10].
    pub fn pue(&self) -> f64 {
        self.pue
    }

    /// Pool fee, share of revenue in [0, 1).
    pub fn pool_fee(&self) -> f64 {
        self.pool_fee
    }

    /// Variable opex, USD/MWh (≥ 0).
    pub fn opex_usd_per_mwh(&self) -> f64 {
        self.opex_usd_per_mwh
    }

    /// Requests for more MW, in the order given.
    pub fn requests(&self) -> &[MinerRequest] {
        &self.requests
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

/// An AI data-center pipeline placed in a region: built by the scenario
/// check (`[[datacenters]]`), read through its accessors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataCenter {
    /// Pipeline name.
    pub(crate) name: String,
    /// Capex, cost per MW, timing and load.
    pub(crate) pipeline: Pipeline,
    /// Willingness to pay for firm capacity, USD per MW-year (auctions).
    pub(crate) bid_usd_per_mw_year: f64,
}

/// One region of the grid: built by the scenario check (`[[regions]]`,
/// with the data centers and farms placed in it), read through its
/// accessors.
///
/// # Example
/// ```
/// use hashwatt::Scenario;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ai-squeeze.toml");
/// let s = Scenario::from_path(path)?;
/// let ercot = &s.regions()[0];
/// assert_eq!((ercot.name(), ercot.reserve_margin()), ("ercot", 0.13));
/// assert_eq!(ercot.datacenters()[0].bid_usd_per_mw_year(), 150_000.0);
/// assert_eq!(ercot.miners().requests()[0].max_wait_days(), 1095.0);
/// # Ok::<(), hashwatt::ScenarioError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    /// Region name (used in series names).
    pub(crate) name: String,
    /// Supply: the initial tranches, then one tranche per addition.
    pub(crate) stack: SupplyStack,
    /// Number of initial tranches at the head of `stack`.
    pub(crate) initial_tranches: usize,
    /// Scheduled additions, one per tranche after the initial ones.
    pub(crate) additions: Vec<CapacityAddition>,
    /// Baseline (non-data-center, non-mining) load.
    pub(crate) baseline: BaselineLoad,
    /// Share of firm capacity held back as reserve, in [0, 1).
    pub(crate) reserve_margin: f64,
    /// Steps between a grant and the connection (at least 1).
    pub(crate) connection_lead_steps: usize,
    /// Delivery (transmission and distribution) adder, USD/MWh.
    pub(crate) delivery_adder_usd_per_mwh: f64,
    /// Large-load adder paid by data centers and miners, USD/MWh.
    pub(crate) large_load_adder_usd_per_mwh: f64,
    /// The hourly spread of prices around the daily clearing price.
    pub(crate) hours: HourlySpread,
    /// Political regimes: allocation policy, mining adder, bans.
    pub(crate) politics: PoliticalChain,
    /// Miners that are not modelled farms.
    pub(crate) miners: RegionalMiners,
    /// Data-center pipelines queuing here.
    pub(crate) datacenters: Vec<DataCenter>,
    /// Indices of the scenario's farms that can run here: its own, then
    /// those whose migration leads here.
    pub(crate) farms: Vec<usize>,
    /// Average draw of those farms when running, MW (connected at the
    /// start, counted against the headroom).
    pub(crate) farm_mw: f64,
    /// The first `home_farms` of `farms` are the region's own; the others
    /// may move in (their migration's destination).
    pub(crate) home_farms: usize,
    /// Mean and planning-peak baseline load at each step, MW: the same on
    /// every path, so computed once.
    pub(crate) load_by_step: Vec<LoadAtStep>,
}

/// A region's baseline load at one step, before the noise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoadAtStep {
    /// Mean load, MW ([`BaselineLoad::mean_mw`]).
    pub mean_mw: f64,
    /// Peak over the coming year, MW ([`BaselineLoad::peak_mw`]).
    pub peak_mw: f64,
}

impl DataCenter {
    /// Pipeline name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Capex, cost per MW, timing and load of the pipeline.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Willingness to pay for firm capacity, USD per MW-year (≥ 0; used by
    /// auctions).
    pub fn bid_usd_per_mw_year(&self) -> f64 {
        self.bid_usd_per_mw_year
    }
}

impl Region {
    /// Region name (used in series names).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Supply: the initial tranches, then one tranche per scheduled
    /// addition.
    pub fn stack(&self) -> &SupplyStack {
        &self.stack
    }

    /// Number of initial tranches at the head of [`Region::stack`].
    pub fn initial_tranches(&self) -> usize {
        self.initial_tranches
    }

    /// Scheduled capacity additions, one per tranche after the initial
    /// ones.
    pub fn additions(&self) -> &[CapacityAddition] {
        &self.additions
    }

    /// Baseline (non-data-center, non-mining) load.
    pub fn baseline(&self) -> &BaselineLoad {
        &self.baseline
    }

    /// Share of firm capacity held back as reserve, in [0, 1).
    pub fn reserve_margin(&self) -> f64 {
        self.reserve_margin
    }

    /// Steps between a grant and the connection (at least 1).
    pub fn connection_lead_steps(&self) -> usize {
        self.connection_lead_steps
    }

    /// Delivery (transmission and distribution) adder, USD/MWh (≥ 0).
    pub fn delivery_adder_usd_per_mwh(&self) -> f64 {
        self.delivery_adder_usd_per_mwh
    }

    /// Large-load adder paid by data centers and miners, USD/MWh.
    pub fn large_load_adder_usd_per_mwh(&self) -> f64 {
        self.large_load_adder_usd_per_mwh
    }

    /// The hourly spread of prices around the daily clearing price.
    pub fn hours(&self) -> &HourlySpread {
        &self.hours
    }

    /// Political regimes: allocation policy, mining adder, bans.
    pub fn politics(&self) -> &PoliticalChain {
        &self.politics
    }

    /// Miners that are not modelled farms.
    pub fn miners(&self) -> &RegionalMiners {
        &self.miners
    }

    /// Data-center pipelines queuing here.
    pub fn datacenters(&self) -> &[DataCenter] {
        &self.datacenters
    }

    /// Indices of the scenario's farms that can run here: its own (the
    /// first [`Region::home_farms`]), then those whose migration leads
    /// here.
    pub fn farms(&self) -> &[usize] {
        &self.farms
    }

    /// Average draw of the region's own farms when running, MW (connected
    /// at the start, counted against the headroom).
    pub fn farm_mw(&self) -> f64 {
        self.farm_mw
    }

    /// Number of the region's own farms at the head of [`Region::farms`].
    pub fn home_farms(&self) -> usize {
        self.home_farms
    }

    /// Mean and planning-peak baseline load at each step, MW (the same on
    /// every path).
    pub fn load_by_step(&self) -> &[LoadAtStep] {
        &self.load_by_step
    }

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
