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

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]

_SNAP_M = 1e-3  # stations closer than a millimetre are one disk of multiplicity 2
_NEAR = 0.7  # first-pass neighbour distance, in radii
_MIN_ARC = 1e-9  # radians: a micrometre on a 1 km circle
_CHUNK = 4096  # disks per batch of neighbour search, to bound memory at China's scale


@dataclass(frozen=True)
class _Disks:
    """Distinct disk centres (shifted near the origin for precision) with their multiplicity."""

    x: Floats
    y: Floats
    weight: Ints
    radius: float


@dataclass(frozen=True)
class _Edges:
    """Polygon boundary edges, oriented so that each polygon lies on their left, with their polygon."""

    x0: Floats
    y0: Floats
    x1: Floats
    y1: Floats
    polygon: Ints
    tree: shapely.STRtree


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
    disks = _distinct(np.asarray(x, float) - origin[0], np.asarray(y, float) - origin[1], radius)
    shifted = [shapely.transform(p, lambda c: c - origin) for p in polygons]
    edges = _edges(shifted)
    owner, border = _owners(disks, shifted, edges)
    near, full = _Grid.of(disks, _NEAR * radius), _Grid.of(disks, 2.0 * radius)
    chunks = []
    for first in range(0, len(disks.x), _CHUNK):
        ids = _unsaturated(disks, near, np.arange(first, min(first + _CHUNK, len(disks.x))))
        arcs = _arcs(disks, full, ids, _edge_crossings(disks, ids[border[ids]], edges))
        _add_arcs(disks, arcs, owner, border, shifted, once, twice)
        chunks.append(arcs)
    _add_edges(disks, edges, once, twice)
    arcs = _Arcs(*(np.concatenate([getattr(c, f) for c in chunks]) for f in _Arcs.__dataclass_fields__))
    weight = disks.weight[arcs.circle]
    shapes = [_rings_to_polygons(_ring_coordinates(disks, _select(arcs, keep), sides), origin)
              for keep in (arcs.others == 0, arcs.others + weight >= 2)]
    return Reach(once, twice, shapes[0], shapes[1])


def _origin(polygons: list[BaseGeometry]) -> Floats:
    bounds = shapely.bounds(np.array(polygons, dtype=object))
    return np.array([np.mean(bounds[:, [0, 2]]), np.mean(bounds[:, [1, 3]])])


def _distinct(x: Floats, y: Floats, radius: float) -> _Disks:
    keys = np.round(np.column_stack([x, y]) / _SNAP_M)
    unique, first, counts = np.unique(keys, axis=0, return_index=True, return_counts=True)
    del unique
    return _Disks(x[first], y[first], counts.astype(np.int64), radius)


def _edges(polygons: list[BaseGeometry]) -> _Edges:
    oriented = shapely.orient_polygons(np.array(polygons, dtype=object), exterior_cw=False)
    rings, owners = [], []
    for index, polygon in enumerate(oriented):
        for part in shapely.get_parts(polygon):
            for ring in [part.exterior, *part.interiors]:
                coords = np.asarray(ring.coords)
                rings.append(coords)
                owners.append(np.full(len(coords) - 1, index))
    starts = np.concatenate([r[:-1] for r in rings])
    ends = np.concatenate([r[1:] for r in rings])
    tree = shapely.STRtree(shapely.linestrings(np.stack([starts, ends], axis=1)))
    return _Edges(starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1], np.concatenate(owners), tree)


def _owners(disks: _Disks, polygons: list[BaseGeometry], edges: _Edges) -> tuple[Ints, NDArray[np.bool_]]:
    """The polygon holding each disk's centre (-1: none), and whether the disk reaches any polygon edge."""
    centres = shapely.points(disks.x, disks.y)
    owner = _containing(centres, polygons)
    pairs = _disk_edge_pairs(disks, edges)
    border = np.zeros(len(disks.x), dtype=bool)
    border[pairs[0]] = True
    return owner, border


def _containing(points: NDArray[np.object_], polygons: list[BaseGeometry]) -> Ints:
    tree = shapely.STRtree(np.array(polygons, dtype=object))
    point_index, polygon_index = tree.query(points, predicate="intersects")
    owner = np.full(len(points), -1, dtype=np.int64)
    # A point on a shared border goes to the lower-numbered polygon, deterministically.
    owner[point_index[::-1]] = polygon_index[::-1]
    return owner


