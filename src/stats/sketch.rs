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
//! (`M = 128`). A quantile is read at the fractional rank `q·(n−1)` (the
//! definition of numpy's default, linear method), placing the `c` values of
//! a bucket evenly inside it; the result lies in the bucket that holds the
//! order statistic, so its relative error is below `1/M = 0.78 %` whatever
//! the data, and far smaller for smooth distributions with many values per
//! bucket. Results are clamped to the exact minimum and maximum seen.
//! **Range.** A store keeps at most 32 octaves of buckets below the largest
//! magnitude seen; smaller magnitudes are counted in its lowest bucket, so a
//! quantile below `max/2³²` (in magnitude) is reported within that bucket,
//! not within 0.78 %. The folding depends only on the final largest value,
//! so it is the same in whatever order values and merges come.
//! Values whose magnitude is below `f64::MIN_POSITIVE` count as zero.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use super::ExactSum;

/// Buckets per power of two: the relative error bound is `1/M`.
pub const BUCKETS_PER_OCTAVE: i64 = 1 << MANTISSA_BITS_KEPT;

/// Widest run of buckets a store keeps: 32 octaves (a factor 4.3·10⁹)
/// below its largest value; smaller magnitudes are counted in the lowest
/// kept bucket. Bounds memory when a series collapses towards zero on some
/// paths.
pub(super) const MAX_WIDTH: i64 = 32 * BUCKETS_PER_OCTAVE;

/// Top bits of the mantissa that pick the bucket inside an octave.
const MANTISSA_BITS_KEPT: u32 = 7;

/// A positive `f64`'s bits shifted right by this are its key plus
/// `1023·M`: exponent and top of the mantissa.
const KEY_SHIFT: u32 = 52 - MANTISSA_BITS_KEPT;

/// A dense run of bucket counts starting at bucket `offset`. Serialised and
/// compared without the empty buckets at its ends, so that equal counts are
/// equal however the store grew.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "Trimmed")]
struct Store {
    offset: i64,
    counts: Vec<u32>,
    /// Largest key counted (`i64::MIN` when empty): keys more than
    /// [`MAX_WIDTH`] below it are counted in the lowest kept bucket.
    max_key: i64,
    /// Keys `used.0 ..= used.1` hold every non-zero count (empty when
    /// `used.0 > used.1`): clearing and merging touch only them, not the
    /// buckets a reused store keeps from earlier values.
    used: (i64, i64),
}

/// No key used.
const UNUSED: (i64, i64) = (i64::MAX, i64::MIN);

impl Default for Store {
    fn default() -> Self {
        Store {
            offset: 0,
            counts: Vec::new(),
            max_key: i64::MIN,
            used: UNUSED,
        }
    }
}

/// A store without empty buckets at its ends: its canonical form, as read.
#[derive(Deserialize)]
struct Trimmed {
    offset: i64,
    counts: Vec<u32>,
}

/// The canonical form of a store, borrowed: how a store is written and
/// compared (the same fields as [`Trimmed`]), without copying its counts.
#[derive(PartialEq, Serialize)]
struct TrimmedRef<'a> {
    offset: i64,
    counts: &'a [u32],
}

impl<'a> From<&'a Store> for TrimmedRef<'a> {
    fn from(s: &'a Store) -> TrimmedRef<'a> {
        let first = s.counts.iter().position(|&c| c > 0);
        let last = s.counts.iter().rposition(|&c| c > 0);
        match (first, last) {
            (Some(a), Some(b)) => TrimmedRef {
                offset: s.offset + a as i64,
                counts: &s.counts[a..=b],
            },
            _ => TrimmedRef {
                offset: 0,
                counts: &[],
            },
        }
    }
}

impl Serialize for Store {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TrimmedRef::from(self).serialize(serializer)
    }
}

impl From<Trimmed> for Store {
    fn from(t: Trimmed) -> Store {
        let mut store = Store::default();
        for (i, &c) in t.counts.iter().enumerate() {
            if c > 0 {
                store.add(t.offset + i as i64, c);
            }
        }
        store
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        TrimmedRef::from(self) == TrimmedRef::from(other)
    }
}

impl Store {
    /// The lowest key kept: everything below counts here.
    #[inline]
    fn floor(&self) -> i64 {
        self.max_key.saturating_sub(MAX_WIDTH - 1)
    }

