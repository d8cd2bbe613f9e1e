"""The web map: mapgen's folium plugins (stations, coverage, suggested sites, worker panel) and the service map."""

from mapgen.web.layers import CoverageLayer, StationLayer
from mapgen.web.page import render_map, service_map
from mapgen.web.panel import WorkerPanel
from mapgen.web.suggestions import SuggestionLayer

__all__ = ["CoverageLayer", "StationLayer", "SuggestionLayer", "WorkerPanel", "render_map", "service_map"]
