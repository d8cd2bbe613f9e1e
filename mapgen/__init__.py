"""mapgen: service maps and coverage reports for outdoor workers' rest stations in Hunan.

The Python API (``read_points``, ``analyse``, ``service_map``, ``StationLayer``, ``CoverageLayer``,
``WorkerPanel``) is imported on first use, so that ``mapgen --help`` starts without the geospatial stack.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"
__all__ = ["CoverageLayer", "StationLayer", "SuggestionLayer", "WorkerPanel", "__version__", "analyse", "read_points",
           "service_map"]

_EXPORTS = {"read_points": "mapgen.api", "analyse": "mapgen.api", "service_map": "mapgen.web",
            "StationLayer": "mapgen.web", "CoverageLayer": "mapgen.web", "WorkerPanel": "mapgen.web",
            "SuggestionLayer": "mapgen.web"}


def __getattr__(name: str) -> Any:
    """Import an API name from its module the first time it is asked for (PEP 562)."""
    if name not in _EXPORTS:
        msg = f"module 'mapgen' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
