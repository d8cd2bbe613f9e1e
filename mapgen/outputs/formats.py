"""Write the output files: CSV with a BOM for Excel, RFC 7946 GeoJSON, all moved into place atomically."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

if TYPE_CHECKING:
    from mapgen.inputs.reading import Reject

# Excel runs a cell starting with one of these as a formula; untrusted text gets a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REJECT_COLUMNS = ("file", "row", "id", "name", "column", "value", "reason")
SUGGESTION_COLUMNS = (
    "rank", "candidate_id", "lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84", "adcode", "county",
    "newly_covered", "cumulative_covered", "cumulative_covered_pct", "nearest_station_m",
)  # fmt: skip
STATION_PROPERTIES = (
    "kind", "id", "name", "type", "address", "hours", "phone", "facilities", "adcode", "county", "prefecture",
    "lon_gcj02", "lat_gcj02",
)
_COORD_DECIMALS = 7  # 1e-7 degree is about 1 cm: positions survive to the centimetre


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], *, for_excel: bool = True) -> str:
    """CSV text; for Excel on Chinese Windows (the default) with a BOM, CRLF line ends and formulas defused.

    Without `for_excel` (the bundled data files): no BOM, LF line ends, cells as they are, so that rebuilt
    files are byte-identical on every platform.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if for_excel else "\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(cell) for cell in row] if for_excel else row for row in rows)
    return ("\ufeff" if for_excel else "") + buffer.getvalue()


def _csv_cell(cell: object) -> object:
    if isinstance(cell, float):
        return "" if math.isnan(cell) else cell
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def coverage_csv(table: pd.DataFrame) -> str:
    """coverage.csv: areas to 0.001 km², percentages (every `*_pct` column) and demand weights to 0.01."""
    rounded = table.copy()
    for column in ("area_km2", "covered_km2"):
        rounded[column] = rounded[column].round(3)
    percentages = [column for column in table.columns if str(column).endswith("_pct")]
    for column in (*percentages, "demand_total", "demand_covered"):
        rounded[column] = rounded[column].round(2)
    rows = rounded.astype(object).where(rounded.notna(), None).itertuples(index=False)
    return csv_text(list(table.columns), ([_plain(v) for v in row] for row in rows))


def _plain(value: object) -> object:
    """Drop the numpy types and write whole floats without '.0' noise only where they are counts."""
    if value is None:
        return ""
    return value.item() if hasattr(value, "item") else value


def geojson_text(features: Sequence[Mapping[str, object]]) -> str:
    """A FeatureCollection, one feature a line, so that diffs of outputs stay readable."""
    # One call to the C encoder, then a line break between features: the separator cannot occur inside a
    # JSON string, where quotes are escaped.
    body = json.dumps(list(features), ensure_ascii=False, separators=(",", ":"))[1:-1]
    lines = body.replace('},{"type":"Feature"', '},\n{"type":"Feature"')
    return '{"type":"FeatureCollection","features":[\n' + lines + ("\n" if lines else "") + "]}\n"


