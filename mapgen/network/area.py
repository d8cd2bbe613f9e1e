"""The walking network of the area a build covers: loading it from the extract, and checking it covers the stations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from mapgen.errors import InputError
from mapgen.geo import datum
from mapgen.geo.projection import points_to_metres
from mapgen.network.graph import MAX_ACCESS_M, Network
from mapgen.network.osm import BBox, read_streets

# Streets are kept this far beyond the counties in play, in metres on top of the walk itself: a station up to
# 0.3 km outside Hunan's outline still counts, and its access stretch may be up to MAX_ACCESS_M.
_MARGIN_M = MAX_ACCESS_M + 500.0
_METRES_PER_DEGREE = 111_000.0


@dataclass(frozen=True)
class WalkingNetwork:
    """The walkable streets of the counties in play, from one extract."""

    network: Network
    adcodes: frozenset[str]  # the counties whose figures these streets can give
    source: Path


def load(path: Path, counties: gpd.GeoDataFrame, radius_m: float) -> WalkingNetwork:
    """The extract's walkable streets around `counties` (GCJ-02 polygons) and as far again as a walk reaches."""
    box = _bbox(counties, radius_m + _MARGIN_M)
    streets = read_streets(path, box)
    if not len(streets.start):
        msg = (f"{path}: no walkable street in the area of the map (lon {box[0]:.3f}-{box[2]:.3f}, "
               f"lat {box[1]:.3f}-{box[3]:.3f}): is it an extract of this area, with highway ways?")
        raise InputError(msg)
    return WalkingNetwork(Network.of(streets), frozenset(counties["adcode"].astype(str)), path)


def _bbox(counties: gpd.GeoDataFrame, margin_m: float) -> BBox:
    """The counties' bounding box in WGS-84, grown by `margin_m` (generously: a degree of longitude is shorter)."""
    west, south, east, north = counties.total_bounds
    lon, lat = datum.convert(np.array([west, east]), np.array([south, north]), "gcj02", "wgs84")
    grow_lat = margin_m / _METRES_PER_DEGREE
    grow_lon = grow_lat / np.cos(np.radians(max(abs(lat[0]), abs(lat[1]))))
    return (float(lon[0] - grow_lon), float(lat[0] - grow_lat), float(lon[1] + grow_lon), float(lat[1] + grow_lat))


def check_covers(walking: WalkingNetwork, stations: pd.DataFrame) -> None:
    """Refuse an extract whose streets stop short of the stations in the counties in play."""
    inside = stations[stations["adcode"].astype(str).isin(walking.adcodes)] if "adcode" in stations else stations
    if inside.empty:
        return
    x, y = points_to_metres(inside)
    net = walking.network
    beyond = ((x < net.x.min() - MAX_ACCESS_M) | (x > net.x.max() + MAX_ACCESS_M)
              | (y < net.y.min() - MAX_ACCESS_M) | (y > net.y.max() + MAX_ACCESS_M))
    if beyond.any():
        first = inside.iloc[int(np.flatnonzero(beyond)[0])]
        msg = (f"{walking.source}: the extract does not cover {int(beyond.sum()):,} of {len(inside):,} stations "
               f"(e.g. {first['name']} at {first['lon_wgs84']:.5f}, {first['lat_wgs84']:.5f} WGS-84): use an extract "
               "of the whole area, or --county for the county it covers")
        raise InputError(msg)
