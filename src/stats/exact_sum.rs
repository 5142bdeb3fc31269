//! Exact floating-point summation (Shewchuk's non-overlapping expansions).
//!
//! A sum of `f64` values held without any rounding error, so that adding
//! the same values in any order, or in any grouping, gives the same value
//! bit for bit. This is what makes summaries independent of the thread
//! count and of how paths are split into shards.
//!
//! # Notes
//! J. R. Shewchuk, "Adaptive Precision Floating-Point Arithmetic and Fast
//! Robust Geometric Predicates", Discrete & Computational Geometry 18 (1997);
//! the final correctly rounded read-out follows the one used by CPython's
//! `math.fsum`. Intermediate overflow (partial sums beyond `f64::MAX`) is not
//! handled: values here are prices and hashrates, far from that range.

use serde::{Deserialize, Serialize};

/// An exact sum of `f64` values.
///
/// # Example
/// ```
/// use hashwatt::stats::ExactSum;
/// let mut a = ExactSum::default();
/// for x in [1e100, 1.0, -1e100, 0.1] {
///     a.add(x);
/// }
/// assert_eq!(a.value(), 1.1);
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(into = "Canonical", from = "Canonical")]
pub struct ExactSum {
    /// Non-overlapping partials, increasing in magnitude; their exact sum is
    /// the value.
    partials: Vec<f64>,
    /// Sum of the non-finite values added (inf, -inf, NaN), kept apart so that
    /// one of them turns the result non-finite as plain addition would.
    non_finite: f64,
}

/// The canonical form of an exact sum: the greedy expansion (the rounded
/// value, then the rounded rest, ...), a function of the value alone, so
/// that equal sums serialise to equal bytes however they were accumulated.
#[derive(Serialize, Deserialize)]
struct Canonical {
    parts: Vec<f64>,
    non_finite: f64,
}

impl From<ExactSum> for Canonical {
    fn from(s: ExactSum) -> Canonical {
        Canonical {
            parts: s.canonical_parts(),
            non_finite: s.non_finite,
        }
    }
}

impl From<Canonical> for ExactSum {
    fn from(c: Canonical) -> ExactSum {
        let mut s = ExactSum::default();
        c.parts.iter().for_each(|&p| s.add(p));
        s.non_finite = c.non_finite;
        s
    }
}

/// Equal values, however accumulated.
impl PartialEq for ExactSum {
    fn eq(&self, other: &ExactSum) -> bool {
        let same_special = self.non_finite.to_bits() == other.non_finite.to_bits();
        same_special && self.canonical_parts() == other.canonical_parts()
    }
}

impl ExactSum {
    /// The greedy expansion of the value: `v₀ = round(value)`,
    /// `v₁ = round(value − v₀)`, ... until nothing is left.
    fn canonical_parts(&self) -> Vec<f64> {
        let mut rest = ExactSum {
            partials: self.partials.clone(),
            non_finite: 0.0,
        };
        let mut parts = Vec::new();
        loop {
            let v = rest.value();
            if v == 0.0 {
                return parts;
            }
            parts.push(v);
            rest.add(-v);
        }
    }

    /// The partials (non-overlapping, increasing in magnitude) and the sum
    /// of the non-finite values: what a compact record keeps.
    pub(super) fn raw(&self) -> (&[f64], f64) {
        (&self.partials, self.non_finite)
    }

    /// The sum whose [`ExactSum::raw`] parts were `partials` and
    /// `non_finite`, reusing this one's memory.
    pub(super) fn set_raw(&mut self, partials: impl IntoIterator<Item = f64>, non_finite: f64) {
        self.partials.clear();
        self.partials.extend(partials);
        self.non_finite = non_finite;
    }

