"""Parcel overlaps and gaps (see docs/datahub.md, "Parcel overlaps", and
:mod:`miasto.datahub.coverage`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from psycopg import sql

from miasto.core.db import copy_rows, execute, fetch_all, fetch_value, load_sql, run_beside
from miasto.datahub import coverage
from miasto.datahub.quality.pieces import Parts, build_pieces, parts
from miasto.datahub.quality.tables import LIVE_TEXT, drop, ident

SRID = settings.MIASTO_SRID

#: candidate pairs above this many are tested in two halves side by side (below, a second
#: connection costs more than it saves)
SPLIT_PAIRS = 2000

_A, _B = sql.SQL("a"), sql.SQL("b")


def start_edge_match(table: str) -> Future[coverage.EdgeMatch] | None:
    """Run :func:`coverage.match_edges` on ``table`` beside the checks (a thread with its own
    connection; ``None`` inside a transaction: the overlap check matches the edges itself)."""
    return run_beside(lambda: coverage.match_edges(table, LIVE_TEXT), "edge-match")


@dataclass(frozen=True)
class OverlapCheck:
    """What the overlap check of a parcel layer is given.

    ``broken``: a geometry stayed invalid after repair (every pair whose boxes meet is then
    tested). ``changed``: the number of fids in ``<table>_changed``, the geometries not found in
    an overlap-free baseline — only the pairs of those and of the duplicated geometries
    ``dups`` (two copies of one baseline geometry overlap each other) are then tested.
    ``edges``: the edge matching started beside the checks (:func:`start_edge_match`)."""

    table: str
    tolerance: float
    total: int
    limit: int
    broken: bool = False
    changed: int | None = None
    dups: tuple[int, ...] = ()
    edges: Future[coverage.EdgeMatch] | None = None

    @property
    def pieces(self) -> str:
        return f"{self.table}_pieces"


def _mode(check: OverlapCheck) -> tuple[str, coverage.EdgeMatch | None]:
    """How the pairs are found: ``full``, ``changed`` or ``edges`` (with the edges matched)."""
    if check.broken:
        return "full", None
    if check.changed is not None:
        return "changed", None
    match = None
    # too big to match in memory (TooLarge): every pair, in PostGIS
    with suppress(coverage.TooLarge):
        if check.edges:
            match = check.edges.result()
        else:
            match = coverage.match_edges(check.table, LIVE_TEXT)
    return ("full" if match is None else "edges"), match


def _changed_fids(check: OverlapCheck) -> list[int]:
    """The changed features and the duplicated ones, whose pairs are tested."""
    changed = fetch_all(sql.SQL("SELECT fid FROM {}").format(ident(check.table, "_changed")))
    return sorted({int(r[0]) for r in changed} | set(check.dups))


def _find_pairs(
    check: OverlapCheck, mode: str, match: coverage.EdgeMatch | None, todo: list[int]
) -> tuple[Parts, int]:
    """Fill ``_pairs`` with the pairs of features whose interiors meet; the parts they were
    tested on and how many features had all their pairs tested."""
    # (changed: only the big polygons near the changed ones are cut; the others, whole, are
    # slower to relate but never met)
    build_pieces(
        check.table,
        check.pieces,
        big_only=mode != "full",
        near=todo if mode == "changed" else None,
    )
    on = parts(check.table, check.pieces, big_only=mode != "full")
    if mode == "full":
        full_pairs(check.pieces)
        return on, check.total
    if mode == "changed":
        if todo:
            copy_rows("COPY _pairs FROM STDIN", pairs_of(on, todo))
        return on, len(todo)
    assert match is not None
    return on, edge_pairs(on, match)


def _overlap_areas(on: Parts, tolerance: float) -> None:
    """``_overlaps``: the pairs of ``_pairs`` with the area of their overlap, where it is above
    ``tolerance`` (summed over the parts whose interiors meet)."""
    drop(sql.Identifier("_overlaps"))
    execute("ANALYZE _pairs")
    driver, other = on.driver(sql.SQL("p.a"), sql.SQL("p.b"))
    execute(
        sql.SQL(
            "CREATE TEMP TABLE _overlaps AS SELECT p.a, p.b, o.area FROM _pairs p "
            "CROSS JOIN LATERAL (SELECT {driver} d, {other} o) q "
            "CROSS JOIN LATERAL (SELECT sum(ST_Area(miasto_intersection(x.geom, y.geom))) area "
            "FROM {parts} x JOIN {parts} y ON y.geom && x.geom AND y.fid + 0 = q.o "
            "AND {keep_y} AND miasto_relate(x.geom, y.geom, '2********') "
            "WHERE x.fid = q.d AND {keep_x}) o WHERE o.area > %s"
        ).format(
            driver=driver,
            other=other,
            parts=on.union,
            keep_y=on.keep("y"),
            keep_x=on.keep("x"),
        ),
        [tolerance],
    )


def overlaps(check: OverlapCheck) -> dict[str, Any]:
    """Pairs of parcels overlapping by more than the tolerance (exact count, capped list).

    The pairs are tested on pieces (:func:`~miasto.datahub.quality.pieces.build_pieces`).
    Unless a geometry stayed invalid (``broken``): with ``changed``, only the pairs of the
    changed and duplicated features; else the pairs near edges that do not match a neighbour's
    and those of parcels found overlapping (``edges``, matched by the future ``edges`` if
    started; :mod:`miasto.datahub.coverage` says why that finds every overlapping pair);
    otherwise every pair whose boxes meet is tested.
    """
    drop(sql.Identifier("_pairs"))
    execute("CREATE TEMP TABLE _pairs (a integer, b integer)")
    mode, match = _mode(check)
    todo = _changed_fids(check) if mode == "changed" else []
    on, checked = _find_pairs(check, mode, match, todo)
    _overlap_areas(on, check.tolerance)
    execute(sql.SQL("DROP TABLE {}").format(ident(check.pieces)))
    drop(sql.Identifier("_bigfid"))
    n_ov = fetch_value("SELECT count(*) FROM _overlaps")
    ov_items = fetch_all(
        sql.SQL(
            "SELECT a, b, round(area::numeric, 2) FROM _overlaps ORDER BY area DESC, a, b LIMIT {}"
        ).format(sql.Literal(check.limit))
    )
    execute("DROP TABLE _overlaps")
    execute("DROP TABLE _pairs")
    return {
        "count": n_ov,
        "tolerance_m2": check.tolerance,
        "mode": mode,
        "checked_features": checked,
        "items": [{"a": a, "b": b, "area": float(ar)} for a, b, ar in ov_items],
    }


def full_pairs(pieces: str) -> None:
    """Fill ``_pairs`` with every pair of features whose pieces' interiors meet."""
    execute(sql.SQL(load_sql("miasto.datahub", "quality_full_pairs")).format(pieces=ident(pieces)))


