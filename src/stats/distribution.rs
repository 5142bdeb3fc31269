//! The distribution of one quantity across paths: moments and quantiles,
//! accumulated chunk by chunk and merged exactly.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::packed::{Record, StoreForm};
use super::sketch::ReadOut;
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
/// **Memory.** What a distribution counted is one compact record (see
/// [`Distribution::heap_bytes`]): the counts of a [`Sketch`] and the
/// partials of the exact sums in a few hundred bytes, a distribution of
/// one chunk in less. It reads out, compares and serialises exactly as the
/// dense sketch and exact sums with the same counts and sums, so the
/// layout changes no result and no byte of a state file.
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
#[derive(Clone, Default)]
pub struct Distribution {
    /// `None` until a value is added; an emptied record keeps its memory
    /// for the next chunk of a worker ([`Distribution::clear`]).
    slot: Option<Record>,
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
        // Equal values give a mean and spread that are exact, not rounded.
        let (mean, m2) = if lo == hi {
            (values[0], 0.0)
        } else {
            let mean = total / n;
            (mean, lane_sum(values, |v| (v - mean) * (v - mean)))
        };
        // A NaN makes the sum NaN (and so may ±inf together; then the
        // sketch just takes the slow path).
        let range = (lo, hi);
        match &mut self.slot {
            Some(record) if !record.is_empty() => {
                let chunk = Record::chunk(values, range, total.is_nan(), (mean, m2), None);
                record.merge(&chunk);
            }
            slot => {
                let reuse = slot.take();
                *slot = Some(Record::chunk(
                    values,
                    range,
                    total.is_nan(),
                    (mean, m2),
                    reuse,
                ));
            }
        }
    }

    /// Forgets every value, keeping its memory for the next ones (a
    /// worker's summary of its current chunk is emptied for the next chunk
    /// without freeing and allocating its records again).
    pub fn clear(&mut self) {
        if let Some(record) = &mut self.slot {
            record.empty();
        }
    }

    /// Adds everything `other` has counted.
    pub fn merge(&mut self, other: &Distribution) {
        let Some(theirs) = other.record() else {
            return;
        };
        match &mut self.slot {
            Some(mine) if !mine.is_empty() => mine.merge(theirs),
            slot => *slot = Some(theirs.trimmed()),
        }
    }

    /// The record of what was counted, if anything.
    fn record(&self) -> Option<&Record> {
        self.slot.as_ref().filter(|r| !r.is_empty())
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.record().map_or(0, Record::count)
    }

    /// The bytes this distribution holds on the heap: its record (none
    /// before the first value). What a run's memory is made of: one such
    /// record per recorded series and step in the summary of its finished
    /// chunks, and one per worker for the chunk it runs.
    pub fn heap_bytes(&self) -> usize {
        self.slot.as_ref().map_or(0, Record::bytes)
    }

    /// The `p`-quantile, read from the sketch at the fractional rank
    /// `p·(n−1)` (numpy's default, linear definition) within 0.78 %
    /// relative (see [`Sketch::quantile`]); NaN values are ignored. NaN
    /// when no value was counted or `p` is outside [0, 1].
    pub fn quantile(&self, p: f64) -> f64 {
        let view = self.record().map(Record::view);
        view.and_then(|v| v.read_quantile(p)).unwrap_or(f64::NAN)
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
        let view = self.record().map(Record::view);
        view.and_then(|v| v.read_lower_tail_mean(p))
            .unwrap_or(f64::NAN)
    }

    /// Mean, standard deviation, standard error and quantiles. With no
    /// values every field is NaN (and `n` is 0).
    pub fn statistics(&self) -> Statistics {
        let empty = Statistics {
            n: 0,
            mean: f64::NAN,
            std: f64::NAN,
            stderr: f64::NAN,
            quantiles: [f64::NAN; 5],
        };
        let Some(record) = self.record() else {
            return empty;
        };
        let head = record.head();
        if head.n == 0 {
            return empty;
        }
        let n = head.n as f64;
        let (lo, hi) = (head.min, head.max);
        if lo == hi && head.nan == 0 {
            // All values equal: report them exactly.
            return Statistics {
                n: head.n,
                mean: lo,
                std: 0.0,
                stderr: 0.0,
                quantiles: [lo; 5],
            };
        }
        let [sum, sum_sq_means, within] = record.sums();
        let mean = sum.value() / n;
        let std = if head.n < 2 {
            0.0
        } else {
            // Between-chunk part: (N·Σn_c m_c² − (Σn_c m_c)²) / N, exact up
            // to the final rounding and never negative.
            let between = sum_sq_means.scaled(n).minus(&sum.squared());
            let m2 = within.value() + between.value().max(0.0) / n;
            (m2 / (n - 1.0)).sqrt()
        };
        let quantiles = record
            .view()
            .read_quantiles(QUANTILES)
            .map(|q| q.unwrap_or(f64::NAN));
        Statistics {
            n: head.n,
            mean,
            std,
            stderr: std / n.sqrt(),
            quantiles,
        }
    }
}

