"""Reading station files: encodings, header aliases, coordinate forms, datums, and every reject reason."""

import json

import numpy as np
import openpyxl
import pytest
import shapely
from pyproj import Geod

from mapgen.errors import InputError
from mapgen.geo import datum, geography
from mapgen.inputs.reading import read_points

MILUO = (113.067251, 28.806881)  # 汨罗市's seat, GCJ-02, from cpca
FURONG = (113.032539, 28.185389)  # 芙蓉区, Changsha


def write_csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def read(path, kind="station", crs="gcj02"):
    return read_points([path], kind=kind, crs=crs)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_each_encoding_reads_chinese_text(tmp_path, encoding):
    text = f"编号,站点名称,经度,纬度,地址\n1,汨罗驿站,{MILUO[0]},{MILUO[1]},归义镇人民路\n"
    path = write_csv(tmp_path / "s.csv", text, encoding)
    result = read(path)
    assert result.points["name"].tolist() == ["汨罗驿站"]
    assert result.points["address"].tolist() == ["归义镇人民路"]


def test_bytes_neither_utf8_nor_gb18030_are_refused_by_name(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name,lon,lat\n\x81\x30\xff\xff,113,28\n")
    with pytest.raises(InputError, match=r"bad\.csv: not readable as UTF-8 or GB18030"):
        read(path)


@pytest.mark.parametrize("headers", [
    "id,name,lon,lat,address,type,hours,phone,facilities,county",
    "编号,名称,经度,纬度,地址,类型,开放时间,电话,设施,区县",
    "序号,站点名称,经度（GCJ-02）,纬度（GCJ-02）,详细地址,类型,服务时间,联系电话,服务设施,所属区县",
    "No, 驿站名称 ,Longitude (deg),Latitude (deg),ADDRESS,Type,Hours,Tel,服务内容,District",
    "ID,站名,LNG,LAT,地址,类型,开放时间,联系电话,服务内容,所属区县",
    "id,name,X,Y,address,type,hours,phone,facilities,county",
    "id,name,long,latitude,addr,type,opening_hours,telephone,配套设施,county",
])
def test_header_alias_families(tmp_path, headers):
    row = f"7,站A,{FURONG[0]},{FURONG[1]},五一路1号,工会驿站,08:00-20:00,0731-1234567,饮水；微波炉、卫生间,芙蓉区"
    result = read(write_csv(tmp_path / "s.csv", f"{headers}\n{row}\n"))
    assert not result.rejects
    record = result.points.iloc[0]
    # A 序号 (serial number) restarts in every file, so it is qualified by the file's name.
    expected_id = "s-7" if headers.startswith("序号") else "7"
    assert (record["id"], record["name"], record["address"]) == (expected_id, "站A", "五一路1号")
    assert (record["type"], record["hours"], record["phone"]) == ("工会驿站", "08:00-20:00", "0731-1234567")
    assert record["facilities"] == ("饮水", "微波炉", "卫生间")
    assert record["adcode"] == "430102"


@pytest.mark.parametrize(("lon", "lat"), [
    ("113.067251", "28.806881"),
    ("１１３．０６７２５１", "２８．８０６８８１"),
    ("113°04′02.1036″E", "28°48′24.7716″N"),
    ("113度4分2.1036秒", "28度48分24.7716秒"),
])
def test_coordinate_forms_in_a_file(tmp_path, lon, lat):
    path = write_csv(tmp_path / "s.csv", f"name,lon,lat\n站,\"{lon}\",\"{lat}\"\n")
    record = read(path).points.iloc[0]
    assert record["lon_gcj02"] == pytest.approx(MILUO[0], abs=1e-7)
    assert record["lat_gcj02"] == pytest.approx(MILUO[1], abs=1e-7)
    assert record["county"] == "汨罗市"


def test_datum_declared_wgs84_is_converted_both_ways(tmp_path):
    wgs = (113.0612, 28.8095)
    path = write_csv(tmp_path / "s.csv", f"name,lon,lat\n站,{wgs[0]},{wgs[1]}\n")
    record = read(path, crs="wgs84").points.iloc[0]
    expected = datum.wgs84_to_gcj02(*wgs)
    assert (record["lon_wgs84"], record["lat_wgs84"]) == wgs
    assert record["lon_gcj02"] == pytest.approx(expected[0], abs=1e-9)
    assert record["lat_gcj02"] == pytest.approx(expected[1], abs=1e-9)
    shift = Geod(ellps="WGS84").inv(*wgs, record["lon_gcj02"], record["lat_gcj02"])[2]
    assert 515 < shift < 680


def test_every_reject_reason_with_excel_row_numbers(tmp_path):
    rows = [
        "id,name,lon,lat",
        f"1,good,{MILUO[0]},{MILUO[1]}",  # row 2
        "2,no position,,",  # row 3
        ",,,",  # row 4: blank, neither accepted nor rejected
        "3,garbled,113.0abc,28.8",  # row 5
        "4,too far,200.5,28.8",  # row 6
        "5,beijing,116.40,39.90",  # row 7
        f"1,again,{FURONG[0]},{FURONG[1]}",  # row 8
        f"6,,{FURONG[0]},{FURONG[1]}",  # row 9
    ]
    result = read(write_csv(tmp_path / "s.csv", "\n".join(rows) + "\n"))
    assert result.rows_read == 7
    assert result.points["id"].tolist() == ["1"]
    reasons = {r.row: (r.column, r.value, r.reason) for r in result.rejects}
    assert sorted(reasons) == [3, 5, 6, 7, 8, 9]
    assert reasons[3] == ("lon", "", "missing coordinate")
    assert reasons[5][:2] == ("lon", "113.0abc") and "unparseable" in reasons[5][2]
    assert reasons[6][:2] == ("lon", "200.5") and "out of range" in reasons[6][2]
    assert reasons[7][2].startswith("outside Hunan: ")
    assert reasons[8] == ("id", "1", f"duplicate id (first at {tmp_path / 's.csv'} row 2)")
    assert reasons[9] == ("name", "", "missing name")
    assert len(result.points) + len(result.rejects) == result.rows_read


def test_outside_distance_matches_an_independent_geodesic(tmp_path):
    beijing = (116.40, 39.90)
    result = read(write_csv(tmp_path / "s.csv", f"name,lon,lat\nfar,{beijing[0]},{beijing[1]}\n"))
    reported = float(result.rejects[0].reason.split(": ")[1].split(" km")[0])
    # Nearest vertex of Hunan's outline, by geodesic distance on WGS-84 (no projection involved).
    outline = shapely.union_all(geography.load_counties().geometry.to_numpy())
    coords = shapely.get_coordinates(outline.boundary)
    vlon, vlat = datum.gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    wlon, wlat = datum.gcj02_to_wgs84(*beijing)
    geodesic = Geod(ellps="WGS84").inv(np.full(len(vlon), wlon), np.full(len(vlon), wlat), vlon, vlat)[2].min()
    assert reported == pytest.approx(geodesic / 1000, rel=0.005)


def test_swapped_columns_are_fixed_with_a_notice(tmp_path):
    path = write_csv(tmp_path / "s.csv", f"name,经度,纬度\n反了,{MILUO[1]},{MILUO[0]}\n")
    result = read(path)
    assert not result.rejects
    record = result.points.iloc[0]
    assert (record["lon_gcj02"], record["lat_gcj02"]) == pytest.approx(MILUO, abs=1e-9)
    assert record["county"] == "汨罗市"
    assert "swapped" in result.notices[0].message and result.notices[0].row == 2


def test_declared_county_that_disagrees_is_a_notice_not_a_reject(tmp_path):
    path = write_csv(tmp_path / "s.csv", f"name,lon,lat,所属区县\n站,{MILUO[0]},{MILUO[1]},芙蓉区\n"
                                          f"站2,{MILUO[0]},{MILUO[1] + 0.001},汨罗\n")
    result = read(path)
    assert len(result.points) == 2 and not result.rejects
    assert [n.row for n in result.notices] == [2]
    assert "芙蓉区" in result.notices[0].message and "汨罗市" in result.notices[0].message


def test_hostile_text_is_kept_verbatim(tmp_path):
    name = '<img src=x onerror=alert(1)> "q" \\ `${x}` </script>'
    path = tmp_path / "s.csv"
    path.write_text('name,lon,lat,address\n"' + name.replace('"', '""') + f'",{MILUO[0]},{MILUO[1]},a<b>&c\n',
                    encoding="utf-8")
    record = read(path).points.iloc[0]
    assert record["name"] == name
    assert record["address"] == "a<b>&c"


def test_missing_coordinate_column_is_unusable_and_lists_accepted_headers(tmp_path):
    path = write_csv(tmp_path / "s.csv", "name,地址\n站,路\n")
    with pytest.raises(InputError, match=r"s.csv: no lon or lat column \(accepted headers: lon: lon/lng/.*经度"):
        read(path)


@pytest.mark.parametrize(("name", "content"), [("empty.csv", b""), ("missing.csv", None), ("s.pdf", b"%PDF")])
def test_unusable_files_are_named(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=name):
        read(path)


def test_xlsx_with_title_row_numbers_rows_as_excel(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["汨罗市户外劳动者服务站点一览表"])
    sheet.append(["序号", "驿站名称", "经度", "纬度", "联系电话"])
    sheet.append([1, "站一", MILUO[0], MILUO[1], 13800138000])
    sheet.append([2, "站二", "abc", MILUO[1], None])
    path = tmp_path / "s.xlsx"
    book.save(path)
    result = read(path)
    assert result.points[["id", "name", "phone"]].values.tolist() == [["s-1", "站一", "13800138000"]]
    assert [(r.row, r.column) for r in result.rejects] == [(4, "经度")]


def test_geojson_points_numbered_by_feature(tmp_path):
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(MILUO)}, "properties": {"名称": "甲"}},
        {"type": "Feature", "geometry": None, "properties": {"名称": "乙"}},
    ]
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    result = read(path)
    assert result.points["name"].tolist() == ["甲"]
    assert [(r.row, r.reason) for r in result.rejects] == [(2, "missing coordinate")]


