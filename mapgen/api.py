"""The Python API for notebooks and other programs; the command line is a thin shell over the same calls."""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mapgen.analysis import coverage
from mapgen.geo import geography
from mapgen.inputs import reading
from mapgen.settings import Datum, Settings


def read_points(paths: Iterable[str | PathLike[str]], *, kind: str = "station",
                crs: Datum | None = None) -> gpd.GeoDataFrame:
    """Read station, office or demand files into a GeoDataFrame with WGS-84 point geometry.

    Rejected rows, notices and each file's datum ride along in ``.attrs`` (``"rejects"``, ``"notices"``,
    ``"datums"``); ``crs`` None reads each file in its own datum (see the README).

    Examples
    --------
    >>> import mapgen
    >>> stations = mapgen.read_points([mapgen.geo.geography.GEODATA / "sample" / "stations.csv"])
    >>> len(stations), stations.crs.to_epsg(), stations.attrs["rejects"]
    (4000, 4326, [])

    """
    result = reading.read_points([Path(p) for p in paths], kind=kind, crs=crs)
    points = result.points.copy()
    points.attrs.update(rejects=result.rejects, notices=result.notices, datums=result.datums)
    return points


def analyse(stations: pd.DataFrame, demand: pd.DataFrame | None = None, *, minutes: float = 15.0,
            speed_kmh: float = 4.0, offices: pd.DataFrame | None = None, at: str | None = None,
            network: str | PathLike[str] | None = None) -> coverage.Coverage:
    """Coverage of Hunan's counties by the stations' reach: the per-county table, service areas and gaps.

    With ``at="22:00"`` the table also counts only the stations open then on a weekday (Wednesday). With
    ``network="hunan.osm.pbf"`` (an OpenStreetMap extract) reach is a walk along its streets, as
    ``mapgen build --network`` computes it; ``result.off_network`` lists the points that cannot join them.

    Examples
    --------
    >>> import mapgen
    >>> stations = mapgen.read_points([mapgen.geo.geography.GEODATA / "sample" / "stations.csv"])
    >>> result = mapgen.analyse(stations)
    >>> province = result.table.iloc[-1]
    >>> province["adcode"], int(province["stations"]), bool(result.gaps.is_valid.all())
    ('430000', 4000, True)

    """
    settings = Settings(minutes=minutes, speed_kmh=speed_kmh, at=at)
    offices = offices if offices is not None else stations.iloc[:0]
    counties = geography.load_counties()
    streets = None
    if network is not None:
        from mapgen.network import area  # osmium only when asked for

        streets = area.load(Path(network), counties, settings.radius_m)
        area.check_covers(streets, stations)
    return coverage.analyse(stations, offices, demand, counties, settings, open_at_minute=settings.at_minute,
                            network=streets)
