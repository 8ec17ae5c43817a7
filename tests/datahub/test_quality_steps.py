"""The named steps of the quality check (miasto.datahub.quality), each on its own: a small
hand-made layer (tests/datahub/test_quality_equivalence.py's ``make_layer``), one step run,
what it made or answered checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from psycopg import sql

from miasto.core.db import fetch_all, fetch_value
from miasto.core.sql import as_text
from miasto.datahub import quality
from miasto.datahub.importers import PARCEL_ID_SQL
from miasto.datahub.quality import baseline, checks, duplicates, overlaps, pieces, tables
from tests.datahub.test_quality_equivalence import OK, SRID, X0, Y0, box, make_layer

pytestmark = pytest.mark.django_db

#: (identifier, land_use, geometry SQL): two lots side by side, a copy of the first with the
#: key of the second, a bow-tie, a lot outside the city, a lot with no key
LAYER: list[tuple[str | None, str | None, str]] = [
    (OK + "1", "B", box(0, 0)),
    (OK + "2", "", box(25, 0)),
    (OK + "2", "B", box(0, 0)),
    (
        OK + "4",
        None,
        f"ST_GeomFromText('POLYGON(({X0} {Y0 + 100}, {X0 + 20} {Y0 + 120}, {X0 + 20} "
        f"{Y0 + 100}, {X0} {Y0 + 120}, {X0} {Y0 + 100}))', {SRID})",
    ),
    (OK + "5", "B", box(8_000, 0)),
    (None, "B", box(50, 0)),
]


@pytest.fixture
def layer() -> Iterator[str]:
    table = make_layer("steps", LAYER)
    yield table
    with connection.cursor() as cur:
        for suffix in ("", "_changed", "_diff", "_pieces", "_cand"):
            cur.execute(f"DROP TABLE IF EXISTS {table}{suffix}")


def _run(table: str, **options: object) -> checks.QualityRun:
    return checks.QualityRun.of(
        table,
        {
            "key_columns": ["identifier"],
            "rules": quality.rules_for(True, {}),
            "parcels": True,
            "key_regex": PARCEL_ID_SQL,
            **options,  # type: ignore[typeddict-item]
        },
    )


def test_names_from_data_are_identifiers() -> None:
    assert as_text(tables.ident("datahub_data.stg_ab")) == '"datahub_data"."stg_ab"'
    assert as_text(tables.ident("datahub_data.stg_ab", "_pieces")) == (
        '"datahub_data"."stg_ab_pieces"'
    )
    # a name with a quote or a percent sign names itself
    assert as_text(tables.ident('s.a"b%c')) == '"s"."a""b%%c"'
    assert as_text(checks.filled('x"; DROP', "text")) == (
        'NULLIF(trim("t"."x""; DROP"::text), \'\') IS NOT NULL'
    )
    assert as_text(checks.filled("n", "integer")) == '"t"."n" IS NOT NULL'


def test_run_from_the_keyword_arguments() -> None:
    run = _run(
        "datahub_data.v1",
        previous_table="datahub_data.v0",
        previous_key="id",
        previous_city="abc",
        previous_unique=True,
    )
    assert run.baseline == quality.Baseline("datahub_data.v0", "id", "abc", True)
    assert run.regex_key == "identifier" and run.limit == 100
    two_keys = checks.QualityRun("t.t", ["a", "b"], {"list_limit": 5}, key_regex="x")
    assert two_keys.regex_key is None and two_keys.limit == 5


def test_parts_sql() -> None:
    whole = pieces.Parts(sql.SQL("(…)"), "s.t", "s.t_pieces")
    assert as_text(whole.keep("x")) == "TRUE"
    cut = pieces.Parts(sql.SQL("(…)"), "s.t", "s.t_pieces", "3,7")
    assert as_text(cut.keep("x")) == ('("x"."piece" OR NOT "x"."fid" = ANY (\'{3,7}\'::integer[]))')
    driver, other = cut.driver(sql.SQL("p.a"), sql.SQL("p.b"))
    assert as_text(driver) == "CASE WHEN p.a = ANY ('{3,7}'::integer[]) THEN p.b ELSE p.a END"
    assert as_text(other) == "CASE WHEN p.a = ANY ('{3,7}'::integer[]) THEN p.a ELSE p.b END"


def test_context_and_counts(city, layer) -> None:  # type: ignore[no-untyped-def]
    ctx = checks.context(_run(layer))
    assert ctx.types == {"identifier": "text", "land_use": "text"}
    assert ctx.n_city == 1 and ctx.city == quality.city_fingerprint() and ctx.changed is None
    counts = checks.count_problems(ctx)
    assert (counts.total, counts.null, counts.empty) == (6, 0, 0)
    assert counts.invalid == 1  # the bow-tie
    assert counts.bad_keys == 1  # no key
    assert counts.outside == 1
    assert counts.filled == {"identifier": 5, "land_use": 4}


def test_repair_in_place(city, layer) -> None:  # type: ignore[no-untyped-def]
    ctx = checks.context(_run(layer))
    counts = checks.count_problems(ctx)
    fixed = checks.repair(ctx, counts)
    assert [f for f, _reason in fixed.items] == [4]
    assert (fixed.unrepairable, fixed.broken, fixed.outside) == (0, False, 1)
    assert fetch_value(f"SELECT GeometryType(geom) FROM {layer} WHERE fid = 4") == "MULTIPOLYGON"
    assert fixed.report(counts.invalid)["repaired"] == 1


def test_duplicates(city, layer) -> None:  # type: ignore[no-untyped-def]
    assert duplicates.duplicate_geometries(layer, from_changed=False) == [([1, 3],)]
    assert duplicates.any_repeated(layer, ["identifier"])
    assert not duplicates.any_repeated(layer, ["identifier", "land_use"])
    assert duplicates.duplicate_keys(layer, ["identifier"]) == [(OK + "2", [2, 3])]
    ctx = checks.context(_run(layer))
    found, groups = checks.duplicate_checks(ctx, checks.count_problems(ctx))
    assert groups == [([1, 3],)]
    assert found["duplicate_keys"]["count"] == 1
    assert found["invalid_keys"]["items"] == [{"fid": 6, "key": None}]


def test_changed_since_the_baseline(city, layer) -> None:  # type: ignore[no-untyped-def]
    previous = make_layer(
        "steps_prev",
        [
            (OK + "1", "B", box(0, 0)),
            (OK + "2", "X", box(25, 0)),
            (OK + "9", "B", box(50, 0)),
            (OK + "5", "B", box(8_000, 0)),
        ],
    )
    try:
        # by geometry alone only the bow-tie changed (the copy of lot 1 is found there)
        assert baseline.changed_features(layer, previous) == 1
        assert fetch_all(f"SELECT fid FROM {layer}_changed") == [(4,)]
        # with the key too: the copy (another key), the bow-tie and the lot without a key
        same_key = baseline.SameKey("identifier", "identifier")
        assert baseline.changed_features(layer, previous, same_key) == 3
        assert fetch_all(f"SELECT fid FROM {layer}_changed ORDER BY 1") == [(3,), (4,), (6,)]
        # attributes: lot 2's land use differs (not moved)
        assert baseline.changed_features(layer, previous, None, ["land_use"]) == 1
        diff = fetch_all(f"SELECT fid, moved FROM {layer}_diff ORDER BY 1")
        assert diff == [(2, False), (4, True)]
        # no baseline, or one that is gone: every feature checked
        assert baseline.changed_features(layer, None) is None
        assert baseline.changed_features(layer, "datahub_data.gone") is None
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE {previous}")


def test_pieces_of_a_big_parcel(city) -> None:  # type: ignore[no-untyped-def]
    road = (
        f"ST_Segmentize(ST_MakePolygon(ST_ExteriorRing({box(300, 0, 200, 200)}), "
        f"ARRAY[ST_ExteriorRing({box(350, 50, 100, 100)})]), 5)"
    )
    table = make_layer("steps_pieces", [(OK + "1", "R", road), (OK + "2", "B", box(0, 0))])
    cut = f"{table}_pieces"
    try:
        pieces.build_pieces(table, cut, big_only=False)
        rows = fetch_all(f"SELECT big, count(*), sum(ST_Area(geom)) FROM {cut} GROUP BY 1")
        by_big = {big: (n, area) for big, n, area in rows}
        assert by_big[False] == (1, 625.0)  # the lot, whole
        assert by_big[True][0] > 1 and by_big[True][1] == pytest.approx(200 * 200 - 100 * 100)
        assert pieces.parts(table, cut).big == "1"
        # only near the lot: the road's box does not meet it, nothing is cut
        pieces.build_pieces(table, cut, big_only=True, near=[2])
        assert fetch_value(f"SELECT count(*) FROM {cut}") == 0
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {cut}")
            cur.execute(f"DROP TABLE {table}")


@pytest.mark.parametrize("broken", [True, False])
def test_overlaps(city, broken) -> None:  # type: ignore[no-untyped-def]
    lots = [box(0, 0), box(20, 0), box(100, 0)]  # 1 and 2 overlap by 5 × 25 m
    table = make_layer("steps_overlaps", [(OK + str(n), "B", g) for n, g in enumerate(lots)])
    try:
        check = overlaps.OverlapCheck(table, tolerance=1.0, total=3, limit=10, broken=broken)
        found = overlaps.overlaps(check)
        assert found["mode"] == ("full" if broken else "edges")
        assert found["count"] == 1
        assert found["items"] == [{"a": 1, "b": 2, "area": 125.0}]
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE {table}")


def test_gaps(city) -> None:  # type: ignore[no-untyped-def]
    # a ring of lots around a 10 × 10 m hole
    ring = [box(0, 0, 30, 10), box(0, 20, 30, 10), box(0, 10, 10, 10), box(20, 10, 10, 10)]
    table = make_layer("steps_gaps", [(OK + str(n), "B", g) for n, g in enumerate(ring)])
    try:
        assert overlaps.gaps(table, 1.0, 10) == {
            "count": 1,
            "tolerance_m2": 1.0,
            "items": [
                {
                    "area": 100.0,
                    "x": pytest.approx(X0 + 15, abs=5),
                    "y": pytest.approx(Y0 + 15, abs=5),
                }
            ],
        }
        assert overlaps.gaps(table, 150.0, 10)["count"] == 0
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE {table}")
