"""Circles of equal disks: distinct centres, neighbours on a grid, and the arcs where coverage changes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
_SNAP_M = 1e-3  # stations closer than a millimetre are one disk of multiplicity 2
_MIN_ARC = 1e-9  # radians: a micrometre on a 1 km circle


@dataclass(frozen=True)
class Disks:
    """Distinct disk centres (shifted near the origin for precision) with their multiplicity."""

    x: Floats
    y: Floats
    weight: Ints
    radius: float


def distinct(x: Floats, y: Floats, radius: float) -> Disks:
    """Disks at distinct centres, stations closer than a millimetre merged into one of higher weight."""
    keys = np.round(np.column_stack([x, y]) / _SNAP_M)
    unique, first, counts = np.unique(keys, axis=0, return_index=True, return_counts=True)
    del unique
    return Disks(x[first], y[first], counts.astype(np.int64), radius)


@dataclass(frozen=True)
class Grid:
    """Disk centres hashed on a grid of cell size 2r, for finding overlapping disks."""

    key: Ints
    order: Ints
    sorted_keys: Ints
    stride: int
    cell: float

    @classmethod
    def of(cls, disks: Disks, cell: float) -> Grid:
        """Hash the centres of `disks` on cells of size `cell`, the largest distance it finds pairs at."""
        cx = np.floor(disks.x / cell).astype(np.int64)
        cy = np.floor(disks.y / cell).astype(np.int64)
        stride = int(cy.max() - cy.min() + 3)
        key = (cx - cx.min() + 1) * stride + (cy - cy.min() + 1)
        order = np.argsort(key, kind="stable")
        return cls(key, order, key[order], stride, cell)


def neighbours(disks: Disks, grid: Grid, ids: Ints) -> tuple[Ints, Ints]:
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
class Arcs:
    """Arcs of circles between consecutive events, with the weight of the other disks covering each."""

    circle: Ints
    start: Floats
    end: Floats
    others: Ints
    start_xy: Floats  # exact shared end points, so that arcs of neighbouring circles chain into rings
    end_xy: Floats


def unsaturated(disks: Disks, near: Grid, ids: Ints) -> Ints:
    """The disks among `ids` whose circle is not covered twice over by their near neighbours alone.

    A circle covered by two other disks all round bounds nothing; near neighbours (each covering more than
    138 degrees of it) settle that for most disks in a dense town at a fraction of the cost of all of them.
    """
    none = (np.empty(0, np.int64), np.empty(0), np.empty((0, 2)))
    return np.unique(boundary_arcs(disks, near, ids, none).circle)


def boundary_arcs(disks: Disks, grid: Grid, ids: Ints, crossings: tuple[Ints, Floats, Floats]) -> Arcs:
    """Arcs of the circles `ids` covered by at most one other disk: the only ones that bound the areas.

    `crossings` (circle, angle, point) adds the places where circles cross polygon edges, which split arcs too.
    """
    circle, angle, delta, xy = events(disks, grid, ids)
    circle = np.concatenate([circle, crossings[0]])
    angle = np.concatenate([angle, crossings[1]])
    delta = np.concatenate([delta, np.zeros(len(crossings[0]), np.int64)])
    xy = np.concatenate([xy, crossings[2]])
    if len(ids) == 0:
        no_ints, no_floats, no_points = np.empty(0, np.int64), np.empty(0), np.empty((0, 2))
        return Arcs(no_ints, no_floats, no_floats, no_ints, no_points, no_points)
    # One float key sorts by circle, then angle (angle + pi lies in [0, 2 pi] < 8).
    order = np.argsort((circle - ids[0]) * 8.0 + (angle + np.pi), kind="stable")
    circle, angle, delta, xy = circle[order], angle[order], delta[order], xy[order]
    others = grouped_cumsum(delta, circle)[:-1]
    # Arcs shorter than a micrometre join events that coincide; dropping them keeps ring chaining unambiguous.
    useful = np.flatnonzero((circle[:-1] == circle[1:]) & (angle[1:] - angle[:-1] > _MIN_ARC) & (others <= 1))
    return Arcs(circle[useful], angle[useful], angle[useful + 1], others[useful], xy[useful], xy[useful + 1])


def events(disks: Disks, grid: Grid, ids: Ints) -> tuple[Ints, Floats, Ints, Floats]:
    """Angles on each circle where another disk's cover starts (+weight) or ends (-weight), with the point.

    Each circle also gets the two ends of its angle range, -pi and pi, both at its westernmost point.
    """
    a, b = neighbours(disks, grid, ids)
    dx, dy = disks.x[b] - disks.x[a], disks.y[b] - disks.y[a]
    centre = np.arctan2(dy, dx)
    half = np.arccos(np.clip(np.hypot(dx, dy) / (2.0 * disks.radius), 0.0, 1.0))
    start = wrap(centre - half)
    end = start + 2.0 * half
    wraps = end > np.pi
    w = disks.weight[b]
    first_xy, second_xy = intersections(disks, a, b)
    west = np.column_stack([disks.x - disks.radius, disks.y])
    zero = np.zeros(len(ids), np.int64)
    circles = [a, a, a[wraps], a[wraps], ids, ids]
    angles = [start, np.minimum(end, np.pi), np.full(wraps.sum(), -np.pi), end[wraps] - 2.0 * np.pi,
              np.full(len(ids), -np.pi), np.full(len(ids), np.pi)]
    deltas = [w, -w, w[wraps], -w[wraps], zero, zero]
    end_xy = np.where(wraps[:, None], west[a], second_xy)
    points = [first_xy, end_xy, west[a[wraps]], second_xy[wraps], west[ids], west[ids]]
    return np.concatenate(circles), np.concatenate(angles), np.concatenate(deltas), np.concatenate(points)


def intersections(disks: Disks, a: Ints, b: Ints) -> tuple[Floats, Floats]:
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


def wrap(angle: Floats) -> Floats:
    """Angles brought into [-pi, pi)."""
    return (angle + np.pi) % (2.0 * np.pi) - np.pi


def grouped_cumsum(delta: Ints, group: Ints) -> Ints:
    """Running sums of `delta` restarting at each new value of the sorted `group`."""
    total = np.cumsum(delta)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    offset = np.repeat(total[starts] - delta[starts], np.diff(np.r_[starts, len(group)]))
    return total - offset


def arc_integral(disks: Disks, circle: Ints, start: Floats, end: Floats) -> Floats:
    """Green's integral (1/2) of (x dy - y dx) along each counter-clockwise arc."""
    r = disks.radius
    cx, cy = disks.x[circle], disks.y[circle]
    return 0.5 * (r * r * (end - start) + r * cx * (np.sin(end) - np.sin(start))
                  - r * cy * (np.cos(end) - np.cos(start)))


def select(arcs: Arcs, keep: NDArray[np.bool_]) -> Arcs:
    """The arcs where `keep` is true."""
    return Arcs(arcs.circle[keep], arcs.start[keep], arcs.end[keep], arcs.others[keep],
                 arcs.start_xy[keep], arcs.end_xy[keep])
