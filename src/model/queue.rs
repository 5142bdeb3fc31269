//! The interconnection queue (model.md §5): the headroom a region can
//! grant new large loads, how tight that leaves it, which requests are
//! still waiting, the smoothed market price a renewal is priced from, and
//! the queue's state on one path ([`QueuePath`]): what each requester was
//! granted and refused, the grants in their lead time, bans and miners
//! giving up. The policies that share the headroom are in
//! [`allocation`](super::allocation).
//!
//! Each step (model.md §2, step 7), in this order: a ban refuses every
//! miner; the open requests queue; the headroom
//! `C(t)·(1 − reserve) − peak baseline − connected and granted large loads`
//! is shared under the regime's policy; a grant of step `s` connects for
//! step `s + L` (the region's lead time in steps); miners who waited longer
//! than they would are refused the rest.

use std::collections::VecDeque;

use super::allocation::{Allocator, Request, Requester};
use super::expansion::Expansion;
use super::farm::Farm;
use super::farm_path::FarmPath;
use super::market::{DataCenter, Region};
use super::politics::PoliticalRegime;

/// Window of the market price a renewal is priced from, days.
pub const MARKET_WINDOW_DAYS: f64 = 30.0;

/// The headroom for new large loads, MW:
/// `C(t)·(1 − reserve) − peak baseline − connected and granted large loads`
/// (negative when the region is over-committed).
///
/// # Example
/// ```
/// use hashwatt::model::queue::headroom_mw;
/// // 10 GW with a 15 % reserve, an 8 GW peak and 300 MW committed.
/// assert_eq!(headroom_mw(10_000.0, 0.15, 8_000.0, 300.0), 200.0);
/// ```
#[inline]
pub fn headroom_mw(capacity_mw: f64, reserve_margin: f64, peak_mw: f64, reserved_mw: f64) -> f64 {
    capacity_mw * (1.0 - reserve_margin) - peak_mw - reserved_mw
}

/// Tightness in [0, 1] from the headroom `left` after the step's grants
/// and the reserve's share of capacity `reserve_mw`: 1 with no headroom,
/// 0 once the headroom is a reserve's worth again, linear between.
///
/// # Example
/// ```
/// use hashwatt::model::queue::tightness;
/// assert_eq!(tightness(-5.0, 100.0), 1.0);
/// assert_eq!(tightness(25.0, 100.0), 0.75);
/// assert_eq!(tightness(150.0, 100.0), 0.0);
/// ```
#[inline]
pub fn tightness(left: f64, reserve_mw: f64) -> f64 {
    if left <= 0.0 {
        1.0
    } else if left >= reserve_mw {
        0.0
    } else {
        1.0 - left / reserve_mw
    }
}

/// Whether a request made on `request_day` for `mw`, of which `granted`
/// and `refused` MW are settled, is in the queue on `day`.
#[inline]
pub fn is_open(request_day: f64, day: f64, mw: f64, granted: f64, refused: f64) -> bool {
    request_day <= day && mw - granted - refused > 0.0
}

/// The market price a renewal is priced from after a step of `days` days
/// at mean price `market` (USD/MWh): an exponential average over about
/// [`MARKET_WINDOW_DAYS`] of the step's prices, starting at the first
/// (`previous` NaN).
///
/// # Example
/// ```
/// use hashwatt::model::queue::smoothed_market_price;
/// assert_eq!(smoothed_market_price(f64::NAN, 40.0, 1.0), 40.0);
/// assert_eq!(smoothed_market_price(40.0, 70.0, 3.0), 43.0);
/// assert_eq!(smoothed_market_price(40.0, 70.0, 60.0), 70.0);
/// ```
#[inline]
pub fn smoothed_market_price(previous: f64, market: f64, days: f64) -> f64 {
    if previous.is_nan() {
        market
    } else {
        let weight = (days / MARKET_WINDOW_DAYS).min(1.0);
        previous + weight * (market - previous)
    }
}

/// Data-center grants on their way to connection (one slot of a
/// lead-time ring), or the data-center load connected.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Pending {
    /// Data-center load that cannot be curtailed, MW.
    ai_firm_load: f64,
    /// Data-center load that accepts curtailment, MW.
    ai_curtailable_load: f64,
    /// Data-center rating, MW.
    ai_rated: f64,
}

