"""A real browser on the report of a parcel whose figures are incomplete (a zone without a
maximum intensity) and of one bound by a local plan and the general plan: "nie ustalono", the
note on the incomplete totals, and no serious or critical axe-core violations."""

from __future__ import annotations

import pytest

from tests.planning.test_report_figures import ENACTED, parcels  # noqa: F401
from tests.planning.test_report_page import compile_planning_messages
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_parcels(transactional_db, parcels):  # noqa: F811
    compile_planning_messages()
    return parcels


def test_incomplete_and_mixed_reports_are_accessible(live_server, live_parcels):
    from playwright.sync_api import sync_playwright

    a, b = live_parcels
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/planowanie/wypis/{a.identifier}/?as_of={ENACTED}")
            page.wait_for_selector("svg.wyrys-map")
            note = page.locator(".wypis-incomplete").inner_text()
            assert "Wartości niepełne" in note and "71R" in note
            assert "nie ustalono" in page.locator("main").inner_text()
            page.screenshot(path=str(ARTIFACTS / "planning-report-incomplete.png"), full_page=True)
            assert serious_violations(page) == []
            page.goto(f"{live_server.url}/planowanie/wypis/{b.identifier}/?as_of={ENACTED}")
            page.wait_for_selector("svg.wyrys-map")
            assert "planu ogólnego" in page.locator("main").inner_text()
            assert page.locator(".wypis-incomplete").count() == 0
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
