"""The map page in real headless Chromium: no foreign requests, exact nearest(), datums, safety, phone use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from conftest import PageRun, open_run, synthetic_coverage, synthetic_points

from mapgen.geo import datum
from mapgen.inputs import facilities, hours, sample
from mapgen.settings import Settings
from mapgen.web import render_map
from mapgen.web.packing import pack_ints

HOSTILE = '<img src=x onerror="window.__xss=1;alert(1)"></script><script>window.__xss=2</script>`${alert(3)}`\'"\\'
EARTH_RADIUS_M = 6371008.8
OpenPage = Callable[..., PageRun]
# Phone cells of stations 10-13 and the call links they must give: (text shown, tel: URL).
PHONES = {
    10: "0730-5221234 13907301234",
    11: "0730-5221234／13907301234；（0731）88880000转8001、+86 139-0730-1235 张师傅",
    12: "24小时值班 1 号",
    13: "０７３０－５２２１２３４,13907301234/12345",
    14: "139 0730 1236 / 0731 8888 0000",
}
CALLS = {
    10: [("0730-5221234", "tel:07305221234"), ("13907301234", "tel:13907301234")],
    11: [("0730-5221234", "tel:07305221234"), ("13907301234", "tel:13907301234"),
         ("（0731）88880000转8001", "tel:073188880000"), ("139-0730-1235", "tel:13907301235")],
    12: [],
    13: [("０７３０－５２２１２３４", "tel:07305221234"), ("13907301234", "tel:13907301234"), ("12345", "tel:12345")],
    14: [("139 0730 1236", "tel:13907301236"), ("0731 8888 0000", "tel:073188880000")],
}  # fmt: skip


@pytest.fixture(scope="module")
def points() -> Any:
    """500 stations and 20 offices (offices must never be "nearest"); station 5 has a hostile name."""
    frame = synthetic_points(500, offices=20, seed=1)
    frame.loc[5, "name"] = HOSTILE
    frame.loc[5, "address"] = HOSTILE
    frame.loc[5, "hours"] = "</script>" + HOSTILE
    for k, phone in PHONES.items():
        frame.loc[k, "phone"] = phone
    return frame


@pytest.fixture(scope="module")
def coverage(points: Any) -> Any:
    """Coverage of the stations; one county gets a hostile name too."""
    result = synthetic_coverage(points)
    result.counties.loc[0, "county"] = HOSTILE
    result.table.loc[0, "county"] = HOSTILE
    return result


@pytest.fixture(scope="module")
def gaode_html(points: Any, coverage: Any) -> str:
    return render_map(points, coverage, Settings(), sample=True)


@pytest.fixture(scope="module")
def gaode_page(browser: Any, gaode_html: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The Gaode page opened once, for the tests that only ask it questions or follow a hash (each a page less)."""
    run = open_run(browser, tmp_path_factory.mktemp("gaode") / "index.html", gaode_html)
    yield run.open()
    run.page.context.close()


def great_circle(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Haversine metres on the mean sphere (what the page promises), vectorised."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))


def nearest_ids(points: Any, lat: float, lon: float, k: int = 3, keep: Any = None) -> list[str]:
    """The ids of the k stations nearest a WGS-84 point, by brute force over the input frame (or `keep`'s rows)."""
    stations = points[points["kind"] == "station"]
    if keep is not None:
        stations = stations[keep]
    d = great_circle(lat, lon, stations["lat_wgs84"].to_numpy(), stations["lon_wgs84"].to_numpy())
    return stations["id"].iloc[np.argsort(d, kind="stable")[:k]].tolist()


def list_order(page: Any, points: Any, lat: float, lon: float, keep: Any = None) -> list[str]:
    """The ids the nearest list shows at the page's clock: of the ten nearest stations (`keep`'s rows), open ones
    first, then unknown hours, then closed (China time), each group nearest first; the first three."""
    moment = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, tz=timezone(timedelta(hours=8)))
    ids = nearest_ids(points, lat, lon, k=10, keep=keep)
    hours_of = points.set_index("id")["hours"]
    state = {True: 0, None: 1, False: 2}
    rank = {i: state[hours.open_at(hours.parse_hours(hours_of[i]), moment.weekday(), moment.hour * 60 + moment.minute)]
            for i in ids}  # fmt: skip
    return sorted(ids, key=lambda i: rank[i])[:3]  # sorted() is stable: nearest first within a group


