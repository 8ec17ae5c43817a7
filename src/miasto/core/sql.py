"""The one way names and values from data are put into SQL text (built on ``psycopg.sql``).

Rules (see docs/datahub.md, "Security: identifiers"):

- every identifier that comes from data — a column named by a file, a per-version table —
  goes through :func:`quote_ident` (``psycopg.sql.Identifier``); never ``f'"{name}"'``;
- every value goes as a query parameter, or — where a parameter cannot go (a view, a
  ``CASE`` built once) — through :func:`sql_literal` (``psycopg.sql.Literal``);
- SQL text holding such names or literals is always **run with a parameter list** (an empty
  one if it has no placeholders: :func:`execute` here, and every helper of
  :mod:`miasto.core.db`), so ``%`` is a placeholder mark in it.
  That is why the quoted text made here has its ``%`` doubled: a column named ``a%s`` or
  ``%(x)s`` reaches PostgreSQL as itself and is never read as a placeholder. Text made here
  must therefore never be run *without* parameters (it would name ``a%%s``: an error, never
  an injection).
- a ``psycopg.sql.Composable`` (``sql.SQL("… {} …").format(sql.Identifier(name))``) may be
  passed to the helpers as it is: :func:`as_text` renders it by the same rule (``%`` doubled in
  identifiers and literals, the ``sql.SQL`` parts and placeholders as written). psycopg itself
  would not: it reads a ``%s`` inside ``sql.Identifier("a%s")`` as a placeholder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from psycopg import sql

#: SQL as the helpers take it: text (placeholders ``%s``/``%(name)s``, ``%%`` for ``%``) or a
#: ``psycopg.sql`` composition
Query: TypeAlias = str | sql.Composable
Params: TypeAlias = Sequence[Any] | Mapping[str, Any] | None


def _text(part: sql.Composable) -> str:
    """``part`` as SQL text for a query run with parameters (``%`` doubled)."""
    return part.as_string().replace("%", "%%")


def as_text(query: Query) -> str:
    """``query`` as SQL text to run with parameters: a composition's identifiers and literals
    with ``%`` doubled, its ``sql.SQL`` parts and placeholders as they are; text unchanged."""
    if isinstance(query, str):
        return query
    if isinstance(query, sql.Composed):
        return "".join(as_text(part) for part in query)
    if isinstance(query, sql.SQL | sql.Placeholder):
        return query.as_string()
    return _text(query)  # sql.Identifier, sql.Literal: names and values from data


def quote_ident(*names: str) -> str:
    """A quoted SQL identifier (``"schema"."table"`` for two names): any text at all —
    quotes, ``%``, ``;``, ``--``, reserved words, upper case, unicode — names itself."""
    return _text(sql.Identifier(*names))


def quote_ident_raw(*names: str) -> str:
    """A quoted identifier for SQL handed to another program and run there without
    parameters (GDAL's ``-sql``): the same quoting, ``%`` left as it is."""
    return sql.Identifier(*names).as_string()


def quote_table(qualified: str) -> str:
    """A ``schema.table`` name (as :attr:`DatasetVersion.table_name` gives it), quoted."""
    schema, _dot, name = qualified.partition(".")
    return quote_ident(schema, name) if name else quote_ident(schema)


def sql_literal(value: Any) -> str:
    """A quoted SQL literal (``psycopg.sql.Literal``) for SQL run with parameters."""
    return _text(sql.Literal(value))


def execute(cursor: Any, query: Query, params: Params = None) -> None:
    """Run SQL built with this module on ``cursor``: always with a parameter list (see the
    module docstring), so ``%%`` in it reaches PostgreSQL as ``%``. (Without a cursor of your
    own: :mod:`miasto.core.db`'s ``execute``, ``fetch_one``, ``fetch_all``…)"""
    cursor.execute(as_text(query), params if params is not None else [])


def case_of_choices(column: sql.Composable, choices: list[tuple[Any, Any]]) -> sql.Composed:
    """A ``CASE`` giving the translated label of a choice column, in the active language."""
    parts = sql.SQL(" ").join(
        sql.SQL("WHEN {} THEN {}").format(sql.Literal(str(value)), sql.Literal(str(label)))
        for value, label in choices
    )
    return sql.SQL("CASE {column} {parts} ELSE {column} END").format(column=column, parts=parts)


def choices_case(column: str, choices: list[tuple[Any, Any]]) -> str:
    """:func:`case_of_choices` as text, for ``column`` an expression written in code."""
    return as_text(case_of_choices(sql.SQL(column), choices))
