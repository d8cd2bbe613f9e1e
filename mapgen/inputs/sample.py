"""Generate the bundled sample: made-up rest stations and trade union offices in geodata/sample/."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from mapgen.geo import geography
from mapgen.outputs import formats

SAMPLE_DIR = geography.GEODATA / "sample"
STATIONS_FILE = "stations.csv"
OFFICES_FILE = "offices.csv"
DEMAND_FILE = "demand.csv"
SEED = 20221231
# Hunan reported about 4,000 stations at the end of 2022.
TOTAL_STATIONS = 4000
# Counties whose real counts the sample reproduces: Miluo's central urban area and Lengshuitan.
FIXED_COUNTS = {"430681": 32, "431103": 24}
CENTRAL_ONLY = frozenset({"430681"})

STATION_HEADER = (
    "编号",
    "站点名称",
    "类型",
    "地址",
    "开放时间",
    "联系电话",
    "服务设施",
    "所属区县",
    "经度",
    "纬度",
)
OFFICE_HEADER = (*STATION_HEADER, "备注")
DEMAND_HEADER = ("编号", "名称", "人数", "经度", "纬度")
# Demand: where outdoor workers work, about 1.2 points per station, spread twice as wide as the stations
# (workers go where stations are not yet), each a group of 1-30 workers.
DEMAND_PER_STATION = 1.2
DEMAND_SPREAD = 2.0
DEMAND_MAX_WORKERS = 30
TYPES = ("工会驿站", "环卫驿站", "爱心驿站", "快递驿站")
TYPE_SHARES = (0.5, 0.25, 0.15, 0.1)
HOURS = ("08:00-20:00", "07:00-22:00", "24小时", "08:30-18:00", "09:00-21:00")
HOUR_SHARES = (0.35, 0.25, 0.15, 0.15, 0.1)
# Facilities in the order they are listed, each with the share of stations that have it.
FACILITIES = {
    "饮水": 1.0,
    "微波炉": 0.7,
    "卫生间": 0.6,
    "座椅": 0.95,
    "充电": 0.75,
    "空调": 0.6,
    "药箱": 0.5,
    "WiFi": 0.45,
}
# Telephone area codes by prefecture; Changsha, Zhuzhou and Xiangtan share 0731 and 8-digit numbers.
AREA_CODES = {
    "4301": "0731",
    "4302": "0731",
    "4303": "0731",
    "4304": "0734",
    "4305": "0739",
    "4306": "0730",
    "4307": "0736",
    "4308": "0744",
    "4309": "0737",
    "4310": "0735",
    "4311": "0746",
    "4312": "0745",
    "4313": "0738",
    "4331": "0743",
}
# Station weights by kind of county: urban districts have the most outdoor workers per county.
WEIGHTS = {"区": 1.6, "市": 1.2, "县": 0.8}

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


@dataclass(frozen=True)
class Cluster:
    """Where a county's stations gather: a centre, a spread (km) and a number of stations."""

    lon: float
    lat: float
    sigma_km: float
    count: int


def station_counts(counties: pd.DataFrame) -> dict[str, int]:
    """Share TOTAL_STATIONS among counties by weight (largest remainder), keeping FIXED_COUNTS."""
    free = counties[~counties["adcode"].isin(list(FIXED_COUNTS))]
    weights = np.array([WEIGHTS[name[-1]] for name in free["county"]])
    shared = TOTAL_STATIONS - sum(FIXED_COUNTS.values())
    quota = weights / weights.sum() * shared
    counts = np.floor(quota).astype(int)
    # What flooring left over goes to the largest remainders; a stable sort gives ties to the lower adcode.
    order = np.argsort(counts - quota, kind="stable")
    counts[order[: shared - counts.sum()]] += 1
    return {**dict(zip(free["adcode"], counts.tolist(), strict=True)), **FIXED_COUNTS}


