"""Property-based fuzzing of the readers and the CLI: random bytes, CSV, XLSX and GeoJSON never give a traceback.

For every generated file, `mapgen validate` exits 0, 1 or 2 and `mapgen build` 0 or 2, stderr never holds a
traceback and an unusable file is one line; for every file that is read, each non-blank row (counted here from
the rows generated, not from mapgen's reading) is either accepted or rejected, exactly once.
"""

import csv
import io
import json
import math
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mapgen.cli import main
from mapgen.errors import InputError
from mapgen.inputs.coords import CoordinateError, parse_coordinate
from mapgen.inputs.reading import read_points

MILUO = (113.067251, 28.806881)
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])
BUILD = settings(FUZZ, max_examples=10)
HEADERS = ("name", "站点名称", "lon", "经度", "lat", "纬度", "id", "编号", "序号", "地址", "facilities", "服务设施",
           "电话", "county", "备注", "人数", "经度（WGS-84）", "unknown", "")
CHINESE = "汨罗长沙芙蓉区驿站环卫工会爱心路号镇县市饮水微波炉卫生间堃喆旸臺灣東京"
SEPARATORS = ",;\t|、；，\"'\r\n "


def _number_text(value: float) -> str:
    return repr(value)


# Coordinate-like cells: positions in Hunan (so that some rows are accepted), anywhere, DMS, NaN and friends.
coordinates = st.one_of(
    st.floats(108.8, 114.3).map(lambda v: f"{v:.6f}"),
    st.floats(24.6, 30.1).map(lambda v: f"{v:.6f}"),
    st.floats(allow_nan=True, allow_infinity=True).map(_number_text),
    st.integers(-10**30, 10**30).map(str),
    st.builds(lambda d, m, s, h: f"{d}°{m}′{s}″{h}", st.integers(0, 200), st.integers(0, 70), st.integers(0, 70),
              st.sampled_from(["", "E", "N", "S", "W"])),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "１１３．０５", "113度4分12秒", "N28°48.5′"]),
)
cells = st.one_of(
    st.just(""),
    st.sampled_from([" ", "\t", "\u3000", " \r\n "]),
    coordinates,
    st.text(alphabet=CHINESE + SEPARATORS + "0123456789.-°′″", max_size=20),
    st.text(max_size=12),
)


# A cell for a column, by the field its header names: mostly the kind of value the column holds (a position
# near 汨罗 for lon and lat, so that many rows are accepted), sometimes anything at all.
def weighted(*choices):
    """One of the strategies, each as often as it is listed (st.one_of counts a repeated one once)."""
    return st.integers(0, len(choices) - 1).flatmap(lambda index: choices[index])


NAMES = st.text(alphabet=CHINESE, min_size=1, max_size=8)
NEAR_LON, NEAR_LAT = st.floats(MILUO[0] - 0.3, MILUO[0] + 0.3), st.floats(MILUO[1] - 0.3, MILUO[1] + 0.3)
FIELD_CELLS = {
    "name": weighted(NAMES, NAMES, cells),
    "lon": weighted(*[NEAR_LON.map(lambda v: f"{v:.6f}")] * 3, coordinates, cells),
    "lat": weighted(*[NEAR_LAT.map(lambda v: f"{v:.6f}")] * 3, coordinates, cells),
}
FIELD_CELLS_NEAR = (NEAR_LON.map(lambda v: f"{v:.6f}"), NEAR_LAT.map(lambda v: f"{v:.6f}"))
FIELDS = {"name": "name", "站点名称": "name", "lon": "lon", "经度": "lon", "lat": "lat", "纬度": "lat"}


@st.composite
def csv_tables(draw):
    """A header naming name, lon and lat among others, then rows of cells: station-like, or random of any length."""
    extra = draw(st.lists(st.sampled_from(HEADERS), max_size=4))
    header = draw(st.permutations([draw(st.sampled_from(["name", "站点名称"])), draw(st.sampled_from(["lon", "经度"])),
                                   draw(st.sampled_from(["lat", "纬度"])), *extra]))
    station_row = st.tuples(*(FIELD_CELLS.get(FIELDS.get(h, ""), cells) for h in header)).map(list)
    rows = draw(st.lists(weighted(station_row, station_row, st.lists(cells, max_size=len(header) + 2)), max_size=12))
    return header, rows


def non_blank(rows):
    """Rows with at least one cell holding something other than whitespace."""
    return sum(1 for row in rows if any(str(cell).strip() for cell in row))


