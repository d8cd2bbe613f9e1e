"""mapgen's folium plugins on a user's own folium map (the notebook example of DESIGN.md), and their shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pytest
from conftest import PageRun, synthetic_coverage, synthetic_points
from test_browser import great_circle, page_errors

import mapgen
from mapgen import web
from mapgen.settings import Settings
from mapgen.web.assets import module_closure

# folium's default CDN libraries: Leaflet is served from xstatic-leaflet, the rest (jQuery, Bootstrap, Font
# Awesome, awesome-markers) as empty files, since mapgen's layer needs none of them.
CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna.bootstrapcdn.com")
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"


def notebook_stations() -> gpd.GeoDataFrame:
    """300 stations and 5 offices around Miluo as a notebook holds them: WGS-84 point geometry, no lon/lat columns."""
    frame = synthetic_points(300, offices=5, seed=4)
    lon = frame["lon_wgs84"] - 112.9 + 112.95
    lat = frame["lat_wgs84"] - 28.0 + 28.7
    frame = frame.drop(columns=["lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84"])
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


class CdnPageRun(PageRun):
    """A PageRun that serves folium's CDN files locally; any other outside request is counted as foreign."""

    def _route(self, route: Any) -> None:
        """Fulfil CDN requests (Leaflet from xstatic-leaflet), abort tiles, refuse everything else."""
        url = route.request.url
        host = url.split("/")[2] if "://" in url else ""
        if url.startswith(LEAFLET_CDN):
            from xstatic.pkg import leaflet

            route.fulfill(path=str(Path(leaflet.BASE_DIR) / url[len(LEAFLET_CDN) :]))
        elif host in CDN_HOSTS:
            route.fulfill(body="", content_type="text/css" if url.endswith(".css") else "application/javascript")
        else:
            super()._route(route)


@pytest.fixture(scope="module")
def stations() -> gpd.GeoDataFrame:
    return notebook_stations()


@pytest.fixture(scope="module")
def notebook_page(browser: Any, stations: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The contract's example: a plain folium.Map, mapgen's StationLayer added, saved, opened in Chromium."""
    m = folium.Map(location=[28.8, 113.07], zoom_start=11)
    mapgen.StationLayer(stations).add_to(m)  # as the contract's example writes it
    path = tmp_path_factory.mktemp("notebook") / "map.html"
    m.save(str(path))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    run = CdnPageRun(context.new_page(), path.as_uri())
    run.open()
    yield run
    context.close()


def test_station_layer_on_a_plain_folium_map_draws_at_wgs84_positions(notebook_page: CdnPageRun, stations: Any) -> None:
    page = notebook_page.page
    assert page.evaluate("window.mapgen.datum") == "wgs84"
    for station in ("S000042", "S000007"):
        page.evaluate(f"location.hash = '#station={station}'")
        page.wait_for_function(f"document.querySelector('.mg-sheet-title').textContent === '驿站{int(station[1:])}'")
        point = stations[stations["id"] == station].geometry.iloc[0]
        found = page.evaluate(f"window.mapgen.station('{station}')")
        assert (found["lat"], found["lon"]) == pytest.approx((point.y, point.x), abs=1e-6)
        drawn = page.evaluate(f"window.__mapgenTest.drawnPoint('{station}')")
        expected = page.evaluate(
            """([lat, lon]) => {
                const map = window.__mapgenTest.map;
                const layer = map.project([lat, lon], map.getZoom()).subtract(map.getPixelOrigin());
                return map.layerPointToContainerPoint(layer);
            }""",
            [point.y, point.x],
        )
        assert page.evaluate("window.__mapgenTest.map.getZoom()") == 16
        assert (drawn["x"], drawn["y"]) == pytest.approx((expected["x"], expected["y"]), abs=0.1)
    assert page_errors(notebook_page) == [] and notebook_page.foreign == []


def test_station_layer_nearest_is_the_brute_force_nearest(notebook_page: CdnPageRun, stations: Any) -> None:
    rng = np.random.default_rng(3)
    queries = np.column_stack([28.7 + rng.random(100) * 0.3, 112.95 + rng.random(100) * 0.6])
    answers = notebook_page.page.evaluate("qs => qs.map(q => window.mapgen.nearest(q[0], q[1], 3))", queries.tolist())
    only = stations[stations["kind"] == "station"]
    for (lat, lon), answer in zip(queries, answers, strict=True):
        d = great_circle(lat, lon, only.geometry.y.to_numpy(), only.geometry.x.to_numpy())
        order = np.argsort(d, kind="stable")[:3]
        assert [a["distance_m"] for a in answer] == pytest.approx(d[order].tolist(), abs=0.15)
        assert [a["id"] for a in answer] == only["id"].iloc[order].tolist()
        first = only.geometry.iloc[order[0]]
        assert (answer[0]["lat"], answer[0]["lon"]) == pytest.approx((first.y, first.x), abs=1e-6)
    assert notebook_page.foreign == []


def test_two_layers_share_one_copy_of_each_asset(stations: Any) -> None:
    m = folium.Map(location=[28.8, 113.07], zoom_start=11)
    web.StationLayer(stations).add_to(m)
    web.StationLayer(stations.iloc[:10], lang="en").add_to(m)
    html = m.get_root().render()
    assert html.count("L.mapgen = { define") == 1
    assert html.count("L.mapgen.define('stationLayer'") == 1
    assert html.count('L.mapgen.create("stationLayer"') == 2
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in html, "the user's map keeps its own Leaflet"


def test_station_layer_takes_a_plain_frame_and_checks_its_arguments() -> None:
    frame = synthetic_points(5)
    layer = web.StationLayer(frame, datum="gcj02")
    assert layer.data["datum"] == "gcj02" and layer.data["stations"]["n"] == 5
    with pytest.raises(ValueError, match="`datum` was 'bd09'"):
        web.StationLayer(frame, datum="bd09")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'name'"):
        web.StationLayer(frame.drop(columns="name"))


def test_service_map_is_a_self_contained_folium_map(tmp_path: Path) -> None:
    points = synthetic_points(50, offices=2)
    page = web.service_map(points, synthetic_coverage(points), basemap="osm", county="430103")
    assert isinstance(page, folium.Map)
    page.save(str(tmp_path / "map.html"))
    html = (tmp_path / "map.html").read_text("utf-8")
    assert "<script src=" not in html and "<link" not in html
    assert "天心区户外劳动者服务站点爱心地图" in html
    assert html == web.render_map(points, synthetic_coverage(points), Settings(basemap="osm", county="430103"),
                                  sample=False), "the same page as the command line's, byte for byte"


def test_every_module_names_what_it_needs() -> None:
    assets = Path(web.__file__).parent / "assets"
    modules = sorted(p.stem for p in assets.glob("*.js") if p.name != "registry.js")
    entries = ("stationLayer", "coverageLayer", "workerPanel", "suggestionLayer")
    for entry in entries:
        assert set(module_closure(entry)) <= set(modules)
    covered = {module for entry in entries for module in module_closure(entry)}
    assert covered == set(modules), "a module no element uses"
    for path in assets.glob("*.js"):
        text = path.read_text("utf-8")
        assert "Needs:" in text.split("*/")[0] and "Provides:" in text.split("*/")[0], path.name
