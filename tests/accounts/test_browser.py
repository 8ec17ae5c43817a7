"""The sign-in pages in a real browser: axe-core finds no violations; a wrong password puts
the error summary first, linked to the field; the header then shows who is signed in."""

from __future__ import annotations

import pytest

from tests.web.test_browser import ARGS, ARTIFACTS, AXE, CHROMIUM
from tests.web.test_browser import pytestmark as browser_marks

pytestmark = browser_marks


def all_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    # evaluated, not added as a script tag: the site's Content-Security-Policy refuses those
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice'], resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "" for n in v["nodes"][:5])
        for v in violations
    ]


@pytest.mark.django_db(transaction=True)
def test_login_page_is_accessible_and_signs_in(live_server, settings):  # type: ignore[no-untyped-def]
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    user = get_user_model().objects.create_user(
        "ala", email="ala@example.org", password="pw-secret-123", first_name="Ala"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 850}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/konto/logowanie/")
            assert page.locator("h1").inner_text().startswith("Zaloguj")
            assert all_violations(page) == []
            page.screenshot(path=str(ARTIFACTS / "accounts-login.png"), full_page=True)

            page.fill("#id_login", "ala")
            page.fill("#id_password", "wrong-password")
            page.click("form.account-form button[type=submit]")
            page.wait_for_selector("#error-summary")
            assert all_violations(page) == []

            page.goto(f"{live_server.url}/konto/rejestracja/")
            assert all_violations(page) == []

            page.goto(f"{live_server.url}/konto/logowanie/?next=/konto/")
            page.fill("#id_login", "ala@example.org")
            page.fill("#id_password", "pw-secret-123")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/konto/")
            assert "Zalogowano jako" in page.locator(".site-user").inner_text()
            assert all_violations(page) == []
            page.screenshot(path=str(ARTIFACTS / "accounts-profile.png"), full_page=True)

            # setting up TOTP: the password again, then the QR code, the secret and the code
            page.goto(f"{live_server.url}/konto/2fa/totp/wlacz/")
            page.wait_for_url("**/konto/potwierdz-tozsamosc/**")
            assert all_violations(page) == []
            page.fill("#id_password", "pw-secret-123")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/konto/2fa/totp/wlacz/")
            assert page.locator("img.account-qr").count() == 1
            assert all_violations(page) == []
            page.screenshot(path=str(ARTIFACTS / "accounts-totp.png"), full_page=True)

            page.click(".site-user__logout button")
            page.wait_for_selector(".site-user__login")
        finally:
            browser.close()
    assert errors == []
