//! A region on one path: its queue state, the daily clearing with the
//! miners' bids and the hourly spread, and the interconnection queue
//! (model.md §2 steps 1, 4-5 and 7; §4 and §5).
//!
//! Each region's state lives in a [`RegionPath`] per path, allocated once
//! per worker and reset per chunk; the per-step buffers (merit order, bids,
//! requests) are shared by all paths of a worker in [`GridScratch`], so a
//! step allocates nothing.

use multiversion::multiversion;

use super::streams::{StreamRng, stream};
use crate::model::contract::{Adders, BidTerms, Market, PowerContract, ServedBid, StepTotals};
use crate::model::farm::{Farm, FarmStep};
use crate::model::farm_path::FarmPath;
use crate::model::grid::{Bid, InService, MeritOrder, clear};
use crate::model::market::Region;
use crate::model::politics::PoliticalRegime;
use crate::model::queue::{
    self, MinerLine, Pending, QueuePath, QueueScratch, Ring, expanding, smoothed_market_price,
};
use crate::model::region::draw_in_service_days;
use crate::scenario::Scenario;

/// Series recorded per region, in this order after the farm series.
pub(crate) const REGION_SERIES: [&str; 10] = [
    "price_usd_per_mwh",
    "load_mw",
    "capacity_mw",
    "reserve_margin_fraction",
    "ai_connected_mw",
    "ai_queued_mw",
    "miner_connected_mw",
    "miner_waiting_mw",
    "miner_denied_mw",
    "curtailed_mwh",
];

/// Index of each region series in [`REGION_SERIES`].
pub(crate) mod series {
    pub const PRICE: usize = 0;
    pub const LOAD: usize = 1;
    pub const CAPACITY: usize = 2;
    pub const RESERVE_MARGIN: usize = 3;
    pub const AI_CONNECTED: usize = 4;
    pub const AI_QUEUED: usize = 5;
    pub const MINER_CONNECTED: usize = 6;
    pub const MINER_WAITING: usize = 7;
    pub const MINER_DENIED: usize = 8;
    pub const CURTAILED: usize = 9;
}

/// Region series known after the clearing (steps 4-5).
pub(crate) const CLEAR_SERIES: [usize; 7] = [
    series::PRICE,
    series::LOAD,
    series::CAPACITY,
    series::RESERVE_MARGIN,
    series::AI_CONNECTED,
    series::MINER_CONNECTED,
    series::CURTAILED,
];

/// Region series known after the queue update (step 7).
pub(crate) const QUEUE_SERIES: [usize; 3] = [
    series::AI_QUEUED,
    series::MINER_WAITING,
    series::MINER_DENIED,
];

/// One region's state on one path.
#[derive(Debug, Clone)]
pub(crate) struct RegionPath {
    /// Index of the political regime.
    politics: usize,
    /// Day each capacity addition comes into service on this path.
    in_service: Vec<f64>,
    /// The tranches in service, as the merit order merges them, and the
    /// next day one more comes into service (∞ when none will): rebuilt on
    /// that day only, not at every step.
    supply: InService,
    supply_until: f64,
    /// The interconnection queue.
    queue: QueuePath,
    /// Firm capacity in service this step, MW (set by the clearing).
    capacity_mw: f64,
    /// Moving average of the price a fixed contract covers (mean hourly
    /// price plus delivery and large-load adders), USD/MWh: the market a
    /// renewal is priced from. NaN before the first clearing.
    market_price: f64,
    /// Regional miners running in the last clearing, MW (uptime included).
    miners_running_mw: f64,
    load_rng: StreamRng,
    politics_rng: StreamRng,
}

impl RegionPath {
    /// A region's state for a worker, sized once.
    pub(crate) fn new(region: &Region) -> Self {
        RegionPath {
            politics: region.politics.initial(),
            in_service: vec![0.0; region.additions.len()],
            supply: InService::default(),
            supply_until: f64::NEG_INFINITY,
            queue: QueuePath::new(region),
            capacity_mw: 0.0,
            market_price: f64::NAN,
            miners_running_mw: 0.0,
            load_rng: stream(0, 0, ""),
            politics_rng: stream(0, 0, ""),
        }
    }

