"""Benchmark mapgen build and its map page against targets and a naive folium map; write bench/RESULTS.md.

Usage: python bench/run.py [--sizes 4000 20000 186000] [--distributions clustered spread mixed] [--runs 3]
       [--max-runs 5] [--quick] [--no-baseline] [--out bench/RESULTS.md]
See bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import competitor
import measure
import numpy as np
import results
import shapely
import synthetic
from browser import Browser
from results import SizeResult

BENCH = Path(__file__).resolve().parent
DEFAULT_SIZES = (4000, 20000, 186000)
QUICK_SIZE = 1000
QUERIES = 1000
STEP_LIMIT_S = 300.0


class StepTimeout(Exception):
    """A baseline step ran past the time limit."""


@dataclass(frozen=True)
class Plan:
    """What one benchmark run does."""

    sizes: tuple[int, ...]
    distributions: tuple[str, ...]
    runs: int
    max_runs: int
    large_runs: int
    demand: int
    baseline_max: int
    baseline_runs: int
    limit_s: float
    profile: bool
    work: Path
    out: Path

    def runs_for(self, size: int) -> tuple[int, int]:
        """Least and most runs at a size: fewer above 100,000 stations when --large-runs says so."""
        least = self.large_runs if size > 100_000 else self.runs
        return least, max(least, self.max_runs if size <= 100_000 else least)


def parse(argv: list[str] | None) -> Plan:
    """The command line as a Plan."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="numbers of stations")
    parser.add_argument("--distributions", nargs="+", default=list(synthetic.DISTRIBUTIONS),
                        choices=synthetic.DISTRIBUTIONS, help="how the stations lie")
    parser.add_argument("--runs", type=int, default=3, help="least runs per size (medians are reported)")
    parser.add_argument("--max-runs", type=int, default=5,
                        help="most runs per size: runs go on until the median build time moves < 5%%")
    parser.add_argument("--large-runs", type=int, help="runs above 100,000 stations (default: --runs)")
    parser.add_argument("--quick", action="store_true", help="1,000 stations, 1 run, small baseline, temp file")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive folium map")
    parser.add_argument("--baseline-max", type=int, default=20000, help="largest size the baseline is run at")
    parser.add_argument("--baseline-runs", type=int, default=1,
                        help="runs of the naive map per size (it takes minutes at 20,000 stations)")
    parser.add_argument("--demand", type=int, default=5000, help="number of demand points")
    parser.add_argument("--limit", type=float, default=STEP_LIMIT_S, help="seconds allowed per step")
    parser.add_argument("--no-profile", action="store_true", help="do not profile missed targets")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="where inputs and outputs go")
    parser.add_argument("--out", type=Path, help="results file (default bench/RESULTS.md; a temp file if --quick)")
    args = parser.parse_args(argv)
    if args.quick:
        distributions = ("mixed",) if args.distributions == list(synthetic.DISTRIBUTIONS) else args.distributions
        return Plan((QUICK_SIZE,), tuple(distributions), 1, 1, 1, QUICK_SIZE,
                    0 if args.no_baseline else QUICK_SIZE, 1, args.limit, False, args.work,
                    args.out or _temp_results())  # fmt: skip
    return Plan(tuple(args.sizes), tuple(args.distributions), args.runs, args.max_runs, args.large_runs or args.runs,
                args.demand, 0 if args.no_baseline else args.baseline_max, args.baseline_runs, args.limit,
                not args.no_profile,
                args.work, args.out or BENCH / "RESULTS.md")  # fmt: skip


def _temp_results() -> Path:
    """A fresh temporary file for the quick mode's results."""
    handle, name = tempfile.mkstemp(prefix="mapgen-bench-", suffix=".md")
    os.close(handle)
    return Path(name)


