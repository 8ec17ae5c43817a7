"""One real browser run: a consultation's page (map, documents, comments, no serious axe-core
violations), and a comment made with the keyboard alone — a parcel typed instead of a drawing."""

from __future__ import annotations

from typing import Any

import pytest

from miasto.consultations.models import Comment, Status
from tests.consultations.factories import add_comment, draft_plan, make_consultation
from tests.i18n import compile_messages
from tests.territory import factories as tf
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations

pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(transactional_db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    compile_messages("consultations")
    tf.CityFactory()
    parcel = tf.ParcelFactory()
    c = make_consultation(draft_plan(), Status.OPEN)
    add_comment(c, 1, text="Więcej drzew przy szkole", handling="accepted", justification="Tak.")
    add_comment(c, 2, text="Chodnik", moderation="published")
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("mieszkanka", password="Haslo-Testowe-123")
    return {"c": c, "parcel": parcel}


def test_consultation_page_and_a_keyboard_comment(live_server: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    c = site["c"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/konsultacje/{c.pk}/")
            assert page.locator("h1").inner_text() == c.title
            page.wait_for_selector("#consultation-map canvas")
            assert "Więcej drzew przy szkole" in page.locator("#uwagi").inner_text()
            assert "uwzględniona" in page.locator("#uwagi").inner_text()
            assert serious_violations(page) == []
            page.screenshot(path=str(ARTIFACTS / "consultation.png"), full_page=True)

            page.goto(f"{live_server.url}/konto/logowanie/?next=/konsultacje/{c.pk}/uwagi/nowa/")
            page.fill("input[name=login]", "mieszkanka")
            page.fill("input[name=password]", "Haslo-Testowe-123")
            page.keyboard.press("Enter")
            page.wait_for_selector("#id_text")
            assert serious_violations(page) == []
            page.fill("#id_text", "Proszę o przejście dla pieszych.")
            page.select_option("#id_category", "transport")
            page.fill("#id_place", site["parcel"].identifier)
            page.fill("#id_name", "Ewa Zielińska")
            page.fill("#id_address", "ul. Polna 3")
            page.locator("#id_address").press("Enter")
            page.wait_for_selector(".hub-messages")
            assert "Dziękujemy" in page.locator(".hub-messages").inner_text()
        finally:
            browser.close()
    comment = Comment.objects.get(text="Proszę o przejście dla pieszych.")
    assert comment.parcel == site["parcel"].identifier
    assert errors == []