    /// Resets the state for path `path` of `seed`, drawing the per-path
    /// parameters (addition delays, pipeline sizes) from their own streams.
    pub(crate) fn reset(&mut self, region: &Region, seed: u64, path: u64) {
        let name = &region.name;
        self.politics = region.politics.initial();
        let mut delays = stream(seed, path, &format!("region.{name}.additions"));
        draw_in_service_days(&region.additions, &mut delays, &mut self.in_service);
        self.supply_until = f64::NEG_INFINITY;
        let pipelines = self.queue.pipeline_mw_mut();
        for (mw, dc) in pipelines.iter_mut().zip(&region.datacenters) {
            let mut rng = stream(seed, path, &format!("datacenter.{}", dc.name));
            *mw = dc.pipeline.draw_mw(&mut rng);
        }
        self.queue.reset(region);
        self.market_price = f64::NAN;
        self.miners_running_mw = 0.0;
        self.load_rng = stream(seed, path, &format!("region.{name}.load"));
        self.politics_rng = stream(seed, path, &format!("region.{name}.politics"));
    }
}

impl RegionPath {
    /// The tranches in service on `day`, rebuilt when an addition has come
    /// into service since the last build.
    #[inline]
    fn supply_on(&mut self, region: &Region, day: f64) -> &InService {
        if day >= self.supply_until {
            let (first, in_service) = (region.initial_tranches, &self.in_service);
            let available = |i: usize| i < first || in_service[i - first] <= day;
            region.stack.in_service(available, &mut self.supply);
            // NaN days never come: `d > day` is false for them.
            self.supply_until = in_service
                .iter()
                .filter(|&&d| d > day)
                .fold(f64::INFINITY, |a, &d| a.min(d));
        }
        &self.supply
    }

    /// The market price a fixed contract renews from, USD/MWh: the mean
    /// hourly price plus delivery and large-load adders, averaged over
    /// about [`MARKET_WINDOW_DAYS`](crate::model::queue::MARKET_WINDOW_DAYS) (exponentially).
    pub(crate) fn market_price(&self) -> f64 {
        self.market_price
    }

    /// How tight the region was at the last queue update, in [0, 1]
    /// ([`QueuePath::tightness`]).
    pub(crate) fn tightness(&self) -> f64 {
        self.queue.tightness()
    }

    /// Regional miners running in the last clearing, MW.
    pub(crate) fn miners_running_mw(&self) -> f64 {
        self.miners_running_mw
    }

    /// Whether the political regime in force bans mining.
    pub(crate) fn mining_banned(&self, region: &Region) -> bool {
        region.politics.regimes()[self.politics].mining_banned
    }

    /// A farm of `mw` (and its expansion's `expansion_mw`) moved away:
    /// their power is free for others.
    pub(crate) fn release(&mut self, mw: f64, expansion_mw: f64) {
        self.queue.release(mw, expansion_mw);
    }
}

/// The lead-time rings of every region for the paths of a chunk: grants
/// waiting for their connection, the data centers' in one slot per step of
/// lead time, the miners' (rare) on a line per path and region. Stored
/// region by region, slot by slot, path by path: the paths of a group step
/// together and so touch neighbouring memory (a ring per path would miss
/// the cache on every step).
#[derive(Debug, Clone)]
pub(crate) struct Rings {
    data: Vec<Pending>,
    /// Miner grants, region by region, path by path.
    miners: Vec<MinerLine>,
    /// Where each region's slots start in `data`.
    start: Vec<usize>,
    /// Slots (lead steps) of each region.
    lead: Vec<usize>,
    /// Paths per slot.
    paths: usize,
}

impl Rings {
    /// Rings for `paths` paths of `scenario`.
    pub(crate) fn new(scenario: &Scenario, paths: usize) -> Self {
        let lead: Vec<usize> = scenario
            .regions()
            .iter()
            .map(|r| r.connection_lead_steps)
            .collect();
        let mut start = Vec::with_capacity(lead.len());
        let mut total = 0;
        for l in &lead {
            start.push(total);
            total += l * paths;
        }
        Rings {
            data: vec![Pending::default(); total],
            miners: vec![MinerLine::default(); lead.len() * paths],
            start,
            lead,
            paths,
        }
    }

    /// Empties every ring.
    pub(crate) fn reset(&mut self) {
        self.data.fill(Pending::default());
        self.miners.iter_mut().for_each(MinerLine::clear);
    }

