"""Write the output files: CSV with a BOM for Excel, RFC 7946 GeoJSON, all moved into place atomically."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

# Excel runs a cell starting with one of these as a formula; untrusted text gets a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_COORD_DECIMALS = 7  # 1e-7 degree is about 1 cm: positions survive to the centimetre


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with a UTF-8 BOM and CRLF line ends, as Excel on Chinese Windows expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def _csv_cell(cell: object) -> object:
    if isinstance(cell, float):
        return "" if math.isnan(cell) else cell
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def coverage_csv(table: pd.DataFrame) -> str:
    """coverage.csv: areas to 0.001 km², percentages to 0.01."""
    rounded = table.copy()
    for column in ("area_km2", "covered_km2"):
        rounded[column] = rounded[column].round(3)
    for column in ("covered_pct", "cross_covered_pct", "demand_covered_pct", "demand_total", "demand_covered"):
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
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n"


def frame_features(frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """GeoJSON features of a GeoDataFrame in WGS-84, coordinates rounded to 1e-7 degree."""
    properties = frame.drop(columns=frame.geometry.name)
    records = properties.astype(object).where(properties.notna(), None).to_dict(orient="records")
    features = []
    for record, geometry in zip(records, frame.geometry, strict=True):
        shape = json.loads(shapely.to_geojson(shapely.set_precision(geometry, 10**-_COORD_DECIMALS)))
        features.append({"type": "Feature", "properties": {k: _plain(v) if v is not None else None
                                                            for k, v in record.items()}, "geometry": shape})
    return features


def point_feature(lon: float, lat: float, properties: Mapping[str, object]) -> dict[str, object]:
    """A GeoJSON point feature with its position rounded to 1e-7 degree."""
    position = [round(float(lon), _COORD_DECIMALS), round(float(lat), _COORD_DECIMALS)]
    return {"type": "Feature", "properties": dict(properties), "geometry": {"type": "Point", "coordinates": position}}


def write_outputs(out_dir: Path, files: Mapping[str, str]) -> None:
    """Write every file to a temporary folder beside `out_dir`, then move them all into place."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".mapgen-", dir=out_dir.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        out_dir.mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
