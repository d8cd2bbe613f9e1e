"""The planners' layer as a folium plugin: suggested sites for new stations, numbered, with what each adds."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from mapgen.geo import datum as datums
from mapgen.settings import Datum, Lang
from mapgen.web.layers import _MapgenLayer
from mapgen.web.packing import number, texts

_DATUMS = ("wgs84", "gcj02")
_LANGS = ("zh", "en")


class SuggestionLayer(_MapgenLayer):
    """Suggested sites for new stations on a folium map: numbered squares, best first, with the coverage curve.

    A tap on a site opens its card (in the page's sheet): its rank, the outdoor workers it newly brings
    within reach (after the existing stations and the better-ranked suggestions), the cumulative coverage
    of all demand, the distance to the nearest existing station, and a small curve of the cumulative
    coverage by rank with this site marked; with ``share_of_best``, how close the suggestions come to the
    best possible choice. The layer is named "建议新站点" / "Suggested sites" in the layer switcher.

    Parameters
    ----------
    sites : pandas.DataFrame or geopandas.GeoDataFrame
        One row per suggested site (``suggestions.csv``): ``rank``, ``candidate_id``, ``lon_gcj02``,
        ``lat_gcj02``, ``lon_wgs84``, ``lat_wgs84``, ``adcode``, ``county``, ``newly_covered``,
        ``cumulative_covered``, ``cumulative_covered_pct`` (of all demand, existing stations included) and
        ``nearest_station_m``. A site is drawn at the lon/lat of the map's datum; when only the other
        datum's columns (or a WGS-84 point geometry) are there, they are converted.
    total_demand : float
        The demand weight of all demand points (what ``cumulative_covered_pct`` is a share of).
    share_of_best : float, default None
        The suggestions' coverage as a share of the best possible (an upper bound), e.g. 0.968; None or NaN
        when unknown (the card then leaves that line out).
    datum : {"wgs84", "gcj02"}, default "wgs84"
        The datum the map's basemap is drawn in: OSM and Tianditu are WGS-84, Gaode (Amap) is GCJ-02.
    lang : {"zh", "en"}, default "zh"
        The language of the cards.
    name : str, default None
        The layer's name in a folium LayerControl.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(location=[28.8, 113.07], zoom_start=11)
    >>> sites = pd.DataFrame({"rank": [1, 2], "candidate_id": ["D17", "D4"], "lon_wgs84": [113.07, 113.1],
    ...                       "lat_wgs84": [28.8, 28.82], "county": ["汨罗市", "汨罗市"], "newly_covered": [120, 45],
    ...                       "cumulative_covered": [820, 865], "cumulative_covered_pct": [82.0, 86.5],
    ...                       "nearest_station_m": [1800, 1250]})
    >>> _ = SuggestionLayer(sites, total_demand=1000, share_of_best=0.968).add_to(m)
    >>> 'L.mapgen.create("suggestionLayer"' in m.get_root().render()
    True

    """

    module = "suggestionLayer"

    def __init__(
        self,
        sites: pd.DataFrame,
        *,
        total_demand: float,
        share_of_best: float | None = None,
        datum: Datum = "wgs84",
        lang: Lang = "zh",
        name: str | None = None,
    ) -> None:
        """Put the sites, best first, in the map's datum for the page."""
        super().__init__(datum=datum, lang=lang, name=name)
        share = None if share_of_best is None or math.isnan(float(share_of_best)) else float(share_of_best)
        self.data = {
            "lang": lang,
            "totalDemand": number(total_demand),
            "shareOfBest": None if share is None else round(share, 4),
            "sites": site_columns(sites, datum),
        }


def site_columns(sites: pd.DataFrame, target: str) -> dict[str, list[Any]]:
    """The sites as columns for the page, sorted by rank, positions in the `target` datum (1e-7 degree)."""
    frame = sites.sort_values("rank", kind="stable") if "rank" in sites.columns else sites
    frame = frame.reset_index(drop=True)
    lon, lat = _positions(frame, target)
    blank = pd.Series([None] * len(frame), dtype=object)

    def numbers(column: str) -> list[Any]:
        return [number(v) for v in frame.get(column, blank)]

    ranks = frame["rank"] if "rank" in frame.columns else pd.Series(np.arange(1, len(frame) + 1))
    return {
        "rank": [int(r) for r in ranks],
        "id": texts(frame.get("candidate_id", blank)),
        "county": texts(frame.get("county", blank)),
        "lon": [round(float(v), 7) for v in lon],
        "lat": [round(float(v), 7) for v in lat],
        "newly": numbers("newly_covered"),
        "cumulative": numbers("cumulative_covered"),
        "pct": numbers("cumulative_covered_pct"),
        "nearest": numbers("nearest_station_m"),
    }


def _positions(frame: pd.DataFrame, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes in the target datum: its own columns, else the other datum's or the geometry's."""
    for source in (target, *(d for d in _DATUMS if d != target)):
        if f"lon_{source}" in frame.columns and f"lat_{source}" in frame.columns:
            lon = frame[f"lon_{source}"].to_numpy(dtype=float)
            lat = frame[f"lat_{source}"].to_numpy(dtype=float)
            return (lon, lat) if source == target else datums.convert(lon, lat, source, target)
    geometry = getattr(frame, "geometry", None)
    if geometry is not None and len(frame):
        return datums.convert(geometry.x.to_numpy(), geometry.y.to_numpy(), "wgs84", target)
    if not len(frame):
        return np.zeros(0), np.zeros(0)
    msg = "the suggested sites need lon_wgs84/lat_wgs84 or lon_gcj02/lat_gcj02 columns, or a point geometry"
    raise ValueError(msg)
