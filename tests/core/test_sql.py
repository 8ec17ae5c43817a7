"""SQL helpers: literals and identifiers survive quotes and percent signs."""

from __future__ import annotations

import pytest
from django.db import connection

from miasto.core.sql import choices_case, quote_ident, sql_literal

pytestmark = pytest.mark.django_db


def test_choices_case_with_quotes_and_percent_runs_with_parameters():  # type: ignore[no-untyped-def]
    case = choices_case("v", [("a", "it's 1% flood"), ("b", 'say "b"')])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {case}, %s FROM (VALUES ('a'), ('b'), ('c')) t(v)", ["p"])
        assert cursor.fetchall() == [("it's 1% flood", "p"), ('say "b"', "p"), ("c", "p")]


def test_quote_ident_and_literal():  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        name = quote_ident('we"ird col')
        cursor.execute(f"SELECT 1 AS {name}, {sql_literal('o%k')}, %s", ["p"])
        assert cursor.description[0].name == 'we"ird col'
        assert cursor.fetchone()[1] == "o%k"


@pytest.mark.parametrize(
    "name",
    ["a%s", "%(x)s", "100%", "{}", 'b"c', "x; DROP TABLE t; --", "select", "ulica_Łódź", "Aa"],
)
def test_any_name_names_itself(name):  # type: ignore[no-untyped-def]
    """Run with a parameter list — even an empty one — a quoted name is never a placeholder."""
    from miasto.core.sql import execute

    with connection.cursor() as cursor:
        execute(cursor, f"CREATE TEMP TABLE t_names ({quote_ident(name)} text)")
        execute(cursor, f"INSERT INTO t_names ({quote_ident(name)}) VALUES (%s)", ["v"])
        execute(cursor, f"SELECT {quote_ident(name)} FROM t_names")
        assert cursor.description[0].name == name
        assert cursor.fetchone() == ("v",)
        execute(cursor, "DROP TABLE t_names")


def test_quote_table_and_raw():  # type: ignore[no-untyped-def]
    from miasto.core.sql import quote_ident_raw, quote_table

    assert quote_table("datahub_data.v12") == '"datahub_data"."v12"'
    assert quote_table('s.a"%') == '"s"."a""%%"'
    assert quote_ident_raw('a"%') == '"a""%"'  # (for GDAL's -sql: run without parameters)
