"""Where new stations reach the most uncovered workers: the maximal covering location problem, with a bound."""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog
from scipy.spatial import cKDTree

from mapgen.geo import projection

SITE_COLUMNS = (
    "rank", "candidate_id", "lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84", "adcode", "county",
    "newly_covered", "cumulative_covered", "cumulative_covered_pct", "nearest_station_m",
)
# Candidates are joined to demand in blocks, so the pair list of one block stays small.
BLOCK = 20_000
# HiGHS needs 15-25 s at 2 million nonzeros (200,000 demand points); beyond, the greedy bound is used.
LP_MAX_NONZEROS = 2_000_000
LP_TIME_LIMIT_S = 30.0
# Each accepted swap strictly raises the covered weight, so this only caps the work, not correctness.
MAX_SWAP_PASSES = 5
# A swap must gain more than rounding noise, or float sums of equal weight could swap back and forth.
SWAP_TOLERANCE = 1e-9

Floats = NDArray[np.float64]
Indices = NDArray[np.intp]


@dataclass(frozen=True)
class Suggestions:
    """The suggested sites, best first, and how close they come to the best possible."""

    sites: gpd.GeoDataFrame  # SITE_COLUMNS; geometry = WGS-84 points (EPSG:4326)
    total_demand: float  # all demand weight considered
    existing_covered: float  # weight already within reach of existing stations
    bound: float  # a proven upper bound on the weight coverable with existing stations + n new sites
    bound_method: str  # "lp" (LP relaxation, via its dual) or "greedy" (submodularity bound)

    @property
    def share_of_best(self) -> float:
        """Covered weight with the suggestions as a share of the bound (1.0 when nothing could be added)."""
        covered = float(self.sites["cumulative_covered"].iloc[-1]) if len(self.sites) else self.existing_covered
        return 1.0 if self.bound <= 0 else min(1.0, covered / self.bound)


@dataclass(frozen=True)
class _Problem:
    """Candidates × demand not yet in reach, as 0/1 matrices both ways, with that demand's weights."""

    cover: sparse.csr_array  # candidate rows, demand columns
    covered_by: sparse.csr_array  # its transpose: demand rows, candidate columns
    weight: Floats

    def row(self, candidate: int) -> Indices:
        return np.asarray(self.cover.indices[self.cover.indptr[candidate]:self.cover.indptr[candidate + 1]])

    def gains_of(self, demand: Indices) -> Floats:
        """The weight of `demand` each candidate reaches: what it gains or loses when that demand changes."""
        return np.asarray(self.covered_by[demand].T @ self.weight[demand], dtype=float)


