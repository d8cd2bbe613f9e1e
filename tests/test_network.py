"""Reach along streets (`--network`) on small synthetic OpenStreetMap extracts, with answers worked out by hand.

Streets are laid out in metres on Hunan's Albers projection around a point deep inside 浏阳市 (25 km from its
border), written with osmium.SimpleWriter, and read back as any extract is. Radius: 15 min x 4 km/h = 1,000 m.
A reached street is a band 50 m each side with round ends; GEOS draws a round end with 4 segments per quarter
circle, so a free end adds half a 16-gon of radius 50 m (7,653.67 m²) rather than half a circle.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import osmium
import pytest
from osmium.osm.mutable import Node, Way

from mapgen.cli import main
from mapgen.geo import datum, projection
from mapgen.network.graph import Network
from mapgen.network.osm import read_streets
from mapgen.network.reach import StreetReach, walk

ORIGIN = (214_400.0, 78_500.0)  # Albers metres inside 浏阳市
EVERYWHERE = (-180.0, -90.0, 180.0, 90.0)
CAPS_M2 = 8 * 50.0**2 * math.sin(2 * math.pi / 16)  # two half 16-gons: the round ends of one stretch
Ways = list[tuple[list[tuple[float, float]], dict[str, str]]]


def metres(value: float) -> object:
    """Equal to within 5 cm: OSM keeps positions to 1e-7 degree, about a centimetre."""
    return pytest.approx(value, abs=0.05)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """WGS-84 of a point `x`, `y` metres east and north of ORIGIN."""
    lon, lat = projection.to_degrees(np.array([ORIGIN[0] + x]), np.array([ORIGIN[1] + y]))
    return float(lon[0]), float(lat[0])


def write_osm(path: Path, ways: Ways, *, missing: tuple[tuple[float, float], ...] = ()) -> Path:
    """An extract of these ways (points in metres); nodes at `missing` are referenced but not written."""
    ids: dict[tuple[float, float], int] = {}
    for points, _ in ways:
        for point in points:
            ids.setdefault(point, len(ids) + 1)
    writer = osmium.SimpleWriter(str(path))
    for point, number in ids.items():
        if point not in missing:
            writer.add_node(Node(id=number, location=lonlat(*point)))
    for k, (points, tags) in enumerate(ways):
        writer.add_way(Way(id=k + 1, nodes=[ids[p] for p in points], tags=tags))
    writer.close()
    return path


def write_points(path: Path, rows: list[tuple[str, float, float, float]], *, gcj02: bool = False) -> Path:
    """A CSV of named points (id, x, y, workers) in WGS-84 (headers say so), or in GCJ-02 as Amap gives them."""
    header = (["编号", "名称", "经度", "纬度", "人数"] if gcj02
              else ["id", "name", "经度（WGS84）", "纬度（WGS84）", "workers"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for name, x, y, workers in rows:
            lon, lat = lonlat(x, y)
            if gcj02:
                glon, glat = datum.convert(np.array([lon]), np.array([lat]), "wgs84", "gcj02")
                lon, lat = float(glon[0]), float(glat[0])
            out.writerow([name, name, f"{lon:.8f}", f"{lat:.8f}", workers])
    return path


def street_walk(path: Path, stations: list[tuple[float, float]], points: list[tuple[float, float]]) -> StreetReach:
    """Read the extract and walk from the stations; the query points' walks."""
    network = Network.of(read_streets(path, EVERYWHERE))
    sx, sy = (np.array([ORIGIN[k] + p[k] for p in stations]) for k in (0, 1))
    qx, qy = (np.array([ORIGIN[k] + p[k] for p in points]) for k in (0, 1))
    return walk(network, sx, sy, 1000.0, qx, qy)


def grid(side: int, block: float) -> Ways:
    """A square grid of residential streets centred on ORIGIN: every row and column one way."""
    half = (side - 1) * block / 2
    coords = [k * block - half for k in range(side)]
    rows = [([(x, y) for x in coords], {"highway": "residential"}) for y in coords]
    return rows + [([(x, y) for y in coords], {"highway": "residential"}) for x in coords]


