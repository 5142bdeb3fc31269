//! The distribution of one quantity across paths: moments and quantiles,
//! accumulated chunk by chunk and merged exactly.

use serde::{Deserialize, Serialize};

use super::{ExactSum, Sketch};

/// The probabilities of the reported quantiles: p5, p25, p50, p75, p95.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Mean, standard deviation and quantiles of one quantity across paths.
///
/// Values arrive in chunks (a fixed group of paths). Inside a chunk plain
/// `f64` arithmetic in a fixed order gives the chunk's mean `m_c` and sum of
/// squared deviations `M2_c`; across chunks only exact operations are used
/// (integer counts, [`ExactSum`]s of `n_c·m_c`, `n_c·m_c²` and `M2_c`), so
/// the result does not depend on which chunks were merged first.
///
/// # Example
/// ```
/// use hashwatt::stats::Distribution;
/// let mut d = Distribution::default();
/// d.add_chunk(&[1.0, 2.0, 3.0]);
/// d.add_chunk(&[4.0]);
/// let s = d.statistics();
/// assert_eq!(s.mean, 2.5);
/// assert!((s.std - 1.2909944487358056).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    n: u64,
    /// Σ n_c·m_c
    sum: ExactSum,
    /// Σ n_c·m_c²
    sum_sq_means: ExactSum,
    /// Σ M2_c
    within: ExactSum,
    sketch: Sketch,
}

/// Summary statistics of a [`Distribution`] (model.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Statistics {
    /// Number of values.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 in the denominator; 0 when n < 2).
    pub std: f64,
    /// Monte Carlo standard error of the mean: std / √n.
    pub stderr: f64,
    /// p5, p25, p50, p75, p95 (see [`QUANTILES`]).
    pub quantiles: [f64; 5],
}

/// Independent partial sums in a fixed pattern (value `i` goes to lane
/// `i mod LANES`): the same bits every time, without one long chain of
/// dependent additions, so the compiler can vectorise.
const LANES: usize = 8;

/// Combines the lanes in a fixed tree.
fn fold_lanes(l: [f64; LANES]) -> f64 {
    ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
}

/// `Σ f(v)`, summed lane by lane.
#[inline]
fn lane_sum(values: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut lanes = [0.0; LANES];
    let mut blocks = values.chunks_exact(LANES);
    for block in &mut blocks {
        for (acc, &v) in lanes.iter_mut().zip(block) {
            *acc += f(v);
        }
    }
    for (acc, &v) in lanes.iter_mut().zip(blocks.remainder()) {
        *acc += f(v);
    }
    fold_lanes(lanes)
}

/// Smallest value, largest value (NaN ignored, as `f64::min` does) and sum.
#[inline]
fn range_and_sum(values: &[f64]) -> (f64, f64, f64) {
    let mut lo = [f64::INFINITY; LANES];
    let mut hi = [f64::NEG_INFINITY; LANES];
    let mut sum = [0.0; LANES];
    let mut blocks = values.chunks_exact(LANES);
    // A comparison never true for NaN keeps it out, in one instruction
    // (`f64::min` needs three).
    let lower = |a: f64, v: f64| if v < a { v } else { a };
    let upper = |a: f64, v: f64| if v > a { v } else { a };
    for block in &mut blocks {
        for l in 0..LANES {
            lo[l] = lower(lo[l], block[l]);
            hi[l] = upper(hi[l], block[l]);
            sum[l] += block[l];
        }
    }
    for (l, &v) in blocks.remainder().iter().enumerate() {
        lo[l] = lower(lo[l], v);
        hi[l] = upper(hi[l], v);
        sum[l] += v;
    }
    let lo = lo.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    let hi = hi.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    (lo, hi, fold_lanes(sum))
}

impl Distribution {
    /// Adds one chunk of values (one per path). The order of the values
    /// inside the chunk is part of the result; the order of chunks is not.
    pub fn add_chunk(&mut self, values: &[f64]) {
        if values.is_empty() {
            return;
        }
        let n = values.len() as f64;
        let (lo, hi, total) = range_and_sum(values);
        // A NaN makes the sum NaN (and so may ±inf together; then the
        // sketch just takes the slow path).
        self.sketch.add_slice(values, lo, hi, total.is_nan());
        // Equal values give a mean and spread that are exact, not rounded.
        let (mean, m2) = if lo == hi {
            (values[0], 0.0)
        } else {
            let mean = total / n;
            (mean, lane_sum(values, |v| (v - mean) * (v - mean)))
        };
        self.n += values.len() as u64;
        self.sum.add_product(n, mean);
        let sq = mean * mean;
        self.sum_sq_means.add_product(n, sq);
        self.sum_sq_means.add_product(n, mean.mul_add(mean, -sq));
        self.within.add(m2);
    }

    /// Forgets every value, keeping its memory for the next ones.
    pub fn clear(&mut self) {
        self.n = 0;
        self.sum.clear();
        self.sum_sq_means.clear();
        self.within.clear();
        self.sketch.clear();
    }

