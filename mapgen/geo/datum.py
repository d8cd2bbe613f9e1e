"""Conversions between the WGS-84, GCJ-02 and BD-09 datums, vectorised over numpy arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

Array = NDArray[np.float64]
Pair = tuple[Array, Array]
Shapes = TypeVar("Shapes", BaseGeometry, NDArray[np.object_])

# Krasovsky 1940 ellipsoid, which the GCJ-02 obfuscation is defined on.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
# Inverses are solved to 1e-11 degrees (about a micrometre): far below the 0.01 m promised.
_TOLERANCE_DEG = 1e-11
_MAX_ITERATIONS = 40


def _in_china(lon: Array, lat: Array) -> NDArray[np.bool_]:
    """Whether GCJ-02 applies: outside this box it equals WGS-84."""
    return (lon > 72.004) & (lon < 137.8347) & (lat > 0.8293) & (lat < 55.8271)


def _offset(lon: Array, lat: Array) -> Pair:
    """The GCJ-02 shift (dlon, dlat) in degrees at a WGS-84 position."""
    x, y = lon - 105.0, lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += common
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += common
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def _arrays(lon: ArrayLike, lat: ArrayLike) -> Pair:
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """WGS-84 to GCJ-02 (the published forward formula; exact by definition)."""
    x, y = _arrays(lon, lat)
    dlon, dlat = _offset(x, y)
    return x + dlon, y + dlat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """GCJ-02 to BD-09 (Baidu's forward formula)."""
    x, y = _arrays(lon, lat)
    z = np.hypot(x, y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _invert(forward: Callable[[Array, Array], Pair], lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Solve forward(p) = q by fixed-point iteration; converges since the shift varies slowly."""
    qx, qy = _arrays(lon, lat)
    px, py = qx.copy(), qy.copy()
    for _ in range(_MAX_ITERATIONS):
        fx, fy = forward(px, py)
        ex, ey = fx - qx, fy - qy
        px, py = px - ex, py - ey
        # Non-finite inputs (a NaN coordinate) never converge: judge convergence by the finite ones alone.
        error = np.maximum(np.abs(ex), np.abs(ey))
        if float(np.max(error, where=np.isfinite(error), initial=0.0)) < _TOLERANCE_DEG:
            break
    return px, py


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """GCJ-02 to WGS-84 by iterating the forward formula (round trip under a millimetre)."""
    return _invert(wgs84_to_gcj02, lon, lat)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """BD-09 to GCJ-02 by iterating Baidu's forward formula."""
    return _invert(gcj02_to_bd09, lon, lat)


_TO_WGS84: dict[str, Callable[[Array, Array], Pair]] = {
    "wgs84": lambda x, y: (x, y),
    "gcj02": gcj02_to_wgs84,
    "bd09": lambda x, y: gcj02_to_wgs84(*bd09_to_gcj02(x, y)),
}
_FROM_WGS84: dict[str, Callable[[Array, Array], Pair]] = {
    "wgs84": lambda x, y: (x, y),
    "gcj02": wgs84_to_gcj02,
    "bd09": lambda x, y: gcj02_to_bd09(*wgs84_to_gcj02(x, y)),
}


def convert(lon: ArrayLike, lat: ArrayLike, source: str, target: str) -> Pair:
    """Convert positions from one datum (`wgs84`, `gcj02`, `bd09`) to another."""
    for name in (source, target):
        if name not in _TO_WGS84:
            msg = f"unknown datum {name!r}: expected one of {sorted(_TO_WGS84)}"
            raise ValueError(msg)
    x, y = _arrays(lon, lat)
    if source == target:
        return x.copy(), y.copy()
    return _FROM_WGS84[target](*_TO_WGS84[source](x, y))


def convert_geometry(geometry: Shapes, source: str, target: str) -> Shapes:
    """Convert every vertex of a lon/lat geometry (or array of them, in one pass) from one datum to another."""
    if source == target:
        return geometry

    def _move(coords: Array) -> Array:
        x, y = convert(coords[:, 0], coords[:, 1], source, target)
        return np.column_stack([x, y])

    return shapely.transform(geometry, _move)
