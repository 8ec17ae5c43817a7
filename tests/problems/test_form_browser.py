"""The report form in a real browser (Chromium through Playwright): a click on the map fills
the place, the report is sent and its page opens; axe-core finds no serious or critical
accessibility violation on the form, the report's page and the list, and the Content-Security-
Policy is not violated."""

from __future__ import annotations

import re

import pytest

from miasto.problems.models import Report
from tests.problems.factories import ServiceFactory
from tests.web.conftest import build_small_city
from tests.web.test_browser import (
    ARGS,
    CHROMIUM,
    CSP_LISTENER,
    csp_violations,
    pytestmark,  # noqa: F401 — the same skips: a browser, the bundle, axe-core
    serious_violations,
)


@pytest.mark.browser
def test_report_form_map_pick_and_accessibility(live_server, transactional_db):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    from tests.problems.conftest import compile_messages

    compile_messages("problems")
    build_small_city()
    service = ServiceFactory(code="latarnia", name="Niedziałająca latarnia")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.add_init_script(CSP_LISTENER)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/zgloszenia/nowe/")
            assert "Klauzula informacyjna (RODO)" in page.content()
            assert serious_violations(page) == []

            page.select_option("#id_service", "latarnia")
            page.fill("#id_description", "Latarnia przy przejściu nie świeci od tygodnia.")
            page.wait_for_function("() => window.miastoProblemsMap !== undefined")
            page.wait_for_timeout(500)
            box = page.locator("#problems-map").bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            assert page.input_value("#id_lat") and page.input_value("#id_lon")
            page.click("button:has-text('Wyślij zgłoszenie')")
            page.wait_for_url(re.compile(r".*/zgloszenia/\d+/$"))  # (not the form's own /nowe/)
            pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
            assert f"Zgłoszenie nr {pk}" in page.locator("h1").inner_text()
            assert serious_violations(page) == []

            page.goto(f"{live_server.url}/zgloszenia/")
            page.locator(f"tr[data-report-id='{pk}']").wait_for()
            assert serious_violations(page) == []
            assert csp_violations(page) == []
        finally:
            browser.close()
    assert errors == []
    # (the database only outside Playwright's event loop)
    report = Report.objects.get(pk=pk)
    assert report.service == service and report.unit == service.unit