    /// The ring of region `region` for path `path` (of the chunk).
    pub(crate) fn of(&mut self, region: usize, path: usize) -> Ring<'_> {
        let miners = &mut self.miners[region * self.paths + path];
        Ring::new(
            (&mut self.data, self.start[region] + path),
            self.lead[region],
            self.paths,
            miners,
        )
    }
}

/// Per-worker buffers for one step of any region.
#[derive(Debug, Default)]
pub(crate) struct GridScratch {
    order: MeritOrder,
    bids: Vec<Bid>,
    served: Vec<f64>,
    clear_order: Vec<usize>,
    queue: QueueScratch,
    /// The step's machine models, J/TH (for the CBECI-style estimate).
    pub(crate) models: Vec<f64>,
}

/// Step 1: the region's political regime for the step from `day`.
pub(crate) fn step_politics(region: &Region, state: &mut RegionPath, day: f64, step_days: f64) {
    state.politics = region
        .politics
        .step(state.politics, day, step_days, &mut state.politics_rng);
}

/// What one region's clearing gives the rest of the step.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cleared {
    /// Hashrate of the regional miners, PH/s.
    pub miners_phs: f64,
}

/// Steps 4-5: the day's load, the clearing with the miners' bids, the
/// hourly outcome of every bid under each farm's contract in force
/// (`contracts[f]` in state `contract_states[f]`, or the index contract of
/// a farm that moved); writes the step of this region's farms into
/// `farms[f].current` (indexed by scenario farm) and the region's
/// [`CLEAR_SERIES`] into `out` (in [`REGION_SERIES`] order).
// Not inlined: a region's step is long, and inlined into the path step it
// would crowd the core's small functions (normal draws, Φ) out of inlining.
// So it has its own copy per instruction set (engine/kernel.rs): the hours'
// normal CDFs want FMA.
#[multiversion(targets("x86_64+avx2+fma+bmi1+bmi2+lzcnt+movbe+f16c"))]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn clear_region<C: PowerContract>(
    scenario: &Scenario,
    (contracts, contract_states): (&[C], &[C::State]),
    (r, region): (usize, &Region),
    state: &mut RegionPath,
    scratch: &mut GridScratch,
    step: usize,
    hashprice: f64,
    fuel_scale: f64,
    farms: &mut [FarmPath],
    out: &mut [f64; 10],
) -> Cleared {
    let days = f64::from(scenario.step_days());
    let day = days * step as f64;
    let regime = &region.politics.regimes()[state.politics];
    let supply = state.supply_on(region, day);
    region
        .stack
        .merit_order_in(supply, fuel_scale, &mut scratch.order);
    let capacity = scratch.order.capacity();
    state.capacity_mw = capacity;
    let at = &region.load_by_step[step];
    let baseline = region.baseline.noisy_mw(at.mean_mw, &mut state.load_rng);
    let inflexible = baseline + state.queue.ai_firm_load_mw();
    let mining_adder = regime.mining_adder_usd_per_mwh;
    let adders = Adders {
        all: region.large_load_adders() + mining_adder,
        mining: mining_adder,
    };
    build_bids(
        scenario,
        (contracts, contract_states),
        region,
        state,
        regime,
        hashprice,
        adders,
        (farms, r),
        day,
        scratch,
    );
    let cleared = clear(
        &scratch.order,
        inflexible,
        &scratch.bids,
        &mut scratch.served,
        &mut scratch.clear_order,
    );
    let price = cleared.price;
    // The day's terms (ln P_d, the normal hours at the cap, the mean price)
    // once, for the mean price, the miners' uptime and every farm's bids.
    let day_hours = region.hours.at_daily_price(price);
    let hours = &day_hours;
    let market = hours.mean_price(price) + region.large_load_adders();
    state.market_price = smoothed_market_price(state.market_price, market, days);
    let (bids, served) = (&scratch.bids, &scratch.served);
    // Regional miners: bid 0.
    let mut miner_load = 0.0;
    let mut miners_phs = 0.0;
    state.miners_running_mw = 0.0;
    if served[0] > 0.0 {
        let uptime = served[0] / bids[0].mw * hours.uptime(price, bids[0].price.max(0.0));
        miner_load += bids[0].mw * uptime;
        state.miners_running_mw = bids[0].mw * uptime;
        miners_phs = bids[0].mw * uptime * region.miners.phs_per_mw();
    }
    // Farms' lots: bids 1 ..
    let mut k = 1;
    for &f in &region.farms {
        let farm = &scenario.farms()[f];
        if !farms[f].located_in(farm, r) {
            // Its bids here were empty; it runs (or not) elsewhere.
            k += bid_count(farm);
            continue;
        }
        let terms = Terms {
            day,
            days,
            expansion_mw: farms[f].expansion.connected_mw,
        };
        let at = (k, &bids[..], &served[..]);
        let market = Market {
            hours,
            daily_usd_per_mwh: price,
            adders,
        };
        let (step, next) = match farms[f].moved_contract(farm) {
            Some(index) => farm_step(farm, (&index, &()), at, &market, terms),
            None => farm_step(
                farm,
                (&contracts[f], &contract_states[f]),
                at,
                &market,
                terms,
            ),
        };
        // An insolvent farm bid nothing and settles nothing.
        farms[f].current = if farms[f].solvent() {
            step
        } else {
            FarmStep::default()
        };
        miner_load += farms[f].current.energy_mwh / (24.0 * days);
        k = next;
    }
    // Curtailable data-center load: the last bid, at the cap.
    let ai_curtailable_served = served[k];
    let curtailed_mw = cleared.curtailed_mw + (bids[k].mw - ai_curtailable_served);
    let load = cleared.inflexible_served_mw + ai_curtailable_served + miner_load;
    out[series::PRICE] = price;
    out[series::LOAD] = load;
    out[series::CAPACITY] = capacity;
    out[series::RESERVE_MARGIN] = if load > 0.0 {
        (capacity - load) / load
    } else {
        0.0
    };
    out[series::AI_CONNECTED] = state.queue.ai_rated_mw();
    let expansions: f64 = expanding(scenario.farms(), region)
        .map(|(f, _)| farms[f].expansion.connected_mw)
        .sum();
    let farms_mw = state.queue.farms_mw(region, expansions);
    out[series::MINER_CONNECTED] = state.queue.miners_online_mw() + farms_mw;
    out[series::CURTAILED] = curtailed_mw * 24.0 * days;
    Cleared { miners_phs }
}

