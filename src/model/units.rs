//! Units and conversion constants shared by every part of the model, in
//! one place.
//!
//! Power is in MW, energy in MWh, hashrate in PH/s (farms) or EH/s (the
//! network), efficiency in J/TH, prices in USD, time in days; annual rates
//! are per year of [`DAYS_PER_YEAR`] days (`Δy = Δ/365`).

/// Days per year in annualised parameters (`Δy = Δ/365`).
pub const DAYS_PER_YEAR: f64 = 365.0;

/// Energy of one PH/s for one day at 1 J/TH, in MWh: 10¹⁵ H/s · 10⁻¹² J/H ·
/// 86 400 s / 3.6·10⁹ J/MWh.
pub const MWH_PER_PH_DAY_PER_J_TH: f64 = 0.024;

/// MW drawn per PH/s at one J/TH and a PUE of 1: 1 PH/s = 1 000 TH/s,
/// times 1 J/TH, is 1 kW.
pub const MW_PER_PHS_PER_J_TH: f64 = 0.001;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_and_power_constants_agree() {
        // One PH/s at 1 J/TH draws MW_PER_PHS_PER_J_TH for 24 hours.
        assert!((MW_PER_PHS_PER_J_TH * 24.0 - MWH_PER_PH_DAY_PER_J_TH).abs() < 1e-15);
    }
}
