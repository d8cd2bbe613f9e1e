"""The map page: service_map composes the folium plugins on a self-contained map; render_map writes its HTML."""

from __future__ import annotations

import html
import itertools
import re
from typing import Any, TypeVar

import folium
import numpy as np
import pandas as pd
from branca.element import Element, Figure

from mapgen.geo import datum
from mapgen.settings import Settings
from mapgen.web.assets import InlineAsset, InlineAssetsMixin, leaflet_assets
from mapgen.web.basemaps import tile_layers
from mapgen.web.layers import CoverageLayer, StationLayer
from mapgen.web.panel import Bounds, WorkerPanel
from mapgen.web.stations import positions, station_table
from mapgen.web.suggestions import SuggestionLayer

HUNAN_CENTER = (27.6, 111.7)
# folium's header blocks zooming the page (maximum-scale=1, user-scalable=no): a worker with weak eyes must be
# able to pinch-zoom the top bar and the sheet (WCAG 1.4.4); pinching the map still zooms the map (Leaflet).
FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
E = TypeVar("E", bound=Element)


class SelfContainedMap(InlineAssetsMixin, folium.Map):
    """A folium.Map whose one library, Leaflet, is inlined from xstatic-leaflet: the page loads nothing else.

    folium's own `default_js`/`default_css` are CDN links (Leaflet, jQuery, Bootstrap, Font Awesome); this map
    declares none, and its inline assets take Leaflet's place under the same names.
    """

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 (folium's own declaration is a plain list)
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def inline_assets(self) -> list[InlineAsset]:
        """Leaflet's style sheet and script."""
        return leaflet_assets()

    def render(self, **kwargs: Any) -> str:
        """Render as folium does, with a viewport that lets the page be pinch-zoomed."""
        out = super().render(**kwargs)
        figure = self.get_root()
        if not isinstance(figure, Figure):  # InlineAssetsMixin.render has refused this already
            return out
        header = figure.header
        own = header._children.get(self.get_name())
        if own is not None:  # folium's header macro, already rendered to one element
            header.add_child(_Html(FOLIUM_VIEWPORT.sub(VIEWPORT, own.render())), name=self.get_name())
        return out


class _Html(Element):
    """Finished HTML for the page's header, rendered as it is (never read again as a template)."""

    def __init__(self, text: str) -> None:
        """Keep the text."""
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text unchanged."""
        return self.text


class _Ids:
    """Element ids of one page, numbered in creation order.

    branca names every element `<kind>_<random hex>`, and those names are the page's JavaScript variables:
    numbering them instead is what makes the same inputs render byte-identical pages. Every element
    service_map creates passes through here (elements made at render time never show their ids).
    """

    def __init__(self) -> None:
        """Start at 0."""
        self._count = itertools.count()

    def __call__(self, element: E) -> E:
        """Give the element the next number as its id."""
        element._id = f"{next(self._count):04d}"
        return element


def service_map(
    stations: pd.DataFrame,
    result: Any,
    *,
    basemap: str = "gaode",
    lang: str = "zh",
    title: str | None = None,
    county: str | None = None,
    sample: bool = False,
    tianditu_key: str = "",
    minutes: float | None = None,
    speed_kmh: float | None = None,
    suggestions: Any = None,
) -> folium.Map:
    """The whole service map as a folium.Map; ``page.save("map.html")`` writes one self-contained page.

    `stations` holds stations and offices (see `StationLayer`), `result` is the `Coverage` of
    `mapgen.analysis.coverage.analyse`; the other arguments are the command line's options of the same names
    (`minutes` and `speed_kmh` default to the ones the analysis used). `suggestions`, when given, is the
    outcome of `--suggest` (``sites``, ``total_demand``, ``share_of_best``), drawn as a `SuggestionLayer`.
    """
    minutes = getattr(result, "minutes", 15.0) if minutes is None else minutes
    speed_kmh = getattr(result, "speed_kmh", 4.0) if speed_kmh is None else speed_kmh
    # Settings validates every option once, as for the command line (a Tianditu basemap needs a key, ...).
    settings = Settings(basemap=basemap, lang=lang, title=title, county=county,  # type: ignore[arg-type]
                        tianditu_key=tianditu_key, minutes=minutes, speed_kmh=speed_kmh)  # fmt: skip
    return _compose(station_table(stations), result, settings, sample=sample, suggestions=suggestions)


def render_map(
    points: pd.DataFrame, coverage: Any, settings: Settings, *, sample: bool, suggestions: Any = None
) -> str:
    """The complete index.html text; identical inputs give byte-identical output.

    `suggestions` (``sites``, ``total_demand``, ``share_of_best``) adds the suggested sites; None adds nothing.
    """
    page = _compose(station_table(points), coverage, settings, sample=sample, suggestions=suggestions)
    return page.get_root().render()


def _compose(
    points: pd.DataFrame, coverage: Any, settings: Settings, *, sample: bool, suggestions: Any = None
) -> folium.Map:
    """The page: stations, coverage and the panel on a self-contained map, the suggested sites, then the tiles."""
    ids = _Ids()
    target = settings.map_datum
    title = page_title(settings, coverage)
    page = ids(SelfContainedMap(location=HUNAN_CENTER, zoom_start=7, tiles=None, zoom_control=False, max_zoom=19))
    figure = page.get_root()
    if isinstance(figure, Figure):  # always: a folium.Map makes its own Figure
        figure.title = html.escape(title, quote=False)
    focus_row = _focus_row(settings, coverage)
    focus_adcode = None if focus_row is None else str(focus_row["adcode"])
    stations = ids(StationLayer(points, datum=target, lang=settings.lang, speed_kmh=settings.speed_kmh,
                                reach=getattr(coverage, "reach", "radius")))
    areas = ids(CoverageLayer(coverage, datum=target, lang=settings.lang, radius_m=settings.radius_m,
                              minutes=settings.minutes, speed_kmh=settings.speed_kmh,
                              focus_adcode=focus_adcode))  # fmt: skip
    panel = ids(WorkerPanel(stations, areas, title=title, lang=settings.lang, sample=sample,
                            bounds=_bounds(coverage.counties, points, target)))  # fmt: skip
    panel.data["focus"] = _focus_county(settings, coverage)
    for element in (stations, areas, panel):
        page.add_child(element)
    if suggestions is not None:
        page.add_child(ids(SuggestionLayer(suggestions.sites, total_demand=suggestions.total_demand,
                                           share_of_best=suggestions.share_of_best, datum=target,
                                           lang=settings.lang)))  # fmt: skip
    # Tiles last: the panel has fitted the first view by then, so no tile of the default view is fetched.
    for layer in tile_layers(settings.basemap, settings.tianditu_key):
        page.add_child(ids(layer))
    return page


def page_title(settings: Settings, coverage: Any) -> str:
    """The map's title: settings.title, else the county union's or the province's love map."""
    if settings.title:
        return settings.title
    county = _focus_county(settings, coverage)
    if settings.lang == "en":
        return f"{county or 'Hunan'}: rest stations for outdoor workers"
    return f"{county or '湖南省'}户外劳动者服务站点爱心地图"


def _focus_county(settings: Settings, coverage: Any) -> str | None:
    """Name of the county a one-county map is about, or None for the province."""
    if not settings.county:
        return None
    row = _focus_row(settings, coverage)
    return settings.county if row is None else str(row["county"])


def _focus_row(settings: Settings, coverage: Any) -> pd.Series | None:
    """The counties row settings.county names (by adcode or name), else the only county in scope, else None."""
    if not settings.county:
        return None
    counties = coverage.counties
    hit = counties[(counties["adcode"].astype(str) == settings.county) | (counties["county"] == settings.county)]
    if len(hit):
        return hit.iloc[0]
    return counties.iloc[0] if len(counties) == 1 else None


def _bounds(counties: pd.DataFrame, points: pd.DataFrame, target: str) -> Bounds | None:
    """[[south, west], [north, east]] to fit at start: the counties in scope, else the points."""
    if len(counties):
        box = counties.total_bounds
        lon, lat = datum.convert([box[0], box[2]], [box[1], box[3]], "gcj02", target)
    elif len(points):
        lon, lat = positions(points, target)
    else:
        return None
    return [[round(float(np.min(lat)), 5), round(float(np.min(lon)), 5)],
            [round(float(np.max(lat)), 5), round(float(np.max(lon)), 5)]]  # fmt: skip
