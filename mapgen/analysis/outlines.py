"""Outlines of covered areas: boundary arcs chained into rings, and rings into polygons with holes."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from mapgen.analysis.circles import Arcs, Disks, Floats, Ints


def ring_coordinates(disks: Disks, arcs: Arcs, sides: int) -> list[Floats]:
    """Chain arcs end to start into closed rings; each ring's vertices, first repeated last."""
    if len(arcs.circle) == 0:
        return []
    chains = cycles(successors(arcs))
    order = np.concatenate(chains)
    pieces = np.ceil((arcs.end - arcs.start) / (2.0 * np.pi / sides)).astype(np.int64)
    coords = sample(disks, arcs, order, pieces)
    sizes = np.array([pieces[chain].sum() for chain in chains])
    return [np.vstack([ring, ring[:1]]) for ring in np.split(coords, np.cumsum(sizes)[:-1])]


def cycles(successor: Ints) -> list[Ints]:
    """Split the successor permutation into its cycles, each starting at its lowest arc."""
    seen = np.zeros(len(successor), dtype=bool)
    chains = []
    for first in range(len(successor)):
        if seen[first]:
            continue
        chain = []
        arc = first
        while not seen[arc]:
            seen[arc] = True
            chain.append(arc)
            arc = successor[arc]
        chains.append(np.array(chain, dtype=np.int64))
    return chains


def successors(arcs: Arcs) -> Ints:
    """For each arc, the arc that starts where it ends: the nearest start point, a few nanometres away at most."""
    starts = shapely.points(arcs.start_xy)
    ends = shapely.points(arcs.end_xy)
    end_index, start_index = shapely.STRtree(starts).query_nearest(ends, all_matches=False)
    successor = np.arange(len(arcs.circle))
    successor[end_index] = start_index
    return successor


def sample(disks: Disks, arcs: Arcs, order: Ints, pieces: Ints) -> Floats:
    """Vertices of arcs in `order`: each arc's exact start point, then points along it at most a side apart."""
    count = pieces[order]
    arc = np.repeat(order, count)
    first = np.cumsum(count) - count
    fraction = (np.arange(count.sum()) - np.repeat(first, count)) / np.repeat(count, count)
    angle = arcs.start[arc] + fraction * (arcs.end[arc] - arcs.start[arc])
    circle = arcs.circle[arc]
    coords = np.column_stack([disks.x[circle] + disks.radius * np.cos(angle),
                              disks.y[circle] + disks.radius * np.sin(angle)])
    coords[first] = arcs.start_xy[order]
    return coords


def rings_to_polygons(rings: list[Floats], origin: Floats) -> BaseGeometry:
    """Counter-clockwise rings are outlines, clockwise ones holes, each in the smallest outline around it."""
    rings = [r + origin for r in rings if len(r) >= 4]
    if not rings:
        return shapely.MultiPolygon()
    sizes = np.array([len(r) for r in rings])
    ring_shapes = shapely.linearrings(np.concatenate(rings), indices=np.repeat(np.arange(len(rings)), sizes))
    ccw = shapely.is_ccw(ring_shapes)
    shells, holes = ring_shapes[ccw], ring_shapes[~ccw]
    owner = hole_owners(shapely.polygons(shells), holes)
    # Each polygon's rings in order, shell first: shapely builds them all in one call.
    order = np.lexsort((np.r_[np.zeros(len(shells)), np.ones(len(holes))], np.r_[np.arange(len(shells)), owner]))
    kept = np.r_[np.arange(len(shells)), owner][order] >= 0
    every = np.r_[shells, holes][order][kept]
    polygon_of = np.r_[np.arange(len(shells)), owner][order][kept]
    polygons = shapely.polygons(every, indices=polygon_of)
    # Sampling can make a chord of one circle cross its neighbour's where they meet nearly tangent.
    broken = ~shapely.is_valid(polygons)
    polygons[broken] = shapely.make_valid(polygons[broken])
    parts = shapely.get_parts(polygons)
    return shapely.multipolygons(parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON])


def hole_owners(shells: NDArray[np.object_], holes: NDArray[np.object_]) -> Ints:
    """Index of the smallest shell around each hole (-1: none)."""
    owner = np.full(len(holes), -1, dtype=np.int64)
    if len(holes) == 0 or len(shells) == 0:
        return owner
    probe, shell = shapely.STRtree(shells).query(shapely.get_point(holes, 0), predicate="within")
    by_area = np.lexsort((shapely.area(shells)[shell], probe))
    probe, shell = probe[by_area], shell[by_area]
    first = np.r_[True, probe[1:] != probe[:-1]]
    owner[probe[first]] = shell[first]
    return owner
