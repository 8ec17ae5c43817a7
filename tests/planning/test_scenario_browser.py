"""One real browser run over a scenario's comparison page (side-by-side SVG maps, legend,
tables): an inspector logs in, the page has no serious or critical axe-core violations."""

from __future__ import annotations

import pytest

from tests.planning.test_report_page import compile_planning_messages
from tests.planning.test_scenario_compare import scenario  # noqa: F401 — fixture
from tests.planning.test_zoneset import plans  # noqa: F401 — fixture
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

# transactional: the live server sees the data (tests/conftest.py re-seeds what migrations
# seeded once the database is flushed after the test)
pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]


def test_scenario_page_in_a_browser(live_server, scenario, make_user):  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import sync_playwright

    from miasto.core.jobs import job_run
    from miasto.planning.scenarios import scenario_job

    compile_planning_messages()
    inspector = make_user("inspector")
    job_run(scenario_job(scenario, start=True))  # started by staff, run as the worker does
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/konto/logowanie/?next=/planowanie/scenariusze/")
            page.fill("#id_login", inspector.username)
            page.fill("#id_password", "pw-secret-123")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/planowanie/scenariusze/")
            page.click("text=Nowe Łąki")
            page.wait_for_selector("#h-capacity")
            assert page.locator(".scenario-map svg").count() == 2
            assert "Śródmieście" in page.locator("#chlonnosc").inner_text()
            assert "1MW" in page.locator("#zmiany").inner_text()
            page.screenshot(path=str(ARTIFACTS / "planning-scenario.png"), full_page=True)
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
