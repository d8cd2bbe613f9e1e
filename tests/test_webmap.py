"""The web map page as text: self-contained, deterministic, escaped, with compact and exact data."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest
import shapely
from conftest import synthetic_coverage, synthetic_points
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Polygon

from mapgen.errors import InputError
from mapgen.inputs import facilities, hours, sample
from mapgen.settings import Settings
from mapgen.web.assets import script_json
from mapgen.web.packing import pack_ints, pack_many, unpack_ints
from mapgen.web.page import page_title, render_map
from mapgen.web.shapes import encode_shape

HOSTILE = "<img src=x onerror=alert(1)></script><script>window.__xss=1</script>`${x}`\"'\\ {{ 7*7 }} {% raw %}"
CDN_HOSTS = ("jsdelivr", "cdnjs", "code.jquery.com", "bootstrapcdn", "unpkg.com", "googleapis", "fontawesome")


@pytest.fixture(scope="module")
def inputs() -> tuple:
    """200 stations and 5 offices, one station with a hostile name, and their coverage."""
    points = synthetic_points(200, offices=5)
    points.loc[7, "name"] = HOSTILE
    points.loc[8, "address"] = "</SCRIPT >\u2028\u2029<!--"
    return points, synthetic_coverage(points)


def page_data(html: str) -> dict:
    """The data of every mapgen element of the page (what each passes to L.mapgen.create), merged."""
    data: dict = {}
    for match in re.finditer(r'<script type="application/json" id="\w+_data">', html):
        data.update(json.JSONDecoder().raw_decode(html, match.end())[0])
    assert data, "no mapgen element"
    return data


def tile_urls(html: str) -> list[str]:
    """The URL templates of the page's tile layers (folium TileLayers), in order."""
    return [json.JSONDecoder().raw_decode(html, m.end())[0] for m in re.finditer(r"L\.tileLayer\(\s*", html)]


def test_render_is_byte_identical(inputs: tuple) -> None:
    points, coverage = inputs
    first = render_map(points, coverage, Settings(), sample=True)
    second = render_map(points, coverage, Settings(), sample=True)
    assert first == second
    assert not re.search(r"[0-9a-f]{32}", first), "a random branca id is left in the page"


def test_page_is_self_contained(inputs: tuple) -> None:
    html = render_map(*inputs, Settings(), sample=False)
    for host in CDN_HOSTS:
        assert host not in html
    assert "<link" not in html
    assert not re.search(r"<script[^>]+src=", html)
    assert "url(images/" not in html, "leaflet.css images must be inlined"
    assert "data:image/png;base64," in html
    assert "jQuery" not in html and "bootstrap" not in html.lower()


def test_hostile_text_stays_data(inputs: tuple) -> None:
    html = render_map(*inputs, Settings(), sample=False)
    assert html.count("</script>") == html.count("<script")
    assert "<img src=x" not in html
    assert "\u2028" not in html and "\u2029" not in html
    data = page_data(html)
    assert data["stations"]["name"][7] == HOSTILE, "jinja must not have evaluated {{ }} in the data"
    assert data["stations"]["address"][8] == "</SCRIPT >\u2028\u2029<!--"


def test_station_positions_decode_exactly(inputs: tuple) -> None:
    points, coverage = inputs
    for basemap, column in (("gaode", "gcj02"), ("osm", "wgs84")):
        data = page_data(render_map(points, coverage, Settings(basemap=basemap), sample=False))
        stations = data["stations"]
        lon = np.cumsum(unpack_ints(stations["lon"])) / 1e6
        lat = np.cumsum(unpack_ints(stations["lat"])) / 1e6
        assert data["datum"] == column
        np.testing.assert_allclose(lon, points[f"lon_{column}"], atol=6e-7)
        np.testing.assert_allclose(lat, points[f"lat_{column}"], atol=6e-7)


def test_wgs_offsets_recover_true_positions(inputs: tuple) -> None:
    points, coverage = inputs
    stations = page_data(render_map(points, coverage, Settings(), sample=False))["stations"]
    lon = (np.cumsum(unpack_ints(stations["lon"])) + np.cumsum(unpack_ints(stations["wgsLon"]))) / 1e6
    np.testing.assert_allclose(lon, points["lon_wgs84"], atol=6e-7)


def test_string_tables_and_facilities(inputs: tuple) -> None:
    points, coverage = inputs
    stations = page_data(render_map(points, coverage, Settings(), sample=False))["stations"]
    assert stations["n"] == len(points)
    assert stations["kinds"] == ["station", "office"]
    assert sorted(set(stations["types"])) == sorted(set(points["type"]))
    for k in (0, 3, 11):
        names = [stations["facilities"][f] for f in stations["facsets"][stations["facset"][k]]]
        assert set(names) == set(points["facilities"][k])
    assert stations["facilities"][:2] == ["饮水", "微波炉"], "known facilities first, in their order"


