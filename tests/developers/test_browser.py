"""The developer pages in a real browser: axe-core finds no violations on the portal, the key
list and the page that shows a new key once; the key works against the API."""

from __future__ import annotations

import pytest

from tests.accounts.test_browser import all_violations
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM
from tests.web.test_browser import pytestmark as browser_marks

pytestmark = browser_marks


@pytest.mark.django_db(transaction=True)
def test_register_an_application_and_use_its_key(live_server):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    user = get_user_model().objects.create_user("dev", password="pw-secret-123")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 850}, locale="pl-PL")
            page = context.new_page()
            page.goto(f"{live_server.url}/dla-deweloperow/")
            assert page.locator("h1").inner_text() == "Dla deweloperów"
            assert all_violations(page) == []
            page.goto(f"{live_server.url}/konto/logowanie/?next=/dla-deweloperow/aplikacje/")
            page.fill("#id_login", user.username)
            page.fill("#id_password", "pw-secret-123")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/dla-deweloperow/aplikacje/")
            assert all_violations(page) == []
            page.fill("#id_name", "Mapa drzew")
            page.click("form.account-form button[type=submit]")
            key = page.locator("#api-key").input_value()
            assert key.startswith("mst_")
            assert all_violations(page) == []
            page.screenshot(path=str(ARTIFACTS / "developers-key.png"), full_page=True)
            answer = context.request.get(
                f"{live_server.url}/api/v1/layers", headers={"Authorization": f"Bearer {key}"}
            )
            assert answer.status == 200
            page.goto(f"{live_server.url}/dla-deweloperow/aplikacje/")
            page.get_by_role("link", name="Mapa drzew").click()
            assert page.get_by_text("api-layers").count() == 1
            assert all_violations(page) == []
        finally:
            browser.close()
