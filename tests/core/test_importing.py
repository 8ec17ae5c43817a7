"""The declaration vocabulary of import targets (``miasto.core.importing``): expressions and
target fields rendered as ``psycopg.sql`` compositions, names always identifiers."""

from __future__ import annotations

from miasto.core.importing import ImportTarget, TargetField
from miasto.core.importing.expressions import (
    Above,
    Area,
    Coalesce,
    Col,
    Concat,
    Const,
    Field,
    Geometry,
    Json,
    Left,
    NotMatching,
    Part,
    Round,
    Shape,
    Times,
    Unresolved,
)
from miasto.core.sql import as_text


def text(expr, row: str = "s") -> str:  # type: ignore[no-untyped-def]
    return as_text(expr.render(row))


def test_expressions_render_over_the_row():
    assert text(Field("area")) == '"s"."area"'
    assert text(Col("p", "id")) == '"p"."id"'
    assert text(Const("utility")) == "'utility'"
    assert text(Const(1)) == "1"
    assert text(Const(None)) == "NULL"
    assert text(Round(Area(), 1), "t") == 'round((ST_Area("t"."geom"))::numeric, 1)'
    assert text(Left(Field("ulic"), 5)) == 'left("s"."ulic", 5)'
    assert text(Part(Field("identifier"), ".", -1), "x") == (
        'split_part("x"."identifier", \'.\',  -1)'
    )
    assert text(Concat(Const("Obręb "), Field("code"))) == '(\'Obręb \' || "s"."code")'
    assert text(Coalesce(Field("height"), Times(Field("storeys"), 3.0))) == (
        'COALESCE("s"."height", ("s"."storeys" * 3.0))'
    )
    assert text(Json({})) == "'{}'::jsonb"
    assert "::geometry(MultiPolygon, 2180)" in text(Geometry(Shape.MULTIPOLYGON))
    assert text(Geometry(Shape.POINT)) == ('ST_PointOnSurface("s"."geom")::geometry(Point, 2180)')


def test_conditions():
    assert text(Above(Field("n"), 1)) == '"s"."n" > 1'
    assert text(Unresolved(Field("street"), Field("street_id"))) == (
        '"s"."street" IS NOT NULL AND "s"."street_id" IS NULL'
    )
    assert text(NotMatching(Field("postcode"), r"^\d{2}-\d{3}$")).startswith('"s"."postcode" !~')


def test_variadic_expressions_compare_by_value():
    assert Concat(Field("a"), Const(" ")) == Concat(Field("a"), Const(" "))
    assert Concat(Field("a")) != Coalesce(Field("a"))
    assert len({Coalesce(Field("a"), Field("b")), Coalesce(Field("a"), Field("b"))}) == 1


def test_hostile_names_stay_names():
    """A name from a file is an identifier: quotes doubled, ``%`` doubled for a query run
    with parameters (never a placeholder)."""
    assert text(Field('a"b%s')) == '"s"."a""b%%s"'
    f = TargetField("number", "int")
    assert as_text(f.select('x%(y)s"; --')) == (
        'NULLIF(trim(("t"."x%%(y)s""; --")::text), \'\')::numeric::integer'
    )


def test_target_field_values():
    area = TargetField("area", "decimal", default=Round(Area(), 1))
    # not mapped: the default, typed
    assert as_text(area.select(None)) == '(round((ST_Area("t"."geom"))::numeric, 1))::numeric'
    # mapped: the column cast, the default where it is empty
    assert as_text(area.select("pow")) == (
        "COALESCE(NULLIF(replace(trim((\"t\".\"pow\")::text), ',', '.'), '')::numeric, "
        'round((ST_Area("t"."geom"))::numeric, 1))'
    )
    assert as_text(TargetField("name").select(None)) == "(NULL)::text"
    assert as_text(TargetField("name").select("Nazwa")) == (
        'NULLIF(trim(("t"."Nazwa")::text), \'\')'
    )


def test_source_select_names_the_table_and_fields():
    target = ImportTarget(
        key="t",
        label="t",
        fields=(
            TargetField("name", required=True),
            TargetField("storeys", "int", default=Const(1)),
        ),
    )
    select = as_text(target.source_select("datahub_data.v7", {"name": "Nazwa"}))
    assert select == (
        'SELECT t.fid, NULLIF(trim(("t"."Nazwa")::text), \'\') AS "name", '
        '(1)::integer AS "storeys", t.geom FROM "datahub_data"."v7" t'
    )
