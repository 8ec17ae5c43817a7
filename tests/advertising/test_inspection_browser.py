"""The inspection form in a real browser on a phone-sized screen: the position from the device
finds the carrier nearby; the connection goes, the form is filled and sent — it waits on the
phone; when the connection is back the waiting inspection is sent by itself, with its photo,
and stored once (a reload afterwards sends nothing more). A draft typed and left survives a
reload. No serious or critical accessibility violations (axe-core)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from PIL import Image

from miasto.advertising.models.enforcement import EnforcementCase, Inspection
from tests.advertising.enforcement_fixtures import case_in
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, serious_violations
from tests.web.test_browser import pytestmark as browser_marks

pytestmark = [*browser_marks, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(transactional_db: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from miasto.core.roles import roles_sync
    from tests.advertising.factories import CarrierFactory
    from tests.territory.factories import CityFactory

    CityFactory()
    carrier = CarrierFactory()
    case = case_in(carrier, "detected")
    roles_sync()
    user = get_user_model().objects.create(username="inspektor-przegladarka", is_staff=True)
    user.groups.add(Group.objects.get(name="inspector"))
    client = Client()
    client.force_login(user)
    lon, lat = carrier.location.transform(4326, clone=True).coords
    return {"carrier": carrier, "case": case, "session": client.cookies["sessionid"].value,
            "lon": lon, "lat": lat}  # fmt: skip


def _photo(path: Any) -> Any:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "blue").save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_an_inspection_made_offline_is_sent_when_the_connection_returns(
    live_server: Any, site: dict[str, Any], tmp_path: Any
) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    url = f"{live_server.url}/reklamy/inspekcja/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, locale="pl-PL", is_mobile=True,
                has_touch=True, geolocation={"longitude": site["lon"], "latitude": site["lat"]},
                permissions=["geolocation"],
            )  # fmt: skip
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": site["session"],
                                  "url": live_server.url}])  # fmt: skip
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            assert page.locator("h1").inner_text() == "Oględziny nośnika reklamowego"
            assert serious_violations(page) == []

            # the device's position lists the carrier nearby; choosing it fills the number
            page.click("#inspection-locate")
            page.get_by_label(site["carrier"].reference, exact=False).check()
            assert page.input_value("#id_carrier") == site["carrier"].reference
            assert page.input_value("#id_latitude").startswith(f"{site['lat']:.3f}"[:5])

            # the connection goes: fill in, send — it waits on the phone
            context.set_offline(True)
            page.fill("#id_width", "3")
            page.fill("#id_height", "2")
            page.fill("#id_notes", "Oględziny bez zasięgu")
            page.set_input_files("#id_photo", str(_photo(tmp_path / "IMG_1.jpg")))
            page.click("#inspection-form button[type=submit]")
            page.wait_for_selector("#inspection-outbox:not([hidden])")
            assert "Brak połączenia" in page.locator("#inspection-status").inner_text()
            assert "1" in page.locator("#inspection-outbox").inner_text()
            # (nothing reached the server: checked below — the page is answered by the
            # stored inspection only after the reload; no ORM here, Playwright runs a loop)

            # back online: what waited is sent by itself
            context.set_offline(False)
            page.wait_for_selector("#inspection-status[data-kind='sent']")
            assert "są zapisane" in page.locator("#inspection-status").inner_text()
            assert page.locator("#inspection-outbox").is_hidden()
            # opened again, the page has nothing left to send, and the form is empty
            page.reload()
            page.wait_for_timeout(500)
            assert page.locator("#inspection-outbox").is_hidden()
            assert page.input_value("#id_notes") == ""
            page.screenshot(path=str(ARTIFACTS / "advertising-inspection.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    inspection = Inspection.objects.get()
    assert inspection.notes == "Oględziny bez zasięgu" and inspection.photo
    assert inspection.position_source == "gps"
    assert EnforcementCase.objects.get(pk=site["case"].pk).state == "inspected"


def test_a_draft_survives_a_reload(live_server: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="pl-PL")
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": site["session"],
                                  "url": live_server.url}])  # fmt: skip
            page = context.new_page()
            page.goto(f"{live_server.url}/reklamy/inspekcja/")
            page.fill("#id_carrier", site["carrier"].reference)
            page.fill("#id_width", "0")  # no carrier is 0 m wide: the server will say so
            page.fill("#id_notes", "Szkic")
            client_id = page.input_value("#id_client_id")
            page.reload()
            assert page.input_value("#id_notes") == "Szkic"
            assert page.input_value("#id_client_id") == client_id  # the same form
            page.fill("#id_height", "2")
            page.click("#inspection-form button[type=submit]")
            page.wait_for_selector("#inspection-errors:not([hidden])")
            assert "Szerokość" in page.locator("#inspection-errors").inner_text()
            assert page.input_value("#id_notes") == "Szkic"  # nothing is lost
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert not Inspection.objects.exists()
