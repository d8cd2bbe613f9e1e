"""Bad input never gives a traceback: one line naming the file and exit 2, or rejects naming row and column."""

import csv
import io
import json
import os
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from mapgen.cli import main
from mapgen.errors import InputError
from mapgen.geo.geography import GEODATA
from mapgen.inputs.reading import read_points
from mapgen.inputs.tables import decode_text

MILUO = (113.067251, 28.806881)  # 汨罗市's seat, GCJ-02, from cpca
FURONG = (113.032539, 28.185389)  # 芙蓉区, Changsha
# Simplified Chinese given names and words outside GB2312 but in GBK, as mainland spreadsheets hold them.
RARE = ("堃", "喆", "旸", "玥", "珺", "晞", "彧", "翀", "淏", "犇", "昇", "赟", "祎", "璟", "瑄")
KINDS = ("环卫驿站", "工会驿站", "爱心驿站", "户外劳动者服务站点", "暖心驿站", "快递小哥之家")
ROADS = ("人民路", "解放西路", "五一大道", "芙蓉中路", "建设北路", "迎宾路", "车站南路", "劳动东路")
# Traditional Chinese station lists from Taiwan and Hong Kong (Big5) and Japanese ones (Shift-JIS).
TRADITIONAL = (
    "臺北市信義區市府路1號", "新北市板橋區中山路一段161號", "高雄市前鎮區中華五路789號", "臺中市西屯區臺灣大道三段99號",
    "香港九龍旺角彌敦道688號", "香港島灣仔軒尼詩道130號", "桃園市中壢區環北路398號", "臺南市東區大學路1號",
    "新竹市東區光復路二段101號", "基隆市仁愛區愛一路", "外送員休息站", "環保局清潔隊員休息站", "勞工服務中心",
    "飲水、微波爐、廁所、充電", "營業時間 週一至週五 08:00-18:00", "澳門新馬路", "屏東縣恆春鎮", "嘉義縣民雄鄉",
)
JAPANESE = ("東京都新宿区西新宿2-8-1", "大阪府大阪市北区梅田3丁目", "配達員の休憩スペース", "トイレ・給水・電源",
            "清掃作業員休憩所", "札幌市中央区北1条西2丁目")
KOREAN = ("서울특별시 강남구 테헤란로 152", "부산광역시 해운대구", "배달 라이더 쉼터", "화장실, 정수기, 충전",
          "이동노동자 쉼터", "인천광역시 남동구")


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def one_error_line(err, path):
    """The single stderr line of an unusable input, which must name the file."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"mapgen: error: {path}"), lines[0]
    return lines[0]


def read(path, kind="station"):
    return read_points([path], kind=kind, crs="gcj02")


def feature(coordinates, properties):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coordinates}, "properties": properties}


def write_geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")
    return path


def station_csv(rows):
    """A station list as Excel's CSV holds it: header, then one line per (name, address, lon, lat)."""
    lines = ["name,address,lon,lat", *(f"{n},{a},{lon},{lat}" for n, a, lon, lat in rows)]
    return "\r\n".join(lines) + "\r\n"


# 1. Lists and objects as GeoJSON property values


def test_geojson_facilities_list_is_read_as_its_items(tmp_path):
    path = write_geojson(tmp_path / "s.geojson", [
        feature(list(MILUO), {"name": "甲", "facilities": ["饮水", "微波炉", " ", None, "卫生间"]}),
    ])
    record = read(path).points.iloc[0]
    assert record["facilities"] == ("饮水", "微波炉", "卫生间")


def test_mapgen_own_stations_geojson_reads_back_its_facilities(tmp_path, capsys):
    stations = tmp_path / "s.csv"
    stations.write_text(f"name,lon,lat,服务设施\n甲,{MILUO[0]},{MILUO[1]},饮水；微波炉\n", "utf-8")
    code, _, _ = run(capsys, "build", "--stations", stations, "--out-dir", tmp_path / "out", "--basemap", "none")
    assert code == 0
    written = json.loads((tmp_path / "out" / "stations.geojson").read_text("utf-8"))
    assert written["features"][0]["properties"]["facilities"] == ["饮水", "微波炉"]  # a JSON list, as read back
    again = read_points([tmp_path / "out" / "stations.geojson"], kind="station", crs="wgs84")
    assert again.points["facilities"].tolist() == [("饮水", "微波炉")]