def log(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def mapgen_run(browser: Browser, stations: Path, demand: Path, out_dir: Path, queries: np.ndarray,
               limit_s: float) -> dict[str, float]:  # fmt: skip
    """Build with mapgen and measure the page: every figure of one run."""
    build = measure.mapgen_build(stations, demand, out_dir, limit_s=limit_s)
    if not build.ok:
        msg = f"mapgen build failed (exit {build.returncode}, timed out: {build.timed_out}):\n{build.output[-2000:]}"
        raise RuntimeError(msg)
    html = out_dir / "index.html"
    figures = {"build_s": build.seconds, "cpu_s": build.cpu_s, "load": build.load, "peak_mb": build.peak_mb,
               "html_mb": html.stat().st_size / 1e6}
    figures |= {f"{stage}_s": seconds for stage, seconds in measure.stage_times(build.output).items()}
    return figures | browser.mapgen_page(html, queries, limit_s=limit_s)


def naive_run(browser: Browser, stations: Path, size: int, html: Path, limit_s: float) -> dict[str, float]:
    """Build the naive folium map and load it: every baseline figure of one run."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    build = measure.naive_build(stations, html, limit_s=limit_s)
    if build.timed_out:
        raise StepTimeout(f"the naive build ran past the {limit_s:.0f} s limit")
    if not build.ok:
        msg = f"naive build failed (exit {build.returncode}):\n{build.output[-2000:]}"
        raise RuntimeError(msg)
    try:
        page = browser.naive_page(html, size, limit_s=limit_s)
    except PlaywrightTimeout as error:
        raise StepTimeout(f"loading the naive page ran past the {limit_s:.0f} s limit") from error
    figures = {
        "naive_build_s": build.seconds,
        "naive_peak_mb": build.peak_mb,
        "naive_html_mb": html.stat().st_size / 1e6,
    }
    return figures | {f"naive_{key}": value for key, value in page.items()}


def bench_size(browser: Browser, plan: Plan, size: int, distribution: str, demand: Path, queries: np.ndarray,
               baseline: dict[str, str]) -> SizeResult:  # fmt: skip
    """All runs at one size and distribution; `baseline['stopped']` is set once the baseline has stopped.

    The naive map runs on the first distribution only (clustered by default): one folium marker per station
    costs the same wherever the stations lie.
    """
    stations = synthetic.stations_file(plan.work, size, distribution=distribution)
    result = SizeResult(size, distribution)
    out = plan.work / f"out_{distribution}_{size}"
    least, most = plan.runs_for(size)
    while len(result.runs) < most and (len(result.runs) < least or not result.stable()[0]):
        k = len(result.runs)
        result.runs.append(mapgen_run(browser, stations, demand, out / "mapgen", queries, plan.limit_s))
        result.runs[-1] |= best_run(browser, stations, out, plan.limit_s, result)
        log(f"[{result.label} run {k + 1}] mapgen: " + _brief(result.runs[-1]))
        if size > plan.baseline_max or "stopped" in baseline or distribution != plan.distributions[0] \
                or k >= plan.baseline_runs:
            continue
        try:
            result.naive_runs.append(naive_run(browser, stations, size, out / "naive.html", plan.limit_s))
            log(f"[{result.label} run {k + 1}] naive: " + _brief(result.naive_runs[-1]))
        except StepTimeout as stop:
            baseline["stopped"] = f"stopped at {size:,} stations: {stop}"
    first = distribution == plan.distributions[0]
    result.naive_note = _naive_note(plan, size, baseline, bool(result.naive_runs)) if first else ""
    if plan.profile:
        result.profiles = profiles(browser, result, stations, demand, out / "mapgen", plan.limit_s)
    return result


def best_run(browser: Browser, stations: Path, out: Path, limit_s: float, result: SizeResult) -> dict[str, float]:
    """The supercluster page's figures on the same stations, or none (with a note) when it is not installed."""
    if not competitor.installed():
        result.best_note = f"supercluster not installed: {competitor.install_hint()}"
        return {}
    return competitor.supercluster_page(browser, stations, out, limit_s=limit_s)


def _brief(figures: dict[str, float]) -> str:
    """A one-line summary of a run's figures."""
    return ", ".join(f"{key} {value:.4g}" for key, value in figures.items())


def _naive_note(plan: Plan, size: int, baseline: dict[str, str], ran: bool) -> str:
    """Why the baseline has no figures (or partial ones) at a size; empty when it ran normally."""
    if plan.baseline_max == 0:
        return "baseline not run (--no-baseline)"
    if size > plan.baseline_max:
        return f"baseline not run above {plan.baseline_max:,} stations (--baseline-max; see the notes below)"
    if "stopped" in baseline:
        return f"baseline {baseline['stopped']}" + ("" if ran else " (no complete run at this size)")
    return ""


def profiles(browser: Browser, result: SizeResult, stations: Path, demand: Path, out_dir: Path,
             limit_s: float) -> dict[str, str]:  # fmt: skip
    """Profiles explaining this size's missed targets: cProfile of the build, the page's CPU, the HTML's bytes."""
    missed = {key for key, _, _ in result.misses()}
    found: dict[str, str] = {}
    if missed & {"build_s", "analyse_s", "peak_mb", "build_ratio"}:
        log(f"[{result.stations:,}] profiling the build")
        path = out_dir.parent / "build.prof"
        run = measure.mapgen_build(stations, demand, out_dir, limit_s=limit_s * 3, profile=path)
        found["start-up of a build (interpreter and imports)"] = measure.import_summary()
        found["mapgen build under cProfile"] = measure.profile_summary(path) if run.ok else run.output[-3000:]
    if missed & {"html_mb", "html_ratio"}:
        found["index.html bytes"] = measure.html_breakdown(out_dir / "index.html")
    if missed & {"paint_s", "paint_ratio", "nearest_ms"}:
        log(f"[{result.stations:,}] profiling the page load")
        found["page load in Chromium (CPU profile, self time)"] = browser.js_profile(
            out_dir / "index.html", limit_s=limit_s
        )
    return found


def context(plan: Plan, browser: Browser, argv: list[str], revisions: tuple[str, str]) -> dict[str, Any]:
    """Machine, versions, date and method, for the head of the results."""
    versions = ", ".join(f"{name} {_version(name)}" for name in
                         ("shapely", "geopandas", "pandas", "numpy", "pyproj", "folium", "playwright"))  # fmt: skip
    runs = (f"at least {plan.runs} per size and distribution, at most {plan.max_runs}, until the median build"
            f" time moves less than 5% with the last run" + (f" ({plan.large_runs} above 100,000 stations)"
                                                              if plan.large_runs != plan.runs else ""))  # fmt: skip
    served, stubbed = sorted(browser.cdn.served), sorted(browser.cdn.stubbed)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/run.py " + " ".join(argv),
        "mapgen revision": f"{revisions[0]} (last commit that changed mapgen/), the same throughout the run"
                           if revisions[0] == revisions[1] else
                           f"{revisions[0]} at the start, {revisions[1]} at the end (mapgen/ changed during the run)",
        "machine": f"{os.cpu_count()} cores, {_cpu_model()}, {_memory_gib():.1f} GiB memory, {platform.platform()}",
        "versions": f"Python {platform.python_version()}, GEOS {shapely.geos_version_string}, {versions}, "
                    f"Chromium {browser.version}",
        "runs": f"{runs}; every figure is the median over the runs; sizes in MB are 10^6 bytes",
        "inputs": f"synthetic stations (bench/synthetic.py) lying {', '.join(plan.distributions)} "
                  f"(clustered: around county seats and towns; spread: evenly over the province; mixed: "
                  f"{100 * synthetic.MIXED_TOWN_SHARE:.0f}% in towns, the rest spread), {plan.demand:,} demand "
                  "points, the union offices of geodata/sample/offices.csv",
        "load": "the 1-minute load average at the end of each build (the build itself counts about 1 of it on "
                "this 2-core machine): see the detail table; CPU time (user + system, from wait4()) is given "
                "beside wall time because it moves far less with other jobs",
        "baseline CDN files": f"served from local xstatic packages: {len(served)} files; stubbed (empty): "
                              + (", ".join(stubbed) or "none"),
        "method": "see bench/README.md; the step time limit was " + f"{plan.limit_s:.0f} s",
    }  # fmt: skip