def listed_ids(page: Any) -> list[str]:
    """The station ids of the result list in the sheet, in order."""
    page.locator(".mg-list .mg-item").first.wait_for()
    return [item.get_attribute("data-id") for item in page.locator(".mg-list .mg-item").all()]


def evaluate_within(page: Any, expression: str, ms: int = 3000) -> Any:
    """Evaluate an expression, terminating it (and failing) if it runs longer than `ms`: a frozen page fails."""
    session = page.context.new_cdp_session(page)
    try:
        answer = session.send("Runtime.evaluate", {"expression": expression, "timeout": ms, "returnByValue": True})
    finally:
        session.detach()
    assert "exceptionDetails" not in answer, answer
    return answer["result"].get("value")


def page_errors(run: PageRun) -> list[str]:
    """Script errors and console errors, leaving out the aborted tiles' load failures."""
    return [e for e in run.errors if "Failed to load resource" not in e]


def test_loads_without_errors_or_foreign_requests(open_page: OpenPage, gaode_html: str) -> None:
    run = open_page(gaode_html)
    page = run.open()
    page.wait_for_timeout(300)
    assert page_errors(run) == []
    assert run.foreign == []
    assert run.tiles, "the Gaode basemap should have asked for tiles (aborted here)"
    assert page.evaluate("window.mapgen.datum") == "gcj02"
    assert page.locator(".mg-notice").is_visible(), "failing tiles are reported, and the page goes on"
    assert "示例数据" in page.locator(".mg-sample").inner_text()


def test_nearest_matches_brute_force(gaode_page: Any, points: Any) -> None:
    rng = np.random.default_rng(7)
    queries = np.column_stack([28.0 + rng.random(200) * 0.35, 112.85 + rng.random(200) * 0.7])
    page = gaode_page
    answers = page.evaluate("qs => qs.map(q => window.mapgen.nearest(q[0], q[1], 5))", queries.tolist())
    stations = points[points["kind"] == "station"]
    for (lat, lon), answer in zip(queries, answers, strict=True):
        d = great_circle(lat, lon, stations["lat_wgs84"].to_numpy(), stations["lon_wgs84"].to_numpy())
        order = np.argsort(d, kind="stable")[:5]
        assert [a["distance_m"] for a in answer] == pytest.approx(d[order].tolist(), abs=0.15)
        for a, k in zip(answer, order, strict=True):
            tie = np.sum(np.abs(d - a["distance_m"]) < 0.15) > 1
            assert tie or a["id"] == stations["id"].iloc[k]
            row = stations[stations["id"] == a["id"]].iloc[0]
            assert (a["lat"], a["lon"]) == pytest.approx((row["lat_gcj02"], row["lon_gcj02"]), abs=1e-6)
            assert a["walk_min"] == pytest.approx(a["distance_m"] / (4000 / 60))


