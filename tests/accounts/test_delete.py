"""Personal-data export and account deletion (privacy rules in docs/accounts.md)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from miasto.accounts.services import pseudonym
from miasto.core.audit import acting_as
from miasto.core.models import AuditEntry, Job
from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident_with_history(verified_user):  # type: ignore[no-untyped-def]
    from miasto.territory.models import OrgUnit

    with acting_as(verified_user, "web"):
        unit = OrgUnit.objects.create(code="RADA-1", name="Rada Osiedla Słoneczne")
    Job.objects.create(
        kind="datahub.import", payload={"file": "drzewa.gpkg"}, created_by=verified_user
    )
    return verified_user, unit


def test_export_holds_profile_audit_and_records(client, resident_with_history):
    user, unit = resident_with_history
    unit.members.add(user)
    sign_in(client, "ala")
    response = client.get("/konto/dane/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["username"] == "ala"
    assert data["profile"]["email_addresses"] == [
        {"email": "ala@example.org", "verified": True, "primary": True}
    ]
    assert data["profile"]["language"] == "pl"
    assert data["profile"]["org_units"] == [{"code": "RADA-1", "name": "Rada Osiedla Słoneczne"}]
    [entry] = data["audit_log"]
    assert entry["object"] == "Rada Osiedla Słoneczne" and entry["action"] == "create"
    [job] = data["records"]["core.job"]
    assert job["payload"] == {"file": "drzewa.gpkg"}
    assert set(data["records"]) == {"core.job"}  # no link tables, no secrets
    assert any(s["ip_address"] == "127.0.0.1" for s in data["sign_ins"])
    assert "password" not in json.dumps(data["profile"])


def test_export_needs_sign_in(client):
    response = client.get("/konto/dane/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/logowanie/")


def test_delete_needs_the_password_and_the_confirmation(client, verified_user):
    sign_in(client, "ala")
    response = client.post("/konto/usun/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hasło jest niepoprawne." in html and 'href="#id_password"' in html
    response = client.post("/konto/usun/", {"password": PASSWORD})
    assert response.status_code == 400 and 'href="#id_confirm"' in response.content.decode()
    assert get_user_model().objects.filter(pk=verified_user.pk).exists()


def test_download_then_delete(client, resident_with_history):
    from allauth.account.models import EmailAddress
    from axes.models import AccessLog

    user, unit = resident_with_history
    user_id = user.pk
    sign_in(client, "ala")
    page = client.get("/konto/usun/").content.decode()
    assert 'href="/konto/dane/"' in page
    exported = json.loads(client.get("/konto/dane/").content)
    assert exported["audit_log"]

    response = client.post("/konto/usun/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "Konto usunięte" in response.content.decode()
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not EmailAddress.objects.filter(email="ala@example.org").exists()
    assert not AccessLog.objects.filter(username="ala").exists()
    assert not client.get("/").wsgi_request.user.is_authenticated
    # the city keeps the audit entry, but it no longer names the person
    entry = AuditEntry.objects.get(model="territory.orgunit", object_id=str(unit.pk))
    assert entry.actor_id is None and entry.actor_name == pseudonym(user_id) != "ala"
    assert not AuditEntry.objects.filter(actor_name="ala").exists()
    assert Job.objects.get(kind="datahub.import").created_by_id is None


def test_staff_cannot_delete_their_own_account(client, make_user):
    planner = make_user("planner")
    sign_in(client, planner.username)
    page = client.get("/konto/usun/")
    assert page.status_code == 403 and "administratora" in page.content.decode()
    client.post("/konto/usun/", {"password": PASSWORD, "confirm": "on"})
    assert get_user_model().objects.filter(pk=planner.pk).exists()
    assert client.get("/konto/dane/").status_code == 200  # the export is there for everyone
