"""Read station, office and demand files into validated points; every other row becomes a reject."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mapgen.errors import InputError
from mapgen.geo import datum, geography
from mapgen.inputs.columns import aliases_of, match_headers, normalise_header
from mapgen.inputs.coords import CoordinateError, parse_coordinate
from mapgen.inputs.tables import Table, load_table
from mapgen.inputs.template import EXAMPLE as TEMPLATE_EXAMPLE
from mapgen.settings import DATUMS

KINDS = ("station", "office", "demand")
TEXT_FIELDS = ("type", "address", "hours", "phone", "note")
POINT_COLUMNS = (
    "kind", "id", "name", *TEXT_FIELDS, "facilities", "weight", "adcode", "county", "prefecture",
    "lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84", "source", "row",
)
_REQUIRED = {"station": ("name", "lon", "lat"), "office": ("name", "lon", "lat"), "demand": ("lon", "lat")}
_ID_PREFIX = {"station": "S", "office": "O", "demand": "D"}
_LIST_SEPARATORS = re.compile(r"[；;、,，|｜/]+")
# Generous box around Hunan (108.8-114.3 E, 24.6-30.1 N) for telling swapped columns apart.
_HUNAN_BOX = (108.0, 115.5, 24.0, 31.0)
_SERIAL_HEADERS = ("序号",)
_DATUM_WORDS = {"wgs84": ("wgs84", "wgs", "gps"), "gcj02": ("gcj02", "gcj", "火星", "高德", "amap"),
                "bd09": ("bd09", "百度", "baidu")}
# RFC 7946: GeoJSON positions are WGS-84. Every other format defaults to Amap's GCJ-02.
_FORMAT_DATUM = {".geojson": "wgs84", ".json": "wgs84"}
_EXACT_WGS84 = ("exact_lon_wgs84", "exact_lat_wgs84")
_EXACT_AGREEMENT_DEG = 1e-6  # about 0.1 m: the geometry and lon_gcj02/lat_gcj02 describe one position
_KIND_WORDS = {"station": "station", "站点": "station", "驿站": "station", "office": "office", "工会": "office"}
# Points this close outside the bundled (simplified) border are accepted and given the nearest county.
BORDER_TOLERANCE_KM = 0.3


@dataclass(frozen=True)
class Reject:
    """A row that was not used, with the column and value at fault and why."""

    file: str
    row: int
    id: str
    name: str
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Notice:
    """A row that was used but deserves a look (columns swapped, county disagrees)."""

    file: str
    row: int
    message: str


@dataclass
class ReadResult:
    """Accepted points (WGS-84 point geometry), rejected rows, notices and counts, over all files of one kind."""

    points: gpd.GeoDataFrame
    rejects: list[Reject] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    rows_read: int = 0
    datums: dict[str, str] = field(default_factory=dict)  # file -> the datum its coordinates were read in


def read_points(paths: Sequence[Path], *, kind: str, crs: str | None = None) -> ReadResult:
    """Read files of one kind (`station`, `office` or `demand`).

    Each file is read in its own datum: the one its coordinate headers name (经度（WGS-84）), else `crs`,
    else its format's (GeoJSON: WGS-84 by RFC 7946; CSV and XLSX: GCJ-02, as Amap gives).
    """
    if kind not in KINDS:
        msg = f"`kind` was {kind!r} but is expected to be one of {KINDS}"
        raise ValueError(msg)
    if crs is not None and crs not in DATUMS:
        msg = f"`crs` was {crs!r} but is expected to be one of {DATUMS} or None"
        raise ValueError(msg)
    result = ReadResult(points=with_geometry(pd.DataFrame(columns=list(POINT_COLUMNS))))
    parsed = [_parse_table(load_table(path), kind, crs, result) for path in paths]
    candidates = pd.concat(parsed, ignore_index=True) if parsed else pd.DataFrame()
    if len(candidates):
        result.points = with_geometry(_deduplicate(_place(candidates, kind=kind, result=result), kind, result))
    order = {str(path): index for index, path in enumerate(paths)}
    result.rejects.sort(key=lambda r: (order[r.file], r.row))
    result.notices.sort(key=lambda n: (order[n.file], n.row))
    return result


def with_geometry(points: pd.DataFrame) -> gpd.GeoDataFrame:
    """The points as a GeoDataFrame whose geometry is their WGS-84 position (EPSG:4326)."""
    lon, lat = points["lon_wgs84"].to_numpy(float), points["lat_wgs84"].to_numpy(float)
    return gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def _columns(table: Table, kind: str, crs: str | None) -> tuple[dict[str, int], str]:
    """The table's known columns and the datum of its coordinates."""
    columns = match_headers(list(table.headers))
    own = _own_output_columns(table)
    if own:
        return {**columns, **own}, "gcj02"
    missing = [key for key in _REQUIRED[kind] if key not in columns]
    if missing:
        accepted = "; ".join(f"{key}: {aliases_of(key)}" for key in missing)
        msg = f"{table.path}: no {' or '.join(missing)} column (accepted headers: {accepted})"
        raise InputError(msg)
    named = {key: header_datum(table.headers[columns[key]]) for key in ("lon", "lat")}
    for key, header_crs in named.items():
        if header_crs is not None and crs is not None and header_crs != crs:
            # Reading such a file in the wrong datum would move every station by 500-700 m.
            header = table.headers[columns[key]]
            msg = (f"{table.path}: column {header!r} says its coordinates are {header_crs} but the build reads "
                   f"them as {crs}; pass --crs {header_crs} (or rename the column if it is mislabelled)")
            raise InputError(msg)
    if named["lon"] is not None and named["lat"] is not None and named["lon"] != named["lat"]:
        msg = f"{table.path}: the longitude and latitude columns name different datums ({named['lon']}, {named['lat']})"
        raise InputError(msg)
    return columns, named["lon"] or named["lat"] or crs or _FORMAT_DATUM.get(table.path.suffix.lower(), "gcj02")


