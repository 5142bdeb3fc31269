//! A fixed price without sell-back: the farm takes its power whatever the
//! market price while mining pays, and pays the price plus the mining
//! adder on what it uses.

use rand::Rng;

use super::{BidTerms, Market, PowerContract, ServedBid, StepTotals};

/// A fixed contract without sell-back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fixed {
    /// Price in force (the signing price, or a renewal's), USD/MWh.
    pub price_usd_per_mwh: f64,
}

impl PowerContract for Fixed {
    type State = ();

    fn identity(&self) -> Option<String> {
        Some(format!("{self:?}"))
    }

    fn init<R: Rng>(&self, _: &mut [R]) {}

    /// Bids its MW at the cap while `V − a_m ≥` the price in force.
    #[inline]
    fn bid(&self, _: &(), value: f64, terms: &BidTerms) -> (bool, f64) {
        let net = value - terms.adders.mining;
        (net >= self.price_usd_per_mwh, terms.cap_usd_per_mwh)
    }

    /// Bids at the cap: runs every hour it is served.
    #[inline]
    fn serve(&self, _: &(), bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64 {
        let run = bid.served;
        let price = self.price_usd_per_mwh + market.adders.mining;
        totals.power_cost_usd += bid.energy_days * run * price;
        run
    }

    #[inline]
    fn paid_price(
        &self,
        _: &(),
        market: &Market<'_>,
        _totals: &StepTotals,
        _energy_mwh: f64,
    ) -> f64 {
        self.price_usd_per_mwh + market.adders.mining
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
