"""The street graph in metres: segments as arrays, points snapped to the nearest walkable segment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from mapgen.geo import projection

if TYPE_CHECKING:  # the reader (and osmium) is needed only to load an extract, not to walk a graph
    from mapgen.network.osm import Streets

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
# A point farther than this from every walkable way cannot use the network (the contract's rule).
MAX_ACCESS_M = 500.0


@dataclass(frozen=True)
class Network:
    """Nodes (Albers metres) and straight segments between them, walkable both ways.

    `rank` orders the segments along their ways (a way's segments have consecutive ranks; pieces of a cut
    segment rank by where they begin), so that reached stretches can be drawn as long lines.
    """

    x: Floats
    y: Floats
    start: Ints
    end: Ints
    rank: Floats

    @property
    def length(self) -> Floats:
        """Each segment's length in metres."""
        return np.hypot(self.x[self.end] - self.x[self.start], self.y[self.end] - self.y[self.start])

    @classmethod
    def of(cls, streets: Streets) -> Network:
        """The streets projected once to metres."""
        x, y = projection.to_metres(streets.lon, streets.lat)
        return cls(x=x, y=y, start=streets.start, end=streets.end, rank=np.arange(len(streets.start), dtype=float))


@dataclass(frozen=True)
class Snaps:
    """Where points join the network: segment, distance along it from its start, and the straight access stretch.

    Points farther than MAX_ACCESS_M from every segment have segment -1 and an infinite access.
    """

    segment: Ints
    along: Floats
    access: Floats

    @property
    def joined(self) -> NDArray[np.bool_]:
        """Whether each point could join the network."""
        return self.segment >= 0


def snap(network: Network, x: Floats, y: Floats) -> Snaps:
    """Each point joined to the nearest point of the nearest segment within MAX_ACCESS_M."""
    segment = np.full(len(x), -1, dtype=np.int64)
    along, access = np.zeros(len(x)), np.full(len(x), np.inf)
    near = _segments_near(network, x, y)
    if len(x) == 0 or len(near) == 0:
        return Snaps(segment, along, access)
    lines = shapely.linestrings(np.stack([
        np.column_stack([network.x[network.start[near]], network.y[network.start[near]]]),
        np.column_stack([network.x[network.end[near]], network.y[network.end[near]]]),
    ], axis=1))
    points = shapely.points(x, y)
    (which, hit), distance = shapely.STRtree(lines).query_nearest(
        points, max_distance=MAX_ACCESS_M, return_distance=True, all_matches=False)
    segment[which] = near[hit]
    access[which] = distance
    along[which] = shapely.line_locate_point(lines[hit], points[which])
    return Snaps(segment, along, access)


def _segments_near(network: Network, x: Floats, y: Floats) -> Ints:
    """Segments that may lie within MAX_ACCESS_M of a point: their midpoint is within that plus half their length."""
    if len(x) == 0 or len(network.start) == 0:
        return np.zeros(0, dtype=np.int64)
    mx = (network.x[network.start] + network.x[network.end]) / 2.0
    my = (network.y[network.start] + network.y[network.end]) / 2.0
    distance, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([mx, my]))
    return np.flatnonzero(distance <= MAX_ACCESS_M + network.length / 2.0 + 1.0)


@dataclass(frozen=True)
class Split:
    """The network with nodes added where points joined it mid-segment, and each point's node."""

    network: Network
    node: Ints  # each joined point's node (-1 for points that did not join)
    keys: Floats  # sorted positions of the added nodes as segment + fraction along it
    key_nodes: Ints  # the node at each key


def split(network: Network, snaps: Snaps) -> Split:
    """Cut segments at the joined points, so distances to and from them are exact (one node per place)."""
    length = network.length
    joined = np.flatnonzero(snaps.joined)
    node = np.full(len(snaps.segment), -1, dtype=np.int64)
    if not len(joined):  # no station (none open at --at's time) or none near a street: nothing to cut
        return Split(network, node, np.zeros(0), np.zeros(0, dtype=np.int64))
    segment, along = snaps.segment[joined], snaps.along[joined]
    fraction = np.clip(along / np.where(length[segment] > 0, length[segment], 1.0), 0.0, 1.0)
    keys, inverse = np.unique(segment + fraction * _FRACTION_SPAN, return_inverse=True)
    seg = np.floor(keys).astype(np.int64)
    frac = (keys - seg) / _FRACTION_SPAN
    nodes = len(network.x) + np.arange(len(keys))
    x = network.x[network.start[seg]] + frac * (network.x[network.end[seg]] - network.x[network.start[seg]])
    y = network.y[network.start[seg]] + frac * (network.y[network.end[seg]] - network.y[network.start[seg]])
    first = np.r_[True, seg[1:] != seg[:-1]]
    last = np.r_[seg[1:] != seg[:-1], True]
    before = np.where(first, network.start[seg], np.r_[-1, nodes[:-1]])
    kept = np.setdiff1d(np.arange(len(length)), seg)
    start = np.concatenate([network.start[kept], before, nodes[last]])
    end = np.concatenate([network.end[kept], nodes, network.end[seg[last]]])
    rank = np.concatenate([network.rank[kept], network.rank[seg] + np.where(first, 0.0, np.r_[0.0, frac[:-1]]),
                           network.rank[seg[last]] + frac[last]])
    grown = Network(x=np.concatenate([network.x, x]), y=np.concatenate([network.y, y]), start=start, end=end,
                    rank=rank)
    node[joined] = nodes[inverse.reshape(-1)]
    return Split(grown, node, keys, nodes)


# A point's key is its segment number plus its fraction along the segment scaled into [0, 0.5]: sorting keys
# sorts by segment, then along it (float64 keeps 1e-9 of a fraction at ten million segments).
_FRACTION_SPAN = 0.5


def ends_of(network: Network, cut: Split, snaps: Snaps) -> tuple[Ints, Floats, Ints, Floats]:
    """For points snapped to the uncut network: the nodes of the cut piece they lie on, and the distance to each."""
    segment = np.where(snaps.joined, snaps.segment, 0)
    length = network.length[segment]
    fraction = np.clip(snaps.along / np.where(length > 0, length, 1.0), 0.0, 1.0)
    # Sentinels at both ends: every point has a key before and after it, on its own segment or not.
    keys = np.concatenate([[-np.inf], cut.keys, [np.inf]])
    nodes = np.concatenate([[-1], cut.key_nodes, [-1]])
    after = np.searchsorted(keys, segment + fraction * _FRACTION_SPAN, side="left")
    has_before = np.floor(keys[after - 1]) == segment
    has_after = np.floor(keys[after]) == segment
    at_before = np.where(has_before, (keys[after - 1] - segment) / _FRACTION_SPAN, 0.0)
    at_after = np.where(has_after, (keys[after] - segment) / _FRACTION_SPAN, 1.0)
    a = np.where(has_before, nodes[after - 1], network.start[segment])
    b = np.where(has_after, nodes[after], network.end[segment])
    return a, np.maximum(fraction - at_before, 0.0) * length, b, np.maximum(at_after - fraction, 0.0) * length
