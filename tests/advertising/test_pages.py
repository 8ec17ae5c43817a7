"""The public page and the staff pages, in Polish, with the rule preview and application."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from miasto.advertising import compliance
from miasto.advertising.models import RuleSet
from tests.advertising.factories import (
    CarrierFactory,
    OwnerFactory,
    RuleSetFactory,
    ZoneFactory,
    ZoneRuleFactory,
    pt,
    rect,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    zone = ZoneFactory(code="A", name="Stare Miasto", geom=rect(0, 0, 1000, 1000))
    ZoneRuleFactory(zone=zone, max_value=Decimal("12"))
    owner = OwnerFactory(name="Jan Kowalski", kind="person")
    bad = CarrierFactory(area=Decimal("18"), owner=owner)
    CarrierFactory(area=Decimal("2"), location=pt(300, 300))
    compliance.check(dt.date.today())
    return {"zone": zone, "bad": bad}


def test_public_page_lists_rules_and_carriers_without_personal_data(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/reklamy/", HTTP_ACCEPT_LANGUAGE="pl")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Stare Miasto" in text and world["bad"].reference in text
    assert "Kowalski" not in text
    assert client.get("/reklamy/?compliant=false").content.decode().count("/reklamy/nosniki/") == 1
    assert client.get("/reklamy/?kind=zeppelin").status_code == 400
    page = client.get(f"/reklamy/nosniki/{world['bad'].pk}/").content.decode()
    assert "18" in page and "Kowalski" not in page
    assert client.get("/reklamy/nosniki/999999/").status_code == 404


def test_staff_pages_by_role(client, world, make_user) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/reklamy/obsluga/").status_code == 302  # to sign in
    client.force_login(make_user("resident"))
    assert client.get("/reklamy/obsluga/").status_code == 403
    client.force_login(make_user("inspector"))
    for url in ("/reklamy/obsluga/", "/reklamy/obsluga/naruszenia/", "/reklamy/obsluga/reguly/",
                "/reklamy/obsluga/oplaty/?year=2026"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert world["bad"].reference in client.get("/reklamy/obsluga/naruszenia/").content.decode()
    csv = client.get("/reklamy/obsluga/oplaty/?year=2026&format=csv")
    assert csv["Content-Type"].startswith("text/csv")


def test_preview_then_apply_a_draft_version(client, world, make_user) -> None:  # type: ignore[no-untyped-def]
    current = world["zone"].ruleset
    current.valid_to = dt.date.today() + dt.timedelta(days=1)
    current.save()
    draft = RuleSetFactory(resolution=current.resolution, applied=False,
                           valid_from=current.valid_to, label="projekt testowy")  # fmt: skip
    zone = ZoneFactory(ruleset=draft, code="A", geom=rect(0, 0, 1000, 1000))
    ZoneRuleFactory(zone=zone, max_value=Decimal("1"))  # stricter: both carriers fail
    client.force_login(make_user("inspector"))
    page = client.get(f"/reklamy/obsluga/reguly/{draft.pk}/?preview=1").content.decode()
    assert "Would become non-compliant" in page or "niezgodne" in page
    assert client.post(f"/reklamy/obsluga/reguly/{draft.pk}/zastosuj/").status_code == 403
    client.force_login(make_user("planner"))
    assert client.post(f"/reklamy/obsluga/reguly/{draft.pk}/zastosuj/").status_code == 302
    assert RuleSet.objects.get(pk=draft.pk).applied
