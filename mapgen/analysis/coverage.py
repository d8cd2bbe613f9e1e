"""Service areas and coverage per county: union, cross-coverage, demand and gaps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from mapgen.analysis import disks
from mapgen.geo import projection
from mapgen.geo.geography import PROVINCE_ADCODE
from mapgen.inputs import hours
from mapgen.settings import Settings

if TYPE_CHECKING:
    from mapgen.network.area import WalkingNetwork

# A county map shows the stations this close to the county too: workers near a border walk across it.
NEARBY_M = 30_000.0
TABLE_COLUMNS = (
    "adcode", "county", "prefecture", "stations", "offices", "area_km2", "covered_km2", "covered_pct",
    "cross_covered_pct", "demand_total", "demand_covered", "demand_covered_pct", "reach",
)
# The figures a walking network gives only for the counties its extract was read for (--network with --county).
NETWORK_FIGURES = ("covered_km2", "covered_pct", "cross_covered_pct", "demand_covered", "demand_covered_pct")
# With a time of day (--at): the same figures counting only the stations open then on a weekday.
OPEN_COLUMNS = ("open_at", "open_stations", "unknown_hours_stations", "open_covered_pct", "open_demand_covered_pct")


@dataclass(frozen=True)
class Coverage:
    """The result of the analysis, in the shapes the reports and the map need."""

    table: pd.DataFrame  # coverage.csv: one row per county plus the province row 430000
    counties: gpd.GeoDataFrame  # counties in scope: adcode, county, prefecture, geometry (GCJ-02)
    service_area: BaseGeometry  # dissolved reach of all stations, WGS-84 lon/lat
    cross_area: BaseGeometry  # within reach of two or more stations, WGS-84 lon/lat
    gaps: gpd.GeoDataFrame  # gaps.geojson content, WGS-84 lon/lat
    minutes: float = 15.0  # the reach the analysis used, so that a map of it draws the same reach
    speed_kmh: float = 4.0
    open_service_area: BaseGeometry | None = None  # reach of the stations open at open_at_minute, WGS-84
    open_at_minute: int | None = None  # the time of day (on a weekday) open_service_area is for
    reach: str = "radius"  # "radius" (straight-line circles) or "network" (walks along the streets, --network)
    off_network: pd.DataFrame | None = None  # with --network: the points that cannot join the streets


def analyse(
    stations: pd.DataFrame, offices: pd.DataFrame, demand: pd.DataFrame | None,
    counties: gpd.GeoDataFrame, settings: Settings, *, open_at_minute: int | None = None,
    network: WalkingNetwork | None = None,
) -> Coverage:
    """Coverage of every county in `counties` by every station's reach, wherever the station is.

    With `open_at_minute` (minutes after midnight), coverage is also counted with only the stations open
    then on a weekday (`hours.open_mask`): the table gains OPEN_COLUMNS, and `open_service_area` is their
    reach. Stations whose hours are missing or not understood are counted apart, never as open.

    With `network`, reach is a walk along its streets (see `mapgen.network`), and a demand point is covered
    when its walk to a station is within the radius; counties the network was not read for get no figures.
    """
    radius = settings.radius_m
    shapes = _counties_in_metres(counties)
    x, y = projection.points_to_metres(stations)
    reached, distance, table = _figures(stations, offices, demand, counties, shapes, x, y, radius, network)
    open_area = None
    if open_at_minute is not None:
        is_open, unknown = hours.open_mask(_hours_texts(stations), open_at_minute)
        open_reached, _, open_table = _figures(stations[is_open], offices, demand, counties, shapes,
                                               x[is_open], y[is_open], radius, network)
        table = _with_open_columns(table, open_table, stations[unknown], open_at_minute)
        open_area = projection.geometry_to_degrees(open_reached.once)
    return Coverage(
        table=table,
        counties=counties,
        service_area=projection.geometry_to_degrees(reached.once),
        cross_area=projection.geometry_to_degrees(reached.twice),
        gaps=_in_network(_gaps(counties, shapes, reached.once, table, demand, distance, radius,
                               shown=None if network is None or demand is None else _demand_reach(demand, x, y)),
                         network),
        minutes=settings.minutes,
        speed_kmh=settings.speed_kmh,
        open_service_area=open_area,
        open_at_minute=open_at_minute,
        reach="radius" if network is None else "network",
        off_network=None if network is None else _off_network(network, stations, demand),
    )


def _figures(
    stations: pd.DataFrame, offices: pd.DataFrame, demand: pd.DataFrame | None, counties: gpd.GeoDataFrame,
    shapes: list[BaseGeometry], x: NDArray[np.float64], y: NDArray[np.float64], radius: float,
    network: WalkingNetwork | None = None,
) -> tuple[disks.Reach, NDArray[np.float64] | None, pd.DataFrame]:
    """The reach of these stations, each demand point's distance to the nearest of them, and the table.

    Along a network the distance is the walk, infinite beyond the radius (Dijkstra stops there).
    """
    if network is None:
        reached = disks.reach(x, y, radius, shapes)
        distance = None if demand is None else _demand_reach(demand, x, y)
    else:
        from mapgen.network.figures import street_reach  # osmium and the graph only for --network

        reached, distance = street_reach(network.network, x, y, demand, shapes, radius)
    table = _table(counties, shapes, reached, stations, offices, demand, distance, radius)
    table["reach"] = "radius" if network is None else "network"
    if network is not None:
        table = _network_counties_only(table, network)
    return reached, distance, table


def _network_counties_only(table: pd.DataFrame, network: WalkingNetwork) -> pd.DataFrame:
    """Blank the figures of counties the network was not read for, and the province's when any is blank."""
    outside = ~table["adcode"].isin(network.adcodes).to_numpy()
    province = (table["adcode"] == PROVINCE_ADCODE).to_numpy()
    if (outside & ~province).any():
        table.loc[outside, list(NETWORK_FIGURES)] = np.nan
    return table


