//! The lower tail mean (expected shortfall) of a [`Distribution`] against the
//! exact tail mean of the sorted data, within the documented bound: each
//! value off by less than `1/M` of its magnitude, so the tail mean off by at
//! most `(1/M)·` the mean `|x|` of the same tail.

use hashwatt::stats::{BUCKETS_PER_OCTAVE, Distribution, QUANTILES};

/// Levels checked, from below one value to the whole set.
const LEVELS: [f64; 12] = [
    0.0, 1e-5, 1e-4, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.95, 1.0,
];

/// SplitMix64: a small deterministic generator, so the data are fixed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller, one of the pair).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn sample(seed: u64, n: usize, f: impl Fn(&mut Rng) -> f64) -> Vec<f64> {
    let mut rng = Rng(seed);
    (0..n).map(|_| f(&mut rng)).collect()
}

/// Named data sets: one sign, both signs, heavy tails, ties, zeros.
fn data_sets() -> Vec<(&'static str, Vec<f64>)> {
    vec![
        ("uniform", sample(1, 20_000, |r| r.uniform())),
        ("normal", sample(2, 20_000, |r| 0.3 + 2.0 * r.normal())),
        ("lognormal", sample(3, 20_000, |r| (1.5 * r.normal()).exp())),
        (
            "loss",
            sample(4, 20_000, |r| 50.0 - (1.2 * r.normal()).exp()),
        ),
        ("equal", vec![-3.7; 1000]),
        ("single", vec![-12.25]),
        (
            "zeros",
            sample(5, 10_000, |r| {
                let x = r.normal();
                if x.abs() < 0.7 { 0.0 } else { x }
            }),
        ),
    ]
}

