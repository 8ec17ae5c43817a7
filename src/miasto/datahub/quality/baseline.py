"""The baseline of a check: an earlier version whose unchanged features need no new test."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from psycopg import sql

from miasto.core.db import execute, fetch_one, fetch_value
from miasto.datahub.quality.tables import drop, ident


@dataclass(frozen=True)
class Baseline:
    """An earlier version (of any dataset) a version is checked against.

    ``table``: its table, whose report found no overlaps (at a tolerance not above this one)
    and no unrepairable geometry, so every geometry there is valid. ``key``: its key column
    when its report found every key valid with today's pattern. ``city``: the city's
    fingerprint when nothing there lay outside the city. ``unique``: no geometry was there
    twice."""

    table: str | None = None
    key: str | None = None
    city: str | None = None
    unique: bool = False


@dataclass(frozen=True)
class SameKey:
    """The key column of the version (``column``) and of the baseline (``previous``): a
    feature counts as unchanged only with its geometry and key found together there."""

    column: str
    previous: str

    def condition(self) -> sql.Composable:
        return sql.SQL(" AND {}::text = {}::text").format(
            sql.Identifier("p", self.previous), sql.Identifier("s", self.column)
        )


_LIVE_S = sql.SQL("s.geom IS NOT NULL AND NOT ST_IsEmpty(s.geom)")


def _diff_and_changed(
    table: str, previous: str, key: sql.Composable, same_columns: Collection[str]
) -> None:
    """``<table>_diff``: the rows not found in ``previous`` with their attributes
    ``same_columns`` too (``moved``: not with their geometry); ``<table>_changed``: the moved
    ones. (One join for both: an overlap-free version holds no geometry twice.)"""
    differ = sql.SQL(" OR ").join(
        sql.SQL("{} IS DISTINCT FROM {}").format(sql.Identifier("p", c), sql.Identifier("s", c))
        for c in same_columns
    )
    execute(
        sql.SQL(
            "CREATE UNLOGGED TABLE {diff} AS SELECT s.fid, p.fid IS NULL AS moved "
            "FROM {table} s LEFT JOIN {previous} p ON p.geom = s.geom{key} "
            "WHERE {live} AND (p.fid IS NULL OR {differ})"
        ).format(
            diff=ident(table, "_diff"),
            table=ident(table),
            previous=ident(previous),
            key=key,
            live=_LIVE_S,
            differ=differ,
        )
    )
    execute(
        sql.SQL("CREATE UNLOGGED TABLE {} AS SELECT fid FROM {} WHERE moved").format(
            ident(table, "_changed"), ident(table, "_diff")
        )
    )


def _changed(table: str, previous: str, key: sql.Composable) -> None:
    """``<table>_changed``: the fids whose geometry (and key) is not in ``previous``."""
    execute(
        sql.SQL(
            "CREATE UNLOGGED TABLE {changed} AS SELECT s.fid FROM {table} s WHERE {live} "
            "AND NOT EXISTS (SELECT 1 FROM {previous} p WHERE p.geom = s.geom{key})"
        ).format(
            changed=ident(table, "_changed"),
            table=ident(table),
            live=_LIVE_S,
            previous=ident(previous),
            key=key,
        )
    )


def changed_features(
    table: str,
    previous_table: str | None,
    same_key: SameKey | None = None,
    same_columns: Collection[str] = (),
) -> int | None:
    """Fill ``<table>_changed`` with the fids whose geometry is not in ``previous_table``
    (with ``same_key``: not there with the same key either). With ``same_columns``
    (attributes of both tables), ``<table>_diff`` lists besides the fids whose row is not in
    ``previous_table`` with those attributes too (for the caller, who drops it; the
    attributes do not matter to the checks).

    Returns their number, or ``None`` (full check) without a usable previous version or when
    more than half of the features changed (the full self-join is then cheaper). An UNLOGGED
    table of the data schema, so that the checks joining it can run on parallel workers.
    PostGIS ``=`` (same coordinates in the same order) makes the comparison a parallel hash
    anti-join.
    """
    changed = ident(table, "_changed")
    drop(changed, ident(table, "_diff"))
    if not previous_table or not fetch_value("SELECT to_regclass(%s)", [previous_table]):
        return None
    key = same_key.condition() if same_key else sql.SQL("")
    if same_columns:
        _diff_and_changed(table, previous_table, key, same_columns)
    else:
        _changed(table, previous_table, key)
    counts = fetch_one(
        sql.SQL("SELECT (SELECT count(*) FROM {}), (SELECT count(*) FROM {})").format(
            changed, ident(table)
        )
    )
    assert counts is not None
    n, total = counts
    if n > total / 2:
        execute(sql.SQL("DROP TABLE {}").format(changed))
        return None
    execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (fid)").format(changed))
    execute(sql.SQL("ANALYZE {}").format(changed))
    return int(n)
