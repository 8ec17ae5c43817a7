"""The execution helpers of miasto.core.db, on the real database: text and compositions, names
from data that look like placeholders, the calling thread's own connection."""

from __future__ import annotations

import pytest
from django.db import connection
from psycopg import sql

from miasto.core.db import (
    execute,
    fetch_all,
    fetch_dicts,
    fetch_json,
    fetch_one,
    fetch_value,
    fetchone_prepared,
    run_beside,
)
from miasto.core.sql import as_text, quote_ident

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = ["a%s", "%(x)s", "100%", "%%", "{}", 'b"c', "x; DROP TABLE t; --", "Łódź"]


def test_fetch_helpers_on_text():  # type: ignore[no-untyped-def]
    values = "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(n, s) WHERE n >= %s ORDER BY n"
    assert fetch_all(values, [1]) == [(1, "a"), (2, "b")]
    assert fetch_one(values, [2]) == (2, "b")
    assert fetch_one(values, [3]) is None
    assert fetch_value(values, [2]) == 2
    assert fetch_value(values, [3]) is None
    assert fetch_dicts(values, [2]) == [{"n": 2, "s": "b"}]
    assert fetch_value("SELECT %(x)s::int + 1", {"x": 41}) == 42


def test_fetch_json_decodes_json_and_text():  # type: ignore[no-untyped-def]
    assert fetch_json("SELECT json_build_object('a', %s::int)", [1]) == {"a": 1}
    assert fetch_json("""SELECT '{"b": [1, 2]}'::text""") == {"b": [1, 2]}
    assert fetch_json("SELECT NULL::json") is None
    assert fetch_json("SELECT 1 WHERE false") is None


def test_text_without_params_still_runs_with_a_parameter_list():  # type: ignore[no-untyped-def]
    """``%%`` is a percent sign even when no parameters are given: the invariant of core.sql."""
    assert fetch_value("SELECT 'a%%b'") == "a%b"
    assert fetch_value("SELECT 'abc' LIKE 'a%%'") is True


def test_execute_returns_row_count():  # type: ignore[no-untyped-def]
    execute("CREATE TEMP TABLE t_exec (n int)")
    assert execute("INSERT INTO t_exec SELECT generate_series(1, %s)", [5]) == 5
    assert execute("DELETE FROM t_exec WHERE n > %s", [3]) == 2
    assert fetch_value("SELECT count(*) FROM t_exec") == 3


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_composed_name_is_never_a_placeholder(name):  # type: ignore[no-untyped-def]
    """psycopg alone would read ``%s`` inside ``sql.Identifier("a%s")`` as a placeholder
    (``the query has 2 placeholders but 1 parameters were passed``); the helpers do not."""
    table = sql.Identifier(f"t_{name}")
    column = sql.Identifier(name)
    execute(sql.SQL("CREATE TEMP TABLE {} ({} text)").format(table, column))
    execute(sql.SQL("INSERT INTO {} ({}) VALUES (%s)").format(table, column), ["v"])
    query = sql.SQL("SELECT {col}, {lit} AS {alias} FROM {t} WHERE {col} = %s").format(
        col=column, lit=sql.Literal(f"{name}%"), alias=sql.Identifier(f"{name}!"), t=table
    )
    assert fetch_dicts(query, ["v"]) == [{name: "v", f"{name}!": f"{name}%"}]
    # the same name, quoted as text by core.sql, gives the same SQL
    assert as_text(column) == quote_ident(name)


def test_placeholders_in_a_composition_stay_placeholders():  # type: ignore[no-untyped-def]
    query = sql.SQL("SELECT {} + %(a)s, %s::text").format(sql.Literal(1))
    assert as_text(query) == "SELECT 1 + %(a)s, %s::text"
    named = sql.SQL("SELECT {} + {}").format(sql.Literal(1), sql.Placeholder("a"))
    assert fetch_value(named, {"a": 2}) == 3


def test_helpers_run_in_the_current_transaction():  # type: ignore[no-untyped-def]
    """Django's connection: a table made in the test's transaction is seen by the helpers."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE t_tx (n int)")
        cursor.execute("INSERT INTO t_tx VALUES (7)")
    assert fetch_value("SELECT n FROM t_tx") == 7
    assert fetchone_prepared(sql.SQL("SELECT n FROM {}").format(sql.Identifier("t_tx")), []) == (7,)


@pytest.mark.django_db(transaction=True)
def test_helpers_in_run_beside_use_the_threads_own_connection():  # type: ignore[no-untyped-def]
    ours = fetch_value("SELECT pg_backend_pid()")
    future = run_beside(lambda: fetch_value("SELECT pg_backend_pid()"), "test")
    assert future is not None
    theirs = future.result(timeout=30)
    assert isinstance(theirs, int)
    assert theirs != ours


def test_load_sql_reads_a_named_statement_once():  # type: ignore[no-untyped-def]
    from miasto.core.db import load_sql

    text = load_sql("miasto.planning", "scenario_extent")
    assert text.lstrip().startswith("--") and "ST_Extent" in text
    assert load_sql("miasto.planning", "scenario_extent") is text  # (cached)
    assert fetch_one(text, {"drafts": [], "zones": []}) == (None, None, None, None)
    with pytest.raises(FileNotFoundError):
        load_sql("miasto.planning", "no_such_statement")
    with pytest.raises(ValueError):
        load_sql("miasto.planning", "../settings")


def test_no_percent_in_the_comments_of_sql_files():  # type: ignore[no-untyped-def]
    """psycopg reads ``%(x)s`` in a ``--`` comment as a placeholder: a parameter with a line
    break would end the comment there."""
    from pathlib import Path

    import miasto

    files = list(Path(miasto.__file__).parent.glob("*/sql/*.sql"))
    assert files
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert "%" not in line.partition("--")[2], f"{path.name}: {line}"


def test_a_reused_connection_is_checked_without_a_query():  # type: ignore[no-untyped-def]
    """core.dbbackend: a healthy idle connection is usable without a round trip; one the
    server has ended is not (and Django replaces it)."""
    import time

    from django.db import connections

    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        pid = other.connection.info.backend_pid
        assert other.is_usable()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while other.is_usable() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not other.is_usable()
    finally:
        other.close()
