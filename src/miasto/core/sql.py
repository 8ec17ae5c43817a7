"""Small SQL-building helpers shared by the apps that build JSON and tiles in PostGIS."""

from __future__ import annotations

from typing import Any


def quote_ident(name: str) -> str:
    """A quoted SQL identifier (column or table name taken from data)."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    """A quoted SQL string literal for SQL that is also run with ``%s`` parameters
    (quotes doubled, ``%`` escaped as ``%%``)."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def choices_case(column: str, choices: list[tuple[Any, Any]]) -> str:
    """A ``CASE`` giving the translated label of a choice column, in the active language."""
    parts = " ".join(
        f"WHEN {sql_literal(str(value))} THEN {sql_literal(str(label))}" for value, label in choices
    )
    return f"CASE {column} {parts} ELSE {column} END"
