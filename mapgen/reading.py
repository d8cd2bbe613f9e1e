"""Read station, office and demand files into validated points; every other row becomes a reject."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from mapgen import datum, geography
from mapgen.columns import aliases_of, match_headers
from mapgen.coords import CoordinateError, parse_coordinate
from mapgen.errors import InputError
from mapgen.tables import Table, load_table

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
    """Accepted points, rejected rows, notices and counts, over all files of one kind."""

    points: pd.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    rows_read: int = 0


@dataclass
class _Row:
    """One parsed row on its way to acceptance."""

    file: str
    row: int
    id: str
    name: str
    lon: float
    lat: float
    lon_header: str
    lat_header: str
    texts: dict[str, str]
    facilities: tuple[str, ...]
    weight: float
    county: str


def read_points(paths: Sequence[Path], *, kind: str, crs: str) -> ReadResult:
    """Read files of one kind (`station`, `office` or `demand`) whose coordinates are in datum `crs`."""
    if kind not in KINDS:
        msg = f"`kind` was {kind!r} but is expected to be one of {KINDS}"
        raise ValueError(msg)
    result = ReadResult(points=_frame([]))
    parsed: list[_Row] = []
    for path in paths:
        table = load_table(path)
        columns = _columns(table, kind)
        for number, cells in table.rows:
            if not any(_text(cell) for cell in cells):
                continue
            result.rows_read += 1
            row = _parse_row(table, columns, number, cells, kind, result)
            if row is not None:
                parsed.append(row)
    accepted = _place(parsed, kind=kind, crs=crs, result=result)
    result.points = _frame(_deduplicate(accepted, kind, result))
    order = {str(path): index for index, path in enumerate(paths)}
    result.rejects.sort(key=lambda r: (order[r.file], r.row))
    result.notices.sort(key=lambda n: (order[n.file], n.row))
    return result


def _columns(table: Table, kind: str) -> dict[str, int]:
    columns = match_headers(list(table.headers))
    missing = [key for key in _REQUIRED[kind] if key not in columns]
    if missing:
        accepted = "; ".join(f"{key}: {aliases_of(key)}" for key in missing)
        msg = f"{table.path}: no {' or '.join(missing)} column (accepted headers: {accepted})"
        raise InputError(msg)
    return columns


def _text(cell: object) -> str:
    """Cell text; Excel's integral numbers (ids, phone numbers) lose their '.0'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _cell(cells: list[object], columns: dict[str, int], key: str) -> object:
    index = columns.get(key)
    return cells[index] if index is not None and index < len(cells) else None


def _parse_row(
    table: Table, columns: dict[str, int], number: int, cells: list[object], kind: str, result: ReadResult
) -> _Row | None:
    """Parse one row, or record why it is rejected and return None."""
    text = {key: _text(_cell(cells, columns, key)) for key in columns}
    file, ident, name = str(table.path), text.get("id", ""), text.get("name", "")

    def reject(key: str, value: str, reason: str) -> None:
        header = table.headers[columns[key]] if key in columns else key
        result.rejects.append(Reject(file, number, ident, name, header, value, reason))

    if kind != "demand" and not name:
        reject("name", "", "missing name")
        return None
    position = []
    for key in ("lon", "lat"):
        raw = _cell(cells, columns, key)
        if not _text(raw):
            reject(key, "", "missing coordinate")
            return None
        try:
            position.append(parse_coordinate(raw))
        except CoordinateError as error:
            reject(key, _text(raw), f"unparseable coordinate: {error}")
            return None
    weight = _weight(text.get("weight", ""))
    if weight is None:
        reject("weight", text.get("weight", ""), "weight is not a number of workers >= 0")
        return None
    return _Row(
        file, number, ident, name, position[0], position[1],
        table.headers[columns["lon"]], table.headers[columns["lat"]],
        {key: text.get(key, "") for key in TEXT_FIELDS}, split_list(text.get("facilities", "")),
        weight, text.get("county", ""),
    )


def _weight(text: str) -> float | None:
    if not text:
        return 1.0
    try:
        value = parse_coordinate(text)
    except CoordinateError:
        return None
    return value if value >= 0 else None


def split_list(text: str) -> tuple[str, ...]:
    """Split a facilities cell on ；;、,| and keep each item once, in order."""
    items = (item.strip() for item in _LIST_SEPARATORS.split(text))
    return tuple(dict.fromkeys(item for item in items if item))


