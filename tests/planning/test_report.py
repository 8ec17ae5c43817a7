"""The parcel planning report on a hand-made parcel with known answers.

Parcel 40 × 25 m (1 000 m²) at (X, Y): zone 1MN covers its western 24 m (600 m²), zone 2MW
its eastern 16 m (400 m²); a zone of a second plan reaches 0.02 m into its northern edge
(0.5 m², a sliver); an annulled plan covered all of it in 2015–2020. One building 10 × 10 m,
2 storeys (200 m² floor area), a non-exceedable building line across it, a flood hazard area
over its eastern 10 m (share 0.25).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon

from miasto.planning.models import BuildingLine
from miasto.planning.report import parcel_report
from miasto.planning.services import plan_change_status, plan_create, plan_set_zones
from miasto.planning.statuses import PlanStatus as S
from miasto.planning.validation import ZoneInput
from tests.planning.conftest import box
from tests.territory.factories import (
    BuildingFactory,
    ConstraintFactory,
    ParcelFactory,
    PrecinctFactory,
    square,
)

X, Y = 500_000.0, 400_000.0
ENACTED = dt.date(2021, 1, 1)


def _enact(plan, day):
    for step in (S.IN_PREPARATION, S.CONSULTATION, S.ADOPTED, S.IN_FORCE):
        plan_change_status(plan=plan, status=step, effective=day)
    plan.refresh_from_db()
    return plan


def _params(intensity: str, coverage: str, bio: str) -> dict[str, Decimal]:
    return {
        "min_intensity": Decimal("0.1"),
        "max_intensity": Decimal(intensity),
        "max_coverage": Decimal(coverage),
        "min_bio_active": Decimal(bio),
        "max_height": Decimal("12"),
        "max_storeys": Decimal("3"),
    }


def _plan(local_id, zones, day, *, geom):
    plan = plan_create(
        kind="mpzp", title=f"Plan {local_id}", local_id=local_id,
        namespace="PL.ZIPPZP.9/999999-MPZP", geom=geom,
    )  # fmt: skip
    plan_set_zones(plan=plan, zones=zones)
    return _enact(plan, day)


@pytest.fixture
def site(db):
    precinct = PrecinctFactory(unit="106401_1", code="0007")
    parcel = ParcelFactory(
        precinct=precinct,
        number="12/3",
        geom=MultiPolygon(box_poly(X, Y, X + 40, Y + 25), srid=2180),
        area=1000.0,
    )
    main = _plan(
        "R1",
        [
            ZoneInput(
                local_id="R1-1MN",
                designation="1MN",
                category="plan_area",
                params=_params("1.2", "40", "30"),
                geom=box(X - 20, Y - 10, X + 24, Y + 40),
            ),
            ZoneInput(
                local_id="R1-2MW",
                designation="2MW",
                category="plan_area",
                params=_params("0.6", "30", "40"),
                geom=box(X + 24, Y - 10, X + 60, Y + 40),
            ),
        ],  # fmt: skip
        ENACTED,
        geom=box(X - 20, Y - 10, X + 60, Y + 40),
    )
    _plan(
        "R2",
        [
            ZoneInput(
                local_id="R2-1U",
                designation="1U",
                category="plan_area",
                params=_params("2.0", "60", "20"),
                geom=box(X, Y + 24.98, X + 25, Y + 60),
            )
        ],  # fmt: skip
        ENACTED,
        geom=box(X, Y + 24.98, X + 25, Y + 60),
    )
    old = _plan(
        "R0",
        [
            ZoneInput(
                local_id="R0-1P",
                designation="1P",
                category="plan_area",
                params=_params("0.8", "50", "10"),
                geom=box(X - 5, Y - 5, X + 45, Y + 30),
            )
        ],  # fmt: skip
        dt.date(2015, 1, 1),
        geom=box(X - 5, Y - 5, X + 45, Y + 30),
    )
    plan_change_status(plan=old, status=S.ANNULLED, effective=dt.date(2020, 6, 1))
    BuildingFactory(parcel=parcel, storeys=2, geom=square(X + 2, Y + 2, 10.0))
    zone_mn = main.zones.get(designation="1MN")
    BuildingLine.objects.create(
        plan=main,
        zone=zone_mn,
        kind=BuildingLine.Kind.NON_EXCEEDABLE,
        geom=MultiLineString(LineString((X - 5, Y + 6), (X + 45, Y + 6)), srid=2180),
    )
    ConstraintFactory(geom=MultiPolygon(square(X + 30, Y - 10, 40.0), srid=2180))
    # a constraint touching the parcel only along 0.01 m: a sliver, ignored
    ConstraintFactory(
        name="Strefa hałasu",
        kind="noise",
        geom=MultiPolygon(box_poly(X - 50, Y - 10, X + 0.01, Y + 40), srid=2180),
    )
    return parcel


def box_poly(x0, y0, x1, y1):
    from django.contrib.gis.geos import Polygon

    return Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)), srid=2180)


def _zones(report):
    return {z["designation"]: z for plan in report["plans"] for z in plan["zones"]}


def test_zones_shares_and_sliver(site):
    report = parcel_report(site.identifier)
    assert report["parcel"] == {
        "identifier": "106401_1.0007.12/3", "area": 1000.0, "geometry_area": 1000.0
    }  # fmt: skip
    assert report["as_of"] == dt.date.today().isoformat()
    zones = _zones(report)
    assert set(zones) == {"1MN", "2MW"}  # the 0.5 m² of 1U and the annulled 1P are not there
    assert report["ignored_slivers"] == 1
    assert (zones["1MN"]["area"], zones["1MN"]["share"]) == (600.0, 0.6)
    assert (zones["2MW"]["area"], zones["2MW"]["share"]) == (400.0, 0.4)
    assert [p["local_id"] for p in report["plans"]] == ["R1"]
    assert (report["plans"][0]["area"], report["plans"][0]["share"]) == (1000.0, 1.0)
    assert report["plans"][0]["status"] == "in_force"
    assert zones["1MN"]["parameters"] == {
        "min_intensity": 0.1, "max_intensity": 1.2, "max_coverage": 40, "min_bio_active": 30,
        "max_height": 12, "max_storeys": 3, "min_plot_area": None, "parking_ratio": None,
    }  # fmt: skip
    assert zones["2MW"]["land_use_classes"] == ["MW"]
    assert report["configuration"]["min_area"] == 1.0
    assert report["configuration"]["min_share"] == 0.005


def test_derived_figures(site):
    report = parcel_report(site.identifier)
    mn, mw = _zones(report)["1MN"]["derived"], _zones(report)["2MW"]["derived"]
    assert mn == {
        "max_floor_area": 720.0, "max_footprint": 240.0, "min_bio_active_area": 180.0,
        "existing_floor_area": 200.0, "remaining_floor_area": 520.0,
    }  # fmt: skip
    assert mw == {
        "max_floor_area": 240.0, "max_footprint": 120.0, "min_bio_active_area": 160.0,
        "existing_floor_area": 0.0, "remaining_floor_area": 240.0,
    }  # fmt: skip
    assert report["buildings"] == {"count": 1, "footprint_area": 100.0, "floor_area": 200.0}
    assert report["totals"] == {
        "basis": "plan_area", "area": 1000.0, "max_floor_area": 960.0, "max_footprint": 360.0,
        "min_bio_active_area": 340.0, "existing_floor_area": 200.0, "remaining_floor_area": 760.0,
        "complete": True, "uncovered_area": 0.0, "unknown": [],
        "partial": {"max_floor_area": 960.0, "max_footprint": 360.0,
                    "min_bio_active_area": 340.0},
    }  # fmt: skip


def test_remaining_capacity_not_below_zero(site):
    BuildingFactory(
        parcel=site, identifier="B2", storeys=9, geom=square(X + 14, Y + 2, 20.0)
    )  # 400 m² × 9 = 3 600 m²
    totals = parcel_report(site.identifier)["totals"]
    assert totals["existing_floor_area"] == 3800.0
    assert totals["remaining_floor_area"] == 0.0


def test_building_lines_and_constraints(site):
    report = parcel_report(site.identifier)
    assert [(b["kind"], b["length"]) for b in report["building_lines"]] == [
        ("non_exceedable", 40.0)
    ]
    assert [(c["kind"], c["label"], c["area"], c["share"]) for c in report["constraints"]] == [
        ("flood_1pct", "Obszar szczególnego zagrożenia powodzią", 250.0, 0.25)
    ]


def test_history_as_of(site):
    past = parcel_report(site.identifier, dt.date(2018, 5, 1))
    assert set(_zones(past)) == {"1P"}
    assert past["plans"][0]["status"] == "annulled"
    p = _zones(past)["1P"]
    assert (p["area"], p["share"], p["derived"]["max_floor_area"]) == (1000.0, 1.0, 800.0)
    assert past["building_lines"] == []  # the line came with the 2021 plan
    assert set(_zones(parcel_report(site.identifier, dt.date(2020, 6, 1)))) == set()
    assert parcel_report(site.identifier, dt.date(2020, 6, 1))["totals"]["max_floor_area"] is None
    assert set(_zones(parcel_report(site.identifier, dt.date(2021, 1, 1)))) == {"1MN", "2MW"}


def test_unknown_parcel_is_none(db):
    assert parcel_report("106401_1.0001.999") is None


# ------------------------------------------------------------------ API ---------------------


def test_api_contract(client, site):
    response = client.get(f"/api/v1/parcels/{site.identifier}/planning")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["totals"]["max_floor_area"] == 960.0
    assert body["totals"]["remaining_floor_area"] == 760.0
    assert set(body) >= {
        "parcel", "as_of", "configuration", "plans", "building_lines", "constraints",
        "buildings", "totals", "ignored_slivers",
    }  # fmt: skip
    past = client.get(f"/api/v1/parcels/{site.identifier}/planning?as_of=2018-05-01").json()
    assert past["as_of"] == "2018-05-01"
    assert {z["designation"] for p in past["plans"] for z in p["zones"]} == {"1P"}
    # the territory's parcel panel still answers under its own route
    assert client.get(f"/api/v1/parcels/{site.identifier}").json()["identifier"] == (
        site.identifier
    )


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/api/v1/parcels/abc/planning", 400, "WWPPGG_R.XXXX.NDZ"),
        ("/api/v1/parcels/106401_1.0007.0/planning", 400, "Oczekiwany format"),
        ("/api/v1/parcels/106401_1.0007.999/planning", 404, "Nie znaleziono działki"),
        ("/api/v1/parcels/106401_1.0007.12/3/planning?as_of=2024-13-01", 400, "RRRR-MM-DD"),
        ("/api/v1/parcels/106401_1.0007.12/3/planning?as_of=wczoraj", 400, "RRRR-MM-DD"),
        ("/api/v1/parcels/106401_1.0007.12/3/planning?as_of=20240101", 400, "as_of"),
        ("/api/v1/parcels/106401_1.0007.12/3/planning?as_of=2024-02-30", 400, "as_of"),
    ],
)
def test_api_bad_input(client, site, path, status, fragment):
    response = client.get(path)
    assert response.status_code == status
    assert fragment in response.json()["message"]


def test_api_empty_as_of_means_today(client, site):
    body = client.get(f"/api/v1/parcels/{site.identifier}/planning?as_of=").json()
    assert body["as_of"] == dt.date.today().isoformat()
