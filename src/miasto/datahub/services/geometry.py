"""Checks of a loaded staging table's geometry: one geometry family per layer (and the
target's), the rows of a CSV whose geometry could not be read, the version's geometry type."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from miasto.core import db
from miasto.core.jobs import JobError
from miasto.datahub.columns import launder
from miasto.datahub.importers import ImportTarget
from miasto.datahub.services.sources import CsvLayout
from miasto.datahub.services.tables import table_sql

GEOMETRY_FAMILY = {
    "POINT": "POINT",
    "MULTIPOINT": "POINT",
    "LINESTRING": "LINESTRING",
    "MULTILINESTRING": "LINESTRING",
    "POLYGON": "POLYGON",
    "MULTIPOLYGON": "POLYGON",
}
FAMILY_PL = {"POINT": "punktowa", "LINESTRING": "liniowa", "POLYGON": "powierzchniowa"}
PRETTY_TYPES = {
    "POINT": "Point",
    "MULTIPOINT": "MultiPoint",
    "LINESTRING": "LineString",
    "MULTILINESTRING": "MultiLineString",
    "POLYGON": "Polygon",
    "MULTIPOLYGON": "MultiPolygon",
}
_LIVE = sql.SQL("geom IS NOT NULL AND NOT ST_IsEmpty(geom)")


def geometry_families(table: str) -> list[tuple[str | None, int, int]]:
    """(geometry type, count, first fid) of every feature, one scan; ``None``: no geometry or
    an empty one (in a column of one type, its features count as that type)."""
    schema, name = table.split(".")
    declared = (
        db.fetch_value(
            "SELECT upper(type) FROM geometry_columns WHERE f_table_schema = %s "
            "AND f_table_name = %s AND f_geometry_column = 'geom'",
            [schema, name],
        )
        or "GEOMETRY"
    )
    if declared in GEOMETRY_FAMILY:
        # a column of one type (ogr2ogr made it so): no other type can be in it; the count
        # of all features and the first with a geometry (by the primary key) are enough
        row = db.fetch_one(
            sql.SQL("SELECT count(*), (SELECT min(fid) FROM {t} WHERE {live}) FROM {t}").format(
                t=table_sql(table), live=_LIVE
            )
        )
        assert row is not None  # (an aggregate: one row)
        count, first = row
        return [(declared if first is not None else None, count, first)]
    query = sql.SQL(
        "SELECT CASE WHEN {live} THEN upper(GeometryType(geom)) END, count(*), min(fid) "
        "FROM {t} GROUP BY 1 ORDER BY 2 DESC"
    ).format(t=table_sql(table), live=_LIVE)
    return [(gtype, count, first) for gtype, count, first in db.fetch_all(query)]


def check_geometry_types(groups: list[tuple[Any, int, int]], target: ImportTarget) -> str:
    """One geometry family per layer (and the target's); return the dominant type name.

    ``groups``: :func:`geometry_families` of the features that have a geometry."""
    if not groups:
        return ""
    fams: dict[str, tuple[int, int, str]] = {}
    for gtype, count, first in groups:
        fam = GEOMETRY_FAMILY.get(gtype, gtype)
        n, f, t = fams.get(fam, (0, first, gtype))
        fams[fam] = (n + count, min(f, first), t)
    ordered = sorted(fams.items(), key=lambda kv: -kv[1][0])
    if len(ordered) > 1 or ordered[0][0] not in FAMILY_PL:
        main_fam, (main_n, _f, _t) = ordered[0]
        odd_fam, (odd_n, odd_first, odd_type) = ordered[-1] if len(ordered) > 1 else ordered[0]
        raise JobError(
            f"Warstwa ma mieszane typy geometrii: obiekt nr {odd_first} ma geometrię "
            f"{odd_type} ({odd_n} takich obiektów), a {main_n} obiektów — "
            f"{main_fam}. Warstwa musi mieć jeden rodzaj geometrii (punkty, linie albo "
            "powierzchnie); podziel plik na warstwy."
        )
    fam = ordered[0][0]
    if target.geometry and fam != target.geometry:
        raise JobError(
            f"Warstwa „{target.label}” wymaga geometrii {FAMILY_PL[target.geometry]}, a plik "
            f"zawiera geometrię {FAMILY_PL.get(fam, fam)} (np. obiekt nr {ordered[0][1][1]})."
        )
    return str(max(groups, key=lambda g: g[1])[0])


def promote_to_multi(table: str) -> None:
    """Make the polygons and lines of ``table`` multi-part (a spine target's column type)."""
    db.execute(
        sql.SQL(
            "UPDATE {} SET geom = ST_Multi(geom) "
            "WHERE GeometryType(geom) IN ('POLYGON', 'LINESTRING')"
        ).format(table_sql(table))
    )


def pretty_type(gtype: str) -> str:
    return PRETTY_TYPES.get(gtype, gtype.title())


def check_csv_geometry(
    staging: str, layout: CsvLayout, columns: dict[str, str], renamed: dict[str, str]
) -> None:
    """Name the first row whose geometry could not be read, then drop the source columns
    (``renamed``: the header names given a column of their own, :mod:`~miasto.datahub.columns`)."""

    def column(name: str) -> str:
        return renamed.get(name) or launder(name)

    if layout.geom and column(layout.geom) in columns:
        _unread_wkt(staging, column(layout.geom))
    elif layout.x and layout.y:
        cx, cy = column(layout.x), column(layout.y)
        if cx in columns and cy in columns:
            _unread_coordinates(staging, cx, cy)
    kept = [column(c) for c in (layout.geom, layout.x, layout.y) if c]
    present = [c for c in kept if c in columns]
    if present:
        drops = sql.SQL(", ").join(
            sql.SQL("DROP COLUMN {}").format(sql.Identifier(c)) for c in present
        )
        db.execute(sql.SQL("ALTER TABLE {} {}").format(table_sql(staging), drops))
        for c in present:
            columns.pop(c, None)


def _unread_wkt(staging: str, column: str) -> None:
    row = db.fetch_one(
        sql.SQL(
            "SELECT fid, left({c}::text, 80) FROM {t} WHERE geom IS NULL "
            "AND NULLIF(trim({c}::text), '') IS NOT NULL ORDER BY fid LIMIT 1"
        ).format(c=sql.Identifier(column), t=table_sql(staging))
    )
    if row:
        raise JobError(
            f"Błędna geometria WKT w wierszu danych nr {row[0]} (wiersz {row[0] + 1} pliku, "
            f"licząc nagłówek): „{row[1]}” — nie da się jej odczytać."
        )


def _unread_coordinates(staging: str, x: str, y: str) -> None:
    fid = db.fetch_value(
        sql.SQL(
            "SELECT fid FROM {t} WHERE geom IS NULL AND (NULLIF(trim({x}::text), '') IS NOT NULL "
            "OR NULLIF(trim({y}::text), '') IS NOT NULL) ORDER BY fid LIMIT 1"
        ).format(t=table_sql(staging), x=sql.Identifier(x), y=sql.Identifier(y))
    )
    if fid is not None:
        raise JobError(
            f"Błędne współrzędne w wierszu danych nr {fid} (wiersz {fid + 1} "
            "pliku): nie są liczbami."
        )