    /// A new largest key: buckets that fall below the new floor are folded
    /// into it. The result depends only on the final largest key and the
    /// counts, not on the order they came in, so merging stays exact.
    fn raise_max(&mut self, key: i64) {
        self.max_key = key;
        let floor = self.floor();
        if self.counts.is_empty() || self.offset >= floor {
            return;
        }
        let cut = ((floor - self.offset) as usize).min(self.counts.len());
        let folded: u32 = self.counts.drain(..cut).sum();
        if self.counts.is_empty() {
            self.counts.push(0);
        }
        self.offset = floor;
        self.counts[0] += folded;
        if self.used.0 <= self.used.1 && self.used.0 < floor {
            // What was below the floor is in the floor's bucket now.
            self.used = (floor, self.used.1.max(floor));
        }
    }

    #[inline]
    fn add(&mut self, key: i64, n: u32) {
        if key > self.max_key {
            self.raise_max(key);
        }
        let key = key.max(self.floor());
        if self.counts.is_empty() {
            self.offset = key;
            self.counts.push(0);
        }
        if key < self.offset {
            // Grow downwards with some slack so that a drifting series does
            // not reallocate on every new bucket.
            let need = (self.offset - key) as usize;
            let slack = (self.counts.len() / 8).max(8);
            let grow = need + slack;
            let mut counts = vec![0; grow + self.counts.len()];
            counts[grow..].copy_from_slice(&self.counts);
            self.counts = counts;
            self.offset -= grow as i64;
        } else if key >= self.offset + self.counts.len() as i64 {
            let need = (key - self.offset) as usize + 1;
            let slack = (self.counts.len() / 8).max(8);
            // Exact: the slack is the growth policy, not Vec's doubling.
            self.counts.reserve_exact(need + slack - self.counts.len());
            self.counts.resize(need + slack, 0);
        }
        self.counts[(key - self.offset) as usize] += n;
        self.used = (self.used.0.min(key), self.used.1.max(key));
    }

    /// The positions in `counts` of the used keys.
    fn used_slots(&self) -> std::ops::Range<usize> {
        if self.used.0 > self.used.1 {
            return 0..0;
        }
        let lo = (self.used.0 - self.offset).max(0) as usize;
        let hi = ((self.used.1 - self.offset + 1).max(0) as usize).min(self.counts.len());
        lo.min(hi)..hi
    }

    /// Makes the store cover the keys `lo..=hi` (the largest first, so
    /// that `lo` is already held to the floor).
    fn cover(&mut self, lo: i64, hi: i64) {
        self.add(hi, 0);
        self.add(lo, 0);
    }

    fn merge(&mut self, other: &Store) {
        let slots = other.used_slots();
        if slots.is_empty() {
            return;
        }
        let first = other.offset + slots.start as i64;
        let theirs = &other.counts[slots];
        // The common case when a worker adds a chunk to what it holds:
        // `other`'s used keys lie inside this store's buckets and raise no
        // maximum, so adding bucket by bucket is all the general path does.
        let start = first - self.offset;
        let inside = other.max_key <= self.max_key
            && first >= self.floor()
            && start >= 0
            && start as usize + theirs.len() <= self.counts.len();
        if inside {
            let start = start as usize;
            let mine = &mut self.counts[start..start + theirs.len()];
            mine.iter_mut().zip(theirs).for_each(|(m, &c)| *m += c);
            let last = first + theirs.len() as i64 - 1;
            self.used = (self.used.0.min(first), self.used.1.max(last));
            return;
        }
        for (i, &c) in theirs.iter().enumerate() {
            if c > 0 {
                self.add(first + i as i64, c);
            }
        }
    }

    /// No count left; the buckets stay allocated (as zeros) for reuse.
    fn clear(&mut self) {
        let slots = self.used_slots();
        self.counts[slots].fill(0);
        self.max_key = i64::MIN;
        self.used = UNUSED;
    }

    /// Keys with a non-zero count, in increasing order, with their counts.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(move |(i, &c)| (self.offset + i as i64, c))
    }
}

/// Slots of the local histogram: a power of two above [`MAX_WIDTH`] keys
/// and a zero slot, so that a masked index needs no bounds check.
const LOCAL_SLOTS: usize = 2 * MAX_WIDTH as usize;
const SLOT_MASK: usize = LOCAL_SLOTS - 1;

thread_local! {
    /// A histogram of up to [`MAX_WIDTH`] keys and a zero slot, all zero
    /// between uses: see [`Sketch::count_nonnegative`].
    static LOCAL: RefCell<Box<[u32; LOCAL_SLOTS]>> = RefCell::new(Box::new([0; LOCAL_SLOTS]));
}

