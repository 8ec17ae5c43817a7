"""CQL2 filters (OGC API Features Part 3) as SQL conditions over a collection.

The text and JSON encodings are parsed by pygeofilter; its syntax tree is translated here
into a ``psycopg.sql`` composition: names only from the collection's declared properties
(its queryables — anything else is a 400 naming the queryables), every value a named
placeholder in ``params``. Operand types are checked against the properties' declared
types before anything reaches PostgreSQL, so a filter comparing a number with text is a 400,
not a database error.

Supported: comparisons, ``LIKE``, ``BETWEEN``, ``IN``, ``IS NULL``, ``AND``/``OR``/``NOT``,
``CASEI``, the spatial predicates ``S_INTERSECTS``, ``S_DISJOINT``, ``S_CONTAINS``,
``S_WITHIN``, ``S_TOUCHES``, ``S_CROSSES``, ``S_OVERLAPS``, ``S_EQUALS`` (geometry literals
in ``filter-crs``, CRS84 by default) and the temporal predicates ``T_*`` over dates and
intervals. Arithmetic, arrays and other functions answer 400.
"""

from __future__ import annotations

import json
import os.path
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import lark
from django.utils.dateparse import parse_date, parse_datetime
from psycopg import sql
from pygeofilter import ast, cql2, values
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parser as text_parser

from miasto.core import crs as crs_mod
from miasto.core.collections import Collection
from miasto.core.errors import InvalidParameter

MAX_FILTER_LENGTH = 20_000
#: names of the geometry in filters, besides the collection's geometry column
GEOMETRY_NAMES = ("geometry", "geom")


@dataclass
class TimeIntersects(ast.TemporalPredicate):  # type: ignore[misc]
    """``T_INTERSECTS``: pygeofilter 0.4 parses it as ``T_OVERLAPS`` (a narrower relation);
    both of its parsers look the operator up in these maps, so it gets a node of its own."""

    op = ast.TemporalComparisonOp.DISJOINT  # (unused: the translation below names the relation)


cql2.TEMPORAL_PREDICATES_MAP["t_intersects"] = TimeIntersects
cql2.BINARY_OP_PREDICATES_MAP["t_intersects"] = TimeIntersects

# pygeofilter 0.4's CQL2 text grammar follows an earlier draft: temporal predicates only infix
# (``a T_AFTER b``) and INTERVAL only between two date-times. CQL2 1.0 writes them as
# functions (``T_AFTER(a, b)``) and intervals with dates and open ends (``'..'``): its grammar
# and transformer are extended by these two rules, the rest is pygeofilter's.
_TEMPORAL_RULE = (
    "?temporal_predicate: expression _binary_temporal_predicate_func expression "
    "-> binary_temporal_predicate"
)
_INTERVAL_RULE = '?interval: "INTERVAL" "("  "\'" DATETIME "\'" "," "\'" DATETIME "\'" ")"'
_EXTENDED = {
    _TEMPORAL_RULE: _TEMPORAL_RULE
    + '\n    | _binary_temporal_predicate_func "(" expression "," expression ")" '
    "-> temporal_function",
    _INTERVAL_RULE: 'interval: "INTERVAL"i "(" _bound "," _bound ")"\n'
    '_bound: "\'" (DATETIME | DATE | OPEN) "\'"\n'
    'OPEN: ".."',
}


@lark.v_args(inline=True)
class _Transformer(text_parser.CQLTransformer):  # type: ignore[misc]
    def temporal_function(self, op: Any, lhs: Any, rhs: Any) -> Any:
        return cql2.TEMPORAL_PREDICATES_MAP[str(op).lower()](lhs, rhs)

    def OPEN(self, token: Any) -> None:  # noqa: N802 — lark names terminal callbacks so
        return None


def _text_parser() -> lark.Lark:
    grammar = Path(text_parser.__file__).with_name("grammar.lark").read_text(encoding="utf-8")
    for old, new in _EXTENDED.items():
        if old not in grammar:
            raise ImportError(f"pygeofilter's CQL2 grammar changed: {old!r} not found")
        grammar = grammar.replace(old, new)
    return lark.Lark(
        grammar,
        parser="lalr",
        maybe_placeholders=False,
        transformer=_Transformer(),
        import_paths=[os.path.dirname(os.path.dirname(text_parser.__file__))],
    )


