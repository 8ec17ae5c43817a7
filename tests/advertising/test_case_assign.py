"""Assigning an enforcement case: by case officers (within their unit) and administrators,
taking a case, the list's "mine" and "unassigned" filters, refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from miasto.advertising.models.enforcement import EnforcementCase
from miasto.core.models import AuditEntry
from tests.advertising.enforcement_fixtures import (
    carrier_fixture,  # noqa: F401 (a fixture)
    case_in,
    staff_fixture,  # noqa: F401 (a fixture)
)
from tests.advertising.factories import CarrierFactory
from tests.territory.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db
LIST = "/reklamy/obsluga/sprawy/"


def test_an_officer_assigns_within_the_unit_or_takes_the_case(
    client: Any, staff: Any, carrier: Any
) -> None:
    unit, other_unit = OrgUnitFactory(code="UA"), OrgUnitFactory(code="UB")
    officer, inspector = staff("case_officer"), staff("inspector")
    stranger = staff("inspector")
    unit.members.add(officer, inspector)
    other_unit.members.add(stranger)
    resident = staff("resident")
    case = case_in(carrier, "detected")
    url = f"{LIST}{case.pk}/przydzial/"
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert inspector.username in page and stranger.username not in page
    assert client.post(url, {"assignee": stranger.pk}).status_code == 400
    assert client.post(url, {"assignee": resident.pk}).status_code == 400
    assert EnforcementCase.objects.get(pk=case.pk).assigned_to is None
    assert client.post(url, {"assignee": inspector.pk}).status_code == 302
    assert EnforcementCase.objects.get(pk=case.pk).assigned_to == inspector
    detail = client.get(f"{LIST}{case.pk}/").content.decode()
    assert inspector.username in detail
    assert AuditEntry.objects.filter(
        model__endswith="enforcementcase", object_id=str(case.pk), action="update"
    ).exists()
    assert client.post(url, {"take": "1"}).status_code == 302
    assert EnforcementCase.objects.get(pk=case.pk).assigned_to == officer
    assert client.post(url, {"assignee": ""}).status_code == 302  # nobody
    assert EnforcementCase.objects.get(pk=case.pk).assigned_to is None


def test_only_officers_and_administrators_assign(client: Any, staff: Any, carrier: Any) -> None:
    case = case_in(carrier, "detected")
    url = f"{LIST}{case.pk}/przydzial/"
    inspector = staff("inspector")
    for role in ("inspector", "planner", "resident"):
        client.force_login(staff(role))
        assert client.post(url, {"take": "1"}).status_code == 403, role
    assert EnforcementCase.objects.get(pk=case.pk).assigned_to is None
    admin = staff("administrator")
    OrgUnitFactory(code="UC").members.add(admin)  # an administrator is not bound by a unit
    client.force_login(admin)
    assert client.post(url, {"assignee": inspector.pk}).status_code == 302
    assert EnforcementCase.objects.get(pk=case.pk).assigned_to == inspector


def test_the_list_filters_mine_and_unassigned(client: Any, staff: Any, carrier: Any) -> None:
    officer = staff("case_officer")
    mine = case_in(carrier, "detected", assigned_to=officer)
    nobodys = case_in(CarrierFactory(), "detected")
    client.force_login(officer)
    page = client.get(LIST, {"unassigned": "on"}).content.decode()
    assert nobodys.number in page and mine.number not in page
    page = client.get(LIST, {"mine": "on"}).content.decode()
    assert mine.number in page and nobodys.number not in page
