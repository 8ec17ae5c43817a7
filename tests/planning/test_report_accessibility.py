"""The ``accessibility`` section of the parcel planning report (JSON API and the dict)."""

from __future__ import annotations

import datetime as dt

import pytest

from miasto.accessibility.models import Result, Run, Standard
from miasto.planning.report import accessibility_section, parcel_report_full
from tests.planning.test_report import site  # noqa: F401
from tests.territory.factories import PublicServiceFactory


@pytest.fixture
def computed(site):  # noqa: F811
    """Results of a finished run for the site parcel: the school standard met at 850 m, the
    3 ha green standard not met."""
    from django.utils import timezone

    run = Run.objects.create(status=Run.Status.DONE, finished_at=timezone.now())
    # own standards: the seeded ones may be gone after a transactional test flushed the DB
    basis = "art. 13f ustawy o planowaniu i zagospodarowaniu przestrzennym"
    since = dt.date(2024, 1, 1)
    school = Standard.objects.create(
        code="t-school", name="Szkoła podstawowa", service_kinds=["primary_school"],
        distance_m=1500, mandatory=True, legal_basis=basis, valid_from=since, order=1,
    )  # fmt: skip
    green = Standard.objects.create(
        code="t-green-3ha", name="Zieleń ≥ 3 ha", service_kinds=["green"], distance_m=1500,
        min_area_ha=3, aggregate="sum_area", mandatory=True, legal_basis=basis,
        valid_from=since, order=2,
    )  # fmt: skip
    sp = PublicServiceFactory(name="Szkoła Podstawowa nr 3", kind="primary_school")
    Result.objects.create(
        standard=school, parcel=site, run=run, met=True, distance_m=850.4, service=sp
    )
    Result.objects.create(standard=green, parcel=site, run=run, met=False, distance_m=None)
    return run


def test_not_computed_is_empty(site):  # noqa: F811
    section = accessibility_section(site.identifier)
    assert section is not None
    assert section["standards"] == []
    assert section["computed_at"] is None


def test_standards_met_or_not(computed, site):  # noqa: F811
    section = accessibility_section(site.identifier)
    by_code = {s["code"]: s for s in section["standards"]}
    assert set(by_code) == {"t-school", "t-green-3ha"}  # only the computed ones
    school, green = by_code["t-school"], by_code["t-green-3ha"]
    assert school["met"] is True
    assert school["distance_m"] == 850
    assert school["limit_m"] == 1500
    assert school["nearest_service"]["name"] == "Szkoła Podstawowa nr 3"
    assert green["met"] is False and green["distance_m"] is None
    assert green["min_area_ha"] == 3.0
    assert "13f" in school["legal_basis"]
    assert section["computed_at"] is not None


def test_api_has_the_section(client, computed, site):  # noqa: F811
    body = client.get(f"/api/v1/parcels/{site.identifier}/planning").json()
    assert [s["met"] for s in body["accessibility"]["standards"]] == [True, False]
    assert body["totals"]["max_floor_area"] == 960.0  # the rest of the report unchanged


def test_unknown_parcel(db):
    assert accessibility_section("106401_1.0001.999") is None
    assert parcel_report_full("106401_1.0001.999") is None