def _in_network(gaps: gpd.GeoDataFrame, network: WalkingNetwork | None) -> gpd.GeoDataFrame:
    """The gaps in the counties the network was read for (all of them without a network)."""
    if network is None:
        return gaps
    return gaps[gaps["adcode"].astype(str).isin(network.adcodes)].reset_index(drop=True)


def _off_network(network: WalkingNetwork, stations: pd.DataFrame, demand: pd.DataFrame | None) -> pd.DataFrame:
    """Stations and demand points that cannot join the network (more than 500 m from every walkable way)."""
    from mapgen.network.figures import off_network

    points = stations if demand is None else pd.concat([stations, demand], ignore_index=True)
    return off_network(network.network, points)


def _hours_texts(stations: pd.DataFrame) -> pd.Series:
    """The stations' hours texts; without an hours column every station's hours are unknown."""
    if "hours" in stations:
        return stations["hours"]
    return pd.Series("", index=stations.index, dtype=object)


def _with_open_columns(
    table: pd.DataFrame, open_table: pd.DataFrame, unknown: pd.DataFrame, minute: int
) -> pd.DataFrame:
    """The day table with the figures of the stations open at `minute` after it (OPEN_COLUMNS)."""
    out = table.copy()
    out["open_at"] = f"{minute // 60:02d}:{minute % 60:02d}"
    out["open_stations"] = open_table["stations"].to_numpy()
    province = (out["adcode"] == PROVINCE_ADCODE).to_numpy()
    per_county = np.array(out["adcode"].map(unknown["adcode"].value_counts()).fillna(0), dtype=int)
    per_county[province] = per_county[~province].sum()  # like `stations`: the counties' sum
    out["unknown_hours_stations"] = per_county
    out["open_covered_pct"] = open_table["covered_pct"].to_numpy()
    out["open_demand_covered_pct"] = open_table["demand_covered_pct"].to_numpy()
    return out[[*TABLE_COLUMNS, *OPEN_COLUMNS]]


def _counties_in_metres(counties: gpd.GeoDataFrame) -> list[BaseGeometry]:
    shapes = np.asarray(counties.geometry.array, dtype=object)
    return list(projection.gcj02_geometry_to_metres(shapes))


