"""Service areas and coverage per county: union, cross-coverage, demand and gaps."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from mapgen import datum, projection
from mapgen.settings import Settings

PROVINCE_ADCODE = "430000"
TABLE_COLUMNS = (
    "adcode", "county", "prefecture", "stations", "offices", "area_km2", "covered_km2", "covered_pct",
    "cross_covered_pct", "demand_total", "demand_covered", "demand_covered_pct",
)
# A service area is a 64-gon whose radius is stretched so that its area equals the circle's:
# an inscribed 64-gon would lose 0.16% of every area, a 32-gon 0.64%.
_SIDES = 32
_AREA_STRETCH = float(np.sqrt(2.0 * np.pi / (_SIDES * np.sin(2.0 * np.pi / _SIDES))))


@dataclass(frozen=True)
class Coverage:
    """The result of the analysis, in the shapes the reports and the map need."""

    table: pd.DataFrame  # coverage.csv: one row per county plus the province row 430000
    counties: gpd.GeoDataFrame  # counties in scope: adcode, county, prefecture, geometry (GCJ-02)
    service_area: BaseGeometry  # dissolved reach of all stations, WGS-84 lon/lat
    cross_area: BaseGeometry  # within reach of two or more stations, WGS-84 lon/lat
    gaps: gpd.GeoDataFrame  # gaps.geojson content, WGS-84 lon/lat


def service_areas(x: NDArray[np.float64], y: NDArray[np.float64], radius_m: float) -> NDArray[np.object_]:
    """Equal-area polygons of `radius_m` around projected points, built in one vectorised step."""
    angles = np.linspace(0.0, 2.0 * np.pi, _SIDES + 1)
    angles[-1] = 0.0  # close each ring exactly
    ring_x = np.cos(angles) * radius_m * _AREA_STRETCH
    ring_y = np.sin(angles) * radius_m * _AREA_STRETCH
    coords = np.stack([x[:, None] + ring_x[None, :], y[:, None] + ring_y[None, :]], axis=-1)
    return shapely.polygons(coords)


def pairs_within(x: NDArray[np.float64], y: NDArray[np.float64], distance: float) -> NDArray[np.intp]:
    """Index pairs (i < j) of Delaunay neighbours closer than `distance`, plus coincident points.

    The two stations nearest to any place are Delaunay neighbours, so a place within reach of two
    or more stations lies in the lens of some Delaunay edge shorter than twice the radius.
    """
    points = np.column_stack([x, y])
    unique, first, inverse = np.unique(points, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    twins = np.flatnonzero(first[inverse] != np.arange(len(points)))
    pairs = [np.column_stack([first[inverse[twins]], twins])]
    if len(unique) >= 2:
        edges = shapely.delaunay_triangles(shapely.multipoints(unique), only_edges=True)
        ends = shapely.get_coordinates(edges).reshape(-1, 2, 2)
        a = _lookup(unique, ends[:, 0])
        b = _lookup(unique, ends[:, 1])
        length = np.hypot(*(ends[:, 0] - ends[:, 1]).T)
        keep = length < distance
        pairs.append(np.column_stack([first[a[keep]], first[b[keep]]]))
    found = np.concatenate(pairs).astype(np.intp)
    return np.sort(found, axis=1)


def _lookup(sorted_points: NDArray[np.float64], query: NDArray[np.float64]) -> NDArray[np.intp]:
    """Row index of each query point in `sorted_points` (rows sorted lexicographically, as np.unique gives)."""
    keys = sorted_points.view([("x", np.float64), ("y", np.float64)]).reshape(-1)
    wanted = np.ascontiguousarray(query).view([("x", np.float64), ("y", np.float64)]).reshape(-1)
    return np.searchsorted(keys, wanted).astype(np.intp)


def _union(geometries: NDArray[np.object_]) -> BaseGeometry:
    return shapely.union_all(geometries) if len(geometries) else shapely.Polygon()


@dataclass(frozen=True)
class _CountyReach:
    """Covered and cross-covered parts of one county, in metres."""

    covered: BaseGeometry
    cross: BaseGeometry


def _county_reach(county: BaseGeometry, circles: NDArray[np.object_], tree: shapely.STRtree,
                  x: NDArray[np.float64], y: NDArray[np.float64], radius_m: float) -> _CountyReach:
    near = tree.query(county, predicate="intersects")
    if len(near) == 0:
        return _CountyReach(shapely.Polygon(), shapely.Polygon())
    near.sort()
    covered = shapely.intersection(_union(circles[near]), county)
    pairs = pairs_within(x[near], y[near], 2.0 * radius_m)
    lenses = shapely.intersection(circles[near[pairs[:, 0]]], circles[near[pairs[:, 1]]])
    cross = shapely.intersection(_union(lenses), county)
    return _CountyReach(covered, cross)


def analyse(
    stations: pd.DataFrame, offices: pd.DataFrame, demand: pd.DataFrame | None,
    counties: gpd.GeoDataFrame, settings: Settings,
) -> Coverage:
    """Coverage of every county in `counties` by every station's reach, wherever the station is."""
    radius = settings.radius_m
    shapes = _counties_in_metres(counties)
    x, y = projection.to_metres(stations["lon_wgs84"].to_numpy(float), stations["lat_wgs84"].to_numpy(float))
    circles = service_areas(x, y, radius)
    tree = shapely.STRtree(circles)
    reach = [_county_reach(shape, circles, tree, x, y, radius) for shape in shapes]
    table = _table(counties, shapes, reach, stations, offices, demand, radius, x, y)
    covered = [r.covered for r in reach]
    return Coverage(
        table=table,
        counties=counties,
        service_area=_to_wgs84(_collect(covered)),
        cross_area=_to_wgs84(_collect([r.cross for r in reach])),
        gaps=_gaps(counties, shapes, covered, demand, x, y, radius),
    )


