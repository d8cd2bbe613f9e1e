"""The build pipeline: read inputs, analyse coverage, render the map, write every output at once."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from mapgen.analysis.coverage import Coverage, analyse, county_scope
from mapgen.analysis.priority import prioritise
from mapgen.counties import CountyJob, every_county
from mapgen.errors import InputError
from mapgen.geo import geography
from mapgen.inputs.reading import ReadResult, read_points, reject_shared_ids
from mapgen.outputs import formats, outputset
from mapgen.outputs.manifest import manifest_json
from mapgen.outputs.outputset import MANIFEST
from mapgen.progress import Progress
from mapgen.settings import Settings

if TYPE_CHECKING:  # scipy's optimiser is imported only when a build suggests sites
    from mapgen.analysis.suggest import Suggestions

SAMPLE_DIR = geography.GEODATA / "sample"
T = TypeVar("T")


@dataclass(frozen=True)
class Inputs:
    """The files a build reads; with no stations and no offices it reads the bundled sample."""

    stations: Sequence[Path] = ()
    offices: Sequence[Path] = ()
    demand: Path | None = None
    candidates: Path | None = None

    @property
    def sample(self) -> bool:
        """Whether this build falls back to the bundled sample data."""
        return not self.stations and not self.offices

    def resolved(self, settings: Settings) -> Inputs:
        """These inputs, or the bundled sample when none are given (with its demand when suggesting)."""
        if self.candidates is not None and not settings.suggest:
            msg = f"{self.candidates}: --candidates needs --suggest N (how many new sites to suggest)"
            raise InputError(msg)
        if settings.suggest and self.demand is None and not self.sample:
            msg = "--suggest needs --demand FILE: suggestions place new stations where the workers are"
            raise InputError(msg)
        if not self.sample:
            return self
        demand = self.demand or (SAMPLE_DIR / "demand.csv" if settings.suggest else None)
        return replace(self, stations=(SAMPLE_DIR / "stations.csv",), offices=(SAMPLE_DIR / "offices.csv",),
                       demand=demand)


@dataclass
class BuildResult:
    """What a build read, rejected and computed, and how long each stage took."""

    reads: dict[str, ReadResult]
    coverage: Coverage
    suggestions: Suggestions | None = None
    timings: dict[str, float] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)


def _timed(timings: dict[str, float], stage: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = work()
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
    return value


def read_inputs(inputs: Inputs, settings: Settings, progress: Progress | None = None) -> dict[str, ReadResult]:
    """Read stations, offices and demand; fail as unusable when no station or office survives."""
    inputs = inputs.resolved(settings)
    files = {"station": inputs.stations, "office": inputs.offices,
             "demand": [inputs.demand] if inputs.demand is not None else [],
             "candidate": [inputs.candidates] if inputs.candidates is not None else []}
    reads = {}
    for kind, paths in files.items():
        if kind in ("station", "office") or paths:
            if progress is not None:
                progress.step(f"reading {kind} files")
            # Candidate sites are named places, read and checked like station rows.
            reads[kind] = read_points(paths, kind="station" if kind == "candidate" else kind, crs=settings.crs)
    _sort_kinds(reads)
    reject_shared_ids(reads["station"], reads["office"])
    for kind, paths in files.items():
        if paths and reads[kind].points.empty:
            names = ", ".join(str(f) for f in paths)
            msg = f"{names}: no valid {kind} row ({len(reads[kind].rejects)} rejected; run `mapgen validate`)"
            raise InputError(msg)
    return reads


def _sort_kinds(reads: dict[str, ReadResult]) -> None:
    """Move rows that say they are offices into the offices, and stations into the stations."""
    for kind, other in (("station", "office"), ("office", "station")):
        points = reads[kind].points
        moved = (points["kind"] == other).to_numpy()
        if moved.any():
            reads[other].points = pd.concat([reads[other].points, points[moved]], ignore_index=True)
            reads[kind].points = points[~moved].reset_index(drop=True)


def build(inputs: Inputs, settings: Settings, *, quiet: bool = False) -> BuildResult:
    """Run a whole build; outputs are written only when every stage succeeded."""
    timings: dict[str, float] = {}
    outputset.check_out_dir(settings.out_dir)
    county = geography.find_county(settings.county) if settings.county else None
    with Progress(7, quiet=quiet) as progress:
        reads = _timed(timings, "read", lambda: read_inputs(inputs, settings, progress))
        progress.step("service areas and coverage")
        coverage = _timed(timings, "analyse", lambda: _analyse(reads, settings))
        suggestions = None
        if settings.suggest:
            progress.step("suggesting new sites")
            suggestions = _timed(timings, "suggest", lambda: _suggest(reads, settings, county))
        sites = suggestions.sites if suggestions is not None else None
        coverage = replace(coverage, table=prioritise(coverage.table, sites))
        result = BuildResult(reads, coverage, suggestions, timings)
        progress.step("map page and reports")
        _timed(timings, "write", lambda: _write(result, settings, county, inputs.sample, quiet))
    return result


def data_date(reads: dict[str, ReadResult]) -> str:
    """The date of the data: the newest input file's modification day, in China time (UTC+8)."""
    newest = max(Path(name).stat().st_mtime for read in reads.values() for name in read.datums)
    return datetime.fromtimestamp(newest, tz=timezone(timedelta(hours=8))).date().isoformat()