def test_nearest_far_away_and_k(gaode_page: Any) -> None:
    page = gaode_page
    assert len(page.evaluate("window.mapgen.nearest(39.9, 116.4)")) == 3
    assert len(page.evaluate("window.mapgen.nearest(28.1, 113.0, 1)")) == 1
    assert page.evaluate("window.mapgen.nearest(28.1, 113.0, 0)") == []
    assert page.evaluate("window.mapgen.station('nope')") is None


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("window.mapgen.nearest('abc', 113)", []),
        ("window.mapgen.nearest(undefined, undefined)", []),
        ("window.mapgen.nearest(28.1, NaN)", []),
        ("window.mapgen.nearest(28.1, Infinity)", []),
        ("window.mapgen.nearest(28.1, 113.0, '2').length", 2),
        ("window.mapgen.nearest('28.1', '113.0', 2.7).length", 2),
        ("window.mapgen.nearest(28.1, 113.0, 'abc').length", 3),
        ("window.mapgen.nearest(28.1, 113.0, -4)", []),
        ("window.mapgen.nearest(28.1, 113.0, null)", []),
    ],
)
def test_nearest_odd_arguments_never_freeze(gaode_page: Any, call: str, expected: Any) -> None:
    assert evaluate_within(gaode_page, call) == expected


def test_hostile_station_opened_by_hash_shows_text_only(open_page: OpenPage, gaode_html: str) -> None:
    run = open_page(gaode_html)
    page = run.open("#station=S000005")
    title = page.locator(".mg-sheet-title")
    title.wait_for()
    assert title.text_content() == HOSTILE
    assert HOSTILE in page.locator(".mg-facts").text_content()
    page.fill(".mg-search", "onerror")
    page.locator(".mg-item-name").first.wait_for()
    assert HOSTILE in page.locator(".mg-list").text_content()
    page.click(".mg-tool >> nth=1")  # the county table, where a county carries the hostile name
    assert HOSTILE in page.locator(".mg-table").text_content()
    page.mouse.move(400, 400)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__xss") is None
    assert run.dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert page_errors(run) == []


@pytest.mark.parametrize(("basemap", "column"), [("gaode", "gcj02"), ("osm", "wgs84")])
def test_station_drawn_at_its_position_in_the_basemap_datum(
    open_page: OpenPage, points: Any, coverage: Any, basemap: str, column: str
) -> None:
    run = open_page(render_map(points, coverage, Settings(basemap=basemap), sample=False))
    page = run.open("#station=S000042")
    row = points[points["id"] == "S000042"].iloc[0]
    lat, lon = row[f"lat_{column}"], row[f"lon_{column}"]
    found = page.evaluate("window.mapgen.station('S000042')")
    assert (found["lat"], found["lon"]) == pytest.approx((lat, lon), abs=1e-6)
    drawn = page.evaluate("window.__mapgenTest.drawnPoint('S000042')")
    # Leaflet's latLngToContainerPoint rounds to whole pixels; project() does not.
    expected = page.evaluate(
        """([lat, lon]) => {
            const map = window.__mapgenTest.map;
            const layer = map.project([lat, lon], map.getZoom()).subtract(map.getPixelOrigin());
            return map.layerPointToContainerPoint(layer);
        }""",
        [lat, lon],
    )
    # At zoom 16 a pixel is about 2 m here: 0.1 px is 0.2 m, twice the page's 1e-6 degree rounding.
    assert page.evaluate("window.__mapgenTest.map.getZoom()") == 16
    assert (drawn["x"], drawn["y"]) == pytest.approx((expected["x"], expected["y"]), abs=0.1)
    assert page.evaluate("window.mapgen.datum") == column
    assert run.foreign == []


def test_navigation_link_is_gcj02_on_any_basemap(open_page: OpenPage, points: Any, coverage: Any) -> None:
    page = open_page(render_map(points, coverage, Settings(basemap="osm"), sample=False)).open("#station=S000005")
    href = page.locator(".mg-actions a.mg-primary").get_attribute("href")
    row = points.iloc[5]
    assert href.startswith(f"https://uri.amap.com/navigation?to={row['lon_gcj02']:.6f},{row['lat_gcj02']:.6f},")
    assert href.endswith("&mode=walk&callnative=1&src=mapgen")
    assert "<" not in href and " " not in href