/// The smallest positive value of `values` (none negative or NaN), whose
/// smallest and largest are `lo` and `hi`, at least one of them positive.
fn smallest_positive(values: &[f64], lo: f64, hi: f64) -> f64 {
    if lo >= f64::MIN_POSITIVE {
        lo
    } else {
        let positive = |v: f64| if v >= f64::MIN_POSITIVE { v } else { hi };
        values.iter().fold(hi, |a, &v| a.min(positive(v)))
    }
}

/// Counts `values`, none negative, NaN or infinite, whose positive ones
/// lie in `[smallest, hi]` (some zero if `zeros`), in the thread's
/// [`LOCAL`] histogram, keys below `floor` at the floor; hands `take` the
/// counts of the keys from `base` to the largest (`base` is the smallest
/// key, at least the floor), which it must leave zero, and returns the
/// number of zeros.
fn histogram(
    values: &[f64],
    smallest: f64,
    hi: f64,
    zeros: bool,
    floor: i64,
    take: impl FnOnce(i64, &mut [u32]),
) -> u64 {
    // Keys below the floor count at the floor; an earlier, larger value
    // may have raised it above every key of this slice.
    let base = key(smallest).max(floor);
    let top = key(hi).max(floor);
    // At most MAX_WIDTH keys: `base` is at least the floor.
    let width = (top - base) as usize + 1;
    LOCAL.with_borrow_mut(|local| {
        if !zeros && key(smallest) >= floor {
            // No zeros and nothing below the floor: a key is the top
            // bits of a value (its sign bit is 0), less the lowest's.
            let lowest = smallest.to_bits() >> KEY_SHIFT;
            for &v in values {
                let slot = ((v.to_bits() >> KEY_SHIFT).wrapping_sub(lowest)) as usize;
                local[slot & SLOT_MASK] += 1;
            }
        } else {
            // Zeros in the slot after the keys.
            for &v in values {
                let slot = if v >= f64::MIN_POSITIVE {
                    (key(v).max(floor) - base) as usize
                } else {
                    width
                };
                local[slot & SLOT_MASK] += 1;
            }
        }
        let zero = u64::from(std::mem::take(&mut local[width]));
        take(base, &mut local[..width]);
        zero
    })
}

/// Counts `values` as [`Sketch::add_slice`] counts them into an empty
/// sketch, when it can take the fast way (no value negative, NaN or
/// infinite): hands `take` the counts of the positive keys from the
/// smallest (as [`histogram`]) and returns the number of zeros; `None`
/// when the values need [`Sketch::add`] one by one. The exact range is
/// then `(lo, hi)`, as the sketch would hold it.
pub(super) fn count_fresh(
    values: &[f64],
    (lo, hi): (f64, f64),
    has_nan: bool,
    take: impl FnOnce(i64, &mut [u32]),
) -> Option<u64> {
    if has_nan || !hi.is_finite() || lo <= -f64::MIN_POSITIVE {
        return None;
    }
    if hi < f64::MIN_POSITIVE {
        return Some(values.len() as u64);
    }
    let smallest = smallest_positive(values, lo, hi);
    // An empty store's floor once its largest key is `key(hi)`.
    let floor = key(hi).saturating_sub(MAX_WIDTH - 1);
    Some(histogram(
        values,
        smallest,
        hi,
        lo < f64::MIN_POSITIVE,
        floor,
        take,
    ))
}

/// Bucket key of a positive, normal (or infinite) `f64`.
#[inline]
fn key(x: f64) -> i64 {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let top = (bits >> KEY_SHIFT) & (BUCKETS_PER_OCTAVE as u64 - 1);
    exponent * BUCKETS_PER_OCTAVE + top as i64
}

/// The bounds `[lo, hi)` of bucket `key`.
fn bounds(key: i64) -> (f64, f64) {
    let exponent = key.div_euclid(BUCKETS_PER_OCTAVE);
    let part = key.rem_euclid(BUCKETS_PER_OCTAVE) as f64;
    let m = BUCKETS_PER_OCTAVE as f64;
    // 2^exponent, built from its bits (exponents of normal doubles only).
    let scale = f64::from_bits(((exponent + 1023).clamp(1, 2046) as u64) << 52);
    (scale * (1.0 + part / m), scale * (1.0 + (part + 1.0) / m))
}

