"""How far one walks along the streets from the stations: multi-source Dijkstra over arrays, and the reached band."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from mapgen.network import BAND_M
from mapgen.network.graph import Floats, Ints, Network, Snaps, ends_of, snap, split

# The band is built in square tiles of this side (metres); each tile's part stops this far short of the tile's
# edges (half a millimetre: a hairline no map or figure shows), so that parts of neighbouring tiles never touch.
_TILE_M = 1000.0
_SEAM_M = 0.0005
# csgraph reads a stored zero as "no edge": a station standing exactly on a node, or two nodes at one place,
# keep their link with this length (a nanometre).
_EPSILON_M = 1e-9


@dataclass(frozen=True)
class StreetReach:
    """The reach of the stations along the streets, in Albers metres."""

    once: BaseGeometry  # the band of streets within reach of at least one station
    twice: BaseGeometry  # of two or more stations
    station_access: Floats  # each station's straight stretch to the street (inf: cannot use the network)
    distance: Floats  # each query point's walk to its nearest station (inf: out of reach or cannot join)
    query_access: Floats  # each query point's straight stretch to the street (inf: cannot use the network)


def walk(network: Network, sx: Floats, sy: Floats, radius: float, qx: Floats, qy: Floats) -> StreetReach:
    """The streets within `radius` metres' walk of the stations at (sx, sy), and the walk from each query point.

    A walk counts the straight stretch from the station to its street and from the query point to its street.
    """
    stations = snap(network, sx, sy)
    cut = split(network, stations)
    groups = _groups(sx, sy, stations, radius)
    d1, g1, d2 = _nearest_two(cut.network, cut.node, stations, groups, radius)
    queries = snap(network, qx, qy)
    a, to_a, b, to_b = ends_of(network, cut, queries)
    distance = np.minimum(d1[a] + to_a, d1[b] + to_b) + queries.access
    distance[~queries.joined | ~(distance <= radius)] = np.inf
    once, twice = _pieces(cut.network, d1, g1, d2, radius)
    return StreetReach(once=band(once), twice=band(twice), station_access=stations.access,
                       distance=distance, query_access=queries.access)


def _groups(sx: Floats, sy: Floats, snaps: Snaps, radius: float) -> Ints:
    """Stations in groups whose members stand more than 2 x radius apart (-1: cannot join the network).

    Walks are never shorter than straight lines, so the reaches of one group's stations are disjoint: one
    Dijkstra run per group tells every node how many stations reach it.
    """
    group = np.full(len(sx), -1, dtype=np.int64)
    joined = np.flatnonzero(snaps.joined)
    if not len(joined):
        return group
    pairs = cKDTree(np.column_stack([sx[joined], sy[joined]])).query_pairs(2.0 * radius, output_type="ndarray")
    neighbours: list[list[int]] = [[] for _ in joined]
    for i, j in pairs.tolist():  # per station pair, not per node: a few thousand stations
        neighbours[i].append(j)
        neighbours[j].append(i)
    colour = np.full(len(joined), -1, dtype=np.int64)
    for i in range(len(joined)):
        taken = {int(colour[j]) for j in neighbours[i]}
        colour[i] = next(c for c in range(len(taken) + 1) if c not in taken)
    group[joined] = colour
    return group


def _nearest_two(network: Network, node: Ints, snaps: Snaps, group: Ints,
                 radius: float) -> tuple[Floats, Ints, Floats]:
    """Per node: the walk to the nearest station, that station's group, and the walk from the nearest other group."""
    count = len(network.x)
    groups = int(group.max()) + 1 if len(group) else 0
    graph = _graph(network, node, snaps, group, groups)
    d1, d2 = np.full(count, np.inf), np.full(count, np.inf)
    g1 = np.full(count, -1, dtype=np.int64)
    for g in range(groups):
        reached = csgraph.dijkstra(graph, directed=True, indices=count + g, limit=radius)[:count]
        hit = np.flatnonzero(reached <= radius)
        new = reached[hit]
        first = new < d1[hit]
        second = ~first & (new < d2[hit])
        d2[hit[first]] = d1[hit[first]]
        d1[hit[first]], g1[hit[first]] = new[first], g
        d2[hit[second]] = new[second]
    return d1, g1, d2


def _graph(network: Network, node: Ints, snaps: Snaps, group: Ints, groups: int) -> sparse.csr_array:
    """Streets both ways, and from one extra node per group an arc to each member station (its access stretch)."""
    count = len(network.x)
    member = np.flatnonzero(group >= 0)
    rows = np.concatenate([network.start, network.end, count + group[member]])
    cols = np.concatenate([network.end, network.start, node[member]])
    length = network.length
    weight = np.maximum(np.concatenate([length, length, snaps.access[member]]), _EPSILON_M)
    # Two ways may share a segment; a sparse matrix would add their lengths, so keep the shortest of each pair.
    order = np.lexsort((weight, cols, rows))
    rows, cols, weight = rows[order], cols[order], weight[order]
    first = np.r_[True, (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])]
    size = count + groups
    return sparse.csr_array((weight[first], (rows[first], cols[first])), shape=(size, size))


Pieces = tuple[Floats, Floats, Floats, Floats, Floats]  # x0, y0, x1, y1 and an order along the ways