def test_phone_finds_the_nearest_station(open_page: OpenPage, gaode_html: str, points: Any) -> None:
    run = open_page(gaode_html, width=360, height=640, geolocation={"latitude": 28.1, "longitude": 113.1},
                    permissions=["geolocation"], has_touch=True, is_mobile=True)  # fmt: skip
    page = run.open()
    locate = page.locator(".mg-locate")
    box = locate.bounding_box()
    assert box and box["height"] >= 44 and box["y"] + box["height"] <= 640 and box["x"] >= 0
    locate.tap()
    items = page.locator(".mg-list .mg-item")
    items.first.wait_for()
    assert listed_ids(page) == list_order(page, points, 28.1, 113.1)
    assert items.first.locator("a.mg-nav").is_visible()
    assert page.evaluate("location.hash") == "#at=28.100000,113.100000"
    assert page_errors(run) == [] and run.foreign == []


def test_hash_at_shows_nearest(open_page: OpenPage, gaode_html: str, points: Any) -> None:
    page = open_page(gaode_html).open("#at=28.15,113.2")
    expected = list_order(page, points, 28.15, 113.2)
    assert listed_ids(page) == expected
    names = [n.split(". ", 1)[1] for n in page.locator(".mg-item-name").all_text_contents()]
    assert names == [points.set_index("id").loc[i, "name"] for i in expected]


@pytest.mark.parametrize("station", sorted(CALLS))
def test_each_phone_number_is_its_own_call_link(gaode_page: Any, station: int) -> None:
    page = gaode_page
    page.evaluate(f"location.hash = '#station=S{station:06d}'")
    page.wait_for_function(f"document.querySelector('.mg-sheet-title').textContent === '驿站{station}'")
    page.locator(".mg-actions").wait_for()
    links = page.locator(".mg-actions a[href^='tel:']").all()
    assert [(a.text_content(), a.get_attribute("href")) for a in links] == [
        ("拨打 " + text, href) for text, href in CALLS[station]
    ]


def test_tap_on_map_shows_nearest_from_there(open_page: OpenPage, gaode_html: str) -> None:
    page = open_page(gaode_html, width=360, height=640).open()
    # An empty area, so the tap hits no station; "&& null" keeps Playwright from serialising the map.
    page.evaluate("window.__mapgenTest.map.setView([27.9, 112.5], 12, {animate: false}) && null")
    page.mouse.click(180, 330)
    page.locator(".mg-list .mg-item").first.wait_for()
    assert page.evaluate("location.hash").startswith("#at=")


def test_js_gcj02_matches_python(gaode_page: Any) -> None:
    rng = np.random.default_rng(11)
    lon, lat = 73 + rng.random(2000) * 62, 18 + rng.random(2000) * 36
    page = gaode_page
    js = np.array(page.evaluate("ps => ps.map(p => window.__mapgenTest.wgsToGcj(p[0], p[1]))",
                                np.column_stack([lon, lat]).tolist()))  # fmt: skip
    plon, plat = datum.convert(lon, lat, "wgs84", "gcj02")
    assert great_circle(plat, plon, js[:, 1], js[:, 0]).max() < 0.01


def test_open_state_uses_china_time(open_page: OpenPage, gaode_html: str) -> None:
    page = open_page(gaode_html, timezone_id="America/New_York").open()
    # 2024-01-01 (a Monday) 01:00 UTC is 09:00 in China; 11:00 UTC is 19:00.
    nine, seven_pm = 1704070800000, 1704106800000
    weekdays = [[31, 540, 1020]]
    states = page.evaluate(
        "([s, a, b]) => [a, b].map(ms => window.__mapgenTest.openState(s, ms))", [weekdays, nine, seven_pm]
    )
    assert states == ["open", "closed"]
    tuesday_5am = nine + 20 * 3600000  # Tuesday 05:00 China time, in Monday night's 20:00-06:00
    assert page.evaluate("ms => window.__mapgenTest.openState([[1, 1200, 360]], ms)", tuesday_5am) == "open"
    assert page.evaluate("window.__mapgenTest.openState([[127, 0, 1440]], 0)") == "always"
    assert page.evaluate("window.__mapgenTest.openState(null, 0)") is None


