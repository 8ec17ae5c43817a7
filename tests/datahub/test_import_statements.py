"""The builder of the spine targets' statements (``importers.statements``): every declared
target composes its statements from declarations — no SQL text in a declaration — and the
shapes publishing relies on are kept (one classifying join, hash-joinable keys, the lookups
joined by equal keys). A new target is one declaration."""

from __future__ import annotations

import re

import pytest

from miasto.core.importing import TargetField, import_targets
from miasto.core.importing.expressions import Const, Expr, Field, Geometry, Left, Shape
from miasto.core.sql import as_text
from miasto.datahub.importers import SpineTarget
from miasto.datahub.importers.declarations import Check, Located, NullAs, Step
from miasto.datahub.importers.spine import deal_halves
from miasto.territory import models as tm

SPINE = [t for t in import_targets if isinstance(t, SpineTarget)]


@pytest.mark.parametrize("target", SPINE, ids=lambda t: t.key)
def test_declarations_hold_no_sql_text(target: SpineTarget) -> None:
    assert all(isinstance(e, Expr) for e in target.columns.values())
    assert all(isinstance(e, Expr) for e in target.derived.values())
    assert all(isinstance(e, Expr) for e in target.insert_only.values())
    assert all(f.default is None or isinstance(f.default, Expr) for f in target.fields)
    assert all(isinstance(k, str | NullAs) for k in target.match)
    assert all(isinstance(c, Check) for c in target.checks)
    assert all(isinstance(s, Step) for s in target.steps)
    assert all(isinstance(loc, Located) for loc in target.located)


@pytest.mark.parametrize("target", SPINE, ids=lambda t: t.key)
def test_every_statement_composes(target: SpineTarget) -> None:
    mapping = {f.name: f.name for f in target.fields}
    statements = [
        target.src_statement("datahub_data.v1", mapping),
        target._plan_sql(),
        target._plan_sql(ahead=True),
        target._changed_plan_sql("datahub_data.v1_plan", "datahub_data.stg_x_diff"),
        target._gone_rows_sql("datahub_data.v1_plan"),
        target._update_sql(),
        target._delete_sql(),
        target._insert_sql(),
        *target._prepare_sql(),
        *(c.query() for c in target.checks),
    ]
    for statement in statements:
        text = as_text(statement)
        assert text and not re.search(r"\{[a-z_]*\}", text.replace("'{}'::jsonb", ""))


def test_one_full_join_classifies_the_rows() -> None:
    parcels = import_targets.get("parcels")
    assert isinstance(parcels, SpineTarget)
    plan = as_text(parcels._plan_sql())
    assert plan.count("FULL JOIN") == 1
    assert (
        'JOIN "territory_precinct" "p" ON "p"."unit" = "s"."unit" AND "p"."code" = "s"."code"'
        in (plan)
    )
    # ahead: the precinct outer-joined, a row without one marked
    ahead = as_text(parcels._plan_sql(ahead=True))
    assert 'LEFT JOIN "territory_precinct"' in ahead and 'COALESCE("p"."id" IS NULL' in ahead
    # a new precinct: the union of its parcels, named after its code
    (create,) = parcels._prepare_sql()
    assert "ST_Union" in as_text(create) and '(\'Obręb \' || "s"."code")' in as_text(create)


def test_address_keys_are_equalities() -> None:
    """``COALESCE(street_id, 0)``, never ``IS NOT DISTINCT FROM``: a hash join."""
    addresses = import_targets.get("addresses")
    assert isinstance(addresses, SpineTarget)
    plan = as_text(addresses._plan_sql())
    assert 'COALESCE("t"."street_id", 0) = COALESCE("v"."street_id", 0)' in plan
    assert "NOT DISTINCT" not in plan
    prepare = " ".join(
        line
        for s in addresses._prepare_sql()
        for line in as_text(s).splitlines()
        if not line.startswith("--")
    )
    assert "UNION ALL" in prepare  # the street by either name, one equi-join
    assert " OR " not in prepare


def test_kept_and_insert_only_columns() -> None:
    buildings = import_targets.get("buildings")
    constraints = import_targets.get("constraints")
    assert isinstance(buildings, SpineTarget) and isinstance(constraints, SpineTarget)
    update = as_text(buildings._update_sql())
    assert '"parcel_id" = COALESCE("v"."parcel_id", "t"."parcel_id")' in update
    assert '("v"."parcel_id" IS NOT NULL AND "t"."parcel_id" IS DISTINCT FROM' in update
    insert = as_text(constraints._insert_sql())
    assert '"attributes") SELECT' in insert and "'{}'::jsonb FROM" in insert
    assert "attributes" not in as_text(constraints._update_sql())


def test_a_new_target_is_one_declaration() -> None:
    """Declared with the vocabulary only: the builder makes all its statements."""
    target = SpineTarget(
        key="test_streets",
        label="ulice (test)",
        model=tm.Street,
        geometry="LINESTRING",
        key_fields=("name",),
        fields=(TargetField("name", required=True), TargetField("ulic", default=Const(""))),
        columns={
            "name": Field("name"),
            "kind": Const("ul."),
            "ulic": Left(Field("ulic"), 5),
            "road_class": Const("L"),
            "geom": Geometry(Shape.MULTILINESTRING),
        },
        match=("kind", "name"),
    )
    src = as_text(target.src_statement("datahub_data.v9", {"name": "NAZWA"}))
    assert src == (
        "CREATE TEMP TABLE _src ON COMMIT DROP AS SELECT t.fid, "
        'NULLIF(trim(("t"."NAZWA")::text), \'\') AS "name", (\'\')::text AS "ulic", t.geom '
        'FROM "datahub_data"."v9" t'
    )
    insert = as_text(target._insert_sql())
    assert insert.startswith('INSERT INTO "territory_street" ("name", "kind", "ulic", "road_class"')
    assert "'ul.' AS \"kind\"" in insert and "FROM _src s WHERE" in insert
    assert not target.prepares and target._state_queries() == []


def test_halves_of_about_equal_rows() -> None:
    halves, rows = deal_halves([("a", "1", 10), ("a", "2", 6), ("b", "1", 5), ("b", "2", 1)])
    assert halves == [("a", "1", 0), ("a", "2", 1), ("b", "1", 1), ("b", "2", 0)]
    assert rows == [11, 11]
    assert deal_halves([]) == ([], [0, 0])