def _unmatched_segments(match: coverage.EdgeMatch) -> None:
    """``_bseg``: the unmatched edges of ``match``, as line segments."""
    drop(sql.Identifier("_bseg"))
    execute("CREATE TEMP TABLE _bseg (fid integer, x1 float8, y1 float8, x2 float8, y2 float8)")
    copy_rows(
        "COPY _bseg FROM STDIN",
        zip(match.bad_fid.tolist(), *match.bad_xy.T.tolist(), strict=True),
    )
    execute(
        sql.SQL(
            "ALTER TABLE _bseg ADD COLUMN seg geometry(LineString, {srid}) GENERATED ALWAYS AS "
            "(ST_SetSRID(ST_MakeLine(ST_MakePoint(x1, y1), ST_MakePoint(x2, y2)), {srid})) STORED"
        ).format(srid=sql.Literal(SRID))
    )
    execute("ANALYZE _bseg")


def _near_segments(on: Parts) -> sql.Composable:
    """SELECT a, b: the features whose parts' boxes meet near an unmatched edge (LATERAL keeps
    the plan an index probe per segment, whatever the estimates; ``+ 0``: the GiST index finds
    the parts near the segment, not the fid index all the pieces of a road)."""
    return sql.SQL(
        "SELECT DISTINCT LEAST(a.fid, b.fid) a, "
        "GREATEST(a.fid, b.fid) b FROM _bseg s CROSS JOIN LATERAL (SELECT a.fid, a.geom "
        "FROM {parts} a WHERE a.geom && s.seg AND a.fid + 0 = s.fid AND {keep_a}) a "
        "CROSS JOIN LATERAL (SELECT b.fid FROM {parts} b WHERE b.geom && s.seg "
        "AND b.fid <> s.fid AND {keep_b} AND a.geom && b.geom) b"
    ).format(parts=on.union, keep_a=on.keep("a"), keep_b=on.keep("b"))


