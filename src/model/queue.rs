//! The interconnection queue's arithmetic (model.md §5): the headroom a
//! region can grant new large loads, how tight that leaves it, which
//! requests are still waiting, and the smoothed market price a renewal is
//! priced from. The policies that share the headroom are in
//! [`allocation`](super::allocation); the queue's per-path bookkeeping
//! (grants, refusals, the lead-time ring) stays with the engine's loop.

/// Window of the market price a renewal is priced from, days.
pub const MARKET_WINDOW_DAYS: f64 = 30.0;

/// The headroom for new large loads, MW:
/// `C(t)·(1 − reserve) − peak baseline − connected and granted large loads`
/// (negative when the region is over-committed).
///
/// # Example
/// ```
/// use hashwatt::model::queue::headroom_mw;
/// // 10 GW with a 15 % reserve, an 8 GW peak and 300 MW committed.
/// assert_eq!(headroom_mw(10_000.0, 0.15, 8_000.0, 300.0), 200.0);
/// ```
#[inline]
pub fn headroom_mw(capacity_mw: f64, reserve_margin: f64, peak_mw: f64, reserved_mw: f64) -> f64 {
    capacity_mw * (1.0 - reserve_margin) - peak_mw - reserved_mw
}

/// Tightness in [0, 1] from the headroom `left` after the step's grants
/// and the reserve's share of capacity `reserve_mw`: 1 with no headroom,
/// 0 once the headroom is a reserve's worth again, linear between.
///
/// # Example
/// ```
/// use hashwatt::model::queue::tightness;
/// assert_eq!(tightness(-5.0, 100.0), 1.0);
/// assert_eq!(tightness(25.0, 100.0), 0.75);
/// assert_eq!(tightness(150.0, 100.0), 0.0);
/// ```
#[inline]
pub fn tightness(left: f64, reserve_mw: f64) -> f64 {
    if left <= 0.0 {
        1.0
    } else if left >= reserve_mw {
        0.0
    } else {
        1.0 - left / reserve_mw
    }
}

/// Whether a request made on `request_day` for `mw`, of which `granted`
/// and `refused` MW are settled, is in the queue on `day`.
#[inline]
pub fn is_open(request_day: f64, day: f64, mw: f64, granted: f64, refused: f64) -> bool {
    request_day <= day && mw - granted - refused > 0.0
}

/// The market price a renewal is priced from after a step of `days` days
/// at mean price `market` (USD/MWh): an exponential average over about
/// [`MARKET_WINDOW_DAYS`] of the step's prices, starting at the first
/// (`previous` NaN).
///
/// # Example
/// ```
/// use hashwatt::model::queue::smoothed_market_price;
/// assert_eq!(smoothed_market_price(f64::NAN, 40.0, 1.0), 40.0);
/// assert_eq!(smoothed_market_price(40.0, 70.0, 3.0), 43.0);
/// assert_eq!(smoothed_market_price(40.0, 70.0, 60.0), 70.0);
/// ```
#[inline]
pub fn smoothed_market_price(previous: f64, market: f64, days: f64) -> f64 {
    if previous.is_nan() {
        market
    } else {
        let weight = (days / MARKET_WINDOW_DAYS).min(1.0);
        previous + weight * (market - previous)
    }
}
