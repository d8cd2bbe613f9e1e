"""Polygons for the page: simplified within a vertex budget, moved to the map's datum, packed as integer rings."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mapgen.geo import datum
from mapgen.web.packing import pack_many

# Polygons travel in 1e-5 degree (1.1 m) integers.
SHAPE_SCALE = 1e5
# Simplification never goes coarser than this (degrees): past it a shape is drawn as it comes out.
MAX_TOLERANCE = 0.05


def encode_shape(
    geometry: BaseGeometry | None, source: str, target: str, *, budget: int, tolerance: float = 2e-5
) -> list[list[str]] | None:
    """A (multi)polygon as [polygon][ring] packed delta-coded lon/lat integers, simplified to `budget` vertices."""
    if geometry is None or geometry.is_empty:
        return None
    simple = _simplify(geometry, tolerance, budget)
    simple = datum.convert_geometry(simple, source, target)
    polygons = [list(_rings(polygon)) for polygon in _polygons(simple)]
    packed = iter(pack_many([_ring_deltas(ring) for rings in polygons for ring in rings]))
    return [[next(packed) for _ in rings] for rings in polygons]


def _simplify(geometry: BaseGeometry, tolerance: float, budget: int) -> BaseGeometry:
    """Simplify polygon by polygon until the vertices fit `budget`, growing `tolerance` (degrees) as needed.

    Douglas-Peucker without topology checks: fast on 100,000s of vertices, and the result is only drawn.
    """
    parts = np.array(list(_polygons(geometry)), dtype=object)
    while True:
        simple = shapely.get_parts(shapely.simplify(parts, tolerance, preserve_topology=False))
        simple = simple[(shapely.get_type_id(simple) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(simple)]
        count = int(shapely.get_num_coordinates(simple).sum())
        if count <= budget or tolerance >= MAX_TOLERANCE:
            return shapely.multipolygons(simple) if len(simple) else shapely.Polygon()
        # Vertices along arcs fall with the square root of the tolerance: aim at the budget in one step.
        tolerance *= min(16.0, max(1.5, (count / budget) ** 2))


def _polygons(geometry: BaseGeometry) -> Iterator[BaseGeometry]:
    """The non-empty polygons of any geometry (collections included)."""
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon" and not part.is_empty:
            yield part
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            yield from _polygons(part)


def _rings(polygon: BaseGeometry) -> Iterator[np.ndarray]:
    """Exterior then interior rings' coordinates, without the closing repeat."""
    yield np.asarray(polygon.exterior.coords)[:-1]
    for ring in polygon.interiors:
        yield np.asarray(ring.coords)[:-1]


def _ring_deltas(coords: np.ndarray) -> np.ndarray:
    """A ring as flat [lon0, lat0, dlon1, dlat1, ...] integers in 1e-5 degree."""
    ints = np.rint(coords[:, :2] * SHAPE_SCALE).astype(np.int64)
    return np.diff(ints, axis=0, prepend=0).ravel()