/// One path's miner grants in their lead time, a delay line of `lead`
/// steps holding only the steps that granted miners anything (rare: a
/// dense slot per step would cost 8 bytes a step of lead time on every
/// path, 10 MB per worker for 1 000 paths of `operator`). A step without
/// miner grants brings +0, as a dense slot of zeros would.
#[derive(Debug, Clone)]
pub(crate) struct MinerLine {
    /// The step whose grant arrives next (`usize::MAX` when none waits),
    /// kept beside the line so that a step with nothing due reads only it.
    due: usize,
    /// Miner grants of the last `lead` steps, oldest first, with the step
    /// they were granted. Its memory grows to the high-water mark in a
    /// worker's first chunks and is kept.
    waiting: VecDeque<(usize, f64)>,
}

impl Default for MinerLine {
    fn default() -> Self {
        MinerLine {
            due: usize::MAX,
            waiting: VecDeque::new(),
        }
    }
}

impl MinerLine {
    /// Empties the line, keeping its memory.
    pub(crate) fn clear(&mut self) {
        self.due = usize::MAX;
        self.waiting.clear();
    }

    /// Puts the miner MW granted at `step` on the line and takes those of
    /// step `step + 1 − lead`, which connect now.
    fn rotate(&mut self, lead: usize, step: usize, mw: f64) -> f64 {
        // Grants are sums of non-negative MW from +0: nothing granted is
        // exactly +0.
        if mw != 0.0 {
            if self.waiting.is_empty() {
                self.due = step + lead - 1;
            }
            self.waiting.push_back((step, mw));
        }
        if self.due != step {
            return 0.0;
        }
        let arrived = self.waiting.pop_front().map_or(0.0, |(_, mw)| mw);
        self.due = self
            .waiting
            .front()
            .map_or(usize::MAX, |&(s, _)| s + lead - 1);
        arrived
    }
}

/// One path's lead-time ring: the data-center grants of the last `lead`
/// steps, slot `s mod lead` for step `s`, each slot `stride` apart in the
/// storage the caller lays out (the engine interleaves the paths of a
/// chunk), and the path's miner grants on their line.
pub(crate) struct Ring<'a> {
    data: &'a mut [Pending],
    at: usize,
    lead: usize,
    stride: usize,
    miners: &'a mut MinerLine,
}

impl<'a> Ring<'a> {
    /// The ring of `lead` slots starting at `data[at]`, `stride` apart,
    /// with the miner line `miners`.
    pub(crate) fn new(
        (data, at): (&'a mut [Pending], usize),
        lead: usize,
        stride: usize,
        miners: &'a mut MinerLine,
    ) -> Self {
        Ring {
            data,
            at,
            lead,
            stride,
            miners,
        }
    }

    /// Puts the grants of step `step` in their slot and takes those of
    /// step `step + 1 − lead`, which connect now (one division, not two):
    /// the data centers' and the miners' MW.
    fn rotate(&mut self, step: usize, grant: Pending, miners_mw: f64) -> (Pending, f64) {
        let slot = step % self.lead;
        let next = if slot + 1 == self.lead { 0 } else { slot + 1 };
        self.data[self.at + slot * self.stride] = grant;
        let ai = std::mem::take(&mut self.data[self.at + next * self.stride]);
        (ai, self.miners.rotate(self.lead, step, miners_mw))
    }
}

/// Buffers of one step's queue, reused by every path of a worker.
#[derive(Debug, Default)]
pub(crate) struct QueueScratch {
    requests: Vec<Request>,
    granted: Vec<f64>,
    allocator: Allocator,
}

/// What the queue reports after a step, MW.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueueStep {
    /// Data-center MW requested so far and not granted.
    pub ai_queued_mw: f64,
    /// Miner MW requested so far, neither granted nor refused.
    pub miners_waiting_mw: f64,
    /// Miner MW denied so far: refused requests and miners banned out.
    pub miners_denied_mw: f64,
}

/// A region's interconnection queue on one path.
#[derive(Debug, Clone)]
pub(crate) struct QueuePath {
    /// MW each pipeline requests in all on this path (drawn per path).
    dc_total_mw: Vec<f64>,
    /// Rating granted to each pipeline so far, MW.
    dc_granted: Vec<f64>,
    /// MW granted to each miner request so far.
    miner_granted: Vec<f64>,
    /// MW of each miner request denied (given up or banned).
    miner_refused: Vec<f64>,
    /// Connected data-center load and rating, MW.
    ai: Pending,
    /// Rating granted to all pipelines so far, MW.
    dc_granted_total: f64,
    /// Regional miners connected or granted, MW (what headroom counts).
    miners_reserved_mw: f64,
    /// Regional miners connected, MW.
    miners_online_mw: f64,
    /// MW of miners denied so far: refused requests and miners banned out.
    miners_denied_mw: f64,
    /// How tight the queue was at the last update, in [0, 1].
    tightness: f64,
    /// MW granted to farms' expansions so far (what headroom counts).
    expansion_reserved_mw: f64,
    /// MW of the region's own farms that moved away (headroom freed).
    released_mw: f64,
    /// MW granted to farms moving in.
    migrants_mw: f64,
}

