"""Duplicate keys and duplicate geometries of a version's table."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from miasto.core.db import execute, fetch_all, fetch_value
from miasto.datahub.quality.tables import LIVE, drop, ident, set_batch_work_mem, sorted_groups

_DUPGEOM = sql.Identifier("_dupgeom")


def key_list(keys: list[str], alias: str = "t") -> sql.Composable:
    """SQL: the key columns ``keys`` of ``alias``, comma-separated."""
    return sql.SQL(", ").join(sql.Identifier(alias, k) for k in keys)


def any_repeated(table: str, keys: list[str]) -> bool:
    """Does any value of the key columns ``keys`` occur twice in ``table``? Sorted as bytes
    (``COLLATE "C"``): sorting every key of the layer in the collation costs far more."""
    set_batch_work_mem()
    grouped = sql.SQL(", ").join(
        sql.SQL('{}::text COLLATE "C"').format(sql.Identifier("t", k)) for k in keys
    )
    query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {} t GROUP BY {} HAVING count(*) > 1)").format(
        ident(table), grouped
    )
    with sorted_groups():
        return bool(fetch_value(query))


def duplicate_keys(table: str, keys: list[str]) -> list[tuple[Any, ...]]:
    """``(key, [fids])`` of every key value of ``table`` held by more than one feature."""
    kcols = key_list(keys)
    return fetch_all(
        sql.SQL(
            "SELECT concat_ws(' / ', {kcols}), array_agg(t.fid ORDER BY t.fid) "
            "FROM {table} t GROUP BY {kcols} HAVING count(*) > 1 ORDER BY 1"
        ).format(kcols=kcols, table=ident(table))
    )


def duplicate_keys_report(
    key_columns: list[str], groups: list[tuple[Any, ...]], limit: int
) -> dict[str, Any]:
    return {
        "columns": key_columns,
        "count": sum(len(g[1]) - 1 for g in groups),
        "groups": len(groups),
        "items": [{"key": k, "fids": f[:10]} for k, f in groups[:limit]],
    }


def _from_changed(table: str) -> None:
    """``_dupgeom``: the changed features with a copy, and their copies (found through the
    GiST index: ``~=``, equal boxes; ``+ 0``: not through the key's)."""
    execute(
        sql.SQL(
            "CREATE TEMP TABLE _dupgeom AS SELECT DISTINCT unnest(ARRAY[x.fid, y.fid]) fid "
            "FROM {changed} c JOIN {table} x USING (fid) JOIN {table} y "
            "ON y.geom ~= x.geom AND y.geom = x.geom AND y.fid + 0 <> x.fid"
        ).format(changed=ident(table, "_changed"), table=ident(table))
    )


def _from_hashes(table: str) -> bool:
    """``_dupgeom``: the features whose geometry's hash is repeated; ``False`` (no table)
    where none is."""
    with sorted_groups():
        hashes = fetch_value(
            sql.SQL(
                "SELECT array_agg(h) FROM (SELECT geometry_hash(t.geom) h FROM {} t "
                "WHERE {} GROUP BY 1 HAVING count(*) > 1) d"
            ).format(ident(table), LIVE)
        )
    if not hashes:
        return False
    execute(
        sql.SQL(
            "CREATE TEMP TABLE _dupgeom AS SELECT t.fid FROM {} t WHERE {} "
            "AND geometry_hash(t.geom) = ANY (%s)"
        ).format(ident(table), LIVE),
        [hashes],
    )
    return True


def duplicate_geometries(table: str, from_changed: bool) -> list[tuple[Any, ...]]:
    """Groups (``[fids]``) of the features of ``table`` sharing one geometry: candidates by
    PostGIS's hash of the SRID, type and coordinates (the EWKB's content), groups by the EWKB
    itself.

    ``from_changed``: only the geometries of the changed features (``<table>_changed``) are
    looked for elsewhere in the table — enough when the baseline held no geometry twice and a
    feature counts as unchanged only with its geometry and key found together there, unless a
    key is repeated (the caller looks again then). A group of unchanged features would have
    matched one baseline feature each, all the same one (it held no geometry twice), so they
    would share its key."""
    drop(_DUPGEOM)
    if from_changed:
        _from_changed(table)
    elif not _from_hashes(table):
        return []
    execute("ANALYZE _dupgeom")
    groups = fetch_all(
        sql.SQL(
            "SELECT array_agg(t.fid ORDER BY t.fid) FROM {} t JOIN _dupgeom USING (fid) "
            "GROUP BY ST_AsEWKB(t.geom) HAVING count(*) > 1 ORDER BY 1"
        ).format(ident(table))
    )
    execute("DROP TABLE _dupgeom")
    return groups


def duplicates_report(groups: list[tuple[Any, ...]], limit: int) -> dict[str, Any]:
    return {
        "count": sum(len(g[0]) - 1 for g in groups),
        "groups": len(groups),
        "items": [g[0][:10] for g in groups[:limit]],
    }
