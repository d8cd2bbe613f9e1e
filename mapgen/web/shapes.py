"""Polygons for the page: simplified within a vertex budget, moved to the map's datum, packed as integer rings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mapgen.geo import datum
from mapgen.web.packing import pack_many

# Polygons travel in 1e-5 degree (1.1 m) integers.
SHAPE_SCALE = 1e5
# Simplification never goes coarser than this (degrees): past it a shape is drawn as it comes out.
MAX_TOLERANCE = 0.05
# A closed ring needs three distinct vertices plus the closing repeat.
_RING_MIN = 4


@dataclass(frozen=True)
class Rings:
    """Closed rings as linestrings, and the polygon each belongs to (its shell first, then its holes)."""

    lines: np.ndarray  # of LineString, first vertex repeated last
    polygon: np.ndarray  # polygon number of each ring
    shell: np.ndarray  # whether each ring is its polygon's exterior


def encode_shape(
    geometry: BaseGeometry | None, source: str, target: str, *, budget: int, tolerance: float = 2e-5
) -> list[list[str]] | None:
    """A (multi)polygon as [polygon][ring] packed delta-coded lon/lat integers, simplified to `budget` vertices."""
    if geometry is None or geometry.is_empty:
        return None
    rings = _simplify(_rings(geometry), tolerance, budget)
    coords, ring = shapely.get_coordinates(rings.lines, return_index=True)
    x, y = datum.convert(coords[:, 0], coords[:, 1], source, target)
    closing = np.r_[ring[1:] != ring[:-1], True]  # each ring's last vertex repeats its first
    packed = pack_many(_ring_deltas(np.column_stack([x, y])[~closing], ring[~closing]))
    starts = np.flatnonzero(rings.shell)
    return [packed[a:b] for a, b in zip(starts.tolist(), [*starts[1:].tolist(), len(packed)], strict=True)]


def _rings(geometry: BaseGeometry) -> Rings:
    """Every ring of the geometry's polygons as a closed linestring, in polygon order, shells first."""
    polygons = np.array(list(_polygons(geometry)), dtype=object)
    rings, polygon = shapely.get_rings(polygons, return_index=True)
    shell = np.r_[True, polygon[1:] != polygon[:-1]] if len(polygon) else np.zeros(0, dtype=bool)
    return Rings(shapely.linestrings(shapely.get_coordinates(rings), indices=_ring_index(rings)), polygon, shell)


def _ring_index(rings: np.ndarray) -> np.ndarray:
    """The ring number of each vertex of `rings`, as shapely.get_coordinates lists them."""
    return np.repeat(np.arange(len(rings)), shapely.get_num_coordinates(rings))


def _simplify(rings: Rings, tolerance: float, budget: int) -> Rings:
    """Simplify ring by ring until the vertices fit `budget`, growing `tolerance` (degrees) as needed.

    Douglas-Peucker on each ring as a line: its cost grows with the vertices, never with how the rings
    nest (simplifying whole polygons repairs each result, which is slow for a polygon with 100,000 holes).
    A ring that collapses is dropped, and with a shell its holes; the result is only drawn.
    """
    while True:
        simple = shapely.simplify(rings.lines, tolerance, preserve_topology=False)
        count = shapely.get_num_coordinates(simple)
        keep = count >= _RING_MIN
        keep &= keep[np.flatnonzero(rings.shell)][np.cumsum(rings.shell) - 1]  # a hole needs its shell
        if int(count[keep].sum()) <= budget or tolerance >= MAX_TOLERANCE:
            return Rings(simple[keep], rings.polygon[keep], rings.shell[keep])
        # Vertices along arcs fall with the square root of the tolerance: aim at the budget in one step.
        tolerance *= min(16.0, max(1.5, (int(count[keep].sum()) / budget) ** 2))


def _polygons(geometry: BaseGeometry) -> Iterator[BaseGeometry]:
    """The non-empty polygons of any geometry (collections included)."""
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon" and not part.is_empty:
            yield part
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            yield from _polygons(part)


def _ring_deltas(coords: np.ndarray, ring: np.ndarray) -> list[np.ndarray]:
    """Each ring as flat [lon0, lat0, dlon1, dlat1, ...] integers in 1e-5 degree, for all rings in one pass."""
    ints = np.rint(coords * SHAPE_SCALE).astype(np.int64)
    first = np.r_[True, ring[1:] != ring[:-1]] if len(ring) else np.zeros(0, dtype=bool)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    deltas[first] = ints[first]
    return np.split(deltas.ravel(), 2 * np.flatnonzero(first)[1:])
