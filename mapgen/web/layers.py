"""mapgen's map layers as folium plugins: the stations (with details, search and nearest) and the coverage."""

from __future__ import annotations

from typing import Any

import pandas as pd
from folium.map import Layer

from mapgen.network import BAND_M
from mapgen.settings import Datum, Lang
from mapgen.web import areas
from mapgen.web.assets import MapgenAssetsMixin, Template
from mapgen.web.stations import station_columns, station_table

_DATUMS = ("wgs84", "gcj02")
# The service area along streets is drawn from OpenStreetMap data, whose licence asks for this credit.
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors (ODbL)"
_LANGS = ("zh", "en")
_REACHES = ("radius", "network")


def _check_choice(argument: str, value: str, allowed: tuple[str, ...]) -> None:
    """Refuse a value outside `allowed`, naming the argument."""
    if value not in allowed:
        msg = f"`{argument}` was {value!r} but must be one of {', '.join(allowed)}"
        raise ValueError(msg)


class _MapgenLayer(MapgenAssetsMixin, Layer):
    """A Leaflet layer made by one of mapgen's JS modules from the element's `data`."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
            <script type="application/json" id="{{ this.get_name() }}_data">{{ this.data|script_json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.mapgen.create({{ this.module|tojson }},
                L.mapgen.data("{{ this.get_name() }}_data"));
        {% endmacro %}
        """
    )

    def __init__(self, *, datum: str, lang: str, name: str | None) -> None:
        """Check the datum and language, and name the element after its class (deterministic ids follow)."""
        _check_choice("datum", datum, _DATUMS)
        _check_choice("lang", lang, _LANGS)
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = type(self).__name__


class StationLayer(_MapgenLayer):
    """Rest stations (and union offices) on a folium map: clustered canvas markers, details, nearest, hash links.

    A tap on a station opens its details (address, hours with an open-now badge, facilities, call and Amap
    navigation links); a tap elsewhere lists the stations nearest that place. The page gets
    ``window.mapgen`` (``datum``, ``nearest(lat, lon, k)``, ``station(id)``) and follows ``#station=ID`` and
    ``#at=LAT,LON`` links. Leaflet comes from the map (folium's CDN copy, or the one mapgen inlines).

    Parameters
    ----------
    stations : pandas.DataFrame or geopandas.GeoDataFrame
        One row per station, with at least ``id`` and ``name``, and positions as ``lon_wgs84``/``lat_wgs84``
        columns or a point geometry (WGS-84, EPSG:4326). ``lon_gcj02``/``lat_gcj02`` are converted when
        missing. Optional: kind (``station``/``office``), type, address, hours, phone, note, facilities
        (a list), adcode, county, prefecture.
    datum : {"wgs84", "gcj02"}, default "wgs84"
        The datum the map's basemap is drawn in: OSM and Tianditu are WGS-84, Gaode (Amap) is GCJ-02.
    lang : {"zh", "en"}, default "zh"
        The language of the details and lists.
    speed_kmh : float, default 4.0
        Walking speed for the walking minutes shown with distances.
    reach : {"radius", "network"}, default "radius"
        How the coverage was computed. With "network" (service areas along streets) the data carries
        ``reach: "network"``, so that the nearest-station list, which stays straight-line, says so (直线距离).
    name : str, default None
        The layer's name in a folium LayerControl.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(location=[28.8, 113.07], zoom_start=11)
    >>> stations = pd.DataFrame({"id": ["S1"], "name": ["汨罗城区驿站"], "lon_wgs84": [113.07], "lat_wgs84": [28.8]})
    >>> _ = StationLayer(stations).add_to(m)
    >>> 'L.mapgen.create("stationLayer"' in m.get_root().render()
    True

    """

    module = "stationLayer"

    def __init__(
        self,
        stations: pd.DataFrame,
        *,
        datum: Datum = "wgs84",
        lang: Lang = "zh",
        speed_kmh: float = 4.0,
        reach: str = "radius",
        name: str | None = None,
    ) -> None:
        """Pack the stations for the page, in the map's datum."""
        super().__init__(datum=datum, lang=lang, name=name)
        _check_choice("reach", reach, _REACHES)
        self.data: dict[str, Any] = {
            "datum": datum,
            "lang": lang,
            "speedKmh": speed_kmh,
            "stations": station_columns(station_table(stations), datum),
        }
        if reach == "network":  # only then: other pages stay as they were, byte for byte
            self.data["reach"] = "network"