def test_ids_without_a_column_are_stable_and_distinct(tmp_path):
    text = f"name,lon,lat\n甲,{MILUO[0]},{MILUO[1]}\n乙,{FURONG[0]},{FURONG[1]}\n"
    first = read(write_csv(tmp_path / "a.csv", text)).points["id"].tolist()
    second = read(write_csv(tmp_path / "b.csv", text)).points["id"].tolist()
    assert first == second
    assert len(set(first)) == 2 and all(i.startswith("S") for i in first)


def test_demand_weights(tmp_path):
    rows = [(MILUO, "25"), (FURONG, ""), (FURONG, "-3"), (MILUO, '"1,200"'), (MILUO, "30人"), (MILUO, "１２"),
            (MILUO, "30°")]
    text = "lon,lat,人数\n" + "".join(f"{p[0]},{p[1]},{w}\n" for p, w in rows)
    result = read(write_csv(tmp_path / "d.csv", text), kind="demand")
    assert result.points["weight"].tolist() == [25.0, 1.0, 1200.0, 30.0, 12.0]
    assert [(r.row, r.column) for r in result.rejects] == [(4, "人数"), (8, "人数")]


@pytest.mark.parametrize(("header", "named"), [("经度（WGS-84）", "wgs84"), ("Longitude (BD-09)", "bd09"),
                                              ("经度(百度)", "bd09"), ("经度（高德）", "gcj02")])