_TEXT_PARSER = _text_parser()


def parse_text(text: str) -> Any:
    return _TEXT_PARSER.parse(text)


def parse(text: str, lang: str | None) -> ast.Node:
    """The syntax tree of a ``filter`` in ``filter-lang`` (cql2-text by default); 400 naming
    the position of a syntax error."""
    if len(text) > MAX_FILTER_LENGTH:
        raise InvalidParameter(f"Filtr jest za długi (najwięcej {MAX_FILTER_LENGTH} znaków).")
    lang = (lang or "cql2-text").strip().lower()
    if lang == "cql2-text":
        return _parse_text(text)
    if lang == "cql2-json":
        return _parse_json(text)
    raise InvalidParameter(f"Nieznany język filtra „{lang[:40]}”. Dozwolone: cql2-text, cql2-json.")


def _parse_text(text: str) -> ast.Node:
    try:
        node: ast.Node = parse_text(text)
    except lark.exceptions.UnexpectedInput as exc:
        raise InvalidParameter(
            f"Błąd składni CQL2 w wierszu {exc.line}, kolumnie {exc.column} filtra: "
            "nieoczekiwany znak lub słowo w tym miejscu.",
            line=exc.line,
            column=exc.column,
        ) from None
    except Exception as exc:  # noqa: BLE001 — pygeofilter's transformers raise what they meet
        raise InvalidParameter(f"Nieprawidłowy filtr CQL2: {str(exc)[:200]}") from None
    return node


def _parse_json(text: str) -> ast.Node:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidParameter(
            f"Filtr CQL2 JSON nie jest poprawnym JSON-em: {exc.msg} (znak {exc.pos + 1}).",
            column=exc.pos + 1,
        ) from None
    try:
        node: ast.Node = parse_json(_between_args(document))
    except Exception:  # noqa: BLE001 — pygeofilter's walker raises KeyError, TypeError…
        raise InvalidParameter(
            "Nieprawidłowy filtr CQL2 JSON: oczekiwano wyrażenia "
            '{"op": …, "args": […]} zgodnego z CQL2.'
        ) from None
    if not isinstance(node, ast.Node):
        raise InvalidParameter("Filtr CQL2 JSON musi być warunkiem, nie samą wartością.")
    return node


