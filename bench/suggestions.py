"""Benchmark of `--suggest`: mapgen's site suggestions against a naive greedy, at the issue's two scales.

Usage: python bench/suggestions.py [--quick] [--runs 3] [--out bench/RESULTS-suggestions.md]

Each measurement runs in a fresh process, so that its peak memory (ru_maxrss) is its own. Inputs are
synthetic: stations and weighted demand points scattered around 400 towns over Hunan's bounding box.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
SCALES = ((20_000, 4_000, 20), (200_000, 4_000, 100))  # demand points, stations, sites (issue 12's targets)
QUICK = ((2_000, 400, 5),)
NAIVE_MAX_DEMAND = 20_000  # the naive greedy's pairwise distances are O(candidates x demand) per step
RADIUS_M = 1000.0


def instance(demand: int, stations: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stations and demand around the same 400 towns (spread 1-4.5 km), weights 1-20 workers."""
    from mapgen.geo import datum

    rng = np.random.default_rng(seed)
    towns = np.column_stack([rng.uniform(109, 114.3, 400), rng.uniform(24.6, 30.1, 400), rng.uniform(0.01, 0.04, 400)])
    sizes = rng.lognormal(0, 1.0, 400)
    sizes /= sizes.sum()

    def points(count: int, prefix: str, weighted: bool) -> pd.DataFrame:
        town = rng.choice(len(towns), size=count, p=sizes)
        lon = towns[town, 0] + rng.normal(0, 1, count) * towns[town, 2]
        lat = towns[town, 1] + rng.normal(0, 1, count) * towns[town, 2]
        glon, glat = datum.convert(lon, lat, "wgs84", "gcj02")
        weight = rng.integers(1, 21, count).astype(float) if weighted else np.ones(count)
        return pd.DataFrame({"id": [f"{prefix}{k}" for k in range(count)], "name": "x", "weight": weight,
                             "adcode": "430102", "county": "c", "lon_gcj02": glon, "lat_gcj02": glat,
                             "lon_wgs84": lon, "lat_wgs84": lat})

    return points(stations, "S", False), points(demand, "D", True)


def naive(stations: pd.DataFrame, demand: pd.DataFrame, n: int) -> float:
    """Greedy by brute force: every step measures every candidate against every uncovered point."""
    from mapgen.geo.projection import points_to_metres

    sx, sy = points_to_metres(stations)
    dx, dy = points_to_metres(demand)
    weight = demand["weight"].to_numpy(float)
    covered = np.zeros(len(dx), dtype=bool)
    for x, y in zip(sx, sy, strict=True):
        covered |= np.hypot(dx - x, dy - y) <= RADIUS_M
    total = float(weight[covered].sum())
    for _ in range(n):
        gains = np.array([weight[~covered & (np.hypot(dx - x, dy - y) <= RADIUS_M)].sum() for x, y in zip(dx, dy,
                                                                                                        strict=True)])
        best = int(np.argmax(gains))
        covered |= np.hypot(dx - dx[best], dy - dy[best]) <= RADIUS_M
        total += float(gains[best])
    return total


def measure(method: str, demand: int, stations: int, n: int) -> dict[str, float | str]:
    """One run in this process: seconds, peak memory and the covered weight."""
    import resource

    from mapgen.analysis.suggest import suggest

    station_frame, demand_frame = instance(demand, stations)
    start = time.perf_counter()
    if method == "mapgen":
        result = suggest(station_frame, demand_frame, n, RADIUS_M)
        covered = float(result.sites["cumulative_covered"].iloc[-1])
        share, bound = result.share_of_best, result.bound_method
    else:
        covered, share, bound = naive(station_frame, demand_frame, n), float("nan"), ""
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "covered": covered, "share_of_best": share, "bound": bound}


def run(method: str, scale: tuple[int, int, int]) -> dict[str, float | str]:
    """Measure in a fresh Python process."""
    code = f"import json, sys; sys.path.insert(0, {str(BENCH)!r}); import suggestions; " \
           f"print(json.dumps(suggestions.measure({method!r}, *{scale!r})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(rows: list[tuple[tuple[int, int, int], str, list[dict[str, float | str]]]], runs: int) -> str:
    """The results as Markdown: medians over the runs, and the load of the machine when it ran."""
    lines = ["# Site suggestions (`--suggest`): benchmark", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"load average at the end {os.getloadavg()[0]:.2f}; medians of {runs} runs, each in a fresh process.",
             "", "| demand | stations | sites | method | median s | covered workers "
             "| share of best | bound | peak MB |", "|---|---|---|---|---|---|---|---|---|"]
    for (demand, stations, n), method, runs_ in rows:
        seconds = statistics.median(float(r["seconds"]) for r in runs_)
        peak = statistics.median(float(r["peak_mb"]) for r in runs_)
        first = runs_[0]
        share = f"{float(first['share_of_best']):.4f}" if method == "mapgen" else ""
        lines.append(f"| {demand:,} | {stations:,} | {n} | {method} | {seconds:.2f} | {float(first['covered']):,.0f} "
                     f"| {share} | {first['bound']} | {peak:.0f} |")
    lines += ["", "Targets (issue 12): 20 sites for 20,000 demand points and 4,000 stations under 10 s with the bound;"
              " 100 sites for 200,000 demand points under 60 s and 2 GB. The naive greedy measures every candidate "
              f"against every uncovered point at every step; it is run up to {NAIVE_MAX_DEMAND:,} demand points.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write its results file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one small instance, one run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS-suggestions.md")
    args = parser.parse_args(argv)
    scales, runs = (QUICK, 1) if args.quick else (SCALES, args.runs)
    rows = []
    for scale in scales:
        for method in ("mapgen", "naive"):
            if method == "naive" and scale[0] > NAIVE_MAX_DEMAND:
                continue
            rows.append((scale, method, [run(method, scale) for _ in range(runs)]))
            print(rows[-1][0], method, rows[-1][2][-1], flush=True)
    args.out.write_text(report(rows, runs), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