def _demand_reach(
    demand: pd.DataFrame, x: NDArray[np.float64], y: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Distance in metres from each demand point to its nearest station (inf with no station)."""
    if len(x) == 0:
        return np.full(len(demand), np.inf)
    dx, dy = projection.points_to_metres(demand)
    tree = shapely.STRtree(shapely.points(x, y))
    (_, _), distance = tree.query_nearest(shapely.points(dx, dy), return_distance=True, all_matches=False)
    return np.asarray(distance, dtype=float)


def _table(
    counties: gpd.GeoDataFrame, shapes: list[BaseGeometry], reached: disks.Reach,
    stations: pd.DataFrame, offices: pd.DataFrame, demand: pd.DataFrame | None,
    distance: NDArray[np.float64] | None, radius: float,
) -> pd.DataFrame:
    table = pd.DataFrame({
        "adcode": counties["adcode"].to_numpy(str),
        "county": counties["county"].to_numpy(str),
        "prefecture": counties["prefecture"].to_numpy(str),
    })
    table["stations"] = table["adcode"].map(stations["adcode"].value_counts()).fillna(0).astype(int)
    table["offices"] = table["adcode"].map(offices["adcode"].value_counts()).fillna(0).astype(int)
    table["area_km2"] = shapely.area(np.array(shapes, dtype=object)) / 1e6
    table["covered_km2"] = reached.once_m2 / 1e6
    table["cross_km2"] = reached.twice_m2 / 1e6
    table["demand_total"] = np.nan
    table["demand_covered"] = np.nan
    if demand is not None and distance is not None:
        weighted = demand.assign(covered=(distance <= radius) * demand["weight"])
        sums = weighted.groupby("adcode")[["weight", "covered"]].sum()
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
    return table[[column for column in TABLE_COLUMNS if column != "reach"]]


def _gaps(
    counties: gpd.GeoDataFrame, shapes: list[BaseGeometry], covered: BaseGeometry, table: pd.DataFrame,
    demand: pd.DataFrame | None, distance: NDArray[np.float64] | None, radius: float, *,
    shown: NDArray[np.float64] | None = None,
) -> gpd.GeoDataFrame:
    """Uncovered demand points, or without demand each county's uncovered part.

    `shown` is the distance to report for each point when it is not the one that decides coverage: along a
    network the walk is known only within the radius, so the gaps show the straight-line distance.
    """
    if demand is not None and distance is not None:
        return _demand_gaps(demand, distance, radius, distance if shown is None else shown)
    uncovered = [_polygons_only(g) for g in _minus(shapes, covered)]
    rows = table.iloc[: len(counties)]
    frame = pd.DataFrame({
        "adcode": counties["adcode"].to_numpy(str),
        "county": counties["county"].to_numpy(str),
        "prefecture": counties["prefecture"].to_numpy(str),
        "uncovered_km2": np.round((rows["area_km2"] - rows["covered_km2"]).to_numpy(float), 3),
    })
    geometry = projection.geometry_to_degrees(np.array(uncovered, dtype=object))
    # Unprojecting can fold a zero-width spike into a self-intersection (seen in 大祥区): repair it here, so
    # that Python callers get valid polygons too, not only gaps.geojson.
    broken = ~shapely.is_valid(geometry)
    geometry[broken] = shapely.make_valid(geometry[broken], method="structure", keep_collapsed=False)
    return gpd.GeoDataFrame(frame, geometry=list(geometry), crs="EPSG:4326")


def _minus(shapes: list[BaseGeometry], covered: BaseGeometry) -> NDArray[np.object_]:
    """Each shape minus the covered parts that touch it, cut to its bounding box first: one small overlay each.

    Evenly spread stations cover a province with one polygon of 100,000 holes: overlaying all of it per county
    took 4 times the time of cutting it first (clip_by_rect is linear), and gathering a copy of it per county
    took 1.8 GB at 186,000 stations.
    """
    parts = shapely.get_parts(covered)
    array = np.array(shapes, dtype=object)
    county, part = shapely.STRtree(parts).query(array, predicate="intersects")
    bounds = shapely.bounds(array) + np.array([-1.0, -1.0, 1.0, 1.0])
    out = np.empty(len(shapes), dtype=object)
    for k, box in enumerate(bounds.tolist()):
        pieces = shapely.get_parts(shapely.clip_by_rect(parts[part[county == k]], *box))
        near = shapely.multipolygons(pieces[shapely.get_type_id(pieces) == shapely.GeometryType.POLYGON])
        out[k] = shapely.difference(array[k], near)
    return out


def _polygons_only(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal part of an overlay result, which may also hold slivers of lines and points."""
    parts = shapely.get_parts(geometry)
    while (collections := shapely.get_type_id(parts) >= shapely.GeometryType.MULTIPOINT).any():
        parts = np.concatenate([parts[~collections], shapely.get_parts(parts[collections])])
    return shapely.multipolygons(parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON])


