//! A fixed price with sell-back (the power-credit strategy): take-or-pay
//! on the whole contracted power; the farm mines the hours priced at most
//! its breakeven net of the mining adder and sells every other hour back
//! at the hourly market price.

use super::{BidTerms, Market, PowerContract, ServedBid, StepTotals};

/// A fixed contract with sell-back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SellBack {
    /// Price at signing, USD/MWh.
    pub price_usd_per_mwh: f64,
}

impl PowerContract for SellBack {
    fn fixed_price_usd_per_mwh(&self) -> Option<f64> {
        Some(self.price_usd_per_mwh)
    }

    /// Bids its MW at `V − a_m` while that reaches the price in force: an
    /// hour sold gives the market price, so it mines while the price is
    /// below `V − a_m`.
    #[inline]
    fn bid(&self, value: f64, terms: &BidTerms) -> (bool, f64) {
        let net = value - terms.adders.mining;
        (net >= terms.price_usd_per_mwh, net)
    }

    /// Buys its whole power, sells back the hours priced above its bid and
    /// whatever the grid did not take; pays the mining adder on what it
    /// uses.
    #[inline]
    fn serve(&self, bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64 {
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
        totals.power_cost_usd += bid.energy_days * (market.price_usd_per_mwh + run * adders.mining);
        run
    }

    #[inline]
    fn paid_price(&self, market: &Market<'_>, _totals: &StepTotals, _energy_mwh: f64) -> f64 {
        market.price_usd_per_mwh + market.adders.mining
    }
}