def _collect(pieces: list[BaseGeometry]) -> BaseGeometry:
    """One MultiPolygon of per-county pieces: they only touch along county borders, so no union is needed."""
    parts = shapely.get_parts(np.array(pieces, dtype=object))
    polygons = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    return shapely.multipolygons(polygons)


def _counties_in_metres(counties: gpd.GeoDataFrame) -> list[BaseGeometry]:
    return [projection.geometry_to_metres(datum.convert_geometry(g, "gcj02", "wgs84")) for g in counties.geometry]


def _to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """Unproject for output; no simplification, since a service area's 32-gon edges are already 200 m long."""
    return projection.geometry_to_degrees(geometry)


def _demand_reach(
    demand: pd.DataFrame, x: NDArray[np.float64], y: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Distance in metres from each demand point to its nearest station (inf with no station)."""
    if len(x) == 0:
        return np.full(len(demand), np.inf)
    dx, dy = projection.to_metres(demand["lon_wgs84"].to_numpy(float), demand["lat_wgs84"].to_numpy(float))
    tree = shapely.STRtree(shapely.points(x, y))
    (_, _), distance = tree.query_nearest(shapely.points(dx, dy), return_distance=True, all_matches=False)
    return np.asarray(distance, dtype=float)


def _table(
    counties: gpd.GeoDataFrame, shapes: list[BaseGeometry], reach: list[_CountyReach],
    stations: pd.DataFrame, offices: pd.DataFrame, demand: pd.DataFrame | None,
    radius: float, x: NDArray[np.float64], y: NDArray[np.float64],
) -> pd.DataFrame:
    table = pd.DataFrame({
        "adcode": counties["adcode"].to_numpy(str),
        "county": counties["county"].to_numpy(str),
        "prefecture": counties["prefecture"].to_numpy(str),
    })
    table["stations"] = table["adcode"].map(stations["adcode"].value_counts()).fillna(0).astype(int)
    table["offices"] = table["adcode"].map(offices["adcode"].value_counts()).fillna(0).astype(int)
    table["area_km2"] = np.array([s.area for s in shapes]) / 1e6
    table["covered_km2"] = np.array([r.covered.area for r in reach]) / 1e6
    table["cross_km2"] = np.array([r.cross.area for r in reach]) / 1e6
    table["demand_total"] = np.nan
    table["demand_covered"] = np.nan
    if demand is not None:
        reached = demand.assign(covered=(_demand_reach(demand, x, y) <= radius) * demand["weight"])
        sums = reached.groupby("adcode")[["weight", "covered"]].sum()
        table["demand_total"] = table["adcode"].map(sums["weight"]).fillna(0.0)
        table["demand_covered"] = table["adcode"].map(sums["covered"]).fillna(0.0)
    province = table.drop(columns=["adcode", "county", "prefecture"]).sum(min_count=1)
    total = pd.DataFrame([{"adcode": PROVINCE_ADCODE, "county": "湖南省", "prefecture": "", **province}])
    table = pd.concat([table, total], ignore_index=True)
    return _percentages(table)


def _percentages(table: pd.DataFrame) -> pd.DataFrame:
    area = table["area_km2"].where(table["area_km2"] > 0)
    table["covered_pct"] = 100.0 * table["covered_km2"] / area
    table["cross_covered_pct"] = 100.0 * table["cross_km2"] / area
    weight = table["demand_total"].where(table["demand_total"] > 0)
    table["demand_covered_pct"] = 100.0 * table["demand_covered"] / weight
    table[["stations", "offices"]] = table[["stations", "offices"]].astype(int)
    return table[list(TABLE_COLUMNS)]


def _gaps(
    counties: gpd.GeoDataFrame, shapes: list[BaseGeometry], covered: list[BaseGeometry],
    demand: pd.DataFrame | None, x: NDArray[np.float64], y: NDArray[np.float64], radius: float,
) -> gpd.GeoDataFrame:
    if demand is not None:
        return _demand_gaps(demand, _demand_reach(demand, x, y), radius)
    uncovered = shapely.difference(np.array(shapes, dtype=object), np.array(covered, dtype=object))
    frame = pd.DataFrame({
        "adcode": counties["adcode"].to_numpy(str),
        "county": counties["county"].to_numpy(str),
        "prefecture": counties["prefecture"].to_numpy(str),
        "uncovered_km2": np.round(shapely.area(uncovered) / 1e6, 3),
    })
    geometry = [_to_wgs84(g) for g in uncovered]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _demand_gaps(demand: pd.DataFrame, distance: NDArray[np.float64], radius: float) -> gpd.GeoDataFrame:
    """Uncovered demand points, heaviest first, with the distance to the nearest station."""
    out = demand.assign(distance_m=np.round(np.where(np.isfinite(distance), distance, np.nan), 1))
    out = out[~(distance <= radius)]
    out = out.sort_values(["weight", "distance_m"], ascending=[False, False], kind="stable")
    frame = out[["id", "name", "weight", "adcode", "county", "prefecture", "distance_m"]].reset_index(drop=True)
    points = shapely.points(out["lon_wgs84"].to_numpy(float), out["lat_wgs84"].to_numpy(float))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")