/// A mergeable quantile sketch with relative error below 0.78 %.
///
/// # Example
/// ```
/// use hashwatt::stats::Sketch;
/// let mut s = Sketch::default();
/// for i in 1..=1000 {
///     s.add(i as f64);
/// }
/// let median = s.quantile(0.5).unwrap();
/// assert!((median - 500.5).abs() / 500.5 < 0.001);
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

    /// Counts every value of `values`, whose smallest and largest are `lo`
    /// and `hi` (NaN excluded) and of which some are NaN if `has_nan`;
    /// faster than [`Sketch::add`] one by one. At most `u32::MAX` values.
    pub fn add_slice(&mut self, values: &[f64], lo: f64, hi: f64, has_nan: bool) {
        if has_nan || !hi.is_finite() || lo <= -f64::MIN_POSITIVE {
            values.iter().for_each(|&v| self.add(v));
            return;
        }
        // The common cases: no value negative, NaN or infinite.
        self.min = self.min.min(lo);
        self.max = self.max.max(hi);
        if hi < f64::MIN_POSITIVE {
            // All zero (a series that is 0 on every path of the chunk).
            self.zero += values.len() as u64;
            return;
        }
        let smallest = smallest_positive(values, lo, hi);
        self.count_nonnegative(values, smallest, hi, lo < f64::MIN_POSITIVE);
    }

    /// Counts `values`, none negative, NaN or infinite, whose positive
    /// ones lie in `[smallest, hi]` (some zero if `zeros`): first in the
    /// thread's [`LOCAL`] histogram, hot in cache, then into the store in
    /// one sequential pass. A run's stores (one per series and step) are
    /// far larger than the cache, and increments scattered straight into
    /// them would wait on memory.
    fn count_nonnegative(&mut self, values: &[f64], smallest: f64, hi: f64, zeros: bool) {
        let store = &mut self.positive;
        store.cover(key(smallest), key(hi));
        let floor = store.floor();
        self.zero += histogram(values, smallest, hi, zeros, floor, |base, local| {
            let start = (base - store.offset) as usize;
            let counts = &mut store.counts[start..start + local.len()];
            for (count, l) in counts.iter_mut().zip(local.iter_mut()) {
                *count += std::mem::take(l);
            }
        });
    }

    /// Forgets every value, keeping its memory for the next ones.
    pub fn clear(&mut self) {
        self.positive.clear();
        self.negative.clear();
        self.zero = 0;
        self.nan = 0;
        self.min = f64::INFINITY;
        self.max = f64::NEG_INFINITY;
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
        let pos: u64 = self.positive.counts.iter().map(|&c| u64::from(c)).sum();
        let neg: u64 = self.negative.counts.iter().map(|&c| u64::from(c)).sum();
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

    /// The `q`-quantile at the fractional rank `q·(n−1)` (0-based), within
    /// 0.78 % relative, clamped to the exact minimum and maximum. `None`
    /// when no value was counted or `q` is outside [0, 1].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&q) {
            return None;
        }
        let [v] = self.quantiles([q]);
        v
    }

    /// Several quantiles in one pass over the buckets; `qs` must be
    /// increasing and inside [0, 1]. `None` where no value was counted.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [Option<f64>; N] {
        self.read_quantiles(qs)
    }

    /// The mean of the lowest `p·n` values (`n` counted, NaN excluded):
    /// the lower tail mean, or expected shortfall / CVaR at level `p`, so
    /// `p = 0.05` gives the mean of the worst 5 %. With `t = p·n` and the
    /// values sorted `x₀ ≤ x₁ ≤ …`, it is `(x₀ + … + x_{k−1} + f·x_k) / t`
    /// where `k = ⌊t⌋` and `f = t − k`: the last value is weighted by its
    /// fraction, so the result is continuous and non-decreasing in `p`
    /// (up to the rounding of the final sum and division). For `t < 1` it
    /// is the smallest value, as [`Sketch::quantile`] reads it at `q = 0`;
    /// `p = 1` gives the mean. `None` when no value was counted or `p` is
    /// outside [0, 1].
    ///
    /// The values of each bucket are placed evenly inside it, at
    /// `lo + (j + ½)/c·(hi − lo)` and clamped to the exact minimum and
    /// maximum, as [`Sketch::quantile`] reads them; the sum runs over the
    /// buckets in value order, in closed form per bucket, into an
    /// [`ExactSum`]. It reads only the integer counts and the exact range,
    /// so the result has the same bits whatever the order of values and
    /// merges.
    ///
    /// **Accuracy.** A bucket holds exactly the values of a run of ranks,
    /// so each value of the tail is replaced by a stand-in inside its own
    /// bucket, off by at most the bucket width: below `|x|/M` for a value
    /// `x` (`M` = [`BUCKETS_PER_OCTAVE`] = 128, 0.78 %), like the
    /// quantiles. Errors are relative per value, not to the result: the
    /// absolute error is at most `(1/M)·` the mean of `|x|` over the same
    /// tail (with the same weights), so a tail of one sign is within 0.78 %
    /// relative, while for values of both signs whose mean is near zero
    /// only that absolute bound holds. Rounding adds about `10⁻¹⁶` of the
    /// mean `|x|`. Not covered, as for the quantiles: magnitudes below
    /// `max/2³²` folded into a store's lowest bucket, and magnitudes below
    /// `f64::MIN_POSITIVE`, counted as zero.
    pub fn lower_tail_mean(&self, p: f64) -> Option<f64> {
        self.read_lower_tail_mean(p)
    }

    /// The zeros counted (values of magnitude below `f64::MIN_POSITIVE`).
    pub(super) fn zero_count(&self) -> u64 {
        self.zero
    }

    /// The non-zero counts of the positive and of the negative store (keys
    /// of `|x|`), each as its first key and the counts from there; for
    /// [`Distribution`](super::Distribution)'s compact records.
    pub(super) fn stores(&self) -> [(i64, &[u32]); 2] {
        [&self.positive, &self.negative].map(|s| {
            let t = TrimmedRef::from(s);
            (t.offset, t.counts)
        })
    }
}

