"""A scenario compared with the plans in force on a hand-made city with known answers, and
the scenario pages and API (permissions, form errors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.urls import reverse

from miasto.core.jobs import job_run
from miasto.core.models import Job
from miasto.planning.models import Scenario
from miasto.planning.scenarios import scenario_compare, scenario_maps, scenario_save
from tests.planning.test_zoneset import X, Y, plans  # noqa: F401 — fixture
from tests.territory.factories import (
    CityFactory,
    ConstraintFactory,
    DistrictFactory,
    ParcelFactory,
    PrecinctFactory,
    square,
)

TODAY = dt.date(2024, 1, 1)


@pytest.fixture
def scenario(plans):  # type: ignore[no-untyped-def]  # noqa: F811
    """In force: 1MN (x 0–100, intensity 0.6) and 2MW (x 100–200, 1.2) of plan Z1.
    The draft Z2 puts 1MW (intensity 2.0) on x 150–250. One parcel on x 100–200 (10 000 m²);
    a flood hazard area 30 × 30 m at x 210–240, outside every zone in force."""
    _, draft = plans
    CityFactory()
    district = DistrictFactory(code="D1", name="Śródmieście")
    ParcelFactory(
        precinct=PrecinctFactory(district=district),
        geom=MultiPolygon(square(X + 100, Y, 100.0), srid=2180),
        area=10_000.0,
    )
    ConstraintFactory(
        kind="flood_1pct",
        name="Obszar szczególnego zagrożenia powodzią",
        geom=MultiPolygon(square(X + 210, Y + 10, 30.0), srid=2180),
    )
    return scenario_save(name="Nowe Łąki", drafts=[draft], as_of=TODAY)


def test_capacity_coverage_conflicts_side_by_side(scenario):  # type: ignore[no-untyped-def]
    c = scenario_compare(scenario)
    floor = c["capacity"]["city"]["max_floor_area"]
    # in force: 10 000 m² × 1.2; scenario: 5 000 × 1.2 (2MW clipped) + 5 000 × 2.0 (1MW)
    assert floor == {"base": 12_000.0, "scenario": 16_000.0, "change": 4_000.0}
    assert c["capacity"]["runs"]["base"] != c["capacity"]["runs"]["scenario"]
    cov = c["coverage"]["city"]["covered_area"]
    assert cov == {"base": 20_000.0, "scenario": 25_000.0, "change": 5_000.0}
    assert c["conflicts"]["total"]["base"]["count"] == 0
    assert c["conflicts"]["total"]["scenario"]["count"] >= 1
    new = c["conflicts"]["new_conflicts"]
    assert new and new[0]["zone"]["designation"] == "1MW" and round(new[0]["area"]) == 900
    assert c["changes"]["drafts"][0]["local_id"] == "Z2"
    maps = scenario_maps(scenario)
    assert maps is not None
    assert [z["designation"] for z in maps["scenario"] if z["changed"]] == ["1MW"]
    assert {z["designation"] for z in maps["base"]} == {"2MW"}  # 1MN lies outside the window
    assert maps["legend"]


def test_pages_and_api_permissions(scenario, client, make_user):  # type: ignore[no-untyped-def]
    detail = reverse("planning:scenario", kwargs={"scenario_id": scenario.pk})
    api = reverse("planning:api-scenario", kwargs={"scenario_id": scenario.pk})
    assert client.get(detail).status_code == 302  # login
    assert client.get(api).status_code == 403
    client.force_login(make_user("resident"))
    assert client.get(detail).status_code == 403
    assert client.get(api).json()["error"] == "forbidden"
    inspector = make_user("inspector")
    client.force_login(inspector)
    # the capacity runs are not stored yet: reading starts nothing, staff start the job
    start = reverse("planning:scenario-start", kwargs={"scenario_id": scenario.pk})
    idle = client.get(detail)
    assert idle.status_code == 409 and f'action="{start}"' in idle.content.decode()
    assert client.get(api).status_code == 409
    assert not Job.objects.filter(kind="planning.scenario").exists()
    assert client.post(start).status_code == 302
    assert client.post(api).status_code == 202
    wait = client.get(detail)
    assert wait.status_code == 202 and "<progress" in wait.content.decode()
    pending = client.get(api)
    assert pending.status_code == 202 and pending.json()["status"] == "computing"
    jobs = Job.objects.filter(kind="planning.scenario")
    assert jobs.count() == 1  # one job per scenario, not one per request
    done = job_run(jobs.get())
    assert done.status == "done", done.error
    page = client.get(detail)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nowe Łąki" in html and "Śródmieście" in html and "<svg" in html
    assert client.get(reverse("planning:scenario-new")).status_code == 403  # read only
    data = client.get(api).json()
    assert data["capacity"]["city"]["max_floor_area"]["change"] == 4000.0
    assert client.get("/api/v1/scenarios/abc").status_code == 400
    assert client.get("/api/v1/scenarios/999999").status_code == 404
    assert client.get(reverse("planning:scenarios")).status_code == 200


def test_planner_creates_a_scenario_with_clear_errors(plans, client, make_user):  # type: ignore[no-untyped-def]  # noqa: F811
    in_force, draft = plans
    client.force_login(make_user("planner"))
    url = reverse("planning:scenario-new")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "Zły", "overrides": "Z1 1MN max_coverage=250"})
    assert bad.status_code == 400
    assert "poza zakresem" in bad.content.decode()
    assert not Scenario.objects.exists()
    ok = client.post(
        url,
        {"name": "Intensyfikacja", "drafts": [draft.pk], "overrides": "Z1 1MN max_intensity=0.9"},
    )
    assert ok.status_code == 302
    scenario = Scenario.objects.get()
    assert list(scenario.overrides.values()) == [{"max_intensity": "0.9"}]
    edit = client.get(reverse("planning:scenario-edit", kwargs={"scenario_id": scenario.pk}))
    assert "Z1 1MN max_intensity=0.9" in edit.content.decode()


def test_scenario_job_failure_is_shown_and_can_be_retried(scenario, client, make_user):  # type: ignore[no-untyped-def]
    from miasto.core.jobs import job_enqueue

    gone = job_run(job_enqueue(kind="planning.scenario", payload={"scenario_id": 999_999}))
    assert gone.status == "failed" and "Nie ma takiego scenariusza" in gone.error
    failed = Job.objects.create(
        kind="planning.scenario", payload={"scenario_id": scenario.pk}, status="failed",
        error="Przerwane obliczenie.",
    )  # fmt: skip
    client.force_login(make_user("inspector"))
    detail = reverse("planning:scenario", kwargs={"scenario_id": scenario.pk})
    page = client.get(detail)
    assert page.status_code == 409 and "Przerwane obliczenie." in page.content.decode()
    client.get(detail + "?retry=1")  # a GET starts nothing
    assert Job.objects.filter(kind="planning.scenario").count() == 2
    client.post(reverse("planning:scenario-start", kwargs={"scenario_id": scenario.pk}))
    assert (
        Job.objects.filter(kind="planning.scenario", status="queued").exclude(pk=failed.pk).exists()
    )
