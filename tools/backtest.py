#!/usr/bin/env python3
"""Compares a backtest run's simulated hashrate with the actual one.

    cargo run --release -- run scenarios/backtest-2024.toml --out /tmp/bt --paths 2000
    python3 tools/backtest.py --summary /tmp/bt/summary.json

Reads `series.hashrate_ehs` (mean, p5, p95 per day) and `difficulty_ehs`
from the run's summary.json, the actual daily hashrate (H/s) and block
speed (minutes per block) from the data set
../shared/calibration/data/targeted_nakamoto_2009_2025, and the installed
EH/s of the rest-of-world classes from the scenario. Prints, in Markdown:
the table at the first of each month and on the last day, the error
statistics over every day of the run, the response to the halving and the
fleet the actual hashrate would need. Standard library only.

The actual daily hashrate is blockchain.com's estimate, difficulty x blocks
found that day: with ~144 blocks a day it carries a Poisson noise of about
1/sqrt(144) = 8 %. The tables therefore also compare with its centred
7-day mean (noise ~3 %), which is the fairer test of a model whose blocks
arrive at their expected rate."""
import argparse
import csv
import datetime as dt
import json
import math
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "calibration" / "data" / "targeted_nakamoto_2009_2025"
HALVING = "2024-04-20"


def read_csv(path, column):
    """{date: value} from a CSV whose first column holds the dates."""
    out = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            date = row[next(iter(row))][:10]
            if row[column] != "":
                out[date] = float(row[column])
    return out


def shift(date, days):
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def centred_mean(series, date, half=3):
    values = [series[d] for d in (shift(date, k) for k in range(-half, half + 1)) if d in series]
    return sum(values) / len(values) if values else math.nan