def _in_box(lon: float, lat: float) -> bool:
    west, east, south, north = _HUNAN_BOX
    return west <= lon <= east and south <= lat <= north


def _unswap(row: _Row, result: ReadResult) -> bool:
    """Fix latitude and longitude given the wrong way round; False when the position is out of range."""
    if not _in_box(row.lon, row.lat) and _in_box(row.lat, row.lon):
        result.notices.append(Notice(row.file, row.row, f"{row.lon_header} and {row.lat_header} were "
                                     f"swapped ({row.lon}, {row.lat}); used lon {row.lat}, lat {row.lon}"))
        row.lon, row.lat = row.lat, row.lon
    if -180.0 <= row.lon <= 180.0 and -90.0 <= row.lat <= 90.0:
        return True
    key, value = ("lon", row.lon) if not -180.0 <= row.lon <= 180.0 else ("lat", row.lat)
    header = row.lon_header if key == "lon" else row.lat_header
    limit = "180" if key == "lon" else "90"
    result.rejects.append(Reject(row.file, row.row, row.id, row.name, header, _fmt(value),
                                 f"{'longitude' if key == 'lon' else 'latitude'} out of range (±{limit})"))
    return False


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _place(rows: list[_Row], *, kind: str, crs: str, result: ReadResult) -> list[dict[str, object]]:
    """Convert datums, join counties and reject points outside Hunan."""
    rows = [row for row in rows if _unswap(row, result)]
    if not rows:
        return []
    lon = np.array([row.lon for row in rows])
    lat = np.array([row.lat for row in rows])
    lon_gcj, lat_gcj = datum.convert(lon, lat, crs, "gcj02")
    lon_wgs, lat_wgs = datum.convert(lon, lat, crs, "wgs84")
    where = geography.locate(lon_gcj, lat_gcj)
    places = [{"adcode": a, "county": c, "prefecture": p} for a, c, p in
              where[["adcode", "county", "prefecture"]].astype(str).itertuples(index=False)]
    outside_km = where["outside_km"].to_numpy(float)
    accepted = []
    for i, row in enumerate(rows):
        outside = float(outside_km[i])
        if outside > BORDER_TOLERANCE_KM:
            result.rejects.append(Reject(row.file, row.row, row.id, row.name, f"{row.lon_header},{row.lat_header}",
                                         f"{_fmt(row.lon)},{_fmt(row.lat)}",
                                         f"outside Hunan: {outside:.1f} km beyond the provincial border"))
            continue
        place = places[i]
        _check_county(row, place["county"], result)
        accepted.append(_record(row, kind, place, (lon_gcj[i], lat_gcj[i], lon_wgs[i], lat_wgs[i])))
    return accepted


def _check_county(row: _Row, county: str, result: ReadResult) -> None:
    declared = row.county
    if declared and not county.startswith(re.sub(r"(自治县|市|区|县)$", "", declared)):
        result.notices.append(Notice(row.file, row.row, f"declared county {declared!r} but the position "
                                     f"is in {county}; kept at its position"))


def _record(row: _Row, kind: str, place: dict[str, str], position: tuple[float, ...]) -> dict[str, object]:
    ident = row.id or _derived_id(kind, row)
    return {
        "kind": kind, "id": ident, "name": row.name, **row.texts, "facilities": row.facilities,
        "weight": row.weight, **place,
        "lon_gcj02": position[0], "lat_gcj02": position[1], "lon_wgs84": position[2], "lat_wgs84": position[3],
        "source": row.file, "row": row.row,
    }


def _derived_id(kind: str, row: _Row) -> str:
    """A stable id from the row's content, so reruns on the same file give the same ids."""
    digest = hashlib.sha1(f"{row.name}|{row.lon:.6f}|{row.lat:.6f}".encode()).hexdigest()
    return f"{_ID_PREFIX[kind]}{digest[:10]}"


def _deduplicate(records: list[dict[str, object]], kind: str, result: ReadResult) -> list[dict[str, object]]:
    """Keep the first occurrence of each id; later ones are rejected, naming the first."""
    first: dict[str, dict[str, object]] = {}
    kept = []
    for record in records:
        ident = str(record["id"])
        seen = first.get(ident)
        if seen is None:
            first[ident] = record
            kept.append(record)
            continue
        result.rejects.append(Reject(str(record["source"]), int(str(record["row"])), ident, str(record["name"]),
                                     "id", ident, f"duplicate id (first at {seen['source']} row {seen['row']})"))
    return kept


def _frame(records: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=list(POINT_COLUMNS))
