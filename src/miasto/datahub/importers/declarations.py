"""What a spine target declares besides its fields and columns, each rendered by the builder
(:mod:`miasto.datahub.importers.statements`) with ``psycopg.sql`` composition — no SQL text in
a declaration: names are identifiers (tables from the Django model's meta), values literals,
expressions from :mod:`miasto.core.importing.expressions`, and a genuinely custom statement a
named file ``datahub/sql/publish_<name>.sql`` (:class:`Step`).

Aliases in the statements: ``s`` a row of ``_src`` (the version's rows as target fields),
``t`` a spine row, ``v`` a source row as spine columns, ``l`` a lookup row made ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.db import models
from psycopg import sql

from miasto.core.db import load_sql
from miasto.core.importing.expressions import Cond, Expr


def table_of(model: type[models.Model]) -> sql.Identifier:
    return sql.Identifier(model._meta.db_table)


def pk_of(model: type[models.Model]) -> str:
    pk = model._meta.pk
    assert pk is not None and pk.column is not None
    return pk.column


def _pairs(left: str, right: str, names: tuple[str, ...]) -> sql.Composable:
    """``left.a = right.a AND left.b = right.b…`` (equalities: joined by hash)."""
    return sql.SQL(" AND ").join(
        sql.SQL("{} = {}").format(sql.Identifier(left, n), sql.Identifier(right, n)) for n in names
    )


@dataclass(frozen=True)
class Join:
    """A lookup table every source row joins by equal key columns of ``_src`` (a parcel's
    precinct by ``unit`` and ``code``); its columns are ``Col(alias, …)`` in the target's
    columns. With ``create``: the lookup rows missing are made from their groups of source
    rows (``{column: expression}``, aggregates allowed) before the spine is written — and,
    for a big delivery, before the publishing transaction (``SpineTarget.lookups_ahead``)."""

    model: type[models.Model]
    alias: str
    on: tuple[str, ...]
    create: dict[str, Expr] = field(default_factory=dict)

    @property
    def table(self) -> sql.Identifier:
        return table_of(self.model)

    def source(self, how: Literal["JOIN", "LEFT JOIN"] = "JOIN") -> sql.Composable:
        """``_src s`` with the lookup joined (inner: a row without its lookup is left out)."""
        return sql.SQL("_src s {how} {table} {alias} ON {on}").format(
            how=sql.SQL(how),
            table=self.table,
            alias=sql.Identifier(self.alias),
            on=_pairs(self.alias, "s", self.on),
        )

    def absent(self) -> sql.Composable:
        """True on a row of the outer join (:meth:`source` ``LEFT JOIN``) without its lookup."""
        return sql.SQL("{} IS NULL").format(sql.Identifier(self.alias, pk_of(self.model)))

    def missing(self, row: str = "s") -> sql.Composable:
        """True when the lookup of the row ``row`` (of ``_src``, or made ahead) does not exist."""
        return sql.SQL("NOT EXISTS (SELECT 1 FROM {table} {alias} WHERE {on})").format(
            table=self.table, alias=sql.Identifier(self.alias), on=_pairs(self.alias, row, self.on)
        )

    def fingerprint(self) -> sql.Composable:
        """SELECT of one value that changes whenever a lookup row's key does (a plan made
        ahead holds only while it is the same)."""
        pk = pk_of(self.model)
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in (pk, *self.on))
        return sql.SQL(
            "SELECT md5(string_agg(concat_ws('|', {columns}), ',' ORDER BY {pk})) FROM {table}"
        ).format(columns=columns, pk=sql.Identifier(pk), table=self.table)

    def keys(self, row: str) -> sql.Composable:
        return sql.SQL(", ").join(sql.Identifier(row, k) for k in self.on)

    def created(self) -> sql.Composable:
        """The new lookup rows' values over their group of ``s`` rows, named as columns."""
        return sql.SQL(", ").join(
            sql.SQL("{} AS {}").format(e.render("s"), sql.Identifier(n))
            for n, e in self.create.items()
        )

    def insert_columns(self) -> sql.Composable:
        return sql.SQL(", ").join(sql.Identifier(c) for c in (*self.on, *self.create))


@dataclass(frozen=True)
class Located:
    """A ``_src`` column ``column`` set to the id of the row of ``model`` whose geometry
    (``geom``) holds the source row's point ``at`` (the first found) — the parcel of a
    building, found spatially."""

    column: str
    model: type[models.Model]
    at: Expr

    def assignment(self) -> sql.Composable:
        return sql.SQL(
            "{column} = (SELECT l.{pk} FROM {table} l WHERE ST_Intersects(l.geom, {at}) LIMIT 1)"
        ).format(
            column=sql.Identifier(self.column),
            pk=sql.Identifier(pk_of(self.model)),
            table=table_of(self.model),
            at=self.at.render("s"),
        )


#: the types of the ``_src`` columns a step fills (a fixed set)
ColumnType = Literal["bigint", "text"]


@dataclass(frozen=True)
class Step:
    """A custom statement run on ``_src`` before the spine is written: the file
    ``datahub/sql/publish_<name>.sql``, filling the ``_src`` columns ``fills`` (added first)."""

    name: str
    fills: tuple[tuple[str, ColumnType], ...] = ()

    def statement(self) -> sql.SQL:
        return sql.SQL(load_sql("miasto.datahub", f"publish_{self.name}"))


@dataclass(frozen=True)
class Check:
    """A condition every ``_src`` row must meet before publishing: the first row where
    ``fails`` holds refuses the version with ``message`` ({0}: the row's fid, {1}: ``value``).

    ``proof``: the quality check that tests the same (or a stricter) condition on the mapped
    column; when the version's report counts 0 for it, this check is not run again."""

    value: Expr
    fails: Cond
    message: str
    proof: str = ""

    def query(self) -> sql.Composable:
        return sql.SQL(
            "SELECT s.fid, {value} FROM _src s WHERE {fails} ORDER BY s.fid LIMIT 1"
        ).format(value=self.value.render("s"), fails=self.fails.render("s"))


@dataclass(frozen=True)
class NullAs:
    """A key column compared with NULL as ``value`` (``COALESCE(t.c, 0) = COALESCE(v.c, 0)``,
    not ``IS NOT DISTINCT FROM``: an equality can be hash-joined)."""

    name: str
    value: int | str

    def equality(self) -> sql.Composable:
        return sql.SQL("COALESCE({t}, {x}) = COALESCE({v}, {x})").format(
            t=sql.Identifier("t", self.name),
            v=sql.Identifier("v", self.name),
            x=sql.Literal(self.value),
        )


def match_condition(keys: tuple[str | NullAs, ...]) -> sql.Composable:
    """The condition pairing a spine row ``t`` with a source row ``v``: equal keys."""
    return sql.SQL(" AND ").join(
        k.equality() if isinstance(k, NullAs) else _pairs("t", "v", (k,)) for k in keys
    )