def test_geojson_lists_and_objects_in_other_columns_are_kept_as_json_text(tmp_path, capsys):
    path = write_geojson(tmp_path / "s.geojson", [
        feature(list(MILUO), {"name": ["a", "b"], "phone": {"x": 1}, "address": ["长沙", 1, None, True]}),
    ])
    code, _, err = run(capsys, "validate", path)
    assert (code, err) == (0, "")
    record = read(path).points.iloc[0]
    assert (record["name"], record["phone"]) == ('["a","b"]', '{"x":1}')
    assert record["address"] == '["长沙",1,null,true]'


def test_geojson_list_coordinate_is_a_reject_naming_the_column(tmp_path, capsys):
    path = write_geojson(tmp_path / "s.geojson", [
        feature([[113.0, 28.8], MILUO[1]], {"name": "甲"}),
        feature(list(FURONG), {"name": "乙"}),
        feature([MILUO[0], {"deg": 28}], {"name": "丙"}),
    ])
    result = read(path)
    assert result.points["name"].tolist() == ["乙"]
    rejects = [(r.row, r.column, r.value) for r in result.rejects]
    assert rejects == [(1, "lon", "[113.0,28.8]"), (3, "lat", '{"deg":28}')]
    assert all(r.reason.startswith("unparseable coordinate") for r in result.rejects)
    code, out, _ = run(capsys, "validate", path)
    assert code == 1
    assert f"{path} row 1 [lon] '[113.0,28.8]': unparseable coordinate" in out


def test_geojson_list_in_a_coordinate_property_does_not_crash(tmp_path, capsys):
    path = write_geojson(tmp_path / "s.geojson", [feature(list(MILUO), {"name": "甲", "lon": [1, 2], "lat": {}})])
    code, _, _ = run(capsys, "validate", path)
    result = read(path)
    assert code in (0, 1)
    assert result.rows_read == 1 and len(result.points) + len(result.rejects) == 1


# 2. JSON that is nested too deeply, too large, or not a collection


def test_deeply_nested_json_is_one_line(tmp_path, capsys):
    path = tmp_path / "deep.geojson"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert "nested too deeply" in one_error_line(err, path)


def test_deeply_nested_property_value_is_one_line(tmp_path, capsys):
    deep = "[" * 5_000 + "]" * 5_000
    path = tmp_path / "deep.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
                    f'"properties": {{"name": {deep}}}}}]}}', "utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert "nested too deeply" in one_error_line(err, path)


@pytest.mark.parametrize(("document", "what"), [
    ("3", "a JSON number"), ("[1, 2]", "a JSON list"), ('"text"', "a JSON string"), ("null", "a JSON null"),
    ('{"type": "Feature"}', "an object without a features list"),
])
def test_json_that_is_not_a_collection_is_one_line(tmp_path, capsys, document, what):
    path = tmp_path / "s.geojson"
    path.write_text(document, "utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert one_error_line(err, path) == f"mapgen: error: {path}: not a GeoJSON FeatureCollection (it is {what})"


def test_json_integer_too_long_for_python_is_one_line(tmp_path, capsys):
    path = tmp_path / "s.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [' + "9" * 5_000 + "]}", "utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert "not usable JSON" in one_error_line(err, path)


def test_json_too_large_for_memory_is_one_line(tmp_path, capsys, monkeypatch):
    path = write_geojson(tmp_path / "s.geojson", [feature(list(MILUO), {"name": "甲"})])

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(json, "loads", out_of_memory)
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert one_error_line(err, path) == f"mapgen: error: {path}: too large to read into memory"


def test_invalid_json_names_line_and_column(tmp_path, capsys):
    path = tmp_path / "s.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [}', "utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert "not valid JSON (Expecting value at line 2, column 15)" in one_error_line(err, path)


# 3. Files that cannot be read, or are not tables at all


