"""Reading the walkable ways of an OpenStreetMap extract (.osm.pbf or .osm) with osmium."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import osmium
from numpy.typing import NDArray

from mapgen.errors import InputError

# The contract's walkable ways: every highway but these, unless tagged foot=no or closed to the public.
NOT_WALKABLE = frozenset({"motorway", "motorway_link", "construction", "proposed"})
CLOSED_ACCESS = frozenset({"no", "private"})
# osmium's value for the coordinate of a node the extract does not hold (a way cut at its edge).
_MISSING = 2**31 - 1
_SCALE = 1e-7  # osmium's integer coordinates are 1e-7 degree
BBox = tuple[float, float, float, float]  # west, south, east, north (WGS-84 degrees)


@dataclass(frozen=True)
class Streets:
    """Walkable street segments: node positions (WGS-84) and each segment's two nodes, both directions walkable."""

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    start: NDArray[np.int64]
    end: NDArray[np.int64]


def walkable(tags: osmium.osm.TagList) -> bool:
    """Whether a way's tags make it walkable under the contract's rule."""
    highway = tags.get("highway")
    if highway is None or highway in NOT_WALKABLE:
        return False
    foot = tags.get("foot")
    if foot == "no":
        return False
    return tags.get("access") not in CLOSED_ACCESS or foot == "yes"


def read_streets(path: Path, bbox: BBox) -> Streets:
    """The walkable segments of the extract at `path` with an end inside `bbox`; InputError for a bad file."""
    refs, xs, ys = _way_nodes(path)
    return _segments(np.asarray(refs, np.int64), np.asarray(xs, np.int64), np.asarray(ys, np.int64), bbox)


def _way_nodes(path: Path) -> tuple[list[int], list[int], list[int]]:
    """Node ids and integer positions of every walkable way, ways separated by an id of -1."""
    refs: list[int] = []
    xs: list[int] = []
    ys: list[int] = []
    processor = (osmium.FileProcessor(str(path)).with_locations()
                 .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
                 .with_filter(osmium.filter.KeyFilter("highway")))
    try:
        for way in processor:
            if isinstance(way, osmium.osm.Way) and walkable(way.tags):
                # The one per-node Python step: osmium hands nodes out one by one.
                nodes = [(n.ref, n.x, n.y) for n in way.nodes]
                nodes.append((-1, _MISSING, _MISSING))
                way_refs, way_xs, way_ys = zip(*nodes, strict=True)
                refs.extend(way_refs)
                xs.extend(way_xs)
                ys.extend(way_ys)
    except RuntimeError as error:  # osmium's reason: not OSM XML or PBF, a damaged block, unreadable
        reason = str(error).split(": ", 1)[-1] if "Open failed" in str(error) else str(error)
        msg = f"{path}: not a readable OpenStreetMap extract (.osm.pbf or .osm): {reason}"
        raise InputError(msg) from None
    return refs, xs, ys


def _segments(refs: NDArray[np.int64], xs: NDArray[np.int64], ys: NDArray[np.int64], bbox: BBox) -> Streets:
    """Consecutive node pairs of the same way, both present, at least one inside `bbox`; nodes renumbered."""
    present = xs != _MISSING  # a node missing from the extract cuts its way: the stretches beside it stay
    lon, lat = xs * _SCALE, ys * _SCALE
    inside = present & (lon >= bbox[0]) & (lon <= bbox[2]) & (lat >= bbox[1]) & (lat <= bbox[3])
    pair = present[:-1] & present[1:] & (inside[:-1] | inside[1:]) & (refs[:-1] != refs[1:])
    first = np.flatnonzero(pair)
    ends = np.concatenate([first, first + 1])
    ids, index = np.unique(refs[ends], return_index=True)
    number = np.searchsorted(ids, refs[ends])
    where = ends[index]
    return Streets(lon=lon[where], lat=lat[where], start=number[: len(first)], end=number[len(first):])