impl QueuePath {
    /// The queue of `region` at the start of a path, sized once; the
    /// pipelines' sizes are set by [`QueuePath::pipeline_mw_mut`].
    pub(crate) fn new(region: &Region) -> Self {
        QueuePath {
            dc_total_mw: vec![0.0; region.datacenters.len()],
            dc_granted: vec![0.0; region.datacenters.len()],
            miner_granted: vec![0.0; region.miners.requests.len()],
            miner_refused: vec![0.0; region.miners.requests.len()],
            ai: Pending::default(),
            dc_granted_total: 0.0,
            miners_reserved_mw: region.miners.connected_mw,
            miners_online_mw: region.miners.connected_mw,
            miners_denied_mw: 0.0,
            tightness: 0.0,
            expansion_reserved_mw: 0.0,
            released_mw: 0.0,
            migrants_mw: 0.0,
        }
    }

    /// Back to the start of a path, keeping the buffers.
    pub(crate) fn reset(&mut self, region: &Region) {
        self.dc_granted.fill(0.0);
        self.miner_granted.fill(0.0);
        self.miner_refused.fill(0.0);
        self.ai = Pending::default();
        self.dc_granted_total = 0.0;
        self.miners_reserved_mw = region.miners.connected_mw;
        self.miners_online_mw = region.miners.connected_mw;
        self.miners_denied_mw = 0.0;
        self.tightness = 0.0;
        self.expansion_reserved_mw = 0.0;
        self.released_mw = 0.0;
        self.migrants_mw = 0.0;
    }

    /// The MW each pipeline requests in all on this path, to be drawn.
    pub(crate) fn pipeline_mw_mut(&mut self) -> &mut [f64] {
        &mut self.dc_total_mw
    }

    /// How tight the region was at the last update, in [0, 1]: 1 when no
    /// headroom is left for new large loads, 0 when the headroom is at
    /// least the reserve margin's share of capacity again, linear between.
    #[inline]
    pub(crate) fn tightness(&self) -> f64 {
        self.tightness
    }

    /// Connected data-center load that cannot be curtailed, MW.
    #[inline]
    pub(crate) fn ai_firm_load_mw(&self) -> f64 {
        self.ai.ai_firm_load
    }

    /// Connected data-center load that accepts curtailment, MW.
    #[inline]
    pub(crate) fn ai_curtailable_load_mw(&self) -> f64 {
        self.ai.ai_curtailable_load
    }

    /// Connected data-center rating, MW.
    #[inline]
    pub(crate) fn ai_rated_mw(&self) -> f64 {
        self.ai.ai_rated
    }

    /// Regional miners connected, MW.
    #[inline]
    pub(crate) fn miners_online_mw(&self) -> f64 {
        self.miners_online_mw
    }

    /// The MW of the region's modelled farms connected: its own (less those
    /// that moved away, plus their expansions' `expansion_mw`) and those
    /// that moved in.
    #[inline]
    pub(crate) fn farms_mw(&self, region: &Region, expansion_mw: f64) -> f64 {
        region.farm_mw - self.released_mw + expansion_mw + self.migrants_mw
    }

    /// A farm of `mw` (and its expansion's `expansion_mw`) moved away:
    /// their power is free for others.
    pub(crate) fn release(&mut self, mw: f64, expansion_mw: f64) {
        self.released_mw += mw;
        self.expansion_reserved_mw -= expansion_mw;
    }

    /// Connected and granted large loads, MW: what the headroom subtracts.
    fn reserved_mw(&self, region: &Region) -> f64 {
        self.dc_granted_total
            + self.miners_reserved_mw
            + (region.farm_mw - self.released_mw)
            + self.expansion_reserved_mw
            + self.migrants_mw
    }

    /// MW of miner request `q` neither granted nor refused.
    #[inline]
    fn miner_left(&self, q: usize, mw: f64) -> f64 {
        mw - self.miner_granted[q] - self.miner_refused[q]
    }
}

