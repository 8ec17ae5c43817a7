"""The ``accessibility`` section of the parcel planning report (JSON API and the dict)."""

from __future__ import annotations

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
    school = Standard.objects.active().get(code="school")
    green = Standard.objects.active().get(code="green-3ha")
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
    assert set(by_code) == {"school", "green-3ha"}
    assert by_code["school"]["met"] is True
    assert by_code["school"]["distance_m"] == 850
    assert by_code["school"]["limit_m"] == 1500
    assert by_code["school"]["nearest_service"]["name"] == "Szkoła Podstawowa nr 3"
    assert by_code["green-3ha"]["met"] is False and by_code["green-3ha"]["distance_m"] is None
    assert "13f" in by_code["school"]["legal_basis"]
    assert section["computed_at"] is not None


def test_api_has_the_section(client, computed, site):  # noqa: F811
    body = client.get(f"/api/v1/parcels/{site.identifier}/planning").json()
    assert [s["met"] for s in body["accessibility"]["standards"]] == [True, False]
    assert body["totals"]["max_floor_area"] == 960.0  # the rest of the report unchanged


def test_unknown_parcel(db):
    assert accessibility_section("106401_1.0001.999") is None
    assert parcel_report_full("106401_1.0001.999") is None