# A river between two streets 300 m apart, crossed by one footbridge 1,500 m east of the station; and a
# small piece of track far off, which keeps the extract's area wide enough to hold points 600 m from a street.
RIVER: Ways = [
    ([(-2000.0, 0.0), (-1000.0, 0.0), (0.0, 0.0), (1000.0, 0.0), (1500.0, 0.0), (2000.0, 0.0)],
     {"highway": "residential"}),
    ([(-2000.0, 300.0), (0.0, 300.0), (1500.0, 300.0), (2000.0, 300.0)], {"highway": "residential"}),
    ([(1500.0, 0.0), (1500.0, 300.0)], {"highway": "footway", "bridge": "yes"}),
    ([(-2000.0, -1500.0), (-1900.0, -1500.0)], {"highway": "track"}),  # far off, never reached
]


def test_on_a_grid_the_walk_along_the_station_streets_is_the_straight_line(tmp_path):
    path = write_osm(tmp_path / "grid.osm.pbf", grid(31, 100.0))  # -1,500 .. 1,500 m
    points = [(900.0, 0.0), (0.0, -950.0), (0.0, 990.0), (1100.0, 0.0), (300.0, 400.0), (600.0, 500.0)]
    reach = street_walk(path, [(0.0, 0.0)], points)
    # Along the station's own streets network and circle agree: 900, 950, 990 m (covered), 1,100 m (not).
    assert reach.distance[:3] == metres([900.0, 950.0, 990.0])
    assert np.isinf(reach.distance[3])
    # Off them the walk goes round the blocks: 700 m for a point 500 m away; 1,100 m for one 781 m away,
    # inside the circle but not within a 1,000 m walk.
    assert reach.distance[4] == metres(700.0)
    assert np.isinf(reach.distance[5])


def test_a_river_with_one_bridge_keeps_the_other_bank_out_of_reach(tmp_path):
    path = write_osm(tmp_path / "river.osm.pbf", RIVER)
    reach = street_walk(path, [(0.0, 0.0)], [(0.0, 300.0), (900.0, 0.0), (1400.0, 300.0)])
    # 300 m across the water, but 1,500 + 300 + 1,500 m on foot; 900 m along the bank; 1,900 m via the bridge.
    assert np.isinf(reach.distance[0]) and reach.distance[1] == metres(900.0) and np.isinf(reach.distance[2])
    # The reached street: 1,000 m each way along the south bank, 50 m each side, with round ends.
    assert reach.once.area == pytest.approx(2000 * 100 + CAPS_M2, rel=1e-4)
    assert reach.twice.is_empty and reach.once.is_valid


def test_cross_coverage_is_where_two_stations_reach_along_the_street(tmp_path):
    path = write_osm(tmp_path / "river.osm", RIVER)  # the XML format reads the same
    reach = street_walk(path, [(-200.0, 0.0), (200.0, 0.0)], [(-300.0, 0.0)])
    # Station A reaches -1,200 .. 800 m, B -800 .. 1,200 m: once -1,200 .. 1,200, twice -800 .. 800.
    assert reach.once.area == pytest.approx(2400 * 100 + CAPS_M2, rel=1e-4)
    assert reach.twice.area == pytest.approx(1600 * 100 + CAPS_M2, rel=1e-4)
    assert reach.distance[0] == metres(100.0)  # along the cut segment, not via its ends


SHORTCUT_TAGS = [
    ({"highway": "footway"}, True),
    ({"highway": "path", "access": "private", "foot": "yes"}, True),
    ({"highway": "motorway"}, False),
    ({"highway": "motorway_link"}, False),
    ({"highway": "construction"}, False),
    ({"highway": "footway", "foot": "no"}, False),
    ({"highway": "service", "access": "private"}, False),
    ({"highway": "service", "access": "no", "foot": "designated"}, False),
]


