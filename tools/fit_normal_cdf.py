#!/usr/bin/env python3
"""Generates the polynomial coefficients of src/model/special.rs.

    pip install mpmath numpy && python3 tools/fit_normal_cdf.py > /tmp/tails.rs

Fits, with 40-digit arithmetic (mpmath's Chebyshev fit), the upper tail of
the standard normal Q(t) = Φ(−t) for 0 ≤ t < 8.5, in 136 intervals of width
1/16, each as a polynomial of degree 8 in x = 32(t − centre) ∈ [−1, 1].
One degree and one width everywhere: `normal_cdf` picks the interval by
index, without branches. Prints the coefficients (highest degree first)
as a Rust constant, and the largest relative error of their
double-precision evaluation against mpmath on a dense grid of each
interval (below 6e-14, reached near t = 8.5)."""
import mpmath as mp
import numpy as np

mp.mp.dps = 40

# Upper end of the polynomial region, width of an interval, degree.
LIMIT = 8.5
WIDTH = 0.0625
DEGREE = 8


def horner(c, x):
    y = np.zeros_like(x)
    for a in c:
        y = y * x + a
    return y


def tail(lo):
    mid = lo + WIDTH / 2
    scale = 2 / WIDTH
    q = lambda x: mp.ncdf(-(mid + x / scale))
    c = [float(v) for v in mp.chebyfit(q, [-1, 1], DEGREE + 1)]
    t = np.linspace(lo, lo + WIDTH, 4001)
    want = np.array([float(mp.ncdf(-mp.mpf(v))) for v in t])
    err = np.max(np.abs(horner(c, scale * (t - mid)) - want) / want)
    return c, err


if __name__ == "__main__":
    rows, worst = [], 0.0
    for k in range(round(LIMIT / WIDTH)):
        c, err = tail(k * WIDTH)
        worst = max(worst, err)
        rows.append("    [\n" + "".join(f"        {v!r},\n" for v in c) + "    ],\n")
    n = len(rows)
    print(f"// max relative error {worst:.2e}")
    print(f"const TAILS: [[f64; {DEGREE + 1}]; {n}] = [\n" + "".join(rows) + "];")
