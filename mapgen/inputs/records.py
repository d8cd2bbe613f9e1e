"""The records of reading: accepted points' columns, rejected rows, notices, and a read's result."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

KINDS = ("station", "office", "demand")
TEXT_FIELDS = ("type", "address", "hours", "phone", "note")
POINT_COLUMNS = (
    "kind", "id", "name", *TEXT_FIELDS, "facilities", "weight", "adcode", "county", "prefecture",
    "lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84", "source", "row",
)
EXACT_WGS84 = ("exact_lon_wgs84", "exact_lat_wgs84")


@dataclass(frozen=True)
class Reject:
    """A row that was not used, with the column and value at fault and why."""

    file: str
    row: int
    id: str
    name: str
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Notice:
    """A row that was used but deserves a look (columns swapped, county disagrees)."""

    file: str
    row: int
    message: str


@dataclass
class ReadResult:
    """Accepted points (WGS-84 point geometry), rejected rows, notices and counts, over all files of one kind."""

    points: gpd.GeoDataFrame
    rejects: list[Reject] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    rows_read: int = 0
    datums: dict[str, str] = field(default_factory=dict)  # file -> the datum its coordinates were read in
