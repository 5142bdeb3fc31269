//! Cash cost per BTC of a fleet at a date: the points of the industry cost
//! curve (model.md §6).
//!
//! Per PH/s a day a machine earns `HP/P` BTC (the hashprice in BTC) and
//! draws `E = 0.024·e·PUE` MWh, so at a cash cost of `c` USD per MWh
//! (power and variable opex) and a pool fee `f` its cash cost per BTC is
//! `c·E·P / (HP·(1 − f))`. A rest-of-world class runs at the sites priced
//! at or below its breakeven `b`: its power costs the mean price of those
//! sites, `E[p | p ≤ b]`.

use super::special::normal_cdf;

/// Cash cost per BTC, USD, of a machine drawing `energy_mwh_per_ph_day`
/// (MWh per PH/s per day, PUE included) at a cash cost of
/// `cost_usd_per_mwh`, with pool fee `pool_fee`, at BTC price `btc_price`
/// and hashprice `hashprice` (USD per PH/s per day).
///
/// # Example
/// ```
/// use hashwatt::model::cost_curve::cash_cost_per_btc;
/// // 17.5 J/TH at 50 USD/MWh: 21 USD per PH/s per day; at HP = 42 that is
/// // half of the revenue, so half the BTC price.
/// let cost = cash_cost_per_btc(50.0, 0.024 * 17.5, 0.0, 90_000.0, 42.0);
/// assert!((cost - 45_000.0).abs() < 1e-6);
/// ```
#[inline]
pub fn cash_cost_per_btc(
    cost_usd_per_mwh: f64,
    energy_mwh_per_ph_day: f64,
    pool_fee: f64,
    btc_price: f64,
    hashprice: f64,
) -> f64 {
    cost_usd_per_mwh * energy_mwh_per_ph_day * btc_price / (hashprice * (1.0 - pool_fee))
}

/// Mean price of the sites at or below `ceiling` USD/MWh when site prices
/// are lognormal with median `median` and log-dispersion `dispersion`:
/// `E[p | p ≤ b] = m·exp(s²/2)·Φ(z − s)/Φ(z)`, `z = ln(b/m)/s`. When no
/// site is that cheap (Φ(z) underflows), the limit `b`.
///
/// # Example
/// ```
/// use hashwatt::model::cost_curve::mean_price_below;
/// // With every site below the ceiling, the lognormal mean m·exp(s²/2).
/// let mean = mean_price_below(45.0, 0.35, 1e9);
/// assert!((mean - 45.0 * (0.35f64 * 0.35 / 2.0).exp()).abs() < 1e-9);
/// assert!(mean_price_below(45.0, 0.35, 30.0) < 30.0);
/// ```
pub fn mean_price_below(median: f64, dispersion: f64, ceiling: f64) -> f64 {
    let z = (ceiling / median).ln() / dispersion;
    let below = normal_cdf(z);
    if below < 1e-300 {
        return ceiling;
    }
    let mean = median * (0.5 * dispersion * dispersion).exp() * normal_cdf(z - dispersion) / below;
    mean.min(ceiling)
}