def _offsets(rng: np.random.Generator, lat: float, sigma_km: float, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw normal offsets in degrees around a point, cut at 3 sigma so clusters stay compact."""
    east, north = rng.normal(0.0, sigma_km, size), rng.normal(0.0, sigma_km, size)
    keep = np.hypot(east, north) <= 3.0 * sigma_km
    scale = KM_PER_DEGREE_LON_EQUATOR * np.cos(np.radians(lat))
    return east[keep] / scale, north[keep] / KM_PER_DEGREE_LAT


def _scatter(rng: np.random.Generator, polygon: shapely.Geometry, cluster: Cluster) -> np.ndarray:
    """Place a cluster's stations at 6-decimal positions strictly inside the county."""
    found: list[np.ndarray] = []
    total = 0
    # Ends: every centre (a seat or a town) lies inside the county, so draws keep landing there.
    while total < cluster.count:
        dlon, dlat = _offsets(rng, cluster.lat, cluster.sigma_km, 4 * cluster.count + 16)
        lon = np.round(cluster.lon + dlon, 6)
        lat = np.round(cluster.lat + dlat, 6)
        # Strictly inside after rounding: a border point could be claimed by the neighbour.
        inside = shapely.contains_xy(polygon, lon, lat)
        found.append(np.column_stack([lon[inside], lat[inside]]))
        total += int(inside.sum())
    return np.concatenate(found)[: cluster.count]


def _km_between(lon: float, lat: float, other: tuple[float, float]) -> float:
    """Approximate ground distance in km between two nearby lon/lat points (plenty for a sample)."""
    east = (lon - other[0]) * KM_PER_DEGREE_LON_EQUATOR * np.cos(np.radians(lat))
    return float(np.hypot(east, (lat - other[1]) * KM_PER_DEGREE_LAT))


def _town_centres(
    rng: np.random.Generator, polygon: shapely.Geometry, seat: tuple[float, float], count: int
) -> np.ndarray:
    """Pick `count` stand-in town centres inside the county, well away from its seat."""
    xmin, ymin, xmax, ymax = polygon.bounds
    area_km2 = polygon.area * KM_PER_DEGREE_LAT * KM_PER_DEGREE_LON_EQUATOR * np.cos(np.radians(seat[1]))
    # Towns lie 8 km or more from the seat, less in urban districts too small for that.
    least_km = min(8.0, 0.3 * np.sqrt(area_km2))
    towns: list[np.ndarray] = []
    while len(towns) < count:
        lon, lat = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        if _km_between(lon, lat, seat) >= least_km and shapely.contains_xy(polygon, lon, lat):
            towns.append(np.array([lon, lat]))
    return np.array(towns)


def clusters(
    rng: np.random.Generator,
    adcode: str,
    county: str,
    polygon: shapely.Geometry,
    seat: tuple[float, float],
    count: int,
) -> list[Cluster]:
    """Split a county's stations between its seat (most of them) and a few town centres."""
    if adcode in CENTRAL_ONLY:
        return [Cluster(seat[0], seat[1], 1.2, count)]
    urban = county.endswith("区")
    towns = _town_centres(rng, polygon, seat, 1 if urban else 3)
    at_seat = round(count * (0.75 if urban else 0.6))
    shares = np.full(len(towns), (count - at_seat) // len(towns))
    shares[: (count - at_seat) % len(towns)] += 1
    found = [Cluster(seat[0], seat[1], 2.5 if urban else 1.5, at_seat)]
    return found + [
        Cluster(float(lon), float(lat), 0.7, int(n)) for (lon, lat), n in zip(towns, shares, strict=True) if n
    ]


def _phone(rng: np.random.Generator, adcode: str) -> str:
    """Make up a landline number in the county's area code that cannot be anyone's.

    Local numbers never start with 0 (it is the trunk prefix), so 0731-0xxxxxxx reaches nobody.
    """
    code = AREA_CODES[adcode[:4]]
    digits = rng.integers(0, 10, 8 if code == "0731" else 7)
    digits[0] = 0
    return f"{code}-{''.join(str(digit) for digit in digits)}"


def _facilities(rng: np.random.Generator) -> str:
    """Draw a station's facilities, ；-separated in a fixed order."""
    present = rng.random(len(FACILITIES)) < np.array(list(FACILITIES.values()))
    return "；".join(name for name, has in zip(FACILITIES, present, strict=True) if has)


def county_stations(county: pd.Series, polygon: shapely.Geometry, count: int) -> list[tuple[str, ...]]:
    """Make up `count` stations in one county, from a generator seeded by SEED and its adcode."""
    adcode, name, prefecture = county["adcode"], county["county"], county["prefecture"]
    # One generator per county, so changing one county's count leaves the others' stations alone.
    rng = np.random.default_rng([SEED, int(adcode)])
    seat = (float(county["lon_gcj02"]), float(county["lat_gcj02"]))
    groups = clusters(rng, adcode, name, polygon, seat, count)
    points = np.concatenate([_scatter(rng, polygon, group) for group in groups])
    rows: list[tuple[str, ...]] = []
    for number, (lon, lat) in enumerate(points, start=1):
        rows.append(
            (
                f"S{adcode}-{number:03d}",
                f"示例驿站 {name} {number:02d}",
                str(rng.choice(TYPES, p=TYPE_SHARES)),
                f"{prefecture}{name}示例路{int(rng.integers(1, 300))}号（示例地址）",
                str(rng.choice(HOURS, p=HOUR_SHARES)),
                _phone(rng, adcode),
                _facilities(rng),
                name,
                f"{lon:.6f}",
                f"{lat:.6f}",
            )
        )
    return rows


def _every_county(make: Callable[[pd.Series, shapely.Geometry, int], list[tuple[str, ...]]]) -> list[tuple[str, ...]]:
    """Rows made county by county in adcode order, each county told its number of stations."""
    counties = geography.load_counties().merge(geography.load_seats()[["adcode", "lon_gcj02", "lat_gcj02"]])
    counts = station_counts(counties)
    return [row for _, county in counties.iterrows() for row in make(county, county["geometry"],
                                                                     counts[county["adcode"]])]


def stations() -> list[tuple[str, ...]]:
    """Make up the whole sample of stations, county by county in adcode order."""
    return _every_county(county_stations)


def county_demand(county: pd.Series, polygon: shapely.Geometry, stations: int) -> list[tuple[str, ...]]:
    """Make up demand points in one county, around the same seat and towns as its stations but wider."""
    adcode, name = county["adcode"], county["county"]
    rng = np.random.default_rng([SEED, int(adcode), 1])
    seat = (float(county["lon_gcj02"]), float(county["lat_gcj02"]))
    count = max(10, round(stations * DEMAND_PER_STATION))
    groups = [Cluster(g.lon, g.lat, g.sigma_km * DEMAND_SPREAD, g.count)
              for g in clusters(rng, adcode, name, polygon, seat, count)]
    points = np.concatenate([_scatter(rng, polygon, group) for group in groups])
    workers = rng.integers(1, DEMAND_MAX_WORKERS + 1, len(points))
    return [(f"D{adcode}-{number:04d}", f"示例需求点 {name} {number:03d}", str(int(n)), f"{lon:.6f}", f"{lat:.6f}")
            for number, ((lon, lat), n) in enumerate(zip(points, workers, strict=True), start=1)]


def demand() -> list[tuple[str, ...]]:
    """Make up the sample's demand points, county by county in adcode order."""
    return _every_county(county_demand)


def _office(code: str, name: str, kind: str, lon: float, lat: float, where: str) -> tuple[str, ...]:
    """Make one union office row, its position marked as the government seat's."""
    county = geography.locate([lon], [lat])["county"].iloc[0]
    note = f"示例数据；位置为{where}政府驻地，近似"
    address = f"{name}政府驻地附近（示例地址，位置近似）"
    return (
        f"O{code}",
        f"{name}总工会（示例）",
        kind,
        address,
        "08:30-17:30",
        "",
        "饮水；卫生间；座椅",
        county,
        f"{lon:.6f}",
        f"{lat:.6f}",
        note,
    )


def offices() -> list[tuple[str, ...]]:
    """List the provincial union, the 14 prefecture unions and the 122 county unions, by adcode."""
    rows = []
    for seat in geography.load_prefecture_seats().to_dict("records"):
        province = seat["adcode"] == "430000"
        kind, where = ("省总工会", "省") if province else ("市（州）总工会", "市（州）")
        rows.append(_office(seat["adcode"], seat["prefecture"], kind, seat["lon_gcj02"], seat["lat_gcj02"], where))
    for seat in geography.load_seats().to_dict("records"):
        kind = "县（市、区）总工会"
        rows.append(_office(seat["adcode"], seat["county"], kind, seat["lon_gcj02"], seat["lat_gcj02"], "县级"))
    return sorted(rows)


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 CSV with a BOM (for Excel on Chinese Windows) and LF line ends."""
    return ("\ufeff" + formats.csv_text(header, rows, for_excel=False)).encode("utf-8")


def write_sample(out_dir: Path = SAMPLE_DIR) -> None:
    """Write stations.csv, offices.csv and demand.csv into out_dir; the same files every time."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / STATIONS_FILE).write_bytes(_csv_bytes(STATION_HEADER, stations()))
    (out_dir / OFFICES_FILE).write_bytes(_csv_bytes(OFFICE_HEADER, offices()))
    (out_dir / DEMAND_FILE).write_bytes(_csv_bytes(DEMAND_HEADER, demand()))


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line: python -m mapgen.inputs.sample [--out geodata/sample]."""
    parser = argparse.ArgumentParser(prog="python -m mapgen.inputs.sample", description=__doc__)
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="default: geodata/sample")
    write_sample(parser.parse_args(argv).out)


if __name__ == "__main__":
    main()