def _disk_edge_pairs(disks: _Disks, edges: _Edges) -> tuple[Ints, Ints]:
    """(disk, edge) pairs where the edge passes within the disk's radius of its centre."""
    r = disks.radius
    boxes = shapely.box(disks.x - r, disks.y - r, disks.x + r, disks.y + r)
    disk, edge = edges.tree.query(boxes)
    near = _segment_distance(disks.x[disk], disks.y[disk], edges, edge) < r
    return disk[near].astype(np.int64), edge[near].astype(np.int64)


def _segment_distance(px: Floats, py: Floats, edges: _Edges, edge: Ints) -> Floats:
    dx, dy = edges.x1[edge] - edges.x0[edge], edges.y1[edge] - edges.y0[edge]
    length2 = np.maximum(dx * dx + dy * dy, 1e-300)
    t = np.clip(((px - edges.x0[edge]) * dx + (py - edges.y0[edge]) * dy) / length2, 0.0, 1.0)
    return np.hypot(edges.x0[edge] + t * dx - px, edges.y0[edge] + t * dy - py)


@dataclass(frozen=True)
class _Grid:
    """Disk centres hashed on a grid of cell size 2r, for finding overlapping disks."""

    key: Ints
    order: Ints
    sorted_keys: Ints
    stride: int
    cell: float

    @classmethod
    def of(cls, disks: _Disks, cell: float) -> _Grid:
        """Hash the centres of `disks` on cells of size `cell`, the largest distance it finds pairs at."""
        cx = np.floor(disks.x / cell).astype(np.int64)
        cy = np.floor(disks.y / cell).astype(np.int64)
        stride = int(cy.max() - cy.min() + 3)
        key = (cx - cx.min() + 1) * stride + (cy - cy.min() + 1)
        order = np.argsort(key, kind="stable")
        return cls(key, order, key[order], stride, cell)


def _neighbours(disks: _Disks, grid: _Grid, ids: Ints) -> tuple[Ints, Ints]:
    """Directed pairs (a in ids, b != a) of disks closer than the grid's cell size."""
    found_a, found_b = [], []
    for offset in (o1 * grid.stride + o2 for o1 in (-1, 0, 1) for o2 in (-1, 0, 1)):
        wanted = grid.key[ids] + offset
        lo = np.searchsorted(grid.sorted_keys, wanted, side="left")
        count = np.searchsorted(grid.sorted_keys, wanted, side="right") - lo
        position = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(count.sum())
        found_a.append(np.repeat(ids, count))
        found_b.append(grid.order[position])
    a, b = np.concatenate(found_a), np.concatenate(found_b)
    close = (a != b) & (np.hypot(disks.x[b] - disks.x[a], disks.y[b] - disks.y[a]) < grid.cell)
    return a[close], b[close]


@dataclass(frozen=True)
class _Arcs:
    """Arcs of circles between consecutive events, with the weight of the other disks covering each."""

    circle: Ints
    start: Floats
    end: Floats
    others: Ints
    start_xy: Floats  # exact shared end points, so that arcs of neighbouring circles chain into rings
    end_xy: Floats


def _unsaturated(disks: _Disks, near: _Grid, ids: Ints) -> Ints:
    """The disks among `ids` whose circle is not covered twice over by their near neighbours alone.

    A circle covered by two other disks all round bounds nothing; near neighbours (each covering more than
    138 degrees of it) settle that for most disks in a dense town at a fraction of the cost of all of them.
    """
    none = (np.empty(0, np.int64), np.empty(0), np.empty((0, 2)))
    return np.unique(_arcs(disks, near, ids, none).circle)