def window_mean(series, first, last):
    values, d = [], first
    while d <= last:
        if d in series:
            values.append(series[d])
        d = shift(d, 1)
    return sum(values) / len(values)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--summary", default="/tmp/bt/summary.json")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "backtest-2024.toml"))
    args = ap.parse_args()

    summary = json.loads(Path(args.summary).read_text())
    dates = summary["dates"]
    h = summary["series"]["hashrate_ehs"]
    hd = summary["series"]["difficulty_ehs"]
    sim = {d: (h["mean"][t], h["p5"][t], h["p95"][t], hd["mean"][t]) for t, d in enumerate(dates)}
    with open(args.scenario, "rb") as f:
        installed = sum(c["installed_ehs"] for c in tomllib.load(f)["rest_of_world"]["classes"])

    data = Path(args.data)
    actual = {d: v / 1e18 for d, v in read_csv(data / "hashrate.csv", "Hash Rate").items()}
    minutes = read_csv(data / "block_speed.csv", "Block Speed")
    # Difficulty as hashrate: the day's hashrate estimate x 144 / blocks that day.
    actual_hd = {d: actual[d] * 144 / (1440 / minutes[d]) for d in actual if d in minutes}
    smooth = {d: centred_mean(actual, d) for d in dates}

    def inside(v, d):
        return sim[d][1] <= v <= sim[d][2]

    print(f"Run `{summary['scenario']}`, {summary['paths']} paths, seed {summary['seed']}, "
          f"{dates[0]} .. {dates[-1]} ({len(dates)} days). Hashrate in EH/s.\n")
    print("| date | actual | actual, 7-day mean | simulated mean | p5 – p95 | actual in band | 7-day mean in band | mean vs 7-day |")
    print("|---|---|---|---|---|---|---|---|")
    shown = [d for d in dates if d.endswith("-01")] + ([dates[-1]] if not dates[-1].endswith("-01") else [])
    for d in shown:
        m, p5, p95, _ = sim[d]
        a, s = actual[d], smooth[d]
        print(f"| {d} | {a:.0f} | {s:.0f} | {m:.0f} | {p5:.0f} – {p95:.0f} | "
              f"{'yes' if inside(a, d) else 'no'} | {'yes' if inside(s, d) else 'no'} | {(m / s - 1) * 100:+.1f} % |")

    def stats(days, label):
        days = [d for d in days if d in actual]
        n = len(days)
        mape = sum(abs(sim[d][0] / actual[d] - 1) for d in days) / n * 100
        mape7 = sum(abs(sim[d][0] / smooth[d] - 1) for d in days) / n * 100
        bias7 = sum(sim[d][0] / smooth[d] - 1 for d in days) / n * 100
        band = sum(inside(actual[d], d) for d in days) / n * 100
        band7 = sum(inside(smooth[d], d) for d in days) / n * 100
        print(f"| {label} | {n} | {mape:.1f} % | {mape7:.1f} % | {bias7:+.1f} % | {band:.0f} % | {band7:.0f} % |")

    print("\n| days | n | MAPE of the mean vs actual | MAPE vs 7-day mean | mean error vs 7-day mean | actual in 90 % band | 7-day mean in 90 % band |")
    print("|---|---|---|---|---|---|---|")
    stats(dates, "all")
    stats([d for d in dates if d < HALVING], f"before the halving (to {shift(HALVING, -1)})")
    stats([d for d in dates if d >= HALVING], f"from the halving ({HALVING})")
    stats(dates[-30:], f"last 30 days (from {dates[-30]})")

    print("\nHalving response, mean hashrate over two fortnights (the week of the Runes fee spike left out):\n")
    before, after = ("2024-04-06", "2024-04-19"), ("2024-04-27", "2024-05-10")
    sim_mean = {d: v[0] for d, v in sim.items()}
    for label, series in (("actual", actual), ("simulated mean", sim_mean)):
        b, a = window_mean(series, *before), window_mean(series, *after)
        print(f"- {label}: {b:.0f} EH/s ({before[0]} .. {before[1]}) → {a:.0f} EH/s "
              f"({after[0]} .. {after[1]}), {(a / b - 1) * 100:+.1f} %")

    first, last = dates[0], dates[-1]
    end_sim = window_mean(sim_mean, dates[-30], last)
    end_act = window_mean(actual, dates[-30], last)
    online = end_sim / installed
    print(f"\nGrowth and the missing fleet (means over the last 30 days, {dates[-30]} .. {last}):\n")
    print(f"- actual {end_act:.0f} EH/s, simulated mean {end_sim:.0f} EH/s: "
          f"{(end_sim / end_act - 1) * 100:+.1f} %;")
    print(f"- growth from the start level (day 0 of the run, {sim[first][0]:.0f} EH/s, set to the actual): "
          f"actual {(end_act / sim[first][0] - 1) * 100:+.0f} %, simulated {(end_sim / sim[first][0] - 1) * 100:+.1f} %;")
    print(f"- installed rest-of-world fleet {installed:.0f} EH/s, of which {online * 100:.1f} % online on average; "
          f"at that share the actual hashrate needs {end_act / online:.0f} EH/s installed, "
          f"{end_act / online - installed:.0f} EH/s more ({(end_act / online / installed - 1) * 100:+.0f} %);")
    print(f"- difficulty on {last}: actual {actual_hd[last]:.0f} EH/s, simulated mean {sim[last][3]:.0f} EH/s "
          f"({(sim[last][3] / actual_hd[last] - 1) * 100:+.1f} %);")
    # Hashprice HP = 144 (S + F) P / (HD 1000): the price and fees are the
    # replayed (actual) ones, the same on every path; only HD differs.
    price, fee = summary["series"]["btc_price_usd"]["mean"], summary["series"]["fee_btc_per_block"]["mean"]
    hp = summary["series"]["hashprice_usd_per_ph_day"]["mean"]
    tail = range(len(dates) - 30, len(dates))
    hp_act = [144 * ((6.25 if dates[t] < HALVING else 3.125) + fee[t]) * price[t] / (actual_hd[dates[t]] * 1000)
              for t in tail]
    hp_sim = [hp[t] for t in tail]
    a, s = sum(hp_act) / 30, sum(hp_sim) / 30
    print(f"- hashprice over the last 30 days: actual {a:.1f} USD/PH/day (replayed price and fees at the actual "
          f"difficulty), simulated mean {s:.1f} ({(s / a - 1) * 100:+.0f} %).")


if __name__ == "__main__":
    main()
