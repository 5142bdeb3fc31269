//! A mergeable quantile sketch with bounded relative error.
//!
//! Values are counted in logarithmic buckets, DDSketch-style (Masson, Rim
//! and Lee, "DDSketch: a fast and fully-mergeable quantile sketch with
//! relative-error guarantees", VLDB 2019), with the bucket index read off the
//! bits of the `f64`: the binary exponent, plus the top of the mantissa cut
//! into [`BUCKETS_PER_OCTAVE`] equal parts. The index is integer arithmetic
//! on the bits, so it is exact and identical on every machine, and counts are
//! integers, so merging sketches is exactly associative.
//!
//! **Accuracy.** A bucket spans `[lo, hi)` with `hi/lo ≤ 1 + 1/M`
//! (`M = 100`); the reported value `2·lo·hi/(lo+hi)` is within
//! `1/(2M+1) < 0.5 %` relative of every value in the bucket, and is clamped
//! to the exact minimum and maximum seen. Values whose magnitude is below
//! `f64::MIN_POSITIVE` count as zero.

use serde::{Deserialize, Serialize};

/// Buckets per power of two: the relative error bound is `1/(2·M+1)`.
pub const BUCKETS_PER_OCTAVE: i64 = 100;

/// A dense run of bucket counts starting at bucket `offset`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Store {
    offset: i64,
    counts: Vec<u64>,
}

impl Store {
    fn add(&mut self, key: i64, n: u64) {
        if self.counts.is_empty() {
            self.offset = key;
            self.counts.push(0);
        }
        if key < self.offset {
            // Grow downwards with some slack so that a drifting series does
            // not reallocate on every new bucket.
            let need = (self.offset - key) as usize;
            let slack = (self.counts.len() / 4).max(8);
            let grow = need + slack;
            let mut counts = vec![0; grow + self.counts.len()];
            counts[grow..].copy_from_slice(&self.counts);
            self.counts = counts;
            self.offset -= grow as i64;
        } else if key >= self.offset + self.counts.len() as i64 {
            let need = (key - self.offset) as usize + 1;
            let slack = (self.counts.len() / 4).max(8);
            self.counts.resize(need + slack, 0);
        }
        self.counts[(key - self.offset) as usize] += n;
    }

    fn merge(&mut self, other: &Store) {
        for (i, &c) in other.counts.iter().enumerate() {
            if c > 0 {
                self.add(other.offset + i as i64, c);
            }
        }
    }

    /// Keys with a non-zero count, in increasing order, with their counts.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(move |(i, &c)| (self.offset + i as i64, c))
    }
}

/// Bucket key of a positive, normal (or infinite) `f64`.
#[inline]
fn key(x: f64) -> i64 {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mantissa = bits & ((1u64 << 52) - 1);
    exponent * BUCKETS_PER_OCTAVE + ((mantissa * BUCKETS_PER_OCTAVE as u64) >> 52) as i64
}

/// The value reported for bucket `key`: the harmonic midpoint of its bounds.
fn representative(key: i64) -> f64 {
    let exponent = key.div_euclid(BUCKETS_PER_OCTAVE);
    let part = key.rem_euclid(BUCKETS_PER_OCTAVE) as f64;
    let m = BUCKETS_PER_OCTAVE as f64;
    let scale = 2f64.powi(exponent as i32);
    let lo = scale * (1.0 + part / m);
    let hi = scale * (1.0 + (part + 1.0) / m);
    2.0 * lo * hi / (lo + hi)
}