def _arcs(disks: _Disks, grid: _Grid, ids: Ints, crossings: tuple[Ints, Floats, Floats]) -> _Arcs:
    """Arcs of the circles `ids` covered by at most one other disk: the only ones that bound the areas.

    `crossings` (circle, angle, point) adds the places where circles cross polygon edges, which split arcs too.
    """
    circle, angle, delta, xy = _events(disks, grid, ids)
    circle = np.concatenate([circle, crossings[0]])
    angle = np.concatenate([angle, crossings[1]])
    delta = np.concatenate([delta, np.zeros(len(crossings[0]), np.int64)])
    xy = np.concatenate([xy, crossings[2]])
    if len(ids) == 0:
        no_ints, no_floats, no_points = np.empty(0, np.int64), np.empty(0), np.empty((0, 2))
        return _Arcs(no_ints, no_floats, no_floats, no_ints, no_points, no_points)
    # One float key sorts by circle, then angle (angle + pi lies in [0, 2 pi] < 8).
    order = np.argsort((circle - ids[0]) * 8.0 + (angle + np.pi), kind="stable")
    circle, angle, delta, xy = circle[order], angle[order], delta[order], xy[order]
    others = _grouped_cumsum(delta, circle)[:-1]
    # Arcs shorter than a micrometre join events that coincide; dropping them keeps ring chaining unambiguous.
    useful = np.flatnonzero((circle[:-1] == circle[1:]) & (angle[1:] - angle[:-1] > _MIN_ARC) & (others <= 1))
    return _Arcs(circle[useful], angle[useful], angle[useful + 1], others[useful], xy[useful], xy[useful + 1])


def _events(disks: _Disks, grid: _Grid, ids: Ints) -> tuple[Ints, Floats, Ints, Floats]:
    """Angles on each circle where another disk's cover starts (+weight) or ends (-weight), with the point.

    Each circle also gets the two ends of its angle range, -pi and pi, both at its westernmost point.
    """
    a, b = _neighbours(disks, grid, ids)
    dx, dy = disks.x[b] - disks.x[a], disks.y[b] - disks.y[a]
    centre = np.arctan2(dy, dx)
    half = np.arccos(np.clip(np.hypot(dx, dy) / (2.0 * disks.radius), 0.0, 1.0))
    start = _wrap(centre - half)
    end = start + 2.0 * half
    wraps = end > np.pi
    w = disks.weight[b]
    first_xy, second_xy = _intersections(disks, a, b)
    west = np.column_stack([disks.x - disks.radius, disks.y])
    zero = np.zeros(len(ids), np.int64)
    circles = [a, a, a[wraps], a[wraps], ids, ids]
    angles = [start, np.minimum(end, np.pi), np.full(wraps.sum(), -np.pi), end[wraps] - 2.0 * np.pi,
              np.full(len(ids), -np.pi), np.full(len(ids), np.pi)]
    deltas = [w, -w, w[wraps], -w[wraps], zero, zero]
    end_xy = np.where(wraps[:, None], west[a], second_xy)
    points = [first_xy, end_xy, west[a[wraps]], second_xy[wraps], west[ids], west[ids]]
    return np.concatenate(circles), np.concatenate(angles), np.concatenate(deltas), np.concatenate(points)