    /// Adds `x` exactly.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.non_finite += x;
            return;
        }
        let mut x = x;
        let mut kept = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        self.partials.push(x);
    }

    /// Adds the product `a·b` exactly (split into its rounded value and the
    /// rounding error with a fused multiply-add).
    pub fn add_product(&mut self, a: f64, b: f64) {
        let p = a * b;
        let e = a.mul_add(b, -p);
        self.add(p);
        if e != 0.0 {
            self.add(e);
        }
    }

    /// Zero again, keeping its memory.
    pub fn clear(&mut self) {
        self.partials.clear();
        self.non_finite = 0.0;
    }

    /// Adds every value held by `other`.
    pub fn merge(&mut self, other: &ExactSum) {
        if other.partials.is_empty() && other.non_finite == 0.0 {
            return;
        }
        for &p in &other.partials {
            self.add(p);
        }
        self.non_finite += other.non_finite;
    }

    /// The exact sum times `k`, exactly.
    pub fn scaled(&self, k: f64) -> ExactSum {
        let mut out = ExactSum {
            partials: Vec::with_capacity(2 * self.partials.len()),
            non_finite: self.non_finite * k,
        };
        for &p in &self.partials {
            out.add_product(p, k);
        }
        out
    }

    /// The exact square of the sum.
    pub fn squared(&self) -> ExactSum {
        let mut out = ExactSum {
            partials: Vec::new(),
            non_finite: self.non_finite * self.non_finite,
        };
        for &a in &self.partials {
            for &b in &self.partials {
                out.add_product(a, b);
            }
        }
        out
    }

    /// The exact difference `self − other`.
    pub fn minus(&self, other: &ExactSum) -> ExactSum {
        let mut out = self.clone();
        for &p in &other.partials {
            out.add(-p);
        }
        out.non_finite -= other.non_finite;
        out
    }

    /// The sum rounded to the nearest `f64` (ties to even).
    pub fn value(&self) -> f64 {
        if self.non_finite != 0.0 || self.non_finite.is_nan() {
            return self.non_finite;
        }
        let p = &self.partials;
        let Some(mut n) = p.len().checked_sub(1) else {
            return 0.0;
        };
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Ties: if the discarded tail pushes the same way as `lo`, the
        // rounding of `hi + 2·lo` decides (as in CPython's fsum).
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_grouping_do_not_matter() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 * 1.000_000_1f64.powi(i) - 400.0)
            .collect();
        let mut fwd = ExactSum::default();
        xs.iter().for_each(|&x| fwd.add(x));
        let mut rev = ExactSum::default();
        xs.iter().rev().for_each(|&x| rev.add(x));
        let (mut a, mut b) = (ExactSum::default(), ExactSum::default());
        xs[..333].iter().for_each(|&x| a.add(x));
        xs[333..].iter().for_each(|&x| b.add(x));
        b.merge(&a);
        assert_eq!(fwd.value().to_bits(), rev.value().to_bits());
        assert_eq!(fwd.value().to_bits(), b.value().to_bits());
    }

    #[test]
    fn correctly_rounded() {
        let mut s = ExactSum::default();
        for x in [1.0, 1e-16, 1e-16] {
            s.add(x);
        }
        // 1 + 2e-16 rounds to the next double above 1.
        assert_eq!(s.value(), 1.0 + f64::EPSILON);
        let mut t = ExactSum::default();
        for x in [0.1; 10] {
            t.add(x);
        }
        assert_eq!(t.value(), 1.0);
    }

    #[test]
    fn products_and_squares_are_exact() {
        let mut s = ExactSum::default();
        s.add(0.1);
        s.add(1e-20);
        let sq = s.squared();
        // (0.1 + 1e-20)^2 - 0.1^2 - 2e-21 - 1e-40 = 0 exactly
        let mut r = sq.minus(&{
            let mut t = ExactSum::default();
            t.add_product(0.1, 0.1);
            t.add_product(2.0 * 0.1, 1e-20);
            t.add_product(1e-20, 1e-20);
            t
        });
        r.add(0.0);
        assert_eq!(r.value(), 0.0);
        assert_eq!(s.scaled(3.0).value(), 0.30000000000000004);
    }

    #[test]
    fn equal_values_have_one_canonical_form() {
        let xs = [1e20, 3.0, -1e-5, 0.1, 7e-30];
        let (mut a, mut b) = (ExactSum::default(), ExactSum::default());
        xs.iter().for_each(|&x| a.add(x));
        xs.iter().rev().for_each(|&x| b.add(x));
        assert_eq!(a, b);
        assert_eq!(
            postcard::to_stdvec(&a).unwrap(),
            postcard::to_stdvec(&b).unwrap()
        );
        let back: ExactSum = postcard::from_bytes(&postcard::to_stdvec(&a).unwrap()).unwrap();
        assert_eq!(back.value(), a.value());
        assert_eq!(back, a);
    }

    #[test]
    fn non_finite_values_propagate() {
        let mut s = ExactSum::default();
        s.add(1.0);
        s.add(f64::INFINITY);
        assert_eq!(s.value(), f64::INFINITY);
        s.add(f64::NEG_INFINITY);
        assert!(s.value().is_nan());
    }
}