def _own_output_columns(table: Table) -> dict[str, int]:
    """Columns of mapgen's own GeoJSON (stations.geojson), which carries exact GCJ-02 positions: read those back."""
    if table.path.suffix.lower() not in _FORMAT_DATUM or not {"lon_gcj02", "lat_gcj02"} <= set(table.headers):
        return {}
    return {"lon": table.headers.index("lon_gcj02"), "lat": table.headers.index("lat_gcj02"),
            "exact_lon_wgs84": table.headers.index("lon"), "exact_lat_wgs84": table.headers.index("lat")}


def header_datum(header: str) -> str | None:
    """The datum a coordinate header names, as in 经度（WGS-84） or lng_bd09, if any."""
    folded = re.sub(r"[\s_\-.]", "", unicodedata.normalize("NFKC", header)).lower()
    for name, tokens in _DATUM_WORDS.items():
        if any(token in folded for token in tokens):
            return name
    return None


def _text(cell: object) -> str:
    """Cell text; Excel's integral numbers (ids, phone numbers) lose their '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _texts(cells: list[object]) -> list[str]:
    """`_text` of many cells, computed once per distinct value: spreadsheet columns repeat a lot."""
    if all(type(cell) is str for cell in cells):  # a CSV column: only text to trim
        return [cell.strip() for cell in cast("list[str]", cells)]
    cache: dict[object, str] = {}
    out = []
    for cell in cells:
        key = (type(cell), cell)
        try:
            text = cache.get(key)
        except TypeError:  # an unhashable cell (a list, a dict) is converted, not cached
            text = _text(cell)
        if text is None:
            text = cache[key] = _text(cell)
        out.append(text)
    return out


class _Rejecter:
    """Records rejects for the rows of one table, naming the header of the faulty column."""

    def __init__(self, table: Table, columns: dict[str, int], frame: pd.DataFrame, result: ReadResult) -> None:
        self.table, self.columns, self.frame, self.result = table, columns, frame, result

    def __call__(self, mask: NDArray[np.bool_], key: str, reason: str | NDArray[np.str_]) -> None:
        header = self.table.headers[self.columns[key]] if key in self.columns else key
        reasons = np.broadcast_to(np.asarray(reason, dtype=object), mask.shape)[mask]
        for row, why in zip(self.frame[mask].itertuples(index=False), reasons, strict=True):
            value = getattr(row, key) if key in self.frame else ""
            self.result.rejects.append(Reject(str(self.table.path), row.row, row.id, row.name, header, value, why))


def _parse_table(table: Table, kind: str, crs: str | None, result: ReadResult) -> pd.DataFrame:
    """Parse a table's non-blank rows column by column; reject rows with no name or no readable position."""
    columns, file_datum = _columns(table, kind, crs)
    result.datums[str(table.path)] = file_datum
    width = max([len(table.headers), *(len(cells) for _, cells in table.rows)])
    grid = [cells + [None] * (width - len(cells)) for _, cells in table.rows]
    texts = {key: _texts([cells[index] for cells in grid]) for key, index in columns.items()}
    blank = np.array([not any(cell is not None and str(cell).strip() for cell in cells) for cells in grid],
                     dtype=bool)
    optional = {"facilities_text": "facilities", "county_declared": "county", "weight_text": "weight",
                "kind_declared": "kind", **{key: key for key in _EXACT_WGS84}}
    frame = pd.DataFrame({"row": [number for number, _ in table.rows],
                          **{key: texts.get(key, [""] * len(grid)) for key in ("id", "name", *TEXT_FIELDS)},
                          **{name: texts.get(key, [""] * len(grid)) for name, key in optional.items()},
                          "lon_text": texts["lon"], "lat_text": texts["lat"]})[~blank].reset_index(drop=True)
    result.rows_read += len(frame)
    reject = _Rejecter(table, columns, frame.rename(columns={"lon_text": "lon", "lat_text": "lat",
                                                             "weight_text": "weight"}), result)
    bad = np.zeros(len(frame), dtype=bool)
    if kind != "demand":
        bad = _flag(bad, frame["name"].to_numpy(str) == "", reject, "name", "missing name")
        bad = _flag(bad, frame["name"].to_numpy(str) == TEMPLATE_EXAMPLE["name"], reject, "name",
                    "the template's example row: delete it and list real stations")
    for key in ("lon", "lat"):
        values, errors = _coordinates(frame[f"{key}_text"])
        bad = _flag(bad, frame[f"{key}_text"].to_numpy(str) == "", reject, key, "missing coordinate")
        bad = _flag(bad, errors != "", reject, key, errors)
        frame[key] = values
    frame["weight"] = _weights(frame["weight_text"])
    bad = _flag(bad, np.isnan(frame["weight"].to_numpy(float)), reject, "weight",
                "weight is not a finite number of workers >= 0")
    frame = frame[~bad].reset_index(drop=True)
    frame["id_given"] = frame["id"] != ""
    serial = "id" in columns and normalise_header(table.headers[columns["id"]]) in _SERIAL_HEADERS
    if serial and frame["id_given"].any():
        # A serial number restarts at 1 in every county's list: it identifies a row only within its file.
        frame.loc[frame["id_given"], "id"] = table.path.stem + "-" + frame["id"][frame["id_given"]]
    frame["source"], frame["datum"] = str(table.path), file_datum
    frame["lon_header"], frame["lat_header"] = table.headers[columns["lon"]], table.headers[columns["lat"]]
    return frame


