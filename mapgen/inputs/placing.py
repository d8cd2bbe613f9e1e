"""Place parsed rows: swapped columns, datums, counties, kinds, ids and duplicates."""

from __future__ import annotations

import hashlib
import re

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mapgen.geo import datum, geography
from mapgen.inputs.records import EXACT_WGS84, POINT_COLUMNS, Notice, ReadResult, Reject

_ID_PREFIX = {"station": "S", "office": "O", "demand": "D"}
_LIST_SEPARATORS = re.compile(r"[；;、,，|｜/]+")
# Generous box around Hunan (108.8-114.3 E, 24.6-30.1 N) for telling swapped columns apart.
_HUNAN_BOX = (108.0, 115.5, 24.0, 31.0)
_EXACT_AGREEMENT_DEG = 1e-6  # about 0.1 m: the geometry and lon_gcj02/lat_gcj02 describe one position
_KIND_WORDS = {"station": "station", "站点": "station", "驿站": "station", "office": "office", "工会": "office"}
# Points this close outside the bundled (simplified) border are accepted and given the nearest county.
BORDER_TOLERANCE_KM = 0.3


def split_list(text: str) -> tuple[str, ...]:
    """Split a facilities cell on ；;、,| and keep each item once, in order."""
    items = (item.strip() for item in _LIST_SEPARATORS.split(text))
    return tuple(dict.fromkeys(item for item in items if item))


