"""One real browser run over the analysis pages: the conflicts page (map with the conflict
areas, chart, tables) and the capacity page with a forecast, with no serious or critical
axe-core accessibility violations."""

from __future__ import annotations

import pytest

from tests.planning.analyses.conftest import build_town
from tests.planning.test_report_page import compile_planning_messages
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

# transactional: the live server sees the data (tests/conftest.py re-seeds what migrations
# seeded once the database is flushed after the test)
pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_town(transactional_db):  # type: ignore[no-untyped-def]
    compile_planning_messages()
    return build_town()


def test_analysis_pages_are_accessible(live_server, live_town, make_user):
    from playwright.sync_api import sync_playwright

    planner = make_user("planner")

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{live_server.url}/planowanie/analizy/")
            assert page.locator("h1").inner_text() == "Analizy planistyczne"
            page.click("a:has-text('Konflikty z uwarunkowaniami')")
            page.wait_for_selector("body[data-analysis-map-ready='true']", timeout=20_000)
            assert page.locator("h1").inner_text() == "Konflikty z uwarunkowaniami"
            rows = page.locator("#conflict-list tbody tr")
            assert rows.count() == 2
            assert "Zalew testowy" in rows.first.inner_text()
            assert page.locator("svg#conflicts-chart[role='img']").count() == 1
            # the map drew the two conflict areas
            drawn = page.evaluate(
                "() => window.miastoAnalysisMap.getLayers().getArray()"
                ".filter(l => l.getSource && l.getSource().getFeatures)"
                ".map(l => l.getSource().getFeatures().length)"
            )
            assert 2 in drawn
            page.screenshot(path=str(ARTIFACTS / "analysis-conflicts.png"), full_page=True)
            assert serious_violations(page) == []

            page.goto(f"{live_server.url}/planowanie/analizy/chlonnosc/")
            # a visit starts nothing: the page says so, and sends a planner to sign in …
            assert page.locator("progress").count() == 0
            assert serious_violations(page) == []
            page.goto(f"{live_server.url}/konto/logowanie/?next=/planowanie/analizy/chlonnosc/")
            page.fill("#id_login", planner.username)
            page.fill("#id_password", "pw-secret-123")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/planowanie/analizy/chlonnosc/")
            # … who starts the computation, and sees its progress …
            page.click("button:has-text('Policz teraz')")
            page.wait_for_selector("progress")
            assert serious_violations(page) == []
            import threading

            from miasto.core.jobs import job_run
            from miasto.core.models import Job

            done: list[str] = []

            def worker() -> None:  # as `miasto worker` would (outside playwright's event loop)
                for job in Job.objects.filter(kind="planning.capacity", status="queued"):
                    done.append(job_run(job).status)

            thread = threading.Thread(target=worker)
            thread.start()
            thread.join()
            assert done == ["done"]
            # … and the page, refreshing itself, shows the result once the job is done
            page.wait_for_selector("#f-pop", timeout=20_000)
            page.fill("#f-pop", "246")
            page.fill("#f-year", "2035")
            page.click("form.analysis-form button[type=submit]")
            page.wait_for_selector("body[data-analysis-map-ready='true']", timeout=20_000)
            assert "forecast_population=246" in page.url
            assert "Nadwyżka" in page.locator(".balance__verdict").inner_text()
            footer = page.locator("#capacity-districts tfoot").inner_text()
            assert "27" in footer and "200" in footer
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
