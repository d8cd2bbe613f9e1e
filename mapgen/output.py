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
from json.encoder import encode_basestring
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapgen.errors import InputError

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
    # One call to the C encoder, then a line break between features: the separator cannot occur inside a
    # JSON string, where quotes are escaped.
    body = json.dumps(list(features), ensure_ascii=False, separators=(",", ":"))[1:-1]
    lines = body.replace('},{"type":"Feature"', '},\n{"type":"Feature"')
    return '{"type":"FeatureCollection","features":[\n' + lines + ("\n" if lines else "") + "]}\n"


def frame_features(frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """GeoJSON features of a GeoDataFrame in WGS-84, coordinates rounded to 1e-7 degree."""
    properties = frame.drop(columns=frame.geometry.name)
    columns = {name: [_plain(v) for v in properties[name].astype(object).where(properties[name].notna(), None)]
               for name in properties.columns}
    rounded = shapely.transform(frame.geometry.to_numpy(), lambda c: np.round(c, _COORD_DECIMALS))
    shapes = [json.loads(text) for text in shapely.to_geojson(rounded)]
    return [{"type": "Feature", "properties": {name: values[i] for name, values in columns.items()},
             "geometry": shape} for i, shape in enumerate(shapes)]


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


def check_out_dir(out_dir: Path) -> None:
    """Fail early, before any work, when the output directory cannot be one."""
    existing = next((p for p in (out_dir, *out_dir.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        msg = f"{out_dir}: cannot write outputs there: {existing} is a file, not a directory"
        raise InputError(msg)
    if existing is not None and not os.access(existing, os.W_OK):
        msg = f"{out_dir}: cannot write outputs there: {existing} is not writable"
        raise InputError(msg)


def write_outputs(out_dir: Path, files: Mapping[str, str]) -> None:
    """Write every file to a temporary folder beside `out_dir`, then move them all into place."""
    check_out_dir(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".mapgen-", dir=out_dir.parent))
    except OSError as error:
        msg = f"{out_dir}: cannot write outputs there ({error.strerror})"
        raise InputError(msg) from error
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        out_dir.mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, out_dir / name)
    except OSError as error:
        msg = f"{out_dir}: writing the outputs failed ({error.strerror})"
        raise InputError(msg) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
