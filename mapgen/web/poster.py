"""A printable A4 poster per county, one self-contained HTML page.

It holds the title, an inline-SVG overview map, the numbered station list, the county union office, the data
date and (with a base URL) a QR code to the county's online map.

The page is self-contained (no network, no script) and prints as exactly one A4 portrait page: the sheet has a
fixed size in millimetres, every list line is a single ellipsised line of fixed height, and the number of
stations listed is capped by what the chosen layout holds (the rest are counted, with a pointer to the online
map).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import segno
import shapely

__all__ = ["LAYOUTS", "Layout", "poster_html"]

FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
MAX_VERTICES = 300
SHEET_W_MM, SHEET_H_MM = 190.0, 276.0  # A4 (210 x 297) less 10 mm margins, and 1 mm of slack in height
HEADER_MM, FOOTER_MM, GAPS_MM = 17.0, 7.0, 6.0
SVG_SIZE = 1000.0  # the map's longer side in SVG units


@dataclass(frozen=True)
class Layout:
    """One density of the poster: map height, list columns and the type of the list."""

    map_mm: float
    columns: int
    font_pt: float
    line_mm: float
    gap_mm: float

    @property
    def list_mm(self) -> float:
        """Height of the station list."""
        return SHEET_H_MM - HEADER_MM - self.map_mm - FOOTER_MM - GAPS_MM

    @property
    def entry_mm(self) -> float:
        """Height of one station: two lines and a gap."""
        return 2 * self.line_mm + self.gap_mm

    @property
    def capacity(self) -> int:
        """Stations the list holds (1 mm spare per column against rounding to device pixels)."""
        return self.columns * math.floor((self.list_mm - 1.0) / self.entry_mm)


# From roomy to dense; a county gets the first layout that holds all its stations, else the last (capped).
LAYOUTS = (
    Layout(map_mm=120.0, columns=2, font_pt=9.5, line_mm=4.6, gap_mm=1.8),
    Layout(map_mm=100.0, columns=2, font_pt=8.0, line_mm=3.8, gap_mm=1.2),
    Layout(map_mm=88.0, columns=3, font_pt=7.0, line_mm=3.2, gap_mm=0.9),
)

TEXT = {
    "zh": {
        "title": "{county}户外劳动者驿站爱心地图",
        "subtitle": "{prefecture} · {n} 个户外劳动者服务站点 · 数据日期 {date}",
        "office": "县级工会",
        "no_office": "（数据中暂无县级工会信息）",
        "phone": "电话",
        "more": "另有 {n} 个站点，请扫码查看在线地图",
        "more_no_qr": "另有 {n} 个站点，请查看在线地图",
        "scan": "微信扫码，查看在线地图，导航到最近的驿站",
        "date": "数据日期 {date}",
        "note": "站点向户外劳动者免费开放：饮水、休息、充电、如厕。地图为示意，非测绘成果。",
        "stations": "站点",
        "km": "{n} 公里",
        "none": "本县暂无站点数据",
    },
    "en": {
        "title": "{county} rest stations for outdoor workers",
        "subtitle": "{prefecture} · {n} rest stations for outdoor workers · data of {date}",
        "office": "County trade union",
        "no_office": "(no county union office in the data)",
        "phone": "Tel.",
        "more": "{n} more stations: scan the code for the online map",
        "more_no_qr": "{n} more stations on the online map",
        "scan": "Scan for the online map and walk to the nearest station",
        "date": "Data date {date}",
        "note": "Stations are open to outdoor workers free of charge: water, rest, charging, toilets. Sketch map.",
        "stations": "stations",
        "km": "{n} km",
        "none": "No stations in the data for this county",
    },
}


def poster_html(
    county: str,
    prefecture: str,
    adcode: str,
    outline_gcj02: shapely.Geometry,
    stations: pd.DataFrame,
    office: pd.Series | None,
    *,
    base_url: str | None,
    data_date: str,
    lang: str = "zh",
) -> str:
    """The county's poster as one self-contained HTML page that prints as exactly one A4 portrait page.

    `stations` are the county's stations (reading's point columns), listed and numbered in id order;
    `office` is the county union office row or None; with `base_url` the poster carries a QR code to
    `<base_url>/<adcode>/`.
    """
    if lang not in TEXT:
        msg = f"`lang` was {lang!r} but is expected to be one of {tuple(TEXT)}"
        raise ValueError(msg)
    words = TEXT[lang]
    ordered = stations.sort_values("id", kind="stable").reset_index(drop=True) if len(stations) else stations
    n = len(ordered)
    layout = next((lay for lay in LAYOUTS if lay.capacity >= n), LAYOUTS[-1])
    shown = min(n, layout.capacity)
    url = f"{base_url.rstrip('/')}/{adcode}/" if base_url else None
    title = words["title"].format(county=county)
    esc = html.escape
    more = ""
    if n > shown:
        more = (words["more"] if url else words["more_no_qr"]).format(n=n - shown)
    subtitle = words["subtitle"].format(prefecture=prefecture, n=n, date=data_date)
    return "".join([
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{esc(title)}</title>\n<style>\n{_css(layout)}</style>\n</head>\n<body>\n",
        '<div class="sheet">\n',
        f'<header><h1>{esc(title)}</h1><p class="sub">{esc(subtitle)}</p></header>\n',
        '<section class="top">\n',
        f'<div class="map">{_map_svg(outline_gcj02, ordered, shown, words)}</div>\n',
        f'<aside class="side">{_qr_block(url, words)}{_office_block(office, words)}',
        f'<p class="note">{esc(words["note"])}</p></aside>\n',
        "</section>\n",
        f'<ol class="list">{_entries(ordered, shown, words)}</ol>\n',
        f'<footer><span class="more">{esc(more)}</span>',
        f'<span class="date">{esc(words["date"].format(date=data_date))}</span></footer>\n',
        "</div>\n</body>\n</html>\n",
    ])


def _css(layout: Layout) -> str:
    """The page's style: a fixed A4 sheet on paper and on screen."""
    return f"""@page {{ size: A4 portrait; margin: 10mm; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; background: #fff; }}
body {{ font-family: {FONTS}; color: #1d1d1f; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.sheet {{ width: {SHEET_W_MM}mm; height: {SHEET_H_MM}mm; overflow: hidden; display: flex; flex-direction: column;
  gap: {GAPS_MM / 3:.2f}mm; break-after: avoid; break-inside: avoid; page-break-after: avoid; }}
@media screen {{ body {{ background: #e8e8e8; }}
  .sheet {{ margin: 6mm auto; padding: 0; background: #fff; box-shadow: 0 0 0 10mm #fff, 0 0 4mm 10mm #0002; }} }}
header {{ height: {HEADER_MM}mm; flex: none; border-bottom: 0.6mm solid #c8102e; overflow: hidden; }}
h1 {{ margin: 0; font-size: 19pt; line-height: 10mm; height: 10mm; color: #c8102e; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
.sub {{ margin: 0.5mm 0 0; font-size: 9pt; line-height: 5mm; height: 5mm; color: #555; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
.top {{ height: {layout.map_mm}mm; flex: none; display: flex; gap: 4mm; overflow: hidden; }}
.map {{ flex: 1; min-width: 0; border: 0.3mm solid #ccc; border-radius: 1.5mm; overflow: hidden; }}
.map svg {{ width: 100%; height: 100%; display: block; }}
.side {{ width: 56mm; flex: none; display: flex; flex-direction: column; gap: 2mm; overflow: hidden;
  font-size: 8pt; line-height: 1.35; }}
.qr svg {{ width: 36mm; height: 36mm; display: block; margin: 0 auto; }}
.qr p {{ margin: 1mm 0 0; text-align: center; }}
.url {{ font-size: 7pt; word-break: break-all; color: #333; }}
.office {{ border-left: 1mm solid #c8102e; padding-left: 2mm; }}
.office p {{ margin: 0; overflow-wrap: anywhere; }}
.office b {{ color: #c8102e; }}
.note {{ margin: 0; color: #666; font-size: 7pt; }}
.list {{ height: {layout.list_mm:.2f}mm; flex: none; margin: 0; padding: 0; list-style: none; overflow: hidden;
  columns: {layout.columns}; column-gap: 4mm; column-fill: auto; font-size: {layout.font_pt}pt; }}
.list li {{ height: {layout.entry_mm:.2f}mm; padding-bottom: {layout.gap_mm}mm; break-inside: avoid;
  page-break-inside: avoid; overflow: hidden; }}
.list .l {{ display: flex; gap: 1.5mm; height: {layout.line_mm}mm; line-height: {layout.line_mm}mm;
  white-space: nowrap; overflow: hidden; }}
.list .l span {{ overflow: hidden; text-overflow: ellipsis; }}
.list .l .grow {{ flex: 1 1 auto; min-width: 0; }}
.list .l .fix {{ flex: none; color: #444; }}
.list .no {{ display: inline-block; min-width: 2.2em; color: #fff; background: #c8102e; border-radius: 0.8mm;
  text-align: center; margin-right: 1mm; font-weight: bold; }}
.list .name {{ font-weight: bold; }}
.list .addr {{ color: #333; padding-left: 3.2em; }}
.list .empty {{ color: #666; }}
footer {{ height: {FOOTER_MM}mm; flex: none; display: flex; justify-content: space-between; align-items: center;
  gap: 4mm; border-top: 0.3mm solid #ccc; font-size: 8.5pt; white-space: nowrap; overflow: hidden; }}
footer .more {{ color: #c8102e; font-weight: bold; overflow: hidden; text-overflow: ellipsis; }}
footer .date {{ color: #555; flex: none; }}
"""


