"""Load CSV, XLSX and GeoJSON files into rows of cells, numbered as Excel numbers them."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapgen.columns import match_headers
from mapgen.errors import InputError

# A header may sit below a title row or two ("某某县户外劳动者服务站点一览表").
_HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Table:
    """A file's header and data rows; `rows` pairs each row's Excel number with its cells."""

    path: Path
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[object]]]


def load_table(path: Path) -> Table:
    """Read a station, office or demand file of any supported format."""
    if not path.exists():
        msg = f"{path}: file not found"
        raise InputError(msg)
    if not path.is_file():
        msg = f"{path}: not a file"
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid = _xlsx_rows(path)
    elif suffix in (".geojson", ".json"):
        return _geojson_table(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        grid = _csv_rows(path)
    else:
        msg = f"{path}: unsupported file type {suffix or '(none)'}; use .csv, .xlsx or .geojson"
        raise InputError(msg)
    return _with_header(path, grid)


def decode_text(path: Path, data: bytes) -> str:
    """Decode strict UTF-8 (with or without BOM), else GB18030 (a superset of GBK); never guess silently."""
    encodings = ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    msg = f"{path}: not readable as UTF-8 or GB18030 (GBK) text; save it as CSV UTF-8 or as .xlsx"
    raise InputError(msg)


def _csv_rows(path: Path) -> list[list[object]]:
    text = decode_text(path, path.read_bytes())
    if "\x00" in text:
        msg = f"{path}: not a text table (it contains NUL bytes)"
        raise InputError(msg)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        msg = f"{path}: not a readable CSV table ({error})"
        raise InputError(msg) from error


def _xlsx_rows(path: Path) -> list[list[object]]:
    import openpyxl  # imported here: only XLSX input pays for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        msg = f"{path}: not a readable .xlsx workbook ({error})"
        raise InputError(msg) from error
    try:
        grids = [_sheet_rows(sheet) for sheet in book.worksheets]
        return next((grid for grid in grids if _find_header(grid) is not None), grids[0] if grids else [])
    finally:
        book.close()


def _sheet_rows(sheet: Any) -> list[list[object]]:
    """A sheet's cells; the stored dimension is ignored, since some generators write it wrong (A1)."""
    sheet.reset_dimensions()
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _find_header(grid: list[list[object]]) -> int | None:
    for index, row in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        found = match_headers(row)
        if "lon" in found and "lat" in found:
            return index
    return None


def _with_header(path: Path, grid: list[list[object]]) -> Table:
    index = _find_header(grid)
    if index is None:
        index = next((i for i, row in enumerate(grid) if any(_present(c) for c in row)), None)
        if index is None:
            msg = f"{path}: the file holds no table (it is empty)"
            raise InputError(msg)
    headers = [str(cell).strip() if cell is not None else "" for cell in grid[index]]
    rows = [(number + 1, row) for number, row in enumerate(grid) if number > index]
    return Table(path, headers, index + 1, rows)


def _present(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _geojson_table(path: Path) -> Table:
    try:
        document = json.loads(decode_text(path, path.read_bytes()))
    except json.JSONDecodeError as error:
        msg = f"{path}: not valid JSON ({error.msg} at line {error.lineno})"
        raise InputError(msg) from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        msg = f"{path}: not a GeoJSON FeatureCollection"
        raise InputError(msg)
    keys: list[str] = []
    for feature in features:
        for key in _properties(feature):
            if key not in keys:
                keys.append(key)
    headers = ["lon", "lat", *(k for k in keys if k.lower() not in ("lon", "lat"))]
    rows = [(number, _feature_cells(feature, headers)) for number, feature in enumerate(features, start=1)]
    return Table(path, headers, 0, rows)


def _feature_cells(feature: object, headers: list[str]) -> list[object]:
    """Cells of one feature: its point coordinates, then its properties (row = feature number)."""
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    point = geometry if isinstance(geometry, dict) and geometry.get("type") == "Point" else {}
    coords = point.get("coordinates")
    lon, lat = (coords[0], coords[1]) if isinstance(coords, list) and len(coords) >= 2 else (None, None)
    properties = _properties(feature)
    return [lon, lat, *(properties.get(key) for key in headers[2:])]


def _properties(feature: object) -> dict[str, object]:
    """A feature's properties, or none when the feature or its properties are not JSON objects."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    return properties if isinstance(properties, dict) else {}