impl ReadOut for Sketch {
    fn counted(&self) -> u64 {
        self.count()
    }

    fn extent(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn buckets(&self) -> impl Iterator<Item = Bucket> + '_ {
        let negative = self
            .negative
            .iter()
            .rev()
            .map(|(k, c)| negative_bucket(k, c));
        let zero = (self.zero > 0).then_some(Bucket::new(0.0, 0.0, self.zero));
        let positive = self.positive.iter().map(|(k, c)| positive_bucket(k, c));
        negative.chain(zero).chain(positive)
    }
}

/// The bucket of the negative values whose magnitudes have key `k`.
pub(super) fn negative_bucket(k: i64, c: u32) -> Bucket {
    let (lo, hi) = bounds(k);
    Bucket::new(-hi, -lo, u64::from(c))
}

/// The bucket of the positive values of key `k`.
pub(super) fn positive_bucket(k: i64, c: u32) -> Bucket {
    let (lo, hi) = bounds(k);
    Bucket::new(lo, hi, u64::from(c))
}

/// The read-outs of a sketch's counts, shared by the dense [`Sketch`] and
/// the compact records of a [`Distribution`](super::Distribution): what
/// they need is the number of values, their exact range and the non-empty
/// buckets in value order, so equal counts read out the same bits.
pub(super) trait ReadOut {
    /// Number of values counted, NaN excluded.
    fn counted(&self) -> u64;

    /// The exact smallest and largest values counted.
    fn extent(&self) -> (f64, f64);

    /// The non-empty buckets in increasing order of value: the negative
    /// store from its largest key, the zeros, the positive store.
    fn buckets(&self) -> impl Iterator<Item = Bucket> + '_;

