"""Benchmark of `--each-county`: every county's map and poster in one build, against `--county` run per county.

Usage: python bench/counties.py [--quick] [--runs 3] [--large] [--out bench/RESULTS-counties.md]

`--large` adds the 186,000-station input of the main benchmark (bench/synthetic.py). The naive way, one
`mapgen build --county` per county, is timed for a few counties and scaled to all 122 (said so in the table).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
COUNTIES = 122
NAIVE_SAMPLE = ("430102", "430681", "431103")  # a city district, Miluo, Lengshuitan


def _run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (children included) of one mapgen command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mapgen", *args, "--quiet"], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def each_county(stations: list[str], runs: int) -> dict[str, float]:
    """Medians of `mapgen build --each-county`; peak memory of the largest process (ru_maxrss of children)."""
    walls, cpus = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            wall, cpu = _run(["build", *stations, "--each-county", "--basemap", "none", "--out-dir", out])
        walls.append(wall)
        cpus.append(cpu)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "peak_mb": peak}


def naive(stations: list[str]) -> float:
    """`mapgen build --county` for a few counties, scaled to all of them (seconds)."""
    seconds = []
    for adcode in NAIVE_SAMPLE:
        with tempfile.TemporaryDirectory() as out:
            seconds.append(_run(["build", *stations, "--county", adcode, "--basemap", "none", "--out-dir", out])[0])
    return statistics.mean(seconds) * COUNTIES


def main(argv: list[str] | None = None) -> None:
    """Measure and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="also the 186,000-station input (one run)")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS-counties.md")
    args = parser.parse_args(argv)
    rows = [("sample, 4,000 stations", each_county([], args.runs), naive([]))]
    if args.large:
        sys.path.insert(0, str(BENCH))
        import synthetic

        path = synthetic.stations_file(BENCH / "work", 186_000)
        rows.append(("synthetic, 186,000 stations", each_county(["--stations", str(path)], 1), float("nan")))
    lines = ["# Every county's map and poster (`--each-county`): benchmark", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load "
             f"average at the end {os.getloadavg()[0]:.2f}; medians of {args.runs} runs (one for 186,000).", "",
             "| input | --each-county wall s | CPU s (all processes) | peak MB (largest process) "
             "| naive: --county per county, s (3 timed, x 122) |", "|---|---|---|---|---|"]
    for name, measured, slow in rows:
        naive_text = "" if slow != slow else f"{slow:.0f}"
        lines.append(f"| {name} | {measured['wall']:.1f} | {measured['cpu']:.1f} | {measured['peak_mb']:.0f} "
                     f"| {naive_text} |")
    lines += ["", "Targets (issue 13): all 122 counties of the sample in under 60 s on this 2-core machine; the "
              "186,000-station input in under 5 minutes.", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
