//! A farm's contract as the scenario gives it: one of the built-in kinds
//! and, for a fixed contract with an end date, its renewal at market
//! (model.md, "Farm contracts": renewal).

use rand::Rng;
use serde::Serialize;

use super::{BidTerms, Contract, ContractStep, Market, PowerContract, ServedBid, StepTotals};
use crate::model::finance::Renewal;

/// A farm's built-in contract and its renewal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScenarioContract {
    /// The kind, at its signing price.
    pub kind: Contract,
    /// How a fixed contract renews at its end date, if it ends.
    pub renewal: Option<Renewal>,
}

/// The part of a [`ScenarioContract`] that changes along a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InForce {
    /// Price of the contract in force (fixed or hosted), USD/MWh.
    pub price_usd_per_mwh: f64,
    /// Day the term in force ends (∞ when it does not).
    pub term_end_day: f64,
}

impl PowerContract for ScenarioContract {
    type State = InForce;

    /// `None`: the scenario's identity holds it.
    fn identity(&self) -> Option<String> {
        None
    }

    fn init<R: Rng>(&self, streams: &mut [R]) -> InForce {
        InForce {
            price_usd_per_mwh: self.kind.init(streams),
            term_end_day: self.renewal.map_or(f64::INFINITY, |r| r.end_day),
        }
    }

    #[inline]
    fn bid(&self, state: &InForce, value: f64, terms: &BidTerms) -> (bool, f64) {
        self.kind.bid(&state.price_usd_per_mwh, value, terms)
    }

    #[inline]
    fn serve(
        &self,
        state: &InForce,
        bid: &ServedBid,
        market: &Market<'_>,
        totals: &mut StepTotals,
    ) -> f64 {
        self.kind
            .serve(&state.price_usd_per_mwh, bid, market, totals)
    }

    #[inline]
    fn paid_price(
        &self,
        state: &InForce,
        market: &Market<'_>,
        totals: &StepTotals,
        energy_mwh: f64,
    ) -> f64 {
        self.kind
            .paid_price(&state.price_usd_per_mwh, market, totals, energy_mwh)
    }

    #[inline]
    fn home_price(&self, state: &InForce, market_usd_per_mwh: f64) -> f64 {
        self.kind
            .home_price(&state.price_usd_per_mwh, market_usd_per_mwh)
    }

    #[inline]
    fn off_grid_price(&self, state: &InForce) -> Option<f64> {
        self.kind.off_grid_price(&state.price_usd_per_mwh)
    }

    fn steps(&self) -> bool {
        self.renewal.is_some()
    }

    /// Renews a term that ends before the next step: at the market price
    /// plus the premiums of the region's tightness, for a tenor that
    /// shortens as the region tightens.
    #[inline]
    fn step<R: Rng>(&self, state: &mut InForce, at: &ContractStep, _: &mut [R]) {
        if let Some(renewal) = &self.renewal
            && at.next_day >= state.term_end_day
        {
            state.price_usd_per_mwh =
                renewal.price_usd_per_mwh(at.market_usd_per_mwh, at.tightness);
            state.term_end_day += renewal.tenor_days(at.tightness);
        }
    }
}
