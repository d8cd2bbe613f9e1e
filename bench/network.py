"""Benchmark of `--network`: reach along a synthetic street grid, from a county to a province.

Usage: python bench/network.py [--quick] [--runs 3] [--out bench/RESULTS-network.md] [--work bench/work]

The streets are a square grid with 100 m blocks written as an .osm.pbf with osmium.SimpleWriter (every row
and column one way), placed over Hunan; stations and demand points are scattered at random over it. Each
measurement runs in a fresh process, so that its peak memory (ru_maxrss) is its own. Timed: reading the
extract (osmium), projecting it, the walk (snapping, one Dijkstra per group of stations, the reached
band) and the band's area in each of 16 squares standing in for counties.
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

BENCH = Path(__file__).resolve().parent
NOTES_MARKER = "<!-- Hand-written analysis below this line is kept when bench/network.py rewrites this file. -->"
# (grid side in nodes, stations, demand points): edges = 2 x side x (side - 1)
SCALES = ((224, 500, 5_000), (448, 500, 5_000), (448, 2_000, 5_000), (1_000, 4_000, 20_000), (1_415, 4_000, 20_000))
QUICK = ((40, 20, 200),)
BLOCK_M = 100.0
RADIUS_M = 1000.0
ORIGIN = (150_000.0, 50_000.0)  # Albers metres: east of Changsha, the grid's south-west corner


def grid_file(side: int, work: Path) -> Path:
    """The grid's .osm.pbf, written once per size and kept in `work`."""
    import osmium
    from osmium.osm.mutable import Node, Way

    from mapgen.geo import projection

    path = work / f"grid-{side}.osm.pbf"
    if path.exists():
        return path
    work.mkdir(parents=True, exist_ok=True)
    ix, iy = np.meshgrid(np.arange(side), np.arange(side))
    lon, lat = projection.to_degrees(ORIGIN[0] + ix.ravel() * BLOCK_M, ORIGIN[1] + iy.ravel() * BLOCK_M)
    ids = np.arange(1, side * side + 1).reshape(side, side)
    partial = path.with_suffix(".partial.pbf")
    writer = osmium.SimpleWriter(str(partial))
    for k, (x, y) in enumerate(zip(lon.tolist(), lat.tolist(), strict=True)):
        writer.add_node(Node(id=k + 1, location=(x, y)))
    for way, line in enumerate((*ids, *ids.T), start=1):
        writer.add_way(Way(id=way, nodes=line.tolist(), tags={"highway": "residential" if way % 7 else "footway"}))
    writer.close()
    partial.rename(path)
    return path


