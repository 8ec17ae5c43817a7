"""The staff pages of the cases: list and filters, a case with the buttons its reader may
press (and only those), a transition and a document through the pages, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from miasto.advertising.models.enforcement import EnforcementCase
from tests.advertising.enforcement_fixtures import (
    carrier_fixture,  # noqa: F401 (a fixture)
    case_in,
    rates_fixture,  # noqa: F401 (a fixture)
    staff_fixture,  # noqa: F401 (a fixture)
)
from tests.advertising.factories import CarrierFactory

pytestmark = pytest.mark.django_db
LIST = "/reklamy/obsluga/sprawy/"


def test_the_list_filters_cases(client: Any, staff: Any, carrier: Any) -> None:
    officer = staff("case_officer")
    mine = case_in(carrier, "notice_sent", assigned_to=officer,
                   due_on=timezone.localdate() - dt.timedelta(days=1))  # fmt: skip
    other = case_in(CarrierFactory(), "detected")
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    assert mine.number in page and other.number in page
    assert "Sprawy egzekwowania uchwały" in page
    page = client.get(LIST, {"mine": "on"}).content.decode()
    assert mine.number in page and other.number not in page
    page = client.get(LIST, {"overdue": "on"}).content.decode()
    assert mine.number in page and other.number not in page
    page = client.get(LIST, {"state": "detected"}).content.decode()
    assert mine.number not in page and other.number in page
    assert client.get(LIST, {"state": "<script>", "strona": "x"}).status_code == 200


def test_a_case_shows_the_transitions_of_its_reader_only(
    client: Any, staff: Any, carrier: Any
) -> None:
    case = case_in(carrier, "inspected")
    url = f"{LIST}{case.pk}/"
    client.force_login(staff("case_officer"))
    page = client.get(url).content.decode()
    assert 'value="notice_sent"' in page and 'value="closed"' in page
    assert "Wezwanie do dostosowania" in page or "wezwanie do dostosowania" in page
    client.force_login(staff("inspector"))
    page = client.get(url).content.decode()
    assert 'name="target"' not in page  # an inspector only inspects


def test_a_transition_and_a_document_through_the_pages(
    client: Any, staff: Any, carrier: Any, rates: Any
) -> None:
    start = timezone.localdate() - dt.timedelta(days=9)
    case = case_in(carrier, "proceedings", since=start, proceedings_started_on=start)
    client.force_login(staff("case_officer"))
    response = client.post(f"{LIST}{case.pk}/zmiana/", {"target": "decision", "note": "x"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "decision" and case.penalty is not None
    response = client.post(f"{LIST}{case.pk}/dokumenty/", {"kind": "decision"})
    assert response.status_code == 302
    document = case.documents.get()
    pdf = client.get(f"{LIST}{case.pk}/dokumenty/{document.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "private" in pdf["Cache-Control"]


def test_forbidden_moves_and_bad_input_answer_400_and_change_nothing(
    client: Any, staff: Any, carrier: Any
) -> None:
    case = case_in(carrier, "detected")
    client.force_login(staff("inspector"))
    for data in ({"target": "closed"}, {"target": "paid"}, {"target": "x" * 500},
                 {"target": "inspected", "on": "2026-13-45"}):  # fmt: skip
        response = client.post(f"{LIST}{case.pk}/zmiana/", data)
        assert response.status_code == 400, data
        assert 'role="alert"' in response.content.decode()
    case.refresh_from_db()
    assert case.state == "detected" and case.transitions.count() == 1
    response = client.post(f"{LIST}{case.pk}/dokumenty/", {"kind": "notice"})
    assert response.status_code == 403 and not case.documents.exists()
    assert client.get(f"{LIST}999999/").status_code == 404


def test_only_inspectors_officers_and_administrators_see_cases(
    client: Any, staff: Any, carrier: Any
) -> None:
    case = case_in(carrier, "detected")
    assert client.get(LIST).status_code == 302
    for role in ("resident", "planner", "moderator", "data_steward"):
        client.force_login(staff(role))
        assert client.get(LIST).status_code == 403
        assert client.get(f"{LIST}{case.pk}/").status_code == 403
        assert client.post(f"{LIST}{case.pk}/zmiana/", {"target": "closed"}).status_code == 403
    assert EnforcementCase.objects.get().state == "detected"