def test_filters_change_what_is_shown(open_page: OpenPage, gaode_html: str, points: Any) -> None:
    stations = points[points["kind"] == "station"]
    always = stations["hours"] == "24小时"
    microwave = stations["facilities"].map(lambda f: "微波炉" in f)
    page = open_page(gaode_html).open()
    shown = page.locator(".mg-shown")
    filters = page.locator(".mg-tool >> nth=0")
    cases = [  # (toggles to click, stations kept, where to ask for the nearest); toggles stay on until clicked
        (["24小时开放"], always, (28.15, 113.2)),
        (["微波炉"], always & microwave, (28.05, 113.35)),
        (["24小时开放"], microwave, (28.2, 113.0)),
    ]
    for toggles, kept, (lat, lon) in cases:
        filters.click()
        for label in toggles:
            page.locator(".mg-toggle", has_text=label).first.click()
        assert shown.text_content() == f"显示 {int(kept.sum())} / {len(stations)} 个站点"
        assert page.locator(".mg-tool.mg-active").count() == 1
        page.evaluate(f"location.hash = '#at={lat},{lon}'")
        assert listed_ids(page) == list_order(page, points, lat, lon, keep=kept)
    filters.click()
    page.locator(".mg-btn", has_text="清除筛选").click()
    assert shown.text_content() == f"显示 {len(stations)} / {len(stations)} 个站点"
    assert page.locator(".mg-tool.mg-active").count() == 0


def test_english_page(open_page: OpenPage, points: Any, coverage: Any) -> None:
    page = open_page(render_map(points, coverage, Settings(lang="en"), sample=True)).open()
    assert page.locator(".mg-locate").inner_text() == "Find the nearest station"
    assert "Sample data" in page.locator(".mg-sample").inner_text()
    assert page.evaluate("document.documentElement.lang") == "en"


def test_sample_facilities_have_english_labels(open_page: OpenPage, points: Any, coverage: Any) -> None:
    frame = points.copy()
    frame.at[20, "facilities"] = tuple(sample.FACILITIES)  # as the sample writes them: '药箱', not '医药箱'
    labels = {f.name: f.en for f in facilities.FACILITIES}
    expected = [labels[facilities.canonical(name)] for name in sample.FACILITIES]
    page = open_page(render_map(frame, coverage, Settings(lang="en"), sample=True)).open("#station=S000020")
    chips = page.locator(".mg-facts .mg-chip")
    chips.first.wait_for()
    first_aid = page.locator(".mg-facts .mg-chip[data-facility='医药箱']")
    assert first_aid.locator("span:not(.mg-glyph)").text_content() == "First aid"
    assert first_aid.locator("svg.mg-fac-icon").count() == 1  # drawn: emoji show as boxes without an emoji font
    assert [c.locator("span:not(.mg-glyph)").text_content() for c in chips.all()] == expected
    assert page.evaluate("window.mapgen.station('S000020').facilities").count("医药箱") == 1
    page.click(".mg-tool >> nth=0")
    assert page.locator(".mg-filter-group .mg-toggle", has_text="First aid").count() == 1
    assert page.locator(".mg-filter-group .mg-toggle", has_text="药箱").count() == 0


