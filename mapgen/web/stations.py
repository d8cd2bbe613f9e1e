"""Stations and offices for the page: any station table made complete, then packed into compact columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mapgen.geo import datum
from mapgen.inputs import facilities
from mapgen.inputs.hours import parse_hours
from mapgen.web.packing import as_text, delta, string_table, text, texts

# Stations travel in 1e-6 degree (0.11 m) integers.
STATION_SCALE = 1e6
# Text columns a station table may lack (a notebook's own table): they are shown empty.
TEXT_COLUMNS = ("type", "address", "hours", "phone", "note", "adcode", "county", "prefecture")


def station_table(stations: pd.DataFrame) -> pd.DataFrame:
    """A copy of a (Geo)DataFrame of stations with every column the page reads, positions in both datums.

    WGS-84 positions come from `lon_wgs84`/`lat_wgs84`, else from a point geometry in EPSG:4326; GCJ-02
    ones from `lon_gcj02`/`lat_gcj02`, else converted from WGS-84.
    """
    for column in ("id", "name"):
        if column not in stations.columns:
            msg = f"`stations` has no {column!r} column (it has {list(stations.columns)})"
            raise ValueError(msg)
    geometry_column = getattr(getattr(stations, "geometry", None), "name", None)
    table = pd.DataFrame(stations.drop(columns=geometry_column or [], errors="ignore")).reset_index(drop=True)
    if not {"lon_wgs84", "lat_wgs84"} <= set(table.columns):
        table["lon_wgs84"], table["lat_wgs84"] = _geometry_positions(stations)
    if not {"lon_gcj02", "lat_gcj02"} <= set(table.columns):
        table["lon_gcj02"], table["lat_gcj02"] = datum.convert(table["lon_wgs84"], table["lat_wgs84"], "wgs84", "gcj02")
    for column in TEXT_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    if "kind" not in table.columns:
        table["kind"] = "station"
    if "facilities" not in table.columns:
        table["facilities"] = [()] * len(table)
    return table


def _geometry_positions(stations: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 lon/lat of a GeoDataFrame's point geometry (converted to EPSG:4326 if it is in another CRS)."""
    geometry = getattr(stations, "geometry", None)
    if geometry is None:
        msg = "`stations` has neither lon_wgs84/lat_wgs84 columns nor a point geometry"
        raise ValueError(msg)
    if geometry.crs is not None and not geometry.crs.equals("EPSG:4326"):
        geometry = geometry.to_crs("EPSG:4326")
    return geometry.x.to_numpy(float), geometry.y.to_numpy(float)


def positions(points: pd.DataFrame, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Point positions in the map's datum (from the column already in it when there is one)."""
    if target in ("gcj02", "wgs84"):
        return points[f"lon_{target}"].to_numpy(float), points[f"lat_{target}"].to_numpy(float)
    return datum.convert(points["lon_wgs84"], points["lat_wgs84"], "wgs84", target)


def station_columns(points: pd.DataFrame, target: str) -> dict[str, Any]:
    """Stations and offices as compact columns: string tables for repeated values, delta-coded integers."""
    lon, lat = (np.rint(a * STATION_SCALE) for a in positions(points, target))
    kinds, kind_ix = string_table(points["kind"])
    types, type_ix = string_table(points["type"])
    hours, hours_ix = string_table(points["hours"])
    areas, area_ix = string_table(as_text(points["adcode"]) + "\t" + as_text(points["county"]))
    names, facsets, facset_ix = _facility_sets(points["facilities"])
    return {
        "n": len(points),
        "lon": delta(lon),
        "lat": delta(lat),
        "wgsLon": _wgs_offsets(points["lon_wgs84"], lon, target),
        "wgsLat": _wgs_offsets(points["lat_wgs84"], lat, target),
        "kind": kind_ix, "kinds": kinds,
        "id": texts(points["id"]), "name": texts(points["name"]),
        "address": texts(points["address"]), "phone": texts(points["phone"]), "note": texts(points["note"]),
        "type": type_ix, "types": types,
        "hours": hours_ix, "hoursText": hours, "schedules": [parse_hours(h) for h in hours],
        "area": area_ix, "areas": [a.split("\t", 1) for a in areas],
        "facset": facset_ix, "facsets": facsets, "facilities": names, "facilityLabels": facilities.labels(names),
    }  # fmt: skip


def _wgs_offsets(wgs84: pd.Series, scaled: np.ndarray, target: str) -> str | None:
    """WGS-84 minus map datum, delta-coded: distances are measured between true (WGS-84) positions."""
    if target == "wgs84":
        return None
    return delta(np.rint(wgs84.to_numpy(float) * STATION_SCALE) - scaled)


def _facility_sets(column: pd.Series) -> tuple[list[str], list[list[int]], list[int]]:
    """Canonical facility names, the distinct combinations as index lists, and each row's combination."""
    # Work on the distinct cell values only: a station list repeats a handful of combinations.
    cells = [tuple(v) if isinstance(v, list | tuple | np.ndarray) else () for v in column]
    codes, distinct = pd.factorize(pd.Series(cells, dtype=object), sort=False)
    rows = [tuple(facilities.canonical(text(f)) for f in cell) for cell in distinct]
    names = facilities.order({f for row in rows for f in row if f})
    position = {name: i for i, name in enumerate(names)}
    table: dict[tuple[int, ...], int] = {}
    per_distinct = [table.setdefault(tuple(sorted({position[f] for f in row if f})), len(table)) for row in rows]
    return names, [list(c) for c in table], np.asarray(per_distinct, dtype=np.int64)[codes].tolist()