def suggest(
    stations: pd.DataFrame, demand: pd.DataFrame, n: int, radius_m: float, *,
    candidates: pd.DataFrame | None = None,
) -> Suggestions:
    """Up to `n` new sites maximising the demand weight within `radius_m` metres, given the existing stations.

    Candidates default to the demand points. Covered means within `radius_m` (<=), as in the coverage.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        msg = f"`n` was {n!r} but is expected to be a whole number >= 0"
        raise ValueError(msg)
    if not math.isfinite(radius_m) or radius_m <= 0:
        msg = f"`radius_m` was {radius_m!r} but is expected to be a finite number of metres > 0"
        raise ValueError(msg)
    places = demand if candidates is None else candidates
    weight = demand["weight"].to_numpy(float)
    demand_xy = _metres(demand)
    existing = _nearest(stations, demand_xy) <= radius_m
    open_ = ~existing & (weight > 0)
    problem = _problem(_metres(places), demand_xy[open_], weight[open_], radius_m)
    chosen, greedy_bound = _greedy(problem, int(n))
    ranked = _rank(problem, _swap(problem, chosen))
    existing_weights = weight[existing].tolist()
    lp = _lp_bound(problem, int(n))
    best = min(greedy_bound, math.inf if lp is None else lp, _reachable(problem))
    return Suggestions(
        sites=_sites(places, stations, problem, ranked, existing_weights, math.fsum(weight)),
        total_demand=math.fsum(weight),
        existing_covered=math.fsum(existing_weights),
        bound=math.fsum(existing_weights) + best,
        bound_method="lp" if lp is not None and lp <= greedy_bound else "greedy",
    )


def _metres(points: pd.DataFrame) -> Floats:
    if len(points) == 0:
        return np.empty((0, 2))
    return np.column_stack(projection.points_to_metres(points))


def _nearest(stations: pd.DataFrame, xy: Floats) -> Floats:
    """Distance in metres from each point to its nearest station (inf with no station)."""
    if len(stations) == 0 or len(xy) == 0:
        return np.full(len(xy), np.inf)
    distance, _ = cKDTree(_metres(stations)).query(xy, k=1)
    return np.asarray(distance, dtype=float)


def _problem(places: Floats, demand: Floats, weight: Floats, radius_m: float) -> _Problem:
    """Which open demand each candidate reaches, found by kd-trees, never by all pairs."""
    rows: list[NDArray[np.int32]] = [np.empty(0, np.int32)]
    cols: list[NDArray[np.int32]] = [np.empty(0, np.int32)]
    if len(demand) and len(places):
        tree = cKDTree(demand)
        for start in range(0, len(places), BLOCK):
            pairs = cKDTree(places[start:start + BLOCK]).sparse_distance_matrix(tree, radius_m, output_type="ndarray")
            rows.append((pairs["i"] + start).astype(np.int32))
            cols.append(pairs["j"].astype(np.int32))
    row, col = np.concatenate(rows), np.concatenate(cols)
    ones = np.ones(len(row), dtype=np.int8)
    return _Problem(
        cover=sparse.csr_array((ones, (row, col)), shape=(len(places), len(demand))),
        covered_by=sparse.csr_array((ones, (col, row)), shape=(len(demand), len(places))),
        weight=weight,
    )


def _greedy(problem: _Problem, n: int) -> tuple[list[int], float]:
    """Greedy picks by largest marginal weight (first candidate on ties) and a bound on the best n picks.

    The bound: for any set S, best <= f(S) + the n largest marginal gains at S (submodularity); and
    greedy >= (1 - (1 - 1/n)^n) best. The smallest of these over the greedy prefixes is kept.
    """
    gain = np.asarray(problem.cover @ problem.weight, dtype=float)
    covered = np.zeros(len(problem.weight), dtype=bool)
    chosen: list[int] = []
    value, bound = 0.0, math.inf
    while True:
        bound = min(bound, value + _top(gain, n))
        best = int(np.argmax(gain)) if len(gain) else -1
        if len(chosen) == n or best < 0 or gain[best] <= 0:
            break
        newly = problem.row(best)
        newly = newly[~covered[newly]]
        gain[best] = 0.0
        if len(newly) == 0:  # a rounding residue, not a real gain
            continue
        covered[newly] = True
        value += math.fsum(problem.weight[newly].tolist())
        gain -= problem.gains_of(newly)
        chosen.append(best)
    if n > 0:
        bound = min(bound, value / (1.0 - (1.0 - 1.0 / n) ** n))
    return chosen, bound


def _reachable(problem: _Problem) -> float:
    """The weight of all open demand some candidate reaches: no choice of sites can cover more."""
    reached = np.diff(problem.covered_by.indptr) > 0
    return math.fsum(problem.weight[reached].tolist())


def _top(gain: Floats, n: int) -> float:
    """The sum of the n largest positive gains."""
    positive = gain[gain > 0]
    if len(positive) > n:
        positive = np.partition(positive, len(positive) - n)[len(positive) - n:] if n else positive[:0]
    return math.fsum(positive.tolist())


def _swap(problem: _Problem, chosen: list[int]) -> list[int]:
    """Replace a chosen site by the candidate that would cover most in its place, while that covers more."""
    chosen = list(chosen)
    count = np.zeros(len(problem.weight), dtype=np.int32)
    for site in chosen:
        count[problem.row(site)] += 1
    for _ in range(MAX_SWAP_PASSES):
        # Recomputed each pass, so that rounding in the running updates never accumulates.
        gain = np.asarray(problem.cover @ (problem.weight * (count == 0)), dtype=float)
        swapped = False
        for position, site in enumerate(chosen):
            row = problem.row(site)
            alone = row[count[row] == 1]
            loss = math.fsum(problem.weight[alone].tolist())
            without = gain + problem.gains_of(alone)  # every candidate's gain were `site` removed
            best = int(np.argmax(without))
            if without[best] <= loss + SWAP_TOLERANCE * max(1.0, loss):
                continue
            count[row] -= 1
            added = problem.row(best)
            gain = without - problem.gains_of(added[count[added] == 0])
            count[added] += 1
            chosen[position], swapped = best, True
        if not swapped:
            break
    return chosen


def _rank(problem: _Problem, chosen: list[int]) -> list[tuple[int, Indices]]:
    """The final sites in greedy order, each with the demand it adds after the earlier ones; no empty adds."""
    covered = np.zeros(len(problem.weight), dtype=bool)
    remaining = sorted(set(chosen))  # candidate order breaks ties
    ranked: list[tuple[int, Indices]] = []
    while remaining:
        adds = [problem.row(site)[~covered[problem.row(site)]] for site in remaining]
        gains = [math.fsum(problem.weight[add].tolist()) for add in adds]
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        covered[adds[best]] = True
        ranked.append((remaining.pop(best), adds[best]))
    return ranked


def _lp_bound(problem: _Problem, n: int) -> float | None:
    """An upper bound from the LP relaxation: max w·y, y <= cover^T x, sum x <= n, 0 <= x, y <= 1.

    The bound is the Lagrangian value of HiGHS's dual solution, valid for any duals >= 0, so solver
    tolerances cannot make it too low. None when the LP is too large or not solved.
    """
    cover = problem.cover
    places, points = cover.shape
    if cover.nnz + places + points > LP_MAX_NONZEROS or places == 0 or points == 0:
        return None
    rows = sparse.vstack([
        sparse.hstack([-cover.T.astype(float), sparse.eye_array(points, format="csr")]),
        sparse.hstack([sparse.csr_array(np.ones((1, places))), sparse.csr_array((1, points))]),
    ], format="csr")
    cost = np.concatenate([np.zeros(places), -problem.weight])
    limits = np.concatenate([np.zeros(points), [float(n)]])
    result = linprog(cost, A_ub=rows, b_ub=limits, bounds=(0, 1), method="highs",
                     options={"time_limit": LP_TIME_LIMIT_S})
    if result.status != 0:
        return None
    duals = np.maximum(-np.asarray(result.ineqlin.marginals, dtype=float), 0.0)
    price, per_site = duals[:points], float(duals[points])
    reach = np.asarray(cover @ price, dtype=float)
    return math.fsum([
        per_site * n,
        math.fsum(np.maximum(problem.weight - price, 0.0).tolist()),
        math.fsum(np.maximum(reach - per_site, 0.0).tolist()),
    ])


def _sites(
    places: pd.DataFrame, stations: pd.DataFrame, problem: _Problem, ranked: list[tuple[int, Indices]],
    existing_weights: list[float], total: float,
) -> gpd.GeoDataFrame:
    """The suggestions table: each rank's own addition and the exact cumulative weight in reach."""
    index = [site for site, _ in ranked]
    rows = places.iloc[index]
    reached = list(existing_weights)
    newly, cumulative = [], []
    for _, add in ranked:  # each figure summed afresh with fsum: exact, not a running total's rounding
        newly.append(math.fsum(problem.weight[add].tolist()))
        reached.extend(problem.weight[add].tolist())
        cumulative.append(math.fsum(reached))
    distance = _nearest(stations, _metres(rows))
    table = pd.DataFrame({
        "rank": np.arange(1, len(index) + 1, dtype=np.int64),
        "candidate_id": rows["id"].astype(str).to_numpy(),
        **{column: rows[column].to_numpy(float) for column in ("lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84")},
        "adcode": rows["adcode"].astype(str).to_numpy(),
        "county": rows["county"].astype(str).to_numpy(),
        "newly_covered": np.asarray(newly, dtype=float),
        "cumulative_covered": (covered := np.asarray(cumulative, dtype=float)),
        "cumulative_covered_pct": 100.0 * covered / total if total > 0 else np.nan,
        "nearest_station_m": np.where(np.isfinite(distance), distance, np.nan),
    })
    points = gpd.points_from_xy(table["lon_wgs84"], table["lat_wgs84"], crs="EPSG:4326")
    return gpd.GeoDataFrame(table, geometry=points, crs="EPSG:4326")
