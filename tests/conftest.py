"""Shared test inputs built by hand (stations, counties, coverage) and a real headless Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from mapgen.analysis.coverage import Coverage
from mapgen.geo import datum, projection

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
FACILITIES = ("饮水", "微波炉", "卫生间", "座椅", "充电", "空调")
TYPES = ("环卫驿站", "爱心驿站", "快递驿站")
HOURS = ("24小时", "8:00-18:00", "周一至周五 9:00-17:00", "节假日另行通知", "")
# Three adjacent 0.2-degree counties near Changsha (GCJ-02 boxes), enough to exercise the county layer.
COUNTIES = (("430102", "芙蓉区", 112.9), ("430103", "天心区", 113.1), ("430104", "岳麓区", 113.3))
COUNTY_SOUTH, COUNTY_NORTH = 28.0, 28.3


def synthetic_points(n: int, *, seed: int = 0, offices: int = 0, spread: float = 0.6) -> pd.DataFrame:
    """n stations (then `offices` offices) at random WGS-84 positions around Changsha, with both datums."""
    rng = np.random.default_rng(seed)
    total = n + offices
    lon = 112.9 + rng.random(total) * spread
    lat = 28.0 + rng.random(total) * spread / 2
    glon, glat = datum.convert(lon, lat, "wgs84", "gcj02")
    rows = [_point_row(k, n, rng) for k in range(total)]
    frame = pd.DataFrame(rows, columns=list(_point_row(0, 1, rng)))
    frame["lon_gcj02"], frame["lat_gcj02"] = glon, glat
    frame["lon_wgs84"], frame["lat_wgs84"] = lon, lat
    return frame


def _point_row(k: int, n: int, rng: np.random.Generator) -> dict[str, Any]:
    """One row of synthetic text columns: short names and addresses, as the size targets assume."""
    county = COUNTIES[k % len(COUNTIES)]
    facilities = tuple(f for f in FACILITIES if rng.random() < 0.5)
    return {
        "kind": "station" if k < n else "office",
        "id": f"S{k:06d}" if k < n else f"O{k:06d}",
        "name": f"驿站{k}" if k < n else f"工会{k}",
        "type": TYPES[k % len(TYPES)],
        "address": f"长沙路{k % 997}号",
        "hours": HOURS[k % len(HOURS)],
        "phone": "0731-8888" + f"{k % 10000:04d}" if k % 4 == 0 else "",
        "note": "",
        "facilities": facilities,
        "adcode": county[0],
        "county": county[1],
        "prefecture": "长沙市",
    }


def synthetic_counties() -> gpd.GeoDataFrame:
    """The three test counties as GCJ-02 boxes."""
    rows = [
        {"adcode": code, "county": name, "prefecture": "长沙市",
         "geometry": box(west, COUNTY_SOUTH, west + 0.2, COUNTY_NORTH)}
        for code, name, west in COUNTIES
    ]  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def synthetic_coverage(points: pd.DataFrame, *, radius_m: float = 1000.0, demand: bool = False) -> Coverage:
    """A Coverage whose areas are real buffers of the stations (in metres), and a table with plausible numbers."""
    stations = points[points["kind"] == "station"]
    x, y = projection.to_metres(stations["lon_wgs84"], stations["lat_wgs84"])
    circles = shapely.buffer(shapely.points(x, y), radius_m, quad_segs=8)
    service = projection.geometry_to_degrees(shapely.union_all(circles)) if len(circles) else shapely.Polygon()
    cross = _cross_area(circles)
    counties = synthetic_counties()
    return Coverage(
        table=_table(points, counties),
        counties=counties,
        service_area=service,
        cross_area=cross,
        gaps=_gap_points(points) if demand else _gap_areas(counties, service),
    )


def _cross_area(circles: np.ndarray) -> shapely.Geometry:
    """Where two or more circles overlap (pairwise intersections of the first few hundred: enough for tests)."""
    sample = circles[:300]
    tree = shapely.STRtree(sample)
    left, right = tree.query(sample, predicate="intersects")
    keep = left < right
    parts = shapely.intersection(sample[left[keep]], sample[right[keep]])
    return projection.geometry_to_degrees(shapely.union_all(parts)) if len(parts) else shapely.Polygon()


def _table(points: pd.DataFrame, counties: gpd.GeoDataFrame) -> pd.DataFrame:
    """coverage.table: one row per county plus the province row 430000."""
    rows = []
    for k, county in enumerate(counties.itertuples()):
        mine = points[points["adcode"] == county.adcode]
        rows.append({
            "adcode": county.adcode, "county": county.county, "prefecture": county.prefecture,
            "stations": int((mine["kind"] == "station").sum()), "offices": int((mine["kind"] == "office").sum()),
            "area_km2": 650.0, "covered_km2": 100.0 * (k + 1), "covered_pct": 15.4 * (k + 1) + 10,
            "cross_covered_pct": 3.1 * k, "demand_total": np.nan, "demand_covered": np.nan,
            "demand_covered_pct": np.nan,
        })  # fmt: skip
    total = {"adcode": "430000", "county": "湖南省", "prefecture": "",
             "stations": int((points["kind"] == "station").sum()),
             "offices": int((points["kind"] == "office").sum()), "area_km2": 1950.0, "covered_km2": 600.0,
             "covered_pct": 30.8, "cross_covered_pct": 3.1, "demand_total": np.nan, "demand_covered": np.nan,
             "demand_covered_pct": np.nan}  # fmt: skip
    return pd.DataFrame([*rows, total])


def _gap_areas(counties: gpd.GeoDataFrame, service: shapely.Geometry) -> gpd.GeoDataFrame:
    """Uncovered part of each county (counties converted to WGS-84 first)."""
    rows = []
    for county in counties.itertuples():
        shape = datum.convert_geometry(county.geometry, "gcj02", "wgs84").difference(service)
        rows.append({"adcode": county.adcode, "county": county.county, "uncovered_km2": 123.4, "geometry": shape})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _gap_points(points: pd.DataFrame) -> gpd.GeoDataFrame:
    """A few uncovered demand points."""
    rows = [{"weight": 5.0 + k, "county": "芙蓉区", "distance_m": 1500.0 + k, "geometry": Point(113.0 + k / 50, 28.1)}
            for k in range(5)]  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium; fails (never skips) when it is missing, since the map's promises rest on it."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        where = "in CI" if os.environ.get("CI") else "here"
        pytest.fail(f"Chromium is missing {where}: install it with `apt-get install -y chromium` ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageRun:
    """A page opened from a file:// URL with every other request aborted and counted."""

    def __init__(self, page: Any, url: str) -> None:
        """Route the page's requests and record errors and dialogs."""
        self.page = page
        self.url = url
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.tiles: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)

    def _dialog(self, dialog: Any) -> None:
        """Note and dismiss any alert/confirm (an injected script would open one)."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        """Let the page itself through; abort tiles (counted apart) and everything else."""
        url = route.request.url
        if url.split("#")[0] == self.url.split("#")[0]:
            route.continue_()
            return
        (self.tiles if _is_tile(url) else self.foreign).append(url)
        route.abort()

    def open(self, fragment: str = "") -> Any:
        """Load the page (with an optional #fragment) and wait until it is complete."""
        self.page.goto(self.url + fragment)
        # window.__mapgenTest is the page's test-only hook object (lifecycle.js), not its interface.
        self.page.wait_for_function("window.__mapgenTest && window.__mapgenTest.painted !== null")
        self.page.evaluate("window.__mapgenTest.ready")  # areas and controls follow the first paint
        return self.page


TILE_HOSTS = ("autonavi.com", "tile.openstreetmap.org", "tianditu.gov.cn")


def _is_tile(url: str) -> bool:
    """Whether a URL is a basemap tile request."""
    return any(host in url.split("/")[2] for host in TILE_HOSTS) if "://" in url else False


def open_run(browser: Any, path: Path, html: str, *, width: int = 1280, height: int = 800, **options: Any) -> PageRun:
    """Save html to path and make a PageRun for it in a new browser context (the caller closes page.context)."""
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    return PageRun(context.new_page(), path.as_uri())


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """open_page(html, width=1280, height=800, **context options) -> PageRun for the page saved to a file."""
    contexts: list[Any] = []

    def _open(html: str, *, name: str = "index.html", **options: Any) -> PageRun:
        run = open_run(browser, tmp_path / name, html, **options)
        contexts.append(run.page.context)
        return run

    yield _open
    for context in contexts:
        context.close()
