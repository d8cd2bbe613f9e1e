"""The web map: one self-contained index.html with Leaflet, the station data and the page's script inlined."""

from __future__ import annotations

import base64
import html
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure
from shapely.geometry.base import BaseGeometry

from mapgen import datum, facilities
from mapgen.coverage import Coverage
from mapgen.settings import Settings

ASSETS = Path(__file__).parent / "assets"
# Concatenated in this order into one IIFE: later files use functions of earlier ones.
SCRIPT_FILES = ("i18n.js", "datum.js", "hours.js", "stations.js", "layers.js", "ui.js", "main.js")
STYLE_FILES = ("mapgen.css",)

HUNAN_CENTER = (27.6, 111.7)
# Coordinates travel as integers: stations in 1e-6 degree (0.11 m), polygons in 1e-5 degree (1.1 m).
STATION_SCALE = 1e6
SHAPE_SCALE = 1e5
# Vertex budgets keep the page small and redraws fast at any scale; tolerances double until they fit.
COUNTY_BUDGET = 30_000
AREA_BUDGET = 120_000
TABLE_COLUMNS = (
    "stations", "offices", "area_km2", "covered_km2", "covered_pct",
    "cross_covered_pct", "demand_total", "demand_covered", "demand_covered_pct",
)  # fmt: skip

GAODE_ATTRIBUTION = "&copy; 高德地图 Amap"
BASEMAPS: dict[str, list[dict[str, Any]]] = {
    "gaode": [
        {
            "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}",
            "subdomains": "1234", "maxNativeZoom": 18, "attribution": GAODE_ATTRIBUTION,
        },
    ],
    "gaode-satellite": [
        {
            "url": "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
            "subdomains": "1234", "maxNativeZoom": 18, "attribution": GAODE_ATTRIBUTION,
        },
        {
            "url": "https://webst0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}",
            "subdomains": "1234", "maxNativeZoom": 18,
        },
    ],
    "osm": [
        {
            "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "subdomains": "", "maxNativeZoom": 19,
            "attribution": "&copy; OpenStreetMap contributors",
        },
    ],
    "tianditu": [
        {
            "url": "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
            "&TILECOL={x}&tk={key}",
            "layer": layer, "subdomains": "01234567", "maxNativeZoom": 18,
            "attribution": "&copy; 天地图 Tianditu" if layer == "vec" else "",
        }
        for layer in ("vec", "cva")
    ],
    "none": [],
}  # fmt: skip


def render_map(points: pd.DataFrame, coverage: Coverage, settings: Settings, *, sample: bool) -> str:
    """Render the complete index.html text; identical inputs give byte-identical output."""
    _check(points, settings)
    title = page_title(settings, coverage)
    data = _page_data(points, coverage, settings, title=title, sample=sample)
    figure = Figure(title=html.escape(title, quote=False))
    fmap = folium.Map(location=HUNAN_CENTER, zoom_start=7, tiles=None, zoom_control=False, max_zoom=19)
    # folium's defaults come from CDNs (jsdelivr, cdnjs, jquery, bootstrap): the page inlines Leaflet instead.
    fmap.default_js = []
    fmap.default_css = []
    figure.add_child(fmap)
    _number_elements(figure)
    fmap.add_child(_PageParts(fmap.get_name(), data))
    return figure.render()


def _check(points: pd.DataFrame, settings: Settings) -> None:
    """Reject settings and inputs the page cannot be built from."""
    missing = sorted(set(_POINT_COLUMNS) - set(points.columns))
    if missing:
        msg = f"points lack the columns {missing}"
        raise ValueError(msg)


def page_title(settings: Settings, coverage: Coverage) -> str:
    """The map's title: settings.title, else the county union's or the province's love map."""
    if settings.title:
        return settings.title
    county = _focus_county(settings, coverage)
    if settings.lang == "en":
        return f"{county or 'Hunan'}: rest stations for outdoor workers"
    return f"{county or '湖南省'}户外劳动者服务站点爱心地图"