    /// [`Sketch::quantile`].
    fn read_quantile(&self, q: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&q) {
            return None;
        }
        let [v] = self.read_quantiles([q]);
        v
    }

    /// [`Sketch::quantiles`].
    fn read_quantiles<const N: usize>(&self, qs: [f64; N]) -> [Option<f64>; N] {
        let n = self.counted();
        let mut out = [None; N];
        if n == 0 {
            return out;
        }
        let mut buckets = self.buckets().map(|b| (b.lo, b.hi, b.count as f64));
        let mut current = buckets.next();
        let mut before = 0.0;
        for (slot, q) in out.iter_mut().zip(qs) {
            let rank = q * (n - 1) as f64;
            while let Some((lo, hi, c)) = current {
                if rank < before + c {
                    // The bucket's values sit evenly at lo + (k + ½)/c·(hi − lo).
                    let at = ((rank - before + 0.5) / c).clamp(0.0, 1.0);
                    *slot = Some(self.clamp(lo + at * (hi - lo)));
                    break;
                }
                before += c;
                current = buckets.next();
            }
            if current.is_none() {
                *slot = Some(self.extent().1);
            }
        }
        out
    }

    /// `x` held to the exact range.
    fn clamp(&self, x: f64) -> f64 {
        let (min, max) = self.extent();
        x.clamp(min, max)
    }

    /// [`Sketch::lower_tail_mean`].
    fn read_lower_tail_mean(&self, p: f64) -> Option<f64> {
        let n = self.counted();
        if n == 0 || !(0.0..=1.0).contains(&p) {
            return None;
        }
        let t = p * n as f64;
        let (min, max) = self.extent();
        if min == max || t < 1.0 {
            return self.read_quantile(0.0);
        }
        let whole = (t as u64).min(n);
        let frac = t - whole as f64;
        let mut sum = ExactSum::default();
        let mut before = 0;
        for b in self.buckets() {
            let take = (whole - before).min(b.count);
            self.add_head(&mut sum, b, take);
            before += take;
            if take < b.count {
                if frac > 0.0 {
                    sum.add_product(frac, self.placed(b, take));
                }
                break;
            }
        }
        Some(sum.value() / t)
    }

    /// Where the sketch places value `j` (0-based) of bucket `b`, exactly as
    /// [`Sketch::quantiles`] reads it.
    fn placed(&self, b: Bucket, j: u64) -> f64 {
        let at = ((j as f64 + 0.5) / b.count as f64).clamp(0.0, 1.0);
        self.clamp(b.lo + at * (b.hi - b.lo))
    }

    /// Adds to `sum` the first `k` values of bucket `b` as
    /// [`ReadOut::placed`] puts them, in closed form: those placed below the
    /// minimum (above the maximum) count as the minimum (maximum), the
    /// others as `lo + (j + ½)·w/c`, which sum to `m·lo + w·m·(a + e)/2c`
    /// over `a ≤ j < e` with `m = e − a`.
    fn add_head(&self, sum: &mut ExactSum, b: Bucket, k: u64) {
        let (min, max) = self.extent();
        let (c, w) = (b.count as f64, b.hi - b.lo);
        if w == 0.0 {
            add_times(sum, k, self.clamp(b.lo));
            return;
        }
        // Position `j` is placed below `x` while j + ½ < (x − lo)·c/w.
        let position = |x: f64| (x - b.lo) * c / w - 0.5;
        let below = (position(min).ceil().max(0.0) as u64).min(k);
        let upto = ((position(max).floor() + 1.0).max(0.0) as u64).clamp(below, k);
        add_times(sum, below, min);
        add_times(sum, k - upto, max);
        let m = (upto - below) as f64;
        if m > 0.0 {
            sum.add_product(m, b.lo);
            sum.add_product(w, m * (below + upto) as f64 / (2.0 * c));
        }
    }
}

/// A non-empty bucket in value order: `count` values inside `[lo, hi]`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bucket {
    lo: f64,
    hi: f64,
    count: u64,
}

impl Bucket {
    pub(super) fn new(lo: f64, hi: f64, count: u64) -> Bucket {
        Bucket { lo, hi, count }
    }
}

