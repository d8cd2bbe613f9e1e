"""Synthetic station and demand files, every point inside a county: clustered around county seats and towns,
spread evenly over the province, or mixed (dense towns plus sparse countryside)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from mapgen.geo import datum, geography

# Bump when the generator changes, so cached files in bench/work/ are made anew.
GENERATOR_VERSION = 1
STATION_HEADER = ("编号", "站点名称", "经度", "纬度", "地址", "类型", "开放时间", "联系电话", "服务设施")
DEMAND_HEADER = ("编号", "名称", "经度", "纬度", "人数")
TYPES = ("工会驿站", "环卫驿站", "爱心驿站", "快递驿站")
HOURS = ("08:00-20:00", "07:00-22:00", "24小时", "08:30-18:00", "09:00-21:00")
FACILITIES = ("饮水", "微波炉", "卫生间", "座椅", "充电", "空调", "药箱", "WiFi")
# Stations per county by kind of county (urban districts have the most outdoor workers), as the sample does.
COUNTY_WEIGHTS = {"区": 1.6, "市": 1.2, "县": 0.8}
SEAT_SHARE = (0.35, 0.6)  # share of a county's points around its seat; the rest go to its towns
TOWNS = (2, 6)  # towns per county
SEAT_SIGMA_KM = (2.0, 3.0)
TOWN_SIGMA_KM = (1.0, 2.0)
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320
# How stations lie: around seats and towns (the first benchmark's input), evenly over the province (rural
# counties, a national programme), or both: MIXED_TOWN_SHARE of the points in towns, the rest spread.
DISTRIBUTIONS = ("clustered", "spread", "mixed")
MIXED_TOWN_SHARE = 0.6


@dataclass(frozen=True)
class Clusters:
    """Cluster centres (GCJ-02 lon/lat), their Gaussian spread in km and how many points each gets."""

    lon: np.ndarray
    lat: np.ndarray
    sigma_km: np.ndarray
    count: np.ndarray


def county_counts(counties: pd.DataFrame, total: int, rng: np.random.Generator) -> np.ndarray:
    """Share `total` points among counties by kind of county times a random factor (largest remainder)."""
    weights = np.array([COUNTY_WEIGHTS.get(name[-1], 1.0) for name in counties["county"]])
    weights = weights * rng.uniform(0.5, 1.5, len(weights))
    quota = weights / weights.sum() * total
    counts = np.floor(quota).astype(int)
    order = np.argsort(counts - quota, kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def random_inside(polygon: shapely.Geometry, size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` uniform random points inside a polygon (rejection sampling in its bounding box), as (n, 2)."""
    shapely.prepare(polygon)
    west, south, east, north = polygon.bounds
    found = np.empty((0, 2))
    while len(found) < size:
        xy = np.column_stack([rng.uniform(west, east, 4 * size), rng.uniform(south, north, 4 * size)])
        found = np.concatenate([found, xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]])
    return found[:size]


def clusters(total: int, rng: np.random.Generator) -> Clusters:
    """A seat cluster and a few town clusters per county, sharing `total` points."""
    counties = geography.load_counties()
    seats = geography.load_seats().set_index("adcode").reindex(counties["adcode"])
    parts: list[tuple[float, float, float, int]] = []
    for row, count in enumerate(county_counts(counties, total, rng)):
        towns = random_inside(counties.geometry.iloc[row], int(rng.integers(TOWNS[0], TOWNS[1] + 1)), rng)
        shares = np.concatenate([[rng.uniform(*SEAT_SHARE)], rng.dirichlet(np.ones(len(towns)))])
        shares[1:] *= 1.0 - shares[0]
        split = np.floor(shares * count).astype(int)
        split[0] += count - split.sum()
        seat = seats.iloc[row]
        parts.append((seat["lon_gcj02"], seat["lat_gcj02"], rng.uniform(*SEAT_SIGMA_KM), int(split[0])))
        parts += [(x, y, rng.uniform(*TOWN_SIGMA_KM), int(n)) for (x, y), n in zip(towns, split[1:], strict=True)]
    lon, lat, sigma, count = (np.array(column) for column in zip(*parts, strict=True))
    return Clusters(lon, lat, sigma, count.astype(int))


