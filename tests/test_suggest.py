"""Site suggestions against optima known by construction or by brute force, and an independent recount."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from mapgen.analysis import suggest as suggest_module
from mapgen.analysis.suggest import SITE_COLUMNS, suggest
from mapgen.geo import datum, projection

R = 1000.0
ORIGIN = projection.to_metres(112.9, 28.2)  # Changsha


def table(offsets, prefix, weights=None):
    """A mapgen point table at metre offsets (x east, y north) from ORIGIN, both datums filled."""
    offsets = np.asarray(offsets, dtype=float).reshape(-1, 2)
    lon, lat = projection.to_degrees(ORIGIN[0] + offsets[:, 0], ORIGIN[1] + offsets[:, 1])
    glon, glat = datum.convert(lon, lat, "wgs84", "gcj02")
    count = len(offsets)
    return pd.DataFrame({
        "id": [f"{prefix}{k}" for k in range(count)],
        "name": [f"{prefix} {k}" for k in range(count)],
        "weight": np.ones(count) if weights is None else np.asarray(weights, dtype=float),
        "adcode": "430102", "county": "芙蓉区",
        "lon_gcj02": glon, "lat_gcj02": glat, "lon_wgs84": lon, "lat_wgs84": lat,
    })


NO_STATIONS = table([], "S")
# Three candidates in a row, 1.5 km apart. B alone reaches the most (7 of 15), so greedy takes B and then
# A (11), but A and C together reach 12: the only optimum for two sites, found by the swap pass.
CANDIDATES = table([(-1500, 0), (0, 0), (1500, 0)], "")
CANDIDATES["id"] = ["A", "B", "C"]
DEMAND = table(
    [(-1500, 0), (1500, 0), (-700, 0), (700, 0), (0, 0), (0, 500), (0, -500)], "D",
    weights=[4, 4, 2, 2, 1, 1, 1],
)


def test_swap_finds_the_optimum_greedy_misses(monkeypatch):
    result = suggest(NO_STATIONS, DEMAND, 2, R, candidates=CANDIDATES)
    assert list(result.sites.columns) == [*SITE_COLUMNS, "geometry"]
    assert list(result.sites["candidate_id"]) == ["A", "C"]  # equal adds: candidate order first
    assert list(result.sites["newly_covered"]) == [6.0, 6.0]
    assert list(result.sites["cumulative_covered"]) == [6.0, 12.0]
    assert list(result.sites["cumulative_covered_pct"]) == [40.0, 80.0]
    assert result.sites["nearest_station_m"].isna().all()
    assert (result.total_demand, result.existing_covered) == (15.0, 0.0)
    assert result.bound_method == "lp"
    assert 12.0 - 1e-9 <= result.bound <= 15.0
    assert result.share_of_best == pytest.approx(12.0 / result.bound)
    # Without the swap pass the same inputs give plain greedy's answer: the test exercises the swap.
    monkeypatch.setattr(suggest_module, "MAX_SWAP_PASSES", 0)
    greedy = suggest(NO_STATIONS, DEMAND, 2, R, candidates=CANDIDATES)
    assert list(greedy.sites["candidate_id"]) == ["B", "A"]
    assert greedy.sites["cumulative_covered"].iloc[-1] == 11.0


def test_sites_keep_the_candidate_position_and_county():
    result = suggest(NO_STATIONS, DEMAND, 2, R, candidates=CANDIDATES)
    row = CANDIDATES.set_index("id").loc["C"]
    site = result.sites.set_index("candidate_id").loc["C"]
    for column in ("lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84", "adcode", "county"):
        assert site[column] == row[column]
    assert result.sites.crs == "EPSG:4326"
    assert site["geometry"].x == row["lon_wgs84"] and site["geometry"].y == row["lat_wgs84"]


def test_demand_in_reach_of_stations_is_existing_and_never_newly_covered():
    stations = table([(1600, 100)], "S")  # reaches D1 (4) and D3 (2) only
    result = suggest(stations, DEMAND, 3, R, candidates=CANDIDATES)
    assert result.existing_covered == 6.0
    # C adds nothing once the station stands: two rows, not three.
    assert list(result.sites["candidate_id"]) == ["A", "B"]
    assert list(result.sites["newly_covered"]) == [6.0, 3.0]
    assert list(result.sites["cumulative_covered"]) == [12.0, 15.0]
    nearest = [math.hypot(3100, 100), math.hypot(1600, 100)]
    assert result.sites["nearest_station_m"].to_numpy() == pytest.approx(nearest, abs=1)
    assert result.share_of_best == 1.0


def test_no_demand_left_gives_no_rows():
    stations = table([(-1000, 0), (0, 0), (1000, 0)], "S")
    result = suggest(stations, DEMAND, 5, R, candidates=CANDIDATES)
    assert len(result.sites) == 0 and list(result.sites.columns) == [*SITE_COLUMNS, "geometry"]
    assert result.existing_covered == result.total_demand == result.bound == 15.0
    assert result.share_of_best == 1.0


def test_more_sites_asked_than_useful_never_repeats_a_site():
    # Candidates default to the demand points; two of them share a position, so one of the pair adds nothing.
    demand = table([(0, 0), (0, 0), (5000, 0), (10000, 0)], "D", weights=[1, 2, 3, 4])
    result = suggest(NO_STATIONS, demand, 10, R)
    assert list(result.sites["candidate_id"]) == ["D3", "D0", "D2"]  # D0 and D2 add 3 each: candidate order
    assert list(result.sites["newly_covered"]) == [4.0, 3.0, 3.0]
    assert result.sites["cumulative_covered"].iloc[-1] == result.total_demand == 10.0
    assert result.bound == 10.0 and result.share_of_best == 1.0


def test_zero_sites_and_bad_arguments():
    assert len(suggest(NO_STATIONS, DEMAND, 0, R).sites) == 0
    with pytest.raises(ValueError, match="`n` was -1"):
        suggest(NO_STATIONS, DEMAND, -1, R)
    with pytest.raises(ValueError, match="`radius_m` was 0"):
        suggest(NO_STATIONS, DEMAND, 1, 0)


def random_instance(seed, demand=300, stations=12, spread=6000.0):
    rng = np.random.default_rng(seed)
    towns = rng.uniform(-spread, spread, (5, 2))
    around = towns[rng.integers(0, 5, demand)] + rng.normal(0, 900, (demand, 2))
    return (table(rng.uniform(-spread, spread, (stations, 2)), "S"),
            table(around, "D", weights=rng.uniform(0.1, 10.0, demand)))


def metres(frame):
    return np.column_stack(projection.points_to_metres(frame))


def reach(a, b):
    """Brute force: which points of b lie within R of each point of a."""
    return np.hypot(*(metres(a)[:, None, :] - metres(b)[None, :, :]).transpose(2, 0, 1)) <= R


def test_every_figure_equals_an_independent_recount():
    stations, demand = random_instance(7)
    result = suggest(stations, demand, 15, R)
    weight = demand["weight"].to_numpy()
    covered = reach(stations, demand).any(axis=0)
    assert 0 < covered.sum() < len(demand)
    assert result.existing_covered == math.fsum(weight[covered])
    assert result.total_demand == math.fsum(weight)
    sites = demand.set_index("id").loc[result.sites["candidate_id"]].reset_index()
    for k, reached in enumerate(reach(sites, demand)):
        newly = reached & ~covered
        covered |= reached
        assert result.sites["newly_covered"].iloc[k] == math.fsum(weight[newly]) > 0
        assert result.sites["cumulative_covered"].iloc[k] == math.fsum(weight[covered])
    assert len(result.sites) == 15
    assert result.sites["newly_covered"].is_monotonic_decreasing  # greedy order of the final set
    assert result.sites["candidate_id"].is_unique


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("method", ["lp", "greedy"])
def test_bound_holds_against_the_brute_force_optimum(seed, method, monkeypatch):
    if method == "greedy":
        monkeypatch.setattr(suggest_module, "LP_MAX_NONZEROS", 0)
    stations, demand = random_instance(seed, demand=40, stations=3, spread=2500.0)
    candidates = demand.iloc[::3].reset_index(drop=True)  # 14 candidates: 364 triples to try
    result = suggest(stations, demand, 3, R, candidates=candidates)
    weight = demand["weight"].to_numpy()
    existing = reach(stations, demand).any(axis=0)
    sites = reach(candidates, demand)
    best = max(math.fsum(weight[existing | sites[list(trio)].any(axis=0)])
               for trio in itertools.combinations(range(len(candidates)), 3))
    achieved = result.sites["cumulative_covered"].iloc[-1]
    assert result.bound_method == method
    assert achieved <= best + 1e-9
    assert result.bound >= best - 1e-9
    assert 0 < result.share_of_best <= 1.0


def test_same_inputs_give_identical_suggestions():
    stations, demand = random_instance(3)
    first, second = suggest(stations, demand, 12, R), suggest(stations, demand, 12, R)
    assert first.sites.to_json() == second.sites.to_json()
    assert (first.bound, first.existing_covered) == (second.bound, second.existing_covered)