/// What a distribution counted, in the form it had before its compact
/// records and still has in a state file: the count, the three exact sums
/// and a dense sketch.
#[derive(Default, PartialEq, Deserialize)]
#[cfg_attr(test, derive(Debug, Clone, Serialize))]
#[serde(rename = "Distribution")]
struct Dense {
    n: u64,
    sum: ExactSum,
    sum_sq_means: ExactSum,
    within: ExactSum,
    sketch: Sketch,
}

impl From<Dense> for Distribution {
    fn from(d: Dense) -> Distribution {
        if d == Dense::default() {
            return Distribution::default();
        }
        let sums = [&d.sum, &d.sum_sq_means, &d.within];
        Distribution {
            slot: Some(Record::from_parts(d.n, sums, &d.sketch)),
        }
    }
}

impl<'de> Deserialize<'de> for Distribution {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Dense::deserialize(deserializer).map(Distribution::from)
    }
}

/// Written as the dense form is ([`Dense`], whose sketch writes each store
/// as its first non-empty key and the counts from there to the last), so
/// that a state file's bytes do not depend on the layout in memory.
impl Serialize for Distribution {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let head = self.record().map(Record::head);
        let sums = self.record().map(Record::sums).unwrap_or_default();
        let [sum, sum_sq_means, within] = &sums;
        let mut d = serializer.serialize_struct("Distribution", 5)?;
        d.serialize_field("n", &head.map_or(0, |h| h.n))?;
        d.serialize_field("sum", sum)?;
        d.serialize_field("sum_sq_means", sum_sq_means)?;
        d.serialize_field("within", within)?;
        d.serialize_field("sketch", &SketchForm(self))?;
        d.end()
    }
}

/// A distribution's sketch, written as [`Sketch`] writes itself.
struct SketchForm<'a>(&'a Distribution);

impl Serialize for SketchForm<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = self.0.record();
        let head = record.map(Record::head);
        let [positive, negative] =
            record.map_or([StoreForm(None), StoreForm(None)], Record::store_forms);
        let mut s = serializer.serialize_struct("Sketch", 6)?;
        s.serialize_field("positive", &positive)?;
        s.serialize_field("negative", &negative)?;
        s.serialize_field("zero", &head.map_or(0, |h| h.zero))?;
        s.serialize_field("nan", &head.map_or(0, |h| h.nan))?;
        s.serialize_field("min", &head.map_or(f64::INFINITY, |h| h.min))?;
        s.serialize_field("max", &head.map_or(f64::NEG_INFINITY, |h| h.max))?;
        s.end()
    }
}

impl Distribution {
    /// The non-zero counts of the positive and the negative store.
    fn store_entries(&self) -> [Vec<(i64, u32)>; 2] {
        match self.record() {
            None => Default::default(),
            Some(r) => r.entries().map(Iterator::collect),
        }
    }
}

/// Equal counts, sums and range (compared as `f64`s), however accumulated
/// and laid out: as the dense form compares.
impl PartialEq for Distribution {
    fn eq(&self, other: &Distribution) -> bool {
        let parts = |d: &Distribution| {
            let head = d.record().map(Record::head);
            let sums = d.record().map(Record::sums).unwrap_or_default();
            let fields = head.map_or((0, 0, 0, f64::INFINITY, f64::NEG_INFINITY), |h| {
                (h.n, h.zero, h.nan, h.min, h.max)
            });
            (fields, sums, d.store_entries())
        };
        parts(self) == parts(other)
    }
}

