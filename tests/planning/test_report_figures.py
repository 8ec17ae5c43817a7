"""The figures of the parcel planning report when a parameter is missing or a local plan
covers only part of the parcel (hand-made parcels inside the demo city's extent).

Parcel A, 40 × 25 m (1 000 m²): the local plan's area 71R (no maximum intensity, coverage or
bio-active share: agricultural land) covers its western 24 m (600 m²), area 2MN (intensity
0.5, coverage 30 %, bio-active 50 %) the eastern 16 m (400 m²).

Parcel B, 40 × 25 m (1 000 m²) further east: the local plan covers its western half (500 m²,
area 5MN: intensity 0.8, coverage 40 %, bio-active 40 %); the general plan's zone 1SJ
(intensity 1.2, coverage 35 %, bio-active 45 %) covers the whole parcel, so its eastern half
(500 m²) is bound by the general plan. One building 10 × 10 m, 2 storeys, on the eastern half.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from miasto.planning import wypis
from miasto.planning.mapsvg import map_extract
from miasto.planning.report import parcel_report
from miasto.planning.services import plan_change_status, plan_create, plan_set_zones
from miasto.planning.statuses import PlanStatus as S
from miasto.planning.validation import ZoneInput
from tests.planning.conftest import box
from tests.territory.factories import BuildingFactory, ParcelFactory, PrecinctFactory, square

X, Y = 501_000.0, 402_000.0  # inside the demo city's extent
ENACTED = dt.date(2024, 3, 1)
D = Decimal


def _poly(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(
        Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)), srid=2180), srid=2180
    )


def _enact(plan):
    for step in (S.IN_PREPARATION, S.CONSULTATION, S.ADOPTED, S.IN_FORCE):
        plan_change_status(plan=plan, status=step, effective=ENACTED)
    plan.refresh_from_db()
    return plan


def _params(intensity: str | None, coverage: str | None, bio: str | None) -> dict:
    return {
        "max_intensity": None if intensity is None else D(intensity),
        "max_coverage": None if coverage is None else D(coverage),
        "min_bio_active": None if bio is None else D(bio),
        "max_height": D("12"),
    }


@pytest.fixture
def parcels(db):
    precinct = PrecinctFactory(unit="106401_1", code="0025")
    a = ParcelFactory(precinct=precinct, number="11", geom=_poly(X, Y, X + 40, Y + 25))
    b = ParcelFactory(precinct=precinct, number="12", geom=_poly(X + 100, Y, X + 140, Y + 25))
    local = plan_create(
        kind="mpzp", title="Plan R", local_id="F1MPZP", namespace="PL.ZIPPZP.9/106401-MPZP",
        geom=box(X - 10, Y - 10, X + 120, Y + 40),
    )  # fmt: skip
    plan_set_zones(
        plan=local,
        zones=[
            ZoneInput(local_id="F1MPZP-71R", designation="71R", category="plan_area",
                      params=_params(None, None, None), geom=box(X - 10, Y - 10, X + 24, Y + 40)),
            ZoneInput(local_id="F1MPZP-2MN", designation="2MN", category="plan_area",
                      params=_params("0.5", "30", "50"), geom=box(X + 24, Y - 10, X + 60, Y + 40)),
            ZoneInput(local_id="F1MPZP-5MN", designation="5MN", category="plan_area",
                      params=_params("0.8", "40", "40"),
                      geom=box(X + 60, Y - 10, X + 120, Y + 40)),
        ],
    )  # fmt: skip
    _enact(local)
    general = plan_create(
        kind="pog", title="Plan ogólny", local_id="F1POG", namespace="PL.ZIPPZP.9/106401-POG",
        geom=box(X - 200, Y - 200, X + 400, Y + 200),
    )  # fmt: skip
    plan_set_zones(
        plan=general,
        zones=[
            ZoneInput(local_id="F1POG-1SJ", designation="1SJ", symbol="SJ", category="pog_zone",
                      basic_profile=["MN", "U", "K", "ZP", "ZD", "I"],
                      params=_params("1.2", "35", "45"),
                      geom=box(X - 200, Y - 200, X + 400, Y + 200)),
        ],
    )  # fmt: skip
    _enact(general)
    BuildingFactory(parcel=b, storeys=2, geom=square(X + 125, Y + 5, 10.0))
    return a, b


def _zones(report):
    return {z["designation"]: z for plan in report["plans"] for z in plan["zones"]}


def test_zone_without_max_intensity_is_unknown_not_zero(parcels):
    a, _b = parcels
    report = parcel_report(a.identifier, ENACTED)
    r = _zones(report)["71R"]
    assert r["parameters"]["max_intensity"] is None
    assert r["derived"]["max_floor_area"] is None
    assert r["derived"]["remaining_floor_area"] is None  # was 0.0
    assert r["derived"]["max_footprint"] is None
    assert _zones(report)["2MN"]["derived"]["remaining_floor_area"] == 200.0


def test_totals_with_an_unknown_part_are_unknown_and_incomplete(parcels):
    a, _b = parcels
    totals = parcel_report(a.identifier, ENACTED)["totals"]
    assert totals["basis"] == "plan_area"
    assert totals["area"] == 1000.0
    assert totals["max_floor_area"] is None  # not 200 (the known part only)
    assert totals["remaining_floor_area"] is None
    assert totals["max_footprint"] is None
    assert totals["complete"] is False
    assert totals["partial"]["max_floor_area"] == 200.0  # at least this, from 2MN
    [unknown] = totals["unknown"]
    assert (unknown["designation"], unknown["area"]) == ("71R", 600.0)
    assert unknown["missing"] == ["max_intensity", "max_coverage", "min_bio_active"]


def test_parcel_half_in_a_local_plan_counts_the_general_plan_on_the_rest(parcels):
    _a, b = parcels
    report = parcel_report(b.identifier, ENACTED)
    zones = _zones(report)
    assert zones["5MN"]["area"] == 500.0 and zones["5MN"]["binding_area"] == 500.0
    # the general-plan zone lies over the whole parcel; it binds only outside the local plan
    assert zones["1SJ"]["area"] == 1000.0 and zones["1SJ"]["binding_area"] == 500.0
    totals = report["totals"]
    assert totals["basis"] == "mixed"
    assert totals["area"] == 1000.0
    assert totals["max_floor_area"] == 500 * 0.8 + 500 * 1.2  # 1 000
    assert totals["max_footprint"] == 500 * 0.40 + 500 * 0.35  # 375
    assert totals["min_bio_active_area"] == 500 * 0.40 + 500 * 0.45  # 425
    assert totals["existing_floor_area"] == 200.0
    assert totals["remaining_floor_area"] == 800.0
    assert totals["complete"] is True and totals["unknown"] == []


def test_local_plan_over_the_whole_parcel_leaves_the_general_plan_out(parcels):
    a, _b = parcels
    zones = _zones(parcel_report(a.identifier, ENACTED))
    assert zones["1SJ"]["binding_area"] == 0.0  # shown, but the local plan binds


def test_parcel_outside_every_plan_is_not_complete(db):
    parcel = ParcelFactory(
        precinct=PrecinctFactory(unit="106401_1", code="0026"), number="1",
        geom=_poly(X + 1000, Y, X + 1020, Y + 20),
    )  # fmt: skip
    totals = parcel_report(parcel.identifier)["totals"]
    assert totals["basis"] == "none"
    assert totals["max_floor_area"] is None and totals["remaining_floor_area"] is None
    assert totals["complete"] is False
    assert totals["uncovered_area"] == 400.0


def test_html_and_pdf_say_not_set(client, parcels):
    a, _b = parcels
    page = client.get(f"/planowanie/wypis/{a.identifier}/?as_of={ENACTED.isoformat()}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "nie ustalono" in text
    assert "niepełne" in text  # the totals are marked incomplete
    pdf = wypis.pdf_html(wypis.build([a.identifier], ENACTED))
    assert "nie ustalono" in pdf and "niepełne" in pdf


def test_map_extract_draws_the_general_plan_where_it_binds(parcels):
    a, b = parcels
    half = map_extract([b.identifier], ENACTED)
    assert half is not None and half.counts["zones"] >= 2
    assert ">1SJ<" in half.svg and ">5MN<" in half.svg  # both plans bind parts of B
    whole = map_extract([a.identifier], ENACTED)
    assert whole is not None
    assert ">1SJ<" not in whole.svg  # the local plan covers all of A
    assert ">71R<" in whole.svg
