"""The committed geodata against its sources: areas, topology, seats, size and reproducibility."""

from __future__ import annotations

import csv
import json
from importlib import metadata
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from mapgen.geo import datum, geodata

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
COUNTIES = GEODATA / "hunan_counties.geojson"
GEOD = pyproj.Geod(ellps="WGS84")


def _geodesic_km2(geometry: shapely.Geometry) -> float:
    """Area on the ellipsoid, an independent check of the build's Albers areas."""
    wgs84 = datum.convert_geometry(geometry, "gcj02", "wgs84")
    area, _ = GEOD.geometry_area_perimeter(wgs84)
    return abs(area) / 1e6


@pytest.fixture(scope="module")
def committed() -> list[dict]:
    return json.loads(COUNTIES.read_text("utf-8"))["features"]


@pytest.fixture(scope="module")
def source() -> dict[str, shapely.Geometry]:
    properties, geometries = geodata.read_source_counties()
    return {props["adcode"]: geometry for props, geometry in zip(properties, geometries, strict=True)}


def _shapes(features: list[dict]) -> np.ndarray:
    return np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)


def test_file_is_small(committed):
    assert COUNTIES.stat().st_size < 800_000


def test_122_counties_sorted_with_properties(committed, source):
    adcodes = [f["properties"]["adcode"] for f in committed]
    assert len(adcodes) == 122
    assert adcodes == sorted(adcodes) == sorted(source)
    assert all(set(f["properties"]) == {"adcode", "county", "prefecture"} for f in committed)
    names = {f["properties"]["adcode"]: f["properties"]["county"] for f in committed}
    assert names["430681"] == "汨罗市"
    assert names["431103"] == "冷水滩区"
    prefecture = {f["properties"]["adcode"]: f["properties"]["prefecture"] for f in committed}
    assert prefecture["433101"] == "湘西土家族苗族自治州"


def test_coordinates_have_at_most_6_decimals(committed):
    coords = shapely.get_coordinates(_shapes(committed))
    assert np.array_equal(coords, np.round(coords, 6))


def test_every_county_keeps_its_area(committed, source):
    for feature in committed:
        geometry = shapely.geometry.shape(feature["geometry"])
        original = _geodesic_km2(source[feature["properties"]["adcode"]])
        assert _geodesic_km2(geometry) == pytest.approx(original, rel=0.005), feature["properties"]


def test_hunan_total_area(committed):
    total = sum(_geodesic_km2(shapely.geometry.shape(f["geometry"])) for f in committed)
    # Hunan's official area is 211,800 km²; Amap's outline gives about 211,900 km².
    assert total == pytest.approx(211_900, rel=0.005)


def test_neighbours_do_not_overlap(committed):
    shapes = _shapes(committed)
    left, right = shapely.STRtree(shapes).query(shapes, predicate="intersects")
    pairs = left < right
    assert pairs.sum() > 250  # about 300 shared borders: the query found neighbours
    overlap = shapely.area(shapely.intersection(shapes[left[pairs]], shapes[right[pairs]]))
    assert overlap.max() < 1e-10  # deg², about a square metre


def test_union_has_no_gaps(committed):
    shapes = _shapes(committed)
    union = shapely.union_all(shapes)
    # Gaps between counties would show up as holes in the union, or as union area < sum.
    holes = shapely.get_num_interior_rings(shapely.get_parts(union)).sum()
    assert holes == shapely.get_num_interior_rings(shapely.get_parts(geodata.source_province())).sum()
    assert union.area == pytest.approx(shapely.area(shapes).sum(), rel=1e-9)
    assert shapely.symmetric_difference(union, geodata.source_province()).area < 0.002 * union.area


def _cpca_rows() -> dict[str, dict[str, str]]:
    path = Path(str(metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")))
    with path.open(encoding="utf-8") as handle:
        return {row["adcode"][:6]: row for row in csv.DictReader(handle) if row["adcode"].endswith("000000")}


def test_county_seats(committed):
    with (GEODATA / "county_seats.csv").open(encoding="utf-8") as handle:
        seats = list(csv.DictReader(handle))
    assert [row["adcode"] for row in seats] == [f["properties"]["adcode"] for f in committed]
    cpca = _cpca_rows()
    by_code = {row["adcode"]: row for row in seats}
    for new, old in {"430182": "430124", "430212": "430221", "430582": "430521"}.items():
        assert by_code[new]["lon_gcj02"] == f"{float(cpca[old]['longitude']):.6f}"
    assert by_code["430182"]["county"] == "宁乡市"
    assert by_code["430681"]["lon_gcj02"] == "113.067251"
    for feature, seat in zip(committed, seats, strict=True):
        assert seat["county"] == feature["properties"]["county"]
        point = shapely.Point(float(seat["lon_gcj02"]), float(seat["lat_gcj02"]))
        assert shapely.geometry.shape(feature["geometry"]).contains(point), seat


def test_prefecture_seats():
    with (GEODATA / "prefecture_seats.csv").open(encoding="utf-8") as handle:
        seats = list(csv.DictReader(handle))
    assert len(seats) == 15
    assert seats[0] == {"adcode": "430000", "prefecture": "湖南省", "lon_gcj02": "112.983600", "lat_gcj02": "28.112743"}
    assert {"430100", "433100"} <= {row["adcode"] for row in seats}


def test_rebuild_is_byte_identical(tmp_path):
    geodata.build(tmp_path)
    for name in ("hunan_counties.geojson", "county_seats.csv", "prefecture_seats.csv", "README.md", "sources.json"):
        assert (tmp_path / name).read_bytes() == (GEODATA / name).read_bytes(), name
