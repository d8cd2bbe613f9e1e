"""Datum conversions against published reference values, and exact round trips."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from mapgen.geo import datum

GEOD = Geod(ellps="WGS84")
hunan_lon = st.floats(108.7, 114.3)
hunan_lat = st.floats(24.6, 30.2)
china_lon = st.floats(73.7, 134.8)
china_lat = st.floats(18.2, 53.5)


def metres(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def test_forward_matches_published_reference_values():
    # wandergis/coordtransform's README example, computed independently of this code.
    lon, lat = datum.wgs84_to_gcj02(116.404, 39.915)
    assert lon == pytest.approx(116.41024449916938, abs=1e-12)
    assert lat == pytest.approx(39.91640428150164, abs=1e-12)
    # eviltransform's test vector (Shanghai).
    lon, lat = datum.wgs84_to_gcj02(121.5272106, 31.1774276)
    assert lon == pytest.approx(121.531541859215, abs=1e-11)
    assert lat == pytest.approx(31.17530398364597, abs=1e-11)


def test_baidu_forward_matches_reference():
    lon, lat = datum.gcj02_to_bd09(116.404, 39.915)
    assert lon == pytest.approx(116.41036949371029, abs=1e-11)
    assert lat == pytest.approx(39.92133699351021, abs=1e-11)


def test_gcj02_offset_in_hunan_is_515_to_680_metres():
    lon, lat = np.meshgrid(np.linspace(108.8, 114.2, 40), np.linspace(24.7, 30.1, 40))
    glon, glat = datum.wgs84_to_gcj02(lon.ravel(), lat.ravel())
    shift = metres(lon.ravel(), lat.ravel(), glon, glat)
    assert 500 < shift.min() < 540
    assert 660 < shift.max() < 700


def test_one_step_inverse_is_metres_off_but_ours_is_exact():
    wlon, wlat = 113.067251, 28.806881
    glon, glat = datum.wgs84_to_gcj02(wlon, wlat)
    dlon, dlat = glon - wlon, glat - wlat
    # The common approximation subtracts the shift evaluated at the GCJ-02 point.
    slon, slat = datum.wgs84_to_gcj02(glon, glat)
    naive = metres(wlon, wlat, glon - (slon - glon), glat - (slat - glat))
    ours = metres(wlon, wlat, *datum.gcj02_to_wgs84(glon, glat))
    assert naive > 0.5
    assert ours < 0.001
    assert dlon > 0 and dlat < 0  # in Hunan GCJ-02 lies east and south of WGS-84


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_gcj02_round_trip_under_a_centimetre(lon, lat):
    back = datum.gcj02_to_wgs84(*datum.wgs84_to_gcj02(lon, lat))
    assert metres(lon, lat, *back) < 0.01


@settings(max_examples=300, deadline=None)
@given(hunan_lon, hunan_lat)
def test_bd09_round_trip_under_a_centimetre(lon, lat):
    there = datum.convert(lon, lat, "wgs84", "bd09")
    back = datum.convert(*there, "bd09", "wgs84")
    assert metres(lon, lat, *back) < 0.01


@settings(max_examples=100, deadline=None)
@given(hunan_lon, hunan_lat)
def test_conversions_compose(lon, lat):
    direct = datum.convert(lon, lat, "bd09", "wgs84")
    via = datum.convert(*datum.convert(lon, lat, "bd09", "gcj02"), "gcj02", "wgs84")
    assert metres(*direct, *via) < 0.001


def test_outside_china_is_unchanged():
    assert datum.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


def test_unknown_datum_is_named():
    with pytest.raises(ValueError, match="unknown datum 'wgs'"):
        datum.convert(113.0, 28.0, "wgs", "gcj02")


def test_geometry_conversion_moves_every_vertex():
    import shapely

    line = shapely.LineString([(113.0, 28.0), (113.1, 28.1)])
    moved = datum.convert_geometry(line, "wgs84", "gcj02")
    expected = datum.wgs84_to_gcj02([113.0, 113.1], [28.0, 28.1])
    np.testing.assert_allclose(shapely.get_coordinates(moved), np.column_stack(expected), atol=1e-12)


def test_a_nan_in_a_batch_does_not_hold_back_the_inverse(monkeypatch):
    from mapgen.geo import datum as module

    calls = []
    forward = module.wgs84_to_gcj02

    def counted(lon, lat):
        calls.append(1)
        return forward(lon, lat)

    monkeypatch.setattr(module, "wgs84_to_gcj02", counted)
    lon, lat = np.array([113.0673, 112.98]), np.array([28.8069, 28.19])
    clean = module.gcj02_to_wgs84(lon, lat)
    clean_calls = len(calls)
    calls.clear()
    mixed = module.gcj02_to_wgs84(np.append(lon, np.nan), np.append(lat, 28.0))
    assert len(calls) == clean_calls < 10  # as many iterations as without the NaN, not all 40
    assert np.array_equal(mixed[0][:2], clean[0]) and np.isnan(mixed[0][2])