def test_one_county_table(open_page: OpenPage, points: Any, coverage: Any) -> None:
    counties = coverage.counties
    one = replace(coverage, counties=counties[counties["adcode"] == "430103"].reset_index(drop=True))
    run = open_page(render_map(points, one, Settings(county="430103"), sample=False))
    page = run.open()
    page.click(".mg-tool >> nth=1")
    rows = page.locator(".mg-table tbody tr")
    rows.first.wait_for()
    assert [r.get_attribute("data-adcode") for r in rows.all()] == ["430103"]
    assert rows.first.get_attribute("class") == "mg-row mg-focus"
    assert page.locator(".mg-table tfoot tr").get_attribute("data-adcode") == "430000"
    toggle = page.locator(".mg-all-counties")
    assert toggle.text_content() == "显示全部 3 个区县"
    toggle.click()
    assert rows.first.get_attribute("data-adcode") == "430103"
    assert sorted(r.get_attribute("data-adcode") for r in rows.all()) == ["430102", "430103", "430104"]
    assert page.locator(".mg-table tbody tr.mg-row").count() == 1, "only the drawn county zooms"
    assert page.locator(".mg-table tbody tr.mg-row-static").count() == 2
    page.locator(".mg-table thead .mg-sort >> nth=0").click()  # sorting keeps the county first
    assert rows.first.get_attribute("data-adcode") == "430103"
    page.locator(".mg-all-counties").click()
    assert rows.count() == 1
    page.evaluate("window.__mapgenTest.map.setView([27.5, 112.0], 11, {animate: false}) && null")
    rows.first.click()
    inside = "window.__mapgenTest.map.getBounds().contains([[28.0, 113.1], [28.3, 113.3]])"
    page.wait_for_function(inside)
    assert page_errors(run) == []


def test_province_table_lists_every_county(open_page: OpenPage, gaode_html: str) -> None:
    page = open_page(gaode_html).open()
    page.click(".mg-tool >> nth=1")
    page.locator(".mg-table").wait_for()
    assert page.locator(".mg-table tbody tr.mg-row").count() == 3
    assert page.locator(".mg-table .mg-focus, .mg-all-counties").count() == 0


def test_county_tooltip_shows_hostile_name_as_text(open_page: OpenPage, gaode_html: str) -> None:
    run = open_page(gaode_html)
    page = run.open()
    point = page.evaluate("""() => {
        const map = window.__mapgenTest.map;
        map.setView([28.1, 112.95], 10, {animate: false});
        return map.latLngToContainerPoint([28.1, 112.95]);
    }""")
    page.mouse.move(point["x"], point["y"])
    page.mouse.move(point["x"] + 3, point["y"] + 3)
    tooltip = page.locator(".leaflet-tooltip .mg-tip")
    tooltip.wait_for()
    assert HOSTILE in tooltip.text_content()
    assert page.evaluate("window.__xss") is None and run.dialogs == []


def test_empty_map_and_unknown_hash(open_page: OpenPage, coverage: Any) -> None:
    run = open_page(render_map(synthetic_points(0), coverage, Settings(basemap="none"), sample=False))
    page = run.open("#station=nobody")
    assert page.evaluate("window.mapgen.nearest(28.1, 113.0)") == []
    page.click(".mg-locate")  # no geolocation permission: the page explains and asks for a tap
    page.locator(".mg-sheet .mg-hint", has_text="无法获取您的位置").wait_for()
    assert page_errors(run) == [] and run.foreign == [] and run.tiles == []


