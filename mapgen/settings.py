"""Build settings, travelling through the program as one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATUMS = ("gcj02", "wgs84", "bd09")
BASEMAPS = ("gaode", "gaode-satellite", "tianditu", "osm", "none")
LANGS = ("zh", "en")

# Basemaps drawn in GCJ-02; every other basemap (and none) is WGS-84.
GCJ02_BASEMAPS = ("gaode", "gaode-satellite")


@dataclass(frozen=True)
class Settings:
    """Everything a build needs to know besides its input files."""

    crs: str = "gcj02"
    minutes: float = 15.0
    speed_kmh: float = 4.0
    basemap: str = "gaode"
    tianditu_key: str = ""
    county: str | None = None
    lang: str = "zh"
    title: str | None = None
    out_dir: Path = Path("output")

    @property
    def radius_m(self) -> float:
        """Straight-line reach of a station: minutes x walking speed, in metres."""
        return self.minutes / 60.0 * self.speed_kmh * 1000.0

    @property
    def map_datum(self) -> str:
        """The datum everything on the map is drawn in: the basemap's own."""
        return "gcj02" if self.basemap in GCJ02_BASEMAPS else "wgs84"