def _between_args(node: Any) -> Any:
    """CQL2 writes ``between`` as ``[value, low, high]``; pygeofilter 0.4 reads
    ``[value, [low, high]]``."""
    if isinstance(node, list):
        return [_between_args(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _between_args(v) for k, v in node.items()}
    args = node.get("args")
    if node.get("op") == "between" and isinstance(args, list) and len(args) == 3:
        node["args"] = [args[0], [args[1], args[2]]]
    return node


# --- translation ---------------------------------------------------------------------------

NUMERIC = {"integer", "number"}
TEMPORAL = {"date", "date-time"}


@dataclass
class Operand:
    sql: sql.Composable
    type: str  # a property type, "geometry", "null", "interval"
    literal: Any = None
    is_literal: bool = False
    #: the placeholder's name of a literal
    param: str = ""


@dataclass
class Translator:
    collection: Collection
    crs: crs_mod.Crs = crs_mod.DEFAULT
    params: dict[str, Any] = field(default_factory=dict)
    prefix: str = "f"

    def param(self, value: Any) -> sql.Placeholder:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return sql.Placeholder(name)

    def literal(self, value: Any, type_: str) -> Operand:
        name = f"{self.prefix}{len(self.params)}"
        self.params[name] = value
        return Operand(sql.Placeholder(name), type_, value, True, name)

    # conditions

    def condition(self, node: Any) -> sql.Composable:
        for kinds, handler in CONDITIONS:
            if isinstance(node, kinds):
                return handler(self, node)
        raise InvalidParameter(f"Filtr: nieobsługiwany warunek {_name(node)}.")

    def combination(self, node: ast.Combination) -> sql.Composable:
        op = sql.SQL(" AND " if isinstance(node, ast.And) else " OR ")
        return sql.SQL("({})").format(op.join([self.condition(node.lhs), self.condition(node.rhs)]))

    def negation(self, node: ast.Not) -> sql.Composable:
        return sql.SQL("(NOT {})").format(self.condition(node.sub_node))

    def include(self, node: ast.Include) -> sql.Composable:
        return sql.SQL("FALSE" if node.not_ else "TRUE")

    def comparison(self, node: ast.Comparison) -> sql.Composable:
        lhs, rhs = self.operand(node.lhs), self.operand(node.rhs)
        if lhs.is_literal:  # (the literal takes the property's type: a date written as text)
            lhs = self.compatible(lhs, rhs)
        rhs = self.compatible(rhs, lhs)
        return sql.SQL("({} {} {})").format(lhs.sql, sql.SQL(node.op.value), rhs.sql)

    def like(self, node: ast.Like) -> sql.Composable:
        lhs = self.operand(node.lhs)
        if lhs.type != "string" or not isinstance(node.pattern, str):
            raise InvalidParameter("Filtr: LIKE porównuje tekst z wzorcem tekstowym.")
        keyword = ("NOT " if node.not_ else "") + ("ILIKE" if node.nocase else "LIKE")
        return sql.SQL("({} {} {})").format(lhs.sql, sql.SQL(keyword), self.param(node.pattern))

    def between(self, node: ast.Between) -> sql.Composable:
        lhs = self.operand(node.lhs)
        if lhs.type not in NUMERIC | TEMPORAL:
            raise InvalidParameter("Filtr: BETWEEN działa na liczbach i datach.")
        low = self.compatible(self.operand(node.low), lhs)
        high = self.compatible(self.operand(node.high), lhs)
        keyword = sql.SQL("NOT BETWEEN" if node.not_ else "BETWEEN")
        return sql.SQL("({} {} {} AND {})").format(lhs.sql, keyword, low.sql, high.sql)

    def in_list(self, node: ast.In) -> sql.Composable:
        lhs = self.operand(node.lhs)
        items = [self.compatible(self.operand(item), lhs).sql for item in node.sub_nodes]
        if not items:
            raise InvalidParameter("Filtr: lista IN jest pusta.")
        keyword = sql.SQL("NOT IN" if node.not_ else "IN")
        return sql.SQL("({} {} ({}))").format(lhs.sql, keyword, sql.SQL(", ").join(items))

    def is_null(self, node: ast.IsNull) -> sql.Composable:
        lhs = self.operand(node.lhs)
        return sql.SQL("({} IS {}NULL)").format(lhs.sql, sql.SQL("NOT " if node.not_ else ""))

    def spatial(self, node: ast.SpatialComparisonPredicate) -> sql.Composable:
        lhs, rhs = self.geometry(node.lhs), self.geometry(node.rhs)
        function = SPATIAL_FUNCTIONS[type(node)]
        return sql.SQL("{}({}, {})").format(sql.SQL(function), lhs, rhs)

    def bbox_predicate(self, node: ast.BBox) -> sql.Composable:
        envelope = values.Envelope(node.minx, node.maxx, node.miny, node.maxy)
        return sql.SQL("ST_Intersects({}, {})").format(
            self.geometry(node.lhs), self.geometry(envelope)
        )

    def temporal(self, node: ast.TemporalPredicate) -> sql.Composable:
        a, b = self.interval(node.lhs), self.interval(node.rhs)
        relation = TEMPORAL_RELATIONS.get(type(node))
        if relation is None:
            raise InvalidParameter(f"Filtr: nieobsługiwany operator czasowy {_name(node)}.")
        return sql.SQL("({})").format(
            sql.SQL(relation).format(alo=a[0], ahi=a[1], blo=b[0], bhi=b[1])
        )

    # operands

    def operand(self, node: Any) -> Operand:
        if isinstance(node, ast.Attribute):
            return self.attribute(node.name)
        if isinstance(node, ast.Function):
            return self.function(node)
        if isinstance(node, bool):
            return self.literal(node, "boolean")
        if isinstance(node, int | float):
            return self.literal(node, "number")
        if isinstance(node, str):
            return self.literal(node, "string")
        if isinstance(node, datetime):
            return self.literal(node, "date-time")
        if isinstance(node, date):
            return self.literal(node, "date")
        if node is None:
            return Operand(sql.SQL("NULL"), "null", None, True)
        raise InvalidParameter(f"Filtr: nieobsługiwane wyrażenie {_name(node)}.")

    def attribute(self, name: str) -> Operand:
        if name in GEOMETRY_NAMES or name == self.collection.geom_column:
            return Operand(self.collection.geom(), "geometry")
        prop = self.collection.property(name)
        if prop is None:
            known = ", ".join(p.name for p in self.collection.properties)
            raise InvalidParameter(
                f"Filtr: nieznana właściwość „{name[:60]}”. Dostępne (queryables): "
                f"geometry, {known}."
            )
        return Operand(prop.sql(), prop.type)

    def function(self, node: ast.Function) -> Operand:
        if node.name == "lower" and len(node.arguments) == 1:  # CASEI
            inner = self.operand(node.arguments[0])
            if inner.type != "string":
                raise InvalidParameter("Filtr: CASEI działa na tekście.")
            return Operand(sql.SQL("lower({})").format(inner.sql), "string")
        if node.name in ("date", "timestamp") and len(node.arguments) == 1:  # lower-case DATE()
            text = node.arguments[0] if isinstance(node.arguments[0], str) else ""
            value = parse_datetime(text) if node.name == "timestamp" else parse_date(text)
            if value is None:
                raise InvalidParameter(f"Filtr: nieprawidłowa data „{text[:40]}”.")
            return self.operand(value)
        raise InvalidParameter(f"Filtr: nieobsługiwana funkcja „{str(node.name)[:40]}”.")

    def compatible(self, operand: Operand, other: Operand) -> Operand:
        """``operand`` as a value comparable with ``other`` (a literal date written as text
        becomes a date); 400 when the types cannot be compared."""
        if operand.type == other.type or "null" in (operand.type, other.type):
            return operand
        if operand.type in NUMERIC and other.type in NUMERIC:
            return operand
        if operand.type in TEMPORAL and other.type in TEMPORAL:
            return operand
        if operand.is_literal and operand.type == "string" and other.type in TEMPORAL:
            value = parse_datetime(operand.literal) or parse_date(operand.literal)
            if value is not None:
                self.params[operand.param] = value
                return Operand(operand.sql, other.type, value, True, operand.param)
        raise InvalidParameter(
            f"Filtr: nie można porównać wartości typu {operand.type} z typem {other.type}."
        )

    def geometry(self, node: Any) -> sql.Composable:
        if isinstance(node, ast.Attribute):
            operand = self.attribute(node.name)
            if operand.type != "geometry":
                raise InvalidParameter("Filtr: operator przestrzenny wymaga geometrii.")
            return operand.sql
        if isinstance(node, ast.Function) and node.name == "bbox":
            node = _envelope(node.arguments)
        if isinstance(node, values.Envelope):
            shape = sql.SQL("ST_MakeEnvelope({}, {}, {}, {})").format(
                *(self.param(float(v)) for v in (node.x1, node.y1, node.x2, node.y2))
            )
        elif isinstance(node, values.Geometry):
            shape = sql.SQL("ST_GeomFromGeoJSON({})").format(self.param(json.dumps(node.geometry)))
        else:
            raise InvalidParameter(f"Filtr: oczekiwano geometrii, otrzymano {_name(node)}.")
        return to_storage(shape, self.crs)

    def interval(self, node: Any) -> tuple[sql.Composable, sql.Composable]:
        if isinstance(node, values.Interval):
            if not all(isinstance(v, date | None) for v in (node.start, node.end)):
                raise InvalidParameter("Filtr: przedziały czasu z okresem (P…) nie są obsługiwane.")
            lo = self.param(node.start) if node.start else sql.SQL("'-infinity'::timestamptz")
            hi = self.param(node.end) if node.end else sql.SQL("'infinity'::timestamptz")
            return _ts(lo), _ts(hi)
        operand = self.operand(node)
        if operand.type not in TEMPORAL:
            raise InvalidParameter("Filtr: operator czasowy wymaga daty lub przedziału czasu.")
        return _ts(operand.sql), _ts(operand.sql)


def _ts(part: sql.Composable) -> sql.Composable:
    return sql.SQL("({})::timestamptz").format(part)


def _envelope(arguments: list[Any]) -> values.Envelope:
    numbers = [a for a in arguments if isinstance(a, int | float) and not isinstance(a, bool)]
    if len(numbers) != len(arguments) or len(numbers) not in (4, 6):
        raise InvalidParameter("Filtr: BBOX ma 4 (albo 6) liczb.")
    half = len(numbers) // 2
    return values.Envelope(numbers[0], numbers[half], numbers[1], numbers[half + 1])


def to_storage(shape: sql.Composable, crs: crs_mod.Crs) -> sql.Composable:
    """A geometry given in ``crs`` (its axis order) as a geometry in the storage CRS."""
    shape = sql.SQL("ST_SetSRID({}, {})").format(shape, sql.Literal(crs.srid))
    if crs.flip:
        shape = sql.SQL("ST_FlipCoordinates({})").format(shape)
    if crs.srid != crs_mod.STORAGE_SRID:
        shape = sql.SQL("ST_Transform({}, {})").format(shape, sql.Literal(crs_mod.STORAGE_SRID))
    return shape


def _name(node: Any) -> str:
    return type(node).__name__


SPATIAL_FUNCTIONS = {
    ast.GeometryIntersects: "ST_Intersects",
    ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryContains: "ST_Contains",
    ast.GeometryWithin: "ST_Within",
    ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryOverlaps: "ST_Overlaps",
    ast.GeometryEquals: "ST_Equals",
}

#: CQL2's temporal relations between intervals a and b (an instant is a one-point interval)
TEMPORAL_RELATIONS: dict[type, str] = {
    ast.TimeBefore: "{ahi} < {blo}",
    ast.TimeAfter: "{alo} > {bhi}",
    ast.TimeMeets: "{ahi} = {blo}",
    ast.TimeMetBy: "{alo} = {bhi}",
    ast.TimeOverlaps: "{alo} < {blo} AND {ahi} > {blo} AND {ahi} < {bhi}",
    ast.TimeOverlappedBy: "{blo} < {alo} AND {bhi} > {alo} AND {bhi} < {ahi}",
    ast.TimeBegins: "{alo} = {blo} AND {ahi} < {bhi}",
    ast.TimeBegunBy: "{alo} = {blo} AND {ahi} > {bhi}",
    ast.TimeDuring: "{alo} > {blo} AND {ahi} < {bhi}",
    ast.TimeContains: "{alo} < {blo} AND {ahi} > {bhi}",
    ast.TimeEnds: "{alo} > {blo} AND {ahi} = {bhi}",
    ast.TimeEndedBy: "{alo} < {blo} AND {ahi} = {bhi}",
    ast.TimeEquals: "{alo} = {blo} AND {ahi} = {bhi}",
    ast.TimeDisjoint: "{ahi} < {blo} OR {alo} > {bhi}",
    TimeIntersects: "{alo} <= {bhi} AND {ahi} >= {blo}",
}

CONDITIONS: tuple[
    tuple[type | tuple[type, ...], Callable[[Translator, Any], sql.Composable]], ...
] = (
    (ast.Combination, Translator.combination),
    (ast.Not, Translator.negation),
    (ast.Include, Translator.include),
    (ast.Comparison, Translator.comparison),
    (ast.Like, Translator.like),
    (ast.Between, Translator.between),
    (ast.In, Translator.in_list),
    (ast.IsNull, Translator.is_null),
    (ast.SpatialComparisonPredicate, Translator.spatial),
    (ast.BBox, Translator.bbox_predicate),
    (ast.TemporalPredicate, Translator.temporal),
)


def translate(
    node: ast.Node, collection: Collection, filter_crs: crs_mod.Crs
) -> tuple[sql.Composable, dict[str, Any]]:
    """The SQL condition of a parsed filter, and its parameters (named ``f0``, ``f1``…)."""
    translator = Translator(collection, filter_crs)
    return translator.condition(node), translator.params