/// A mergeable quantile sketch with relative error below 0.5 %.
///
/// # Example
/// ```
/// use hashwatt::stats::Sketch;
/// let mut s = Sketch::default();
/// for i in 1..=1000 {
///     s.add(i as f64);
/// }
/// let median = s.quantile(0.5).unwrap();
/// assert!((median - 500.0).abs() / 500.0 < 0.005);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    positive: Store,
    negative: Store,
    zero: u64,
    nan: u64,
    min: f64,
    max: f64,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            positive: Store::default(),
            negative: Store::default(),
            zero: 0,
            nan: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Sketch {
    /// Counts one value. NaN is counted apart and never reported as a quantile.
    #[inline]
    pub fn add(&mut self, x: f64) {
        if x.is_nan() {
            self.nan += 1;
            return;
        }
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x >= f64::MIN_POSITIVE {
            self.positive.add(key(x), 1);
        } else if x <= -f64::MIN_POSITIVE {
            self.negative.add(key(-x), 1);
        } else {
            self.zero += 1;
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Sketch) {
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
        self.zero += other.zero;
        self.nan += other.nan;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values counted, NaN excluded.
    pub fn count(&self) -> u64 {
        let pos: u64 = self.positive.counts.iter().sum();
        let neg: u64 = self.negative.counts.iter().sum();
        pos + neg + self.zero
    }

    /// The exact smallest and largest values counted (NaN excluded);
    /// `(inf, -inf)` when none was.
    pub fn range(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// Number of NaN values seen.
    pub fn nan_count(&self) -> u64 {
        self.nan
    }

    /// The `q`-quantile: the value of the order statistic of (0-based) rank
    /// `round(q·(n−1))`, within 0.5 % relative, clamped to the exact minimum
    /// and maximum. `None` when no value was counted or `q` is outside [0, 1].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 || !(0.0..=1.0).contains(&q) {
            return None;
        }
        let rank = (q * (n - 1) as f64).round() as u64;
        let mut seen = 0u64;
        // Increasing order: most negative first (largest key of the negative
        // store), then zeros, then positives.
        for (k, c) in self.negative.iter().rev() {
            seen += c;
            if seen > rank {
                return Some(self.clamp(-representative(k)));
            }
        }
        seen += self.zero;
        if seen > rank {
            return Some(self.clamp(0.0));
        }
        for (k, c) in self.positive.iter() {
            seen += c;
            if seen > rank {
                return Some(self.clamp(representative(k)));
            }
        }
        Some(self.max)
    }

    fn clamp(&self, x: f64) -> f64 {
        x.clamp(self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_within_the_bound_of_its_bucket() {
        let bound = 1.0 / (2.0 * BUCKETS_PER_OCTAVE as f64 + 1.0);
        let mut x = 1e-9;
        while x < 1e12 {
            let r = representative(key(x));
            assert!((r - x).abs() / x <= bound * (1.0 + 1e-12), "{x} -> {r}");
            x *= 1.0007;
        }
    }

    #[test]
    fn quantiles_of_mixed_signs() {
        let mut s = Sketch::default();
        let xs: Vec<f64> = (-500..=500).map(|i| i as f64 * 0.37).collect();
        xs.iter().for_each(|&x| s.add(x));
        assert_eq!(s.quantile(0.0), Some(-500.0 * 0.37));
        assert_eq!(s.quantile(1.0), Some(500.0 * 0.37));
        assert_eq!(s.quantile(0.5), Some(0.0));
        let p5 = s.quantile(0.05).unwrap();
        let exact = xs[50];
        assert!((p5 - exact).abs() / exact.abs() < 0.005, "{p5} vs {exact}");
    }

    #[test]
    fn equal_values_are_reported_exactly() {
        let mut s = Sketch::default();
        (0..10).for_each(|_| s.add(1.0));
        assert_eq!(s.quantile(0.5), Some(1.0));
    }

    #[test]
    fn merge_equals_one_sketch() {
        let (mut a, mut b, mut all) = (Sketch::default(), Sketch::default(), Sketch::default());
        for i in 0..2000 {
            let x = (i as f64 * 0.731).sin() * 1e3;
            all.add(x);
            if i % 3 == 0 { a.add(x) } else { b.add(x) }
        }
        a.merge(&b);
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            assert_eq!(a.quantile(q), all.quantile(q));
        }
        assert_eq!(a.count(), 2000);
    }
}