def test_facility_aliases_are_one_tag(inputs: tuple) -> None:
    points, coverage = inputs
    points = points.copy()
    cells = [("药箱", "厕所"), ("医药箱",), (" 急救箱 ", "wifi", "打气筒"), ()]
    points["facilities"] = [cells[k % len(cells)] for k in range(len(points))]
    stations = page_data(render_map(points, coverage, Settings(), sample=False))["stations"]
    assert stations["facilities"] == ["卫生间", "医药箱", "WiFi", "打气筒"]
    assert stations["facilityLabels"] == {
        "en": ["Toilet", "First aid", "Wi-Fi", None],
        "icon": [facilities.FACILITIES[4].icon, facilities.FACILITIES[8].icon, facilities.FACILITIES[9].icon, None],
    }
    first_aid = stations["facilities"].index("医药箱")
    for k in range(3):
        assert first_aid in stations["facsets"][stations["facset"][k]]


def test_every_facility_of_the_sample_is_known() -> None:
    known = {f.name: f for f in facilities.FACILITIES}
    for name in sample.FACILITIES:
        assert facilities.canonical(name) in known, name
    assert facilities.canonical("药箱") == facilities.canonical("医药箱") == "医药箱"
    assert known[facilities.canonical("药箱")].en == "First aid"
    spellings = [s for f in facilities.FACILITIES for s in (f.name, *f.aliases)]
    assert len({facilities._key(s) for s in spellings}) == len(spellings), "a spelling names two facilities"


def test_titles(inputs: tuple) -> None:
    points, coverage = inputs
    assert page_title(Settings(), coverage) == "湖南省户外劳动者服务站点爱心地图"
    assert page_title(Settings(county="430103"), coverage) == "天心区户外劳动者服务站点爱心地图"
    assert page_title(Settings(county="天心区"), coverage) == "天心区户外劳动者服务站点爱心地图"
    assert page_title(Settings(title="我的<地图>"), coverage) == "我的<地图>"
    assert "Hunan" in page_title(Settings(lang="en"), coverage)
    html = render_map(points, coverage, Settings(title="我的<地图>"), sample=False)
    assert "<title>我的&lt;地图&gt;</title>" in html


def test_one_county_map_fits_that_county(inputs: tuple) -> None:
    points, coverage = inputs
    one = replace(coverage, counties=coverage.counties[coverage.counties["adcode"] == "430103"])
    data = page_data(render_map(points, one, Settings(county="430103"), sample=False))
    assert data["focus"] == "天心区"
    assert data["focusAdcode"] == "430103"
    assert page_data(render_map(points, one, Settings(county="天心区"), sample=False))["focusAdcode"] == "430103"
    assert page_data(render_map(points, coverage, Settings(), sample=False))["focusAdcode"] is None
    assert data["title"] == "天心区户外劳动者服务站点爱心地图"
    (south, west), (north, east) = data["bounds"]
    assert 113.09 < west < 113.11 and 113.29 < east < 113.31 and south < 28.01 and north > 28.29


def test_sample_flag_and_tiles(inputs: tuple) -> None:
    points, coverage = inputs
    html = render_map(points, coverage, Settings(basemap="tianditu", tianditu_key="abc123"), sample=True)
    data = page_data(html)
    assert data["sample"] is True
    assert data["datum"] == "wgs84"
    urls = tile_urls(html)
    assert [url.split("/")[3].split("?")[0] for url in urls] == ["vec_w", "cva_w"]
    assert all("tk=abc123" in url for url in urls)
    assert tile_urls(render_map(points, coverage, Settings(basemap="none"), sample=False)) == []


def test_tianditu_needs_a_key(inputs: tuple) -> None:
    with pytest.raises(InputError, match="tianditu"):
        render_map(*inputs, Settings(basemap="tianditu"), sample=False)
    with pytest.raises(InputError, match="tianditu"):
        render_map(*inputs, Settings(basemap="tianditu", tianditu_key="{{x}}"), sample=False)


def test_no_points_and_empty_coverage() -> None:
    points = synthetic_points(0)
    coverage = synthetic_coverage(synthetic_points(3))
    empty = replace(coverage, service_area=Polygon(), cross_area=Polygon(), gaps=coverage.gaps.iloc[0:0])
    data = page_data(render_map(points, empty, Settings(), sample=False))
    assert data["stations"]["n"] == 0 and data["service"] is None and data["gaps"] is None


def test_demand_gaps_are_points(inputs: tuple) -> None:
    points, _ = inputs
    data = page_data(render_map(points, synthetic_coverage(points, demand=True), Settings(), sample=False))
    assert data["gaps"]["kind"] == "points"
    assert data["gaps"]["weight"][:2] == [5.0, 6.0]


def test_shapes_round_trip_within_a_few_metres() -> None:
    square = shapely.box(113.0, 28.0, 113.01, 28.01).difference(shapely.box(113.004, 28.004, 113.006, 28.006))
    encoded = encode_shape(square, "wgs84", "wgs84", budget=1000)
    assert encoded is not None and len(encoded) == 1 and len(encoded[0]) == 2
    rings = [np.cumsum(np.reshape(unpack_ints(ring), (-1, 2)), axis=0) / 1e5 for ring in encoded[0]]
    decoded = Polygon(rings[0], rings[1:])
    assert decoded.symmetric_difference(square).area < 1e-9