class CoverageLayer(_MapgenLayer):
    """Coverage on a folium map: counties coloured by covered share, service areas, cross-coverage and gaps.

    The areas are drawn once the stations are on screen; a county's figures show as its tooltip, and
    ``show_table()`` in the page (the worker panel's table button) lists every county, sortable.

    Parameters
    ----------
    result : mapgen.analysis.coverage.Coverage
        The analysis: ``table``, ``counties`` (GCJ-02 polygons), ``service_area``, ``cross_area``, ``gaps``;
        optionally ``open_service_area`` (WGS-84), the reach of the stations open at ``open_at_minute``,
        drawn as a further overlay (off at start). With ``reach == "network"`` (``--network``) the service
        area is the band of reached streets, labelled as a walk along streets, and the layer credits
        OpenStreetMap (ODbL) in the map's attribution. The table's ``priority``, ``suggested_sites``,
        ``suggested_newly_covered`` and ``open_covered_pct`` columns, when present, show in the county
        table, sorted by priority.
    datum : {"wgs84", "gcj02"}, default "wgs84"
        The datum the map's basemap is drawn in.
    lang : {"zh", "en"}, default "zh"
        The language of labels and tooltips.
    radius_m, minutes, speed_kmh : float
        A station's reach, as the legend explains it.
    focus_adcode : str, default None
        On a one-county map, that county: the table shows it first and the others on demand.
    name : str, default None
        The layer's name in a folium LayerControl.

    Examples
    --------
    >>> import folium, shapely
    >>> from mapgen.analysis.coverage import Coverage
    >>> empty = Coverage(table=pd.DataFrame(), counties=pd.DataFrame(columns=["adcode", "county", "prefecture"]),
    ...                  service_area=shapely.Polygon(), cross_area=shapely.Polygon(), gaps=None)
    >>> m = folium.Map(location=[28.8, 113.07], zoom_start=11)
    >>> _ = CoverageLayer(empty).add_to(m)

    """

    module = "coverageLayer"

    def __init__(
        self,
        result: Any,
        *,
        datum: Datum = "wgs84",
        lang: Lang = "zh",
        radius_m: float = 1000.0,
        minutes: float = 15.0,
        speed_kmh: float = 4.0,
        focus_adcode: str | None = None,
        name: str | None = None,
    ) -> None:
        """Encode the coverage for the page, in the map's datum."""
        super().__init__(datum=datum, lang=lang, name=name)
        service, cross = areas.service_shapes(result.service_area, result.cross_area, datum)
        self.data = {
            "lang": lang,
            "radiusM": round(radius_m, 1),
            "minutes": minutes,
            "speedKmh": speed_kmh,
            "focusAdcode": focus_adcode,
            "counties": areas.county_shapes(result.counties, datum, detailed=focus_adcode is not None),
            "table": areas.table_rows(result.table),
            "service": service,
            "cross": cross,
            "gaps": areas.gaps(result.gaps, datum),
        }
        open_area = areas.open_area(result, datum)
        if open_area is not None:  # only with --at: other pages stay as they were, byte for byte
            self.data["openArea"] = open_area
        if getattr(result, "reach", "radius") == "network":  # only with --network, likewise
            self.data.update(reach="network", bandM=BAND_M, attribution=OSM_ATTRIBUTION)
