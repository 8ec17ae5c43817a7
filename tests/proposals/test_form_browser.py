"""The proposal form in a real browser: draw a point on the map and publish; the keyboard way
(an address typed instead of a drawn place); the list's map and table; no serious axe-core
violation and no Content-Security-Policy violation on the way."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from miasto.proposals.models import Proposal
from tests.proposals.factories import verified
from tests.web.test_browser import ARGS, CHROMIUM, CSP_LISTENER, csp_violations, pytestmark
from tests.web.test_browser import serious_violations as axe_violations

pytestmark = [*pytestmark]  # the browser tests' markers and skips


def _signed_in_cookie(live_server, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def _fill(page, title: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_title", title)
    page.fill("#id_description", "Ławki w cieniu drzew przy placu zabaw.")
    page.select_option("#id_category", "public_space")


@pytest.fixture
def live_city(transactional_db):  # type: ignore[no-untyped-def]
    from tests.web.conftest import build_small_city

    return build_small_city()


@pytest.mark.usefixtures("live_city")
def test_draw_a_point_and_publish_then_by_keyboard(live_server) -> None:
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    user = verified(get_user_model().objects.create_user("mieszkanka", password="pw-secret-123"))
    cookie = _signed_in_cookie(live_server, user)  # (no database calls inside Playwright's loop)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            context.add_cookies([cookie])
            page = context.new_page()
            page.add_init_script(CSP_LISTENER)
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{live_server.url}/pomysly/nowy/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            assert axe_violations(page) == []
            _fill(page, "Ławki na placu")
            page.get_by_role("button", name="Punkt").click()
            box = page.locator("#draw-map").bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_selector("#draw-map[data-drawn='true']")
            assert "Point" in page.input_value("input[name='geometry']")
            assert "zaznaczone" in page.locator("#draw-status").inner_text()
            page.get_by_role("button", name="Opublikuj pomysł").click()
            page.wait_for_url(re.compile(r".*/pomysly/\d+/$"))  # (not the form's own /nowy/)
            assert page.locator("h1").inner_text() == "Ławki na placu"
            assert axe_violations(page) == []

            # the keyboard way: no drawing, an address typed, the form sent with Enter
            page.goto(f"{live_server.url}/pomysly/nowy/")
            _fill(page, "Drzewa przy Długiej")
            page.focus("#id_place")
            page.keyboard.type("Długa 1")
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(r".*/pomysly/\d+/$"))  # (not the form's own /nowy/)
            assert page.locator("h1").inner_text() == "Drzewa przy Długiej"

            page.goto(f"{live_server.url}/pomysly/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            assert page.locator("#proposals-table tbody tr").count() == 2
            assert axe_violations(page) == []
            assert csp_violations(page) == []
        finally:
            browser.close()
    assert errors == []
    drawn = Proposal.objects.get(title="Ławki na placu")
    assert drawn.geom.geom_type == "Point" and drawn.district is not None
    typed = Proposal.objects.get(title="Drzewa przy Długiej")
    assert typed.author == user