def points(side: int, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random points over the grid (Albers metres), off the streets by up to half a block."""
    rng = np.random.default_rng(seed)
    extent = (side - 1) * BLOCK_M
    return ORIGIN[0] + rng.uniform(0, extent, count), ORIGIN[1] + rng.uniform(0, extent, count)


def measure(side: int, stations: int, demand: int, work: str) -> dict[str, float]:
    """One run in this process: seconds per stage, peak memory, and what was reached.

    The stages of `mapgen.network.reach.walk` are timed one by one: snapping and the Dijkstra runs
    ("graph"), and the band of reached streets ("band").
    """
    import resource

    import shapely

    from mapgen.network import reach
    from mapgen.network.figures import county_areas
    from mapgen.network.graph import Network, ends_of, snap, split
    from mapgen.network.osm import read_streets

    path = grid_file(side, Path(work))
    sx, sy = points(side, stations, 1)
    qx, qy = points(side, demand, 2)
    extent = (side - 1) * BLOCK_M
    squares = [shapely.box(ORIGIN[0] + i * extent / 4, ORIGIN[1] + j * extent / 4,
                           ORIGIN[0] + (i + 1) * extent / 4, ORIGIN[1] + (j + 1) * extent / 4)
               for i in range(4) for j in range(4)]
    clock = [time.perf_counter()]
    cpu = time.process_time()

    def lap() -> float:
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    streets = read_streets(path, (-180.0, -90.0, 180.0, 90.0))
    times = {"read_s": lap()}
    network = Network.of(streets)
    times["project_s"] = lap()
    snaps = snap(network, sx, sy)
    cut = split(network, snaps)
    d1, g1, d2 = reach._nearest_two(cut.network, cut.node, snaps, reach._groups(sx, sy, snaps, RADIUS_M), RADIUS_M)
    queries = snap(network, qx, qy)
    a, to_a, b, to_b = ends_of(network, cut, queries)
    walked = np.minimum(d1[a] + to_a, d1[b] + to_b) + queries.access
    times["graph_s"] = lap()
    once, twice = reach._pieces(cut.network, d1, g1, d2, RADIUS_M)
    once_band, twice_band = reach.band(once), reach.band(twice)
    times["band_s"] = lap()
    covered = county_areas(once_band, squares)
    county_areas(twice_band, squares)
    times["areas_s"] = lap()
    times["total_s"] = clock[-1] - clock[0]
    times["cpu_s"] = time.process_time() - cpu  # every thread's; under load, a truer cost than the wall clock
    return {**times, "edges": float(len(network.start)), "covered_km2": float(covered.sum() / 1e6),
            "groups": float(g1.max() + 1), "demand_reached": float(np.mean(walked <= RADIUS_M)),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(scale: tuple[int, int, int], work: Path) -> dict[str, float]:
    """Measure in a fresh Python process (the grid file is made first, outside the measurement)."""
    grid_file(scale[0], work)
    code = (f"import json, sys; sys.path.insert(0, {str(BENCH)!r}); import network; "
            f"print(json.dumps(network.measure(*{scale!r}, {str(work)!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(rows: list[tuple[tuple[int, int, int], list[dict[str, float]]]], runs: int) -> str:
    """The results as Markdown: medians over the runs."""
    columns = ("read_s", "project_s", "graph_s", "band_s", "areas_s", "total_s", "cpu_s")
    lines = ["# Street-network reach (`--network`): benchmark", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"load average at the end {os.getloadavg()[0]:.2f}; medians of the runs (column `runs`), each in a "
             "fresh process.", "",
             "| edges | stations | demand | runs | read s | project s | graph s | band s | areas s | total s "
             "| CPU s | peak MB | groups | covered km² | demand reached |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for (_side, stations, demand), measured in rows:
        med = {key: statistics.median(r[key] for r in measured) for key in measured[0]}
        times = " | ".join(f"{med[c]:.2f}" for c in columns)
        lines.append(f"| {med['edges']:,.0f} | {stations:,} | {demand:,} | {len(measured)} | {times} "
                     f"| {med['peak_mb']:,.0f} | {med['groups']:.0f} | {med['covered_km2']:,.1f} "
                     f"| {100 * med['demand_reached']:.1f}% |")
    lines += ["", "Targets (issue 14): about 100,000 walkable edges and 500 stations under 10 s; several million "
              "edges and 4,000 stations under 3 minutes and 4 GB. Stages: read (osmium, walkable ways), project "
              "(to metres), graph (snapping stations and demand, one Dijkstra per group of stations), band (the "
              "reached streets buffered 50 m each side, once and twice), areas (the bands' area in 16 squares "
              "standing in for counties). Times are wall-clock seconds; CPU s is the process's CPU time over all "
              "stages (the band's tiles are merged on every core, so on an idle machine it exceeds the total; on a "
              "loaded one it is the truer cost).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write its results file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one small grid, one run, in this process")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=1, help="runs above a million edges")
    parser.add_argument("--work", type=Path, default=BENCH / "work")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS-network.md")
    args = parser.parse_args(argv)
    scales, runs = (QUICK, 1) if args.quick else (SCALES, args.runs)
    rows = []
    for scale in scales:
        count = args.large_runs if 2 * scale[0] * (scale[0] - 1) > 1_000_000 and not args.quick else runs
        # The quick smoke test measures in this process: one interpreter start instead of two.
        measured = [measure(*scale, str(args.work)) if args.quick else run(scale, args.work) for _ in range(count)]
        rows.append((scale, measured))
        print(scale, rows[-1][1][-1], flush=True)
    notes = f"{NOTES_MARKER}\n"
    if args.out.exists() and NOTES_MARKER in (old := args.out.read_text(encoding="utf-8")):
        notes = NOTES_MARKER + old.split(NOTES_MARKER, 1)[1]  # the hand-written analysis stays
    args.out.write_text(report(rows, runs) + "\n" + notes, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
