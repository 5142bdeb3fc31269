//! Interconnection queue allocation (model.md §5).
//!
//! Each step a region grants its headroom
//! `C(t)·(1 − reserve_margin) − peak baseline − connected large loads`
//! to the MW still waiting in its queue, under one of four policies:
//! - `ai_first`: data centers before any miner (the "new infrastructure"
//!   priority), each group by request date;
//! - `first_come`: by request date;
//! - `pro_rata`: every request gets the same share of what it asks;
//! - `auction`: by bid (willingness to pay for firm capacity,
//!   USD per MW-year), highest first.
//!
//! Ties are broken by request date, then by position in the queue, so that
//! the grants are a deterministic function of the queue. Denied or partly
//! served requests stay queued (the caller keeps what was not granted).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// How a region shares its headroom among queued requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Data centers first, then miners; each by request date.
    AiFirst,
    /// By request date, whoever asks.
    FirstCome,
    /// The same fraction of every request.
    ProRata,
    /// Highest bid first.
    Auction,
}

impl Policy {
    /// Every policy, in the order of the documentation.
    pub const ALL: [Policy; 4] = [
        Policy::AiFirst,
        Policy::FirstCome,
        Policy::ProRata,
        Policy::Auction,
    ];

    /// The policy's name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Policy::AiFirst => "ai_first",
            Policy::FirstCome => "first_come",
            Policy::ProRata => "pro_rata",
            Policy::Auction => "auction",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A policy name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown allocation policy `{0}`: expected ai_first, first_come, pro_rata or auction")]
pub struct UnknownPolicy(pub String);

impl FromStr for Policy {
    type Err = UnknownPolicy;

    /// # Example
    /// ```
    /// use hashwatt::model::allocation::Policy;
    /// assert_eq!("pro_rata".parse(), Ok(Policy::ProRata));
    /// assert!("lottery".parse::<Policy>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Policy, UnknownPolicy> {
        Policy::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownPolicy(s.to_string()))
    }
}

/// Who asks for capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requester {
    /// An AI data center.
    DataCenter,
    /// A mining farm.
    Miner,
}

/// MW waiting in a region's queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request {
    /// Who asks.
    pub requester: Requester,
    /// MW still waiting (≥ 0).
    pub mw: f64,
    /// When the request entered the queue, days from the start.
    pub requested_day: f64,
    /// Willingness to pay for firm capacity, USD per MW-year (auctions).
    pub bid_usd_per_mw_year: f64,
}

/// Shares headroom among requests; keeps its sorting buffer between calls
/// so that a step allocates nothing.
///
/// # Example
/// ```
/// use hashwatt::model::allocation::{Allocator, Policy, Request, Requester};
/// let queue = [
///     Request { requester: Requester::Miner, mw: 50.0, requested_day: 0.0, bid_usd_per_mw_year: 0.0 },
///     Request { requester: Requester::DataCenter, mw: 80.0, requested_day: 10.0, bid_usd_per_mw_year: 0.0 },
/// ];
/// let mut granted = [0.0; 2];
/// let mut a = Allocator::default();
/// a.allocate(Policy::AiFirst, 100.0, &queue, &mut granted);
/// assert_eq!(granted, [20.0, 80.0]);
/// a.allocate(Policy::FirstCome, 100.0, &queue, &mut granted);
/// assert_eq!(granted, [50.0, 50.0]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Allocator {
    order: Vec<usize>,
}

impl Allocator {
    /// Grants at most `headroom` MW among `requests` under `policy`,
    /// writing each request's grant into `granted` (same order; it must be
    /// as long as `requests`). Returns the MW granted in all. Every grant
    /// lies in `[0, request]`, and their sum never exceeds the headroom.
    pub fn allocate(
        &mut self,
        policy: Policy,
        headroom: f64,
        requests: &[Request],
        granted: &mut [f64],
    ) -> f64 {
        granted.iter_mut().for_each(|g| *g = 0.0);
        let mut left = if headroom > 0.0 { headroom } else { 0.0 };
        let asked = |r: &Request| if r.mw > 0.0 { r.mw } else { 0.0 };
        if policy == Policy::ProRata {
            let total: f64 = requests.iter().map(asked).sum();
            let share = if total > left { left / total } else { 1.0 };
            for (g, r) in granted.iter_mut().zip(requests) {
                // `min` keeps the sum within the headroom despite rounding.
                *g = (asked(r) * share).min(left);
                left -= *g;
            }
            return granted.iter().sum();
        }
        // A request for nothing is granted nothing and takes nothing from
        // the headroom, wherever it ranks: only the others are sorted.
        self.order.clear();
        self.order
            .extend((0..requests.len()).filter(|&i| requests[i].mw > 0.0));
        let rank = |i: usize| {
            let r = &requests[i];
            let group = match (policy, r.requester) {
                (Policy::AiFirst, Requester::Miner) => 1,
                _ => 0,
            };
            let bid = if policy == Policy::Auction {
                -r.bid_usd_per_mw_year
            } else {
                0.0
            };
            (group, bid, r.requested_day, i)
        };
        let before = |a: usize, b: usize| {
            let (ka, kb) = (rank(a), rank(b));
            ka.0.cmp(&kb.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(ka.2.total_cmp(&kb.2))
                .then(ka.3.cmp(&kb.3))
                .is_lt()
        };
        // An insertion sort: a queue has a handful of open requests.
        for j in 1..self.order.len() {
            let k = self.order[j];
            let mut at = j;
            while at > 0 && before(k, self.order[at - 1]) {
                self.order[at] = self.order[at - 1];
                at -= 1;
            }
            self.order[at] = k;
        }
        for &i in &self.order {
            let g = asked(&requests[i]).min(left);
            granted[i] = g;
            left -= g;
        }
        granted.iter().sum()
    }
}