def scatter(spec: Clusters, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian points around each centre, at 6 decimals, redrawn until every one lies inside a county."""
    lon_parts, lat_parts = [], []
    for k in range(len(spec.count)):
        lon, lat = _cluster_points(spec, k, rng)
        lon_parts.append(lon)
        lat_parts.append(lat)
    return np.concatenate(lon_parts), np.concatenate(lat_parts)


def _cluster_points(spec: Clusters, k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The points of cluster k, all inside a county."""
    need = int(spec.count[k])
    lon, lat = np.empty(0), np.empty(0)
    km_per_lon = KM_PER_DEGREE_LON_EQUATOR * np.cos(np.radians(spec.lat[k]))
    while len(lon) < need:
        size = 2 * (need - len(lon)) + 8
        x = np.round(spec.lon[k] + rng.normal(0.0, spec.sigma_km[k], size) / km_per_lon, 6)
        y = np.round(spec.lat[k] + rng.normal(0.0, spec.sigma_km[k], size) / KM_PER_DEGREE_LAT, 6)
        inside = geography.locate(x, y)["adcode"].notna().to_numpy()
        lon, lat = np.concatenate([lon, x[inside]]), np.concatenate([lat, y[inside]])
    return lon[:need], lat[:need]


def station_rows(lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator) -> list[list[str]]:
    """CSV rows with short synthetic names, addresses, types, hours, phones and facilities."""
    types = rng.choice(len(TYPES), len(lon), p=(0.5, 0.25, 0.15, 0.1))
    hours = rng.choice(len(HOURS), len(lon), p=(0.35, 0.25, 0.15, 0.15, 0.1))
    has = rng.random((len(lon), len(FACILITIES))) < np.array([1.0, 0.7, 0.6, 0.95, 0.75, 0.6, 0.5, 0.45])
    phones = rng.integers(10_000_000, 99_999_999, len(lon))
    rows = []
    for k in range(len(lon)):
        facilities = "；".join(f for f, on in zip(FACILITIES, has[k], strict=True) if on)
        phone = f"0731-{phones[k]}" if k % 3 == 0 else ""
        rows.append([f"B{k + 1:06d}", f"驿站 {k + 1}", f"{lon[k]:.6f}", f"{lat[k]:.6f}", f"某路 {k % 500 + 1} 号",
                     TYPES[types[k]], HOURS[hours[k]], phone, facilities])  # fmt: skip
    return rows


def demand_rows(lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator) -> list[list[str]]:
    """CSV rows of demand points: a depot or hub with a number of workers."""
    workers = np.clip(np.rint(rng.lognormal(2.3, 0.8, len(lon))), 1, 500).astype(int)
    return [[f"D{k + 1:06d}", f"作业点 {k + 1}", f"{lon[k]:.6f}", f"{lat[k]:.6f}", str(workers[k])]
            for k in range(len(lon))]  # fmt: skip


def write_csv(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    """Write a UTF-8 CSV with a BOM, as Excel on a Chinese Windows saves it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    partial.replace(path)


def stations_file(work: Path, size: int, *, seed: int = 2024, distribution: str = "clustered") -> Path:
    """The station CSV of `size` points in `work`, generated once and reused while the generator is unchanged."""
    name = "stations" if distribution == "clustered" else f"stations_{distribution}"
    return _points_file(work / f"{name}_{size}_v{GENERATOR_VERSION}_s{seed}.csv", size, seed,
                        STATION_HEADER, station_rows, distribution)


def demand_file(work: Path, size: int, *, seed: int = 7) -> Path:
    """The demand CSV of `size` points in `work`, generated once."""
    return _points_file(work / f"demand_{size}_v{GENERATOR_VERSION}_s{seed}.csv", size, seed,
                        DEMAND_HEADER, demand_rows)


def _points_file(path: Path, size: int, seed: int, header: tuple[str, ...],
                 rows: Callable[[np.ndarray, np.ndarray, np.random.Generator], list[list[str]]],
                 distribution: str = "clustered") -> Path:
    """Write `size` points placed as `distribution` says to `path` unless it is already there."""
    if not path.exists():
        rng = np.random.default_rng([seed, size])
        lon, lat = place(size, distribution, rng)
        write_csv(path, header, rows(lon, lat, rng))
    return path


def place(size: int, distribution: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 positions (6 decimals) of `size` points: clustered, spread evenly, or mixed."""
    if distribution not in DISTRIBUTIONS:
        msg = f"distribution {distribution!r} is not one of {DISTRIBUTIONS}"
        raise ValueError(msg)
    towns = {"clustered": size, "spread": 0, "mixed": round(size * MIXED_TOWN_SHARE)}[distribution]
    lon, lat = scatter(clusters(towns, rng), rng) if towns else (np.empty(0), np.empty(0))
    even = spread(size - towns, rng)
    return np.concatenate([lon, even[:, 0]]), np.concatenate([lat, even[:, 1]])


def spread(size: int, rng: np.random.Generator) -> np.ndarray:
    """`size` points uniform over the province's counties (by area), at 6 decimals, as (n, 2)."""
    if size == 0:
        return np.empty((0, 2))
    outline = shapely.union_all(geography.load_counties().geometry.array)
    return np.round(random_inside(outline, size, rng), 6)


def query_points(count: int, *, seed: int = 11) -> np.ndarray:
    """`count` random WGS-84 (lat, lon) points inside Hunan's counties, for nearest() calls."""
    rng = np.random.default_rng(seed)
    outline = shapely.union_all(geography.load_counties().geometry.array)
    gcj = random_inside(outline, count, rng)
    lon, lat = datum.convert(gcj[:, 0], gcj[:, 1], "gcj02", "wgs84")
    return np.column_stack([lat, lon])
