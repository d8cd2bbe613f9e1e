"""The command line end to end: outputs, exit codes, atomic writes, determinism, template."""

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from mapgen.cli import main
from mapgen.geo import datum
from mapgen.inputs.reading import read_points

OUTPUTS = ("index.html", "stations.geojson", "coverage.csv", "rejects.csv", "gaps.geojson", "manifest.json")
MILUO = (113.067251, 28.806881)


@pytest.fixture
def files(tmp_path):
    stations = tmp_path / "stations.csv"
    stations.write_text(
        "编号,站点名称,经度,纬度,开放时间,服务设施\n"
        f"A1,城区驿站,{MILUO[0]},{MILUO[1]},24小时,饮水；微波炉\n"
        f"A2,东站驿站,{MILUO[0] + 0.005},{MILUO[1]},08:00-20:00,卫生间\n"
        "A3,坏坐标,abc,28.8,,\n",
        encoding="utf-8-sig",
    )
    offices = tmp_path / "offices.csv"
    offices.write_text(f"名称,经度,纬度\n汨罗市总工会,{MILUO[0]},{MILUO[1] + 0.002}\n", encoding="gb18030")
    demand = tmp_path / "demand.csv"
    demand.write_text(f"经度,纬度,人数\n{MILUO[0]},{MILUO[1] + 0.001},40\n{MILUO[0] + 0.2},{MILUO[1]},7\n",
                      encoding="utf-8")
    return {"stations": stations, "offices": offices, "demand": demand, "out": tmp_path / "out"}


def build(files, *extra):
    return main(["build", "--stations", str(files["stations"]), "--offices", str(files["offices"]),
                 "--demand", str(files["demand"]), "--out-dir", str(files["out"]), *extra])


def snapshot(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def read_csv(path):
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_build_writes_every_output(files, capsys):
    assert build(files) == 0
    assert sorted(p.name for p in files["out"].iterdir()) == sorted(OUTPUTS)
    summary = capsys.readouterr().out
    assert "stations: 3 rows read, 2 accepted, 1 rejected" in summary
    stations = json.loads((files["out"] / "stations.geojson").read_text("utf-8"))
    first = stations["features"][0]
    assert first["properties"]["id"] == "A1" and first["properties"]["kind"] == "station"
    assert first["properties"]["facilities"] == ["饮水", "微波炉"]
    # The geometry is WGS-84: the published forward formula takes it back to the GCJ-02 input.
    forward = datum.wgs84_to_gcj02(*first["geometry"]["coordinates"])
    assert (float(forward[0]), float(forward[1])) == pytest.approx(MILUO, abs=2e-7)
    assert first["geometry"]["coordinates"][0] < MILUO[0] - 0.004  # WGS-84 lies west of GCJ-02 here
    assert [f["properties"]["kind"] for f in stations["features"]] == ["station", "station", "office"]
    rejects = read_csv(files["out"] / "rejects.csv")
    assert [(r["row"], r["id"], r["column"], r["value"]) for r in rejects] == [("4", "A3", "经度", "abc")]
    coverage = read_csv(files["out"] / "coverage.csv")
    assert len(coverage) == 123 and coverage[-1]["adcode"] == "430000"
    miluo = next(r for r in coverage if r["adcode"] == "430681")
    counts = (miluo["stations"], miluo["offices"], miluo["demand_total"], miluo["demand_covered"])
    assert counts == ("2", "1", "47.0", "40.0")
    gaps = json.loads((files["out"] / "gaps.geojson").read_text("utf-8"))
    assert [g["properties"]["weight"] for g in gaps["features"]] == [7.0]


def test_same_inputs_give_byte_identical_outputs(files, tmp_path):
    assert build(files) == 0
    first = snapshot(files["out"])
    files["out"] = tmp_path / "again"
    assert build(files) == 0
    assert snapshot(files["out"]) == first


@pytest.mark.parametrize("breakage", ["missing", "no coordinates", "no valid row", "unknown county", "no demand"])
def test_failed_build_leaves_previous_outputs_untouched(files, capsys, breakage):
    assert build(files) == 0
    before = snapshot(files["out"])
    capsys.readouterr()
    extra = []
    if breakage == "missing":
        files["stations"] = files["stations"].with_name("nowhere.csv")
    elif breakage == "no coordinates":
        files["stations"].write_text("名称,地址\n站,路\n", encoding="utf-8")
    elif breakage == "no valid row":
        files["stations"].write_text("名称,经度,纬度\n站,1,2\n", encoding="utf-8")
    elif breakage == "no demand":
        files["demand"].write_text("经度,纬度,人数\n116.4,39.9,5\n", encoding="utf-8")
    else:
        extra = ["--county", "不存在县"]
    assert build(files, *extra) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("mapgen: error: ") and "Traceback" not in error
    assert snapshot(files["out"]) == before
    assert not [p for p in files["out"].parent.iterdir() if p.name.startswith(".mapgen-")]


def test_crash_while_rendering_leaves_previous_outputs_untouched(files, monkeypatch):
    assert build(files) == 0
    before = snapshot(files["out"])

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("mapgen.web.page.render_map", broken)
    with pytest.raises(RuntimeError):
        build(files)
    assert snapshot(files["out"]) == before


def test_validate_exit_codes(files, tmp_path, capsys):
    assert main(["validate", str(files["stations"])]) == 1
    assert "row 4 [经度] 'abc'" in capsys.readouterr().out
    good = tmp_path / "good.csv"
    good.write_text(f"name,lon,lat\n站,{MILUO[0]},{MILUO[1]}\n", encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(tmp_path / "absent.csv")]) == 2


