//! Hosting: an all-in price per MWh used (power, tariffs and the host's
//! services); the host takes the power whatever the market.

use rand::Rng;

use super::{BidTerms, Market, PowerContract, ServedBid, StepTotals};

/// A hosted farm's contract.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hosted {
    /// All-in price, USD/MWh.
    pub price_usd_per_mwh: f64,
}

impl PowerContract for Hosted {
    type State = ();

    fn identity(&self) -> Option<String> {
        Some(format!("{self:?}"))
    }

    fn init<R: Rng>(&self, _: &mut [R]) {}

    /// Bids its MW at the cap while `V ≥` the all-in price.
    #[inline]
    fn bid(&self, _: &(), value: f64, terms: &BidTerms) -> (bool, f64) {
        (value >= self.price_usd_per_mwh, terms.cap_usd_per_mwh)
    }

    /// Runs every hour it is served; the all-in price covers every tariff.
    #[inline]
    fn serve(&self, _: &(), bid: &ServedBid, _market: &Market<'_>, totals: &mut StepTotals) -> f64 {
        let run = bid.served;
        totals.power_cost_usd += bid.energy_days * run * self.price_usd_per_mwh;
        run
    }

    #[inline]
    fn paid_price(
        &self,
        _: &(),
        _market: &Market<'_>,
        _totals: &StepTotals,
        _energy_mwh: f64,
    ) -> f64 {
        self.price_usd_per_mwh
    }

    /// The price in force.
    #[inline]
    fn home_price(&self, _: &(), _market_usd_per_mwh: f64) -> f64 {
        self.price_usd_per_mwh
    }

    /// The price in force: a farm outside the regions pays it for what it
    /// uses.
    #[inline]
    fn off_grid_price(&self, _: &()) -> Option<f64> {
        Some(self.price_usd_per_mwh)
    }

    fn steps(&self) -> bool {
        false
    }
}