/// Adds `k·x` to `sum` exactly; nothing when `k` is 0 (even for infinite `x`).
fn add_times(sum: &mut ExactSum, k: u64, x: f64) {
    if k > 0 {
        sum.add_product(k as f64, x);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn counting_a_slice_equals_counting_one_by_one() {
        let slices: [&[f64]; 6] = [
            &[0.0, 0.0, -0.0, 0.0],
            &[0.0, 3.5, 0.0, 1e-300, 7.25e6, 2.0],
            &[1e-310, 0.0, 4.0],
            &[5.0, 6.0, 7.5],
            &[-1.0, 0.0, 2.0],
            &[1.0, f64::NAN, 0.0],
        ];
        for values in slices {
            let finite = values.iter().filter(|v| !v.is_nan());
            let lo = finite.clone().fold(f64::INFINITY, |a, &v| a.min(v));
            let hi = finite.fold(f64::NEG_INFINITY, |a, &v| a.max(v));
            let mut fast = Sketch::default();
            fast.add_slice(values, lo, hi, values.iter().any(|v| v.is_nan()));
            fast.add_slice(&[0.5, 0.0], 0.0, 0.5, false);
            let mut slow = Sketch::default();
            values.iter().chain(&[0.5, 0.0]).for_each(|&v| slow.add(v));
            assert_eq!(fast, slow, "{values:?}");
        }
    }

    #[test]
    fn a_slice_below_the_floor_counts_at_the_floor() {
        // After 1e300, a store keeps keys from about 1e290: every value of
        // the later slices is below its floor (found by the property test
        // below: the local histogram's width came out negative).
        let slices: [&[f64]; 3] = [&[1e300], &[1.0, 2.0, 3.0], &[0.0, 1.0, 5.0]];
        let (mut fast, mut slow) = (Sketch::default(), Sketch::default());
        for values in slices {
            let lo = values.iter().fold(f64::INFINITY, |a, &v| a.min(v));
            let hi = values.iter().fold(f64::NEG_INFINITY, |a, &v| a.max(v));
            fast.add_slice(values, lo, hi, false);
            values.iter().for_each(|&v| slow.add(v));
        }
        assert_eq!(fast, slow);
        assert_eq!(fast.count(), 7);
    }

    /// A value of one of the kinds a series produces, and the kinds that
    /// take the other paths: zeros of both signs, subnormals, magnitudes
    /// across the whole range (so that a slice or an earlier one spans
    /// more than the 32 octaves a store keeps), negatives, NaN, infinities.
    /// Shared with the compact records' tests (`distribution.rs`).
    pub(in crate::stats) fn any_value() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            8 => (1.0f64..2.0, -60i32..60).prop_map(|(m, e)| m * 2f64.powi(e)),
            2 => (1.0f64..2.0, -1000i32..1000).prop_map(|(m, e)| m * 2f64.powi(e)),
            2 => Just(0.0),
            1 => Just(-0.0),
            1 => Just(1e-310),
            2 => (1.0f64..2.0, -60i32..60).prop_map(|(m, e)| -m * 2f64.powi(e)),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(f64::NEG_INFINITY),
        ]
    }

    proptest::proptest! {
        /// Slices counted with their NaN-blind range, as a chunk's values
        /// are, give the sketch of the same values counted one by one,
        /// whatever came before (the local histogram, its zero slot and
        /// the floor of a store that an earlier, larger value raised).
        #[test]
        fn slices_equal_values_one_by_one(
            slices in proptest::collection::vec(
                proptest::collection::vec(any_value(), 1..40), 1..6),
        ) {
            let mut fast = Sketch::default();
            let mut slow = Sketch::default();
            for values in &slices {
                let finite = values.iter().filter(|v| !v.is_nan());
                let lo = finite.clone().fold(f64::INFINITY, |a, &v| a.min(v));
                let hi = finite.fold(f64::NEG_INFINITY, |a, &v| a.max(v));
                fast.add_slice(values, lo, hi, values.iter().any(|v| v.is_nan()));
                values.iter().for_each(|&v| slow.add(v));
            }
            proptest::prop_assert_eq!(fast, slow);
        }

        /// A worker's way: each slice counted in one reused sketch,
        /// cleared in between, and merged into the total, gives the sketch
        /// of every value counted at once (its counts, floor and range).
        #[test]
        fn a_reused_cleared_sketch_merges_into_the_same_total(
            slices in proptest::collection::vec(
                proptest::collection::vec(any_value(), 1..40), 1..6),
        ) {
            let (mut part, mut total, mut whole) =
                (Sketch::default(), Sketch::default(), Sketch::default());
            for values in &slices {
                let finite = values.iter().filter(|v| !v.is_nan());
                let lo = finite.clone().fold(f64::INFINITY, |a, &v| a.min(v));
                let hi = finite.fold(f64::NEG_INFINITY, |a, &v| a.max(v));
                let nan = values.iter().any(|v| v.is_nan());
                part.clear();
                part.add_slice(values, lo, hi, nan);
                total.merge(&part);
                whole.add_slice(values, lo, hi, nan);
            }
            proptest::prop_assert_eq!(&total, &whole);
            proptest::prop_assert_eq!(total.count(), whole.count());
            proptest::prop_assert_eq!(total.quantile(0.5), whole.quantile(0.5));
        }
    }

    #[test]
    fn every_value_lies_in_its_bucket() {
        let mut x = 1e-9;
        while x < 1e12 {
            let (lo, hi) = bounds(key(x));
            assert!(lo <= x && x < hi, "{x} not in [{lo}, {hi})");
            assert!(hi / lo <= 1.0 + 1.0 / BUCKETS_PER_OCTAVE as f64 + 1e-15);
            x *= 1.0007;
        }
    }

    #[test]
    fn worst_case_error_is_below_one_bucket() {
        // All values at the bottom of one bucket: the estimate may sit
        // anywhere in it, never further than hi/lo − 1 = 1/M.
        let mut s = Sketch::default();
        (0..1000).for_each(|_| s.add(1.0));
        s.add(1.0 + 1.0 / BUCKETS_PER_OCTAVE as f64 - 1e-12);
        let p = s.quantile(0.95).unwrap();
        assert!((p - 1.0) / 1.0 <= 1.0 / BUCKETS_PER_OCTAVE as f64);
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
        assert!((p5 - exact).abs() / exact.abs() < 0.0078, "{p5} vs {exact}");
    }

    #[test]
    fn equal_values_are_reported_exactly() {
        let mut s = Sketch::default();
        (0..10).for_each(|_| s.add(1.0));
        assert_eq!(s.quantile(0.5), Some(1.0));
    }

    #[test]
    fn magnitudes_far_below_the_largest_are_folded_in_any_order() {
        // A quarter in [1, 400), the rest spread over 1e-200 .. 1e-51.
        let xs: Vec<f64> = (0..400)
            .map(|i| {
                if i % 4 == 0 {
                    1.0 + f64::from(i)
                } else {
                    1e-200 * 10f64.powi(i % 150)
                }
            })
            .collect();
        let mut one = Sketch::default();
        xs.iter().for_each(|&x| one.add(x));
        let mut rev = Sketch::default();
        xs.iter().rev().for_each(|&x| rev.add(x));
        let (mut a, mut b) = (Sketch::default(), Sketch::default());
        xs.iter().step_by(2).for_each(|&x| a.add(x));
        xs.iter().skip(1).step_by(2).for_each(|&x| b.add(x));
        b.merge(&a);
        assert_eq!(one, rev);
        assert_eq!(one, b);
        assert!(one.positive.counts.len() as i64 <= MAX_WIDTH + MAX_WIDTH / 8 + 8);
        assert_eq!(one.count(), 400);
        // The top of the range keeps its accuracy.
        let p95 = one.quantile(0.95).unwrap();
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let exact = sorted[(0.95 * 399.0_f64).round() as usize];
        assert!((p95 - exact).abs() / exact < 0.0078, "{p95} vs {exact}");
    }

    /// The closed-form head sums equal adding the placed values one by one,
    /// also where the placement is clamped to the exact range.
    #[test]
    fn head_sums_equal_the_placed_values() {
        let sets: [&[f64]; 4] = [
            &[1.003, 1.004, 1.0041, 1.005, 1.006, 1.0061, 1.0062],
            &[-1.0061, -1.006, -1.004, -1.0039, -1.0031, -2.5, 0.0, 3.0],
            &[0.5, 0.5, 0.5, 0.7, 0.7, 0.9, 0.9, 0.9, 0.9],
            &[1e-310, 0.0, -0.0, 2.0],
        ];
        for values in sets {
            let mut s = Sketch::default();
            values.iter().for_each(|&v| s.add(v));
            for b in s.buckets() {
                for k in 0..=b.count {
                    let mut closed = ExactSum::default();
                    s.add_head(&mut closed, b, k);
                    let one_by_one: f64 = (0..k).map(|j| s.placed(b, j)).sum();
                    let scale: f64 = values.iter().map(|v| v.abs()).sum();
                    let diff = (closed.value() - one_by_one).abs();
                    assert!(diff <= 1e-14 * scale, "{values:?} {b:?} {k}");
                }
            }
        }
    }

    #[test]
    fn tail_mean_of_mixed_signs() {
        let mut s = Sketch::default();
        let xs: Vec<f64> = (-500..=500).map(|i| i as f64 * 0.37).collect();
        xs.iter().for_each(|&x| s.add(x));
        for p in [0.01, 0.05, 0.5, 0.9, 1.0] {
            let t = p * xs.len() as f64;
            let k = t as usize;
            let tail = |f: fn(f64) -> f64| {
                let whole: f64 = xs[..k].iter().map(|&x| f(x)).sum();
                (whole + (t - k as f64) * xs.get(k).map_or(0.0, |&x| f(x))) / t
            };
            let exact = tail(|x| x);
            let bound = tail(f64::abs) / BUCKETS_PER_OCTAVE as f64;
            let got = s.lower_tail_mean(p).unwrap();
            assert!((got - exact).abs() <= bound, "p={p}: {got} vs {exact}");
        }
        assert_eq!(s.lower_tail_mean(0.0), s.quantile(0.0));
        assert_eq!(s.lower_tail_mean(1.5), None);
        assert_eq!(Sketch::default().lower_tail_mean(0.5), None);
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
