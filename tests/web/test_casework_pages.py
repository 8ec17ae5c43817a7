"""The shared casework pages (``/obsluga/``) and ``GET /api/v1/casework/statistics``."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from miasto.core.models import AnswerTemplate, AuditEntry
from miasto.problems.models import Report
from tests.problems.factories import ServiceFactory, make_report
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):  # type: ignore[no-untyped-def]
    unit = tf.OrgUnitFactory(name="Wydział Dróg")
    service = ServiceFactory(code="dziura", name="Dziura", unit=unit)
    officer, colleague = make_user("case_officer"), make_user("case_officer")
    unit.members.add(officer, colleague)
    report = make_report(service)
    start = timezone.now() - timedelta(days=20)
    Report.objects.filter(pk=report.pk).update(
        requested_at=start, answered_at=start + timedelta(days=4)
    )
    return {"unit": unit, "officer": officer, "colleague": colleague, "report": report}


def test_the_queue_lists_and_assigns(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world["officer"])
    page = client.get("/obsluga/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"/zgloszenia/obsluga/{world['report'].pk}/" in body and "Dziura" in body
    assert world["colleague"].username in body  # offered as a colleague to assign to
    answer = client.post(
        "/obsluga/przydzial/",
        {"module": "problems", "id": world["report"].pk, "action": "assign",
         "assignee": world["colleague"].pk, "next": "/obsluga/?zakres=unassigned"},
    )  # fmt: skip
    assert answer.status_code == 302 and answer.url == "/obsluga/?zakres=unassigned"
    world["report"].refresh_from_db()
    assert world["report"].assignee == world["colleague"]
    mine = client.get("/obsluga/", {"zakres": "mine"}).content.decode()
    assert f"/zgloszenia/obsluga/{world['report'].pk}/" not in mine


def test_assignment_refusals_are_400_with_a_sentence(client, world, make_user):  # type: ignore[no-untyped-def]
    client.force_login(world["officer"])
    stranger = make_user("case_officer")
    answer = client.post(
        "/obsluga/przydzial/",
        {
            "module": "problems",
            "id": world["report"].pk,
            "action": "assign",
            "assignee": stranger.pk,
        },
    )
    assert answer.status_code == 400
    for data in ({"module": "problems", "id": "abc", "action": "take"},
                 {"module": "x", "id": "1", "action": "take"},
                 {"module": "problems", "id": world["report"].pk, "action": "explode"},
                 {"module": "problems", "id": world["report"].pk, "next": "https://evil.example/",
                  "action": "take"}):  # fmt: skip
        answer = client.post("/obsluga/przydzial/", data)
        assert answer.status_code in (302, 400, 404)
        assert "evil.example" not in answer.get("Location", "")


def test_residents_are_refused(client, make_user):  # type: ignore[no-untyped-def]
    assert client.get("/obsluga/").status_code == 302  # to the login page
    client.force_login(make_user("resident"))
    for path in ("/obsluga/", "/obsluga/szablony/", "/obsluga/statystyki/"):
        assert client.get(path).status_code == 403


def test_templates_kept_by_staff_of_the_unit(client, world, make_user):  # type: ignore[no-untyped-def]
    client.force_login(world["officer"])
    data = {"module": "problems", "unit": world["unit"].pk, "title": "Przyjęcie",
            "body": "Zgłoszenie nr {numer} z {data} przyjęliśmy."}  # fmt: skip
    assert client.post("/obsluga/szablony/", data).status_code == 302
    template = AnswerTemplate.objects.get(title="Przyjęcie")
    assert AuditEntry.objects.filter(
        model="core.answertemplate", object_id=str(template.pk), actor=world["officer"]
    ).exists()
    bad = client.post("/obsluga/szablony/", {**data, "body": "Nr {numer} {imie}"})
    assert bad.status_code == 400 and "{imie}" in bad.content.decode()
    too_long = client.post("/obsluga/szablony/", {**data, "body": "x" * 5001})
    assert too_long.status_code == 400
    everyone = client.post("/obsluga/szablony/", {**data, "unit": ""})  # administrators only
    assert everyone.status_code == 400
    case = client.get(f"/zgloszenia/obsluga/{world['report'].pk}/").content.decode()
    assert f"Zgłoszenie nr {world['report'].pk} z " in case  # offered, filled for the case
    client.force_login(make_user("case_officer"))  # of no unit: cannot see or change it
    assert client.get(f"/obsluga/szablony/{template.pk}/").status_code == 404
    assert client.post(f"/obsluga/szablony/{template.pk}/usun/").status_code == 404
    client.force_login(world["colleague"])
    assert client.post(f"/obsluga/szablony/{template.pk}/usun/").status_code == 302
    assert not AnswerTemplate.objects.filter(pk=template.pk).exists()


def test_statistics_page_csv_and_api(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world["officer"])
    page = client.get("/obsluga/statystyki/", {"modul": "problems"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert (
        client.get("/obsluga/statystyki/", {"od": "2026-05-01", "do": "2026-01-01"}).status_code
        == 400
    )
    rows = list(csv.reader(io.StringIO(client.get("/obsluga/statystyki.csv").content.decode())))
    assert rows[0][:4] == ["modul", "wymiar", "klucz", "nazwa"]
    assert ["problems", "total", "", "", "1", "1", "4.0", "4.0"] in rows
    client.logout()  # the API is public: aggregates only
    answer = client.get("/api/v1/casework/statistics", {"module": "problems"})
    assert answer.status_code == 200
    data = answer.json()
    (module,) = data["modules"]
    assert module["module"] == "problems" and module["total"][0]["median_days"] == 4.0
    assert module["category"][0]["key"] == "dziura"
    assert world["officer"].username not in answer.content.decode()
    for bad in ({"since": "2026-13-01"}, {"since": "2026-05-01", "until": "2026-01-01"},
                {"module": "nope"}, {"since": "1900-01-01"}):  # fmt: skip
        refused = client.get("/api/v1/casework/statistics", bad)
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_parameter"