def _text(value: object) -> str:
    """A cell as display text: missing values are empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value).strip()


def _entries(stations: pd.DataFrame, shown: int, words: dict[str, str]) -> str:
    """The numbered list items: number, name and phone on one line; address and hours on the next."""
    esc = html.escape
    if not len(stations):
        return f'<li><div class="l empty">{esc(words["none"])}</div></li>'
    items = []
    for k in range(shown):
        row = stations.iloc[k]
        name, address = _text(row.get("name")), _text(row.get("address"))
        hours, phone = _text(row.get("hours")), _text(row.get("phone"))
        items.append(
            f'<li><div class="l"><span class="grow"><span class="no">{k + 1}</span>'
            f'<span class="name">{esc(name)}</span></span><span class="fix">{esc(phone)}</span></div>'
            f'<div class="l"><span class="grow addr">{esc(address)}</span><span class="fix">{esc(hours)}</span>'
            "</div></li>"
        )
    return "".join(items)


def _qr_block(url: str | None, words: dict[str, str]) -> str:
    """The QR code (inline SVG) with the URL under it, or nothing without a URL."""
    if url is None:
        return ""
    code = segno.make(url, error="m").svg_inline(omitsize=True, border=4, title=url)
    esc = html.escape
    return (f'<div class="qr">{code}<p>{esc(words["scan"])}</p>'
            f'<p class="url">{esc(url)}</p></div>')  # fmt: skip


def _office_block(office: pd.Series | None, words: dict[str, str]) -> str:
    """The county union office's name, address and phone."""
    esc = html.escape
    if office is None:
        return f'<div class="office"><p><b>{esc(words["office"])}</b></p><p>{esc(words["no_office"])}</p></div>'
    name, address, phone = (_text(office.get(key)) for key in ("name", "address", "phone"))
    lines = [f"<p><b>{esc(words['office'])}</b></p>"]
    lines += [f"<p>{esc(text)}</p>" for text in (name, address) if text]
    if phone:
        lines.append(f"<p>{esc(words['phone'])} {esc(phone)}</p>")
    return f'<div class="office">{"".join(lines)}</div>'