def test_shapes_keep_to_their_vertex_budget() -> None:
    circles = shapely.union_all(shapely.buffer(shapely.points(np.linspace(110, 114, 400), 28.0), 0.004))
    encoded = encode_shape(circles, "wgs84", "gcj02", budget=2000)
    assert encoded is not None
    assert sum(len(unpack_ints(ring)) // 2 for polygon in encoded for ring in polygon) <= 2000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24小时", [[127, 0, 1440]]),
        ("全天", [[127, 0, 1440]]),
        ("00:00-24:00", [[127, 0, 1440]]),
        ("8:00-18:00", [[127, 480, 1080]]),
        ("08：30—17：30", [[127, 510, 1050]]),
        ("8:00~12:00, 14:00-18:00", [[127, 480, 720], [127, 840, 1080]]),
        ("周一至周五 9:00-17:00", [[31, 540, 1020]]),
        ("周一至周五 8:00-18:00；周六 9:00-12:00", [[31, 480, 1080], [32, 540, 720]]),
        ("工作日8点-18点", [[31, 480, 1080]]),
        ("上午8:00-12:00 下午2:00-6:00", [[127, 480, 720], [127, 840, 1080]]),
        ("20:00-06:00", [[127, 1200, 360]]),
        ("Mon-Fri 9:00-17:00", [[31, 540, 1020]]),
        ("营业时间：7:00-21:00", [[127, 420, 1260]]),
        ("节假日另行通知", None),
        ("8:00-18:00（节假日除外）", None),
        ("", None),
        ("25:00-26:00", None),
        # Day tokens add up; days written after a range apply to it.
        ("周六、周日 9:00-12:00", [[96, 540, 720]]),
        ("周六，周日 9:00-12:00", [[96, 540, 720]]),
        ("周六和周日 9:00-12:00", [[96, 540, 720]]),
        ("周一至周五、周日 8:00-18:00", [[95, 480, 1080]]),
        ("8:00-18:00 周一至周五", [[31, 480, 1080]]),
        ("9:00-17:00（周一至周五）", [[31, 540, 1020]]),
        ("24小时（周一至周五）", [[31, 0, 1440]]),
        ("8:00-12:00, 14:00-18:00 周一至周五", [[31, 480, 720], [31, 840, 1080]]),
        ("8:00-18:00 周一至周五，9:00-12:00 周六", [[31, 480, 1080], [32, 540, 720]]),
        ("周一至周五 8:00-18:00，周六 9:00-12:00", [[31, 480, 1080], [32, 540, 720]]),
        ("工作日 8:30-17:30", [[31, 510, 1050]]),
        ("周末 10:00-16:00", [[96, 600, 960]]),
        # Ambiguous: which days does 8:00-18:00 (or 周六) belong to? No badge rather than a wrong one.
        ("8:00-18:00，周六 9:00-12:00", None),
        ("周一至周五 8:00-18:00 周六", None),
        ("周一至周五；周六 9:00-12:00", None),
    ],
)
def test_parse_hours(text: str, expected: list | None) -> None:
    assert hours.parse_hours(text) == expected


def test_script_json_escapes_for_inline_script() -> None:
    text = script_json({"a": "</script><!--&\u2028\u2029"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--&\u2028\u2029"}


def test_size_at_20000_stations() -> None:
    points = synthetic_points(20_000, seed=3, spread=3.0)
    coverage = synthetic_coverage(points.iloc[:2000])
    html = render_map(points, coverage, Settings(), sample=False)
    assert len(html.encode("utf-8")) < 4_000_000


@given(st.lists(st.integers(-(2**52), 2**52), max_size=200))
def test_packed_integers_round_trip(values: list[int]) -> None:
    text = pack_ints(np.array(values, dtype=np.int64))
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert unpack_ints(text) == values


def test_packed_deltas_are_small() -> None:
    # A 32-gon ring of 1 km radius in 1e-5 degree: deltas of about +-90 take 2 characters each.
    angles = np.linspace(0, 2 * np.pi, 33)[:-1]
    ring = np.rint(np.column_stack([113 + 0.0098 * np.cos(angles), 28 + 0.009 * np.sin(angles)]) * 1e5)
    deltas = np.diff(ring.astype(np.int64), axis=0).ravel()
    assert len(pack_ints(deltas)) <= 2 * len(deltas)


@given(st.lists(st.lists(st.integers(-(2**40), 2**40), max_size=20), max_size=20))
def test_packing_many_arrays_at_once_equals_packing_each(arrays: list[list[int]]) -> None:
    as_arrays = [np.array(a, dtype=np.int64) for a in arrays]
    assert pack_many(as_arrays) == [pack_ints(a) for a in as_arrays]
