"""Edge matching: which parcels the overlap check must look at (a polygonal-coverage test).

Parcels tile the land. Where two parcels meet, their common boundary is stored twice, once in
each of them, in opposite directions: with exterior rings counter-clockwise and holes
clockwise, every parcel's interior lies to the left of its edges. An edge matched this way —
exactly one other parcel has the same segment reversed, and no third one has that segment —
cannot be where an overlap begins. The overlap check therefore starts only from the edges that
are *not* matched.

**Why that is exact.** Let ``w(p)`` be the number of parcels containing a point ``p``; parcels
overlap iff ``w ≥ 2`` on some area ``U``. Take a point ``p`` on the boundary of ``U`` that is not
a vertex nor a crossing of edges; every edge through ``p`` lies on one line, and crossing that
line changes ``w`` by (edges with the parcel's interior on one side) − (on the other side). A
matched pair adds one to each side, so the change comes from unmatched edges, and one of them
has its interior on the side where ``w ≥ 2``: its parcel overlaps another parcel right there,
and both meet that edge. So if no parcel that meets an unmatched edge (near that edge)
overlaps anything, no two parcels overlap at all.

When some overlap is found, the check grows from it: every pair of a parcel found overlapping
is tested, and also every pair of the parcels sharing a matched edge with it (inside ``U``,
a matched pair can separate two groups of mutually overlapping parcels only where a third
segment lies on the same line, and each group then holds a parcel of one pair); see
:func:`miasto.datahub.quality.overlaps.edge_pairs`.

"Matched" is decided on exact coordinates, in two ways:

* the same segment (both end points equal), reversed, in exactly two parcels;
* on an axis-parallel line (``x = c`` or ``y = c``, exact), the leftover segments are swept
  along the line: a segment is matched when every stretch of it is covered by exactly one
  segment in each direction — so T-junctions (a vertex of one parcel in the middle of its
  neighbour's edge, as on a surveyed grid) need no common vertices.

Anything else — a vertex off the neighbour's line by a rounding error, gaps, overlaps, the
city's outer edge — stays unmatched and goes to the exact ``ST_Relate`` check in PostGIS.

PostGIS 3.4 has ``ST_CoverageInvalidEdges`` for this; this machine's 3.3 does not, so the
matching runs here on the coordinates (NumPy: hash, sort, prefix sums; measured in
docs/datahub.md), read from PostGIS as raw WKB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
import shapely
from django.db import connection
from numpy.typing import NDArray
from psycopg import sql

from miasto.core.db import fetch_one
from miasto.datahub.selectors import table_sql

#: features read per query (one ``bytea`` of their coordinates each)
CHUNK = 500_000

#: above this many vertices the layer is not matched here (at its peak the matching holds
#: ≈ 200 bytes a vertex: 4 GB at this cap; the large demo city has 4.9 M); the overlap check
#: then tests every pair in PostGIS instead
MAX_VERTICES = 20_000_000


class TooLarge(Exception):
    """The layer has more than :data:`MAX_VERTICES` vertices."""


#: the geometries whose WKB is one ring right after a fixed header: a one-part MultiPolygon
#: (22 bytes) or a Polygon (13 bytes) without holes — nearly every parcel
_SIMPLE = sql.SQL(
    "GeometryType(t.geom) IN ('POLYGON', 'MULTIPOLYGON') AND ST_NRings(t.geom) = 1 "
    "AND ST_NumGeometries(t.geom) = 1"
)
#: one-ring polygons of a range of features: their coordinates only (the WKB minus its header),
#: as three ``bytea`` aggregates (feature ids, coordinate byte lengths, coordinates)
_SIMPLE_RINGS = sql.SQL(
    "SELECT string_agg(int8send(fid::bigint), ''::bytea), "
    "string_agg(int4send(octet_length(c)), ''::bytea), string_agg(c, ''::bytea) "
    "FROM (SELECT t.fid, substring(ST_AsBinary(t.geom, 'NDR') FROM CASE WHEN "
    "GeometryType(t.geom) = 'MULTIPOLYGON' THEN 23 ELSE 14 END) c "
    "FROM {table} t WHERE {where} AND t.fid >= %s AND t.fid < %s AND {simple}) s"
)
#: the other polygons of a range of features (holes, several parts, curves made linear)
_OTHER_POLYGONS = sql.SQL(
    "SELECT t.fid, ST_AsBinary(ST_CurveToLine(t.geom)) FROM {table} t "
    "WHERE {where} AND t.fid >= %s AND t.fid < %s AND NOT ({simple})"
)


@dataclass
class EdgeMatch:
    """The result of :func:`match_edges`.

    ``bad_fid`` and ``bad_xy`` (``x1, y1, x2, y2``): the unmatched segments and their features.
    The pairs of identical segments (``pair_a``, ``pair_b``: indexes into the segments, whose
    canonical end points are ``lo``/``hi`` and features ``seg_fid``) give the partners.
    """

    features: int
    segments: int
    bad_fid: NDArray[np.int64]
    bad_xy: NDArray[np.float64]
    seg_fid: NDArray[np.int64]
    lo: NDArray[np.float64]  # x0, y0 of each segment (n × 2), the lower end point
    hi: NDArray[np.float64]  # x1, y1
    forward: NDArray[np.bool_]  # drawn from lo to hi
    pair_a: NDArray[np.int64]
    pair_b: NDArray[np.int64]

    def partners(self, fids: NDArray[np.int64]) -> NDArray[np.int64]:
        """Features sharing an identical segment with any of ``fids`` — except where that pair
        is alone on its stretch of an axis-parallel line (checked by a sweep of all the
        segments on the line): a hidden group of overlapping parcels can border a matched
        pair only where a third segment lies on the same stretch (see the module docstring)."""
        sel = np.nonzero(
            np.isin(self.seg_fid[self.pair_a], fids) | np.isin(self.seg_fid[self.pair_b], fids)
        )[0]
        a, b = self.pair_a[sel], self.pair_b[sel]
        alone = np.zeros(len(sel), dtype=bool)
        for axis in (1, 0):  # y = c, then x = c
            along = 1 - axis
            on = self.lo[a, axis] == self.hi[a, axis]
            if not on.any():
                continue
            # every segment on those lines, matched or not
            lines = np.unique(self.lo[a[on], axis])
            same = (self.lo[:, axis] == self.hi[:, axis]) & np.isin(self.lo[:, axis], lines)
            idx = np.nonzero(same)[0]
            strong = np.zeros(len(self.seg_fid), dtype=bool)
            strong[idx] = _swept(
                self.lo[idx, axis], self.lo[idx, along], self.hi[idx, along], self.forward[idx]
            )
            alone |= on & strong[a] & strong[b]
        a, b = a[~alone], b[~alone]
        other = np.concatenate([self.seg_fid[b], self.seg_fid[a]])
        mine = np.concatenate([self.seg_fid[a], self.seg_fid[b]])
        return np.unique(other[np.isin(mine, fids)])


def _read(table: str, where: str) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[Any]]:
    """Rings of the polygons of ``table`` matching ``where``, oriented (exterior CCW, holes CW).

    Returns the feature id of each ring, the coordinates (``n × 2``) and the ring of each
    coordinate."""
    ring_fid: list[NDArray[np.int64]] = []
    coords: list[NDArray[np.float64]] = []
    ring_len: list[NDArray[np.int64]] = []
    names = {"table": table_sql(table), "where": sql.SQL(where), "simple": _SIMPLE}
    span = fetch_one(
        sql.SQL("SELECT min(fid), max(fid) FROM {table} t WHERE {where}").format(**names)
    )
    lo, hi = span if span else (None, None)
    if lo is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros((0, 2)), empty
    # psycopg's own cursor (Django's binds on the client, which cannot fetch binary results):
    # the coordinates arrive as raw bytes
    with psycopg.Cursor(connection.connection) as cur:
        for start in range(lo, hi + 1, CHUNK):
            rng = [start, start + CHUNK]
            cur.execute(_SIMPLE_RINGS.format(**names), rng, binary=True)
            fids, lengths, blob = cur.fetchone()  # type: ignore[misc]  # (aggregates: one row)
            if fids:  # (the numbers as big-endian int4: no Python object per row)
                ring_fid.append(np.frombuffer(fids, dtype=">i8").astype(np.int64))
                ring_len.append(np.frombuffer(lengths, dtype=">i4").astype(np.int64) // 16)
                coords.append(np.frombuffer(blob, dtype="<f8").reshape(-1, 2))
            # the rest (holes, several parts, curves made linear): through shapely
            cur.execute(_OTHER_POLYGONS.format(**names), rng, binary=True)
            rows = cur.fetchall()
            if rows:
                geoms = shapely.orient_polygons(
                    shapely.from_wkb(np.array([r[1] for r in rows], dtype=object))
                )
                fid = np.array([r[0] for r in rows], dtype=np.int64)
                parts, part_of = shapely.get_parts(geoms, return_index=True)
                polygons = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
                parts, part_of = parts[polygons], part_of[polygons]
                rings, ring_of = shapely.get_rings(parts, return_index=True)
                xy, coord_of = shapely.get_coordinates(rings, return_index=True)
                ring_fid.append(fid[part_of[ring_of]])
                ring_len.append(np.bincount(coord_of, minlength=len(rings)).astype(np.int64))
                coords.append(xy)
            if sum(len(c) for c in coords) > MAX_VERTICES:
                raise TooLarge(f"{table}: more than {MAX_VERTICES} vertices")
    if not coords:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros((0, 2)), empty
    lengths_all = np.concatenate(ring_len)
    fids_all = np.concatenate(ring_fid)
    xy_all = np.concatenate(coords)
    ring_of_coord = np.repeat(np.arange(len(lengths_all)), lengths_all)
    return fids_all, xy_all, ring_of_coord


def _hash(*words: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A 64-bit mix of four 64-bit words per row (a collision only leaves a segment
    unmatched, to be checked exactly)."""
    a, b, c, d = words
    h = a * np.uint64(0x9E3779B97F4A7C15)
    h ^= b * np.uint64(0xC2B2AE3D27D4EB4F)
    h ^= c * np.uint64(0x165667B19E3779F9)
    h ^= d * np.uint64(0x27D4EB2F165667C5)
    h ^= h >> np.uint64(31)
    return h


