//! A fixed price without sell-back: the farm takes its power whatever the
//! market price while mining pays, and pays the price plus the mining
//! adder on what it uses.

use super::{BidTerms, Market, PowerContract, ServedBid, StepTotals};

/// A fixed contract without sell-back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fixed {
    /// Price at signing, USD/MWh.
    pub price_usd_per_mwh: f64,
}

impl PowerContract for Fixed {
    fn fixed_price_usd_per_mwh(&self) -> Option<f64> {
        Some(self.price_usd_per_mwh)
    }

    /// Bids its MW at the cap while `V − a_m ≥` the price in force.
    #[inline]
    fn bid(&self, value: f64, terms: &BidTerms) -> (bool, f64) {
        let net = value - terms.adders.mining;
        (net >= terms.price_usd_per_mwh, terms.cap_usd_per_mwh)
    }

    /// Bids at the cap: runs every hour it is served.
    #[inline]
    fn serve(&self, bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64 {
        let run = bid.served;
        let price = market.price_usd_per_mwh + market.adders.mining;
        totals.power_cost_usd += bid.energy_days * run * price;
        run
    }

    #[inline]
    fn paid_price(&self, market: &Market<'_>, _totals: &StepTotals, _energy_mwh: f64) -> f64 {
        market.price_usd_per_mwh + market.adders.mining
    }
}
