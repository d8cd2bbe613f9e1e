"""Read station, office and demand files into validated points; every other row becomes a reject."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mapgen.errors import InputError
from mapgen.inputs.columns import aliases_of, match_headers, normalise_header
from mapgen.inputs.coords import CoordinateError, parse_coordinate
from mapgen.inputs.placing import deduplicate, place, reject_shared_ids, split_list, with_geometry
from mapgen.inputs.records import EXACT_WGS84, KINDS, POINT_COLUMNS, TEXT_FIELDS, Notice, ReadResult, Reject
from mapgen.inputs.tables import Table, load_table
from mapgen.inputs.template import EXAMPLE as TEMPLATE_EXAMPLE
from mapgen.settings import DATUMS

__all__ = ["KINDS", "POINT_COLUMNS", "Notice", "ReadResult", "Reject", "header_datum", "read_points",
           "reject_shared_ids", "split_list", "with_geometry"]

_REQUIRED = {"station": ("name", "lon", "lat"), "office": ("name", "lon", "lat"), "demand": ("lon", "lat")}
_SERIAL_HEADERS = ("序号",)
_DATUM_WORDS = {"wgs84": ("wgs84", "wgs", "gps"), "gcj02": ("gcj02", "gcj", "火星", "高德", "amap"),
                "bd09": ("bd09", "百度", "baidu")}
# RFC 7946: GeoJSON positions are WGS-84. Every other format defaults to Amap's GCJ-02.
_FORMAT_DATUM = {".geojson": "wgs84", ".json": "wgs84"}


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
        result.points = with_geometry(deduplicate(place(candidates, kind=kind, result=result), kind, result))
    order = {str(path): index for index, path in enumerate(paths)}
    result.rejects.sort(key=lambda r: (order[r.file], r.row))
    result.notices.sort(key=lambda n: (order[n.file], n.row))
    return result


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
                "kind_declared": "kind", **{key: key for key in EXACT_WGS84}}
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