@pytest.mark.parametrize(("tags", "walked"), SHORTCUT_TAGS)
def test_a_shortcut_is_walked_only_when_walkable(tmp_path, tags, walked):
    # Round the block by road is 2,600 m; the shortcut straight across is 600 m.
    road = ([(0.0, 0.0), (1000.0, 0.0), (1000.0, 600.0), (0.0, 600.0)], {"highway": "residential"})
    path = write_osm(tmp_path / "shortcut.osm.pbf", [road, ([(0.0, 0.0), (0.0, 600.0)], tags)])
    reach = street_walk(path, [(0.0, 0.0)], [(0.0, 600.0)])
    assert (reach.distance[0] == metres(600.0)) if walked else np.isinf(reach.distance[0])


def test_ways_cut_at_the_extract_edge_keep_their_stretches_and_small_pieces_stay(tmp_path):
    line = [(0.0, 0.0), (300.0, 0.0), (600.0, 0.0), (900.0, 0.0), (1200.0, 0.0)]
    path = write_osm(tmp_path / "cut.osm.pbf", [(line, {"highway": "track"})], missing=((600.0, 0.0),))
    streets = read_streets(path, EVERYWHERE)
    assert len(streets.start) == 2  # 0-300 and 900-1,200: the two segments touching the missing node are gone
    reach = street_walk(path, [(0.0, 0.0), (1000.0, 0.0)], [(1200.0, 0.0), (450.0, 0.0)])
    # The station on the small piece reaches its end; the point between the pieces joins the nearer one.
    assert reach.distance[0] == metres(200.0)
    assert reach.distance[1] == metres(150.0 + 300.0)


def test_a_point_600_m_from_every_way_cannot_join(tmp_path):
    path = write_osm(tmp_path / "river.osm.pbf", RIVER)
    reach = street_walk(path, [(0.0, -600.0), (0.0, 0.0)], [(0.0, -600.0), (0.0, -450.0)])
    assert np.isinf(reach.station_access[0]) and reach.station_access[1] == metres(0.0)
    assert np.isinf(reach.query_access[0]) and np.isinf(reach.distance[0])
    assert reach.distance[1] == metres(450.0)  # 450 m of straight access stretch counts toward the walk


def test_no_station_reaches_nothing(tmp_path):
    path = write_osm(tmp_path / "river.osm.pbf", RIVER)
    reach = street_walk(path, [], [(0.0, 0.0)])
    assert reach.once.is_empty and reach.twice.is_empty and np.isinf(reach.distance[0])


def _build(tmp_path: Path, network: Path | None, *extra: str) -> int:
    stations = write_points(tmp_path / "stations.csv", [("S1", 0.0, 0.0, 1), ("S2", 0.0, -600.0, 1)])
    demand = write_points(tmp_path / "demand.csv", [("D1", 0.0, 300.0, 10), ("D2", 900.0, 0.0, 5),
                                                    ("D3", 0.0, -600.0, 1)])
    args = ["build", "--stations", str(stations), "--demand", str(demand), "--county", "浏阳市",
            "--basemap", "osm", "--out-dir", str(tmp_path / "out"), *extra]
    return main([*args, "--network", str(network)] if network else args)


def _coverage_row(out: Path, adcode: str = "430181") -> dict[str, str]:
    with (out / "coverage.csv").open(encoding="utf-8-sig") as handle:
        return next(row for row in csv.DictReader(handle) if row["adcode"] == adcode)