def _grow(on: Parts, match: coverage.EdgeMatch, found: set[tuple[int, int]]) -> set[int]:
    """From the pairs ``found``, test all the pairs of the overlapping features and of their
    partners, until nothing new is found (new pairs go into ``_pairs`` and ``found``); the
    features whose pairs were all tested."""
    done: set[int] = set()
    frontier = {f for pair in found for f in pair}
    while frontier:
        todo = frontier | set(match.partners(np.fromiter(frontier, dtype=np.int64)).tolist())
        todo -= done
        if not todo:
            break
        new = pairs_of(on, todo)
        done |= todo
        # (a pair with a feature done before was found then, from that feature)
        fresh = [(a, b) for a, b in new if (a, b) not in found]
        found.update(fresh)
        if fresh:
            copy_rows("COPY _pairs FROM STDIN", fresh)
        frontier = {f for pair in fresh for f in pair} - done
    return done


def edge_pairs(on: Parts, match: coverage.EdgeMatch) -> int:
    """Fill ``_pairs`` with every pair of features whose interiors meet, testing only the
    pairs near the unmatched edges of ``match`` and, growing from what is found, all the
    pairs of the overlapping features and of their partners (see
    :mod:`miasto.datahub.coverage`). Returns how many features had all their pairs tested."""
    _unmatched_segments(match)
    meeting = _meeting(on, _near_segments(on))
    if meeting:
        copy_rows("COPY _pairs FROM STDIN", meeting)
    execute("DROP TABLE _bseg")
    found = {(int(a), int(b)) for a, b in fetch_all("SELECT a, b FROM _pairs")}
    done = _grow(on, match, found)
    return len(done | set(match.bad_fid.tolist()))


def pairs_of(on: Parts, fids: Collection[int]) -> list[tuple[int, int]]:
    """Every pair (a < b) of a feature of ``fids`` with another whose interiors meet."""
    drop(sql.Identifier("_todo"))
    execute("CREATE TEMP TABLE _todo (fid integer PRIMARY KEY)")
    copy_rows("COPY _todo FROM STDIN", ((f,) for f in sorted(fids)))
    # their parts first, counted (ANALYZE): estimated from the pieces, the join looked as big
    # as the layer and the planner paired the whole layer instead
    drop(sql.Identifier("_todo_parts"))
    execute(
        sql.SQL(
            "CREATE TEMP TABLE _todo_parts AS SELECT a.fid, a.geom FROM _todo c "
            "JOIN {} a ON a.fid = c.fid AND {}"
        ).format(on.union, on.keep("a"))
    )
    execute("ANALYZE _todo_parts")
    pairs = _meeting(
        on,
        sql.SQL(
            "SELECT DISTINCT LEAST(a.fid, b.fid) a, "
            "GREATEST(a.fid, b.fid) b FROM _todo_parts a CROSS JOIN LATERAL (SELECT b.fid "
            "FROM {} b WHERE b.geom && a.geom AND b.fid <> a.fid "
            "AND {}) b"
        ).format(on.union, on.keep("b")),
    )
    for name in ("_todo", "_todo_parts"):
        execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)))
    return pairs


