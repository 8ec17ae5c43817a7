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

from miasto.core.db import copy_rows
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
    with connection.cursor() as cursor:
        # foreign keys are deferred: check pending rows first, or TRUNCATE refuses
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # CASCADE also empties the data hub's catalogue (every dataset has an owner unit):
        # drop the version tables left without versions, so a new catalogue starts clean
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")

    drop_orphan_tables()


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

    copy_rows(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN", rows())
    return n


def load(
    data: CityData, progress: Callable[[Iterable[str]], Iterable[str]] | None = None
) -> dict[str, int]:
    """COPY every table of ``data``, fix sequences, ANALYZE; inside the caller's transaction."""
    connection.ensure_connection()
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
    names = [t for t in TABLES if t in data.tables]
    for name in progress(names) if progress else names:
        counts[name] = copy_table(data.tables[name])
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the foreign keys now
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name in names:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)",
                [name],
            )
        for name in names:
            cursor.execute(f"ANALYZE {name}")
    return counts