@pytest.mark.parametrize(("suffix", "error", "reason"), [
    (".csv", PermissionError(13, "Permission denied"), "Permission denied"),
    (".xlsx", OSError(5, "Input/output error"), "Input/output error"),
])
def test_a_file_that_cannot_be_read_names_the_os_reason(tmp_path, capsys, monkeypatch, suffix, error, reason):
    path = tmp_path / f"s{suffix}"
    path.write_text(station_csv([("甲", "路", *MILUO)]), "utf-8")

    def failing(self):
        raise error

    monkeypatch.setattr(Path, "read_bytes", failing)
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert one_error_line(err, path) == f"mapgen: error: {path}: cannot read the file ({reason})"


def test_directory_given_as_a_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "stations.csv"
    path.mkdir()
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert one_error_line(err, path) == f"mapgen: error: {path}: not a file (a directory)"


@pytest.mark.parametrize("name", ["s.csv", "s.geojson", "s.xlsx"])
def test_empty_file_is_one_line(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(b"")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert one_error_line(err, path) == f"mapgen: error: {path}: the file is empty (0 bytes)"


@pytest.mark.parametrize("name", ["s.csv", "s.geojson", "s.xlsx", "s.txt"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_bytes_are_one_line(tmp_path, capsys, name, seed):
    path = tmp_path / name
    path.write_bytes(random.Random(seed).randbytes(4096))
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    one_error_line(err, path)


@pytest.mark.parametrize(("content", "what"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook"),
])
def test_binary_file_named_csv_says_what_it_is(tmp_path, capsys, content, what):
    path = tmp_path / "s.csv"
    path.write_bytes(content + random.Random(0).randbytes(200))
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert f"not a text file: it is {what}" in one_error_line(err, path)


def workbook_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data, replace):
    """A copy of a ZIP archive with some members' contents replaced (None drops the member)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = replace.get(item.filename, source.read(item))
            if content is not None:
                target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("damage", ["not xlsx", "truncated", "broken sheet xml", "no workbook part"])
def test_damaged_workbook_is_one_line(tmp_path, capsys, damage):
    good = workbook_bytes([["站点名称", "经度", "纬度"], ["站一", *MILUO]])
    content = {
        "not xlsx": rezip(good, {name: None for name in zipfile.ZipFile(io.BytesIO(good)).namelist()[1:]}),
        "truncated": good[: len(good) // 2],
        "broken sheet xml": rezip(good, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c r="}),
        "no workbook part": rezip(good, {"xl/workbook.xml": None}),
    }[damage]
    path = tmp_path / "s.xlsx"
    path.write_bytes(content)
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert "not a readable .xlsx workbook" in one_error_line(err, path)


# 4. Huge cells


def test_one_megabyte_name_is_read_as_data(tmp_path, capsys):
    name = "驿" * 1_000_000
    path = tmp_path / "s.csv"
    path.write_text(station_csv([(name, "路", *MILUO), ("乙", "路", *FURONG)]), "utf-8")
    result = read(path)
    assert [len(n) for n in result.points["name"]] == [1_000_000, 1]
    code, _, err = run(capsys, "validate", path)
    assert (code, err) == (0, "")


def test_one_megabyte_coordinate_is_a_quick_reject(tmp_path):
    # Spaces inside a number once made the coordinate patterns backtrack for hours.
    path = tmp_path / "s.csv"
    path.write_text(station_csv([("甲", "路", "1" + " " * 1_000_000 + "2", MILUO[1]), ("乙", "路", *FURONG)]),
                    "utf-8")
    result = read(path)
    assert [(r.row, r.column) for r in result.rejects] == [(2, "lon")]
    assert result.rejects[0].reason == "unparseable coordinate: not a coordinate: 1,000,002 characters long"


# 5. Coordinates that are not finite numbers


def test_nan_and_infinity_text_is_rejected_naming_the_column(tmp_path, capsys):
    bad = [("nan", MILUO[1]), ("NaN", MILUO[1]), ("inf", MILUO[1]), ("-inf", MILUO[1]), ("Infinity", MILUO[1]),
           ("-Infinity", MILUO[1]), ("+INF", MILUO[1]), ("ｎａｎ", MILUO[1]), (MILUO[0], "NaN"), (MILUO[0], "1e999")]
    rows = [("好", "路", *FURONG), *((f"坏{i}", "路", lon, lat) for i, (lon, lat) in enumerate(bad))]
    path = tmp_path / "s.csv"
    path.write_text(station_csv(rows), "utf-8")
    result = read(path)
    assert result.points["name"].tolist() == ["好"]
    expected = [(i + 3, "lon" if isinstance(lon, str) else "lat") for i, (lon, lat) in enumerate(bad)]
    assert [(r.row, r.column) for r in result.rejects] == expected
    assert all("not a finite number" in r.reason for r in result.rejects)
    code, out, _ = run(capsys, "validate", path)
    assert code == 1
    assert f"{path} row 4 [lon] 'NaN': unparseable coordinate: not a finite number: 'NaN'" in out


def test_nan_and_infinity_json_numbers_are_rejected_naming_the_column(tmp_path):
    path = tmp_path / "s.geojson"
    good = json.dumps(feature(list(FURONG), {"name": "好"}))
    bad = [f'{{"type": "Feature", "geometry": {{"type": "Point", "coordinates": [{lon}, {lat}]}}, '
           f'"properties": {{"name": "坏"}}}}' for lon, lat in (("NaN", 28.8), ("Infinity", 28.8), (113.0, "-Infinity"),
                                                               (113.0, "1e999"))]
    path.write_text('{"type": "FeatureCollection", "features": [' + ", ".join([good, *bad]) + "]}", "utf-8")
    result = read(path)
    assert result.points["name"].tolist() == ["好"]
    assert [(r.row, r.column) for r in result.rejects] == [(2, "lon"), (3, "lon"), (4, "lat"), (5, "lat")]
    assert all("not a finite number" in r.reason for r in result.rejects)


# 6. Text encodings


def mainland_rows(rng, count):
    """Station rows as a Hunan county union writes them, with rare-character names now and then."""
    with (GEODATA / "county_seats.csv").open(encoding="utf-8") as file:
        seats = list(csv.DictReader(file))
    rows = []
    for _ in range(count):
        seat = rng.choice(seats)
        contact = rng.choice("张王李刘陈杨赵黄周吴") + rng.choice((*RARE, "伟", "芳", "敏", "静", "强", "军"))
        name = f"{seat['county']}{rng.choice(KINDS)}（{contact}）"
        address = f"{seat['prefecture']}{seat['county']}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
        rows.append((name, address, seat["lon_gcj02"], seat["lat_gcj02"]))
    return rows


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_with_bom_tab_separated_as_excel_unicode_text(tmp_path, capsys, bom, codec):
    text = f"站点名称\t经度\t纬度\t地址\r\n汨罗堃源驿站\t{MILUO[0]}\t{MILUO[1]}\t归义镇人民路\r\n"
    path = tmp_path / "s.txt"
    path.write_bytes(bom + text.encode(codec))
    result = read(path)
    assert result.points[["name", "address"]].values.tolist() == [["汨罗堃源驿站", "归义镇人民路"]]
    code, _, err = run(capsys, "validate", path)
    assert (code, err) == (0, "")


def test_gbk_station_list_with_rare_characters_keeps_working(tmp_path, capsys):
    rows = [("堃源环卫驿站", "汨罗市旸谷路1号", *MILUO), ("李喆爱心驿站", "长沙市芙蓉区五一大道2号", *FURONG)]
    path = tmp_path / "s.csv"
    path.write_bytes(station_csv(rows).encode("gbk"))
    result = read(path)
    assert result.points[["name", "address"]].values.tolist() == [[n, a] for n, a, _, _ in rows]
    code, _, err = run(capsys, "validate", path)
    assert (code, err) == (0, "")


def test_gbk_punctuation_outside_gb2312_does_not_count_against_a_file(tmp_path):
    # En dashes, ㎡ and 〇 are GBK-only symbols that mainland spreadsheets use; they say nothing of the encoding.
    rows = [("驿站二〇一号", "电话0731–84512345，面积20㎡", *MILUO), ("驿站二〇二号", "8:00–18:00", *FURONG)]
    path = tmp_path / "s.csv"
    path.write_bytes(station_csv(rows).encode("gbk"))
    assert read(path).points[["name", "address"]].values.tolist() == [[n, a] for n, a, _, _ in rows]


def test_realistic_mainland_gbk_files_are_never_refused():
    rng = random.Random(0)
    for count in (1, 1, 1, 1, 2, 3, 5, 20) * 50:
        text = station_csv(mainland_rows(rng, count))
        assert decode_text(Path("s.csv"), text.encode(rng.choice(["gbk", "gb18030"]))) == text


@pytest.mark.parametrize(("codec", "texts"), [
    ("big5", TRADITIONAL), ("cp950", TRADITIONAL), ("shift_jis", JAPANESE), ("cp932", JAPANESE),
    ("euc_kr", KOREAN), ("cp949", KOREAN),
])
def test_other_east_asian_encodings_are_refused_not_garbled(tmp_path, capsys, codec, texts):
    rows = [(text, text, *MILUO) for text in texts[:3]]
    path = tmp_path / "s.csv"
    path.write_bytes(station_csv(rows).encode(codec))
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    line = one_error_line(err, path)
    assert "not readable as UTF-8 or GBK Chinese text" in line
    assert line.endswith("save it as CSV UTF-8 or as .xlsx")


def test_big5_files_of_two_rows_or_more_are_always_refused():
    rng = random.Random(0)
    for _ in range(300):
        texts = rng.sample(TRADITIONAL, rng.randint(2, 4))
        with pytest.raises(InputError, match="looks like Big5"):
            decode_text(Path("s.csv"), station_csv([(t, t, *MILUO) for t in texts]).encode("cp950"))


def test_utf8_traditional_japanese_and_korean_are_read_as_they_are(tmp_path):
    rows = [(text, text, *MILUO) for text in (TRADITIONAL[0], JAPANESE[0], KOREAN[0])]
    path = tmp_path / "s.csv"
    path.write_text(station_csv(rows), "utf-8")
    assert read(path).points["name"].tolist() == [TRADITIONAL[0], JAPANESE[0], KOREAN[0]]


@pytest.mark.parametrize("content", [b"\xff\xfe" + b"n\x00\x00\xd8", b"\xef\xbb\xbfname,lon\n\xff\n"])
def test_broken_text_after_a_bom_is_one_line(tmp_path, capsys, content):
    path = tmp_path / "s.csv"
    path.write_bytes(content)
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    one_error_line(err, path)


# 7. Anything else


def test_lone_surrogate_in_json_text_builds(tmp_path, capsys):
    path = tmp_path / "s.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
                    f'"coordinates": [{MILUO[0]}, {MILUO[1]}]}}, "properties": {{"name": "a\\ud800b", '
                    '"\\udfff": 1}}]}', "utf-8")
    assert read(path).points["name"].tolist() == ["a\ufffdb"]
    code, _, err = run(capsys, "build", "--stations", path, "--out-dir", tmp_path / "out", "--basemap", "none")
    assert (code, err) == (0, "")


def test_nul_bytes_in_a_csv_are_one_line(tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_bytes(b"name,lon,lat\n\x00,1,2\n")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert "NUL" in one_error_line(err, path)


def test_infinite_demand_weight_is_a_reject(tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_text(f"lon,lat,人数\n{MILUO[0]},{MILUO[1]},5\n{MILUO[0]},{MILUO[1]},1e400\n{MILUO[0]},{MILUO[1]},inf\n",
                    "utf-8")
    result = read(path, kind="demand")
    assert result.points["weight"].tolist() == [5.0]
    assert [(r.row, r.column) for r in result.rejects] == [(3, "人数"), (4, "人数")]
    stations = tmp_path / "s.csv"
    stations.write_text(station_csv([("甲", "路", *MILUO)]), "utf-8")
    code, _, _ = run(capsys, "build", "--stations", stations, "--demand", path, "--out-dir", tmp_path / "out",
                     "--basemap", "none")
    assert code == 0


def test_file_name_not_valid_utf8_builds(tmp_path, capsys):
    path = tmp_path / os.fsdecode(b"\xff.csv")
    path.write_text(station_csv([("甲", "路", *MILUO), ("乙", "路", "abc", MILUO[1])]), "utf-8")
    code, _, err = run(capsys, "build", "--stations", path, "--out-dir", tmp_path / "out", "--basemap", "none")
    assert (code, err) == (0, "")


def test_serial_number_header_without_rows_is_one_line(tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_text("name,lon,lat,序号\n", "utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert one_error_line(err, path) == f"mapgen: error: {path}: no valid row"