def _pairs(rows: Iterable[tuple[Any, ...]]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in rows]


def _meeting(on: Parts, candidates: sql.Composable) -> list[tuple[int, int]]:
    """The pairs ``a, b`` of the SELECT ``candidates`` whose interiors meet
    (:func:`interiors_meet`), tested in two halves side by side (the other half on a
    connection of its own: ``ST_Relate`` is most of the work, and one core would idle)."""
    cand = ident(on.table, "_cand")  # (a table of the data schema: the other connection sees it)
    drop(cand)
    # (numbered: the halves by fid were uneven, the changed parcels' fids often alike)
    execute(
        sql.SQL("CREATE UNLOGGED TABLE {} AS SELECT row_number() OVER () n, * FROM ({}) x").format(
            cand, candidates
        )
    )
    execute(sql.SQL("ANALYZE {}").format(cand))
    try:
        test = sql.SQL("SELECT a, b FROM {} c WHERE {}").format(cand, interiors_meet(on, "c"))
        many = fetch_value(sql.SQL("SELECT count(*) FROM {}").format(cand)) >= SPLIT_PAIRS
        odd = sql.SQL("{} AND c.n %% 2 = 1").format(test)
        other = run_beside(lambda: fetch_all(odd), "pairs") if many else None
        if other is None:
            return _pairs(fetch_all(test))
        even = sql.SQL("{} AND c.n %% 2 = 0").format(test)
        return _pairs(fetch_all(even) + other.result())
    finally:
        execute(sql.SQL("DROP TABLE {}").format(cand))


def interiors_meet(on: Parts, c: str) -> sql.Composable:
    """SQL condition: the interiors of features ``{c}.a`` and ``{c}.b`` meet (``ST_Relate`` on
    their parts whose boxes meet), driven as :meth:`Parts.driver` says: the driver's part is
    related to the other feature's row (by key) or, if that one is cut, to its pieces near it
    (``+ 0``: through the GiST index). ``OFFSET 0`` keeps the outer ``EXISTS`` a subplan run
    per pair, finding the driver's parts by key: made a semi-join, it hashed the whole layer
    for a few pairs."""
    driver, other = on.driver(sql.Identifier(c, "a"), sql.Identifier(c, "b"))
    return sql.SQL(
        "EXISTS (SELECT 1 FROM {parts} x WHERE x.fid = {driver} AND {keep_x} "
        "AND EXISTS (SELECT 1 FROM {table} y WHERE y.fid = {other} "
        "AND NOT {other_big} AND y.geom::geometry && x.geom "
        "AND miasto_relate(x.geom, y.geom::geometry, '2********') "
        "UNION ALL SELECT 1 FROM {pieces} y WHERE y.geom && x.geom "
        "AND y.fid + 0 = {other} AND miasto_relate(x.geom, y.geom, '2********')) OFFSET 0)"
    ).format(
        parts=on.union,
        driver=driver,
        keep_x=on.keep("x"),
        table=ident(on.table),
        other=other,
        other_big=on.is_big(other),
        pieces=ident(on.pieces),
    )


def gaps(table: str, tolerance: float, limit: int) -> dict[str, Any]:
    """The gaps between the parcels of ``table`` above ``tolerance`` m² (exact count, capped
    list): the holes of their union."""
    query = sql.SQL(load_sql("miasto.datahub", "quality_gaps")).format(table=ident(table))
    found = fetch_all(query, [tolerance])
    return {
        "count": len(found),
        "tolerance_m2": tolerance,
        "items": [
            {"area": float(a), "x": round(x, 2), "y": round(y, 2)} for a, x, y in found[:limit]
        ],
    }
