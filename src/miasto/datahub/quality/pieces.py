"""The parts the overlap check tests pairs on: small geometries whole, big ones in pieces.

Pairs are tested on pieces: a road parcel of a whole precinct has thousands of vertices (and
holes) and its box meets hundreds of lots, so whole geometries cost a slow ``ST_Relate`` each.
The box columns kept with each piece make the prefilter arithmetic instead of four box
computations per candidate pair. The pieces table is an UNLOGGED table of the data schema, not
a temporary one, so that the self-join can run on parallel workers (temporary tables are
invisible to them). See docs/datahub.md, "Quality checks: why the queries are shaped as they
are".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from psycopg import sql

from miasto.core.db import copy_rows, execute, fetch_all, fetch_value
from miasto.datahub.quality.tables import LIVE, drop, ident

#: polygons above this many vertices are cut into pieces
PIECE_VERTICES = 64

#: the bounding box columns of a piece ``g``
_BOX = sql.SQL("ST_XMin(g) x0, ST_YMin(g) y0, ST_XMax(g) x1, ST_YMax(g) y1")
_BIGFID, _NEAR, _REUSE, _CUT, _BADCUT = map(
    sql.Identifier, ("_bigfid", "_near", "_reuse", "_cut", "_badcut")
)


def _mark_big(table: str, near: Collection[int] | None) -> None:
    """``_bigfid``: the fids of the geometries of ``table`` to cut (above
    :data:`PIECE_VERTICES` vertices; with ``near``, only those whose box meets the box of one
    of those fids)."""
    drop(_BIGFID)
    big_where: sql.Composable = sql.SQL("{} AND ST_NPoints(t.geom) > {}").format(
        LIVE, sql.Literal(PIECE_VERTICES)
    )
    if near is not None and not near:
        big_where = sql.SQL("FALSE")
    elif near is not None:
        # (a scan: found from the near ones through the GiST index, the big ones' boxes would
        # meet thousands of them, each detoasting a big geometry)
        drop(_NEAR)
        execute("CREATE TEMP TABLE _near (fid integer PRIMARY KEY)")
        copy_rows("COPY _near FROM STDIN", ((f,) for f in sorted(near)))
        execute("ANALYZE _near")
        big_where = sql.SQL(
            "{} AND EXISTS (SELECT 1 FROM _near n JOIN {} x USING (fid) WHERE x.geom && t.geom)"
        ).format(big_where, ident(table))
    execute(
        sql.SQL("CREATE TEMP TABLE _bigfid AS SELECT t.fid FROM {} t WHERE {}").format(
            ident(table), big_where
        )
    )
    if near:
        execute("DROP TABLE _near")
    execute("ALTER TABLE _bigfid ADD PRIMARY KEY (fid)")


def _whole(table: str, pieces: str, *, big_only: bool) -> None:
    """Make ``pieces`` — with, unless ``big_only``, the non-empty geometries not to cut, whole."""
    drop(ident(pieces))
    execute(
        sql.SQL(
            "CREATE UNLOGGED TABLE {pieces} AS SELECT fid, g::geometry geom, {box}, false big "
            "FROM (SELECT t.fid, t.geom g FROM {table} t WHERE {all} AND t.geom IS NOT NULL "
            "AND NOT ST_IsEmpty(t.geom) AND t.fid NOT IN (SELECT fid FROM _bigfid)) s"
        ).format(
            pieces=ident(pieces),
            box=_BOX,
            table=ident(table),
            all=sql.SQL("FALSE" if big_only else "TRUE"),
        )
    )


def _reuse_spine_pieces(table: str, pieces: str) -> None:
    """``_reuse``: the big geometries the spine holds as they are, with the parcel's id; their
    pieces, kept by the spine's triggers (≤ 128 vertices, ``ST_Subdivide``), go into
    ``pieces`` as they are — no cutting."""
    drop(_REUSE)
    execute(
        sql.SQL(
            "CREATE TEMP TABLE _reuse AS SELECT b.fid, p.id pid FROM _bigfid b JOIN {} t "
            "USING (fid) CROSS JOIN LATERAL (SELECT p.id FROM territory_parcel p "
            "WHERE p.geom ~= t.geom AND p.geom = t.geom::geometry AND EXISTS (SELECT 1 "
            "FROM territory_parcel_piece pp WHERE pp.parcel_id = p.id) ORDER BY p.id LIMIT 1) p"
        ).format(ident(table))
    )
    execute(
        sql.SQL(
            "INSERT INTO {} SELECT fid, g, {}, true FROM (SELECT r.fid, pp.geom g "
            "FROM _reuse r JOIN territory_parcel_piece pp ON pp.parcel_id = r.pid) z"
        ).format(ident(pieces), _BOX)
    )


def _to_cut(table: str) -> sql.Composable:
    """SELECT fid, g: the big geometries of ``table`` whose pieces the spine does not hold."""
    return sql.SQL(
        "SELECT t.fid, t.geom g FROM {} t JOIN _bigfid USING (fid) "
        "WHERE t.fid NOT IN (SELECT fid FROM _reuse)"
    ).format(ident(table))


def grid_cut(source: sql.Composable, vertices: int) -> sql.Composable:
    """SELECT fid, g: each geometry of ``source`` (fid, g) clipped to the cells of a square
    grid holding about ``vertices`` vertices each on average."""
    return sql.SQL(
        "SELECT fid, g FROM (SELECT s.fid, ST_CollectionExtract(ST_ClipByBox2D(s.g, "
        "c.geom), 3) g FROM ({source}) s, ST_SquareGrid(GREATEST(sqrt((ST_XMax(s.g) - "
        "ST_XMin(s.g)) * (ST_YMax(s.g) - ST_YMin(s.g)) * {n} / ST_NPoints(s.g)), "
        "GREATEST(ST_XMax(s.g) - ST_XMin(s.g), ST_YMax(s.g) - ST_YMin(s.g)) / 256, 0.01), s.g) c "
        "WHERE c.geom && s.g) x WHERE NOT ST_IsEmpty(g)"
    ).format(source=source, n=sql.Literal(vertices))


def _cut_on_grid(table: str, pieces: str) -> None:
    """Cut the big geometries on a square grid with ``ST_ClipByBox2D``, in two steps (≈1024,
    then ≈:data:`PIECE_VERTICES` vertices a cell on average): ``ST_Subdivide`` clips with a
    full overlay at every level, many times slower on polygons with thousands of holes."""
    drop(_CUT)
    execute(sql.SQL("CREATE TEMP TABLE _cut AS {}").format(grid_cut(_to_cut(table), 1024)))
    cut = grid_cut(sql.SQL("SELECT fid, g FROM _cut"), PIECE_VERTICES)
    execute(
        sql.SQL("INSERT INTO {} SELECT fid, g, {}, true FROM ({}) z").format(
            ident(pieces), _BOX, cut
        )
    )
    execute("DROP TABLE _cut")


def _recut_bad(table: str, pieces: str) -> None:
    """A rectangle clip may in rare cases return an invalid piece or lose area: such a
    geometry is cut by ``ST_Subdivide`` instead."""
    execute(
        sql.SQL(
            "CREATE TEMP TABLE _badcut AS SELECT b.fid FROM ({big}) b LEFT JOIN (SELECT fid, "
            "bool_and(ST_IsValid(geom)) valid, sum(ST_Area(geom)) area FROM {pieces} WHERE big "
            "GROUP BY fid) p USING (fid) WHERE p.fid IS NULL OR NOT p.valid "
            "OR abs(p.area - ST_Area(b.g)) > 1e-9 * ST_Area(b.g) + 1e-6"
        ).format(big=_to_cut(table), pieces=ident(pieces))
    )
    if fetch_value("SELECT count(*) FROM _badcut"):
        execute(
            sql.SQL("DELETE FROM {} WHERE fid IN (SELECT fid FROM _badcut)").format(ident(pieces))
        )
        execute(
            sql.SQL(
                "INSERT INTO {pieces} SELECT fid, g, {box}, true FROM (SELECT t.fid, "
                "ST_Subdivide(t.geom, {n}) g FROM {table} t "
                "WHERE t.fid IN (SELECT fid FROM _badcut)) s"
            ).format(
                pieces=ident(pieces),
                box=_BOX,
                n=sql.Literal(PIECE_VERTICES),
                table=ident(table),
            )
        )
    execute("DROP TABLE _badcut")


def build_pieces(
    table: str, pieces: str, *, big_only: bool, near: Collection[int] | None = None
) -> None:
    """``pieces`` (fid, geom, box x0 y0 x1 y1, big): the geometries of ``table`` above
    :data:`PIECE_VERTICES` vertices cut into pieces — and, unless ``big_only``, the other
    non-empty geometries whole — with a GiST index; ``_bigfid``: the fids of those cut.
    With ``near``, only the big geometries whose box meets the box of one of those fids are cut.
    """
    _mark_big(table, near)
    _whole(table, pieces, big_only=big_only)
    _reuse_spine_pieces(table, pieces)
    _cut_on_grid(table, pieces)
    _recut_bad(table, pieces)
    execute("DROP TABLE _reuse")
    execute(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(ident(pieces)))
    execute(sql.SQL("CREATE INDEX ON {} (fid)").format(ident(pieces)))
    execute(sql.SQL("ANALYZE {}").format(ident(pieces)))


@dataclass(frozen=True)
class Parts:
    """The geometries the pairs are tested on: the small geometries of the version's table
    and the pieces of the big ones (or, in the full check, the pieces table alone).

    ``union`` is a ``UNION ALL`` without ``WHERE`` and with one column type (the cast drops the
    typmod): only such a union is flattened by the planner, so that a join probes both GiST
    indexes from each outer row — otherwise it scanned the whole table per row. Hence the
    filter :meth:`keep`, to be put in the join: it drops the whole big geometries, whose
    fids it holds as a constant array (a subquery would block the same flattening).
    """

    union: sql.Composable
    table: str
    pieces: str
    big: str = ""

    def keep(self, alias: str) -> sql.Composable:
        """SQL: the part ``alias`` is kept (a piece, or a geometry not cut)."""
        if not self.big:
            return sql.SQL("TRUE")
        return sql.SQL("({} OR NOT {})").format(
            sql.Identifier(alias, "piece"), self.is_big(sql.Identifier(alias, "fid"))
        )

    def is_big(self, fid: sql.Composable) -> sql.Composable:
        """SQL: the feature ``fid`` is cut into pieces."""
        return sql.SQL("{} = ANY ({}::integer[])").format(
            fid, sql.Literal("{" + (self.big or "0") + "}")
        )

    def driver(self, a: sql.Composable, b: sql.Composable) -> tuple[sql.Composable, sql.Composable]:
        """SQL of (driver, other) of the pair ``a``, ``b``: the driver is one not cut into
        pieces (unless both are), whose one part finds the other's parts through the GiST
        index — not all of a road's hundreds of pieces through the fid index, per lot."""
        return (
            sql.SQL("CASE WHEN {} THEN {} ELSE {} END").format(self.is_big(a), b, a),
            sql.SQL("CASE WHEN {} THEN {} ELSE {} END").format(self.is_big(a), a, b),
        )


def parts(table: str, pieces: str, *, big_only: bool = True) -> Parts:
    """The :class:`Parts` of ``table`` cut into ``pieces`` (by :func:`build_pieces`)."""
    if not big_only:
        union = sql.SQL("(SELECT fid, geom, true piece FROM {})").format(ident(pieces))
        return Parts(union, table, pieces)
    big = ",".join(str(int(r[0])) for r in fetch_all("SELECT fid FROM _bigfid ORDER BY fid"))
    union = sql.SQL(
        "(SELECT t.fid, t.geom::geometry geom, false piece FROM {} t "
        "UNION ALL SELECT fid, geom, true FROM {})"
    ).format(ident(table), ident(pieces))
    return Parts(union, table, pieces, big or "0")
