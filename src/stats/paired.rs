//! Paired differences: one quantity measured on the same paths under two
//! scenarios (common random numbers), accumulated chunk by chunk and
//! merged exactly.
//!
//! On paths `i` where both scenarios define the quantity, with `a_i` from
//! scenario A and `b_i` from B, the paired difference is `d_i = b_i − a_i`.
//! Its standard error is `σ_d/√n`, where
//! `σ_d² = σ_a² + σ_b² − 2ρ σ_a σ_b`; with independent seeds it would be
//! `√((σ_a² + σ_b²)/n)`. The *variance reduction* pairing achieves is
//! `(σ_a² + σ_b²) / σ_d²`, all three sample variances taken on the same
//! paired paths (so the identity above holds exactly for them).

use serde::{Deserialize, Serialize};

use super::{Distribution, Statistics};
use crate::model::cost_measures::Better;

/// The paired differences of one quantity, and each side on the paired
/// paths, mergeable exactly (the same bits whatever the order of chunks
/// and merges).
///
/// # Example
/// ```
/// use hashwatt::stats::{Better, PairedDistribution};
/// let mut p = PairedDistribution::default();
/// let mut buffer = Vec::new();
/// p.add_chunk(&[1.0, 2.0, 3.0, 4.0], &[1.5, 2.0, 3.5, 4.5], Better::Higher, &mut buffer);
/// let s = p.statistics(Better::Higher);
/// assert_eq!(s.difference.mean, 0.375);
/// assert_eq!(s.p_better, 0.875); // 3 better, 1 tie counted half
/// assert_eq!(s.p_tied, 0.25);
/// assert!(s.variance_reduction > 10.0); // the two sides move together
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PairedDistribution {
    /// `b − a` on the paths where both are defined.
    difference: Distribution,
    /// A's values on those paths.
    a: Distribution,
    /// B's values on those paths.
    b: Distribution,
    /// Paths where B is better, worse, equal (by the quantity's [`Better`];
    /// with [`Better::Neither`] only `tied` is counted).
    better: u64,
    worse: u64,
    tied: u64,
}

/// Statistics of a [`PairedDistribution`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairedStatistics {
    /// Paths where both sides are defined (the paired paths).
    pub paths: u64,
    /// The paired difference `b − a`: mean, its standard error, quantiles.
    pub difference: Statistics,
    /// A on the paired paths.
    pub a: Statistics,
    /// B on the paired paths.
    pub b: Statistics,
    /// Share of paired paths where B is better than A, ties counted half
    /// (so identical scenarios give 0.5). NaN for [`Better::Neither`] or no
    /// paired path.
    pub p_better: f64,
    /// Share of paired paths where B equals A exactly (NaN when none are
    /// paired).
    pub p_tied: f64,
    /// `(σ_a² + σ_b²) / σ_d²`: the variance of the difference with
    /// independent seeds over that with common random numbers (the square
    /// of the ratio of their standard errors). +∞ when the paired
    /// difference has no spread but the sides do (pairing removed all the
    /// noise); NaN when nothing varies or fewer than 2 paths are paired.
    pub variance_reduction: f64,
    /// The sample correlation of A and B on the paired paths (NaN when one
    /// side does not vary).
    pub correlation: f64,
}

impl PairedDistribution {
    /// Adds one chunk of paired values: `a[i]` and `b[i]` of the same path,
    /// both defined. `difference` is a reusable buffer.
    ///
    /// # Panics
    /// When `a` and `b` differ in length (a bug of the caller).
    pub fn add_chunk(&mut self, a: &[f64], b: &[f64], better: Better, difference: &mut Vec<f64>) {
        assert_eq!(a.len(), b.len(), "paired values come in pairs");
        difference.clear();
        difference.extend(a.iter().zip(b).map(|(&a, &b)| b - a));
        self.difference.add_chunk(difference);
        self.a.add_chunk(a);
        self.b.add_chunk(b);
        for &d in difference.iter() {
            let (up, down) = match better {
                Better::Higher => (d > 0.0, d < 0.0),
                Better::Lower => (d < 0.0, d > 0.0),
                Better::Neither => (false, false),
            };
            if up {
                self.better += 1;
            } else if down {
                self.worse += 1;
            } else if d == 0.0 {
                self.tied += 1;
            }
        }
    }

    /// Adds everything `other` has counted.
    pub fn merge(&mut self, other: &PairedDistribution) {
        self.difference.merge(&other.difference);
        self.a.merge(&other.a);
        self.b.merge(&other.b);
        self.better += other.better;
        self.worse += other.worse;
        self.tied += other.tied;
    }

    /// The paired differences themselves.
    pub fn difference(&self) -> &Distribution {
        &self.difference
    }

