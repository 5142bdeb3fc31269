//! Hosting: an all-in price per MWh used (power, tariffs and the host's
//! services); the host takes the power whatever the market.

use super::{BidTerms, Market, PowerContract, ServedBid, StepTotals};

/// A hosted farm's contract.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hosted {
    /// All-in price, USD/MWh.
    pub price_usd_per_mwh: f64,
}

impl PowerContract for Hosted {
    fn fixed_price_usd_per_mwh(&self) -> Option<f64> {
        Some(self.price_usd_per_mwh)
    }

    /// Bids its MW at the cap while `V ≥` the all-in price.
    #[inline]
    fn bid(&self, value: f64, terms: &BidTerms) -> (bool, f64) {
        (value >= terms.price_usd_per_mwh, terms.cap_usd_per_mwh)
    }

    /// Runs every hour it is served; the all-in price covers every tariff.
    #[inline]
    fn serve(&self, bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64 {
        let run = bid.served;
        totals.power_cost_usd += bid.energy_days * run * market.price_usd_per_mwh;
        run
    }

    #[inline]
    fn paid_price(&self, market: &Market<'_>, _totals: &StepTotals, _energy_mwh: f64) -> f64 {
        market.price_usd_per_mwh
    }
}
