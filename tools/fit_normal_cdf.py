#!/usr/bin/env python3
"""Generates the polynomial coefficients of src/model/special.rs.

    pip install mpmath numpy && python3 tools/fit_normal_cdf.py

Fits, with 40-digit arithmetic (mpmath's Chebyshev fit), the standard
normal CDF Φ on |z| < 2.5:
- |z| < 1: Φ(z) = 1/2 + z·A(z²), A a polynomial of degree 10 in z²;
- 1 ≤ t = |z| < 4, in six intervals of width 1/2: the upper tail
  Q(t) = Φ(−t) as a polynomial of degree 12 in x = 4(t − centre) ∈ [−1, 1].
Prints the coefficients (highest degree first, for Horner's rule) as Rust
constants, and the largest relative error of their double-precision
evaluation against mpmath on a dense grid."""
import mpmath as mp
import numpy as np

mp.mp.dps = 40

# Upper end of the polynomial region.
LIMIT = 4.0


def horner(c, x):
    y = np.zeros_like(x)
    for a in c:
        y = y * x + a
    return y


def center(degree):
    def a(w):
        if w == 0:
            return 1 / mp.sqrt(2 * mp.pi)
        z = mp.sqrt(w)
        return (mp.ncdf(z) - mp.mpf(1) / 2) / z
    c = [float(v) for v in mp.chebyfit(a, [0, 1], degree + 1)]
    z = np.linspace(-1, 1, 20001)
    want = np.array([float(mp.ncdf(mp.mpf(v))) for v in z])
    err = np.max(np.abs(0.5 + z * horner(c, z * z) - want) / want)
    return c, err


def tail(lo, degree):
    mid = lo + 0.25
    c = [float(v) for v in mp.chebyfit(lambda x: mp.ncdf(-(mid + x / 4)), [-1, 1], degree + 1)]
    t = np.linspace(lo, lo + 0.5, 20001)
    want = np.array([float(mp.ncdf(-mp.mpf(v))) for v in t])
    err = np.max(np.abs(horner(c, 4 * (t - mid)) - want) / want)
    return c, err


def rust(name, c):
    body = ",\n".join(f"    {v!r}" for v in c)
    return f"const {name}: [f64; {len(c)}] = [\n{body},\n];"


if __name__ == "__main__":
    c, err = center(10)
    print(f"// |z| < 1: max relative error {err:.2e}")
    print(rust("CENTER", c))
    for k, lo in enumerate(np.arange(1.0, LIMIT, 0.5)):
        c, err = tail(lo, 12)
        print(f"// {lo} ≤ t < {lo + 0.5}: max relative error {err:.2e}")
        print(rust(f"TAIL_{k}", c))