def csv_bytes(header, rows, delimiter, encoding):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    text = out.getvalue()
    if encoding == "gbk":
        try:
            data = text.encode("gbk")
        except UnicodeEncodeError:
            return text.encode("utf-8")
        # GBK bytes that also read as UTF-8 would be read as UTF-8, a different text: keep to what mapgen reads.
        return data if data.isascii() or not _is_utf8(data) else text.encode("utf-8")
    return text.encode(encoding)


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def run(capsys, argv, allowed):
    """Run the CLI in-process; the exit code is allowed, nothing escapes, an unusable input is one line."""
    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    _, err = capsys.readouterr()
    event(f"{argv[0]} exit {code}")
    assert code in allowed
    assert "Traceback" not in err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mapgen: error: "), err
    return code


def check_rows(path, expected):
    """Every non-blank row is accepted or rejected, once, whenever the file is readable at all."""
    try:
        result = read_points([path], kind="station", crs="gcj02")
    except InputError:
        return
    event("read: some rows accepted" if len(result.points) else "read: no row accepted")
    assert result.rows_read == expected
    assert len(result.points) + len(result.rejects) == expected


@FUZZ
@given(table=csv_tables(), delimiter=st.sampled_from([",", "\t", ";"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]), suffix=st.sampled_from([".csv", ".txt"]))
def test_random_csv(capsys, table, delimiter, encoding, suffix):
    header, rows = table
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"s{suffix}"
        path.write_bytes(csv_bytes(header, rows, delimiter, encoding))
        run(capsys, ["validate", path], {0, 1, 2})
        check_rows(path, non_blank(rows))


safe_cells = st.one_of(coordinates, st.text(alphabet=CHINESE + " 0123456789.-°", max_size=10)).filter(
    lambda cell: not any(mark in cell for mark in ",\"\r\n"))


@FUZZ
@given(header=st.just(["name", "lon", "lat"]),
       rows=st.lists(weighted(st.tuples(NAMES, *FIELD_CELLS_NEAR).map(list), st.lists(safe_cells, max_size=5)),
                     max_size=10),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_csv_written_by_hand(capsys, header, rows, newline):
    # Lines joined without a CSV writer, as other programs write them: unquoted, any line ending.
    text = newline.join(",".join(row) for row in [header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.csv"
        path.write_text(text, "utf-8", newline="")
        run(capsys, ["validate", path], {0, 1, 2})
        check_rows(path, non_blank(rows))


@FUZZ
@given(data=st.binary(max_size=600), prefix=st.sampled_from([b"", b"name,lon,lat\n", b"\xff\xfe", b"PK\x03\x04",
                                                             b'{"type":"FeatureCollection","features":[']),
       suffix=st.sampled_from([".csv", ".geojson", ".xlsx", ".txt"]))
def test_random_bytes(capsys, data, prefix, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"s{suffix}"
        path.write_bytes(prefix + data)
        run(capsys, ["validate", path], {0, 1, 2})


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**40, 10**40), st.floats(), cells)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)), max_leaves=10)
PROPERTY_KEYS = ("name", "名称", "facilities", "address", "phone", "id", "编号", "county", "note", "x")
property_keys = st.one_of(st.sampled_from(PROPERTY_KEYS),
                          st.text(max_size=6).filter(lambda key: key.lower() not in ("lon", "lat")))
geometries = st.one_of(
    st.none(), json_values,
    st.builds(lambda lon, lat: {"type": "Point", "coordinates": [lon, lat]},
              st.one_of(st.floats(108.8, 114.3), json_values), st.one_of(st.floats(24.6, 30.1), json_values)),
    st.builds(lambda c: {"type": "LineString", "coordinates": c}, json_values),
)
station_properties = st.fixed_dictionaries(
    {"name": st.one_of(FIELD_CELLS["name"], json_values)},
    optional={"facilities": st.one_of(st.lists(st.one_of(st.text(alphabet=CHINESE, max_size=4), json_scalars),
                                               max_size=4), json_values),
              "address": json_values, "phone": json_values, "id": st.one_of(st.sampled_from(["1", "2"]), json_values)})
near = st.tuples(NEAR_LON, NEAR_LAT)
points = near.map(lambda p: {"type": "Point", "coordinates": list(p)})
any_properties = st.dictionaries(property_keys, json_values, max_size=6)
features = weighted(
    *[st.builds(lambda g, p: {"type": "Feature", "geometry": g, "properties": p}, weighted(points, points, geometries),
                weighted(station_properties, station_properties, any_properties, json_values))] * 3,
    json_values,
)


