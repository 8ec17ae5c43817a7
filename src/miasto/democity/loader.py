"""Load a generated :class:`~miasto.democity.generator.CityData` into PostGIS with COPY.

Everything happens in one transaction (the caller wraps :func:`load` in ``atomic``): the
existing spine is truncated when replacing, every table is filled with ``COPY … FROM STDIN``
through Django's psycopg 3 connection, sequences are moved past the loaded keys, and the
tables are analysed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from psycopg import sql

from miasto.core.db import copy_rows, execute
from miasto.democity.catalogue import drop_orphan_tables
from miasto.democity.generator import CityData, Table

#: Spine tables in load order (parents first).
TABLES = (
    "territory_city",
    "territory_district",
    "territory_precinct",
    "territory_block",
    "territory_street",
    "territory_roadsegment",
    "territory_parcel",
    "territory_building",
    "territory_address",
    "territory_orgunit",
    "territory_publicservice",
    "territory_constraint",
)
GEOMETRY_COLUMNS = frozenset({"geom", "area_geom"})


def truncate_spine() -> None:
    """Empty every spine table (and whatever references them) and restart their keys."""
    _check_deferred_constraints()  # pending rows are checked first, or TRUNCATE refuses
    # CASCADE also empties the data hub's catalogue (every dataset has an owner unit):
    # drop the version tables left without versions, so a new catalogue starts clean
    execute(
        sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
            sql.SQL(", ").join(sql.Identifier(name) for name in TABLES)
        )
    )

    drop_orphan_tables()


def _check_deferred_constraints() -> None:
    """Check the deferred foreign keys of the rows written so far (and keep deferring)."""
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute("SET CONSTRAINTS ALL DEFERRED")


def _ewkb(values: Any) -> list[str | None]:
    geoms = np.asarray(values, dtype=object)
    out: list[str | None] = [None] * len(geoms)
    present = np.flatnonzero(np.array([g is not None for g in geoms], dtype=bool))
    if len(present):
        with_srid = shapely.set_srid(geoms[present], settings.MIASTO_SRID)
        hexes = shapely.to_wkb(with_srid, hex=True, include_srid=True)
        for i, h in zip(present.tolist(), hexes.tolist(), strict=True):
            out[i] = h
    return out


def _column(name: str, values: Any) -> list[Any]:
    if name in GEOMETRY_COLUMNS:
        return _ewkb(values)
    if name == "attributes":
        return [json.dumps(v, ensure_ascii=False) for v in values]
    return list(values)


def copy_table(table: Table, chunk: int = 50_000) -> int:
    """COPY one table's rows; returns the number of rows."""
    columns = list(table.columns)
    n = len(table)

    def rows() -> Iterator[tuple[Any, ...]]:
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            cols = [_column(c, table.columns[c][start:stop]) for c in columns]
            yield from zip(*cols, strict=True)

    copy_rows(
        sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
        ),
        rows(),
    )
    return n


def load(
    data: CityData, progress: Callable[[Iterable[str]], Iterable[str]] | None = None
) -> dict[str, int]:
    """COPY every table of ``data``, fix sequences, ANALYZE; inside the caller's transaction."""
    connection.ensure_connection()
    counts: dict[str, int] = {}
    execute("SET LOCAL statement_timeout = 0")
    names = [t for t in TABLES if t in data.tables]
    for name in progress(names) if progress else names:
        counts[name] = copy_table(data.tables[name])
    _check_deferred_constraints()  # the foreign keys of the loaded rows, now
    for name in names:
        execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "COALESCE((SELECT max(id) FROM {}), 0) + 1, false)"
            ).format(sql.Identifier(name)),
            [name],
        )
    for name in names:
        execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))
    return counts