def _pieces(network: Network, d1: Floats, g1: Ints, d2: Floats, radius: float) -> tuple[Pieces, Pieces]:
    """The reached stretches of every segment, once and twice, as straight pieces.

    From a segment's start the nearest station reaches `radius - d1` along it, the next group `radius - d2`;
    likewise from its end. A point is reached twice within the second reach from either end, or where the
    nearest reaches from the two ends meet and come from different groups.
    """
    s, e, length = network.start, network.end, network.length
    p1, p2, q1, q2 = radius - d1[s], radius - d2[s], radius - d1[e], radius - d2[e]
    full = p1 + q1 >= length
    once = [(np.zeros_like(length), np.where(full, length, p1)), (np.where(full, length, length - q1), length)]
    twice = [(np.zeros_like(length), p2), (length - q2, length),
             (length - q1, np.where(g1[s] != g1[e], p1, -np.inf))]
    return _stretches(network, once), _stretches(network, twice)


def _stretches(network: Network, intervals: list[tuple[Floats, Floats]]) -> Pieces:
    """Straight pieces of the segments between distances `low` and `high` along them (empty ones dropped)."""
    length = network.length
    parts = []
    for low, high in intervals:
        low, high = np.maximum(low, 0.0), np.minimum(high, length)
        keep = np.flatnonzero(high > low)
        s, e = network.start[keep], network.end[keep]
        share = np.divide(1.0, length[keep], out=np.zeros(len(keep)), where=length[keep] > 0)
        ends = []
        for at, node in ((low[keep], s), (high[keep], e)):
            # A piece that reaches a node ends exactly on it, so that consecutive pieces join exactly.
            whole = at == np.where(node == s, 0.0, length[keep])
            for axis in (network.x, network.y):
                moved = axis[s] + (axis[e] - axis[s]) * at * share
                ends.append(np.where(whole, axis[node], moved))
        parts.append((*ends, network.rank[keep] + low[keep] * share * 0.5))
    x0, y0, x1, y1, order = (np.concatenate([part[k] for part in parts]) for k in range(5))
    return x0, y0, x1, y1, order


def band(pieces: Pieces, width: float = BAND_M) -> BaseGeometry:
    """The pieces buffered by `width` on each side (round ends), as disjoint polygons tile by tile.

    Pieces that continue one another along a way are joined into one line first; each tile's buffers are
    merged alone, clipped _SEAM_M short of the tile's edges, so that the parts of neighbouring tiles never
    touch and together form a valid MultiPolygon without one union of the whole band (slow in GEOS).
    """
    lines = _lines(pieces)
    if not len(lines):
        return shapely.MultiPolygon()
    buffers = shapely.buffer(lines, width, quad_segs=4)
    buffer, tile_x, tile_y = _tiles(shapely.bounds(buffers))
    order = np.lexsort((tile_y, tile_x))
    buffer, tile_x, tile_y = buffer[order], tile_x[order], tile_y[order]
    starts = np.flatnonzero(np.r_[True, (tile_x[1:] != tile_x[:-1]) | (tile_y[1:] != tile_y[:-1])])
    def tile(first: int, last: int) -> NDArray[np.object_]:
        west, south = tile_x[first] * _TILE_M + _SEAM_M, tile_y[first] * _TILE_M + _SEAM_M
        clipped = shapely.clip_by_rect(buffers[buffer[first:last]], west, south,
                                       west + _TILE_M - 2 * _SEAM_M, south + _TILE_M - 2 * _SEAM_M)
        return _polygons(_union(clipped))

    # GEOS releases the GIL: threads put every core to the tiles' unions.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        parts = list(pool.map(tile, starts.tolist(), np.r_[starts[1:], len(order)].tolist()))
    return shapely.multipolygons(np.concatenate(parts))


def _lines(pieces: Pieces) -> NDArray[np.object_]:
    """The pieces as lines, pieces that continue one another (in order along the ways) joined into one."""
    x0, y0, x1, y1, order = pieces
    if not len(x0):
        return np.zeros(0, dtype=object)
    sort = np.argsort(order, kind="stable")
    x0, y0, x1, y1 = x0[sort], y0[sort], x1[sort], y1[sort]
    new = np.r_[True, (x0[1:] != x1[:-1]) | (y0[1:] != y1[:-1])]
    line = np.cumsum(new) - 1
    # Each line's vertices: the start of its first piece, then the end of every piece.
    ids = np.concatenate([line[new], line])
    sequence = np.argsort(ids, kind="stable")
    xs, ys = np.concatenate([x0[new], x1])[sequence], np.concatenate([y0[new], y1])[sequence]
    lines = shapely.linestrings(xs, ys, indices=ids[sequence])
    return np.asarray(shapely.simplify(lines, 0.01))  # drop the collinear vertices of straight runs


def _tiles(bounds: Floats) -> tuple[Ints, Ints, Ints]:
    """Every (shape, tile) pair whose shape's bounding box reaches into the tile: shape, tile column, tile row."""
    low = np.floor(bounds[:, :2] / _TILE_M).astype(np.int64)
    high = np.floor(bounds[:, 2:] / _TILE_M).astype(np.int64)
    across, up = high[:, 0] - low[:, 0] + 1, high[:, 1] - low[:, 1] + 1
    count = across * up
    shape = np.repeat(np.arange(len(bounds)), count)
    k = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    return shape, low[shape, 0] + k % across[shape], low[shape, 1] + k // across[shape]


def _union(polygons: NDArray[np.object_]) -> BaseGeometry:
    """The union of clipped buffers; clipping a winding buffer can leave it invalid, repaired only then."""
    try:
        return shapely.union_all(polygons)
    except shapely.errors.GEOSException:
        return shapely.union_all(shapely.make_valid(polygons))


def _polygons(geometry: BaseGeometry) -> NDArray[np.object_]:
    """The non-empty polygons of a union."""
    parts = shapely.get_parts(geometry)
    return np.asarray(parts[(shapely.get_type_id(parts) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(parts)])
