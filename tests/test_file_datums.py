"""Each file is read in its own datum; mapgen's own stations.geojson reads back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapgen.cli import main
from mapgen.geo import datum

# A point in Miluo's town centre, WGS-84, and the same place in GCJ-02 by the published forward formula
# (worked out once here, independently of mapgen's reader).
WGS = (113.0620, 28.8095)
GCJ = tuple(float(v) for v in datum.wgs84_to_gcj02(*WGS))


def point_geojson(path: Path, lon: float, lat: float, **properties: object) -> Path:
    feature = {"type": "Feature", "properties": {"name": "一号站", **properties},
               "geometry": {"type": "Point", "coordinates": [lon, lat]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False), "utf-8")
    return path


def build(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "out"
    assert main(["build", *args, "--out-dir", str(out), "--quiet"]) == 0
    return json.loads((out / "stations.geojson").read_text("utf-8"))


def positions(collection: dict) -> list[tuple[float, float, float, float]]:
    return [(*f["geometry"]["coordinates"], f["properties"]["lon_gcj02"], f["properties"]["lat_gcj02"])
            for f in collection["features"]]


def test_geojson_is_wgs84_unless_told(tmp_path: Path) -> None:
    path = point_geojson(tmp_path / "gps.geojson", *WGS)
    [(lon, lat, glon, glat)] = positions(build(tmp_path, "--stations", str(path)))
    assert (lon, lat) == pytest.approx(WGS, abs=1e-7)  # 1e-7 degree is about 1 cm
    assert (glon, glat) == pytest.approx(GCJ, abs=1e-7)


def test_an_explicit_crs_still_applies_to_geojson(tmp_path: Path) -> None:
    path = point_geojson(tmp_path / "amap.geojson", *GCJ)
    [(lon, lat, glon, glat)] = positions(build(tmp_path, "--stations", str(path), "--crs", "gcj02"))
    assert (glon, glat) == pytest.approx(GCJ, abs=1e-7)
    assert (lon, lat) == pytest.approx(WGS, abs=1e-7)


def test_a_coordinate_header_gives_one_file_its_own_datum(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    amap = tmp_path / "amap.csv"
    amap.write_text(f"名称,经度,纬度\n高德站,{GCJ[0]},{GCJ[1]}\n", encoding="utf-8")
    gps = tmp_path / "gps.csv"
    gps.write_text(f"名称,经度（WGS-84）,纬度（WGS-84）\nGPS站,{WGS[0] + 0.01},{WGS[1]}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--stations", str(amap), "--stations", str(gps), "--out-dir", str(out)]) == 0
    summary = capsys.readouterr().out
    assert f"{amap}: coordinates read as GCJ-02" in summary and f"{gps}: coordinates read as WGS-84" in summary
    stations = json.loads((out / "stations.geojson").read_text("utf-8"))
    by_name = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in stations["features"]}
    assert by_name["高德站"] == pytest.approx(WGS, abs=1e-7)
    assert by_name["GPS站"] == pytest.approx((WGS[0] + 0.01, WGS[1]), abs=1e-7)


def test_a_header_datum_that_contradicts_an_explicit_crs_is_refused(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    gps = tmp_path / "gps.csv"
    gps.write_text(f"名称,经度（WGS-84）,纬度（WGS-84）\nGPS站,{WGS[0]},{WGS[1]}\n", encoding="utf-8")
    assert main(["build", "--stations", str(gps), "--crs", "gcj02", "--out-dir", str(tmp_path / "o")]) == 2
    assert "--crs wgs84" in capsys.readouterr().err


def test_stations_geojson_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "stations.csv"
    source.write_text("编号,名称,经度,纬度,设施,开放时间,电话,地址\n"
                      f"A1,一号站,{GCJ[0]},{GCJ[1]},饮水；卫生间；充电,08:00-20:00,0730-1234567,汨罗路1号\n"
                      f"A2,二号站,{GCJ[0] + 0.02},{GCJ[1]},,24小时,,\n", encoding="utf-8")
    offices = tmp_path / "offices.csv"
    offices.write_text(f"编号,名称,经度,纬度\nO1,汨罗市总工会,{GCJ[0] + 0.01},{GCJ[1] + 0.01}\n", encoding="utf-8")
    first = build(tmp_path / "a", "--stations", str(source), "--offices", str(offices))
    written = tmp_path / "a" / "out" / "stations.geojson"
    again = build(tmp_path / "b", "--stations", str(written))
    assert [f["properties"] for f in again["features"]] == [f["properties"] for f in first["features"]]
    assert again["features"][0]["properties"]["facilities"] == ["饮水", "卫生间", "充电"]
    for one, two in zip(positions(first), positions(again), strict=True):
        assert two == pytest.approx(one, abs=1e-7)