    /// Adds everything `other` has counted.
    pub fn merge(&mut self, other: &Distribution) {
        self.n += other.n;
        self.sum.merge(&other.sum);
        self.sum_sq_means.merge(&other.sum_sq_means);
        self.within.merge(&other.within);
        self.sketch.merge(&other.sketch);
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The `p`-quantile, read from the sketch at the fractional rank
    /// `p·(n−1)` (numpy's default, linear definition) within 0.78 %
    /// relative (see [`Sketch::quantile`]); NaN values are ignored. NaN
    /// when no value was counted or `p` is outside [0, 1].
    pub fn quantile(&self, p: f64) -> f64 {
        self.sketch.quantile(p).unwrap_or(f64::NAN)
    }

    /// The lower tail mean (expected shortfall, CVaR) at level `p`: the
    /// mean of the lowest `p·n` values, the last one weighted by its
    /// fraction so that it is continuous in `p`. `p = 0.05` gives the mean
    /// of the worst 5 %, `p = 1` the mean; for `p·n < 1` it is the smallest
    /// value as [`Distribution::quantile`] reads it at 0. NaN values are
    /// ignored; NaN when no value was counted or `p` is outside [0, 1].
    ///
    /// Computed from the sketch's buckets (values placed as the quantiles
    /// read them), so it merges exactly: the same bits whatever the order
    /// of chunks and merges.
    ///
    /// **Accuracy.** Each value of the tail is off by less than `1/M` of
    /// its magnitude (`M` = [`BUCKETS_PER_OCTAVE`](super::BUCKETS_PER_OCTAVE)
    /// = 128, 0.78 %), as for the quantiles. The errors are relative per
    /// value, so the absolute error of the tail mean is at most
    /// `(1/M)·` the mean of `|x|` over the same tail: within 0.78 %
    /// relative when the tail has one sign, only that absolute bound when
    /// it mixes signs and its mean is near zero. See
    /// [`Sketch::lower_tail_mean`] for the exceptions (magnitudes more than
    /// 2³² below the largest).
    pub fn lower_tail_mean(&self, p: f64) -> f64 {
        self.sketch.lower_tail_mean(p).unwrap_or(f64::NAN)
    }

    /// Mean, standard deviation, standard error and quantiles. With no
    /// values every field is NaN (and `n` is 0).
    pub fn statistics(&self) -> Statistics {
        let n = self.n as f64;
        if self.n == 0 {
            return Statistics {
                n: 0,
                mean: f64::NAN,
                std: f64::NAN,
                stderr: f64::NAN,
                quantiles: [f64::NAN; 5],
            };
        }
        let (lo, hi) = self.sketch.range();
        if lo == hi && self.sketch.nan_count() == 0 {
            // All values equal: report them exactly.
            return Statistics {
                n: self.n,
                mean: lo,
                std: 0.0,
                stderr: 0.0,
                quantiles: [lo; 5],
            };
        }
        let mean = self.sum.value() / n;
        let std = if self.n < 2 {
            0.0
        } else {
            // Between-chunk part: (N·Σn_c m_c² − (Σn_c m_c)²) / N, exact up
            // to the final rounding and never negative.
            let between = self.sum_sq_means.scaled(n).minus(&self.sum.squared());
            let m2 = self.within.value() + between.value().max(0.0) / n;
            (m2 / (n - 1.0)).sqrt()
        };
        let quantiles = self
            .sketch
            .quantiles(QUANTILES)
            .map(|q| q.unwrap_or(f64::NAN));
        Statistics {
            n: self.n,
            mean,
            std,
            stderr: std / n.sqrt(),
            quantiles,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunking_only_moves_the_last_bits() {
        let xs: Vec<f64> = (0..1000).map(|i| 1e6 + (i as f64 * 0.37).cos()).collect();
        let mut one = Distribution::default();
        one.add_chunk(&xs);
        let mut many = Distribution::default();
        xs.chunks(7).for_each(|c| many.add_chunk(c));
        let (a, b) = (one.statistics(), many.statistics());
        assert!((a.mean - b.mean).abs() < 1e-9);
        assert!((a.std - b.std).abs() / a.std < 1e-9);
        let mean = xs.iter().sum::<f64>() / 1000.0;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 999.0;
        assert!((b.std - var.sqrt()).abs() / var.sqrt() < 1e-9);
    }

    #[test]
    fn merge_order_is_irrelevant() {
        let chunks: Vec<Vec<f64>> = (0..20)
            .map(|c| {
                (0..16)
                    .map(|i| ((c * 16 + i) as f64 * 0.91).sin() * 100.0)
                    .collect()
            })
            .collect();
        let mut a = Distribution::default();
        chunks.iter().for_each(|c| a.add_chunk(c));
        let (mut b, mut b2) = (Distribution::default(), Distribution::default());
        chunks.iter().rev().take(9).for_each(|c| b.add_chunk(c));
        chunks.iter().take(11).for_each(|c| b2.add_chunk(c));
        b2.merge(&b);
        let (sa, sb) = (a.statistics(), b2.statistics());
        assert_eq!(sa.mean.to_bits(), sb.mean.to_bits());
        assert_eq!(sa.std.to_bits(), sb.std.to_bits());
        assert_eq!(sa.quantiles, sb.quantiles);
    }

    #[test]
    fn constant_values_have_zero_spread() {
        let mut d = Distribution::default();
        d.add_chunk(&[0.1; 3]);
        d.add_chunk(&[0.1; 5]);
        let s = d.statistics();
        assert_eq!((s.mean, s.std, s.stderr), (0.1, 0.0, 0.0));
        assert_eq!(s.quantiles, [0.1; 5]);
    }

    #[test]
    fn one_value_has_zero_std() {
        let mut d = Distribution::default();
        d.add_chunk(&[42.0]);
        let s = d.statistics();
        assert_eq!((s.mean, s.std, s.stderr), (42.0, 0.0, 0.0));
    }
}
