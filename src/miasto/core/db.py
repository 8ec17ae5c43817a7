"""The one place SQL is run from Python: connection set-up and the execution helpers.

Helpers (each takes SQL text or a ``psycopg.sql`` composition, and parameters):

- :func:`execute` — a statement; its row count;
- :func:`fetch_one` / :func:`fetch_all` / :func:`fetch_value` / :func:`fetch_json` /
  :func:`fetch_dicts` — the first row, all rows, the first row's first value, that value
  decoded from JSON, rows as dicts;
- :func:`fetchone_prepared` / :func:`fetchall_prepared` — a hot query as a server-side
  prepared statement (the OGC API's pages and items, the API request counts);
- :func:`load_sql` — a long fixed statement kept in ``<app>/sql/<name>.sql``.

They run on Django's connection of the calling thread (``django.db.connection``, through
``connection.cursor()``: the current transaction, query logging, the health check), so a
helper called in :func:`run_beside`'s thread uses that thread's own connection.

**Always with parameters.** Every helper runs its SQL with a parameter list — an empty one when
none are given — so ``%`` in the text is always a placeholder mark and ``%%`` is a percent
sign. This is the invariant :mod:`miasto.core.sql` relies on: names from data quoted there
(``quote_ident``) have their ``%`` doubled, and a composition is rendered the same way
(``miasto.core.sql.as_text``), so a column named ``a%s`` can never become a placeholder.
Write ``LIKE 'a%%'`` (or pass the pattern as a parameter) in text given to these helpers.

A new connection's first coordinate transformation initialises PROJ, which is slow (see
docs/architecture.md, "Why the queries are shaped as they are"): :func:`warm_up_connection`
pays it when the connection opens, not inside the first user's request.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import resources
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection

from miasto.core.sql import Params, Query, as_text

T = TypeVar("T")

WARM_UP = (
    "SELECT ST_Transform(ST_SetSRID(ST_MakePoint(19.0, 51.5), 4326), %(srid)s), "
    "ST_Transform(ST_SetSRID(ST_MakePoint(500000, 400000), %(srid)s), 3857), "
    "ST_Transform(ST_SetSRID(ST_MakePoint(500000, 400000), %(srid)s), 4326)"
)


def warm_up_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(WARM_UP, {"srid": int(settings.MIASTO_SRID)})
    except Exception:  # noqa: BLE001 — before migrations PostGIS may be missing; not fatal
        return


@functools.cache
def load_sql(package: str, name: str) -> str:
    """The long fixed statement ``<package>/sql/<name>.sql`` (e.g. ``load_sql("miasto.planning",
    "scenario_extent")``), read once per process — SQL kept as SQL, named by its file. Run it
    with these helpers like any text: with parameters, ``%%`` for a percent sign — and no ``%``
    in its ``--`` comments (psycopg reads placeholders there too)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a statement name: {name!r}")
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def _run(cursor: Any, query: Query, params: Params) -> None:
    # (never without parameters: see the module docstring)
    cursor.execute(as_text(query), params if params is not None else [])


def execute(query: Query, params: Params = None) -> int:
    """Run a statement; the number of rows it touched (``-1`` where PostgreSQL gives none)."""
    with connection.cursor() as cursor:
        _run(cursor, query, params)
        rowcount: int = cursor.rowcount
        return rowcount


def fetch_one(query: Query, params: Params = None) -> tuple[Any, ...] | None:
    """The first row, or ``None`` without rows."""
    with connection.cursor() as cursor:
        _run(cursor, query, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


def fetch_all(query: Query, params: Params = None) -> list[tuple[Any, ...]]:
    """All rows, as tuples."""
    with connection.cursor() as cursor:
        _run(cursor, query, params)
        return list(cursor.fetchall())


def fetch_dicts(query: Query, params: Params = None) -> list[dict[str, Any]]:
    """All rows, as ``{column name: value}``."""
    with connection.cursor() as cursor:
        _run(cursor, query, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def fetch_value(query: Query, params: Params = None) -> Any:
    """The first column of the first row; ``None`` without rows (or for a NULL)."""
    row = fetch_one(query, params)
    return row[0] if row else None


def fetch_json(query: Query, params: Params = None) -> Any:
    """The first column of the first row, decoded: ``json``/``jsonb`` come decoded from
    psycopg, text holding JSON is decoded here; ``None`` without rows (or for a NULL)."""
    value = fetch_value(query, params)
    return json.loads(value) if isinstance(value, str) else value


def fetchone_prepared(
    sql: Query, params: Sequence[Any] | Mapping[str, Any]
) -> tuple[Any, ...] | None:
    """Run a hot, fixed query as a server-side prepared statement and return its first row.

    Django's psycopg cursors bind parameters on the client, so PostgreSQL plans every request
    anew — for a hot query about as long as running it. A prepared statement is planned once
    per connection; persistent connections keep it.
    """
    from django.db import connection
    from psycopg import Cursor

    # (Django's cursors check a persistent connection once a request; this raw one must too, or
    # the first request after a database restart would fail on the dead connection)
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # (Django's exceptions, as from its own cursors: callers and middleware catch those)
    with connection.wrap_database_errors, Cursor(connection.connection) as cursor:
        cursor.execute(as_text(sql), params, prepare=True)
        return cursor.fetchone()


def fetchall_prepared(
    sql: Query, params: Sequence[Any] | Mapping[str, Any]
) -> list[tuple[Any, ...]]:
    """:func:`fetchone_prepared`, all rows."""
    from django.db import connection
    from psycopg import Cursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors, Cursor(connection.connection) as cursor:
        cursor.execute(as_text(sql), params, prepare=True)
        return cursor.fetchall()


def copy_rows(sql: Query, rows: Iterable[Sequence[Any]]) -> None:
    """``COPY … FROM STDIN`` of ``rows`` on Django's connection (psycopg 3 writes each row;
    no file, no SQL literal per row). ``sql`` runs without parameters: a composition is given
    to psycopg as it is (names from data quoted by ``sql.Identifier``, ``%`` left single)."""
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def run_beside(work: Callable[[], T], name: str = "beside") -> Future[T] | None:
    """Run ``work`` in a thread of its own, on its own database connection (closed when it
    ends), so that the database does two things at once — or ``None`` inside a transaction,
    whose uncommitted tables another connection would not see (the caller does the work
    itself then)."""
    if connection.in_atomic_block:
        return None

    def run() -> T:
        from django.db import connection as own  # this thread's connection

        try:
            return work()
        finally:
            own.close()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    future = pool.submit(run)
    pool.shutdown(wait=False)  # the thread ends with its work
    return future
