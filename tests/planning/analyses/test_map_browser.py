"""The analysis map labels every district — a numbered badge at the centre of the largest
circle inside it, never two badges on top of each other, names only where they fit — lists
them in a key, and lets the keyboard switch its layers on and off (axe-core: no serious
violations)."""

from __future__ import annotations

import pytest

from tests.planning.analyses.conftest import build_town, multi
from tests.planning.test_report_page import compile_planning_messages
from tests.territory import factories as tf
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]

NAMES = ["Osiedle Kopernika", "Fabryczna", "Osiedle Tysiąclecia", "Stare Bałuty", "Nowe Sady",
         "Park Przemysłowy", "Zielone Wzgórza", "Dolina Łódki", "Rokicie", "Retkinia"]  # fmt: skip


@pytest.fixture
def live_town12(transactional_db):  # type: ignore[no-untyped-def]
    compile_planning_messages()
    town = build_town()
    city = town.districts["01"].city
    # ten narrow districts (200 × 150 m) along the north edge: twelve in all
    for i, name in enumerate(NAMES):
        tf.DistrictFactory(
            city=city, code=f"{i + 3:02d}", name=name,
            geom=multi(i * 200, 1000, i * 200 + 200, 1150),
        )  # fmt: skip
    return town


def test_every_district_is_labelled_and_layers_switch(live_server, live_town12, monkeypatch):
    from playwright.sync_api import sync_playwright

    from miasto.planning.pages import analyses

    monkeypatch.setattr(analyses, "CONFLICTS_PAGE", 1)  # the town's two conflicts: two pages
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/planowanie/analizy/konflikty/")
            page.wait_for_selector("body[data-analysis-map-ready='true']", timeout=20_000)
            # the key names all twelve districts with their figure
            key = page.locator("ol.district-key li")
            assert key.count() == 12
            assert "Osiedle Kopernika: 0 m²" in key.nth(2).inner_text().replace("\xa0", " ")
            # every district has its numbered badge on the map, none overlapping another
            badges = page.evaluate(
                """() => {
                  const map = window.miastoAnalysisMap;
                  const labels = map.getLayers().getArray()
                    .filter((l) => l.get('name') === 'labels' && l.getZIndex() === 11)[0];
                  return labels.getSource().getFeatures().map((f) => ({
                    key: f.get('key'),
                    px: map.getPixelFromCoordinate(f.getGeometry().getCoordinates()),
                  }));
                }"""
            )
            assert sorted(b["key"] for b in badges) == list(range(1, 13))
            for i, a in enumerate(badges):
                for b in badges[i + 1 :]:
                    dx, dy = a["px"][0] - b["px"][0], a["px"][1] - b["px"][1]
                    assert dx * dx + dy * dy >= 22 * 22, (a, b)  # badges 22 px wide
            # the layer switch: visible with JS, one checkbox per layer, keyboard operable
            switch = page.locator("#analysis-layers")
            assert switch.is_visible()
            labels = [t.strip() for t in switch.locator("label").all_inner_texts()]
            assert "Numery i nazwy dzielnic" in labels and "Obszary konfliktów" in labels
            overlay_box = switch.locator("input[data-layer='overlay']")
            overlay_box.focus()
            page.keyboard.press("Space")
            assert not overlay_box.is_checked()
            visible = page.evaluate(
                """() => window.miastoAnalysisMap.getLayers().getArray()
                     .filter((l) => l.get('name') === 'overlay').map((l) => l.getVisible())"""
            )
            assert visible == [False]
            page.keyboard.press("Space")
            assert overlay_box.is_checked()
            labels_box = switch.locator("input[data-layer='labels']")
            labels_box.focus()
            page.keyboard.press("Space")
            hidden = page.evaluate(
                """() => window.miastoAnalysisMap.getLayers().getArray()
                     .filter((l) => l.get('name') === 'labels').map((l) => l.getVisible())"""
            )
            assert hidden == [False, False]
            page.keyboard.press("Space")
            page.screenshot(path=str(ARTIFACTS / "analysis-map-labels.png"), full_page=True)
            assert serious_violations(page) == []

            # the list is paged; the pager keeps the page accessible
            pager = page.locator("nav.pager")
            assert "Strona 1 z 2" in pager.inner_text()
            pager.locator("a[rel='next']").click()
            page.wait_for_url("**page=2#lista")
            page.wait_for_selector("body[data-analysis-map-ready='true']", timeout=20_000)
            assert page.locator("#conflict-list tbody tr").count() == 1
            assert "Konflikty 2–2 z 2" in page.locator("#conflict-summary").inner_text()
            assert serious_violations(page) == []

            # the accessibility page: its gap parcels can be switched off above the districts
            page.goto(f"{live_server.url}/planowanie/analizy/dostepnosc/")
            page.wait_for_selector("body[data-analysis-map-ready='true']", timeout=20_000)
            gaps = page.locator("#analysis-layers input[data-layer='accessibility-gaps']")
            assert gaps.is_checked()
            gaps.focus()
            page.keyboard.press("Space")
            assert page.evaluate(
                """() => window.miastoAnalysisMap.getLayers().getArray()
                     .filter((l) => l.get('name') === 'accessibility-gaps')
                     .map((l) => l.getVisible())"""
            ) == [False]
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