    /// Statistics, with B better than A in the direction `better`.
    pub fn statistics(&self, better: Better) -> PairedStatistics {
        let (d, a, b) = (
            self.difference.statistics(),
            self.a.statistics(),
            self.b.statistics(),
        );
        let paths = d.n;
        let n = paths as f64;
        let p_better = if better == Better::Neither || paths == 0 {
            f64::NAN
        } else {
            (self.better as f64 + 0.5 * self.tied as f64) / n
        };
        let p_tied = if paths == 0 {
            f64::NAN
        } else {
            self.tied as f64 / n
        };
        let (va, vb, vd) = (a.std * a.std, b.std * b.std, d.std * d.std);
        let variance_reduction = if paths < 2 || (vd == 0.0 && va + vb == 0.0) {
            f64::NAN
        } else {
            // x/0 for x > 0 is +∞: pairing removed all the noise.
            (va + vb) / vd
        };
        let correlation = if paths < 2 || va == 0.0 || vb == 0.0 {
            f64::NAN
        } else {
            ((va + vb - vd) / (2.0 * a.std * b.std)).clamp(-1.0, 1.0)
        };
        PairedStatistics {
            paths,
            difference: d,
            a,
            b,
            p_better,
            p_tied,
            variance_reduction,
            correlation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paired(a: &[f64], b: &[f64], better: Better) -> PairedDistribution {
        let mut p = PairedDistribution::default();
        p.add_chunk(a, b, better, &mut Vec::new());
        p
    }

    #[test]
    fn identical_sides_differ_by_exactly_zero() {
        let a = [3.0, 1.0, 4.0, 1.0, 5.0];
        let s = paired(&a, &a, Better::Lower).statistics(Better::Lower);
        assert_eq!((s.difference.mean, s.difference.std), (0.0, 0.0));
        assert_eq!((s.p_better, s.p_tied), (0.5, 1.0));
        assert_eq!(s.variance_reduction, f64::INFINITY);
        assert!((s.correlation - 1.0).abs() < 1e-12);
    }

    #[test]
    fn constant_sides_have_no_variance_reduction() {
        let s = paired(&[2.0; 4], &[2.0; 4], Better::Higher).statistics(Better::Higher);
        assert!(s.variance_reduction.is_nan());
        assert!(s.correlation.is_nan());
    }

    #[test]
    fn directions_count_the_better_side() {
        let (a, b) = ([1.0, 2.0, 3.0], [2.0, 1.0, 5.0]);
        let higher = paired(&a, &b, Better::Higher).statistics(Better::Higher);
        assert_eq!(higher.p_better, 2.0 / 3.0);
        let lower = paired(&a, &b, Better::Lower).statistics(Better::Lower);
        assert_eq!(lower.p_better, 1.0 / 3.0);
        let neither = paired(&a, &b, Better::Neither).statistics(Better::Neither);
        assert!(neither.p_better.is_nan());
    }

    #[test]
    fn variance_reduction_follows_the_identity() {
        // b = a + noise: var(b − a) = var(noise), far below var a + var b.
        let a: Vec<f64> = (0..400).map(|i| (i as f64 * 0.37).sin() * 10.0).collect();
        let b: Vec<f64> = a
            .iter()
            .enumerate()
            .map(|(i, x)| x + 1.0 + (i as f64 * 1.7).cos())
            .collect();
        let s = paired(&a, &b, Better::Higher).statistics(Better::Higher);
        let (va, vb, vd) = (s.a.std.powi(2), s.b.std.powi(2), s.difference.std.powi(2));
        assert!((s.variance_reduction - (va + vb) / vd).abs() < 1e-9);
        let rho = s.correlation;
        let predicted = (va + vb) / (va + vb - 2.0 * rho * s.a.std * s.b.std);
        assert!((predicted / s.variance_reduction - 1.0).abs() < 1e-9);
        assert!(s.variance_reduction > 50.0);
    }

    #[test]
    fn merge_order_is_irrelevant() {
        let a: Vec<f64> = (0..64).map(|i| (i as f64 * 0.91).sin() * 100.0).collect();
        let b: Vec<f64> = a.iter().map(|x| x * 1.1 - 3.0).collect();
        let mut whole = PairedDistribution::default();
        let mut buffer = Vec::new();
        for (x, y) in a.chunks(16).zip(b.chunks(16)) {
            whole.add_chunk(x, y, Better::Higher, &mut buffer);
        }
        let (mut first, mut second) =
            (PairedDistribution::default(), PairedDistribution::default());
        for (k, (x, y)) in a.chunks(16).zip(b.chunks(16)).enumerate() {
            let target = if k % 2 == 0 { &mut first } else { &mut second };
            target.add_chunk(x, y, Better::Higher, &mut buffer);
        }
        second.merge(&first);
        assert_eq!(whole, second);
    }
}
