"""The contract's Python API example runs as written: read_points, analyse, service_map, StationLayer."""

from __future__ import annotations

import math
from pathlib import Path

import folium
import pytest
from test_webmap import page_data

import mapgen

MILUO = (113.0673, 28.8069)  # GCJ-02, Miluo's town centre


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api")
    (folder / "stations.csv").write_text(
        "编号,站点名称,经度,纬度\n"
        f"A1,一号站,{MILUO[0]},{MILUO[1]}\n"
        f"A2,二号站,{MILUO[0] + 0.05},{MILUO[1]}\n"
        "A3,坏站,abc,28.8\n", encoding="utf-8")
    return folder


def test_the_contract_example(files: Path, tmp_path: Path) -> None:
    stations = mapgen.read_points([files / "stations.csv"], kind="station", crs="gcj02")
    assert list(stations["id"]) == ["A1", "A2"] and stations.crs.to_epsg() == 4326
    assert [(r.row, r.column) for r in stations.attrs["rejects"]] == [(4, "经度")]
    result = mapgen.analyse(stations, demand=None, minutes=15, speed_kmh=4)
    miluo = result.table[result.table["adcode"] == "430681"].iloc[0]
    # Two disjoint 1 km disks, both well inside Miluo (5 km apart): 2 pi km², worked out by hand.
    assert miluo["covered_km2"] == pytest.approx(2 * math.pi, rel=1e-3)
    assert miluo["cross_covered_pct"] == 0
    page = mapgen.service_map(stations, result, basemap="osm")
    assert isinstance(page, folium.Map)
    page.save(str(tmp_path / "map.html"))
    html = (tmp_path / "map.html").read_text("utf-8")
    assert "<script src=" not in html and "一号站" in html
    m = folium.Map(location=[28.8, 113.07], zoom_start=11)
    layer = mapgen.StationLayer(stations)
    layer.add_to(m)
    assert layer in m._children.values()


def test_a_map_of_an_analysis_draws_the_reach_it_used(files: Path) -> None:
    stations = mapgen.read_points([files / "stations.csv"])
    result = mapgen.analyse(stations, minutes=30, speed_kmh=5)
    assert (result.minutes, result.speed_kmh) == (30, 5)
    page = mapgen.service_map(stations, result, basemap="none").get_root().render()
    assert page_data(page)["radiusM"] == 2500.0  # 30 min at 5 km/h