def _demand_gaps(demand: pd.DataFrame, distance: NDArray[np.float64], radius: float,
                 shown: NDArray[np.float64]) -> gpd.GeoDataFrame:
    """Uncovered demand points, heaviest first, with the distance `shown` to the nearest station."""
    out = demand.assign(distance_m=np.round(np.where(np.isfinite(shown), shown, np.nan), 1))
    out = out[~(distance <= radius)]
    out = out.sort_values(["weight", "distance_m"], ascending=[False, False], kind="stable")
    frame = out[["id", "name", "weight", "adcode", "county", "prefecture", "distance_m"]].reset_index(drop=True)
    points = shapely.points(out["lon_wgs84"].to_numpy(float), out["lat_wgs84"].to_numpy(float))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def county_scope(points: pd.DataFrame, coverage: Coverage, county: str | None,
           radius_m: float) -> tuple[pd.DataFrame, Coverage]:
    """Narrow the map to one county: its polygon, its reach, and every station a worker there could go to.

    Stations up to NEARBY_M from the county are shown, so that nearest-station answers near the border are
    right; only those whose reach touches the county add to its drawn service area.
    """
    if county is None:
        return points, coverage
    counties = coverage.counties[coverage.counties["adcode"] == county].reset_index(drop=True)
    outline = projection.gcj02_geometry_to_metres(counties.geometry.iloc[0])
    x, y = projection.points_to_metres(points)
    station = (points["kind"] == "station").to_numpy()
    reaching = shapely.dwithin(outline, shapely.points(x, y), radius_m)
    nearby = shapely.dwithin(outline, shapely.points(x, y), max(NEARBY_M, radius_m)) & station
    if coverage.reach == "network":
        return points[reaching | nearby].reset_index(drop=True), _network_scope(coverage, counties, outline)
    reach = disks.reach(x[reaching & station], y[reaching & station], radius_m, [outline])
    gaps = coverage.gaps[coverage.gaps["adcode"] == county] if "adcode" in coverage.gaps else coverage.gaps
    scoped = replace(coverage, counties=counties, gaps=gaps.reset_index(drop=True),
                     service_area=projection.geometry_to_degrees(reach.once),
                     cross_area=projection.geometry_to_degrees(reach.twice))
    if coverage.open_at_minute is not None:
        is_open = hours.open_mask(_hours_texts(points), coverage.open_at_minute)[0] & reaching & station
        open_reach = disks.reach(x[is_open], y[is_open], radius_m, [outline])
        scoped = replace(scoped, open_service_area=projection.geometry_to_degrees(open_reach.once))
    return points[reaching | nearby].reset_index(drop=True), scoped


def _network_scope(coverage: Coverage, counties: gpd.GeoDataFrame, outline: BaseGeometry) -> Coverage:
    """A county's view of a network coverage: the parts of each band that touch the county."""
    shape = projection.geometry_to_degrees(outline)

    def touching(area: BaseGeometry | None) -> BaseGeometry | None:
        if area is None:
            return None
        parts = shapely.get_parts(area)
        return shapely.multipolygons(parts[shapely.intersects(parts, shape)])

    gaps = coverage.gaps[coverage.gaps["adcode"] == counties["adcode"].iloc[0]] if "adcode" in coverage.gaps \
        else coverage.gaps
    return replace(coverage, counties=counties, gaps=gaps.reset_index(drop=True),
                   service_area=touching(coverage.service_area), cross_area=touching(coverage.cross_area),
                   open_service_area=touching(coverage.open_service_area))