def match_edges(table: str, where: str = "TRUE") -> EdgeMatch:
    """Match the edges of the (valid, non-empty) polygons of ``table`` selected by ``where``
    (SQL over ``t``); see the module docstring."""
    with np.errstate(over="ignore"):
        return _match(*_read(table, where))


def _match(ring_fid: NDArray[np.int64], xy: NDArray[np.float64], ring: NDArray[Any]) -> EdgeMatch:
    x, y = np.ascontiguousarray(xy[:, 0]) + 0.0, np.ascontiguousarray(xy[:, 1]) + 0.0
    # (+ 0.0: -0.0 becomes 0.0, so that equal coordinates have equal bits)
    # segments: consecutive coordinates of a ring, zero-length ones dropped
    i = np.nonzero(ring[1:] == ring[:-1])[0]
    i = i[(x[i] != x[i + 1]) | (y[i] != y[i + 1])]
    seg_ring = ring[i]
    # orientation: one-ring polygons may come clockwise (shapely oriented the others, and a
    # hole is never alone in its ring list): flip the rings whose signed area is negative
    # (the shoelace sum taken from the ring's first vertex, for precision)
    o = np.searchsorted(ring, np.arange(len(ring_fid)))[seg_ring]
    ax, ay, bx, by = x[i] - x[o], y[i] - y[o], x[i + 1] - x[o], y[i + 1] - y[o]
    area2 = np.bincount(seg_ring, weights=ax * by - bx * ay, minlength=len(ring_fid))
    first_ring = np.ones(len(ring_fid), dtype=bool)
    first_ring[1:] = ring_fid[1:] != ring_fid[:-1]
    alone = first_ring.copy()
    alone[:-1] &= first_ring[1:]  # the only ring of its feature
    flip = (alone & (area2 < 0))[seg_ring]
    start = np.where(flip, i + 1, i)
    end = np.where(flip, i, i + 1)
    seg_fid = ring_fid[seg_ring]
    n = len(i)

    # canonical (lower end first) and the direction
    swap = (x[start] > x[end]) | ((x[start] == x[end]) & (y[start] > y[end]))
    lo = np.where(swap, end, start)
    hi = np.where(swap, start, end)
    x0, y0, x1, y1 = x[lo], y[lo], x[hi], y[hi]
    # identical pairs: exactly two segments with this hash, equal, opposite directions, two
    # features (a collision only leaves segments unmatched)
    h = _hash(x0.view(np.uint64), y0.view(np.uint64), x1.view(np.uint64), y1.view(np.uint64))
    order = np.argsort(h)
    hs = h[order]
    run_start = np.ones(n, dtype=bool)
    run_start[1:] = hs[1:] != hs[:-1]
    run_id = np.cumsum(run_start) - 1
    first = np.nonzero(run_start & (np.bincount(run_id)[run_id] == 2))[0]
    i0, i1 = order[first], order[first + 1]
    ok = (
        (x0[i0] == x0[i1])
        & (y0[i0] == y0[i1])
        & (x1[i0] == x1[i1])
        & (y1[i0] == y1[i1])
        & (swap[i0] != swap[i1])
        & (seg_fid[i0] != seg_fid[i1])
    )
    i0, i1 = i0[ok], i1[ok]
    matched = np.zeros(n, dtype=bool)
    matched[i0] = True
    matched[i1] = True

    # axis-parallel leftovers: sweep each line (y = c, then x = c)
    rest = np.nonzero(~matched)[0]
    for line, along in ((y0, x0), (x0, y0)):
        other = y1 if line is y0 else x1
        on = rest[line[rest] == other[rest]]
        end_along = x1 if along is x0 else y1
        matched[on[_swept(line[on], along[on], end_along[on], ~swap[on])]] = True

    bad = np.nonzero(~matched)[0]
    return EdgeMatch(
        features=int(first_ring.sum()),
        segments=n,
        bad_fid=seg_fid[bad],
        bad_xy=np.stack([x[start[bad]], y[start[bad]], x[end[bad]], y[end[bad]]], axis=1),
        seg_fid=seg_fid,
        lo=np.stack([x0, y0], axis=1),
        hi=np.stack([x1, y1], axis=1),
        forward=~swap,
        pair_a=i0,
        pair_b=i1,
    )


