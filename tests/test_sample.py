"""The bundled sample: reproducible, plainly made up, and placed where the brief says."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import shapely

from mapgen.geo import geography
from mapgen.inputs import sample

SAMPLE = Path(__file__).resolve().parent.parent / "geodata" / "sample"
HEADER = ["编号", "站点名称", "类型", "地址", "开放时间", "联系电话", "服务设施", "所属区县", "经度", "纬度"]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def stations() -> pd.DataFrame:
    return _read("stations.csv")


@pytest.fixture(scope="module")
def offices() -> pd.DataFrame:
    return _read("offices.csv")


def test_regenerating_gives_identical_files(tmp_path):
    sample.write_sample(tmp_path)
    for name in ("stations.csv", "offices.csv", "demand.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_files_start_with_a_bom_and_chinese_headers(stations, offices):
    assert (SAMPLE / "stations.csv").read_bytes().startswith("\ufeff编号,".encode())
    assert list(stations.columns) == HEADER
    assert list(offices.columns) == [*HEADER, "备注"]


def _count_in(stations: pd.DataFrame, adcode: str) -> int:
    polygon = geography.load_counties().set_index("adcode").loc[adcode, "geometry"]
    return int(shapely.contains_xy(polygon, stations["经度"].astype(float), stations["纬度"].astype(float)).sum())


def test_counts(stations, offices):
    assert 3900 <= len(stations) <= 4100
    assert _count_in(stations, "430681") == 32  # 汨罗市
    assert _count_in(stations, "431103") == 24  # 冷水滩区
    assert len(offices) == 137
    assert stations["编号"].is_unique and offices["编号"].is_unique


def test_every_station_is_inside_its_county(stations):
    found = geography.locate(stations["经度"].astype(float), stations["纬度"].astype(float))
    assert found["adcode"].notna().all()
    assert list(found["county"]) == list(stations["所属区县"])
    assert list(found["adcode"]) == list(stations["编号"].str[1:7])


def test_miluo_stations_are_in_the_central_urban_area(stations):
    miluo = stations[stations["编号"].str.startswith("S430681-")]
    # Within 5 km of the county government at 113.067251, 28.806881 (1° lat = 110.6 km).
    dlat_km = (miluo["纬度"].astype(float) - 28.806881) * 110.6
    dlon_km = (miluo["经度"].astype(float) - 113.067251) * 97.0
    assert ((dlat_km**2 + dlon_km**2) ** 0.5 < 5.0).all()


def test_every_record_says_it_is_a_sample(stations, offices):
    assert stations["站点名称"].str.startswith("示例驿站 ").all()
    assert stations["地址"].str.contains("示例").all()
    assert offices["站点名称"].str.contains("示例").all()
    assert offices["备注"].str.contains("示例").all()


def test_realistic_values(stations):
    assert stations["编号"].str.fullmatch(r"S43\d{4}-\d{3}").all()
    assert set(stations["类型"]) == {"工会驿站", "环卫驿站", "爱心驿站", "快递驿站"}
    assert stations["开放时间"].str.fullmatch(r"\d\d:\d\d-\d\d:\d\d|24小时").all()
    # Fictional by construction: a local number never starts with 0.
    assert stations["联系电话"].str.fullmatch(r"0731-0\d{7}|07[3-4]\d-0\d{6}").all()
    allowed = {"饮水", "微波炉", "卫生间", "座椅", "充电", "空调", "药箱", "WiFi"}
    assert all(set(value.split("；")) <= allowed for value in stations["服务设施"])
    assert stations["经度"].str.fullmatch(r"1\d\d\.\d{6}").all()
    assert stations["纬度"].str.fullmatch(r"(2[4-9]|30)\.\d{6}").all()
    miluo = stations[stations["所属区县"] == "汨罗市"]
    assert miluo["站点名称"].iloc[0] == "示例驿站 汨罗市 01"
    assert miluo["联系电话"].str.startswith("0730-").all()


def test_stations_gather_in_towns(stations):
    # Clustered, not spread evenly: most of a county's stations lie within 6 km of its seat.
    seats = geography.load_seats().set_index("adcode")
    adcode = stations["编号"].str[1:7]
    dlat_km = (stations["纬度"].astype(float) - seats.loc[adcode, "lat_gcj02"].to_numpy()) * 110.6
    dlon_km = (stations["经度"].astype(float) - seats.loc[adcode, "lon_gcj02"].to_numpy()) * 99.0
    assert ((dlat_km**2 + dlon_km**2) ** 0.5 < 6.0).mean() > 0.5


def test_offices(offices):
    by_id = offices.set_index("编号")
    assert by_id.loc["O430000", "站点名称"] == "湖南省总工会（示例）"
    assert by_id.loc["O430000", "所属区县"] in {"天心区", "芙蓉区", "开福区", "岳麓区", "雨花区"}  # in Changsha
    assert by_id.loc["O430100", "站点名称"] == "长沙市总工会（示例）"
    assert by_id.loc["O433100", "站点名称"] == "湘西土家族苗族自治州总工会（示例）"
    county_offices = offices[~offices["编号"].str.endswith("00")]
    assert len(county_offices) == 122
    assert county_offices["备注"].str.contains("位置为县级政府驻地，近似").all()
    seats = geography.load_seats()
    assert list(county_offices["经度"]) == [f"{value:.6f}" for value in seats["lon_gcj02"]]
    assert re.fullmatch(r"O\d{6}", by_id.index[0])


def test_sample_demand_is_labelled_inside_hunan_and_weighted():
    from mapgen.inputs.reading import read_points

    read = read_points([SAMPLE / "demand.csv"], kind="demand")
    assert not read.rejects and len(read.points) > 4000
    assert read.points["name"].str.startswith("示例需求点").all()
    assert read.points["weight"].between(1, 30).all()
    assert read.points["adcode"].nunique() == 122  # every county has demand