def frame_features(frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """GeoJSON features of a WGS-84 GeoDataFrame: on a 1e-7 degree grid, valid, exteriors counter-clockwise."""
    properties = frame.drop(columns=frame.geometry.name)
    columns = {name: [_plain(v) for v in properties[name].astype(object).where(properties[name].notna(), None)]
               for name in properties.columns}
    shapes = _geometries_json(_on_grid(frame.geometry.to_numpy()))
    return [{"type": "Feature", "properties": {name: values[i] for name, values in columns.items()},
             "geometry": shape} for i, shape in enumerate(shapes)]


def _on_grid(geometry: NDArray[np.object_]) -> NDArray[np.object_]:
    """Geometries on the 1e-7 degree grid, valid (OGC), exterior rings counter-clockwise (RFC 7946 §3.1.6)."""
    # Plain rounding can move a vertex across an edge passing within a centimetre of it (and unprojecting a
    # valid metric outline to degrees already can): snap rounding instead nodes such edges, keeping polygons
    # valid. It refuses invalid input, so that is repaired first, polygons staying polygons (no stray lines).
    invalid = ~shapely.is_valid(geometry) & ~shapely.is_missing(geometry)
    repaired = geometry.copy()
    repaired[invalid] = shapely.make_valid(geometry[invalid], method="structure", keep_collapsed=False)
    snapped = shapely.set_precision(repaired, 10.0**-_COORD_DECIMALS)
    # A repair or a collapsed part may leave a single polygon: keep each feature's declared geometry type.
    single = (shapely.get_type_id(geometry) == shapely.GeometryType.MULTIPOLYGON) & (
        shapely.get_type_id(snapped) == shapely.GeometryType.POLYGON)
    snapped[single] = [shapely.MultiPolygon() if part.is_empty else shapely.MultiPolygon([part])
                       for part in snapped[single]]
    # Overlays and set_precision give clockwise shells; RFC 7946 wants them counter-clockwise, holes clockwise.
    oriented: NDArray[np.object_] = shapely.orient_polygons(snapped, exterior_cw=False)
    return oriented


def _geometries_json(geometry: NDArray[np.object_]) -> list[dict[str, object] | None]:
    """RFC 7946 geometry objects (None for none); empty ones get empty coordinates, not GEOS's `[[]]`."""
    shapes: list[dict[str, object] | None] = [None if text is None else json.loads(text)
                                               for text in shapely.to_geojson(geometry).tolist()]
    empty = shapely.is_empty(geometry) & (shapely.get_type_id(geometry) != shapely.GeometryType.GEOMETRYCOLLECTION)
    for i in np.flatnonzero(empty).tolist():
        shapes[i] = {"type": geometry[i].geom_type, "coordinates": []}
    return shapes


def point_features_text(properties: Mapping[str, Sequence[object]], lon: Sequence[float], lat: Sequence[float]) -> str:
    """A FeatureCollection of points, one a line, positions rounded to 1e-7 degree.

    Built column by column, each distinct value encoded once: 186,000 stations in about a second.
    """
    encoded = [_encode_column(name, values) for name, values in properties.items()]
    lons = [repr(v) for v in np.round(np.asarray(lon, dtype=float), _COORD_DECIMALS).tolist()]
    lats = [repr(v) for v in np.round(np.asarray(lat, dtype=float), _COORD_DECIMALS).tolist()]
    lines = [
        '{"type":"Feature","properties":{' + ",".join(fields) + '},"geometry":{"type":"Point","coordinates":['
        + x + "," + y + "]}}"
        for fields, x, y in zip(zip(*encoded, strict=True), lons, lats, strict=True)
    ] if encoded else []
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + ("\n" if lines else "") + "]}\n"


def _encode_column(name: str, values: Sequence[object]) -> list[str]:
    """`"name":value` JSON members for a column; strings and floats take the C encoder's fast paths."""
    key = encode_basestring(name) + ":"
    if all(type(value) is str for value in values):
        return [key + encode_basestring(value) for value in values]  # type: ignore[arg-type]
    if all(type(value) is float and math.isfinite(value) for value in values):
        return [key + repr(value) for value in values]
    cache: dict[object, str] = {}
    out = []
    for value in values:
        hashable = tuple(value) if isinstance(value, list) else value
        text = cache.get(hashable)
        if text is None:
            text = cache[hashable] = key + json.dumps(_plain(value), ensure_ascii=False)
        out.append(text)
    return out


def stations_geojson(points: pd.DataFrame) -> str:
    """stations.geojson: every accepted station and office, WGS-84 geometry and exact GCJ-02 properties."""
    columns = {key: points[key].tolist() for key in STATION_PROPERTIES}
    columns["facilities"] = [list(items) for items in columns["facilities"]]
    for key in ("lon_gcj02", "lat_gcj02"):
        columns[key] = np.round(points[key].to_numpy(float), _COORD_DECIMALS).tolist()
    return point_features_text(columns, points["lon_wgs84"].tolist(), points["lat_wgs84"].tolist())


def rejects_csv(rejects: Sequence[Reject]) -> str:
    """rejects.csv: one row per rejected input row."""
    return csv_text(REJECT_COLUMNS, ([getattr(r, c) for c in REJECT_COLUMNS] for r in rejects))


def off_network_csv(points: pd.DataFrame) -> str:
    """off_network.csv (with --network): the stations and demand points that cannot join the streets."""
    rounded = points.round({"lon_wgs84": _COORD_DECIMALS, "lat_wgs84": _COORD_DECIMALS})
    rows = rounded.astype(object).where(rounded.notna(), None).itertuples(index=False)
    return csv_text(list(points.columns), ([_plain(v) for v in row] for row in rows))


def suggestions_csv(sites: pd.DataFrame) -> str:
    """suggestions.csv: one row per suggested site, best first; positions to 1e-7 degree, figures to 0.01."""
    rows = _rounded_sites(sites).itertuples(index=False)
    return csv_text(SUGGESTION_COLUMNS, ([_plain(v) for v in row] for row in rows))


def suggestions_geojson(sites: gpd.GeoDataFrame) -> str:
    """suggestions.geojson: the suggested sites as WGS-84 points with the columns of suggestions.csv."""
    return geojson_text(frame_features(_rounded_sites(sites).set_geometry(sites.geometry)))


def _rounded_sites(sites: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(sites[list(SUGGESTION_COLUMNS)])
    for column in ("lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84"):
        out[column] = out[column].round(_COORD_DECIMALS)
    for column in ("newly_covered", "cumulative_covered", "cumulative_covered_pct", "nearest_station_m"):
        out[column] = out[column].round(2)
    return out