/// When a farm runs this step, and with what.
#[derive(Debug, Clone, Copy)]
struct Terms {
    /// First day of the step and its length, days.
    day: f64,
    days: f64,
    /// Grid MW of the farm's expansion connected.
    expansion_mw: f64,
}

/// Bids of a farm in a region: one per lot, one for its expansion.
fn bid_count(farm: &Farm) -> usize {
    farm.fleet.len() + usize::from(farm.expansion.is_some())
}

/// A farm's step from its lots' bids `first..` of `bids` as the clearing
/// `served` them (returns the bid after its last lot): hours run, energy,
/// power cost and credits under the contract in force, in its state.
#[inline]
fn farm_step<K: PowerContract>(
    farm: &Farm,
    (contract, state): (&K, &K::State),
    (first, bids, served): (usize, &[Bid], &[f64]),
    market: &Market<'_>,
    terms: Terms,
) -> (FarmStep, usize) {
    let days = terms.days;
    let mut step = FarmStep::default();
    let mut totals = StepTotals::default();
    let mut k = first;
    // The lots (in service or not), then the expansion (one bid).
    let lots = farm
        .fleet
        .iter()
        .map(|lot| (lot.in_service(terms.day), farm.lot_mw(lot), lot.phs()));
    let expansion = farm.expansion.iter().map(|e| {
        let mw = terms.expansion_mw;
        (mw > 0.0, mw, mw * e.phs_per_mw(farm.pue, farm.availability))
    });
    for (in_service, mw, phs) in lots.chain(expansion) {
        if !in_service {
            k += 1;
            continue;
        }
        totals.mw_in_service += mw;
        let energy_days = mw * 24.0 * days;
        step.phs_in_service += phs;
        let bid = bids[k];
        let s = if bid.mw > 0.0 {
            served[k] / bid.mw
        } else {
            0.0
        };
        let lot_bid = ServedBid {
            mw,
            energy_days,
            served: s,
            bid_usd_per_mwh: bid.price,
        };
        let run = contract.serve(state, &lot_bid, market, &mut totals);
        step.energy_mwh += energy_days * run;
        step.online_phs += phs * farm.availability * run;
        step.uptime += phs * run;
        k += 1;
    }
    step.power_cost_usd = totals.power_cost_usd;
    step.credits_usd = totals.credits_usd;
    step.finish_uptime();
    step.price_usd_per_mwh = contract.paid_price(state, market, &totals, step.energy_mwh);
    (step, k)
}

