"""The web map: mapgen's folium plugins (stations, coverage, worker panel) and the self-contained service map."""

from mapgen.web.layers import CoverageLayer, StationLayer
from mapgen.web.page import render_map, service_map
from mapgen.web.panel import WorkerPanel

__all__ = ["CoverageLayer", "StationLayer", "WorkerPanel", "render_map", "service_map"]
