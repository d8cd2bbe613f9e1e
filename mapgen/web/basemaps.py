"""Basemaps: the tile layers of each basemap a map page can have, as folium TileLayers."""

from __future__ import annotations

from typing import Any

import folium

GAODE_ATTRIBUTION = "&copy; 高德地图 Amap"
TIANDITU_ATTRIBUTION = "&copy; 天地图 Tianditu"
MAX_ZOOM = 19
# URL templates and Leaflet options per basemap; {layer} and {key} are filled in by `tile_layers`.
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
            "subdomains": "1234", "maxNativeZoom": 18, "attribution": GAODE_ATTRIBUTION,
        },
    ],
    "osm": [
        {
            "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "subdomains": "abc", "maxNativeZoom": 19,
            "attribution": "&copy; OpenStreetMap contributors",
        },
    ],
    "tianditu": [
        {
            "url": "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
            "&TILECOL={x}&tk={key}",
            "layer": layer, "subdomains": "01234567", "maxNativeZoom": 18, "attribution": TIANDITU_ATTRIBUTION,
        }
        for layer in ("vec", "cva")
    ],
    "none": [],
}  # fmt: skip


def tile_layers(basemap: str, tianditu_key: str = "") -> list[folium.TileLayer]:
    """The basemap's tile layers, bottom first (a label layer repeats the attribution: Leaflet shows it once)."""
    if basemap not in BASEMAPS:
        msg = f"`basemap` was {basemap!r} but must be one of {', '.join(BASEMAPS)}"
        raise ValueError(msg)
    return [
        folium.TileLayer(
            tiles=spec["url"].replace("{layer}", spec.get("layer", "")).replace("{key}", tianditu_key),
            attr=spec["attribution"],
            name=f"{basemap}-{k}",
            max_zoom=MAX_ZOOM,
            max_native_zoom=spec["maxNativeZoom"],
            subdomains=spec["subdomains"],
            control=False,
        )
        for k, spec in enumerate(BASEMAPS[basemap])
    ]