def _flag(bad: NDArray[np.bool_], mask: NDArray[np.bool_], reject: _Rejecter, key: str,
          reason: str | NDArray[np.str_]) -> NDArray[np.bool_]:
    """Reject rows newly failing `mask` (the first fault of a row is the one reported)."""
    new = mask & ~bad
    if new.any():
        reject(new, key, reason)
    return bad | new


def _coordinates(texts: pd.Series) -> tuple[NDArray[np.float64], NDArray[np.str_]]:
    """Degrees and parse errors ('' when fine) of coordinate texts; plain decimals take a vectorised path."""
    values = pd.to_numeric(texts, errors="coerce").to_numpy(float, copy=True)
    errors = np.full(len(texts), "", dtype=object)
    slow = np.flatnonzero(~np.isfinite(values) & (texts.to_numpy(str) != ""))
    for index in slow:
        try:
            values[index] = parse_coordinate(texts.iat[index])
        except CoordinateError as error:
            values[index], errors[index] = np.nan, f"unparseable coordinate: {error}"
    return values, errors.astype(str)


def _weights(texts: pd.Series) -> pd.Series:
    """Workers at each demand point: blank means 1; NaN marks what is not a number >= 0."""
    values = pd.to_numeric(texts, errors="coerce").to_numpy(float, copy=True)
    slow = np.flatnonzero(np.isnan(values) & (texts.to_numpy(str) != ""))
    cache = {text: _count(text) for text in set(texts.iloc[slow])}
    values[slow] = [cache[texts.iat[i]] for i in slow]
    values = np.where(texts.to_numpy(str) == "", 1.0, values)
    return pd.Series(np.where((values >= 0) & np.isfinite(values), values, np.nan), index=texts.index)


def _count(text: str) -> float:
    """A head count as people write it: '１２', '1,200', '30人'; NaN when it is none."""
    folded = re.sub(r"(?<=\d),(?=\d{3}\b)", "", unicodedata.normalize("NFKC", text)).strip()
    folded = re.sub(r"(人|名|个)$", "", folded).strip()  # not \s*(...)$: quadratic on long runs of spaces
    try:
        return float(folded)
    except ValueError:
        return float("nan")


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


def _place(frame: pd.DataFrame, *, kind: str, result: ReadResult) -> pd.DataFrame:
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
    lon, lat = (pd.to_numeric(frame[key], errors="coerce").to_numpy(float) for key in _EXACT_WGS84)
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


def _deduplicate(frame: pd.DataFrame, kind: str, result: ReadResult) -> pd.DataFrame:
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
