"""Coverage figures against areas worked out by hand or by an independent raster count."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from mapgen.analysis import circles, coverage, disks, outlines
from mapgen.geo import datum, projection
from mapgen.settings import Settings

R = 1000.0
ORIGIN = projection.to_metres(112.9, 28.2)


def lens(d, r=R):
    """Area shared by two circles of radius r whose centres are d apart."""
    return 2 * r * r * math.acos(d / (2 * r)) - d / 2 * math.sqrt(4 * r * r - d * d)


def segment(d, r=R):
    """Area of a circle of radius r beyond a straight line d from its centre."""
    return r * r * math.acos(d / r) - d * math.sqrt(r * r - d * d)


def county(adcode, west, south, east, north):
    """A rectangular county given in metres from ORIGIN, stored in GCJ-02 as the real ones are."""
    box = shapely.box(ORIGIN[0] + west, ORIGIN[1] + south, ORIGIN[0] + east, ORIGIN[1] + north)
    lonlat = projection.geometry_to_degrees(shapely.segmentize(box, 50))
    return {"adcode": adcode, "county": f"C{adcode}", "prefecture": "P",
            "geometry": datum.convert_geometry(lonlat, "wgs84", "gcj02")}


def counties(*rows):
    return gpd.GeoDataFrame(list(rows), geometry="geometry")


def points(xy, adcode="430101", weight=None):
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    lon, lat = projection.to_degrees(ORIGIN[0] + xy[:, 0], ORIGIN[1] + xy[:, 1])
    frame = pd.DataFrame({"id": [f"p{i}" for i in range(len(xy))], "name": "", "lon_wgs84": lon,
                          "lat_wgs84": lat, "adcode": adcode, "county": f"C{adcode}", "prefecture": "P"})
    frame["weight"] = 1.0 if weight is None else weight
    return frame


NO_OFFICES = pd.DataFrame({"adcode": pd.Series([], dtype=str)})


def analyse(stations, shapes, demand=None, settings=None):
    return coverage.analyse(stations, NO_OFFICES, demand, shapes, settings or Settings())


def row(result, adcode):
    return result.table.set_index("adcode").loc[adcode]


@pytest.mark.parametrize("d", [200.0, 1000.0, 1700.0])
def test_two_overlapping_circles(d):
    result = analyse(points([(0, 0), (d, 0)]), counties(county("430101", -10000, -10000, 10000, 10000)))
    county_row = row(result, "430101")
    assert county_row["area_km2"] == pytest.approx(400.0, rel=1e-4)
    assert county_row["covered_km2"] * 1e6 == pytest.approx(2 * math.pi * R * R - lens(d), rel=1e-6)
    assert county_row["cross_covered_pct"] / 100 * 400e6 == pytest.approx(lens(d), rel=1e-6)
    assert county_row["stations"] == 2


def test_distant_circles_have_no_cross_coverage():
    result = analyse(points([(0, 0), (2500, 0)]), counties(county("430101", -10000, -10000, 10000, 10000)))
    assert row(result, "430101")["cross_covered_pct"] == 0.0
    assert row(result, "430101")["covered_km2"] * 1e6 == pytest.approx(2 * math.pi * R * R, rel=1e-6)


def test_station_straddling_a_county_border_covers_both():
    west = county("430101", -10000, -10000, 0, 10000)
    east = county("430102", 0, -10000, 10000, 10000)
    result = analyse(points([(-400, 0)], adcode="430101"), counties(west, east))
    assert row(result, "430101")["stations"] == 1 and row(result, "430102")["stations"] == 0
    assert row(result, "430102")["covered_km2"] * 1e6 == pytest.approx(segment(400), rel=1e-6)
    assert row(result, "430101")["covered_km2"] * 1e6 == pytest.approx(math.pi * R * R - segment(400), rel=1e-6)
    province = row(result, coverage.PROVINCE_ADCODE)
    assert province["covered_km2"] * 1e6 == pytest.approx(math.pi * R * R, rel=1e-6)
    assert province["area_km2"] == pytest.approx(400.0, rel=1e-4)


def test_county_without_station_is_zero_percent():
    shapes = counties(county("430101", -10000, -10000, 0, 10000), county("430102", 50000, 0, 60000, 10000))
    result = analyse(points([(-5000, 0)]), shapes)
    assert row(result, "430102")["covered_pct"] == 0.0
    assert row(result, "430102")["stations"] == 0


def test_no_station_at_all():
    result = analyse(points(np.empty((0, 2))), counties(county("430101", 0, 0, 1000, 1000)))
    assert row(result, "430101")["covered_pct"] == 0.0
    assert result.service_area.is_empty


def test_radius_comes_from_minutes_and_speed():
    shapes = counties(county("430101", -10000, -10000, 10000, 10000))
    result = analyse(points([(0, 0)]), shapes, settings=Settings(minutes=30, speed_kmh=5))
    assert row(result, "430101")["covered_km2"] == pytest.approx(math.pi * 2.5**2, rel=1e-6)


def test_many_circles_match_an_independent_raster_count():
    rng = np.random.default_rng(7)
    xy = rng.uniform(-4000, 4000, size=(40, 2))
    result = analyse(points(xy), counties(county("430101", -5000, -5000, 5000, 5000)))
    # Count a 10 m grid of cell centres by distance to the stations: no polygons involved.
    axis = np.arange(-5000, 5000, 10.0) + 5.0
    gx, gy = np.meshgrid(axis, axis)
    within = np.zeros(gx.shape, dtype=np.int16)
    for x, y in xy:
        within += (gx - x) ** 2 + (gy - y) ** 2 <= R * R
    cell = 100.0
    county_row = row(result, "430101")
    assert county_row["covered_km2"] * 1e6 == pytest.approx((within >= 1).sum() * cell, rel=0.001)
    assert county_row["cross_covered_pct"] / 100 * 100e6 == pytest.approx((within >= 2).sum() * cell, rel=0.001)


def test_coincident_stations_cover_each_other_twice():
    result = analyse(points([(0, 0), (0, 0)]), counties(county("430101", -5000, -5000, 5000, 5000)))
    assert row(result, "430101")["cross_covered_pct"] / 100 * 100e6 == pytest.approx(math.pi * R * R, rel=1e-6)


@pytest.mark.parametrize("lat", [24.8, 29.9])
def test_area_is_right_at_both_ends_of_the_province(lat):
    x, y = projection.to_metres(111.0, lat)
    shape = shapely.box(x - 5000, y - 5000, x + 5000, y + 5000)
    gcj = datum.convert_geometry(projection.geometry_to_degrees(shapely.segmentize(shape, 50)), "wgs84", "gcj02")
    lon, lat_ = projection.to_degrees(x, y)
    stations = pd.DataFrame({"lon_wgs84": [lon], "lat_wgs84": [lat_], "adcode": ["430101"]})
    shapes = gpd.GeoDataFrame([{"adcode": "430101", "county": "C", "prefecture": "P", "geometry": gcj}])
    result = analyse(stations, shapes)
    assert row(result, "430101")["covered_km2"] * 1e6 == pytest.approx(math.pi * R * R, rel=1e-6)


def test_demand_points_at_known_distances():
    demand = points([(999, 0), (0, 1001), (5000, 0), (-300, 0)], weight=np.array([10.0, 20.0, 30.0, 5.0]))
    result = analyse(points([(0, 0)]), counties(county("430101", -10000, -10000, 10000, 10000)), demand=demand)
    county_row = row(result, "430101")
    assert county_row["demand_total"] == 65.0
    assert county_row["demand_covered"] == 15.0
    assert county_row["demand_covered_pct"] == pytest.approx(100 * 15 / 65)
    gaps = result.gaps
    assert gaps["weight"].tolist() == [30.0, 20.0]
    assert gaps["distance_m"].tolist() == pytest.approx([5000.0, 1001.0], abs=1.0)
    assert gaps["county"].tolist() == ["C430101", "C430101"]


def test_gap_polygons_without_demand_are_the_uncovered_rest():
    result = analyse(points([(0, 0)]), counties(county("430101", -5000, -5000, 5000, 5000)))
    gap = result.gaps.iloc[0]
    assert gap["uncovered_km2"] == pytest.approx(100 - math.pi, rel=1e-5)
    assert result.gaps.crs.to_epsg() == 4326


def test_service_area_is_drawn_where_the_station_is():
    result = analyse(points([(0, 0)]), counties(county("430101", -5000, -5000, 5000, 5000)))
    lon, lat = projection.to_degrees(*ORIGIN)
    centroid = result.service_area.centroid
    x, y = projection.to_metres(centroid.x, centroid.y)
    assert (float(x), float(y)) == pytest.approx((float(ORIGIN[0]), float(ORIGIN[1])), abs=1.0)
    assert result.service_area.contains(shapely.Point(lon, lat))


def test_reach_outline_keeps_holes_and_islands():
    # Twelve stations on a 5 km ring and one at its centre: a ring with a hole, and an island inside it.
    angles = np.linspace(0, 2 * np.pi, 13)[:-1]
    xy = np.vstack([np.column_stack([5000 * np.cos(angles), 5000 * np.sin(angles)]), [[0.0, 0.0]]])
    reach = disks.reach(xy[:, 0], xy[:, 1], 1500.0, [shapely.box(-1e5, -1e5, 1e5, 1e5)])
    exact = shapely.union_all(shapely.buffer(shapely.points(xy), 1500.0, quad_segs=256))
    assert reach.once.is_valid
    assert sorted(len(p.interiors) for p in reach.once.geoms) == [0, 1]
    assert reach.once.area == pytest.approx(exact.area, rel=0.01)  # drawn with 32 sides per circle
    assert reach.once_m2[0] == pytest.approx(exact.area, rel=1e-4)  # computed exactly



def test_rings_that_cross_are_repaired_and_the_others_kept_as_they_are():
    # A 10 x 10 outline with a hole poking out of its east side (what a chord crossing its neighbour's makes),
    # and a clean 10 x 10 outline with a hole well inside: only the first needs repair.
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    rings = [
        np.array(square, float), np.array([(8, 4), (8, 6), (12, 6), (12, 4)], float),  # clockwise hole
        np.array(square, float) + 20, np.array([(24, 24), (24, 26), (26, 26), (26, 24)], float),
    ]
    flat = outlines.Rings(np.vstack(rings), np.repeat(np.arange(4), 4))
    result = outlines.rings_to_polygons(flat, np.zeros(2))
    assert result.is_valid
    assert result.intersection(shapely.box(0, 0, 10, 10)).area == pytest.approx(100 - 4)  # the hole cut out
    clean = [p for p in result.geoms if p.bounds[0] >= 20]
    assert len(clean) == 1 and len(clean[0].interiors) == 1 and clean[0].area == pytest.approx(100 - 4)


def test_arcs_chain_to_the_nearest_start_even_when_starts_share_a_millimetre():
    # Four arcs whose ends lie nanometres from the next arc's start; two starts 0.4 mm apart share one 1 mm
    # cell, and one end sits just across a cell edge from its start.
    starts = np.array([[0.0, 0.0], [10.0, 0.0004], [10.0, 0.0], [0.00099999, 5.0]])
    succ = np.array([2, 3, 1, 0])  # arc k ends where arc succ[k] starts
    ends = starts[succ] + np.array([[3e-9, -2e-9], [0.0, 4e-9], [-1e-9, 0.0], [2e-8, 0.0]])
    arcs = circles.Arcs(np.zeros(4, np.int64), np.zeros(4), np.ones(4), np.zeros(4, np.int64), starts, ends)
    assert outlines.successors(arcs).tolist() == succ.tolist()
