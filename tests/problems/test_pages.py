"""The report pages: the form (duplicates first, honeypot, throttle, bad input), the public
list and page without personal data, the officers' queue and case page."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import override_settings

from miasto.problems.models import Report
from tests.problems.factories import X, Y, make_report, pothole_service
from tests.territory.factories import CityFactory

pytestmark = pytest.mark.django_db


def _lonlat(dx: float = 0.0):  # type: ignore[no-untyped-def]
    lon, lat = Point(X + dx, Y, srid=2180).transform(4326, clone=True).coords
    return {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"}


def _form(**extra):  # type: ignore[no-untyped-def]
    return {"service": "latarnia", "description": "Nie świeci", "address": "Lipowa 5",
            **_lonlat(), **extra}  # fmt: skip


@pytest.fixture
def lamp(db):  # type: ignore[no-untyped-def]
    from tests.problems.factories import ServiceFactory

    CityFactory()
    return ServiceFactory(code="latarnia", name="Latarnia nie świeci")


def test_form_sends_a_report(client, lamp):  # type: ignore[no-untyped-def]
    page = client.get("/zgloszenia/nowe/")
    assert page.status_code == 200 and b"RODO" in page.content
    assert "Klauzula informacyjna" in page.content.decode()  # in Polish
    response = client.post("/zgloszenia/nowe/", _form(email="ala@example.org"))
    assert response.status_code == 302, response.content.decode()[:3000]
    report = Report.objects.get()
    assert response["Location"] == f"/zgloszenia/{report.pk}/"
    assert report.unit == lamp.unit and report.email == "ala@example.org"
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert b"Nie \xc5\x9bwieci" in detail.content and b"ala@example.org" not in detail.content


def test_duplicates_are_shown_before_sending(client, lamp):  # type: ignore[no-untyped-def]
    existing = make_report(lamp, dx=10)
    response = client.post("/zgloszenia/nowe/", _form())
    assert response.status_code == 200
    assert f"/zgloszenia/{existing.pk}/".encode() in response.content
    assert Report.objects.count() == 1
    response = client.post("/zgloszenia/nowe/", _form(confirm_new="on"))
    assert response.status_code == 302 and Report.objects.count() == 2


@pytest.mark.parametrize(
    "extra",
    [
        {"website": "http://spam.example"},  # the honeypot
        {"description": ""},
        {"description": "x" * 4001},
        {"lat": "", "lon": "", "address": ""},
        {"lat": "52.0", "lon": ""},
        {"service": "nie-ma"},
        _lonlat(dx=30_000),  # outside the city
    ],
)
def test_bad_form_is_400_and_writes_nothing(client, lamp, extra):  # type: ignore[no-untyped-def]
    response = client.post("/zgloszenia/nowe/", _form(**extra))
    assert response.status_code == 400
    assert b"error-summary" in response.content
    assert not Report.objects.exists()


def test_a_photo_that_is_not_one_is_refused(client, lamp):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("zdjecie.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client.post("/zgloszenia/nowe/", {**_form(), "photo": bad})
    assert response.status_code == 400 and not Report.objects.exists()


@override_settings(MIASTO_PROBLEMS_REPORTS_PER_HOUR=2)
def test_throttled(client, lamp):  # type: ignore[no-untyped-def]
    for i in range(2):
        data = _form(confirm_new="on", description=f"Zgłoszenie {i}")
        assert client.post("/zgloszenia/nowe/", data).status_code == 302
    response = client.post("/zgloszenia/nowe/", _form(confirm_new="on"))
    assert response.status_code == 429 and Report.objects.count() == 2


def test_public_list_filters_and_hides(client, lamp, make_user):  # type: ignore[no-untyped-def]
    from miasto.problems.services import report_transition

    a = make_report(lamp)
    b = make_report(pothole_service(), dx=100)
    report_transition(b, "resolved", make_user("case_officer"))
    hidden = make_report(lamp, dx=200)
    Report.objects.filter(pk=hidden.pk).update(hidden_reason="wulgaryzmy")
    page = client.get("/zgloszenia/").content.decode()
    assert f'data-report-id="{a.pk}"' in page and f'data-report-id="{b.pk}"' in page
    assert f'data-report-id="{hidden.pk}"' not in page
    assert "jan@example.org" not in page and "Kowalski" not in page
    page = client.get("/zgloszenia/?status=closed").content.decode()
    assert f'data-report-id="{a.pk}"' not in page and f'data-report-id="{b.pk}"' in page
    page = client.get("/zgloszenia/?service=latarnia").content.decode()
    assert f'data-report-id="{b.pk}"' not in page
    assert client.get(f"/zgloszenia/{hidden.pk}/").status_code == 404
    assert client.get("/zgloszenia/?status=bzdura").status_code == 200


def test_queue_shows_own_units_only(client, lamp, make_user):  # type: ignore[no-untyped-def]
    officer = make_user("case_officer")
    lamp.unit.members.add(officer)
    mine = make_report(lamp)
    other = make_report(pothole_service(), dx=100)
    client.force_login(officer)
    page = client.get("/zgloszenia/obsluga/").content.decode()
    assert f"/zgloszenia/obsluga/{mine.pk}/" in page
    assert f"/zgloszenia/obsluga/{other.pk}/" not in page
    assert "Median time to first answer" in page or "Mediana" in page
    assert client.get(f"/zgloszenia/obsluga/{other.pk}/").status_code == 404
    case = client.get(f"/zgloszenia/obsluga/{mine.pk}/")
    assert case.status_code == 200 and b"jan@example.org" in case.content  # staff see contact


def test_case_actions(client, lamp, make_user):  # type: ignore[no-untyped-def]
    officer = make_user("case_officer")
    lamp.unit.members.add(officer)
    report = make_report(lamp)
    client.force_login(officer)
    url = f"/zgloszenia/obsluga/{report.pk}/"
    data = {"action": "transition", "target": "in_progress", "note": "Zlecono naprawę"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {"action": "assign", "assignee": officer.pk}).status_code == 302
    report.refresh_from_db()
    assert report.status == "in_progress" and report.assignee == officer
    clerk = make_user()  # (a member of the unit who does not handle reports)
    lamp.unit.members.add(clerk)
    assert client.post(url, {"action": "assign", "assignee": clerk.pk}).status_code == 400
    report.refresh_from_db()
    assert report.assignee == officer
    refused = client.post(url, {"action": "transition", "target": "open"})
    assert refused.status_code == 400
    assert client.post(url, {"action": "hide", "reason": "spam"}).status_code == 403
    client.logout()
    public = client.get(f"/zgloszenia/{report.pk}/").content.decode()
    assert "Zlecono naprawę" in public and officer.username not in public