def test_build_along_the_river_writes_network_figures(tmp_path, capsys):
    path = write_osm(tmp_path / "river.osm.pbf", RIVER)
    assert _build(tmp_path, path) == 0
    out = tmp_path / "out"
    summary = capsys.readouterr().out
    row = _coverage_row(out)
    # D2 (5 workers, 900 m along the bank) is covered; D1 (10, across the river) is not; D3 (1) cannot join.
    assert row["reach"] == "network" and row["demand_covered"] == "5.0" and row["demand_covered_pct"] == "31.25"
    # S2 cannot join: the band is S1's alone, 0.208 km² (2,000 m x 100 m and the round ends).
    assert float(row["covered_km2"]) == pytest.approx((2000 * 100 + CAPS_M2) / 1e6, abs=5e-4)
    assert _coverage_row(out, "430102")["covered_pct"] == ""  # counties the extract was not read for: blank
    with (out / "off_network.csv").open(encoding="utf-8-sig") as handle:
        assert [(r["kind"], r["id"]) for r in csv.DictReader(handle)] == [("station", "S2"), ("demand", "D3")]
    stations = json.loads((out / "stations.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["id"] for f in stations["features"]) == ["S1", "S2"]  # kept on the map
    assert "walk along the streets" in summary and "cannot use the street network" in summary
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [i["file"] for i in manifest["inputs"] if i["kind"] == "network"] == [str(path)]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('"reach":"network"') == 2  # the coverage layer's band and the station list's note
    assert "沿道路步行 {min} 分钟" in page and "OpenStreetMap contributors (ODbL)" in page and "直线距离" in page


def test_without_network_reach_is_the_radius(tmp_path, capsys):
    assert _build(tmp_path, None) == 0
    row = _coverage_row(tmp_path / "out")
    assert row["reach"] == "radius" and row["demand_covered"] == "16.0"  # D1 is 300 m away in a straight line
    assert not (tmp_path / "out" / "off_network.csv").exists()


def test_a_gcj02_station_joins_the_street_at_its_true_position(tmp_path, capsys):
    path = write_osm(tmp_path / "street.osm.pbf", [([(-2000.0, 0.0), (2000.0, 0.0)], {"highway": "residential"})])
    stations = write_points(tmp_path / "stations.csv", [("S1", 0.0, 0.0, 1)], gcj02=True)
    demand = write_points(tmp_path / "demand.csv", [("D1", 900.0, 0.0, 1)], gcj02=True)
    with stations.open(encoding="utf-8") as handle:
        raw = next(csv.DictReader(handle))
    x, y = projection.to_metres(float(raw["经度"]), float(raw["纬度"]))
    assert 500 < math.hypot(x - ORIGIN[0], y - ORIGIN[1]) < 700  # read as if WGS-84 it could not join
    assert main(["build", "--stations", str(stations), "--demand", str(demand), "--county", "浏阳市",
                 "--network", str(path), "--out-dir", str(tmp_path / "out")]) == 0
    assert _coverage_row(tmp_path / "out")["demand_covered"] == "1.0"
    assert (tmp_path / "out" / "off_network.csv").read_text(encoding="utf-8-sig").count("\n") == 1  # header only


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("notes.osm", b"id,name\n1,2\n", "not a readable OpenStreetMap extract"),
    ("broken.osm.pbf", b"\x00\x01garbage" * 20, "not a readable OpenStreetMap extract"),
    ("missing.osm.pbf", None, "not a readable OpenStreetMap extract"),
])
def test_a_file_that_is_not_osm_is_refused_in_one_line(tmp_path, capsys, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert _build(tmp_path, path) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and reason in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_an_empty_network_and_an_extract_beside_the_stations_are_refused(tmp_path, capsys):
    buildings = write_osm(tmp_path / "buildings.osm.pbf", [([(0.0, 0.0), (50.0, 0.0), (50.0, 50.0), (0.0, 0.0)],
                                                            {"building": "yes"})])
    assert _build(tmp_path, buildings) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no walkable street" in err and str(buildings) in err
    far = write_osm(tmp_path / "far.osm.pbf", [([(8000.0, 0.0), (9000.0, 0.0)], {"highway": "residential"})])
    assert _build(tmp_path, far) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not cover 2 of 2 stations" in err


def test_the_page_draws_the_band_and_credits_openstreetmap(tmp_path, capsys, open_page):
    path = write_osm(tmp_path / "river.osm.pbf", RIVER)
    assert _build(tmp_path, path, "--basemap", "none") == 0
    run = open_page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), name="page.html")
    page = run.open()
    assert "沿道路步行 15 分钟" in page.evaluate("Object.keys(window.__mapgenTest.layers)")
    assert "OpenStreetMap contributors (ODbL)" in page.inner_text(".leaflet-control-attribution")
    # The nearest list stays straight-line, and says so beside the band of walks along streets.
    page.evaluate("() => { const c = window.__mapgenTest.map.getCenter(); location.hash = `at=${c.lat},${c.lng}`; }")
    page.locator(".mg-item-dist").first.wait_for()
    assert page.locator(".mg-item-dist").first.inner_text().startswith("直线距离")
    assert not run.errors and not run.foreign