def _intersections(disks: _Disks, a: Ints, b: Ints) -> tuple[Floats, Floats]:
    """Where disk b's cover of circle a starts and ends, computed the same way for (a, b) and (b, a)."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    dx, dy = disks.x[high] - disks.x[low], disks.y[high] - disks.y[low]
    centre = np.arctan2(dy, dx)
    half = np.arccos(np.clip(np.hypot(dx, dy) / (2.0 * disks.radius), 0.0, 1.0))
    minus = np.column_stack([disks.x[low] + disks.radius * np.cos(centre - half),
                             disks.y[low] + disks.radius * np.sin(centre - half)])
    plus = np.column_stack([disks.x[low] + disks.radius * np.cos(centre + half),
                            disks.y[low] + disks.radius * np.sin(centre + half)])
    # On the lower circle the cover starts at `minus`; on the higher one it starts at `plus`.
    forward = (a < b)[:, None]
    return np.where(forward, minus, plus), np.where(forward, plus, minus)


def _add_arcs(disks: _Disks, arcs: _Arcs, owner: Ints, border: NDArray[np.bool_],
              polygons: list[BaseGeometry], once: Floats, twice: Floats) -> None:
    """Add boundary arcs to the areas of the polygons they lie in."""
    where = _arc_polygon(disks, arcs.circle, arcs.start, arcs.end, owner, border, polygons)
    integral = _arc_integral(disks, arcs.circle, arcs.start, arcs.end)
    weight = disks.weight[arcs.circle]
    once_arc = (where >= 0) & (arcs.others == 0)
    twice_arc = (where >= 0) & (arcs.others + weight >= 2)
    np.add.at(once, where[once_arc], integral[once_arc])
    np.add.at(twice, where[twice_arc], integral[twice_arc])


def _wrap(angle: Floats) -> Floats:
    return (angle + np.pi) % (2.0 * np.pi) - np.pi


def _edge_crossings(disks: _Disks, ids: Ints, edges: _Edges) -> tuple[Ints, Floats, Floats]:
    """Where the circles `ids` cross polygon edges: circle, angle and point."""
    if len(ids) == 0:
        return np.empty(0, np.int64), np.empty(0), np.empty((0, 2))
    sub = _Disks(disks.x[ids], disks.y[ids], disks.weight[ids], disks.radius)
    local, edge = _disk_edge_pairs(sub, edges)
    circle = ids[local]
    t_in, t_out, hit = _segment_circle(disks.x[circle], disks.y[circle], disks.radius, edges, edge)
    found_circle, found_angle, found_xy = [], [], []
    for t in (t_in, t_out):
        crosses = hit & (t > 0.0) & (t < 1.0)
        angle = np.arctan2(edges.y0[edge] + t * (edges.y1[edge] - edges.y0[edge]) - disks.y[circle],
                           edges.x0[edge] + t * (edges.x1[edge] - edges.x0[edge]) - disks.x[circle])[crosses]
        centre = circle[crosses]
        found_circle.append(centre)
        found_angle.append(angle)
        found_xy.append(np.column_stack([disks.x[centre] + disks.radius * np.cos(angle),
                                         disks.y[centre] + disks.radius * np.sin(angle)]))
    return np.concatenate(found_circle), np.concatenate(found_angle), np.concatenate(found_xy)


def _segment_circle(cx: Floats, cy: Floats, radius: float, edges: _Edges,
                    edge: Ints) -> tuple[Floats, Floats, NDArray[np.bool_]]:
    """Parameters t where each edge line enters and leaves its circle, and whether it meets it at all."""
    dx, dy = edges.x1[edge] - edges.x0[edge], edges.y1[edge] - edges.y0[edge]
    fx, fy = edges.x0[edge] - cx, edges.y0[edge] - cy
    a = np.maximum(dx * dx + dy * dy, 1e-300)
    b = fx * dx + fy * dy
    c = fx * fx + fy * fy - radius * radius
    disc = b * b - a * c
    hit = disc > 0.0
    root = np.sqrt(np.where(hit, disc, 0.0))
    return (-b - root) / a, (-b + root) / a, hit


def _grouped_cumsum(delta: Ints, group: Ints) -> Ints:
    total = np.cumsum(delta)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    offset = np.repeat(total[starts] - delta[starts], np.diff(np.r_[starts, len(group)]))
    return total - offset


def _arc_polygon(disks: _Disks, circle: Ints, start: Floats, end: Floats, owner: Ints,
                 border: NDArray[np.bool_], polygons: list[BaseGeometry]) -> Ints:
    """The polygon each arc lies in: its disk's, unless the disk reaches an edge; then by the arc's midpoint."""
    where = owner[circle].copy()
    split = border[circle]
    if split.any():
        middle = (start[split] + end[split]) / 2.0
        mx = disks.x[circle[split]] + disks.radius * np.cos(middle)
        my = disks.y[circle[split]] + disks.radius * np.sin(middle)
        where[split] = _containing(shapely.points(mx, my), polygons)
    return where


def _arc_integral(disks: _Disks, circle: Ints, start: Floats, end: Floats) -> Floats:
    """Green's integral (1/2) of (x dy - y dx) along each counter-clockwise arc."""
    r = disks.radius
    cx, cy = disks.x[circle], disks.y[circle]
    return 0.5 * (r * r * (end - start) + r * cx * (np.sin(end) - np.sin(start))
                  - r * cy * (np.cos(end) - np.cos(start)))