def _analyse(reads: dict[str, ReadResult], settings: Settings) -> Coverage:
    demand = reads["demand"].points if "demand" in reads else None
    counties = geography.load_counties()
    network = None
    if settings.network is not None:
        from mapgen.network import area  # osmium is imported only for --network

        # The counties in play: the one a county map is about, else all; streets around them are read.
        county = geography.find_county(settings.county) if settings.county else None
        in_play = counties if county is None else counties[counties["adcode"] == county]
        network = area.load(settings.network, in_play, settings.radius_m)
        area.check_covers(network, reads["station"].points)
    return analyse(reads["station"].points, reads["office"].points, demand, counties, settings,
                   open_at_minute=settings.at_minute, network=network)


def _suggest(reads: dict[str, ReadResult], settings: Settings, county: str | None) -> Suggestions:
    """The best new sites: inside `county` when given, counting every station (across borders too)."""
    demand = reads["demand"].points
    candidates = reads["candidate"].points if "candidate" in reads else None
    if county is not None:
        demand = demand[demand["adcode"] == county]
        candidates = candidates[candidates["adcode"] == county] if candidates is not None else None
    from mapgen.analysis.suggest import suggest

    return suggest(reads["station"].points, demand, settings.suggest, settings.radius_m, candidates=candidates)


def _write(result: BuildResult, settings: Settings, county: str | None, sample: bool, quiet: bool) -> None:
    from mapgen.web.page import render_map  # imported here: folium is only needed to write the map

    points = pd.concat([result.reads["station"].points, result.reads["office"].points], ignore_index=True)
    shown, coverage = county_scope(points, result.coverage, county, settings.radius_m)
    files = {
        "index.html": render_map(shown, coverage, settings, sample=sample, suggestions=result.suggestions),
        "stations.geojson": formats.stations_geojson(points),
        "coverage.csv": formats.coverage_csv(result.coverage.table),
        "rejects.csv": formats.rejects_csv([r for read in result.reads.values() for r in read.rejects]),
        "gaps.geojson": formats.geojson_text(formats.frame_features(result.coverage.gaps)),
    }
    if result.coverage.off_network is not None:
        files["off_network.csv"] = formats.off_network_csv(result.coverage.off_network)
    if settings.each_county:
        job = CountyJob(points, result.coverage, settings, sample, data_date(result.reads))
        with Progress(len(result.coverage.counties), quiet=quiet) as counties:
            files.update(every_county(job, workers=settings.workers, done=lambda code: counties.step(f"county {code}")))
    if result.suggestions is not None:
        sites = result.suggestions.sites
        files["suggestions.csv"] = formats.suggestions_csv(sites)
        files["suggestions.geojson"] = formats.suggestions_geojson(sites)
    files[MANIFEST] = manifest_json(result.reads, settings, list(files), sample=sample)
    result.outputs = sorted([*files])
    outputset.publish(settings.out_dir, files)