def _focus_county(settings: Settings, coverage: Coverage) -> str | None:
    """Name of the county a one-county map is about, or None for the province."""
    if not settings.county:
        return None
    row = _focus_row(settings, coverage)
    return settings.county if row is None else str(row["county"])


def _focus_adcode(settings: Settings, coverage: Coverage) -> str | None:
    """Adcode of the county a one-county map is about, or None (the province, or a county not found)."""
    row = _focus_row(settings, coverage) if settings.county else None
    return None if row is None else str(row["adcode"])


def _focus_row(settings: Settings, coverage: Coverage) -> pd.Series | None:
    """The counties row settings.county names (by adcode or name), else the only county in scope, else None."""
    counties = coverage.counties
    hit = counties[(counties["adcode"].astype(str) == settings.county) | (counties["county"] == settings.county)]
    if len(hit):
        return hit.iloc[0]
    return counties.iloc[0] if len(counties) == 1 else None


# ---------------------------------------------------------------- page data


def _page_data(
    points: pd.DataFrame, coverage: Coverage, settings: Settings, *, title: str, sample: bool
) -> dict[str, Any]:
    """Everything the page's script needs, as one JSON-ready dict."""
    target = settings.map_datum
    counties = coverage.counties
    return {
        "version": 1,
        "lang": settings.lang,
        "title": title,
        "sample": bool(sample),
        "datum": target,
        "radiusM": round(settings.radius_m, 1),
        "minutes": settings.minutes,
        "speedKmh": settings.speed_kmh,
        "focus": _focus_county(settings, coverage),
        "focusAdcode": _focus_adcode(settings, coverage),
        "tiles": _tile_layers(settings),
        "bounds": _bounds(counties, points, target),
        "stations": station_columns(points, target),
        "counties": _county_shapes(counties, target, detailed=bool(settings.county)),
        "table": _table_rows(coverage.table),
        "service": encode_shape(coverage.service_area, "wgs84", target, budget=AREA_BUDGET),
        "cross": encode_shape(coverage.cross_area, "wgs84", target, budget=AREA_BUDGET // 2),
        "gaps": _gaps(coverage.gaps, target),
    }


def _tile_layers(settings: Settings) -> list[dict[str, Any]]:
    """Leaflet tile layer specs (URL template and options) for the chosen basemap."""
    layers = []
    for spec in BASEMAPS[settings.basemap]:
        layer = {k: v for k, v in spec.items() if k != "layer"}
        layer["url"] = spec["url"].replace("{layer}", spec.get("layer", "")).replace("{key}", settings.tianditu_key)
        layers.append(layer)
    return layers


def _bounds(counties: pd.DataFrame, points: pd.DataFrame, target: str) -> list[list[float]] | None:
    """[[south, west], [north, east]] to fit at start: the counties in scope, else the points."""
    if len(counties):
        box = counties.total_bounds
        lon, lat = datum.convert([box[0], box[2]], [box[1], box[3]], "gcj02", target)
    elif len(points):
        lon, lat = _positions(points, target)
    else:
        return None
    return [[round(float(np.min(lat)), 5), round(float(np.min(lon)), 5)],
            [round(float(np.max(lat)), 5), round(float(np.max(lon)), 5)]]  # fmt: skip


_POINT_COLUMNS = (
    "kind", "id", "name", "type", "address", "hours", "phone", "note", "facilities",
    "adcode", "county", "prefecture", "lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84",
)  # fmt: skip


def _positions(points: pd.DataFrame, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Point positions in the map's datum (from the column already in it when there is one)."""
    if target in ("gcj02", "wgs84"):
        return points[f"lon_{target}"].to_numpy(float), points[f"lat_{target}"].to_numpy(float)
    return datum.convert(points["lon_wgs84"], points["lat_wgs84"], "wgs84", target)


def station_columns(points: pd.DataFrame, target: str) -> dict[str, Any]:
    """Stations and offices as compact columns: string tables for repeated values, delta-coded integers."""
    lon, lat = (np.rint(a * STATION_SCALE) for a in _positions(points, target))
    kinds, kind_ix = _string_table(points["kind"])
    types, type_ix = _string_table(points["type"])
    hours, hours_ix = _string_table(points["hours"])
    areas, area_ix = _string_table(_as_text(points["adcode"]) + "\t" + _as_text(points["county"]))
    names, facsets, facset_ix = _facility_sets(points["facilities"])
    return {
        "n": len(points),
        "lon": _delta(lon),
        "lat": _delta(lat),
        "wgsLon": _wgs_offsets(points["lon_wgs84"], lon, target),
        "wgsLat": _wgs_offsets(points["lat_wgs84"], lat, target),
        "kind": kind_ix, "kinds": kinds,
        "id": _texts(points["id"]), "name": _texts(points["name"]),
        "address": _texts(points["address"]), "phone": _texts(points["phone"]), "note": _texts(points["note"]),
        "type": type_ix, "types": types,
        "hours": hours_ix, "hoursText": hours, "schedules": [parse_hours(h) for h in hours],
        "area": area_ix, "areas": [a.split("\t", 1) for a in areas],
        "facset": facset_ix, "facsets": facsets, "facilities": names, "facilityLabels": facilities.labels(names),
    }  # fmt: skip


def _wgs_offsets(wgs84: pd.Series, scaled: np.ndarray, target: str) -> str | None:
    """WGS-84 minus map datum, delta-coded: distances are measured between true (WGS-84) positions."""
    if target == "wgs84":
        return None
    return _delta(np.rint(wgs84.to_numpy(float) * STATION_SCALE) - scaled)


def _text(value: Any) -> str:
    """A cell as display text: missing values become empty strings."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _as_text(column: pd.Series) -> pd.Series:
    """A column as display strings: missing values become empty strings."""
    return column.astype(object).where(column.notna(), "").astype(str)


def _texts(column: pd.Series) -> list[str]:
    """A column as a list of display strings."""
    return _as_text(column).tolist()


def _string_table(column: pd.Series) -> tuple[list[str], list[int]]:
    """Distinct strings in order of first appearance, and each row's index into them."""
    codes, uniques = pd.factorize(_as_text(column), sort=False)
    return [str(u) for u in uniques], codes.tolist()


def _delta(values: np.ndarray) -> str:
    """Integers as first value then differences (consecutive stations are near, so numbers stay short), packed."""
    return pack_ints(np.diff(values.astype(np.int64), prepend=0))


_DIGITS = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)


def pack_many(arrays: list[np.ndarray]) -> list[str]:
    """`pack_ints` of each array, in one vectorised pass over all of them (a map has thousands of rings)."""
    if not arrays:
        return []
    text, count = _pack(np.concatenate(arrays))
    value_end = np.cumsum([len(a) for a in arrays])
    char_end = np.cumsum(count)[value_end - 1] * (value_end > 0) if len(count) else np.zeros(len(arrays), int)
    char_start = np.r_[0, char_end[:-1]]
    return [text[a:b] for a, b in zip(char_start.tolist(), char_end.tolist(), strict=True)]


def pack_ints(values: np.ndarray) -> str:
    """Signed integers as URL-safe base-64 text that JSON and HTML leave alone; unpackInts in the page reads it.

    Zigzag-signed, 5 bits a character with a 'more follows' bit, like Google's polyline encoding: a typical
    delta takes 2 characters instead of the 5 of '-170,'.
    """
    return _pack(np.asarray(values, dtype=np.int64))[0]


def _pack(ints: np.ndarray) -> tuple[str, np.ndarray]:
    """The packed text of `ints` and the number of characters each value took."""
    zigzag = ((ints << 1) ^ (ints >> 63)).astype(np.uint64)
    count = np.ones(len(zigzag), dtype=np.int64)
    rest = zigzag >> np.uint64(5)
    while rest.any():
        count += rest > 0
        rest >>= np.uint64(5)
    first = np.cumsum(count) - count
    out = np.empty(int(count.sum()), dtype=np.uint8)
    for k in range(int(count.max(initial=0))):
        has = count > k
        digit = (zigzag[has] >> np.uint64(5 * k)) & np.uint64(31)
        digit |= np.where(count[has] > k + 1, np.uint64(32), np.uint64(0))
        out[first[has] + k] = _DIGITS[digit.astype(np.int64)]
    return out.tobytes().decode("ascii"), count


def unpack_ints(text: str) -> list[int]:
    """The integers `pack_ints` packed (for tests and tools; the page has its own reader)."""
    value, shift, out = 0, 0, []
    for char in text.encode("ascii"):
        digit = int(np.flatnonzero(char == _DIGITS)[0])
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        out.append(-((value + 1) >> 1) if value & 1 else value >> 1)
        value, shift = 0, 0
    return out


def _facility_sets(column: pd.Series) -> tuple[list[str], list[list[int]], list[int]]:
    """Canonical facility names, the distinct combinations as index lists, and each row's combination."""
    # Work on the distinct cell values only: a station list repeats a handful of combinations.
    cells = [tuple(v) if isinstance(v, list | tuple | np.ndarray) else () for v in column]
    codes, distinct = pd.factorize(pd.Series(cells, dtype=object), sort=False)
    rows = [tuple(facilities.canonical(_text(f)) for f in cell) for cell in distinct]
    names = facilities.order({f for row in rows for f in row if f})
    position = {name: i for i, name in enumerate(names)}
    table: dict[tuple[int, ...], int] = {}
    per_distinct = [table.setdefault(tuple(sorted({position[f] for f in row if f})), len(table)) for row in rows]
    return names, [list(c) for c in table], np.asarray(per_distinct, dtype=np.int64)[codes].tolist()


# ---------------------------------------------------------------- opening hours

_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": -1}
_EN_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_ALL_DAYS = 0b1111111
_HOURS_TOKEN = re.compile(
    r"(?P<always>24\s*(?:小时|h\b|hours?)|全天候?|24/7|00?:00-24:00)"
    r"|(?P<span>(?:周|星期|礼拜)(?P<d1>[一二三四五六日天1-7])(?:-|至|到)(?:周|星期|礼拜)?(?P<d2>[一二三四五六日天1-7]))"
    r"|(?P<en>(?P<e1>mon|tue|wed|thu|fri|sat|sun)[a-z]*(?:-(?P<e2>mon|tue|wed|thu|fri|sat|sun)[a-z]*)?)"
    r"|(?P<day>(?:周|星期|礼拜)(?P<d0>[一二三四五六日天1-7末]))"
    r"|(?P<work>工作日|weekdays?)|(?P<weekend>周末|双休日|weekends?)|(?P<daily>每天|每日|daily|every\s*day)"
    r"|(?P<pm>下午|晚上|pm)|(?P<am>上午|早上|am)"
    r"|(?P<range>(?P<h1>\d{1,2})(?::(?P<m1>\d{2}))?(?:点|时)?-(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))?(?:点|时)?)",
    re.IGNORECASE,
)
# Separators and filler that carry no schedule; anything else left over makes the format unknown.
_HOURS_FILLER = re.compile(
    r"[\s,;/、，；。.()（）:和及]|营业时间|开放时间|服务时间|时间|开放|营业|open|hours", re.IGNORECASE
)
# What may stand between two day specs that make one ('周六、周日', '周六和周日'); NFKC made '，' a ','.
_DAY_JOINER = re.compile(r"[\s,、和及]*")


def _day_index(char: str) -> int:
    """Weekday number (Monday 0) of a Chinese or Arabic day character."""
    return int(char) - 1 if char.isdigit() else _DAYS[char]


def _day_mask(first: int, last: int) -> int:
    """Bit mask (Monday = bit 0) of the days first..last, wrapping past Sunday."""
    mask, day = 0, first
    while True:
        mask |= 1 << day
        if day == last:
            return mask
        day = (day + 1) % 7


def parse_hours(text: str) -> list[list[int]] | None:
    """Opening hours as [[day mask, start minute, end minute], ...]; None when the format is not understood.

    Days written before time ranges apply to the ranges after them ('周一至周五 8:00-18:00，周六 9:00-12:00'),
    days written after them to the ranges before them ('8:00-18:00（周一至周五）'); no days means every day.
    """
    norm = unicodedata.normalize("NFKC", text).lower()
    norm = re.sub(r"\s*[-~—–－至到]+\s*", "-", norm)
    if not norm.strip():
        return None
    items: list[tuple[str, int, int]] = []  # ("days", mask, 0) and ("range", start, end), in writing order
    shift, position, leftover = 0, 0, []
    for match in _HOURS_TOKEN.finditer(norm):
        gap = norm[position : match.start()]
        leftover.append(gap)
        position = match.end()
        item, shift = _hours_item(match, shift)
        if item and item[0] == "days" and items and items[-1][0] == "days" and _DAY_JOINER.fullmatch(gap):
            items[-1] = ("days", items[-1][1] | item[1], 0)  # '周六、周日': one day spec
        elif item:
            items.append(item)
    leftover.append(norm[position:])
    ranges = [(start, end) for kind, start, end in items if kind == "range"]
    if not ranges or _HOURS_FILLER.sub("", "".join(leftover)):
        return None
    if any(start >= 24 * 60 or end > 24 * 60 or start == end for start, end in ranges):
        return None
    return _attach_days(items)


def _hours_item(match: re.Match[str], shift: int) -> tuple[tuple[str, int, int] | None, int]:
    """One token as a day spec or a time range (None for a half-day word), and the half-day shift after it."""
    group = match.lastgroup
    if group == "always":
        return ("range", 0, 24 * 60), 0
    if group in ("pm", "am"):
        return None, 12 if group == "pm" else 0
    if group == "range":
        start = _minutes(match["h1"], match["m1"], shift)
        end = _minutes(match["h2"], match["m2"], 12 if shift or int(match["h2"]) < int(match["h1"]) <= 12 else 0)
        return ("range", start, end), 0
    return ("days", _days_of(match), 0), shift


def _days_of(match: re.Match[str]) -> int:
    """The day mask of a day token: a span, one day, working days, weekend or every day."""
    group = match.lastgroup
    if group == "span":
        return _day_mask(_day_index(match["d1"]), _day_index(match["d2"]))
    if group == "en":
        first = _EN_DAYS[match["e1"][:3]]
        return _day_mask(first, _EN_DAYS[match["e2"][:3]] if match["e2"] else first)
    if group == "day":
        day = _day_index(match["d0"])
        return 0b1100000 if day < 0 else 1 << day
    return {"work": 0b0011111, "weekend": 0b1100000}.get(str(group), _ALL_DAYS)


def _attach_days(items: list[tuple[str, int, int]]) -> list[list[int]] | None:
    """Rules from day specs and ranges: days before ranges lead them, days after ranges close them.

    Anything else (two day specs with other text between, a range left without days in a mixed text) is
    ambiguous: None, so that the page shows no open/closed badge rather than a wrong one.
    """
    kinds = "".join(kind[0] for kind, _, _ in items)  # 'd' for days, 'r' for a range
    if "d" not in kinds:
        return [[_ALL_DAYS, start, end] for _, start, end in items]
    if "dd" in kinds or kinds[0] == kinds[-1]:
        return None
    rules: list[list[int]] = []
    if kinds[0] == "d":  # days first: each spec applies to the ranges that follow it
        mask = 0
        for kind, a, b in items:
            if kind == "days":
                mask = a
            else:
                rules.append([mask, a, b])
        return rules
    pending: list[tuple[int, int]] = []  # ranges first: each spec applies to the ranges since the previous one
    for kind, a, b in items:
        if kind == "range":
            pending.append((a, b))
        else:
            rules += [[a, start, end] for start, end in pending]
            pending = []
    return rules


def _minutes(hour: str, minute: str | None, shift: int) -> int:
    """Minutes after midnight; `shift` 12 moves afternoon hours written 1-11 past noon."""
    h = int(hour)
    if shift and h < 12:
        h += shift
    return h * 60 + int(minute or 0)


# ---------------------------------------------------------------- shapes


def encode_shape(
    geometry: BaseGeometry | None, source: str, target: str, *, budget: int, tolerance: float = 2e-5
) -> list[list[str]] | None:
    """A (multi)polygon as [polygon][ring] packed delta-coded lon/lat integers, simplified to `budget` vertices."""
    if geometry is None or geometry.is_empty:
        return None
    simple = _simplify(geometry, tolerance, budget)
    simple = datum.convert_geometry(simple, source, target)
    polygons = [list(_rings(polygon)) for polygon in _polygons(simple)]
    packed = iter(pack_many([_ring_deltas(ring) for rings in polygons for ring in rings]))
    return [[next(packed) for _ in rings] for rings in polygons]


def _simplify(geometry: BaseGeometry, tolerance: float, budget: int) -> BaseGeometry:
    """Simplify polygon by polygon until the vertices fit `budget`, growing `tolerance` (degrees) as needed.

    Douglas-Peucker without topology checks: fast on 100,000s of vertices, and the result is only drawn.
    """
    parts = np.array(list(_polygons(geometry)), dtype=object)
    count = int(shapely.get_num_coordinates(parts).sum())
    while True:
        simple = shapely.get_parts(shapely.simplify(parts, tolerance, preserve_topology=False))
        simple = simple[(shapely.get_type_id(simple) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(simple)]
        count = int(shapely.get_num_coordinates(simple).sum())
        if count <= budget or tolerance >= 0.05:
            return shapely.multipolygons(simple) if len(simple) else shapely.Polygon()
        # Vertices along arcs fall with the square root of the tolerance: aim at the budget in one step.
        tolerance *= min(16.0, max(1.5, (count / budget) ** 2))


def _polygons(geometry: BaseGeometry) -> Iterator[BaseGeometry]:
    """The non-empty polygons of any geometry (collections included)."""
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon" and not part.is_empty:
            yield part
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            yield from _polygons(part)


def _rings(polygon: BaseGeometry) -> Iterator[np.ndarray]:
    """Exterior then interior rings' coordinates, without the closing repeat."""
    yield np.asarray(polygon.exterior.coords)[:-1]
    for ring in polygon.interiors:
        yield np.asarray(ring.coords)[:-1]


def _ring_deltas(coords: np.ndarray) -> np.ndarray:
    """A ring as flat [lon0, lat0, dlon1, dlat1, ...] integers in 1e-5 degree."""
    ints = np.rint(coords[:, :2] * SHAPE_SCALE).astype(np.int64)
    return np.diff(ints, axis=0, prepend=0).ravel()


def _county_shapes(counties: pd.DataFrame, target: str, *, detailed: bool) -> list[dict[str, Any]]:
    """County polygons in the map's datum, finer when the map is about one county."""
    budget = COUNTY_BUDGET // max(len(counties), 1) if not detailed else COUNTY_BUDGET
    tolerance = 5e-5 if detailed else 3e-4
    return [
        {
            "adcode": _text(row.adcode),
            "county": _text(row.county),
            "prefecture": _text(row.prefecture),
            "shape": encode_shape(row.geometry, "gcj02", target, budget=max(budget, 200), tolerance=tolerance),
        }
        for row in counties.itertuples(index=False)
    ]


def _number(value: Any) -> float | int | None:
    """A table number for JSON: NaN becomes null, integers stay integers, floats are rounded to 2 places."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    return round(float(value), 2)


def _table_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """coverage.table as a list of rows: text columns as strings, numbers rounded, NaN as null."""
    rows = []
    for record in table.to_dict("records"):
        row: dict[str, Any] = {k: _text(record.get(k)) for k in ("adcode", "county", "prefecture")}
        row.update({k: _number(record.get(k)) for k in TABLE_COLUMNS})
        rows.append(row)
    return rows


def _gaps(gaps: pd.DataFrame, target: str) -> dict[str, Any] | None:
    """Uncovered places: polygons per county, or uncovered demand points, in the map's datum."""
    if gaps is None or not len(gaps):
        return None
    geometry = gaps.geometry
    if bool((geometry.geom_type == "Point").all()):
        lon, lat = datum.convert(geometry.x.to_numpy(), geometry.y.to_numpy(), "wgs84", target)
        return {
            "kind": "points",
            "lon": _delta(np.rint(lon * STATION_SCALE)),
            "lat": _delta(np.rint(lat * STATION_SCALE)),
            "weight": [_number(v) for v in gaps.get("weight", pd.Series([None] * len(gaps)))],
            "distance": [_number(v) for v in gaps.get("distance_m", pd.Series([None] * len(gaps)))],
            "county": _texts(gaps.get("county", pd.Series([""] * len(gaps)))),
        }
    # Uncovered areas are the counties less the service area: the page draws them from those two layers
    # rather than carrying a third copy of every ring (a quarter of the page at Hunan's scale).
    return {"kind": "areas"}


# ---------------------------------------------------------------- HTML


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: <, >, & and the JS line separators escaped, as folium's tojson."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text


def _asset(name: str) -> str:
    """An asset file's text; refuses any that would end the inline <script> or <style> early."""
    text = (ASSETS / name).read_text(encoding="utf-8")
    return _inline_safe(text, name)


def _inline_safe(text: str, name: str) -> str:
    """Check that inlined code cannot close its element."""
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        msg = f"{name} contains a closing script/style tag and cannot be inlined"
        raise ValueError(msg)
    return text


def _leaflet_dir() -> Path:
    """Where the installed xstatic-leaflet package keeps leaflet.js, leaflet.css and images/."""
    from xstatic.pkg import leaflet  # imported late: only a build needs it

    return Path(leaflet.BASE_DIR)


def leaflet_css() -> str:
    """leaflet.css with its images inlined as data: URIs, so the page requests nothing."""
    base = _leaflet_dir()

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode((base / match[1]).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, (base / "leaflet.css").read_text(encoding="utf-8"))
    return _inline_safe(css, "leaflet.css")


def leaflet_js() -> str:
    """The minified Leaflet library from xstatic-leaflet."""
    return _inline_safe((_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8"), "leaflet.js")


def page_script() -> str:
    """The page's own script: the asset files in one strict-mode function scope."""
    body = "\n".join(_asset(name) for name in SCRIPT_FILES)
    return f"(function () {{\n'use strict';\n{body}\n}}());\n"


class _Raw(Element):
    """Text placed in the page verbatim: unlike a MacroElement's output it is never parsed as a template."""

    def __init__(self, text: str) -> None:
        """Keep the text."""
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class _PageParts(Element):
    """Inlined Leaflet, styles, data and the page's script, attached to the folium figure at render time."""

    def __init__(self, map_name: str, data: dict[str, Any]) -> None:
        """Remember the Leaflet map's variable name and the page data."""
        super().__init__()
        self._name = "PageParts"
        self.map_name = map_name
        self.data = data

    def render(self, **kwargs: Any) -> str:
        """Add head, body and script parts to the figure (raw text: the data may contain '{{')."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "the page parts must be rendered inside a folium Figure"
            raise TypeError(msg)
        styles = "\n".join([leaflet_css(), *(_asset(name) for name in STYLE_FILES)])
        head = f"<style>\n{styles}\n</style>\n<script>\n{leaflet_js()}\n</script>\n<script>\n{page_script()}</script>"
        body = f'<script type="application/json" id="mapgen-data">{script_json(self.data)}</script>'
        script = f"window.mapgenStart({self.map_name});\n"
        for part, text in ((figure.header, head), (figure.html, body), (figure.script, script)):
            part.add_child(_Raw(text), name="mapgen")
        return ""


def _number_elements(root: Element) -> None:
    """Replace branca's random element ids (os.urandom) with sequence numbers, for byte-identical pages."""
    for number, element in enumerate(_walk(root)):
        element._id = f"{number:04d}"


def _walk(element: Element) -> Iterator[Element]:
    """The element, its figure parts if it is a figure, and all descendants, depth first."""
    yield element
    if isinstance(element, Figure):
        yield from (element.header, element.html, element.script)
    for child in element._children.values():
        yield from _walk(child)
