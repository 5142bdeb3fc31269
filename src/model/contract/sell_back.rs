//! A fixed price with sell-back (the power-credit strategy): take-or-pay
//! on the whole contracted power; the farm mines the hours priced at most
//! its breakeven net of the mining adder and sells every other hour back
//! at the hourly market price.

use rand::Rng;

use super::{BidTerms, Market, PowerContract, ServedBid, StepTotals};

/// A fixed contract with sell-back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SellBack {
    /// Price in force (the signing price, or a renewal's), USD/MWh.
    pub price_usd_per_mwh: f64,
}

impl PowerContract for SellBack {
    type State = ();

    fn identity(&self) -> Option<String> {
        Some(format!("{self:?}"))
    }

    fn init<R: Rng>(&self, _: &mut [R]) {}

    /// Bids its MW at `V − a_m` while that reaches the price in force: an
    /// hour sold gives the market price, so it mines while the price is
    /// below `V − a_m`.
    #[inline]
    fn bid(&self, _: &(), value: f64, terms: &BidTerms) -> (bool, f64) {
        let net = value - terms.adders.mining;
        (net >= self.price_usd_per_mwh, net)
    }

    /// Buys its whole power, sells back the hours priced above its bid and
    /// whatever the grid did not take; pays the mining adder on what it
    /// uses.
    #[inline]
    fn serve(&self, _: &(), bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64 {
        let (s, hours, daily) = (bid.served, market.hours, market.daily_usd_per_mwh);
        let mut run = 0.0;
        totals.credits_usd += bid.energy_days
            * if s > 0.0 {
                let o = hours.outcome(daily, bid.bid_usd_per_mwh.max(0.0));
                run = s * o.uptime;
                s * o.sell_back_revenue + (1.0 - s) * o.mean_price
            } else {
                hours.mean_price(daily)
            };
        let adders = market.adders;
        totals.power_cost_usd += bid.energy_days * (self.price_usd_per_mwh + run * adders.mining);
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