def test_template_round_trips_through_the_reader(tmp_path):
    path = tmp_path / "模板.xlsx"
    assert main(["template", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["站点", "填写说明"]
    assert [c.value for c in book["站点"][1]][:4] == ["编号", "站点名称", "经度", "纬度"]
    assert book["站点"]["A500"].number_format == "@"  # ids typed far down keep leading zeros
    untouched = read_points([path], kind="station", crs="gcj02")
    assert untouched.points.empty
    assert [(r.row, r.column) for r in untouched.rejects] == [(2, "站点名称")]
    assert "template's example row" in untouched.rejects[0].reason
    book["站点"]["B2"] = "汨罗市城区环卫工人暖心驿站"  # a union fills the row in with a real station
    book.save(path)
    result = read_points([path], kind="station", crs="gcj02")
    assert len(result.points) == 1 and not result.rejects
    assert result.points.iloc[0]["county"] == "汨罗市"


def test_bad_arguments_exit_2(files, capsys):
    assert build(files, "--minutes", "0") == 2
    assert "--minutes" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        main(["build", "--crs", "wgs"])
    assert raised.value.code == 2


def test_python_dash_m_runs(tmp_path):
    done = subprocess.run([sys.executable, "-m", "mapgen", "template", str(tmp_path / "t.xlsx")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "t.xlsx").exists()


def test_county_map_shows_the_county_and_stations_that_reach_it(tmp_path):
    from test_webmap import page_data

    stations = tmp_path / "s.csv"
    stations.write_text(
        "编号,站点名称,经度,纬度\n"
        f"M1,汨罗城区,{MILUO[0]},{MILUO[1]}\n"
        "C1,长沙芙蓉,113.032539,28.185389\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["build", "--stations", str(stations), "--county", "430681", "--out-dir", str(out)]) == 0
    data = page_data((out / "index.html").read_text("utf-8"))
    assert data["stations"]["id"] == ["M1"]
    assert data["title"].startswith("汨罗市")
    coverage = read_csv(out / "coverage.csv")
    assert len(coverage) == 123  # the reports stay province-wide


def test_out_dir_that_is_a_file_is_refused_before_any_work(files, capsys):
    files["out"].parent.mkdir(exist_ok=True)
    files["out"].write_text("not a folder", encoding="utf-8")
    assert build(files) == 2
    assert "is a file, not a directory" in capsys.readouterr().err
    assert files["out"].read_text(encoding="utf-8") == "not a folder"


def test_rejects_csv_defuses_spreadsheet_formulas(tmp_path):
    stations = tmp_path / "s.csv"
    stations.write_text('name,lon,lat\n"=HYPERLINK(""http://x"")",abc,28.8\n', encoding="utf-8")
    out = tmp_path / "out"
    good = tmp_path / "g.csv"
    good.write_text(f"name,lon,lat\n好,{MILUO[0]},{MILUO[1]}\n", encoding="utf-8")
    assert main(["build", "--stations", str(stations), "--stations", str(good), "--out-dir", str(out)]) == 0
    rejected = read_csv(out / "rejects.csv")
    assert rejected[0]["name"] == "'=HYPERLINK(\"http://x\")"


def test_version_and_help_name_every_option_with_its_default(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0 and capsys.readouterr().out.strip() == "mapgen 0.1.0"
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--stations", "--offices", "--demand", "--crs", "--minutes", "--speed-kmh", "--basemap",
                   "--tianditu-key", "--county", "--lang", "--title", "--out-dir", "--quiet"):
        assert option in text
    for default in ("(default: 15.0)", "(default: 4.0)", "(default: gaode)", "(default: zh)", "(default: output)"):
        assert default in text


@pytest.mark.parametrize("value", ["0", "-5", "1e9", "nan", "inf"])
def test_absurd_minutes_say_the_accepted_range(files, capsys, value):
    assert build(files, f"--minutes={value}") == 2
    error = capsys.readouterr().err
    assert "--minutes" in error and "between 1 and 120" in error


def test_quiet_prints_nothing_and_no_terminal_means_no_progress(files, capsys):
    assert build(files, "--quiet") == 0
    assert capsys.readouterr() == ("", "")
    assert build(files) == 0
    assert capsys.readouterr().err == ""  # stderr is no terminal here: logs stay clean


def test_progress_shows_on_a_terminal(files):
    import fcntl
    import os
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 wide
    done = subprocess.run([sys.executable, "-m", "mapgen", "build", "--stations", str(files["stations"]),
                           "--out-dir", str(files["out"])], stderr=follower, stdout=subprocess.DEVNULL, check=False)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"service areas and coverage" in shown and b"map page and reports" in shown


def test_template_never_overwrites_without_force(tmp_path, capsys):
    path = tmp_path / "stations.xlsx"
    path.write_bytes(b"a union's filled-in list")
    assert main(["template", str(path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert path.read_bytes() == b"a union's filled-in list"
    assert main(["template", str(path), "--force"]) == 0
    assert openpyxl.load_workbook(path).sheetnames == ["站点", "填写说明"]


def test_template_gets_the_usual_permissions(tmp_path):
    import os

    previous = os.umask(0o022)
    try:
        assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "t.xlsx").stat().st_mode & 0o777 == 0o644


def test_template_into_an_impossible_place_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["template", str(blocker / "t.xlsx")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "cannot write there" in error and "Traceback" not in error


def test_out_dir_with_missing_parents_is_created(files):
    files["out"] = files["out"] / "new" / "deeper"
    assert build(files) == 0
    assert (files["out"] / "index.html").exists()
