"""The best known technique for a big point map, measured beside mapgen: supercluster on a canvas over Leaflet.

bench/supercluster/page.js clusters the stations with supercluster (npm, by Mapbox) and draws them on one canvas
over a plain Leaflet map; this module writes a self-contained page of it for a station CSV and times it in the
same Chromium with the same scripts as mapgen's page (bench/browser.py). Needs `npm ci --prefix bench/supercluster`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from browser import ZOOM_STEPS, Browser, zoom_figures

HERE = Path(__file__).resolve().parent / "supercluster"
MODULES = HERE / "node_modules"
LEAFLET_JS = MODULES / "leaflet" / "dist" / "leaflet.js"
LEAFLET_CSS = MODULES / "leaflet" / "dist" / "leaflet.css"
SUPERCLUSTER_JS = MODULES / "supercluster" / "dist" / "supercluster.min.js"
PAGE_JS = HERE / "page.js"
LON, LAT = "经度", "纬度"


def installed() -> bool:
    """Whether the npm packages the comparison page inlines are installed."""
    return all(path.is_file() for path in (LEAFLET_JS, LEAFLET_CSS, SUPERCLUSTER_JS))


def install_hint() -> str:
    """The command that installs them, from the repository root."""
    return "npm ci --prefix bench/supercluster"


def versions() -> dict[str, str]:
    """The installed versions of leaflet and supercluster."""
    return {name: json.loads((MODULES / name / "package.json").read_text())["version"]
            for name in ("leaflet", "supercluster")}  # fmt: skip


def read_points(stations_csv: Path) -> list[str]:
    """The stations' raw coordinates as number literals, flat: [lon0, lat0, lon1, lat1, ...]."""
    flat: list[str] = []
    with stations_csv.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            lon, lat = row[LON].strip(), row[LAT].strip()
            float(lon), float(lat)  # a bad number fails here, not silently in the page
            flat += (lon, lat)
    return flat


def _script(text: str) -> str:
    """Text made safe to inline in a <script> element."""
    return text.replace("</script", "<\\/script")


def write_page(stations_csv: Path, html: Path) -> int:
    """Write the self-contained comparison page for a station file; the number of stations."""
    if not installed():
        msg = f"supercluster comparison page not installed: run `{install_hint()}` from the repository root"
        raise RuntimeError(msg)
    flat = read_points(stations_csv)
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>supercluster: {len(flat) // 2} stations</title>",
        f"<style>{LEAFLET_CSS.read_text(encoding='utf-8')}</style>",
        "<style>html, body, #map { margin: 0; width: 100%; height: 100%; }</style>",
        '</head><body><div id="map"></div>',
        f"<script>{_script(LEAFLET_JS.read_text(encoding='utf-8'))}</script>",
        f"<script>{_script(SUPERCLUSTER_JS.read_text(encoding='utf-8'))}</script>",
        f"<script>window.__benchPoints = new Float64Array([{','.join(flat)}]);</script>",
        f"<script>{_script(PAGE_JS.read_text(encoding='utf-8'))}</script>",
        "</body></html>\n",
    ]
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text("\n".join(parts), encoding="utf-8")
    return len(flat) // 2


def supercluster_page(browser: Browser, stations_csv: Path, work: Path, *, limit_s: float) -> dict[str, float]:
    """First paint, first rendered frame and redraw after zoom of the supercluster page, timed as mapgen's."""
    html = work / f"supercluster_{stations_csv.stem}.html"
    write_page(stations_csv, html)
    with browser.painted(html, limit_s=limit_s) as page:
        marks = page.evaluate("[window.__mapgenTest.painted, window.__benchFirstFrame, window.__mapgenTest.drawn]")
        if not marks[2]:
            msg = f"{html}: the supercluster page drew nothing"
            raise RuntimeError(msg)
        zoom = zoom_figures(page, "mapgen", ZOOM_STEPS)
    return {
        "sc_paint_s": marks[0] / 1000,
        "sc_frame_s": marks[1] / 1000,
        "sc_redraw_ms": zoom["redraw_ms"],
        "sc_redraw_sync_ms": zoom["redraw_sync_ms"],
    }