def _add_edges(disks: _Disks, edges: _Edges, once: Floats, twice: Floats) -> None:
    """Add the parts of polygon edges inside one or two disks to their polygons' areas."""
    disk, edge = _disk_edge_pairs(disks, edges)
    t_in, t_out, hit = _segment_circle(disks.x[disk], disks.y[disk], disks.radius, edges, edge)
    t_in, t_out = np.clip(t_in, 0.0, 1.0), np.clip(t_out, 0.0, 1.0)
    keep = hit & (t_out > t_in)
    disk, edge, t_in, t_out = disk[keep], edge[keep], t_in[keep], t_out[keep]
    every = np.arange(len(edges.x0))
    w = disks.weight[disk]
    segment = np.concatenate([edge, edge, every, every])
    t = np.concatenate([t_in, t_out, np.zeros(len(every)), np.ones(len(every))])
    delta = np.concatenate([w, -w, np.zeros(2 * len(every), np.int64)])
    order = np.lexsort((t, segment))
    segment, t, delta = segment[order], t[order], delta[order]
    count = _grouped_cumsum(delta, segment)
    same = segment[:-1] == segment[1:]
    piece, t0, t1, inside = segment[:-1][same], t[:-1][same], t[1:][same], count[:-1][same]
    integral = _edge_integral(edges, piece, t0, t1)
    np.add.at(once, edges.polygon[piece[inside >= 1]], integral[inside >= 1])
    np.add.at(twice, edges.polygon[piece[inside >= 2]], integral[inside >= 2])


def _edge_integral(edges: _Edges, edge: Ints, t0: Floats, t1: Floats) -> Floats:
    """Green's integral (1/2)(x0 y1 - x1 y0) along the part [t0, t1] of each edge."""
    dx, dy = edges.x1[edge] - edges.x0[edge], edges.y1[edge] - edges.y0[edge]
    xa, ya = edges.x0[edge] + t0 * dx, edges.y0[edge] + t0 * dy
    xb, yb = edges.x0[edge] + t1 * dx, edges.y0[edge] + t1 * dy
    return 0.5 * (xa * yb - xb * ya)


def _select(arcs: _Arcs, keep: NDArray[np.bool_]) -> _Arcs:
    return _Arcs(arcs.circle[keep], arcs.start[keep], arcs.end[keep], arcs.others[keep],
                 arcs.start_xy[keep], arcs.end_xy[keep])


def _ring_coordinates(disks: _Disks, arcs: _Arcs, sides: int) -> list[Floats]:
    """Chain arcs end to start into closed rings; each ring's vertices, first repeated last."""
    if len(arcs.circle) == 0:
        return []
    chains = _chains(_successors(arcs))
    order = np.concatenate(chains)
    pieces = np.ceil((arcs.end - arcs.start) / (2.0 * np.pi / sides)).astype(np.int64)
    coords = _sample(disks, arcs, order, pieces)
    sizes = np.array([pieces[chain].sum() for chain in chains])
    return [np.vstack([ring, ring[:1]]) for ring in np.split(coords, np.cumsum(sizes)[:-1])]


def _chains(successor: Ints) -> list[Ints]:
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


def _successors(arcs: _Arcs) -> Ints:
    """For each arc, the arc that starts where it ends: the nearest start point, a few nanometres away at most."""
    starts = shapely.points(arcs.start_xy)
    ends = shapely.points(arcs.end_xy)
    end_index, start_index = shapely.STRtree(starts).query_nearest(ends, all_matches=False)
    successor = np.arange(len(arcs.circle))
    successor[end_index] = start_index
    return successor


def _sample(disks: _Disks, arcs: _Arcs, order: Ints, pieces: Ints) -> Floats:
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


def _rings_to_polygons(rings: list[Floats], origin: Floats) -> BaseGeometry:
    """Counter-clockwise rings are outlines, clockwise ones holes, each in the smallest outline around it."""
    rings = [r + origin for r in rings if len(r) >= 4]
    if not rings:
        return shapely.MultiPolygon()
    sizes = np.array([len(r) for r in rings])
    ring_shapes = shapely.linearrings(np.concatenate(rings), indices=np.repeat(np.arange(len(rings)), sizes))
    ccw = shapely.is_ccw(ring_shapes)
    shells, holes = ring_shapes[ccw], ring_shapes[~ccw]
    owner = _hole_owners(shapely.polygons(shells), holes)
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


def _hole_owners(shells: NDArray[np.object_], holes: NDArray[np.object_]) -> Ints:
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