/// The farms that may move into the region (scenario index).
fn moving_in(region: &Region) -> &[usize] {
    &region.farms[region.home_farms..]
}

/// The region's own farms that expand (index in `farms`), with their
/// expansion.
pub(crate) fn expanding<'a>(
    farms: &'a [Farm],
    region: &'a Region,
) -> impl Iterator<Item = (usize, &'a Expansion)> + 'a {
    region.farms[..region.home_farms]
        .iter()
        .filter_map(|&f| farms[f].expansion.as_ref().map(|e| (f, e)))
}

/// Step 7 on one path: queue and connections of `region` (the scenario's
/// `farms`, their states `paths`), on `day`, step `step`, under `regime`,
/// with `capacity_mw` firm capacity in service and a peak baseline of
/// `peak_mw`. Grants the headroom under the regime's policy, moves the
/// grants into the lead-time `ring` and connects the grants whose lead time
/// is over; refuses miners who waited too long, and every miner under a
/// ban.
#[allow(clippy::too_many_arguments)]
pub(crate) fn update(
    (farms, region): (&[Farm], &Region),
    regime: &PoliticalRegime,
    state: &mut QueuePath,
    (capacity_mw, peak_mw): (f64, f64),
    paths: &mut [FarmPath],
    mut ring: Ring<'_>,
    scratch: &mut QueueScratch,
    (step, day): (usize, f64),
) -> QueueStep {
    if regime.mining_banned {
        ban_miners(region, state, &mut ring, day);
        for (farm, e) in expanding(farms, region) {
            paths[farm].expansion.withdraw(e, day, true);
        }
    }
    let reserved = state.reserved_mw(region);
    let headroom = headroom_mw(capacity_mw, region.reserve_margin, peak_mw, reserved);
    let n_dc = region.datacenters.len();
    let mut grant = Pending::default();
    let mut miners_granted = 0.0;
    let mut farm_granted = 0.0;
    // A tight region spends most days with no room: nothing to share then,
    // and only the data centers' queue to report.
    let asked = if headroom > 0.0 {
        queue_requests((farms, region), state, paths, scratch, day);
        scratch.requests.iter().map(|r| r.mw).sum::<f64>()
    } else {
        0.0
    };
    let mut ai_queued = if headroom > 0.0 {
        scratch.requests[..n_dc].iter().map(|r| r.mw).sum::<f64>()
    } else {
        let dcs = region.datacenters.iter().enumerate();
        dcs.map(|(j, dc)| dc_request_mw(dc, state, j, day))
            .sum::<f64>()
    };
    if headroom > 0.0 && asked > 0.0 {
        scratch.granted.resize(scratch.requests.len(), 0.0);
        let granted = &mut scratch.granted;
        scratch
            .allocator
            .allocate(regime.policy, headroom, &scratch.requests, granted);
        for (j, dc) in region.datacenters.iter().enumerate() {
            let g = granted[j];
            state.dc_granted[j] += g;
            let p = dc.pipeline.params();
            let load = g * p.load_factor;
            grant.ai_rated += g;
            grant.ai_curtailable_load += load * p.curtailable;
            grant.ai_firm_load += load * (1.0 - p.curtailable);
        }
        ai_queued -= grant.ai_rated;
        state.dc_granted_total += grant.ai_rated;
        // Miner requests follow the data centers in `requests`, open ones
        // only.
        let mut at = n_dc;
        for (q, req) in region.miners.requests.iter().enumerate() {
            if is_open(
                req.day,
                day,
                req.mw,
                state.miner_granted[q],
                state.miner_refused[q],
            ) {
                let g = granted[at];
                state.miner_granted[q] += g;
                miners_granted += g;
                at += 1;
            }
        }
        state.miners_reserved_mw += miners_granted;
        // Farms' expansions follow, those with a request open.
        for (f, e) in expanding(farms, region) {
            if paths[f].expansion.asked_mw > 0.0 {
                let g = granted[at];
                let farm = &farms[f];
                let site = (farm.pue, farm.availability);
                let borrows = farm.finance.is_some();
                paths[f].expansion.grant(e, (g, day), site, borrows);
                state.expansion_reserved_mw += g;
                farm_granted += g;
                at += 1;
            }
        }
        // Then the farms moving in.
        for &f in moving_in(region) {
            if paths[f].migration.asked_mw > 0.0 {
                let g = granted[at];
                paths[f].migration.grant(g);
                state.migrants_mw += g;
                farm_granted += g;
                at += 1;
            }
        }
    }
    let left = headroom - grant.ai_rated - miners_granted - farm_granted;
    state.tightness = tightness(left, region.reserve_margin * capacity_mw);
    // Lead-time ring: a grant of step s connects for step s + L.
    let (arrived, miners_arrived) = ring.rotate(step, grant, miners_granted);
    state.ai.ai_firm_load += arrived.ai_firm_load;
    state.ai.ai_curtailable_load += arrived.ai_curtailable_load;
    state.ai.ai_rated += arrived.ai_rated;
    state.miners_online_mw += miners_arrived;
    let miners_waiting_mw = give_up(region, state, day);
    QueueStep {
        ai_queued_mw: ai_queued.max(0.0),
        miners_waiting_mw,
        miners_denied_mw: state.miners_denied_mw,
    }
}

/// The queue on `day`: each pipeline's MW requested so far and not yet
/// granted, the open miner requests, then the farms' open expansion
/// requests, then those of the farms moving in.
fn queue_requests(
    (farms, region): (&[Farm], &Region),
    state: &QueuePath,
    paths: &[FarmPath],
    scratch: &mut QueueScratch,
    day: f64,
) {
    let requests = &mut scratch.requests;
    requests.clear();
    for (j, dc) in region.datacenters.iter().enumerate() {
        let p = dc.pipeline.params();
        requests.push(Request {
            requester: Requester::DataCenter,
            mw: dc_request_mw(dc, state, j, day),
            requested_day: p.start_day,
            bid_usd_per_mw_year: dc.bid_usd_per_mw_year,
        });
    }
    for (q, r) in region.miners.requests.iter().enumerate() {
        let (granted, refused) = (state.miner_granted[q], state.miner_refused[q]);
        if is_open(r.day, day, r.mw, granted, refused) {
            requests.push(Request {
                requester: Requester::Miner,
                mw: r.mw - granted - refused,
                requested_day: r.day,
                bid_usd_per_mw_year: r.bid_usd_per_mw_year,
            });
        }
    }
    // Farms ask as miners, with no bid for an auction.
    let expansions = expanding(farms, region).map(|(f, _)| {
        let x = &paths[f].expansion;
        (x.asked_mw, x.asked_day)
    });
    let migrants = moving_in(region).iter().map(|&f| {
        let m = &paths[f].migration;
        (m.asked_mw, m.moved_day)
    });
    for (mw, requested_day) in expansions.chain(migrants) {
        if mw > 0.0 {
            requests.push(Request {
                requester: Requester::Miner,
                mw,
                requested_day,
                bid_usd_per_mw_year: 0.0,
            });
        }
    }
}

/// MW pipeline `j` (`dc`) has requested by `day` and not been granted.
#[inline]
fn dc_request_mw(dc: &DataCenter, state: &QueuePath, j: usize, day: f64) -> f64 {
    (dc.pipeline.requested_by(day, state.dc_total_mw[j]) - state.dc_granted[j]).max(0.0)
}

/// Under a ban the region's miners leave (those in their lead time too)
/// and their requests are refused.
fn ban_miners(region: &Region, state: &mut QueuePath, ring: &mut Ring<'_>, day: f64) {
    if state.miners_reserved_mw > 0.0 {
        state.miners_denied_mw += state.miners_reserved_mw;
        state.miners_reserved_mw = 0.0;
        state.miners_online_mw = 0.0;
        ring.miners.clear();
    }
    for (q, r) in region.miners.requests.iter().enumerate() {
        let left = state.miner_left(q, r.mw);
        if left > 0.0 && r.day <= day {
            state.miner_refused[q] += left;
            state.miners_denied_mw += left;
        }
    }
}

/// Miners whose request waited longer than they would are refused the rest.
/// Returns the miner MW still waiting after that (requests made by `day`):
/// one pass, as a request's refusal changes only its own share.
fn give_up(region: &Region, state: &mut QueuePath, day: f64) -> f64 {
    let requests = region.miners.requests.iter();
    let shares = state.miner_granted.iter().zip(&mut state.miner_refused);
    let mut waiting = 0.0;
    for (r, (granted, refused)) in requests.zip(shares) {
        let left = r.mw - granted - *refused;
        if left > 0.0 && day - r.day >= r.max_wait_days {
            *refused += left;
            state.miners_denied_mw += left;
        }
        if r.day <= day {
            waiting += (r.mw - granted - *refused).max(0.0);
        }
    }
    waiting
}