def _simplified(outline: shapely.Geometry) -> shapely.Geometry:
    """The outline with at most MAX_VERTICES vertices (tolerance doubled until it fits)."""
    if outline is None or outline.is_empty:
        return shapely.Polygon()
    if shapely.get_num_coordinates(outline) <= MAX_VERTICES:
        return outline
    xmin, ymin, xmax, ymax = outline.bounds
    tolerance = max(xmax - xmin, ymax - ymin) / 2000
    shape = outline
    for _ in range(30):
        shape = shapely.simplify(outline, tolerance, preserve_topology=True)
        if shapely.get_num_coordinates(shape) <= MAX_VERTICES:
            break
        tolerance *= 1.5
    return shape


def _map_svg(outline: shapely.Geometry, stations: pd.DataFrame, shown: int, words: dict[str, str]) -> str:
    """The county outline and the numbered stations, equirectangular (x scaled by cos(lat)), as inline SVG."""
    shape = _simplified(outline)
    lon = stations["lon_gcj02"].to_numpy(dtype=float) if len(stations) else np.zeros(0)
    lat = stations["lat_gcj02"].to_numpy(dtype=float) if len(stations) else np.zeros(0)
    boxes: list[list[float]] = [] if shape.is_empty else [list(shape.bounds)]
    if len(lon):
        boxes.append([float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())])
    if not boxes:
        return ""
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    kx = math.cos(math.radians((south + north) / 2))
    span = max((east - west) * kx, north - south, 1e-4)
    scale = SVG_SIZE / span
    pad = SVG_SIZE * 0.04
    width = (east - west) * kx * scale + 2 * pad
    height = (north - south) * scale + 2 * pad

    def xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (x - west) * kx * scale + pad, (north - y) * scale + pad

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{html.escape(words["stations"])}">']
    path = _path(shape, xy)
    if path:
        parts.append(f'<path d="{path}" fill="#fdf1ec" stroke="#c8102e" stroke-width="3" stroke-linejoin="round" '
                     'fill-rule="evenodd"/>')  # fmt: skip
    x, y = xy(lon, lat)
    radius = 13.0 if shown <= 30 else 10.0
    font = radius * 1.15 if shown < 100 else radius
    for k in range(len(lon) - 1, -1, -1):  # draw 1 last, on top
        if k < shown:
            parts.append(f'<circle cx="{x[k]:.1f}" cy="{y[k]:.1f}" r="{radius:g}" fill="#c8102e" stroke="#fff" '
                         f'stroke-width="1.5"/><text x="{x[k]:.1f}" y="{y[k]:.1f}" dy="0.35em" font-size="{font:.1f}"'
                         f' text-anchor="middle" fill="#fff" font-weight="bold">{k + 1}</text>')  # fmt: skip
        else:
            parts.append(f'<circle cx="{x[k]:.1f}" cy="{y[k]:.1f}" r="{radius * 0.45:.1f}" fill="#c8102e" '
                         'fill-opacity="0.6"/>')  # fmt: skip
    parts.append(_scale_bar(scale, height, pad, words))
    parts.append(f'<g transform="translate({width - pad - 20:.0f} {pad + 10:.0f})" fill="#555">'
                 '<path d="M0 -10 L8 14 L0 8 L-8 14 Z"/><text y="34" font-size="18" text-anchor="middle">N</text>'
                 "</g></svg>")  # fmt: skip
    return "".join(parts)


