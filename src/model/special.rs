//! Special functions of the core, accurate to 1e-12 relative (model.md §1.9).

use std::f64::consts::FRAC_1_SQRT_2;

/// The standard normal CDF `Φ(z) = erfc(−z/√2) / 2`.
///
/// Uses `libm`'s `erfc` (under 1 ulp), so the relative error stays below
/// 1e-12 in both tails, where `1 − erf` would lose everything.
///
/// # Example
/// ```
/// use hashwatt::model::special::normal_cdf;
/// assert_eq!(normal_cdf(0.0), 0.5);
/// let tail = normal_cdf(-10.0);
/// assert!((tail - 7.619853024160527e-24).abs() / tail < 1e-12);
/// ```
#[inline]
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z * FRAC_1_SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_high_precision_values() {
        // Φ(z) to 17 significant digits (mpmath, 50 digits of working precision).
        let cases = [
            (-30.0, 4.9067139271481871e-198),
            (-20.0, 2.7536241186062337e-89),
            (-10.0, 7.6198530241605261e-24),
            (-5.0, 2.8665157187919391e-7),
            (-1.0, 0.15865525393145705),
            (-0.1, 0.46017216272297102),
            (0.5, 0.6914624612740131),
            (1.96, 0.97500210485177956),
            (3.0, 0.99865010196836991),
        ];
        for (z, want) in cases {
            let got = normal_cdf(z);
            assert!((got - want).abs() / want < 1e-12, "Φ({z}) = {got}, want {want}");
        }
    }
}
