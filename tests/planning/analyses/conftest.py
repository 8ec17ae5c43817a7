"""A small hand-made town whose analysis results are known by hand.

Town 2000 × 1000 m (2 000 000 m²) at (X, Y): district 01 "Zachód" x 0–1000, district 02
"Wschód" x 1000–2000, one block each.

Plans (all enacted; dates are when they came into force):

- local plan L1 (2010-01-01): area 1MN x 0–500 over district 01 (500 000 m²), intensity 0.6;
- local plan L2 (2015-06-01): area 1MW x 1000–1250 in district 02 (250 000 m²), intensity 1.2;
- general plan G (2020-01-01): zone 1SJ over district 01 (intensity 0.8), 1SW over 02 (2.0).

Residents: 100 in the MN area, 50 elsewhere in 01, 30 in the MW area, 20 elsewhere in 02.

Parcels (capacity):

- P1 2000 m² inside 1MN, a 10 × 10 m house of 2 storeys: allowed 1200, existing 200,
  remaining 1000 m² → ⌊1000 × 0.75 ÷ 60⌋ = 12 dwellings, 27.6 residents;
- P2 1000 m² in 01 outside local plans (1SJ, 0.8, residential share 0.85), a 10 × 10 m house
  of 1 storey: allowed 800, existing 100, remaining 700, residential 595 → 7 dwellings;
- P3 1000 m² across the edge of 1MN (500 m² inside): each part counts with the plan that
  binds it — the local plan inside 1MN (500 × 0.6 = 300), the general plan's 1SJ on the rest
  (500 × 0.8 = 400) → allowed 700, no buildings → residential 300 + 400 × 0.85 = 640 →
  ⌊640 × 0.75 ÷ 60⌋ = 8 dwellings.

Constraints: a 1 % flood area x 0–100 (100 000 m² over 1MN and over 1SJ → two conflicts of
the housing/flood rule); a 5 × 10 m noise sliver at the edge of 1MN (50 m² < 100 m²:
ignored, for 1MN and for 1SJ).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import shapely
from django.contrib.gis.geos import MultiPolygon, Polygon

from miasto.planning.models import Plan
from miasto.planning.services import plan_change_status, plan_create, plan_set_zones
from miasto.planning.statuses import PlanStatus as S
from miasto.planning.validation import ZoneInput
from miasto.territory import models as tm
from tests.territory import factories as tf

X, Y = 500_000.0, 400_000.0
NS = "PL.ZIPPZP.9/999999-MPZP"
NS_POG = "PL.ZIPPZP.9/999999-POG"


def rect(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return Polygon(
        ((X + x0, Y + y0), (X + x1, Y + y0), (X + x1, Y + y1), (X + x0, Y + y1), (X + x0, Y + y0)),
        srid=2180,
    )


def multi(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(rect(x0, y0, x1, y1), srid=2180)


def sbox(x0: float, y0: float, x1: float, y1: float):  # type: ignore[no-untyped-def]
    return shapely.box(X + x0, Y + y0, X + x1, Y + y1)


def enact(plan: Plan, day: dt.date) -> Plan:
    for step in (S.IN_PREPARATION, S.CONSULTATION, S.ADOPTED, S.IN_FORCE):
        plan_change_status(plan=plan, status=step, effective=day)
    plan.refresh_from_db()
    return plan


def mpzp_zone(local_id: str, designation: str, intensity: str, geom) -> ZoneInput:  # type: ignore[no-untyped-def]
    return ZoneInput(
        local_id=local_id,
        designation=designation,
        category="plan_area",
        params={
            "min_intensity": Decimal("0.1"),
            "max_intensity": Decimal(intensity),
            "max_coverage": Decimal("40"),
            "min_bio_active": Decimal("30"),
            "max_height": Decimal("12"),
            "max_storeys": Decimal("3"),
        },
        geom=geom,
    )


def pog_zone(designation: str, symbol: str, intensity: str, geom) -> ZoneInput:  # type: ignore[no-untyped-def]
    from miasto.planning.catalogue import catalogue_for

    return ZoneInput(
        local_id=f"TPOG-{designation}",
        designation=designation,
        symbol=symbol,
        category="pog_zone",
        basic_profile=list(catalogue_for().zone_kinds[symbol].basic_profile),
        params={
            "max_intensity": Decimal(intensity),
            "max_coverage": Decimal("40"),
            "max_height": Decimal("20"),
            "min_bio_active": Decimal("30"),
        },
        geom=geom,
    )


@dataclass
class Town:
    districts: dict[str, tm.District]
    l1: Plan
    l2: Plan
    pog: Plan
    parcels: dict[str, tm.Parcel]


def build_town() -> Town:
    city = tf.CityFactory(geom=multi(0, 0, 2000, 1000))
    west = tf.DistrictFactory(city=city, code="01", name="Zachód", geom=multi(0, 0, 1000, 1000))
    east = tf.DistrictFactory(city=city, code="02", name="Wschód", geom=multi(1000, 0, 2000, 1000))
    block_w = tm.Block.objects.create(district=west, code="K01", geom=rect(0, 0, 1000, 1000))
    tm.Block.objects.create(district=east, code="K02", geom=rect(1000, 0, 2000, 1000))
    precinct = tf.PrecinctFactory(district=west, code="0001", geom=multi(0, 0, 2000, 1000))

    def parcel(number: str, block: tm.Block, geom: MultiPolygon) -> tm.Parcel:
        return tf.ParcelFactory(
            precinct=precinct, number=number, block=block, geom=geom, area=round(geom.area, 1)
        )

    parcels = {
        "P1": parcel("1", block_w, multi(100, 100, 150, 140)),  # 2000 m², inside 1MN
        "P2": parcel("2", block_w, multi(700, 100, 740, 125)),  # 1000 m², 1SJ only
        "P3": parcel("3", block_w, multi(480, 500, 520, 525)),  # 1000 m², half in 1MN
    }

    def building(
        ident: str, p: tm.Parcel | None, geom: Polygon, storeys: int, residents: int
    ) -> None:
        tf.BuildingFactory(
            identifier=ident, parcel=p, geom=geom, storeys=storeys, residents=residents,
            dwellings=max(residents // 2, 0), use=tm.Building.Use.SINGLE_FAMILY,
        )  # fmt: skip

    building("B1", parcels["P1"], rect(110, 110, 120, 120), 2, 0)
    building("B2", parcels["P2"], rect(710, 110, 720, 120), 1, 0)
    # residents' buildings without a parcel: their district is found by location
    building("R1", None, rect(302, 602, 308, 608), 1, 100)  # in 1MN
    building("R2", None, rect(802, 602, 808, 608), 1, 50)  # 01, no local plan
    building("R3", None, rect(1102, 602, 1108, 608), 1, 30)  # in 1MW
    building("R4", None, rect(1802, 602, 1808, 608), 1, 20)  # 02, no local plan

    tf.ConstraintFactory(
        kind=tm.Constraint.Kind.FLOOD_HAZARD_1, name="Zalew testowy", geom=multi(0, 0, 100, 1000)
    )
    tf.ConstraintFactory(
        kind=tm.Constraint.Kind.NOISE, name="Hałas testowy", geom=multi(495, 0, 500, 10)
    )

    l1 = plan_create(
        kind="mpzp", title="Plan L1", local_id="L1", namespace=NS, geom=sbox(0, 0, 500, 1000)
    )
    plan_set_zones(plan=l1, zones=[mpzp_zone("L1-1MN", "1MN", "0.6", sbox(0, 0, 500, 1000))])
    enact(l1, dt.date(2010, 1, 1))
    l2 = plan_create(
        kind="mpzp", title="Plan L2", local_id="L2", namespace=NS, geom=sbox(1000, 0, 1250, 1000)
    )
    plan_set_zones(plan=l2, zones=[mpzp_zone("L2-1MW", "1MW", "1.2", sbox(1000, 0, 1250, 1000))])
    enact(l2, dt.date(2015, 6, 1))
    pog = plan_create(
        kind="pog", title="Plan ogólny", local_id="TPOG", namespace=NS_POG,
        geom=sbox(0, 0, 2000, 1000),
    )  # fmt: skip
    plan_set_zones(
        plan=pog,
        zones=[
            pog_zone("1SJ", "SJ", "0.8", sbox(0, 0, 1000, 1000)),
            pog_zone("1SW", "SW", "2.0", sbox(1000, 0, 2000, 1000)),
        ],
    )
    enact(pog, dt.date(2020, 1, 1))
    return Town({"01": west, "02": east}, l1, l2, pog, parcels)


@pytest.fixture
def town(db) -> Town:  # type: ignore[no-untyped-def]
    return build_town()


def get_computed(client, url: str):  # type: ignore[no-untyped-def]
    """GET ``url``; when it answers 409 (not computed) or 202 (being computed), have a staff
    member start the capacity run (a POST, as the page's button does), run the queued jobs as
    the worker would, and GET it again."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from miasto.core.jobs import job_run
    from miasto.core.models import Job

    response = client.get(url)
    if response.status_code not in (202, 409):
        return response
    staff, _created = get_user_model().objects.get_or_create(
        username="analyses-staff", defaults={"is_staff": True}
    )
    starter = Client()
    starter.force_login(staff)
    if url.startswith("/api/"):
        started = starter.post(url)
    else:
        started = starter.post("/planowanie/analizy/chlonnosc/licz/")
    assert started.status_code in (200, 202, 302), started.content[:300]
    for job in Job.objects.filter(status=Job.Status.QUEUED).order_by("pk"):
        assert job_run(job).status == "done"
    return client.get(url)