def _path(shape: shapely.Geometry, xy: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]) -> str:
    """SVG path data of a (multi)polygon's rings."""
    rings: list[np.ndarray] = []
    for polygon in getattr(shape, "geoms", [shape]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings.append(np.asarray(polygon.exterior.coords))
        rings += [np.asarray(ring.coords) for ring in polygon.interiors]
    out = []
    for ring in rings:
        x, y = xy(ring[:, 0], ring[:, 1])
        points = " ".join(f"{a:.1f} {b:.1f}" for a, b in zip(x, y, strict=True))
        out.append(f"M{points}Z")
    return "".join(out)


def _scale_bar(scale: float, height: float, pad: float, words: dict[str, str]) -> str:
    """A scale bar of a round number of kilometres, about a fifth of the map wide."""
    units_per_km = scale / 111.32  # one degree of latitude is 111.32 km
    target = SVG_SIZE / 5 / units_per_km
    km = next((v for v in (0.5, 1, 2, 5, 10, 20, 50, 100) if v >= target * 0.6), 100)
    length = km * units_per_km
    y = height - pad
    label = html.escape(words["km"].format(n=f"{km:g}"))
    return (f'<g fill="#555" stroke="#555"><path d="M{pad:.0f} {y - 8:.0f}v8h{length:.1f}v-8" fill="none" '
            f'stroke-width="2"/><text x="{pad + length + 8:.0f}" y="{y:.0f}" font-size="18" stroke="none">'
            f"{label}</text></g>")  # fmt: skip
