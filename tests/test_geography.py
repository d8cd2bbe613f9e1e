"""County loading, lookup by name and point location, checked against independent figures."""

from __future__ import annotations

import geopandas
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from mapgen.errors import InputError
from mapgen.geo import datum, geography


def test_load_counties_is_a_fresh_copy():
    counties = geography.load_counties()
    assert len(counties) == 122
    assert list(counties.columns) == ["adcode", "county", "prefecture", "geometry"]
    assert counties.crs is None  # GCJ-02 has no EPSG code
    counties.loc[0, "county"] = "changed"
    assert geography.load_counties().loc[0, "county"] == "芙蓉区"


def test_load_seats():
    seats = geography.load_seats()
    assert len(seats) == 122
    row = seats.set_index("adcode").loc["430681"]
    assert (row["county"], row["lon_gcj02"], row["lat_gcj02"]) == ("汨罗市", 113.067251, 28.806881)


@pytest.mark.parametrize(
    ("query", "adcode"),
    [
        ("汨罗市", "430681"),
        ("汨罗", "430681"),
        ("430681", "430681"),
        (" 430681 ", "430681"),
        ("430681000000", "430681"),
        ("冷水滩区", "431103"),
        ("江华", "431129"),
        ("江华瑶族自治县", "431129"),
        ("长沙县", "430121"),
        ("攸县", "430223"),
    ],
)
def test_find_county(query, adcode):
    assert geography.find_county(query) == adcode


def test_find_county_suggests_close_names():
    # 汩 (gǔ) for 汨 (mì) is the usual typo.
    with pytest.raises(InputError, match="汨罗市") as raised:
        geography.find_county("汩罗市")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("query", ["长沙市", "430100", "430000", "", "Miluo", "110101"])
def test_find_county_rejects_non_counties(query):
    with pytest.raises(InputError, match="county"):
        geography.find_county(query)


def test_prefecture_is_not_taken_for_a_county():
    # 长沙市 is the prefecture; 长沙县 a different county inside it.
    with pytest.raises(InputError, match="prefecture"):
        geography.find_county("长沙市")


def test_locate_known_places():
    places = {
        # GCJ-02 positions read off Amap.
        "Miluo county seat": (113.067251, 28.806881, "430681", "汨罗市", "岳阳市"),
        "Yuelu mountain": (112.936, 28.186, "430104", "岳麓区", "长沙市"),
        "Changsha railway station": (113.0135, 28.1955, "430102", "芙蓉区", "长沙市"),
        "East Dongting lake": (113.0, 29.25, "430621", "岳阳县", "岳阳市"),
        "Lengshuitan district": (111.592343, 26.46128, "431103", "冷水滩区", "永州市"),
    }
    lon, lat, *expected = zip(*places.values(), strict=True)
    found = geography.locate(list(lon), list(lat))
    assert list(found["adcode"]) == list(expected[0])
    assert list(found["county"]) == list(expected[1])
    assert list(found["prefecture"]) == list(expected[2])
    assert (found["outside_km"] == 0.0).all()


def _km_to_hunan(lon_gcj: float, lat_gcj: float) -> float:
    """Geodesic distance to the nearest vertex of the unsimplified source outline (within ~0.2 km)."""
    from mapgen.geo import geodata

    coords = shapely.get_coordinates(geodata.source_province())
    lon, lat = datum.convert(coords[:, 0], coords[:, 1], "gcj02", "wgs84")
    here_lon, here_lat = datum.convert([lon_gcj], [lat_gcj], "gcj02", "wgs84")
    _, _, metres = pyproj.Geod(ellps="WGS84").inv(
        np.full(len(lon), here_lon[0]), np.full(len(lat), here_lat[0]), lon, lat
    )
    return float(metres.min()) / 1000.0


def test_guangzhou_is_outside_at_the_right_distance():
    canton_tower = (113.3245, 23.1064)
    found = geography.locate([canton_tower[0]], [canton_tower[1]]).iloc[0]
    assert found["adcode"] is None and found["county"] is None and found["prefecture"] is None
    assert 150 < found["outside_km"] < 250
    # Simplification moves the outline by at most a few hundred metres.
    assert found["outside_km"] == pytest.approx(_km_to_hunan(*canton_tower), abs=1.0)


def test_shared_border_point_goes_to_one_county():
    counties = geography.load_counties().set_index("adcode")
    furong, tianxin = counties.loc["430102", "geometry"], counties.loc["430103", "geometry"]
    shared = sorted(
        set(map(tuple, shapely.get_coordinates(furong))) & set(map(tuple, shapely.get_coordinates(tianxin)))
    )
    assert shared
    lon, lat = shared[0]
    point = shapely.Point(lon, lat)
    assert furong.intersects(point) and tianxin.intersects(point)
    found = geography.locate([lon, lon], [lat, lat])
    assert list(found["adcode"]) == ["430102", "430102"]


def test_agrees_with_geopandas_sjoin():
    counties = geography.load_counties()
    rng = np.random.default_rng(7)
    xmin, ymin, xmax, ymax = counties.total_bounds
    lon, lat = rng.uniform(xmin - 0.5, xmax + 0.5, 5000), rng.uniform(ymin - 0.5, ymax + 0.5, 5000)
    points = geopandas.GeoDataFrame(geometry=geopandas.points_from_xy(lon, lat), crs=None)
    joined = geopandas.sjoin(points, counties, predicate="within", how="left")
    assert joined.index.is_unique  # random points never fall on a border
    found = geography.locate(lon, lat)
    expected = joined["adcode"].astype(object).where(joined["adcode"].notna(), None)
    assert list(found["adcode"]) == list(expected)
    assert ((found["outside_km"] > 0) == found["adcode"].isna()).all()


def test_every_seat_is_in_its_county():
    seats = geography.load_seats()
    found = geography.locate(seats["lon_gcj02"], seats["lat_gcj02"])
    assert list(found["adcode"]) == list(seats["adcode"])


def test_keeps_a_series_index_and_handles_missing_coordinates():
    lon = pd.Series([113.067251, np.nan], index=["a", "b"])
    lat = pd.Series([28.806881, 28.8], index=["a", "b"])
    found = geography.locate(lon, lat)
    assert list(found.index) == ["a", "b"]
    assert found.loc["b", "adcode"] is None
    assert np.isnan(found.loc["b", "outside_km"])


def test_rejects_mismatched_arrays():
    with pytest.raises(ValueError, match="lat_gcj02"):
        geography.locate([113.0, 113.1], [28.0])