def revision() -> str:
    """The last commit that changed mapgen/, and whether mapgen/ has uncommitted changes ('unknown' outside git)."""
    try:
        head = measure.run(["git", "log", "-1", "--format=%h", "--", "mapgen"], limit_s=30)
        dirty = measure.run(["git", "status", "--porcelain", "--", "mapgen"], limit_s=30)
    except OSError:
        return "unknown"
    if not head.ok or not head.output.strip():
        return "unknown"
    return head.output.strip() + (" with uncommitted changes in mapgen/" if dirty.output.strip() else "")


def _version(name: str) -> str:
    """An installed distribution's version, or '?'."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    """Total memory in GiB from /proc/meminfo (0 when unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the results file."""
    argv = sys.argv[1:] if argv is None else argv
    plan = parse(argv)
    plan.work.mkdir(parents=True, exist_ok=True)
    log(f"generating inputs in {plan.work} (cached between runs)")
    demand = synthetic.demand_file(plan.work, plan.demand)
    queries = synthetic.query_points(QUERIES)
    browser = Browser()
    start = revision()
    try:
        baseline: dict[str, str] = {}
        sizes = [bench_size(browser, plan, size, distribution, demand, queries, baseline)
                 for size in plan.sizes for distribution in plan.distributions]
        text = results.report(sizes, context(plan, browser, argv, (start, revision())))
    finally:
        browser.close()
    results.write(plan.out, text)
    print(text)
    print(f"wrote {plan.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