/// `(x₀ + … + x_{k−1} + f·x_k)/t` of `f(x)` over the sorted values, with
/// `t = p·n`; the smallest value when `t < 1`.
fn exact_tail(sorted: &[f64], p: f64, f: impl Fn(f64) -> f64) -> f64 {
    let t = p * sorted.len() as f64;
    if t < 1.0 {
        return f(sorted[0]);
    }
    let k = t as usize;
    let whole: f64 = sorted[..k].iter().map(|&x| f(x)).sum();
    let part = sorted.get(k).map_or(0.0, |&x| (t - k as f64) * f(x));
    (whole + part) / t
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

fn distribution(chunks: &[&[f64]]) -> Distribution {
    let mut d = Distribution::default();
    chunks.iter().for_each(|c| d.add_chunk(c));
    d
}

/// The documented bound, plus room for the rounding of the exact reference.
fn bound(sorted: &[f64], p: f64) -> f64 {
    let m = BUCKETS_PER_OCTAVE as f64;
    exact_tail(sorted, p, f64::abs) * (1.0 / m + 1e-12)
}

#[test]
fn tail_mean_is_within_the_bound_of_the_exact_one() {
    for (name, xs) in data_sets() {
        let d = distribution(&xs.chunks(997).collect::<Vec<_>>());
        let s = sorted(&xs);
        for p in LEVELS {
            let (got, exact) = (d.lower_tail_mean(p), exact_tail(&s, p, |x| x));
            let err = (got - exact).abs();
            assert!(err <= bound(&s, p), "{name} p={p}: {got} vs {exact}");
        }
    }
}

#[test]
fn one_signed_tails_are_within_the_relative_bound() {
    let m = BUCKETS_PER_OCTAVE as f64;
    for (name, xs) in data_sets() {
        let d = distribution(&[&xs]);
        let s = sorted(&xs);
        for p in LEVELS {
            let t = (p * s.len() as f64).ceil().max(1.0) as usize;
            let tail = &s[..t.min(s.len())];
            if tail.iter().all(|&x| x >= 0.0) || tail.iter().all(|&x| x <= 0.0) {
                let exact = exact_tail(&s, p, |x| x);
                let rel = (d.lower_tail_mean(p) - exact).abs() / exact.abs();
                assert!(exact == 0.0 || rel <= 1.0 / m, "{name} p={p}: {rel}");
            }
        }
    }
}

#[test]
fn worst_case_bucket_stays_within_the_bound() {
    // All values at one end of a bucket: the stand-ins are spread over it.
    let m = BUCKETS_PER_OCTAVE as f64;
    for sign in [1.0, -1.0] {
        let mut xs = vec![sign; 1000];
        xs.push(sign * (1.0 + 1.0 / m - 1e-12));
        let d = distribution(&[&xs]);
        let s = sorted(&xs);
        for p in LEVELS {
            let (got, exact) = (d.lower_tail_mean(p), exact_tail(&s, p, |x| x));
            assert!((got - exact).abs() <= bound(&s, p), "{sign} p={p}");
        }
    }
}

#[test]
fn equal_values_and_single_values_are_exact() {
    let d = distribution(&[&[-3.7; 10], &[-3.7; 3]]);
    let one = distribution(&[&[42.5]]);
    for p in LEVELS {
        assert_eq!(d.lower_tail_mean(p), -3.7);
        assert_eq!(one.lower_tail_mean(p), 42.5);
    }
}

#[test]
fn merge_order_and_chunking_do_not_change_the_bits() {
    for (name, xs) in data_sets() {
        let reference = distribution(&xs.chunks(1000).collect::<Vec<_>>());
        for size in [1, 7, 333, 4096] {
            let chunks: Vec<&[f64]> = xs.chunks(size).collect();
            let (mut even, mut odd) = (Distribution::default(), Distribution::default());
            for (i, c) in chunks.iter().enumerate().rev() {
                if i % 2 == 0 { &mut even } else { &mut odd }.add_chunk(c);
            }
            odd.merge(&even);
            for p in LEVELS {
                let (a, b) = (reference.lower_tail_mean(p), odd.lower_tail_mean(p));
                assert_eq!(a.to_bits(), b.to_bits(), "{name} size={size} p={p}");
            }
        }
    }
}

#[test]
fn the_whole_tail_is_the_mean() {
    let m = BUCKETS_PER_OCTAVE as f64;
    for (name, xs) in data_sets() {
        let d = distribution(&xs.chunks(500).collect::<Vec<_>>());
        let mean_abs = xs.iter().map(|x| x.abs()).sum::<f64>() / xs.len() as f64;
        let mean = d.statistics().mean;
        let err = (d.lower_tail_mean(1.0) - mean).abs();
        assert!(err <= mean_abs * (1.0 / m + 1e-12), "{name}: {err}");
    }
}

#[test]
fn tail_mean_does_not_decrease_with_p() {
    for (name, xs) in data_sets() {
        let d = distribution(&[&xs]);
        let mut last = f64::NEG_INFINITY;
        for i in 0..=4000 {
            let p = f64::from(i) / 4000.0;
            let v = d.lower_tail_mean(p);
            assert!(v >= last, "{name} p={p}: {v} < {last}");
            last = v;
        }
    }
}

#[test]
fn tail_mean_lies_below_the_quantile() {
    for (name, xs) in data_sets() {
        let d = distribution(&[&xs]);
        for p in LEVELS {
            let (tail, q) = (d.lower_tail_mean(p), d.quantile(p));
            assert!(tail <= q, "{name} p={p}: {tail} > {q}");
        }
    }
}

#[test]
fn quantile_matches_the_reported_ones() {
    let xs = sample(6, 5000, |r| r.normal());
    let d = distribution(&xs.chunks(64).collect::<Vec<_>>());
    let reported = d.statistics().quantiles;
    for (p, q) in QUANTILES.into_iter().zip(reported) {
        assert_eq!(d.quantile(p).to_bits(), q.to_bits());
    }
}

#[test]
fn empty_or_out_of_range_is_nan() {
    let empty = Distribution::default();
    assert!(empty.lower_tail_mean(0.05).is_nan());
    assert!(empty.quantile(0.5).is_nan());
    let d = distribution(&[&[1.0, 2.0, 3.0]]);
    for p in [-0.1, 1.1, f64::NAN] {
        assert!(d.lower_tail_mean(p).is_nan());
        assert!(d.quantile(p).is_nan());
    }
}
