"""Build settings, travelling through the program as one frozen dataclass, validated once."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from mapgen.errors import InputError

Datum = Literal["gcj02", "wgs84", "bd09"]
Basemap = Literal["gaode", "gaode-satellite", "tianditu", "osm", "none"]
Lang = Literal["zh", "en"]
DATUMS: tuple[Datum, ...] = get_args(Datum)
BASEMAPS: tuple[Basemap, ...] = get_args(Basemap)
LANGS: tuple[Lang, ...] = get_args(Lang)

# Basemaps drawn in GCJ-02; every other basemap (and none) is WGS-84.
GCJ02_BASEMAPS = ("gaode", "gaode-satellite")
# Accepted ranges: a walk of 1 minute to 2 hours at 1-30 km/h (walking, cycling, an e-bike's top speed).
MINUTES_RANGE = (1.0, 120.0)
SPEED_RANGE = (1.0, 30.0)
MAX_SUGGESTIONS = 1000
MAX_WORKERS = 256


@dataclass(frozen=True)
class Settings:
    """Everything a build needs to know besides its input files.

    `crs` is the datum given for all inputs, or None to read each file in its own (see `mapgen.inputs.reading`).
    """

    crs: Datum | None = None
    minutes: float = 15.0
    speed_kmh: float = 4.0
    basemap: Basemap = "gaode"
    tianditu_key: str = ""
    county: str | None = None
    lang: Lang = "zh"
    title: str | None = None
    out_dir: Path = Path("output")
    suggest: int = 0  # how many new sites to suggest (0: none)
    at: str | None = None  # "HH:MM": coverage also counted with only the stations open then, on a weekday
    each_county: bool = False  # one love map and poster per county, and a province page
    base_url: str | None = None  # where counties/ is published: posters carry a QR code to it
    workers: int | None = None  # processes for --each-county (None: all cores)
    network: Path | None = None  # an OpenStreetMap extract: reach is then a walk along its streets

    def __post_init__(self) -> None:
        """Refuse values no build can use, naming the option and the accepted range."""
        for option, value, (low, high) in (("--minutes", self.minutes, MINUTES_RANGE),
                                           ("--speed-kmh", self.speed_kmh, SPEED_RANGE)):
            if not (math.isfinite(value) and low <= value <= high):
                msg = f"{option} was {value:g} but must be between {low:g} and {high:g}"
                raise InputError(msg)
        choices: tuple[tuple[str, object, tuple[str, ...]], ...] = (
            ("--crs", self.crs or DATUMS[0], DATUMS), ("--basemap", self.basemap, BASEMAPS),
            ("--lang", self.lang, LANGS))
        for option, choice, allowed in choices:
            if choice not in allowed:
                msg = f"{option} was {choice!r} but must be one of {', '.join(allowed)}"
                raise InputError(msg)
        if not 0 <= self.suggest <= MAX_SUGGESTIONS:
            msg = f"--suggest was {self.suggest} but must be between 0 and {MAX_SUGGESTIONS}"
            raise InputError(msg)
        if self.at is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", self.at):
            msg = f"--at was {self.at!r} but must be a time of day as HH:MM, e.g. 22:00"
            raise InputError(msg)
        if self.base_url is not None and not re.fullmatch(r"https?://[^\s<>\"']+", self.base_url):
            msg = f"--base-url was {self.base_url!r} but must be a web address starting with https:// or http://"
            raise InputError(msg)
        if self.workers is not None and not 1 <= self.workers <= MAX_WORKERS:
            msg = f"--workers was {self.workers} but must be between 1 and {MAX_WORKERS}"
            raise InputError(msg)
        if self.basemap == "tianditu" and not re.fullmatch(r"[0-9A-Za-z]+", self.tianditu_key):
            # The key goes into tile URLs: letters and digits only, so it cannot break out of one.
            msg = "--basemap tianditu needs --tianditu-key KEY (letters and digits; free from the Tianditu site)"
            raise InputError(msg)

    @property
    def at_minute(self) -> int | None:
        """`at` as minutes after midnight, or None."""
        if self.at is None:
            return None
        hours, minutes = self.at.split(":")
        return int(hours) * 60 + int(minutes)

    @property
    def radius_m(self) -> float:
        """Straight-line reach of a station: minutes x walking speed, in metres."""
        return self.minutes / 60.0 * self.speed_kmh * 1000.0

    @property
    def map_datum(self) -> Datum:
        """The datum everything on the map is drawn in: the basemap's own."""
        return "gcj02" if self.basemap in GCJ02_BASEMAPS else "wgs84"
