"""Coverage figures along the streets: the reached band per county, demand reached on foot, points off the network."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from mapgen.analysis.disks import Reach
from mapgen.geo import projection
from mapgen.network.graph import MAX_ACCESS_M, Floats, Network, snap
from mapgen.network.reach import walk

OFF_NETWORK_COLUMNS = ("file", "row", "kind", "id", "name", "lon_wgs84", "lat_wgs84", "nearest_node_m", "reason")


def street_reach(network: Network, x: Floats, y: Floats, demand: pd.DataFrame | None,
                 shapes: list[BaseGeometry], radius: float) -> tuple[Reach, Floats | None]:
    """The stations' band and its area per county (m²), and each demand point's walk to its nearest station.

    A demand point beyond the walk, or unable to join the network, has an infinite walk.
    """
    qx, qy = projection.points_to_metres(demand) if demand is not None else (np.zeros(0), np.zeros(0))
    reached = walk(network, x, y, radius, qx, qy)
    once, twice = county_areas(reached.once, shapes), county_areas(reached.twice, shapes)
    return Reach(once, twice, reached.once, reached.twice), reached.distance if demand is not None else None


def county_areas(band: BaseGeometry, shapes: list[BaseGeometry]) -> Floats:
    """The area of `band` inside each shape, in m²: one intersection per part and shape that meet."""
    parts = shapely.get_parts(band)
    if not len(parts) or not shapes:
        return np.zeros(len(shapes))
    polygons = np.array(shapes, dtype=object)
    tree = shapely.STRtree(parts)
    county, part = tree.query(polygons, predicate="intersects")
    # Most parts (a tile's worth of band) lie well inside their county: their whole area counts, unclipped.
    inside_county, inside_part = tree.query(polygons, predicate="contains_properly")
    whole = np.isin(county * len(parts) + part, inside_county * len(parts) + inside_part)
    areas = shapely.area(parts[part])
    areas[~whole] = shapely.area(shapely.intersection(polygons[county[~whole]], parts[part[~whole]]))
    return np.bincount(county, weights=areas, minlength=len(shapes)).astype(float)


def off_network(network: Network, points: pd.DataFrame) -> pd.DataFrame:
    """The points farther than MAX_ACCESS_M from every walkable way (OFF_NETWORK_COLUMNS), in input order."""
    x, y = projection.points_to_metres(points)
    far = ~snap(network, x, y).joined
    rows = points[far]
    nearest, _ = cKDTree(np.column_stack([network.x, network.y])).query(np.column_stack([x[far], y[far]]))
    reason = f"more than {MAX_ACCESS_M:,.0f} m from every walkable way: cannot use the street network"
    return pd.DataFrame({
        "file": _column(rows, "source", ""), "row": _column(rows, "row", 0),
        "kind": rows["kind"].astype(str).to_numpy(), "id": rows["id"].astype(str).to_numpy(),
        "name": rows["name"].astype(str).to_numpy(),
        "lon_wgs84": rows["lon_wgs84"].to_numpy(float), "lat_wgs84": rows["lat_wgs84"].to_numpy(float),
        "nearest_node_m": np.round(np.asarray(nearest, dtype=float), 1), "reason": reason,
    }, columns=list(OFF_NETWORK_COLUMNS))


def _column(rows: pd.DataFrame, name: str, default: object) -> np.ndarray:
    """A column of `rows`, or `default` in every row for tables without it (a notebook's own)."""
    return rows[name].to_numpy() if name in rows else np.full(len(rows), default, dtype=object)
