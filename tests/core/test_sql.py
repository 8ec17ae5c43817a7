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
