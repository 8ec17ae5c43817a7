"""The version's tables as the checks name them, and the session settings of a batch job.

Every table name here comes from data (a staging table, a version's table) and reaches SQL
only through :func:`ident` (``psycopg.sql.Identifier``); the queries are ``psycopg.sql``
compositions run with :mod:`miasto.core.db`'s helpers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.conf import settings
from django.db import DatabaseError
from psycopg import sql

from miasto.core.db import execute, fetch_all

#: ``work_mem`` of a batch job's hash joins and aggregates over a whole layer (the server's
#: default, 4 MB, makes them spill to disk); the web keeps the default
BATCH_WORK_MEM = "256MB"

#: SQL text: the feature ``t`` has a geometry (not NULL, not empty) — as
#: :func:`miasto.datahub.coverage.match_edges` takes its condition
LIVE_TEXT = "t.geom IS NOT NULL AND NOT ST_IsEmpty(t.geom)"
#: the same, for compositions
LIVE = sql.SQL(LIVE_TEXT)

#: the suffixes of the tables a check makes beside the version's table (and drops)
WORK_SUFFIXES = ("_changed", "_pieces", "_cand")


def ident(table: str, suffix: str = "") -> sql.Identifier:
    """The table ``schema.name`` (as :attr:`DatasetVersion.table_name` gives it), or the one
    named ``name + suffix`` beside it, as an identifier."""
    schema, _dot, name = table.partition(".")
    return sql.Identifier(schema, name + suffix) if name else sql.Identifier(schema + suffix)


def attribute_types(table: str) -> dict[str, str]:
    """``{column: data type}`` of the attributes (not ``fid``, ``geom``), in table order."""
    schema, _dot, name = table.partition(".")
    rows = fetch_all(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = %s AND column_name NOT IN ('fid', 'geom') ORDER BY ordinal_position",
        [schema, name],
    )
    return {str(column): str(data_type) for column, data_type in rows}


def attribute_columns(table: str) -> list[str]:
    return list(attribute_types(table))


def drop(*tables: sql.Composable) -> None:
    """``DROP TABLE IF EXISTS`` each of ``tables`` (identifiers)."""
    for table in tables:
        execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))


def drop_work_tables(table: str) -> None:
    """Drop the tables a check of ``table`` made beside it, if there are any left."""
    for suffix in WORK_SUFFIXES:
        with suppress(DatabaseError):  # an aborted transaction: its rollback drops them
            drop(ident(table, suffix))


@contextmanager
def batch_session() -> Iterator[None]:
    """Let the queries of a batch job use parallel workers and a larger ``work_mem``."""
    workers = int(getattr(settings, "MIASTO_BATCH_PARALLEL_WORKERS", 2))
    execute(sql.SQL("SET max_parallel_workers_per_gather = {}").format(sql.Literal(workers)))
    set_batch_work_mem()
    try:
        yield
    finally:
        try:
            execute("RESET max_parallel_workers_per_gather")
            execute("RESET work_mem")
        except DatabaseError:  # an aborted transaction: its rollback undoes both
            pass


def set_batch_work_mem() -> None:
    execute(sql.SQL("SET work_mem = {}").format(sql.Literal(BATCH_WORK_MEM)))


@contextmanager
def sorted_groups() -> Iterator[None]:
    """Group by sorting, not hashing: a hash table of a million distinct keys (a duplicate
    check, where nearly every key is unique) costs twice the sort."""
    execute("SET enable_hashagg = off")
    try:
        yield
    finally:
        with suppress(DatabaseError):
            execute("RESET enable_hashagg")
