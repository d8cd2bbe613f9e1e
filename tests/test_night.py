"""Coverage at a time of day (--at): only the stations open then on a weekday, unknown hours counted apart."""

import math

import numpy as np
import pandas as pd
import pytest
import shapely
from test_coverage import ORIGIN, counties, county

from mapgen.analysis import coverage
from mapgen.geo import datum, projection
from mapgen.inputs import hours
from mapgen.outputs import formats, report
from mapgen.settings import Settings

R = 1000.0
COUNTY_M2 = 20_000.0 * 20_000.0  # the county box below, in square metres
DAY_COLUMNS = list(coverage.TABLE_COLUMNS)
NIGHT_COLUMNS = ["open_at", "open_stations", "unknown_hours_stations", "open_covered_pct", "open_demand_covered_pct"]
NO_OFFICES = pd.DataFrame({"adcode": pd.Series([], dtype=str)})


ONE_COUNTY = counties(county("430101", -10000, -10000, 10000, 10000))


def stations(xy, texts, adcode="430101"):
    """Stations at metre offsets from ORIGIN, with the columns read_points gives them."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    lon, lat = projection.to_degrees(ORIGIN[0] + xy[:, 0], ORIGIN[1] + xy[:, 1])
    glon, glat = datum.convert(lon, lat, "wgs84", "gcj02")
    adcodes = [adcode] * len(xy) if isinstance(adcode, str) else list(adcode)
    return pd.DataFrame({
        "kind": "station", "id": [f"s{i}" for i in range(len(xy))], "name": [f"驿站{i}" for i in range(len(xy))],
        "hours": list(texts), "adcode": adcodes, "county": [f"C{a}" for a in adcodes], "prefecture": "P",
        "lon_wgs84": lon, "lat_wgs84": lat, "lon_gcj02": glon, "lat_gcj02": glat,
    })  # fmt: skip


def demand_points(xy, weight):
    frame = stations(xy, [""] * len(weight)).drop(columns=["kind", "hours"])
    frame["weight"] = np.asarray(weight, dtype=float)
    return frame


def analyse(points, shapes=ONE_COUNTY, demand=None, at=None):
    return coverage.analyse(points, NO_OFFICES, demand, shapes, Settings(), open_at_minute=at)


def row(result, adcode="430101"):
    return result.table.set_index("adcode").loc[adcode]


def pct_of_county(disks_open):
    """Percentage of the county within reach of that many non-overlapping full disks, by hand."""
    return 100.0 * disks_open * math.pi * R * R / COUNTY_M2


THREE = stations([(-6000, -6000), (0, 0), (6000, 6000)], ["24小时", "08:00-18:00", ""])


def test_at_night_only_the_round_the_clock_station_counts():
    result = analyse(THREE, at=22 * 60)
    assert list(result.table.columns) == DAY_COLUMNS + NIGHT_COLUMNS
    for adcode in ("430101", coverage.PROVINCE_ADCODE):
        figures = row(result, adcode)
        assert figures["open_at"] == "22:00"
        assert figures["stations"] == 3
        assert figures["open_stations"] == 1
        assert figures["unknown_hours_stations"] == 1
        assert figures["covered_pct"] == pytest.approx(pct_of_county(3), rel=1e-4)
        assert figures["open_covered_pct"] == pytest.approx(pct_of_county(1), rel=1e-4)
        assert math.isnan(figures["open_demand_covered_pct"])


def test_by_day_two_stations_are_open_and_the_unknown_one_is_still_not():
    figures = row(analyse(THREE, at=10 * 60))
    assert figures["open_at"] == "10:00"
    assert (figures["open_stations"], figures["unknown_hours_stations"]) == (2, 1)
    assert figures["open_covered_pct"] == pytest.approx(pct_of_county(2), rel=1e-4)


def test_without_a_time_the_table_and_result_are_as_before():
    plain = coverage.analyse(THREE, NO_OFFICES, None, ONE_COUNTY, Settings())
    result = analyse(THREE)
    assert list(result.table.columns) == DAY_COLUMNS
    pd.testing.assert_frame_equal(result.table, plain.table)
    assert result.open_service_area is None
    night = analyse(THREE, at=22 * 60)
    pd.testing.assert_frame_equal(night.table[DAY_COLUMNS], plain.table)  # the day figures do not move
    assert formats.coverage_csv(plain.table) == formats.coverage_csv(result.table)


@pytest.mark.parametrize(("minute", "is_open"), [(22 * 60, True), (5 * 60, True), (12 * 60, False), (6 * 60, False)])
def test_overnight_hours_hold_past_midnight(minute, is_open):
    figures = row(analyse(stations([(0, 0)], ["20:00-06:00"]), at=minute))
    assert figures["open_stations"] == int(is_open)
    assert figures["unknown_hours_stations"] == 0
    assert figures["open_covered_pct"] == pytest.approx(pct_of_county(int(is_open)), rel=1e-4, abs=1e-9)


def test_a_weekend_only_station_is_closed_on_the_weekday():
    figures = row(analyse(stations([(0, 0)], ["周六至周日 9:00-17:00"]), at=10 * 60))
    assert (figures["open_stations"], figures["unknown_hours_stations"], figures["open_covered_pct"]) == (0, 0, 0.0)
    assert figures["covered_pct"] == pytest.approx(pct_of_county(1), rel=1e-4)


def test_demand_within_reach_of_the_open_stations():
    points = stations([(0, 0), (5000, 0)], ["24小时", "08:00-18:00"])
    # 400 m from the open station, 300 m from the day-only one, and 4,000 m from both.
    demand = demand_points([(400, 0), (5300, 0), (-4000, 0)], [10.0, 20.0, 5.0])
    night = row(analyse(points, demand=demand, at=22 * 60))
    assert night["demand_covered_pct"] == pytest.approx(100 * 30 / 35)
    assert night["open_demand_covered_pct"] == pytest.approx(100 * 10 / 35)
    day = row(analyse(points, demand=demand, at=12 * 60))
    assert day["open_demand_covered_pct"] == pytest.approx(100 * 30 / 35)


def test_unknown_hours_are_counted_per_county_and_summed_for_the_province():
    shapes = counties(county("430101", -10000, -10000, 0, 10000), county("430102", 0, -10000, 10000, 10000))
    points = stations([(-5000, -5000), (-5000, 5000), (5000, 0), (5000, 5000)],
                      ["节假日另行通知", "", "24小时", None], adcode=["430101", "430101", "430102", "430102"])
    result = analyse(points, shapes, at=3 * 60 + 5)
    table = result.table.set_index("adcode")
    assert table["unknown_hours_stations"].to_dict() == {"430101": 2, "430102": 1, "430000": 3}
    assert table["open_stations"].to_dict() == {"430101": 0, "430102": 1, "430000": 1}
    assert table["open_at"].unique().tolist() == ["03:05"]
    assert table.loc["430102", "open_covered_pct"] == pytest.approx(200 * math.pi * R * R / COUNTY_M2, rel=1e-4)


def test_stations_without_an_hours_column_are_all_unknown():
    figures = row(analyse(THREE.drop(columns=["hours"]), at=22 * 60))
    assert (figures["open_stations"], figures["unknown_hours_stations"], figures["open_covered_pct"]) == (0, 3, 0.0)


def test_open_service_area_is_the_open_stations_reach():
    result = analyse(THREE, at=22 * 60)
    area = result.open_service_area
    x, y = projection.to_metres(*np.array(area.exterior.coords if area.geom_type == "Polygon" else
                                          area.geoms[0].exterior.coords).T)
    assert shapely.Polygon(np.column_stack([x, y])).area == pytest.approx(math.pi * R * R, rel=0.01)
    at = {i: shapely.Point(THREE["lon_wgs84"][i], THREE["lat_wgs84"][i]) for i in range(3)}
    assert area.contains(at[0]) and not area.intersects(at[1]) and not area.intersects(at[2])
    assert result.service_area.contains(at[1])


def test_county_scope_keeps_the_open_service_area_to_the_county():
    shapes = counties(county("430101", -10000, -10000, 0, 10000), county("430102", 0, -10000, 10000, 10000))
    points = stations([(-5000, 0), (5000, 0), (-400, 3000)], ["24小时", "24小时", "08:00-18:00"],
                      adcode=["430101", "430102", "430101"])
    result = analyse(points, shapes, at=22 * 60)
    _, scoped = coverage.county_scope(points, result, "430102", R)
    east = shapely.Point(points["lon_wgs84"][1], points["lat_wgs84"][1])
    west = shapely.Point(points["lon_wgs84"][0], points["lat_wgs84"][0])
    assert scoped.open_service_area.contains(east) and not scoped.open_service_area.intersects(west)
    assert not scoped.open_service_area.contains(shapely.Point(points["lon_wgs84"][2], points["lat_wgs84"][2]))
    assert scoped.service_area.contains(shapely.Point(points["lon_wgs84"][2], points["lat_wgs84"][2]))


def test_open_mask_parses_each_distinct_text_once(monkeypatch):
    calls = []

    def counting(text):
        calls.append(text)
        return parse(text)

    parse = hours.parse_hours
    monkeypatch.setattr(hours, "parse_hours", counting)
    texts = pd.Series(["24小时", "8:00-18:00", "", "24小时", "8:00-18:00", "20:00-06:00", "", "看情况", "看情况"] * 50)
    is_open, unknown = hours.open_mask(texts, 22 * 60)
    assert sorted(calls) == sorted(["24小时", "8:00-18:00", "20:00-06:00", "看情况"])
    assert is_open[:9].tolist() == [True, False, False, True, False, True, False, False, False]
    assert unknown[:9].tolist() == [False, False, True, False, False, False, True, True, True]
    assert is_open.dtype == bool and unknown.dtype == bool and len(is_open) == len(texts)
    assert not (is_open & unknown).any()


def test_open_mask_weekday_and_bounds():
    texts = pd.Series(["周六至周日 9:00-17:00", "工作日 9:00-17:00"])
    assert hours.open_mask(texts, 600)[0].tolist() == [False, True]  # Wednesday by default
    assert hours.open_mask(texts, 600, weekday=5)[0].tolist() == [True, False]
    assert hours.open_mask(pd.Series([], dtype=object), 600)[0].shape == (0,)
    with pytest.raises(ValueError, match="no such time"):
        hours.open_mask(texts, 24 * 60)


def test_open_at_matches_the_page_rules():
    assert hours.open_at(hours.parse_hours("周五 20:00-02:00"), 5, 60) is True  # Friday night into Saturday
    assert hours.open_at(hours.parse_hours("周五 20:00-02:00"), 4, 60) is False  # not Thursday night
    assert hours.open_at(hours.parse_hours("8:00-18:00"), 2, 18 * 60) is False  # the end minute is closed
    assert hours.open_at(hours.parse_hours("8:00-18:00"), 2, 8 * 60) is True
    assert hours.open_at(None, 2, 0) is None


def test_coverage_csv_rounds_the_night_percentages():
    points = stations([(0, 0), (5000, 0)], ["24小时", "08:00-18:00"])
    demand = demand_points([(400, 0), (5300, 0), (-4000, 0)], [10.0, 20.0, 5.0])
    text = formats.coverage_csv(analyse(points, demand=demand, at=22 * 60).table)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[-5:] == NIGHT_COLUMNS
    cells = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    assert cells["open_at"] == "22:00" and cells["open_stations"] == "1" and cells["unknown_hours_stations"] == "0"
    assert cells["open_covered_pct"] == str(round(pct_of_county(1), 2))
    assert cells["open_demand_covered_pct"] == "28.57"


def test_planner_summary_compares_day_and_night():
    shapes = counties(county("430101", -10000, -10000, 0, 10000), county("430102", 0, -10000, 10000, 10000))
    points = stations([(-5000, -5000), (-5000, 5000), (5000, 0), (5000, 5000)],
                      ["", "", "24小时", "看情况"], adcode=["430101", "430101", "430102", "430102"])
    demand = demand_points([(5000, 300), (-5000, 5000)], [3.0, 1.0])
    table = analyse(points, shapes, demand=demand, at=22 * 60).table
    text = "\n".join(report.planner_summary(table, R))
    night = table.set_index("adcode").loc["430000"]
    assert (f"at 22:00 on a weekday: 1 of 4 stations open; {night['open_covered_pct']:.2f}% of Hunan within reach "
            f"(by day {night['covered_pct']:.2f}%)") in text
    assert "demand within reach at 22:00: 75.00% of workers (by day 100.00%)" in text
    assert "3 stations with missing or unreadable hours" in text
    unknown = [line for line in text.splitlines() if line.endswith("stations with unknown hours")]
    assert [line.split()[0] for line in unknown] == ["430101", "430102"]
    assert "at 22:00" not in "\n".join(report.planner_summary(analyse(points, shapes).table, R))
    known = analyse(points.assign(hours="24小时"), shapes, at=22 * 60).table
    assert "  every station's hours were understood" in report.planner_summary(known, R)
