"""Every kind of versioned planning configuration picks exactly one version on a changeover
day ([valid_from, valid_to): the new one), and the stamp duty of an extract is the one in
force on the day it is issued, not on the date of the plans it shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.utils import timezone

from miasto.accessibility.models import Result, Run, Standard
from miasto.core.versioning import check_versions, in_force
from miasto.planning import wypis
from miasto.planning.analyses import config as analysis_config
from miasto.planning.catalogue import CATALOGUES, catalogue_for
from miasto.planning.fees import FEES, fees_for
from miasto.planning.report import accessibility_section
from tests.territory.factories import ParcelFactory, PrecinctFactory, square

CHANGE = dt.date(2031, 3, 1)
EVE = CHANGE - dt.timedelta(days=1)


def _split(registry: dict, key: str, monkeypatch, **changes):  # type: ignore[no-untyped-def]
    """End the version ``key`` on CHANGE and add its successor from CHANGE."""
    old = registry[key]
    successor = replace(old, key=f"{key}-2031", valid_from=CHANGE, valid_to=None, **changes)
    monkeypatch.setitem(registry, key, replace(old, valid_to=CHANGE))
    monkeypatch.setitem(registry, successor.key, successor)
    check_versions(registry.values())  # no overlap
    return successor


@pytest.mark.parametrize(
    ("registry", "key", "pick", "changes"),
    [
        (CATALOGUES, "uopzp-2023", catalogue_for, {"report_min_area": 2.0}),
        (FEES, "oplata-skarbowa-2007", fees_for, {"wypis_short": Decimal("40.00")}),
        (analysis_config.CONFIGS, next(iter(analysis_config.CONFIGS)),
         analysis_config.analysis_config_for, {"persons_per_dwelling": Decimal("2.1")}),
    ],
    ids=["catalogue", "fees", "analysis"],
)  # fmt: skip
def test_changeover_day_picks_exactly_one_version(registry, key, pick, changes, monkeypatch):
    successor = _split(registry, key, monkeypatch, **changes)
    on_the_day = [v for v in registry.values() if in_force(v, CHANGE)]
    assert on_the_day == [successor]
    assert pick(CHANGE) is successor
    assert pick(EVE).key == key


@pytest.mark.django_db
def test_accessibility_standard_changeover_day():
    """The standard changes today: the queryset and the parcel report's section (the
    standards in force today) see only the new version."""
    today = dt.date.today()
    basis = "art. 13f ust. 2 u.p.z.p."
    old = Standard.objects.create(
        code="t-school", version=1, name="Szkoła", service_kinds=["primary_school"],
        distance_m=1500, legal_basis=basis, valid_from=dt.date(2024, 1, 1), valid_to=today,
    )  # fmt: skip
    new = Standard.objects.create(
        code="t-school", version=2, name="Szkoła", service_kinds=["primary_school"],
        distance_m=1200, legal_basis=basis, valid_from=today,
    )  # fmt: skip
    codes = Standard.objects.filter(code="t-school")
    assert list(codes.active(today)) == [new]
    assert list(codes.active(today - dt.timedelta(days=1))) == [old]
    parcel = ParcelFactory(precinct=PrecinctFactory(unit="106401_1", code="0031"))
    run = Run.objects.create(status=Run.Status.DONE, finished_at=timezone.now())
    for standard in (old, new):
        Result.objects.create(standard=standard, parcel=parcel, run=run, met=True, distance_m=9)
    section = accessibility_section(parcel.identifier)
    assert section is not None
    assert [(s["code"], s["version"]) for s in section["standards"]] == [("t-school", 2)]


@pytest.mark.django_db
def test_overlapping_standard_versions_are_refused():
    from django.core.exceptions import ValidationError

    Standard.objects.create(
        code="t-green", version=1, name="Zieleń", service_kinds=["green"], distance_m=1500,
        legal_basis="x", valid_from=dt.date(2024, 1, 1), valid_to=CHANGE,
    )  # fmt: skip
    clash = Standard(
        code="t-green", version=2, name="Zieleń", service_kinds=["green"], distance_m=1200,
        legal_basis="x", valid_from=EVE,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="t-green"):
        clash.full_clean()
    clash.valid_from = CHANGE  # starts on the day the old one ends: fine
    clash.full_clean()
    empty = Standard(
        code="t-other", name="Inny", service_kinds=["green"], distance_m=100, legal_basis="x",
        valid_from=CHANGE, valid_to=CHANGE,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        empty.full_clean()


@pytest.mark.django_db
def test_fee_is_chosen_by_the_day_of_issue_not_the_plans_date(monkeypatch):
    """Rates change today; an extract of the plans as they were in 2019, issued today, pays
    today's rates."""
    today = timezone.localdate()
    old = FEES["oplata-skarbowa-2007"]
    monkeypatch.setitem(FEES, old.key, replace(old, valid_to=today))
    newer = replace(old, key="t-today", valid_from=today, valid_to=None,
                    wypis_short=Decimal("41.00"))  # fmt: skip
    monkeypatch.setitem(FEES, newer.key, newer)
    parcel = ParcelFactory(
        precinct=PrecinctFactory(unit="106401_1", code="0032"),
        geom=MultiPolygon(square(501_000, 402_000, 20.0), srid=2180),
    )
    built = wypis.build([parcel.identifier], dt.date(2019, 5, 1))
    assert built.issued_on == today
    assert built.fees is newer
    document = wypis.lay_out(built)
    assert document is not None and built.fee is not None
    assert built.fee.fees is newer and built.fee.wypis == Decimal("41.00")
