"""The build pipeline: read inputs, analyse coverage, render the map, write every output at once."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely

from mapgen import datum, disks, geography, output, projection
from mapgen.coverage import Coverage, analyse
from mapgen.errors import InputError
from mapgen.reading import ReadResult, read_points, reject_shared_ids
from mapgen.settings import Settings

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "geodata" / "sample"
STATION_PROPERTIES = (
    "kind", "id", "name", "type", "address", "hours", "phone", "facilities", "adcode", "county", "prefecture",
    "lon_gcj02", "lat_gcj02",
)
REJECT_COLUMNS = ("file", "row", "id", "name", "column", "value", "reason")
T = TypeVar("T")


@dataclass(frozen=True)
class Inputs:
    """The files a build reads; with no stations and no offices it reads the bundled sample."""

    stations: Sequence[Path] = ()
    offices: Sequence[Path] = ()
    demand: Path | None = None

    @property
    def sample(self) -> bool:
        """Whether this build falls back to the bundled sample data."""
        return not self.stations and not self.offices

    def resolved(self) -> Inputs:
        """These inputs, or the bundled sample when none are given."""
        if not self.sample:
            return self
        return replace(self, stations=(SAMPLE_DIR / "stations.csv",), offices=(SAMPLE_DIR / "offices.csv",))


@dataclass
class BuildResult:
    """What a build read, rejected and computed, and how long each stage took."""

    reads: dict[str, ReadResult]
    coverage: Coverage
    timings: dict[str, float] = field(default_factory=dict)


def _timed(timings: dict[str, float], stage: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = work()
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
    return value


def read_inputs(inputs: Inputs, settings: Settings) -> dict[str, ReadResult]:
    """Read stations, offices and demand; fail as unusable when no station or office survives."""
    inputs = inputs.resolved()
    reads = {
        "station": read_points(inputs.stations, kind="station", crs=settings.crs),
        "office": read_points(inputs.offices, kind="office", crs=settings.crs),
    }
    reject_shared_ids(reads["station"], reads["office"])
    if inputs.demand is not None:
        reads["demand"] = read_points([inputs.demand], kind="demand", crs=settings.crs)
    demand = [inputs.demand] if inputs.demand is not None else []
    for kind, files in (("station", inputs.stations), ("office", inputs.offices), ("demand", demand)):
        if files and reads[kind].points.empty:
            names = ", ".join(str(f) for f in files)
            msg = f"{names}: no valid {kind} row ({len(reads[kind].rejects)} rejected; run `mapgen validate`)"
            raise InputError(msg)
    return reads


def build(inputs: Inputs, settings: Settings) -> BuildResult:
    """Run a whole build; outputs are written only when every stage succeeded."""
    timings: dict[str, float] = {}
    output.check_out_dir(settings.out_dir)
    county = geography.find_county(settings.county) if settings.county else None
    reads = _timed(timings, "read", lambda: read_inputs(inputs, settings))
    coverage = _timed(timings, "analyse", lambda: _analyse(reads, settings))
    result = BuildResult(reads, coverage, timings)
    _timed(timings, "write", lambda: _write(result, settings, county, inputs.sample))
    return result


def _analyse(reads: dict[str, ReadResult], settings: Settings) -> Coverage:
    demand = reads["demand"].points if "demand" in reads else None
    counties = geography.load_counties()
    return analyse(reads["station"].points, reads["office"].points, demand, counties, settings)


def _write(result: BuildResult, settings: Settings, county: str | None, sample: bool) -> None:
    from mapgen.webmap import render_map  # imported here: folium is only needed to write the map

    points = pd.concat([result.reads["station"].points, result.reads["office"].points], ignore_index=True)
    shown, coverage = _scope(points, result.coverage, county, settings.radius_m)
    files = {
        "index.html": render_map(shown, coverage, settings, sample=sample),
        "stations.geojson": _stations_geojson(points),
        "coverage.csv": output.coverage_csv(result.coverage.table),
        "rejects.csv": _rejects_csv(result.reads),
        "gaps.geojson": output.geojson_text(output.frame_features(result.coverage.gaps)),
    }
    output.write_outputs(settings.out_dir, files)


def _scope(points: pd.DataFrame, coverage: Coverage, county: str | None,
           radius_m: float) -> tuple[pd.DataFrame, Coverage]:
    """Narrow the map to one county: its polygon, the points whose reach touches it, and their reach."""
    if county is None:
        return points, coverage
    counties = coverage.counties[coverage.counties["adcode"] == county].reset_index(drop=True)
    outline = projection.geometry_to_metres(datum.convert_geometry(counties.geometry.iloc[0], "gcj02", "wgs84"))
    x, y = projection.to_metres(points["lon_wgs84"].to_numpy(float), points["lat_wgs84"].to_numpy(float))
    near = shapely.dwithin(outline, shapely.points(x, y), radius_m)
    stations = near & (points["kind"] == "station").to_numpy()
    reach = disks.reach(x[stations], y[stations], radius_m, [outline])
    gaps = coverage.gaps[coverage.gaps["adcode"] == county] if "adcode" in coverage.gaps else coverage.gaps
    scoped = replace(coverage, counties=counties, gaps=gaps.reset_index(drop=True),
                     service_area=projection.geometry_to_degrees(reach.once),
                     cross_area=projection.geometry_to_degrees(reach.twice))
    return points[near].reset_index(drop=True), scoped


def _stations_geojson(points: pd.DataFrame) -> str:
    columns = {key: points[key].tolist() for key in STATION_PROPERTIES}
    columns["facilities"] = [list(items) for items in columns["facilities"]]
    for key in ("lon_gcj02", "lat_gcj02"):
        columns[key] = np.round(points[key].to_numpy(float), 7).tolist()
    return output.point_features_text(columns, points["lon_wgs84"].tolist(), points["lat_wgs84"].tolist())


def _rejects_csv(reads: dict[str, ReadResult]) -> str:
    rejects = [r for read in reads.values() for r in read.rejects]
    return output.csv_text(REJECT_COLUMNS, ([getattr(r, c) for c in REJECT_COLUMNS] for r in rejects))