impl std::fmt::Debug for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let head = self.record().map(Record::head);
        let mut d = f.debug_struct("Distribution");
        if let Some(h) = head {
            d.field("n", &h.n)
                .field("zero", &h.zero)
                .field("nan", &h.nan)
                .field("min", &h.min)
                .field("max", &h.max)
                .field("sums", &self.record().map(Record::sums))
                .field("stores", &self.store_entries());
        } else {
            d.field("n", &0);
        }
        d.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    /// The dense form as it was before the compact records, kept as the
    /// reference the records must match bit for bit.
    impl Dense {
        pub(super) fn add_chunk(&mut self, values: &[f64]) {
            if values.is_empty() {
                return;
            }
            let n = values.len() as f64;
            let (lo, hi, total) = range_and_sum(values);
            self.sketch.add_slice(values, lo, hi, total.is_nan());
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

        pub(super) fn merge(&mut self, other: &Dense) {
            self.n += other.n;
            self.sum.merge(&other.sum);
            self.sum_sq_means.merge(&other.sum_sq_means);
            self.within.merge(&other.within);
            self.sketch.merge(&other.sketch);
        }

        fn statistics(&self) -> Statistics {
            let n = self.n as f64;
            if self.n == 0 {
                return Distribution::default().statistics();
            }
            let (lo, hi) = self.sketch.range();
            if lo == hi && self.sketch.nan_count() == 0 {
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

    /// The bits of `x`, every NaN alike: Rust leaves the sign and payload
    /// of a NaN that arithmetic makes unspecified (they may differ between
    /// two inlinings of the same code).
    fn bits_of(x: f64) -> u64 {
        if x.is_nan() {
            f64::NAN.to_bits()
        } else {
            x.to_bits()
        }
    }

    fn bits(s: &Statistics) -> Vec<u64> {
        let mut v = vec![s.n, bits_of(s.mean), bits_of(s.std), bits_of(s.stderr)];
        v.extend(s.quantiles.map(bits_of));
        v
    }

    const LEVELS: [f64; 9] = [0.0, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1.0];

    /// The compact distribution reads out, compares and serialises as the
    /// dense one with the same history, bit for bit.
    /// (The bytes are compared where no sum is NaN, see [`bits_of`]; the
    /// JSON form, which writes NaN as null, always.)
    fn assert_same(compact: &Distribution, dense: &Dense) -> Result<(), TestCaseError> {
        let bytes = postcard::to_stdvec(compact).unwrap();
        let sums = [&dense.sum, &dense.sum_sq_means, &dense.within];
        if !sums.iter().any(|s| s.raw().1.is_nan()) {
            prop_assert_eq!(&bytes, &postcard::to_stdvec(dense).unwrap());
        }
        prop_assert_eq!(
            serde_json::to_string(compact).unwrap(),
            serde_json::to_string(dense).unwrap()
        );
        prop_assert_eq!(bits(&compact.statistics()), bits(&dense.statistics()));
        prop_assert_eq!(compact.count(), dense.n);
        for p in LEVELS {
            let q = dense.sketch.quantile(p).unwrap_or(f64::NAN);
            prop_assert_eq!(bits_of(compact.quantile(p)), bits_of(q), "p = {}", p);
            let t = dense.sketch.lower_tail_mean(p).unwrap_or(f64::NAN);
            prop_assert_eq!(bits_of(compact.lower_tail_mean(p)), bits_of(t), "p = {}", p);
        }
        let back: Distribution = postcard::from_bytes(&bytes).unwrap();
        prop_assert_eq!(&back, compact);
        prop_assert_eq!(postcard::to_stdvec(&back).unwrap(), bytes);
        prop_assert_eq!(bits(&back.statistics()), bits(&dense.statistics()));
        Ok(())
    }

    /// Chunks of the kinds a run sees: values spread over a few octaves
    /// around a centre (many per bucket, counts past 255 and 65 535), equal
    /// values, and now and then any value at all (zeros of both signs,
    /// subnormals, negatives, NaN, infinities, magnitudes 2¹⁰⁰⁰ apart).
    fn chunk() -> impl Strategy<Value = Vec<f64>> {
        let spread = (-30i32..30, 0.0f64..4.0, 1usize..400, any::<u64>()).prop_map(
            |(e, octaves, n, seed)| {
                let mut x = seed | 1;
                (0..n)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                        2f64.powi(e) * 2f64.powf(octaves * (u - 0.5))
                    })
                    .collect::<Vec<f64>>()
            },
        );
        let equal = (
            prop_oneof![Just(0.0), Just(-0.0), Just(1.5), Just(-3.0)],
            1usize..300,
        )
            .prop_map(|(v, n)| vec![v; n]);
        let many = (Just(7.25), 300usize..70_000).prop_map(|(v, n)| vec![v; n]);
        let any_values = proptest::collection::vec(any_value(), 1..60);
        prop_oneof![6 => spread, 2 => equal, 1 => many, 3 => any_values]
    }

    /// A [`chunk`] with its NaN and infinities replaced by 1, and −0 by
    /// 0 (`f64::min` of the two, and so the exact minimum kept, depends on
    /// the order, as it did before the compact records).
    fn finite_chunk() -> impl Strategy<Value = Vec<f64>> {
        let finite = |x: f64| if x.is_finite() { x + 0.0 } else { 1.0 };
        chunk().prop_map(move |v| v.into_iter().map(finite).collect())
    }

    use crate::stats::sketch::tests::any_value;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// A worker's way (each chunk summarised apart, then added to the
        /// total) and a comparison's (every chunk added to one
        /// distribution) give the dense result of the same history.
        #[test]
        fn compact_equals_dense(chunks in proptest::collection::vec(chunk(), 1..12)) {
            let (mut total, mut dense_total) = (Distribution::default(), Dense::default());
            let (mut direct, mut dense_direct) = (Distribution::default(), Dense::default());
            // A worker's chunk summary, emptied and refilled chunk after
            // chunk in the same memory.
            let (mut reused, mut through_reused) = (Distribution::default(), Distribution::default());
            for values in &chunks {
                let mut part = Distribution::default();
                part.add_chunk(values);
                let mut dense_part = Dense::default();
                dense_part.add_chunk(values);
                assert_same(&part, &dense_part)?;
                reused.clear();
                prop_assert_eq!(&reused, &Distribution::default());
                reused.add_chunk(values);
                assert_same(&reused, &dense_part)?;
                through_reused.merge(&reused);
                total.merge(&part);
                dense_total.merge(&dense_part);
                assert_same(&total, &dense_total)?;
                direct.add_chunk(values);
                dense_direct.add_chunk(values);
            }
            assert_same(&direct, &dense_direct)?;
            assert_same(&through_reused, &dense_total)?;
            prop_assert_eq!(&direct, &total);
        }

        /// Merging in any grouping and order, through state files or not,
        /// gives the same bits (the sums are exact, the counts integers;
        /// see [`finite_chunk`] for the values).
        #[test]
        fn merges_are_associative(
            chunks in proptest::collection::vec(finite_chunk(), 2..10),
            order in any::<u64>(),
            cut in any::<usize>(),
        ) {
            let parts: Vec<Distribution> = chunks
                .iter()
                .map(|values| {
                    let mut d = Distribution::default();
                    d.add_chunk(values);
                    d
                })
                .collect();
            let mut forward = Distribution::default();
            parts.iter().for_each(|p| forward.merge(p));
            // The parts in a shuffled order, in two shards merged apart,
            // the second through its serialised form.
            let mut shuffled: Vec<&Distribution> = parts.iter().collect();
            let mut x = order | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let cut = cut % shuffled.len();
            let (mut a, mut b) = (Distribution::default(), Distribution::default());
            shuffled[..cut].iter().for_each(|p| a.merge(p));
            shuffled[cut..].iter().for_each(|p| b.merge(p));
            let b: Distribution = postcard::from_bytes(&postcard::to_stdvec(&b).unwrap()).unwrap();
            b.clone().merge(&a);
            a.merge(&b);
            prop_assert_eq!(&a, &forward);
            let bytes = postcard::to_stdvec(&a).unwrap();
            prop_assert_eq!(bytes, postcard::to_stdvec(&forward).unwrap());
            prop_assert_eq!(bits(&a.statistics()), bits(&forward.statistics()));
            for p in LEVELS {
                prop_assert_eq!(a.quantile(p).to_bits(), forward.quantile(p).to_bits());
                prop_assert_eq!(
                    a.lower_tail_mean(p).to_bits(),
                    forward.lower_tail_mean(p).to_bits()
                );
            }
        }
    }
}
