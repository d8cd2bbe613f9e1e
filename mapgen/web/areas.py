"""Coverage for the page: county shapes, the county table and the gaps as JSON-ready values in the map's datum."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mapgen.geo import datum
from mapgen.web.packing import delta, number, text, texts
from mapgen.web.shapes import encode_shape
from mapgen.web.stations import STATION_SCALE

# Vertex budgets keep the page small and redraws fast at any scale; tolerances double until they fit.
COUNTY_BUDGET = 30_000
AREA_BUDGET = 120_000
TABLE_COLUMNS = (
    "stations", "offices", "area_km2", "covered_km2", "covered_pct",
    "cross_covered_pct", "demand_total", "demand_covered", "demand_covered_pct",
)  # fmt: skip
# Columns a table carries only with --at (open_*) or with the priority list (--suggest): on the page when present.
OPTIONAL_COLUMNS = (
    "priority", "suggested_sites", "suggested_newly_covered", "open_covered_pct", "open_demand_covered_pct",
)  # fmt: skip


def county_shapes(counties: pd.DataFrame, target: str, *, detailed: bool) -> list[dict[str, Any]]:
    """County polygons (GCJ-02 in the bundled data) in the map's datum, finer when the map is about one county."""
    budget = COUNTY_BUDGET // max(len(counties), 1) if not detailed else COUNTY_BUDGET
    tolerance = 5e-5 if detailed else 3e-4
    return [
        {
            "adcode": text(row.adcode),
            "county": text(row.county),
            "prefecture": text(row.prefecture),
            "shape": encode_shape(row.geometry, "gcj02", target, budget=max(budget, 200), tolerance=tolerance),
        }
        for row in counties.itertuples(index=False)
    ]


def table_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """coverage.table as a list of rows: text columns as strings, numbers rounded, NaN as null."""
    optional = [k for k in OPTIONAL_COLUMNS if k in table.columns]
    rows = []
    for record in table.to_dict("records"):
        row: dict[str, Any] = {k: text(record.get(k)) for k in ("adcode", "county", "prefecture")}
        row.update({k: number(record.get(k)) for k in (*TABLE_COLUMNS, *optional)})
        if "open_at" in table.columns:
            row["open_at"] = text(record.get("open_at"))
        rows.append(row)
    return rows


def gaps(frame: pd.DataFrame | None, target: str) -> dict[str, Any] | None:
    """Uncovered places: polygons per county, or uncovered demand points, in the map's datum."""
    if frame is None or not len(frame):
        return None
    geometry = frame.geometry
    if bool((geometry.geom_type == "Point").all()):
        lon, lat = datum.convert(geometry.x.to_numpy(), geometry.y.to_numpy(), "wgs84", target)
        blank = pd.Series([None] * len(frame))
        return {
            "kind": "points",
            "lon": delta(np.rint(lon * STATION_SCALE)),
            "lat": delta(np.rint(lat * STATION_SCALE)),
            "weight": [number(v) for v in frame.get("weight", blank)],
            "distance": [number(v) for v in frame.get("distance_m", blank)],
            "county": texts(frame.get("county", blank)),
        }
    # Uncovered areas are the counties less the service area: the page draws them from those two layers
    # rather than carrying a third copy of every ring (a quarter of the page at Hunan's scale).
    return {"kind": "areas"}


def service_shapes(service: Any, cross: Any, target: str) -> tuple[Any, Any]:
    """The service area and the cross-covered area (WGS-84), encoded within their vertex budgets."""
    return area_shape(service, target), area_shape(cross, target, budget=AREA_BUDGET // 2)


def area_shape(area: Any, target: str, *, budget: int = AREA_BUDGET) -> Any:
    """A reach (WGS-84 lon/lat) in the map's datum, encoded as the page's shapes; None when empty."""
    return encode_shape(area, "wgs84", target, budget=budget)


def open_area(coverage: Any, target: str) -> dict[str, Any] | None:
    """The reach of the stations open at a time of day (`--at`), with that time, or None without one.

    `coverage.open_service_area` (WGS-84) is set with `--at`; its time is `coverage.open_at_minute`, else the
    table's `open_at` column.
    """
    shape = area_shape(getattr(coverage, "open_service_area", None), target)
    if shape is None:
        return None
    return {"at": _open_time(coverage), "shape": shape}


def _open_time(coverage: Any) -> str | None:
    """The time of day of the open-stations figures as HH:MM, or None when the coverage does not say."""
    minute = getattr(coverage, "open_at_minute", None)
    if minute is not None:
        return f"{int(minute) // 60:02d}:{int(minute) % 60:02d}"
    table = getattr(coverage, "table", None)
    if table is not None and "open_at" in table.columns:
        times = [text(v) for v in table["open_at"] if text(v)]
        return times[0] if times else None
    return None
