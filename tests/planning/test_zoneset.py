"""ZoneSet: zones in force on a date, a draft plan put in place of what it covers, overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import shapely
from django.db import connection

from miasto.planning.services import plan_change_status, plan_create, plan_set_zones
from miasto.planning.statuses import PlanStatus as S
from miasto.planning.validation import ZoneInput
from miasto.planning.zoneset import ZoneSet
from tests.planning.conftest import box

X, Y = 500_000.0, 400_000.0
NS = "PL.ZIPPZP.9/999999-MPZP"


def _zone(local_id: str, designation: str, intensity: str, geom) -> ZoneInput:  # type: ignore[no-untyped-def]
    params = {
        "min_intensity": Decimal("0.1"),
        "max_intensity": Decimal(intensity),
        "max_coverage": Decimal("40"),
        "min_bio_active": Decimal("30"),
        "max_height": Decimal("12"),
        "max_storeys": Decimal("3"),
    }
    return ZoneInput(
        local_id=local_id, designation=designation, category="plan_area", params=params, geom=geom
    )


def _rows(zs: ZoneSet) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT designation, round(ST_Area(geom)::numeric), max_intensity, scenario "
            f"FROM ({zs.sql}) z ORDER BY designation",
            zs.params(),
        )
        return cursor.fetchall()


@pytest.fixture
def plans(db):  # type: ignore[no-untyped-def]
    in_force = plan_create(
        kind="mpzp", title="Obowiązujący", local_id="Z1", namespace=NS,
        geom=box(X, Y, X + 200, Y + 100),
    )  # fmt: skip
    plan_set_zones(
        plan=in_force,
        zones=[
            _zone("Z1-1MN", "1MN", "0.6", box(X, Y, X + 100, Y + 100)),
            _zone("Z1-2MW", "2MW", "1.2", box(X + 100, Y, X + 200, Y + 100)),
        ],
    )
    for step in (S.IN_PREPARATION, S.CONSULTATION, S.ADOPTED, S.IN_FORCE):
        plan_change_status(plan=in_force, status=step, effective=dt.date(2020, 1, 1))
    draft = plan_create(
        kind="mpzp", title="Projekt", local_id="Z2", namespace=NS,
        geom=box(X + 150, Y, X + 250, Y + 100),
    )  # fmt: skip
    plan_set_zones(
        plan=draft, zones=[_zone("Z2-1MW", "1MW", "2.0", box(X + 150, Y, X + 250, Y + 100))]
    )
    return in_force, draft


def test_in_force_only_enacted_zones_valid_on_the_date(plans):  # type: ignore[no-untyped-def]
    assert _rows(ZoneSet(as_of=dt.date(2019, 12, 31))) == []
    rows = _rows(ZoneSet(as_of=dt.date(2024, 1, 1)))
    assert rows == [
        ("1MN", Decimal("10000"), Decimal("0.60"), False),
        ("2MW", Decimal("10000"), Decimal("1.20"), False),
    ]


def test_draft_replaces_what_it_covers(plans):  # type: ignore[no-untyped-def]
    _, draft = plans
    rows = _rows(ZoneSet(as_of=dt.date(2024, 1, 1), drafts=(draft.pk,)))
    assert rows == [
        ("1MN", Decimal("10000"), Decimal("0.60"), False),
        ("1MW", Decimal("10000"), Decimal("2.00"), True),
        ("2MW", Decimal("5000"), Decimal("1.20"), False),  # clipped by the draft's boundary
    ]


def test_overrides_change_one_parameter_of_one_zone(plans):  # type: ignore[no-untyped-def]
    in_force, _ = plans
    mn = in_force.zones.get(designation="1MN")
    zs = ZoneSet(as_of=dt.date(2024, 1, 1), overrides={mn.pk: {"max_intensity": "0.9"}})
    assert zs.is_scenario
    assert [r[2] for r in _rows(zs)] == [Decimal("0.9"), Decimal("1.20")]
    with pytest.raises(ValueError):
        ZoneSet(overrides={mn.pk: {"max_intensity": "NaN"}}).sql  # noqa: B018


def test_zone_pieces_follow_the_zones(plans):  # type: ignore[no-untyped-def]
    """planning_zone_piece: cut on insert (32 and 256 vertices), recut on a new geometry,
    removed with the zone; the pieces cover the zone exactly."""
    from django.contrib.gis.geos import GEOSGeometry

    in_force, _ = plans
    zone = in_force.zones.get(designation="1MN")

    def pieces() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT size, count(*), round(sum(ST_Area(geom))::numeric) "
                "FROM planning_zone_piece WHERE zone_id = %s GROUP BY size ORDER BY size",
                [zone.pk],
            )
            return cursor.fetchall()

    assert pieces() == [(32, 1, Decimal("10000")), (256, 1, Decimal("10000"))]
    # a zone with 400 vertices is cut into pieces that still add up to its area
    ring = shapely.Point(X + 50, Y + 50).buffer(40, quad_segs=100)
    zone.geom = GEOSGeometry(shapely.to_wkt(shapely.MultiPolygon([ring])), srid=2180)
    zone.save()
    rows = pieces()
    assert [r[0] for r in rows] == [32, 256] and rows[0][1] > rows[1][1] > 1
    assert all(abs(r[2] - Decimal(round(ring.area))) <= 1 for r in rows)
    zone.delete()
    assert pieces() == []


def test_overrides_are_composed_as_literals():
    """An overridden parameter is a quoted literal of the composition, the zone id an integer."""
    from psycopg import sql

    from miasto.core.sql import as_text

    zs = ZoneSet(overrides={7: {"max_intensity": "1.5", "max_height": None}})
    assert isinstance(zs.query, sql.Composed)
    text = as_text(zs.query)
    assert text == zs.sql
    assert "WHEN 7 THEN '1.5'::numeric" in text
    assert "WHEN 7 THEN NULL" in text
