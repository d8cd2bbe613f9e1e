"""The planner's build: suggestions from the command line, the priority list, night coverage."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mapgen.cli import main

SUGGESTION_COLUMNS = ["rank", "candidate_id", "lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84", "adcode", "county",
                      "newly_covered", "cumulative_covered", "cumulative_covered_pct", "nearest_station_m"]
MILUO = (113.0673, 28.8069)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))


@pytest.fixture(scope="module")
def sample_suggestions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("suggest") / "out"
    assert main(["build", "--suggest", "10", "--at", "22:00", "--out-dir", str(out), "--basemap", "none",
                 "--quiet"]) == 0
    return out


def test_the_sample_suggests_out_of_the_box(sample_suggestions: Path) -> None:
    sites = read_csv(sample_suggestions / "suggestions.csv")
    assert list(sites[0]) == SUGGESTION_COLUMNS
    assert [int(s["rank"]) for s in sites] == list(range(1, 11))
    added = [float(s["newly_covered"]) for s in sites]
    assert all(a > 0 for a in added) and added == sorted(added, reverse=True)
    cumulative = [float(s["cumulative_covered"]) for s in sites]
    assert cumulative[1:] == pytest.approx([c + a for c, a in zip(cumulative, added[1:], strict=False)], abs=0.02)
    features = json.loads((sample_suggestions / "suggestions.geojson").read_text("utf-8"))["features"]
    assert [f["properties"]["candidate_id"] for f in features] == [s["candidate_id"] for s in sites]
    assert all(s["candidate_id"].startswith("D43") for s in sites)  # candidates default to the demand points


def test_the_priority_list_ranks_counties_by_uncovered_workers(sample_suggestions: Path) -> None:
    table = read_csv(sample_suggestions / "coverage.csv")
    counties = [row for row in table if row["adcode"] != "430000"]
    assert sorted(int(row["priority"]) for row in counties) == list(range(1, 123))
    uncovered = {row["adcode"]: float(row["demand_total"]) - float(row["demand_covered"]) for row in counties}
    ranked = sorted(counties, key=lambda row: int(row["priority"]))
    assert [uncovered[row["adcode"]] for row in ranked] == sorted(uncovered.values(), reverse=True)
    assert sum(int(row["suggested_sites"]) for row in counties) == 10
    province = next(row for row in table if row["adcode"] == "430000")
    assert province["priority"] == "" and province["suggested_sites"] == "10"
    assert province["open_at"] == "22:00"


def test_suggestions_need_demand_on_real_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stations = tmp_path / "s.csv"
    stations.write_text(f"名称,经度,纬度\n一号站,{MILUO[0]},{MILUO[1]}\n", encoding="utf-8")
    assert main(["build", "--stations", str(stations), "--suggest", "5", "--out-dir", str(tmp_path / "o")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "--suggest needs --demand" in error
    assert main(["build", "--stations", str(stations), "--candidates", str(stations),
                 "--out-dir", str(tmp_path / "o")]) == 2
    assert "--candidates needs --suggest" in capsys.readouterr().err


def test_county_suggestions_stay_in_the_county_and_candidates_are_used(tmp_path: Path) -> None:
    stations = tmp_path / "s.csv"
    stations.write_text(f"名称,经度,纬度\n一号站,{MILUO[0]},{MILUO[1]}\n", encoding="utf-8")
    demand = tmp_path / "d.csv"
    rows = [(MILUO[0] + 0.03 * k, MILUO[1], 10 * k) for k in range(1, 4)] + [(113.0326, 28.1854, 99)]  # 长沙
    demand.write_text("经度,纬度,人数\n" + "".join(f"{x},{y},{w}\n" for x, y, w in rows), encoding="utf-8")
    candidates = tmp_path / "c.csv"
    candidates.write_text("编号,名称,经度,纬度\n"
                          f"C1,银行网点,{rows[2][0]},{rows[2][1]}\nC2,长沙邮局,113.0326,28.1854\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["build", "--stations", str(stations), "--demand", str(demand), "--candidates", str(candidates),
                 "--suggest", "3", "--county", "汨罗市", "--out-dir", str(out), "--quiet"]) == 0
    sites = read_csv(out / "suggestions.csv")
    assert [(s["candidate_id"], s["county"], float(s["newly_covered"])) for s in sites] == [("C1", "汨罗市", 30.0)]


def test_a_build_without_suggest_removes_the_old_suggestions(sample_suggestions: Path, tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "out"
    shutil.copytree(sample_suggestions, out)
    assert main(["build", "--out-dir", str(out), "--basemap", "none", "--quiet"]) == 0
    assert not (out / "suggestions.csv").exists() and not (out / "suggestions.geojson").exists()