def test_header_naming_another_datum_than_crs_is_refused(tmp_path, header, named):
    path = write_csv(tmp_path / "s.csv", f"name,{header},纬度\n站,{MILUO[0]},{MILUO[1]}\n")
    other = "wgs84" if named != "wgs84" else "gcj02"
    with pytest.raises(InputError, match=f"says its coordinates are {named} .* pass --crs {named}"):
        read(path, crs=other)
    assert len(read(path, crs=named).points) == 1


def test_serial_numbers_of_two_files_do_not_collide(tmp_path):
    a = write_csv(tmp_path / "汨罗.csv", f"序号,站点名称,经度,纬度\n1,甲,{MILUO[0]},{MILUO[1]}\n")
    b = write_csv(tmp_path / "芙蓉.csv", f"序号,站点名称,经度,纬度\n1,乙,{FURONG[0]},{FURONG[1]}\n")
    result = read_points([a, b], kind="station", crs="gcj02")
    assert result.points["id"].tolist() == ["汨罗-1", "芙蓉-1"] and not result.rejects


def test_repeated_row_without_id_is_a_duplicate_row(tmp_path):
    path = write_csv(tmp_path / "s.csv", f"name,lon,lat\n甲,{MILUO[0]},{MILUO[1]}\n甲,{MILUO[0]},{MILUO[1]}\n")
    result = read(path)
    assert len(result.points) == 1
    assert [(r.row, r.id, r.reason) for r in result.rejects] == [
        (3, "", f"duplicate row (same name and position as {path} row 2)")]