def _in_box(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    west, east, south, north = _HUNAN_BOX
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def _unswap(frame: pd.DataFrame, result: ReadResult) -> pd.DataFrame:
    """Swap back latitude and longitude given the wrong way round; reject positions out of range."""
    lon, lat = frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
    swapped = ~_in_box(lon, lat) & _in_box(lat, lon)
    for row in frame[swapped].itertuples(index=False):
        result.notices.append(Notice(row.source, row.row, f"{row.lon_header} and {row.lat_header} were swapped "
                                     f"({row.lon}, {row.lat}); used lon {row.lat}, lat {row.lon}"))
    frame = frame.assign(lon=np.where(swapped, lat, lon), lat=np.where(swapped, lon, lat))
    lon_bad = ~frame["lon"].between(-180.0, 180.0).to_numpy()
    lat_bad = ~frame["lat"].between(-90.0, 90.0).to_numpy() & ~lon_bad
    for mask, key, limit, word in ((lon_bad, "lon", 180, "longitude"), (lat_bad, "lat", 90, "latitude")):
        for row in frame[mask].itertuples(index=False):
            header = row.lon_header if key == "lon" else row.lat_header
            result.rejects.append(Reject(row.source, row.row, row.id, row.name, header, _fmt(getattr(row, key)),
                                         f"{word} out of range (±{limit})"))
    return frame[~(lon_bad | lat_bad)].reset_index(drop=True)


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def place(frame: pd.DataFrame, *, kind: str, result: ReadResult) -> pd.DataFrame:
    """Convert datums, join counties, reject points outside Hunan, and give rows without an id one."""
    frame = _to_both_datums(_unswap(frame, result))
    where = geography.locate(frame["lon_gcj02"].to_numpy(float), frame["lat_gcj02"].to_numpy(float))
    outside = where["outside_km"].to_numpy(float) > BORDER_TOLERANCE_KM
    for row, km in zip(frame[outside].itertuples(index=False), where["outside_km"][outside], strict=True):
        result.rejects.append(Reject(row.source, row.row, row.id, row.name, f"{row.lon_header},{row.lat_header}",
                                     f"{_fmt(row.lon)},{_fmt(row.lat)}",
                                     f"outside Hunan: {km:.1f} km beyond the provincial border"))
    band = where["adcode"].isna().to_numpy() & ~outside
    if band.any():
        where.loc[band, ["adcode", "county", "prefecture"]] = geography.nearest_counties(
            frame["lon_gcj02"][band], frame["lat_gcj02"][band]).to_numpy()
    for key in ("adcode", "county", "prefecture"):
        frame[key] = where[key].astype(str).to_numpy()
    frame = frame[~outside].reset_index(drop=True)
    _check_counties(frame, result)
    frame["kind"] = _kinds(frame["kind_declared"], kind)
    frame["facilities"] = _lists(frame["facilities_text"])
    missing = frame["id"].to_numpy(str) == ""
    frame.loc[missing, "id"] = [_derived_id(kind, r.name, r.lon, r.lat) for r in frame[missing].itertuples()]
    return frame


def _to_both_datums(frame: pd.DataFrame) -> pd.DataFrame:
    """Add GCJ-02 and WGS-84 positions, converting each file's rows from the datum it was read in."""
    for name in ("lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84"):
        frame[name] = np.nan
    for crs, rows in frame.groupby("datum", sort=True).groups.items():
        lon, lat = frame.loc[rows, "lon"].to_numpy(float), frame.loc[rows, "lat"].to_numpy(float)
        for target in ("gcj02", "wgs84"):
            frame.loc[rows, f"lon_{target}"], frame.loc[rows, f"lat_{target}"] = datum.convert(lon, lat, crs, target)
    return _keep_exact_wgs84(frame)


def _keep_exact_wgs84(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep the WGS-84 geometry that mapgen wrote beside GCJ-02 when the two agree, so that both round-trip.

    Converting the rounded GCJ-02 back would move the last written decimal (about 1 cm).
    """
    lon, lat = (pd.to_numeric(frame[key], errors="coerce").to_numpy(float) for key in EXACT_WGS84)
    agree = (np.abs(lon - frame["lon_wgs84"].to_numpy(float)) < _EXACT_AGREEMENT_DEG) & (
        np.abs(lat - frame["lat_wgs84"].to_numpy(float)) < _EXACT_AGREEMENT_DEG)
    frame.loc[agree, "lon_wgs84"], frame.loc[agree, "lat_wgs84"] = lon[agree], lat[agree]
    return frame


def _kinds(declared: pd.Series, kind: str) -> NDArray[np.str_]:
    """Each row's kind: a station or office row may say which it is (mapgen's own stations.geojson does)."""
    if kind == "demand":
        return np.full(len(declared), kind)
    said = declared.str.strip().str.lower().map(_KIND_WORDS)
    return said.fillna(kind).to_numpy(str)


def _lists(texts: pd.Series) -> list[tuple[str, ...]]:
    cache = {text: split_list(text) for text in pd.unique(texts)}
    return [cache[text] for text in texts]


def _check_counties(frame: pd.DataFrame, result: ReadResult) -> None:
    """A declared county that is unknown or disagrees with the position is a notice; the position wins."""
    declared = frame["county_declared"].to_numpy(str)
    codes = {text: geography.resolve_county(text) for text in set(declared) if text}
    for row in frame[declared != ""].itertuples(index=False):
        code = codes[row.county_declared]
        if code == row.adcode:
            continue
        declared = f"declared county {row.county_declared!r}"
        problem = "is not a Hunan county name" if code is None else "disagrees"
        result.notices.append(Notice(row.source, row.row, f"{declared} {problem}: the position is in "
                                     f"{row.county}, where the station is kept"))


def _derived_id(kind: str, name: str, lon: float, lat: float) -> str:
    """A stable id from the row's content, so reruns on the same file give the same ids."""
    digest = hashlib.sha1(f"{name}|{lon:.6f}|{lat:.6f}".encode()).hexdigest()
    return f"{_ID_PREFIX[kind]}{digest[:10]}"


def deduplicate(frame: pd.DataFrame, kind: str, result: ReadResult) -> pd.DataFrame:
    """Keep the first occurrence of each id; later ones are rejected, naming the first.

    A row without an id repeating another's name and position is a duplicate row, except in demand
    files, where two such rows are two groups of workers at one place: they get distinct ids instead.
    """
    derived = ~frame["id_given"].to_numpy(bool)
    if kind == "demand":
        occurrence = frame.groupby("id").cumcount().to_numpy()
        again = derived & (occurrence > 0)
        frame.loc[again, "id"] = frame["id"][again] + "-" + (occurrence[again] + 1).astype(str)
    duplicate = frame["id"].duplicated(keep="first").to_numpy()
    first = frame[~duplicate].set_index("id")
    for row, was_derived in zip(frame[duplicate].itertuples(index=False), derived[duplicate], strict=True):
        seen = first.loc[row.id]
        where = f"{seen['source']} row {seen['row']}"
        reason = (f"duplicate row (same name and position as {where})" if was_derived
                  else f"duplicate id (first at {where})")
        result.rejects.append(Reject(row.source, row.row, "" if was_derived else row.id, row.name,
                                     "id", "" if was_derived else row.id, reason))
    return frame[~duplicate].reset_index(drop=True)[list(POINT_COLUMNS)]


def reject_shared_ids(stations: ReadResult, offices: ReadResult) -> None:
    """Reject offices whose id a station already has: `#station=ID` links must name one place."""
    shared = offices.points["id"].isin(set(stations.points["id"])).to_numpy()
    first = stations.points.set_index("id")
    for row in offices.points[shared].itertuples(index=False):
        seen = first.loc[row.id]
        offices.rejects.append(Reject(row.source, row.row, row.id, row.name, "id", row.id,
                                      f"duplicate id (a station has it: {seen['source']} row {seen['row']})"))
    offices.points = offices.points[~shared].reset_index(drop=True)


def with_geometry(points: pd.DataFrame) -> gpd.GeoDataFrame:
    """The points as a GeoDataFrame whose geometry is their WGS-84 position (EPSG:4326)."""
    lon, lat = points["lon_wgs84"].to_numpy(float), points["lat_wgs84"].to_numpy(float)
    return gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
