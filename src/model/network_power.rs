//! The power the network draws, and the CBECI-style estimate of it that
//! an outside observer would make from the hashrate alone.
//!
//! The Cambridge Bitcoin Electricity Consumption Index (CBECI) estimates
//! the network's power as hashrate × the mean efficiency of the machine
//! models that are profitable at an assumed electricity price (its "best
//! guess" weighs every profitable model equally, at 0.05 USD/kWh). The
//! simulator knows the power each fleet actually draws; the estimate beside
//! it shows how far the observer's rule is from the simulated world.

use super::farm::Farm;
use super::market::Region;
use super::rest_of_world::RestOfWorld;
use super::units::MWH_PER_PH_DAY_PER_J_TH;

/// The electricity price CBECI's best guess assumes, USD/MWh.
pub const CBECI_POWER_PRICE_USD_PER_MWH: f64 = 50.0;

/// CBECI's efficiency rule at hashprice `HP` (USD per PH/s per day): the
/// mean of the `efficiencies` (J/TH) whose breakeven `HP/(0.024·e)` is at
/// or above `power_price`, each counted once; when none is profitable, the
/// most efficient (the lower bound CBECI falls back on). NaN without any
/// efficiency.
///
/// # Example
/// ```
/// use hashwatt::model::network_power::profitable_mean_efficiency;
/// // At HP = 48, a machine breaks even at 50 USD/MWh when e ≤ 40 J/TH.
/// let e = profitable_mean_efficiency([17.5, 25.0, 38.0, 90.0].into_iter(), 48.0, 50.0);
/// assert!((e - (17.5 + 25.0 + 38.0) / 3.0).abs() < 1e-12);
/// assert_eq!(profitable_mean_efficiency([90.0, 60.0].into_iter(), 48.0, 50.0), 60.0);
/// ```
#[inline]
pub fn profitable_mean_efficiency(
    efficiencies: impl Iterator<Item = f64>,
    hashprice: f64,
    power_price: f64,
) -> f64 {
    let threshold = hashprice / (MWH_PER_PH_DAY_PER_J_TH * power_price);
    let (mut sum, mut count, mut best) = (0.0, 0u32, f64::NAN);
    for e in efficiencies {
        best = e.min(best);
        if e <= threshold {
            sum += e;
            count += 1;
        }
    }
    if count > 0 {
        sum / f64::from(count)
    } else {
        best
    }
}

/// The machine models in the world at step `step` (day `day`), J/TH, into
/// `models` (cleared first): the rest of the world's classes installed, the
/// farms' lots in service and the regions' own fleets: what CBECI's rule
/// sees, the same on every path (the investment's frontier is added per
/// path, once any is installed).
pub fn machine_models(
    row: &RestOfWorld,
    step: usize,
    day: f64,
    (farms, regions): (&[Farm], &[Region]),
    models: &mut Vec<f64>,
) {
    models.clear();
    for (installed, class) in row.installed_at(step).zip(row.classes()) {
        if installed > 0.0 {
            models.push(class.efficiency_j_per_th);
        }
    }
    for lot in farms.iter().flat_map(|f| f.fleet.iter()) {
        if lot.in_service(day) {
            models.push(lot.efficiency_j_per_th);
        }
    }
    for m in regions.iter().map(|r| &r.miners) {
        if m.connected_mw > 0.0 || !m.requests.is_empty() {
            models.push(m.efficiency_j_per_th);
        }
    }
}
