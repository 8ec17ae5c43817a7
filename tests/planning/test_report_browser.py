"""One real browser run over the planning report: the form, a bad request and the report page
of the hand-made parcel (inline SVG map, legend, fee) with no serious or critical axe-core
accessibility violations."""

from __future__ import annotations

import pytest

from tests.planning.test_report import site  # noqa: F401
from tests.planning.test_report_page import compile_planning_messages
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

# transactional: the live server sees the data (tests/conftest.py re-seeds what migrations
# seeded once the database is flushed after the test)
pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_site(transactional_db, site):  # noqa: F811
    compile_planning_messages()
    return site


def test_report_pages_are_accessible(live_server, live_site):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{live_server.url}/planowanie/wypis/")
            assert page.locator("h1").inner_text() == "Raport planistyczny (wypis i wyrys)"
            assert serious_violations(page) == []

            # a bad identifier: the form again, with the Polish format message
            page.fill("#id_parcels", "12/3")
            page.click("form.wypis-form button[type=submit]")
            assert "WWPPGG_R.XXXX.NDZ" in page.locator("#wypis-errors").inner_text()
            assert serious_violations(page) == []

            page.fill("#id_parcels", live_site.identifier)
            page.click("form.wypis-form button[type=submit]")
            page.wait_for_selector("svg.wyrys-map")
            assert f"/planowanie/wypis/{live_site.identifier}/?as_of=" in page.url
            assert "106401_1.0007.12/3" in page.locator("h1").inner_text()
            assert page.locator("svg.wyrys-map path.zone").count() >= 2
            assert "Opłata skarbowa" in page.locator("#fee-title").inner_text()
            page.screenshot(path=str(ARTIFACTS / "planning-report.png"), full_page=True)
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []


def test_map_panel_links_to_the_report(live_server, transactional_db):
    """The map's parcel panel has a link to the parcel's planning report, and it opens."""
    from playwright.sync_api import sync_playwright

    from tests.web.conftest import build_small_city

    compile_planning_messages()
    city = build_small_city()
    parcel = city.parcels[4]  # its number has a slash
    centroid = parcel.geom.point_on_surface.transform(4326, clone=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 850}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/map/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            x, y = page.evaluate(
                "([lon, lat]) => window.miastoPixelOf(lon, lat)", [centroid.x, centroid.y]
            )
            box = page.locator("#map").bounding_box()
            page.mouse.click(box["x"] + x, box["y"] + y)
            link = page.locator("#parcel-panel .panel-report a")
            link.wait_for(timeout=10_000)
            assert link.inner_text() == "Raport planistyczny (wypis i wyrys)"
            assert link.get_attribute("href") == f"/planowanie/wypis/{parcel.identifier}/"
            link.click()
            page.wait_for_selector("svg.wyrys-map", timeout=20_000)
            assert parcel.identifier in page.locator("h1").inner_text()
        finally:
            browser.close()
    assert errors == []