def test_demand_rows_at_one_place_all_count(tmp_path):
    path = write_csv(tmp_path / "d.csv", f"lon,lat,人数\n{MILUO[0]},{MILUO[1]},10\n{MILUO[0]},{MILUO[1]},15\n")
    result = read(path, kind="demand")
    assert result.points["weight"].sum() == 25 and not result.rejects
    assert result.points["id"].nunique() == 2


def test_office_sharing_a_station_id_is_rejected(tmp_path):
    from mapgen.inputs.reading import reject_shared_ids

    stations = read(write_csv(tmp_path / "s.csv", f"id,name,lon,lat\n1,站,{MILUO[0]},{MILUO[1]}\n"))
    offices = read(write_csv(tmp_path / "o.csv", f"id,name,lon,lat\n1,工会,{FURONG[0]},{FURONG[1]}\n"), kind="office")
    reject_shared_ids(stations, offices)
    assert offices.points.empty
    assert offices.rejects[0].reason == f"duplicate id (a station has it: {tmp_path / 's.csv'} row 2)"


def test_station_just_outside_the_simplified_border_gets_the_nearest_county(tmp_path):
    # 0.15 km outside the bundled outline, within the 0.3 km tolerance for simplification.
    point = (109.5743366, 29.6289026)
    counties = geography.load_counties()
    assert not counties.geometry.intersects(shapely.Point(point)).any()
    nearest = counties.iloc[int(np.argmin(counties.geometry.distance(shapely.Point(point))))]
    result = read(write_csv(tmp_path / "s.csv", f"name,lon,lat\n边界站,{point[0]},{point[1]}\n"))
    assert not result.rejects
    assert result.points.iloc[0]["adcode"] == nearest["adcode"]


def test_short_rows_and_declared_county_forms(tmp_path):
    path = write_csv(tmp_path / "s.csv", f"name,lon,lat,县市区,备注\n甲,{MILUO[0]},{MILUO[1]},岳阳市汨罗市\n"
                                          f"乙,{MILUO[0]},{MILUO[1] + 0.001},430681\n丙,{MILUO[0]},{MILUO[1] + 0.002}\n"
                                          f"丁,{MILUO[0]},{MILUO[1] + 0.003},岳阳县\n")
    result = read(path)
    assert len(result.points) == 4
    assert [(n.row, "disagrees" in n.message) for n in result.notices] == [(5, True)]


def test_xlsx_with_a_wrong_stored_dimension(tmp_path):
    import re
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(["站点名称", "经度", "纬度"])
    book.active.append(["站一", MILUO[0], MILUO[1]])
    good = tmp_path / "good.xlsx"
    book.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            target.writestr(item, data)
    assert read(bad).points["name"].tolist() == ["站一"]


def test_geojson_features_with_odd_members(tmp_path):
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(MILUO)}, "properties": {"名称": "甲"}},
        {"type": "Feature", "geometry": "nonsense", "properties": ["not", "an", "object"]},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(FURONG)}, "properties": None},
    ]
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    result = read(path)
    assert result.points["name"].tolist() == ["甲"]
    # Feature 2 carries nothing usable at all: a blank row, neither read nor rejected.
    assert [(r.row, r.reason) for r in result.rejects] == [(3, "missing name")]
    assert result.rows_read == 2