def _swept(
    line: NDArray[np.float64],
    s0: NDArray[np.float64],
    s1: NDArray[np.float64],
    forward: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Which segments ``[s0, s1]`` on the lines ``line`` are covered, along all their length,
    by exactly one segment in each direction (``forward``: from ``s0`` to ``s1``)."""
    k = len(line)
    if not k:
        return np.zeros(0, dtype=bool)
    # ranks of the end points among all (line, position) pairs: the segments of one line
    # occupy one range of ranks (no segment spans two lines)
    lines = np.concatenate([line, line])
    pos = np.concatenate([s0, s1])
    order = np.lexsort((pos, lines))
    lo, po = lines[order], pos[order]
    new = np.ones(2 * k, dtype=bool)
    new[1:] = (lo[1:] != lo[:-1]) | (po[1:] != po[:-1])
    rank = np.empty(2 * k, dtype=np.int64)
    rank[order] = np.cumsum(new) - 1
    r0, r1 = rank[:k], rank[k:]
    m = int(new.sum()) + 1
    # how many segments of each direction cover each stretch between consecutive ranks
    wrong = np.zeros(m, dtype=bool)
    for d in (forward, ~forward):
        cover = np.cumsum(np.bincount(r0[d], minlength=m) - np.bincount(r1[d], minlength=m))
        wrong |= cover != 1
    wrong_before = np.concatenate([[0], np.cumsum(wrong)])
    return np.asarray(wrong_before[r1] - wrong_before[r0] == 0)
