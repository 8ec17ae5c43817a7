"""A small vocabulary of SQL expressions for import-target declarations.

A target declares how a value is derived (``Round(Area(), 1)``, ``Const("utility")``,
``Part(Field("identifier"), ".", 1)``…) instead of writing SQL text; the builder renders each
declaration with ``psycopg.sql`` composition: names as ``sql.Identifier``, values as
``sql.Literal``, the SQL around them ``sql.SQL`` constants written here. Nothing a file or a
user gives ever becomes SQL text through these classes (a declaration is code).

``render(row)`` gives the expression over the row aliased ``row`` (``Field("area")`` over
``s`` is ``"s"."area"``). A condition (:class:`Cond`) is an expression that is true or false.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from django.conf import settings
from psycopg import sql

Scalar = str | int | float | Decimal | bool | None


class Expr(ABC):
    """An SQL expression over one row (see the module docstring)."""

    @abstractmethod
    def render(self, row: str) -> sql.Composable:
        """The SQL of this declaration (each kind writes its own)."""


class Cond(Expr):
    """An SQL condition over one row."""


@dataclass(frozen=True)
class Field(Expr):
    """A column of the row itself (a target field, or a column derived from them)."""

    name: str

    def render(self, row: str) -> sql.Composable:
        return sql.Identifier(row, self.name)


@dataclass(frozen=True)
class Col(Expr):
    """A column of another table of the statement, named by its alias (a lookup joined)."""

    table: str
    name: str

    def render(self, row: str) -> sql.Composable:
        return sql.Identifier(self.table, self.name)


@dataclass(frozen=True)
class Const(Expr):
    """A constant value."""

    value: Scalar

    def render(self, row: str) -> sql.Composable:
        return sql.NULL if self.value is None else sql.Literal(self.value)


@dataclass(frozen=True)
class Json(Expr):
    """A constant ``jsonb`` value."""

    value: Any

    def render(self, row: str) -> sql.Composable:
        return sql.SQL("{}::jsonb").format(sql.Literal(json.dumps(self.value)))


def _call(template: str, *args: Expr, row: str, **consts: Scalar) -> sql.Composable:
    """``template`` (an ``sql.SQL`` text of this module) with its ``{0}``… set to ``args``
    rendered over ``row`` and its named marks to ``consts`` as literals."""
    return sql.SQL(template).format(
        *(a.render(row) for a in args), **{k: sql.Literal(v) for k, v in consts.items()}
    )


@dataclass(frozen=True)
class Round(Expr):
    """A number rounded to ``digits`` decimal places."""

    expr: Expr
    digits: int = 0

    def render(self, row: str) -> sql.Composable:
        return _call("round(({0})::numeric, {digits})", self.expr, row=row, digits=self.digits)


@dataclass(frozen=True)
class Left(Expr):
    """Text cut to its first ``length`` characters (the spine column's length)."""

    expr: Expr
    length: int

    def render(self, row: str) -> sql.Composable:
        return _call("left({0}, {length})", self.expr, row=row, length=self.length)


@dataclass(frozen=True)
class Part(Expr):
    """The ``index``-th part of text split at ``separator`` (negative: from the end)."""

    expr: Expr
    separator: str
    index: int

    def render(self, row: str) -> sql.Composable:
        return _call(
            "split_part({0}, {sep}, {index})",
            self.expr,
            row=row,
            sep=self.separator,
            index=self.index,
        )


@dataclass(frozen=True)
class Times(Expr):
    """A number multiplied by a constant."""

    expr: Expr
    factor: int | float | Decimal

    def render(self, row: str) -> sql.Composable:
        return _call("({0} * {factor})", self.expr, row=row, factor=self.factor)


class _Variadic(Expr):
    """An expression of any number of expressions (``Concat(a, b, c)``)."""

    template = "{}"
    joiner = ", "

    def __init__(self, *parts: Expr) -> None:
        self.parts = parts

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Variadic) and type(other) is type(self) and other.parts == self.parts
        )

    def __hash__(self) -> int:
        return hash((type(self), self.parts))

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.parts!r}"

    def render(self, row: str) -> sql.Composable:
        inner = sql.SQL(self.joiner).join(p.render(row) for p in self.parts)
        return sql.SQL(self.template).format(inner)


