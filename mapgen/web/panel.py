"""The worker's panel as a folium plugin: top bar, search, filters, table, locate button, legend and controls."""

from __future__ import annotations

from branca.element import MacroElement

from mapgen.web.assets import MapgenAssetsMixin, Template
from mapgen.web.layers import CoverageLayer, StationLayer

Bounds = list[list[float]]


class WorkerPanel(MapgenAssetsMixin, MacroElement):
    """The page around the map, for a worker on a phone: title, search, filters, "find the nearest station".

    Its top bar holds the title, the filter and county-table buttons, the search box (stations, addresses,
    counties) and the sample banner; below, the big locate button, which never dead-ends: when location is
    refused, unavailable, timed out or impossible (a page over plain http) it says what to do and offers a
    retry, choosing the place on the map, and the stations nearest the map's centre. It fits the map to
    `bounds` at start, adds the zoom, layer and scale controls (titled in the page's language) and the legend
    once the stations are drawn, and says so when the basemap cannot load.

    Parameters
    ----------
    stations : StationLayer
        The stations the panel searches, filters and locates in (already added to the same map).
    coverage : CoverageLayer, default None
        The coverage whose county table and legend the panel shows.
    title : str
        The page's title, shown as text.
    lang : {"zh", "en"}, default "zh"
    sample : bool, default False
        Label the stations as made-up sample data.
    bounds : [[south, west], [north, east]], default None
        The first view, in the map's datum.

    Examples
    --------
    >>> import folium, pandas as pd
    >>> m = folium.Map(location=[28.8, 113.07], zoom_start=11)
    >>> stations = StationLayer(pd.DataFrame({"id": ["S1"], "name": ["驿站"], "lon_wgs84": [113.07],
    ...                                       "lat_wgs84": [28.8]})).add_to(m)
    >>> _ = WorkerPanel(stations, title="汨罗市驿站").add_to(m)

    """

    module = "workerPanel"
    _template = Template(
        """
        {% macro html(this, kwargs) %}
            <script type="application/json" id="{{ this.get_name() }}_data">{{ this.data|script_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.mapgen.create("workerPanel", L.mapgen.data("{{ this.get_name() }}_data"),
                {{ this._parent.get_name() }}, {{ this.stations.get_name() }},
                {{ this.coverage.get_name() if this.coverage else "null" }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        stations: StationLayer,
        coverage: CoverageLayer | None = None,
        *,
        title: str,
        lang: str = "zh",
        sample: bool = False,
        bounds: Bounds | None = None,
    ) -> None:
        """Keep the layers the panel works with and the page's texts."""
        super().__init__()
        self._name = "WorkerPanel"
        self.stations = stations
        self.coverage = coverage
        self.data = {"title": title, "lang": lang, "sample": bool(sample), "bounds": bounds}
