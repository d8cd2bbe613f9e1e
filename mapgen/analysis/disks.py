"""Exact areas of polygons covered once and twice by equal disks, by Green's theorem over boundary arcs.

The boundary of the area within reach of at least k disks is made of circle arcs, where crossing a circle
outward takes the coverage count from k to k - 1, and of polygon edges, where they lie in that area. Both
have closed-form line integrals, so the areas come from numpy arithmetic on arc angles and edge
parameters: exact for true circles, and free of the polygon overlays that make unions of many disks slow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from mapgen.analysis.borders import add_edges, containing, edge_crossings, owners, polygon_edges
from mapgen.analysis.circles import (
    Arcs,
    Disks,
    Floats,
    Grid,
    Ints,
    arc_integral,
    boundary_arcs,
    distinct,
    select,
    unsaturated,
)
from mapgen.analysis.outlines import ring_coordinates, rings_to_polygons

_NEAR = 0.7  # first-pass neighbour distance, in radii
_CHUNK = 4096  # disks per batch of neighbour search, to bound memory at China's scale


@dataclass(frozen=True)
class Reach:
    """Where points reach, once and twice: exact areas per polygon (m²), and shapes for drawing (metres)."""

    once_m2: Floats
    twice_m2: Floats
    once: BaseGeometry
    twice: BaseGeometry


def reach(x: Floats, y: Floats, radius: float, polygons: list[BaseGeometry], *, sides: int = 32) -> Reach:
    """Areas of each polygon within `radius` of one and of two points, and those areas' shapes for drawing.

    The shapes are not clipped to the polygons, and have `sides` vertices per full circle.
    """
    once, twice = np.zeros(len(polygons)), np.zeros(len(polygons))
    if len(x) == 0 or not polygons:
        return Reach(once, twice, shapely.MultiPolygon(), shapely.MultiPolygon())
    origin = _origin(polygons)
    disks = distinct(np.asarray(x, float) - origin[0], np.asarray(y, float) - origin[1], radius)
    shifted = [shapely.transform(p, lambda c: c - origin) for p in polygons]
    edges = polygon_edges(shifted)
    owner, border = owners(disks, shifted, edges)
    near, full = Grid.of(disks, _NEAR * radius), Grid.of(disks, 2.0 * radius)
    chunks = []
    for first in range(0, len(disks.x), _CHUNK):
        ids = unsaturated(disks, near, np.arange(first, min(first + _CHUNK, len(disks.x))))
        arcs = boundary_arcs(disks, full, ids, edge_crossings(disks, ids[border[ids]], edges))
        _add_arcs(disks, arcs, owner, border, shifted, once, twice)
        chunks.append(arcs)
    add_edges(disks, edges, once, twice)
    arcs = Arcs(*(np.concatenate([getattr(c, f) for c in chunks]) for f in Arcs.__dataclass_fields__))
    weight = disks.weight[arcs.circle]
    shapes = [rings_to_polygons(ring_coordinates(disks, select(arcs, keep), sides), origin)
              for keep in (arcs.others == 0, arcs.others + weight >= 2)]
    return Reach(once, twice, shapes[0], shapes[1])


def _origin(polygons: list[BaseGeometry]) -> Floats:
    bounds = shapely.bounds(np.array(polygons, dtype=object))
    return np.array([np.mean(bounds[:, [0, 2]]), np.mean(bounds[:, [1, 3]])])


def _add_arcs(disks: Disks, arcs: Arcs, owner: Ints, border: NDArray[np.bool_],
              polygons: list[BaseGeometry], once: Floats, twice: Floats) -> None:
    """Add boundary arcs to the areas of the polygons they lie in."""
    where = _arc_polygon(disks, arcs.circle, arcs.start, arcs.end, owner, border, polygons)
    integral = arc_integral(disks, arcs.circle, arcs.start, arcs.end)
    weight = disks.weight[arcs.circle]
    once_arc = (where >= 0) & (arcs.others == 0)
    twice_arc = (where >= 0) & (arcs.others + weight >= 2)
    np.add.at(once, where[once_arc], integral[once_arc])
    np.add.at(twice, where[twice_arc], integral[twice_arc])


def _arc_polygon(disks: Disks, circle: Ints, start: Floats, end: Floats, owner: Ints,
                 border: NDArray[np.bool_], polygons: list[BaseGeometry]) -> Ints:
    """The polygon each arc lies in: its disk's, unless the disk reaches an edge; then by the arc's midpoint."""
    where = owner[circle].copy()
    split = border[circle]
    if split.any():
        middle = (start[split] + end[split]) / 2.0
        mx = disks.x[circle[split]] + disks.radius * np.cos(middle)
        my = disks.y[circle[split]] + disks.radius * np.sin(middle)
        where[split] = containing(shapely.points(mx, my), polygons)
    return where
