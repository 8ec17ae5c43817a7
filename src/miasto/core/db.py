"""Database connection set-up.

The first coordinate transformation on a new PostgreSQL connection costs 20–50 ms (PROJ
initialisation; measured with the tile queries). Persistent connections pay it once: we pay it
when the connection opens, not inside the first user's request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection

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


def fetchone_prepared(
    sql: str, params: Sequence[Any] | Mapping[str, Any]
) -> tuple[Any, ...] | None:
    """Run a hot, fixed query as a server-side prepared statement and return its first row.

    Django's psycopg cursors bind parameters on the client, so PostgreSQL plans every request
    anew (0.6–0.8 ms for the parcel panel, about as long as running it). A prepared statement is
    planned once per connection; persistent connections keep it.
    """
    from django.db import connection
    from psycopg import Cursor

    # (Django's cursors check a persistent connection once a request; this raw one must too, or
    # the first request after a database restart would fail on the dead connection)
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


def copy_rows(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """``COPY … FROM STDIN`` of ``rows`` on Django's connection (psycopg 3 writes each row;
    no file, no SQL literal per row)."""
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