def test_gaps_layer_paints_the_counties_less_the_service_area(open_page: OpenPage) -> None:
    # One station 500 m inside the west edge of county 芙蓉区 (112.9-113.1 E, GCJ-02), on an OSM (WGS-84) map:
    # its reach spills out of the county, where the layer must not paint.
    frame = synthetic_points(1, seed=3)
    lon_gcj, lat_gcj = 112.905, 28.15
    lon_wgs, lat_wgs = datum.convert(lon_gcj, lat_gcj, "gcj02", "wgs84")
    frame.loc[0, ["lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84"]] = [lon_gcj, lat_gcj, lon_wgs, lat_wgs]
    page = open_page(render_map(frame, synthetic_coverage(frame), Settings(basemap="osm"), sample=False)).open()
    page.evaluate("""() => {
        const m = window.__mapgenTest.map;
        for (const [name, layer] of Object.entries(window.__mapgenTest.layers)) {
            if (m.hasLayer(layer)) m.removeLayer(layer);
        }
        m.addLayer(Object.entries(window.__mapgenTest.layers).find(([n]) => n.includes('覆盖空白'))[1]);
        m.setView([28.15, 112.95], 12, {animate: false});
    }""")
    page.wait_for_timeout(300)

    def red_at(lat: float, lon: float) -> int:
        """Red minus blue of the gaps canvas at a WGS-84 place: high where the layer paints."""
        return int(page.evaluate("""([lat, lon]) => {
            const layer = Object.entries(window.__mapgenTest.layers).find(([n]) => n.includes('覆盖空白'))[1];
            const p = window.__mapgenTest.map.latLngToLayerPoint([lat, lon]).subtract(layer._bounds.min);
            const [r, g, b, a] = layer._ctx.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data;
            return a ? r - b : 0;
        }""", [lat, lon]))

    def at(lon: float, lat: float) -> tuple[float, float]:
        wlon, wlat = datum.convert(lon, lat, "gcj02", "wgs84")
        return float(wlat), float(wlon)

    assert red_at(*at(lon_gcj + 0.003, lat_gcj)) <= 0  # 300 m east of the station: covered
    assert red_at(*at(lon_gcj + 0.05, lat_gcj)) > 0  # 4.4 km east, still in the county: a gap
    assert red_at(*at(112.897, lat_gcj)) <= 0  # within reach but outside every county: not a gap
    assert red_at(*at(112.85, lat_gcj)) <= 0  # outside every county and every reach


def test_js_reads_packed_integers_as_python_wrote_them(gaode_page: Any) -> None:
    rng = np.random.default_rng(5)
    values = np.concatenate([rng.integers(-300, 300, 500), rng.integers(-(2**40), 2**40, 50), [0, -1, 1]])
    page = gaode_page
    read = page.evaluate("text => Array.from(window.__mapgenTest.unpackInts(text))", pack_ints(values))
    assert read == values.tolist()


@pytest.fixture(scope="module")
def miluo_build(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The sample built as Miluo's county map, with every input station (WGS-84) from stations.geojson."""
    import json

    from mapgen.cli import main

    out = tmp_path_factory.mktemp("miluo")
    assert main(["build", "--county", "汨罗市", "--out-dir", str(out), "--quiet"]) == 0
    features = json.loads((out / "stations.geojson").read_text("utf-8"))["features"]
    stations = [(f["properties"]["id"], *f["geometry"]["coordinates"]) for f in features
                if f["properties"]["kind"] == "station"]
    return (out / "index.html").read_text("utf-8"), stations


def test_county_map_nearest_includes_stations_across_the_border(open_page: OpenPage, miluo_build: Any) -> None:
    import shapely

    from mapgen.geo import geography

    html, stations = miluo_build
    counties = geography.load_counties()
    outline = datum.convert_geometry(counties[counties["adcode"] == "430681"].geometry.iloc[0], "gcj02", "wgs84")
    rng = np.random.default_rng(11)
    west, south, east, north = outline.bounds
    candidates = np.column_stack([south + rng.random(3000) * (north - south), west + rng.random(3000) * (east - west)])
    inside = candidates[shapely.contains_xy(outline, candidates[:, 1], candidates[:, 0])][:300]
    ids = np.array([s[0] for s in stations])
    lon, lat = np.array([s[1] for s in stations]), np.array([s[2] for s in stations])
    page = open_page(html).open()
    answers = page.evaluate("qs => qs.map(q => window.mapgen.nearest(q[0], q[1], 1)[0])", inside.tolist())
    across = 0
    for (qlat, qlon), answer in zip(inside, answers, strict=True):
        d = great_circle(qlat, qlon, lat, lon)
        assert answer["distance_m"] == pytest.approx(d.min(), abs=0.15)
        assert answer["id"] == ids[np.argmin(d)] or np.sum(d - d.min() < 0.15) > 1
        across += not answer["id"].startswith("S430681-")
    assert len(inside) == 300
    assert across > 30  # the test means something: many of Miluo's points are nearest a neighbour's station
