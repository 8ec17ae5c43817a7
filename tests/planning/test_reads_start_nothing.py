"""Reads never enqueue work: a GET by anyone (anonymous or staff) of any page or API leaves the
job table as it was — an analysis not computed answers 409 with a message (202 while a job
runs); staff start computations with a POST carrying the CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from miasto.core.models import Job
from miasto.planning.models import Scenario
from tests.planning.analyses.conftest import town  # noqa: F401
from tests.planning.test_report_page import compile_planning_messages

AS_OF = ("2021-01-01", "2022-02-02", "2019-05-05", "")


@pytest.fixture(autouse=True)
def _messages():
    compile_planning_messages()


def _plain_routes(patterns, prefix: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """Every URL of the project without path parameters."""
    found: list[str] = []
    for p in patterns:
        route = str(p.pattern)
        if "<" in route or route.startswith("^"):
            if isinstance(p, URLResolver) and route.startswith("^") and route in ("^", ""):
                found += _plain_routes(p.url_patterns, prefix)
            continue
        if isinstance(p, URLResolver):
            found += _plain_routes(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern):
            found.append("/" + prefix + route)
    return sorted(set(found))


@pytest.fixture
def scenario(db, make_user):  # type: ignore[no-untyped-def]
    return Scenario.objects.create(name="Czytanie", created_by=make_user("planner"))


def _urls(scenario: Scenario) -> list[str]:
    capacity = [f"/api/v1/analyses/capacity?as_of={d}" for d in AS_OF]
    capacity += [f"/api/v1/analyses/capacity?as_of={d}&retry=1&format=csv" for d in AS_OF]
    return [
        *_plain_routes(get_resolver().url_patterns),
        *capacity,
        "/planowanie/analizy/chlonnosc/?retry=1",
        f"/planowanie/scenariusze/{scenario.pk}/",
        f"/planowanie/scenariusze/{scenario.pk}/?retry=1",
        f"/api/v1/scenarios/{scenario.pk}",
        f"/api/v1/scenarios/{scenario.pk}?retry=1",
    ]


def test_the_sweep_covers_the_analyses(scenario):
    urls = _urls(scenario)
    assert "/planowanie/analizy/chlonnosc/" in urls and "/api/v1/analyses/capacity" in urls
    assert len(urls) > 30


@pytest.mark.parametrize("who", [None, "resident", "inspector", "planner"])
def test_gets_enqueue_nothing(client, town, scenario, make_user, who):  # noqa: F811
    if who:
        client.force_login(make_user(who))
    before = list(Job.objects.values_list("pk", flat=True))
    statuses = {}
    for url in _urls(scenario):
        if re.search(r"(logout|wyloguj)", url):
            continue
        statuses[url] = client.get(url).status_code
    assert list(Job.objects.values_list("pk", flat=True)) == before
    assert statuses["/api/v1/analyses/capacity"] == 409
    assert statuses["/planowanie/analizy/chlonnosc/"] == 409
    assert not [u for u, s in statuses.items() if s >= 500]


def test_not_computed_says_how_to_start(client, town):  # noqa: F811
    body = client.get("/api/v1/analyses/capacity?as_of=2021-01-01").json()
    assert body["status"] == "not_computed"
    assert "pracownik urzędu" in body["message"] and "POST" in body["message"]
    page = client.get("/planowanie/analizy/chlonnosc/", HTTP_ACCEPT_LANGUAGE="pl")
    html = page.content.decode()
    assert page.status_code == 409
    assert "nie została jeszcze policzona" in html
    assert "/licz/" not in html  # no button for a visitor


def test_staff_page_offers_the_button(client, town, make_user):  # noqa: F811
    client.force_login(make_user("planner"))
    html = client.get("/planowanie/analizy/chlonnosc/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    start = reverse("planning:analysis-capacity-start")
    assert f'action="{start}"' in html and "csrfmiddlewaretoken" in html
    assert "Policz teraz" in html


def test_starting_is_a_staff_post_with_csrf(town, make_user):  # noqa: F811
    api = "/api/v1/analyses/capacity?as_of=2021-01-01"
    start = reverse("planning:analysis-capacity-start")
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(api).status_code == 403
    assert anonymous.post(start).status_code == 403  # no CSRF token
    resident = Client()
    resident.force_login(make_user("resident"))
    assert resident.post(api).json()["error"] == "forbidden"
    assert resident.post(start).status_code == 403
    assert not Job.objects.exists()

    staff = Client(enforce_csrf_checks=True)
    staff.force_login(make_user("planner"))
    assert staff.post(api).status_code == 403  # the CSRF token is required
    assert not Job.objects.exists()
    staff.get("/planowanie/analizy/chlonnosc/")  # sets the CSRF cookie
    token = staff.cookies["csrftoken"].value
    first = staff.post(api, HTTP_X_CSRFTOKEN=token)
    assert first.status_code == 202 and first.json()["status"] == "computing"
    again = staff.post(api, {"as_of": "2021-01-01"}, HTTP_X_CSRFTOKEN=token)
    assert again.json()["job"]["id"] == first.json()["job"]["id"]  # one job per input
    page = staff.post(start, {"csrfmiddlewaretoken": token})
    assert page.status_code == 302 and page["Location"] == reverse("planning:analysis-capacity")
    assert Job.objects.filter(kind="planning.capacity").count() == 2  # 2021-01-01 and today
    assert staff.get(api).status_code == 202  # now computing
