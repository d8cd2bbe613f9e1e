"""Load CSV, XLSX and GeoJSON files into rows of cells, numbered as Excel numbers them."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapgen.errors import InputError
from mapgen.inputs.columns import match_headers

# A header may sit below a title row or two ("某某县户外劳动者服务站点一览表").
_HEADER_SEARCH_ROWS = 10
# Python's csv module refuses a field over 128 KiB, but a cell is data (a pasted note, a long list) and
# can only be as large as the file, which is already in memory; 64 MiB keeps the module's sanity limit.
csv.field_size_limit(64 * 1024 * 1024)
# Byte-order marks, UTF-32's before UTF-16's (FF FE starts both); UTF-16 is what Excel's "Unicode text" writes.
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"), (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
         (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"), (b"\xff\xfe", "utf-16", "UTF-16"),
         (b"\xfe\xff", "utf-16", "UTF-16"))
# Files people give instead of a table, recognised by their first bytes, for a message that says what they are.
_SIGNATURES = ((b"PK\x03\x04", "a ZIP archive (if it is an Excel workbook, name it .xlsx)"),
               (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook or another Office file (save it as .xlsx)"),
               (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"))
# GB18030 decodes almost any byte string, so a Big5 (Taiwan, Hong Kong) or Shift-JIS (Japan) file reads
# "successfully" as GBK, as mojibake. Their byte pairs land mostly outside GB2312 (in GBK's extension and
# user-defined areas, or on GB2312's kana, Greek and Cyrillic rows), where real mainland text rarely goes.
# Share of such letters among all non-ASCII letters, measured on synthetic station lists built from cpca's
# 3,500 place names, each row with an address, a dash-separated phone and hours, and a contact with a rare
# given name (堃, 喆, 旸...) in half the rows: one-row files 0.10 at most (0.06 at the 99th percentile),
# 20-row files 0.04 at most. Big5 station and address texts read as GBK: one-row files 0.67 (median; the
# lowest, 彰化縣鹿港鎮, 0.17), two rows or more 0.29 at least. Shift-JIS texts: 1.0. The threshold sits between.
_UNLIKELY_SHARE = 0.2
# ... and at least three of them, so that one rare place name in a one-row file (硚口区: 1 of 3) passes.
_UNLIKELY_MIN = 3
# EUC-KR Hangul pairs decode as GB2312's common hanzi, so Korean is recognised the other way round: it also
# decodes as CP949 into Hangul syllables only. Chinese text can do that by chance: of 140,000 random lists of
# 2-8 cpca place names, 7 did with 10 syllables or more, 1 with 15, none with 20; so shorter Korean passes.
_KOREAN_MIN_HANGUL, _KOREAN_SHARE = 20, 0.95
# How much text the plausibility checks look at: enough for a clear majority, cheap for a large file.
_SAMPLE_CHARS = 200_000
_NOT_TEXT = re.compile(r"[\x00-\x7f\s]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# A facilities list in GeoJSON (as mapgen's own stations.geojson writes it) becomes the cell text
# `reading.split_list` splits again.
_LIST_JOIN = "、"


@dataclass(frozen=True)
class Table:
    """A file's header and data rows; `rows` pairs each row's Excel number with its cells."""

    path: Path
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[object]]]


def load_table(path: Path) -> Table:
    """Read a station, office or demand file of any supported format; any failure is an InputError."""
    try:
        return _load_table(path)
    except OSError as error:
        msg = f"{path}: cannot read the file ({error.strerror or error})"
        raise InputError(msg) from error
    except RecursionError as error:
        msg = f"{path}: not a usable table (its data is nested too deeply)"
        raise InputError(msg) from error
    except MemoryError as error:
        msg = f"{path}: too large to read into memory"
        raise InputError(msg) from error


def _load_table(path: Path) -> Table:
    if not path.exists():
        msg = f"{path}: file not found"
        raise InputError(msg)
    if not path.is_file():
        msg = f"{path}: not a file ({'a directory' if path.is_dir() else 'a device or other special file'})"
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".geojson", ".json", ".csv", ".txt", ".tsv"):
        msg = f"{path}: unsupported file type {suffix or '(none)'}; use .csv, .xlsx or .geojson"
        raise InputError(msg)
    data = path.read_bytes()
    if not data:
        msg = f"{path}: the file is empty (0 bytes)"
        raise InputError(msg)
    if suffix in (".xlsx", ".xlsm"):
        return _with_header(path, _xlsx_rows(path, data))
    _refuse_binary(path, data)
    if suffix in (".geojson", ".json"):
        return _geojson_table(path, data)
    return _with_header(path, _csv_rows(path, data))


def _refuse_binary(path: Path, data: bytes) -> None:
    """Name the kind of a binary file given where text is expected."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            msg = f"{path}: not a text file: it is {what}"
            raise InputError(msg)


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8/16/32 with a BOM, strict UTF-8, else GB18030 (a superset of GBK) when it reads as Chinese."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                msg = f"{path}: has a {name} byte-order mark but is not {name} text ({error.reason}); save it again"
                raise InputError(msg) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        msg = f"{path}: not readable as UTF-8 or GB18030 (GBK) text; save it as CSV UTF-8 or as .xlsx"
        raise InputError(msg) from error
    _check_chinese(path, text, data)
    return text


def _check_chinese(path: Path, text: str, data: bytes) -> None:
    """Refuse GB18030 text that is mojibake of another encoding rather than Simplified Chinese."""
    if _looks_korean(data[: _SAMPLE_CHARS * 2]):
        guess = "Korean (EUC-KR)"
    else:
        unlikely, counted = _unlikely_chinese(text[:_SAMPLE_CHARS])
        if unlikely < _UNLIKELY_MIN or unlikely <= _UNLIKELY_SHARE * counted:
            return
        guess = f"Big5, Shift-JIS or another encoding: {unlikely} of {counted} characters would be rare or not Chinese"
    msg = f"{path}: not readable as UTF-8 or GBK Chinese text (it looks like {guess}); save it as CSV UTF-8 or as .xlsx"
    raise InputError(msg)


