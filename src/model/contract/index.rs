//! The index contract: the region's hourly wholesale price plus tariffs
//! and an adder, for the hours the farm runs.

use rand::Rng;

use super::{BidTerms, Market, PowerContract, ServedBid, StepTotals};

/// An index contract.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Index {
    /// Adder on top of the wholesale price and tariffs, USD/MWh.
    pub adder_usd_per_mwh: f64,
}

impl PowerContract for Index {
    type State = ();

    fn identity(&self) -> Option<String> {
        Some(format!("{self:?}"))
    }

    fn init<R: Rng>(&self, _: &mut [R]) {}

    /// Always bids, at the wholesale price at which mining pays:
    /// `V − adders − adder`.
    #[inline]
    fn bid(&self, _: &(), value: f64, terms: &BidTerms) -> (bool, f64) {
        (true, value - terms.adders.all - self.adder_usd_per_mwh)
    }

    /// Runs the hours priced at most its bid; pays their price plus the
    /// tariffs and adder.
    #[inline]
    fn serve(&self, _: &(), bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64 {
        let (s, hours, daily) = (bid.served, market.hours, market.daily_usd_per_mwh);
        let adders = market.adders.all + self.adder_usd_per_mwh;
        let mut run = 0.0;
        if s > 0.0 {
            let o = hours.outcome(daily, bid.bid_usd_per_mwh.max(0.0));
            run = s * o.uptime;
            totals.power_cost_usd += bid.energy_days * s * (o.energy_cost + adders * o.uptime);
            totals.mean_index_price_mw += bid.mw * (o.mean_price + adders);
        } else {
            totals.mean_index_price_mw += bid.mw * (hours.mean_price(daily) + adders);
        }
        run
    }

    /// What the energy used cost on average; with none used, the mean
    /// price the farm would have paid (NaN with nothing in service).
    #[inline]
    fn paid_price(
        &self,
        _: &(),
        _market: &Market<'_>,
        totals: &StepTotals,
        energy_mwh: f64,
    ) -> f64 {
        if energy_mwh > 0.0 {
            totals.power_cost_usd / energy_mwh
        } else {
            totals.mean_index_price_mw / totals.mw_in_service
        }
    }

    #[inline]
    fn home_price(&self, _: &(), market_usd_per_mwh: f64) -> f64 {
        market_usd_per_mwh + self.adder_usd_per_mwh
    }

    fn steps(&self) -> bool {
        false
    }
}