class Concat(_Variadic):
    """Texts joined (``a || b || …``; NULL if one is NULL)."""

    template = "({})"
    joiner = " || "


class Coalesce(_Variadic):
    """The first value that is not NULL."""

    template = "COALESCE({})"


def _geom(expr: Expr | None) -> Expr:
    return Field("geom") if expr is None else expr


@dataclass(frozen=True)
class Area(Expr):
    """The area of a geometry (the row's own by default), in the units of the CRS."""

    geom: Expr | None = None

    def render(self, row: str) -> sql.Composable:
        return _call("ST_Area({0})", _geom(self.geom), row=row)


@dataclass(frozen=True)
class PointOnSurface(Expr):
    """A point surely inside a geometry (the row's own by default)."""

    geom: Expr | None = None

    def render(self, row: str) -> sql.Composable:
        return _call("ST_PointOnSurface({0})", _geom(self.geom), row=row)


@dataclass(frozen=True)
class Parts(Expr):
    """The number of parts of a geometry (the row's own by default)."""

    geom: Expr | None = None

    def render(self, row: str) -> sql.Composable:
        return _call("ST_NumGeometries({0})", _geom(self.geom), row=row)


@dataclass(frozen=True)
class UnionOfAreas(Expr):
    """Aggregate: the valid multi-polygon union of the group's geometries (a new precinct's
    boundary from its parcels)."""

    geom: Expr | None = None

    def render(self, row: str) -> sql.Composable:
        return _call(
            "ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union({0})), 3))",
            _geom(self.geom),
            row=row,
        )


class Shape(Enum):
    """The type of a spine table's geometry column, and how a source geometry becomes one
    (the templates: ``{g}`` the source geometry, ``{srid}`` the city's CRS)."""

    #: a polygon or multi-polygon as a multi-polygon (ST_Multi only where needed: it copies a
    #: multi-polygon whole)
    MULTIPOLYGON = (
        "CASE WHEN GeometryType({g}) = 'MULTIPOLYGON' THEN {g} "
        "ELSE ST_Multi({g}) END::geometry(MultiPolygon, {srid})"
    )
    #: the first polygon (the checks refuse a multi-part one)
    POLYGON = "ST_GeometryN(ST_Multi({g}), 1)::geometry(Polygon, {srid})"
    #: a line or lines as a multi-line
    MULTILINESTRING = "ST_Multi({g})::geometry(MultiLineString, {srid})"
    #: a point of any geometry (a point stays itself)
    POINT = "ST_PointOnSurface({g})::geometry(Point, {srid})"
    #: the area of an areal geometry, NULL for a point or a line
    AREA_OR_NULL = (
        "CASE WHEN ST_Dimension({g}) = 2 THEN ST_Multi({g}) END::geometry(MultiPolygon, {srid})"
    )


@dataclass(frozen=True)
class Geometry(Expr):
    """The row's geometry as the spine column ``shape`` holds it."""

    shape: Shape
    geom: Expr | None = None

    def render(self, row: str) -> sql.Composable:
        return sql.SQL(self.shape.value).format(
            g=_geom(self.geom).render(row), srid=sql.Literal(int(settings.MIASTO_SRID))
        )


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class NotMatching(Cond):
    """Text that does not match the regular expression ``pattern`` (NULL: not tested)."""

    expr: Expr
    pattern: str

    def render(self, row: str) -> sql.Composable:
        return _call("{0} !~ {pattern}", self.expr, row=row, pattern=self.pattern)


@dataclass(frozen=True)
class Above(Cond):
    """A number greater than ``limit``."""

    expr: Expr
    limit: int | float | Decimal

    def render(self, row: str) -> sql.Composable:
        return _call("{0} > {limit}", self.expr, row=row, limit=self.limit)


@dataclass(frozen=True)
class Unresolved(Cond):
    """A value given (``given`` not NULL) whose lookup found nothing (``found`` NULL)."""

    given: Expr
    found: Expr

    def render(self, row: str) -> sql.Composable:
        return _call("{0} IS NOT NULL AND {1} IS NULL", self.given, self.found, row=row)