def _unlikely_chinese(text: str) -> tuple[int, int]:
    """How many of the text's non-ASCII letters are unlikely in Simplified Chinese, and how many there are.

    Only letters (hanzi, kana, Greek...) and private-use characters count: a dash or a bullet from outside
    GB2312 is common in real files and says nothing about the encoding.
    """
    counts = Counter(_NOT_TEXT.sub("", text))
    letters = {char: n for char, n in counts.items() if unicodedata.category(char)[0] == "L"
               or unicodedata.category(char) == "Co"}
    return sum(n for char, n in letters.items() if _unlikely(char)), sum(letters.values())


def _unlikely(char: str) -> bool:
    """Outside GB2312, or in its rows 4-8 (kana, Greek, Cyrillic, pinyin letters)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return 0xA4 <= encoded[0] <= 0xA8


def _looks_korean(data: bytes) -> bool:
    """Whether bytes read as CP949 (Korean Windows) are Hangul through and through."""
    try:  # incremental: a sample may end inside a character
        korean = _NOT_TEXT.sub("", codecs.getincrementaldecoder("cp949")().decode(data, final=False))
    except UnicodeDecodeError:
        return False
    hangul = sum(1 for char in korean if "\uac00" <= char <= "\ud7a3")
    return hangul >= _KOREAN_MIN_HANGUL and hangul >= _KOREAN_SHARE * len(korean)


def _csv_rows(path: Path, data: bytes) -> list[list[object]]:
    text = decode_text(path, data)
    if "\x00" in text:
        msg = f"{path}: not a text table (it contains NUL bytes); save it as CSV UTF-8 or as .xlsx"
        raise InputError(msg)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        msg = f"{path}: not a readable CSV table ({error})"
        raise InputError(msg) from error


def _xlsx_rows(path: Path, data: bytes) -> list[list[object]]:
    import openpyxl  # imported here: only XLSX input pays for it

    try:
        # openpyxl warns about styles and extensions it skips, which do not touch cell values.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                grids = [_sheet_rows(sheet) for sheet in book.worksheets]
            finally:
                book.close()
    except Exception as error:  # a damaged workbook fails anywhere in zipfile, XML or openpyxl, in many ways
        msg = f"{path}: not a readable .xlsx workbook ({type(error).__name__}: {error})"
        raise InputError(msg) from error
    return next((grid for grid in grids if _find_header(grid) is not None), grids[0] if grids else [])


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


def _geojson_table(path: Path, data: bytes) -> Table:
    document = _parse_json(path, decode_text(path, data))
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        what = "an object without a features list" if isinstance(document, dict) else f"a JSON {_kind(document)}"
        msg = f"{path}: not a GeoJSON FeatureCollection (it is {what})"
        raise InputError(msg)
    properties = [_properties(feature) for feature in features]
    keys = list(dict.fromkeys(key for props in properties for key in props))
    headers = ["lon", "lat", *(k for k in keys if k.lower() not in ("lon", "lat"))]
    facilities = match_headers(list(headers)).get("facilities")
    rows = [(number, _feature_cells(feature, props, headers, facilities))
            for number, (feature, props) in enumerate(zip(features, properties, strict=True), start=1)]
    return Table(path, headers, 0, rows)


def _parse_json(path: Path, text: str) -> object:
    """The JSON document; a syntax error names its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        raise InputError(msg) from error
    except RecursionError as error:
        msg = f"{path}: not usable JSON (nested too deeply)"
        raise InputError(msg) from error
    except ValueError as error:  # e.g. an integer of over 4,300 digits, which Python refuses to convert
        msg = f"{path}: not usable JSON ({error})"
        raise InputError(msg) from error


def _kind(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    names = {str: "string", bool: "boolean", int: "number", float: "number", list: "list", type(None): "null"}
    return names.get(type(value), "value")


def _feature_cells(feature: object, properties: dict[str, object], headers: list[str],
                   facilities: int | None) -> list[object]:
    """Cells of one feature: its point coordinates, then its properties (row = feature number)."""
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    point = geometry if isinstance(geometry, dict) and geometry.get("type") == "Point" else {}
    coords = point.get("coordinates")
    lon, lat = (coords[0], coords[1]) if isinstance(coords, list) and len(coords) >= 2 else (None, None)
    values = [properties.get(key) for key in headers[2:]]
    return [_cell(value, as_list=index == facilities) for index, value in enumerate([lon, lat, *values])]


def _properties(feature: object) -> dict[str, object]:
    """A feature's properties, or none when the feature or its properties are not JSON objects."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    return {_clean(key): value for key, value in properties.items()} if isinstance(properties, dict) else {}


def _cell(value: object, *, as_list: bool) -> object:
    """A JSON value as a cell: a scalar as it is; a list or object as its compact JSON text, kept and visible.

    In the facilities column a list is the natural value: its items, joined as `reading.split_list` splits them.
    """
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list) and as_list:
        items = (_clean(item) if isinstance(item, str) else _json_text(item) for item in value if item is not None)
        return _LIST_JOIN.join(item for item in items if item.strip())
    if isinstance(value, (list, dict)):
        return _json_text(value)
    return value


def _json_text(value: object) -> str:
    """Compact JSON text, with Chinese characters as they are."""
    return _clean(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _clean(text: str) -> str:
    """Replace lone surrogates (a JSON escape may stand alone), which no output file can encode, with U+FFFD."""
    return _SURROGATES.sub("\ufffd", text)
