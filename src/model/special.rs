//! Special functions of the core, accurate to 1e-12 relative (model.md §1.9).

use std::f64::consts::FRAC_1_SQRT_2;

/// Below this `|x|`, `libm`'s `erfc` uses rational approximations without
/// calling `exp`; above it, the scaled form with one `exp` is cheaper.
const SCALED_FROM: f64 = 1.25;

/// The complementary error function, to about 1e-15 relative.
///
/// For `|x| < 1.25`, `libm`'s `erfc` (under 1 ulp, no `exp` there). Beyond,
/// `erfc(x) = exp(−x²)·erfcx(x)` with the scaled function `erfcx` of
/// `puruspe` (a port of libcerf's Chebyshev interpolants, ~1e-15) and
/// `x²` split exactly into `hi + lo` so that `exp(−x²)` keeps full relative
/// accuracy even at `x² ≈ 700`; `erfc(−x) = 2 − erfc(x)`.
///
/// # Example
/// ```
/// use hashwatt::model::special::erfc;
/// assert_eq!(erfc(0.0), 1.0);
/// assert!((erfc(5.0) - 1.5374597944280348e-12).abs() < 1e-26);
/// ```
#[inline]
pub fn erfc(x: f64) -> f64 {
    let ax = x.abs();
    // Beyond 27.3 erfc underflows (and libm handles inf and NaN).
    if !(SCALED_FROM..27.3).contains(&ax) {
        return libm::erfc(x);
    }
    let hi = ax * ax;
    let lo = ax.mul_add(ax, -hi);
    // exp(−(hi + lo)) = exp(−hi)·exp(−lo), and |lo| < 1e-13 so exp(−lo) = 1 − lo.
    let upper_tail = (-hi).exp() * (1.0 - lo) * puruspe::erfcx(ax);
    if x > 0.0 {
        upper_tail
    } else {
        2.0 - upper_tail
    }
}

mod tails;

use tails::TAILS;

/// Width of the intervals of `|z|` on which `Φ(−|z|)` is a polynomial.
const WIDTH: f64 = 0.0625;

/// End of the polynomial region of [`normal_cdf`]: `136 · WIDTH` = 8.5.
pub(crate) const POLYNOMIAL_LIMIT: f64 = TAILS.len() as f64 * WIDTH;

/// Evaluates the polynomial of degree 8 with coefficients `c` (highest
/// degree first) by Estrin's scheme: pairs of terms combined with x, x²,
/// x⁴, x⁸, so that the chain of dependent operations is 4 fused
/// multiply-adds long instead of 8 (Horner). Fused operations are exactly
/// rounded: the same bits on every machine.
#[inline(always)]
fn estrin(c: &[f64; 9], x: f64) -> f64 {
    let x2 = x * x;
    let x4 = x2 * x2;
    let x8 = x4 * x4;
    let pair = |k: usize| c[k].mul_add(x, c[k + 1]);
    let low = pair(5).mul_add(x2, pair(7));
    let high = pair(1).mul_add(x2, pair(3));
    c[0].mul_add(x8, high.mul_add(x4, low))
}

/// The standard normal CDF `Φ(z) = erfc(−z/√2) / 2`, accurate to 1e-12
/// relative in both tails (model.md §1.9), where `1 − erf` would lose
/// everything.
///
/// For `|z| < 8.5`, where the rest-of-world classes spend their time, the
/// upper tail `Q(|z|) = Φ(−|z|)` from one of 136 polynomials fitted with
/// 40-digit arithmetic (relative error below 6e-14, no division, no
/// `exp`), picked by index: no branch depends on where `z` falls, so paths
/// whose classes sit in different intervals cost no mispredictions. Beyond,
/// [`erfc`] in the lower tail and exactly 1 in the upper.
///
/// # Example
/// ```
/// use hashwatt::model::special::normal_cdf;
/// assert!((normal_cdf(0.0) - 0.5).abs() < 1e-16);
/// let tail = normal_cdf(-10.0);
/// assert!((tail - 7.619853024160527e-24).abs() / tail < 1e-12);
/// ```
#[inline(always)]
pub fn normal_cdf(z: f64) -> f64 {
    let t = z.abs();
    if t >= POLYNOMIAL_LIMIT {
        // 1 − Φ(8.5) = 9.5e-18 is below half an ulp of 1 (5.6e-17): the
        // `erfc` would round to exactly 1 too, at ten times the cost.
        return if z > 0.0 {
            1.0
        } else {
            0.5 * erfc(-z * FRAC_1_SQRT_2)
        };
    }
    // t < 8.5 (or NaN, which gives interval 0 and a NaN result): interval
    // k = ⌊t/WIDTH⌋, where x = 32·(t − centre) = 2·(u − k) − 1, exactly
    // but for the last subtraction.
    let u = t * (1.0 / WIDTH);
    let floor = u.floor();
    let k = (floor as u32 as usize).min(TAILS.len() - 1);
    let upper_tail = estrin(&TAILS[k], 2.0 * (u - floor) - 1.0);
    if z < 0.0 {
        upper_tail
    } else {
        1.0 - upper_tail
    }
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // reference values keep all 17 digits
mod tests {
    use super::*;

    #[test]
    fn above_eight_and_a_half_the_tail_formula_rounds_to_one() {
        // The shortcut returns what `erfc` would, bit for bit.
        let mut z = 8.5;
        while z < 40.0 {
            assert_eq!(0.5 * erfc(-z * FRAC_1_SQRT_2), 1.0, "z = {z}");
            assert_eq!(normal_cdf(z), 1.0);
            z += 1.0 / 64.0;
        }
        assert!(0.5 * erfc(-8.2 * FRAC_1_SQRT_2) < 1.0);
    }

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
            assert!(
                (got - want).abs() / want < 1e-12,
                "Φ({z}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn normal_cdf_agrees_with_libm_everywhere() {
        // Polynomial regions, their boundaries and the tails, against
        // libm's erfc (within 1 ulp).
        // Down to Φ ≈ 6e-300: below, results are subnormal.
        let mut z = -37.0;
        while z < 9.0 {
            let (a, b) = (normal_cdf(z), 0.5 * libm::erfc(-z * FRAC_1_SQRT_2));
            assert!((a - b).abs() <= 1e-13 * b, "Φ({z}) = {a}, libm {b}");
            z += 0.000_377;
        }
        // Every interval boundary k/16, on both sides and both signs.
        for k in 0..=TAILS.len() {
            let z = k as f64 * WIDTH;
            for w in [z - 1e-15, z, z + 1e-15, -z - 1e-15, -z, -z + 1e-15] {
                let (a, b) = (normal_cdf(w), 0.5 * libm::erfc(-w * FRAC_1_SQRT_2));
                assert!((a - b).abs() <= 1e-13 * b, "Φ({w}) = {a}, libm {b}");
            }
        }
        assert!(normal_cdf(f64::NAN).is_nan());
        assert_eq!(normal_cdf(f64::NEG_INFINITY), 0.0);
        assert_eq!(normal_cdf(f64::INFINITY), 1.0);
    }

    #[test]
    fn agrees_with_libm_everywhere() {
        // libm's erfc is within 1 ulp; the scaled branch must stay within
        // 1e-13 of it across the whole range where erfc is not subnormal.
        let mut x = -6.0;
        while x < 26.5 {
            let (a, b) = (erfc(x), libm::erfc(x));
            assert!((a - b).abs() / b < 1e-13, "erfc({x}) = {a}, libm {b}");
            x += 0.000_731;
        }
    }
}