/// The bids of a step, in the order [regional miners, each farm's lots,
/// curtailable data-center load]. Banned miners bid nothing; each farm's
/// lots bid as its contract in force says.
#[allow(clippy::too_many_arguments)]
fn build_bids<C: PowerContract>(
    scenario: &Scenario,
    (contracts, contract_states): (&[C], &[C::State]),
    region: &Region,
    state: &RegionPath,
    regime: &PoliticalRegime,
    hashprice: f64,
    adders: Adders,
    (farms, r): (&[FarmPath], usize),
    day: f64,
    scratch: &mut GridScratch,
) {
    let cap = region.stack.scarcity_cap();
    let banned = regime.mining_banned;
    let bids = &mut scratch.bids;
    bids.clear();
    let miners = &region.miners;
    bids.push(Bid {
        mw: if banned {
            0.0
        } else {
            state.queue.miners_online_mw()
        },
        price: miners.value_usd_per_mwh(hashprice) - adders.all,
    });
    let terms = BidTerms {
        adders,
        cap_usd_per_mwh: cap,
    };
    for &f in &region.farms {
        let farm = &scenario.farms()[f];
        // Insolvent farms, farms elsewhere and lots out of service bid
        // nothing.
        let bidding = farms[f].solvent() && !banned && farms[f].located_in(farm, r);
        let lots = FarmLots {
            farm,
            expansion_mw: farms[f].expansion.connected_mw,
            bidding,
            hashprice,
            day,
        };
        match farms[f].moved_contract(farm) {
            Some(index) => lots.bid((&index, &()), &terms, bids),
            None => lots.bid((&contracts[f], &contract_states[f]), &terms, bids),
        }
    }
    bids.push(Bid {
        mw: state.queue.ai_curtailable_load_mw(),
        price: cap,
    });
    scratch.served.resize(bids.len(), 0.0);
}

/// A farm's lots and expansion as they bid in a step.
struct FarmLots<'a> {
    farm: &'a Farm,
    /// Grid MW of its expansion connected.
    expansion_mw: f64,
    /// Whether it bids at all (solvent, here, not banned).
    bidding: bool,
    hashprice: f64,
    day: f64,
}

impl FarmLots<'_> {
    /// Pushes one bid per lot, then one for the expansion, under the
    /// contract in force.
    #[inline]
    fn bid<K: PowerContract>(
        &self,
        (contract, state): (&K, &K::State),
        terms: &BidTerms,
        bids: &mut Vec<Bid>,
    ) {
        let farm = self.farm;
        // The lots, then the expansion (one bid): (J/TH, MW if in service).
        let lots = farm.fleet.iter().map(|lot| {
            let mw = if lot.in_service(self.day) {
                farm.lot_mw(lot)
            } else {
                0.0
            };
            (lot.efficiency_j_per_th, mw)
        });
        let expansion = farm
            .expansion
            .iter()
            .map(|e| (e.efficiency_j_per_th, self.expansion_mw));
        for (efficiency, mw) in lots.chain(expansion) {
            let value = farm.value_usd_per_mwh(efficiency, self.hashprice);
            let (runs, price) = contract.bid(state, value, terms);
            bids.push(Bid {
                mw: if runs && self.bidding { mw } else { 0.0 },
                price,
            });
        }
    }
}

/// Step 7: queue and connections ([`queue::update`]); writes the
/// [`QUEUE_SERIES`].
#[inline(never)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn update_queue(
    scenario: &Scenario,
    region: &Region,
    state: &mut RegionPath,
    farms: &mut [FarmPath],
    ring: Ring<'_>,
    scratch: &mut GridScratch,
    step: usize,
    day: f64,
    out: &mut [f64; 10],
) {
    let regime = &region.politics.regimes()[state.politics];
    let peak = region.load_by_step[step].peak_mw;
    let queued = queue::update(
        (scenario.farms(), region),
        regime,
        &mut state.queue,
        (state.capacity_mw, peak),
        farms,
        ring,
        &mut scratch.queue,
        (step, day),
    );
    out[series::AI_QUEUED] = queued.ai_queued_mw;
    out[series::MINER_WAITING] = queued.miners_waiting_mw;
    out[series::MINER_DENIED] = queued.miners_denied_mw;
}