def visible(value, *, facilities=False):
    """Whether a JSON value shows as text in its cell: lists and objects show as their JSON, null never.

    A facilities list shows when one of its items does (an empty list is an empty facilities cell).
    """
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if facilities and isinstance(value, list):
        return any(item is not None and (not isinstance(item, str) or item.strip()) for item in value)
    return True


def feature_shows(feature):
    """Whether a feature is a non-blank row: a point coordinate or a property value shows."""
    if not isinstance(feature, dict):
        return False
    geometry, properties = feature.get("geometry"), feature.get("properties")
    shown = False
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coords = geometry.get("coordinates")
        shown = isinstance(coords, list) and len(coords) >= 2 and (visible(coords[0]) or visible(coords[1]))
    if isinstance(properties, dict):
        shown = shown or any(visible(v, facilities=k == "facilities") for k, v in properties.items())
    return shown


@FUZZ
@given(items=st.lists(features, max_size=8), ascii_only=st.booleans())
def test_random_geojson(capsys, items, ascii_only):
    document = {"type": "FeatureCollection", "features": items}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.geojson"
        path.write_text(json.dumps(document, ensure_ascii=ascii_only), "utf-8")
        run(capsys, ["validate", path], {0, 1, 2})
        check_rows(path, sum(map(feature_shows, items)))


@FUZZ
@given(document=json_values)
def test_random_json_documents(capsys, document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        path.write_text(json.dumps(document), "utf-8")
        run(capsys, ["validate", path], {0, 1, 2})


def storable(text):
    """Text openpyxl stores as it is: no control characters it refuses, no '=' that would make a formula."""
    return not text.startswith("=") and not any(ord(c) < 32 and c not in "\t\r\n" for c in text)


xlsx_cells = st.one_of(st.none(), st.integers(-10**15, 10**15), st.floats(-1e300, 1e300), st.booleans(),
                       cells.filter(storable))
xlsx_station = st.tuples(weighted(NAMES, xlsx_cells), weighted(NEAR_LON, NEAR_LON, xlsx_cells),
                         weighted(NEAR_LAT, NEAR_LAT, xlsx_cells), xlsx_cells).map(list)


@settings(FUZZ, max_examples=25)
@given(table=st.tuples(st.just(["站点名称", "经度", "纬度", "地址"]),
                       st.lists(st.one_of(xlsx_station, st.lists(xlsx_cells, max_size=5)), max_size=8)),
       title=st.booleans())
def test_random_xlsx(capsys, table, title):
    header, rows = table
    book = openpyxl.Workbook()
    if title:
        book.active.append(["某县户外劳动者服务站点一览表"])
    for row in [header, *rows]:
        book.active.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.xlsx"
        book.save(path)
        run(capsys, ["validate", path], {0, 1, 2})
        # openpyxl keeps trailing blank rows out of the sheet, which changes no count of non-blank rows.
        check_rows(path, non_blank([[cell for cell in row if cell is not None] for row in rows]))


good_rows = st.lists(st.tuples(NAMES, NEAR_LON, NEAR_LAT), max_size=4)


@BUILD
@given(table=csv_tables(), good=good_rows, as_json=st.booleans())
def test_random_build(capsys, table, good, as_json):
    header, rows = table
    with tempfile.TemporaryDirectory() as folder:
        if as_json:
            path = Path(folder) / "s.geojson"
            items = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": {"name": name, "facilities": [name, ""]}} for name, lon, lat in good]
            path.write_text(json.dumps({"type": "FeatureCollection", "features": items}), "utf-8")
        else:
            path = Path(folder) / "s.csv"
            position = {"name": 0, "站点名称": 0, "lon": 1, "经度": 1, "lat": 2, "纬度": 2}
            placed = [[(name, f"{lon:.6f}", f"{lat:.6f}")[position[h]] if h in position else "" for h in header]
                      for name, lon, lat in good]
            path.write_bytes(csv_bytes(header, [*rows, *placed], ",", "utf-8"))
        run(capsys, ["build", "--stations", path, "--out-dir", Path(folder) / "out", "--basemap", "none"], {0, 2})


@FUZZ
@given(text=st.one_of(st.text(max_size=40), coordinates))
def test_coordinate_parser_is_total(text):
    # Any text is either a finite angle or a CoordinateError: no other exception, never NaN or infinity.
    try:
        value = parse_coordinate(text)
    except CoordinateError:
        return
    assert math.isfinite(value)
