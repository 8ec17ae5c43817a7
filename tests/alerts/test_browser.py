"""Following an area in a real browser: with the keyboard only (an address and a radius), and
by drawing on the map; axe-core finds no violations on the page, the notifications page and
the edit page."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import shapely
from django.db import connection

from tests.accounts.test_browser import all_violations
from tests.web.conftest import X0, Y0, build_small_city
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM
from tests.web.test_browser import pytestmark as browser_marks

pytestmark = browser_marks


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/konto/logowanie/?next=/konto/powiadomienia/")
    page.fill("#id_login", username)
    page.fill("#id_password", "pw-secret-123")
    page.click("form.account-form button[type=submit]")
    page.wait_for_url("**/konto/powiadomienia/")


def _plan_event() -> int:
    """A plan over the city's south-west block announces its status: one person is told."""
    from miasto.alerts.events import alerts_match
    from miasto.planning.services import plan_create
    from tests.alerts.conftest import event, point

    plan = plan_create(kind="mpzp", title="Plan testowy", local_id="B-1",
                       geom=shapely.box(X0, Y0, X0 + 100, Y0 + 100))  # fmt: skip
    return alerts_match(event(point(X0 + 30, Y0 + 25), topic="plan.status_changed",
                              subject=str(plan.pk), title="Plan testowy"))  # fmt: skip


def _db(work):  # type: ignore[no-untyped-def]
    """Run ``work`` on a thread of its own: Playwright's sync API runs an event loop in this
    one, where Django refuses database calls."""

    def run():  # type: ignore[no-untyped-def]
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _errors(page) -> str:  # type: ignore[no-untyped-def]
    summary = page.locator("#error-summary")
    return summary.inner_text() if summary.count() else page.locator("main").inner_text()[:500]


@pytest.mark.django_db(transaction=True)
def test_follow_an_area_by_keyboard_and_by_drawing(live_server):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from miasto.alerts.models import Subscription

    build_small_city()
    user = get_user_model().objects.create_user(
        "ala", email="ala@example.org", password="pw-secret-123"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page = context.new_page()
            _sign_in(page, live_server.url, user.username)
            assert page.locator("h1").inner_text() == "Powiadomienia o okolicy"
            assert all_violations(page) == []

            # the keyboard only: the first radio (address) is chosen; type, tab, submit
            page.locator("#id_name").focus()
            page.keyboard.type("Dom")
            page.locator("#id_address").focus()
            page.keyboard.type("Długa 1")
            page.locator("#id_radius").focus()
            page.keyboard.press("Control+A")
            page.keyboard.type("150")
            page.locator("#id_feed").focus()
            page.keyboard.press("Space")
            page.locator("form.alerts-form button[type=submit]").focus()
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.get_by_role("row", name="Dom").count() == 1, _errors(page)
            assert "150 m wokół adresu ul. Długa 1" in page.content()
            assert all_violations(page) == []

            # drawing: choose the kind, click four corners on the map, close the ring
            page.get_by_label("narysowany obszar").check()
            page.wait_for_function(
                "!document.getElementById('alerts-map').closest('fieldset').hidden"
            )
            page.locator("#id_name").fill("Skwer")
            box = page.locator("#alerts-map").bounding_box()
            cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            corners = [(-30, -30), (30, -30), (30, 30), (-30, 30)]
            for dx, dy in corners:
                page.mouse.click(cx + dx, cy + dy)
                page.wait_for_timeout(150)
            page.mouse.click(cx - 30, cy - 30)  # the first corner again: done
            page.wait_for_function("document.getElementById('id_outline').value.length > 0")
            assert page.locator("#alerts-draw-status").inner_text() == "Obszar jest narysowany."
            page.screenshot(path=str(ARTIFACTS / "alerts-draw.png"), full_page=True)
            with page.expect_navigation():
                page.locator("form.alerts-form button[type=submit]").click()
            assert page.get_by_role("row", name="Skwer").count() == 1, _errors(page)
            drawn = _db(lambda: Subscription.objects.get(user=user, name="Skwer"))
            assert drawn.kind == "area" and drawn.geom.area > 0
            assert page.locator("#alerts-overview").is_visible()
            assert all_violations(page) == []

            # something happens inside: the header counts it, the notifications page lists it
            assert _db(_plan_event) == 1
            page.goto(f"{live_server.url}/konto/powiadomienia/skrzynka/")
            assert page.locator(".site-user__alerts .badge").inner_text() in ("1", "2")
            assert all_violations(page) == []
            with page.expect_navigation():
                page.get_by_role("button", name="Oznacz wszystkie jako przeczytane").click()
            assert page.locator(".site-user__alerts .badge").count() == 0

            page.goto(f"{live_server.url}/konto/powiadomienia/{drawn.pk}/")
            assert all_violations(page) == []
            page.screenshot(path=str(ARTIFACTS / "alerts-edit.png"), full_page=True)
        finally:
            browser.close()
