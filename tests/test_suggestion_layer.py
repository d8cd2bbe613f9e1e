"""The planners' layer in real headless Chromium: suggested sites, their cards, the night service area, priorities."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import pytest
import shapely
from conftest import PageRun, synthetic_coverage, synthetic_points
from test_browser import HOSTILE, page_errors

from mapgen.geo import datum
from mapgen.settings import Settings
from mapgen.web import SuggestionLayer, render_map, service_map

OpenPage = Callable[..., PageRun]
NIGHT_ZH = "22:00 开放站点服务范围"
NIGHT_EN = "Service area of stations open at 22:00"


@dataclass(frozen=True)
class Suggestions:
    """What `--suggest` hands the map: the sites, best first, the total demand and the share of the best."""

    sites: pd.DataFrame
    total_demand: float
    share_of_best: float


def hand_made_sites() -> pd.DataFrame:
    """Three suggested sites in the test counties (WGS-84 given, GCJ-02 converted), best first."""
    lon = [112.98, 113.15, 113.32]
    lat = [28.12, 28.2, 28.08]
    glon, glat = datum.convert(lon, lat, "wgs84", "gcj02")
    return pd.DataFrame({
        "rank": [1, 2, 3], "candidate_id": ["D017", "D004", "D230"],
        "lon_gcj02": glon, "lat_gcj02": glat, "lon_wgs84": lon, "lat_wgs84": lat,
        "adcode": ["430102", "430103", "430104"], "county": ["芙蓉区", "天心区", "岳麓区"],
        "newly_covered": [310.0, 120.0, 45.0], "cumulative_covered": [1535.0, 1655.0, 1700.0],
        "cumulative_covered_pct": [78.7, 85.2, 87.4], "nearest_station_m": [2450.0, 1830.0, 760.0],
    })  # fmt: skip


@pytest.fixture(scope="module")
def points() -> pd.DataFrame:
    return synthetic_points(60, seed=2)


@pytest.fixture(scope="module")
def coverage(points: pd.DataFrame) -> Any:
    return synthetic_coverage(points)


@pytest.fixture(scope="module")
def suggestions() -> Suggestions:
    return Suggestions(hand_made_sites(), total_demand=1950.0, share_of_best=0.968)


def open_map(open_page: OpenPage, html: str, **options: Any) -> tuple[PageRun, Any]:
    """Open a page and wait for the suggested sites to be on the map."""
    run = open_page(html, **options)
    page = run.open()
    page.wait_for_function("window.__mapgenTest.suggestions && window.__mapgenTest.suggestions.point(1) !== null")
    return run, page


@pytest.mark.parametrize(("basemap", "column"), [("gaode", "gcj02"), ("osm", "wgs84")])
def test_sites_drawn_at_their_positions_in_the_map_datum(
    open_page: OpenPage, points: Any, coverage: Any, suggestions: Suggestions, basemap: str, column: str
) -> None:
    html = render_map(points, coverage, Settings(basemap=basemap), sample=False, suggestions=suggestions)
    run, page = open_map(open_page, html)
    assert page.locator(".mg-suggest").all_text_contents() == ["1", "2", "3"]
    for site in suggestions.sites.itertuples():
        lat, lon = getattr(site, f"lat_{column}"), getattr(site, f"lon_{column}")
        # At zoom 16 a pixel is about 2 m; the other datum lies 500-700 m (hundreds of pixels) away.
        expected = page.evaluate(
            """([lat, lon]) => {
                const map = window.__mapgenTest.map;
                map.setView([lat, lon], 16, {animate: false});
                return map.latLngToContainerPoint([lat, lon]);
            }""",
            [lat, lon],
        )
        drawn = page.evaluate(f"window.__mapgenTest.suggestions.point({site.rank})")
        assert (drawn["x"], drawn["y"]) == pytest.approx((expected["x"], expected["y"]), abs=1.0)
    assert page.evaluate("window.mapgen.datum") == column
    assert sorted(page.evaluate("Object.keys(window.mapgen)")) == ["datum", "nearest", "station"]
    assert page_errors(run) == [] and run.foreign == []


def test_tapping_a_site_shows_what_it_adds_and_the_curve(
    open_page: OpenPage, points: Any, coverage: Any, suggestions: Suggestions
) -> None:
    html = render_map(points, coverage, Settings(basemap="osm"), sample=False, suggestions=suggestions)
    run, page = open_map(open_page, html)
    page.locator(".mg-suggest", has_text=re.compile(r"^2$")).click()
    sheet = page.locator(".mg-sheet[data-mode='suggestion']")
    sheet.wait_for()
    assert page.locator(".mg-sheet-title").text_content() == "建议站点 #2"
    text = sheet.locator(".mg-sheet-body").text_content()
    for line in ("新增覆盖 120 名户外劳动者", "累计覆盖 85.2%（1655 / 1950 人）", "距最近现有站点 1.8 公里",
                 "这些建议站点达到最优方案的 96.8%", "天心区", "D004"):  # fmt: skip
        assert line in text
    points_attr = sheet.locator("svg.mg-curve polyline").get_attribute("points")
    assert len(points_attr.split()) == 3
    circles = sheet.locator("svg.mg-curve circle")
    assert [c.get_attribute("class") for c in circles.all()] == ["mg-curve-dot", "mg-curve-here", "mg-curve-dot"]
    # The curve rises with the rank (SVG y grows downwards).
    ys = [float(p.split(",")[1]) for p in points_attr.split()]
    assert ys[0] > ys[1] > ys[2]
    assert page.locator(".mg-suggest-selected .mg-suggest").text_content() == "2"
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.mg-suggest')).fontSize)")
    assert font >= 15
    assert page_errors(run) == [] and run.foreign == []


def test_english_card(open_page: OpenPage, points: Any, coverage: Any, suggestions: Suggestions) -> None:
    html = render_map(points, coverage, Settings(basemap="osm", lang="en"), sample=False, suggestions=suggestions)
    run, page = open_map(open_page, html)
    assert page.evaluate("window.__mapgenTest.suggestions.open(3)") is True
    text = page.locator(".mg-sheet-body").text_content()
    assert page.locator(".mg-sheet-title").text_content() == "Suggested site #3"
    assert "Adds 45 outdoor workers within reach" in text
    assert "760 m from the nearest existing station" in text
    assert "These suggested sites reach 96.8% of the best possible" in text
    assert "Suggested sites" in page.evaluate("Object.keys(window.__mapgenTest.layers)")
    assert page_errors(run) == []


def test_hostile_site_text_shows_as_text(
    open_page: OpenPage, points: Any, coverage: Any, suggestions: Suggestions
) -> None:
    sites = suggestions.sites.copy()
    sites.loc[0, "candidate_id"] = HOSTILE
    sites.loc[0, "county"] = HOSTILE
    html = render_map(points, coverage, Settings(basemap="osm"), sample=False,
                      suggestions=replace(suggestions, sites=sites))  # fmt: skip
    run, page = open_map(open_page, html)
    page.locator(".mg-suggest", has_text=re.compile(r"^1$")).click()
    body = page.locator(".mg-sheet[data-mode='suggestion'] .mg-sheet-body")
    body.wait_for()
    assert body.locator("dd").all_text_contents() == [HOSTILE, HOSTILE]
    assert body.locator("img, script").count() == 0
    assert page.evaluate("window.__xss") is None and run.dialogs == []
    assert page_errors(run) == []


def test_layer_switcher_lists_the_sites_and_the_night_service_area(
    open_page: OpenPage, points: Any, coverage: Any, suggestions: Suggestions
) -> None:
    stations = points[points["kind"] == "station"].iloc[::3]
    night = shapely.union_all(shapely.buffer(shapely.points(stations["lon_wgs84"], stations["lat_wgs84"]), 0.01))
    at_night = replace(coverage, open_service_area=night, open_at_minute=22 * 60)
    html = render_map(points, at_night, Settings(basemap="osm"), sample=False, suggestions=suggestions)
    run, page = open_map(open_page, html)
    page.locator(".leaflet-control-layers").hover()
    labels = page.locator(".leaflet-control-layers-overlays label")
    labels.first.wait_for()
    names = [text.strip() for text in labels.all_text_contents()]
    assert "建议新站点" in names and NIGHT_ZH in names
    checked = {n: labels.nth(k).locator("input").is_checked() for k, n in enumerate(names)}
    assert checked["建议新站点"] is True and checked[NIGHT_ZH] is False, "the night area is off at start"
    labels.nth(names.index(NIGHT_ZH)).locator("input").check()
    assert page.evaluate(f"window.__mapgenTest.map.hasLayer(window.__mapgenTest.layers[{NIGHT_ZH!r}])")
    labels.nth(names.index("建议新站点")).locator("input").uncheck()
    assert page.locator(".mg-suggest").count() == 0
    assert NIGHT_ZH in page.locator(".mg-legend").text_content()
    assert page_errors(run) == []
    english = open_page(render_map(points, at_night, Settings(basemap="osm", lang="en"), sample=False), name="en.html")
    assert NIGHT_EN in english.open().evaluate("Object.keys(window.__mapgenTest.layers)")


def test_no_night_overlay_without_open_service_area(open_page: OpenPage, points: Any, coverage: Any) -> None:
    empty = replace(coverage, open_service_area=shapely.Polygon(), open_at_minute=22 * 60)
    html = render_map(points, coverage, Settings(basemap="osm"), sample=False)
    assert render_map(points, empty, Settings(basemap="osm"), sample=False) == html
    page = open_page(html).open()
    assert not [k for k in page.evaluate("Object.keys(window.__mapgenTest.layers)") if "开放" in k]


def test_without_suggestions_the_page_is_unchanged(points: Any, coverage: Any, suggestions: Suggestions) -> None:
    settings = Settings()
    plain = render_map(points, coverage, settings, sample=False)
    assert render_map(points, coverage, settings, sample=False, suggestions=None) == plain
    assert "suggestionLayer" not in plain
    assert service_map(points, coverage, suggestions=None).get_root().render() == plain
    with_sites = render_map(points, coverage, settings, sample=False, suggestions=suggestions)
    assert "suggestionLayer" in with_sites
    assert render_map(points, coverage, settings, sample=False, suggestions=suggestions) == with_sites
    assert service_map(points, coverage, suggestions=suggestions).get_root().render() == with_sites


def test_layer_refuses_an_unknown_datum() -> None:
    with pytest.raises(ValueError, match="datum"):
        SuggestionLayer(hand_made_sites(), total_demand=1.0, datum="bd09")  # type: ignore[arg-type]


def test_phone_county_table_ranks_counties_by_priority(
    open_page: OpenPage, points: Any, coverage: Any, suggestions: Suggestions
) -> None:
    table = coverage.table.copy()
    table["priority"] = pd.array([2, 3, 1, pd.NA], dtype="Int64")
    table["suggested_sites"] = [1, 1, 1, 3]
    table["suggested_newly_covered"] = [310.0, 120.0, 45.0, 475.0]
    table["open_at"] = "22:00"
    table["open_covered_pct"] = [5.5, 9.25, 1.0, 5.1]
    ranked = replace(coverage, table=table)
    html = render_map(points, ranked, Settings(basemap="osm"), sample=False, suggestions=suggestions)
    run, page = open_map(open_page, html, width=390, height=844, has_touch=True, is_mobile=True)
    page.locator(".mg-tool[aria-label='区县覆盖统计']").click()
    rows = page.locator(".mg-table tbody tr")
    rows.first.wait_for()
    heads = [h.strip() for h in page.locator(".mg-table thead th").all_text_contents()]
    assert heads[0] == "优先 ▲" and {"建议站点", "建议新增覆盖", "22:00 覆盖%"} <= set(heads)
    assert [r.get_attribute("data-adcode") for r in rows.all()] == ["430104", "430102", "430103"]
    cells = rows.first.locator("td")
    assert cells.nth(0).text_content() == "1" and cells.nth(heads.index("建议新增覆盖")).text_content() == "45"
    # Every column can be scrolled into view on the phone, and the sheet stays within the screen.
    last = rows.first.locator("td").last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    assert page_errors(run) == []
