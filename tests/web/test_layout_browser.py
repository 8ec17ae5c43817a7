"""Phones, reflow and the ways in, in a real browser (issue 14, items 4, 6 and 7).

- a phone (390×844): the header is compact (< 10 % of the screen) with a menu button that
  opens and closes with the keyboard; on /map/ the map fills the screen below the header and
  the parcel panel is a bottom sheet over its lower part;
- 320 px (WCAG 1.4.10 reflow) on every page type: nothing scrolls sideways, every menu item
  is on screen — with the menu button, and without JavaScript (the menu stays open);
- the home page's ways in are links that lead to their pages, and its search opens the map
  with the results;
- /dane/: from the top of the page to the first dataset in at most 5 Tabs with the skip link;
- axe-core: no serious or critical violation in each of these states.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}


def make_dataset() -> Any:
    """A public dataset with two versions (the versions table of the dataset page)."""
    from miasto.datahub.models import Dataset
    from tests.datahub.test_api_permissions import make_version
    from tests.datahub.test_views import compile_datahub_messages
    from tests.territory import factories as tf

    compile_datahub_messages()
    unit = tf.OrgUnitFactory(code="WGK", name="Wydział Geodezji i Gospodarki Nieruchomościami")
    dataset = Dataset.objects.create(
        slug="budynki", title_pl="Budynki", title_en="Buildings", owner=unit, theme="REGI",
        description_pl="Budynki z ewidencji gruntów i budynków.", frequency="MONTHLY",
    )  # fmt: skip
    make_version(dataset, 1, current=False)
    make_version(dataset, 2)
    return dataset


def drop_tables(dataset: Any) -> None:
    with connection.cursor() as cursor:
        for version in dataset.versions.all():
            cursor.execute(f"DROP TABLE IF EXISTS {version.table_name}")


@pytest.fixture
def live_world(transactional_db: Any) -> Any:
    """The planning test town (plans, parcels, analyses) and a dataset with two versions."""
    from miasto.planning.models import Plan
    from tests.planning.analyses.conftest import build_town
    from tests.planning.test_report_page import compile_planning_messages

    compile_planning_messages()
    town = build_town()
    dataset = make_dataset()
    yield {
        "parcel": next(iter(town.parcels.values())).identifier,
        "plan": Plan.objects.order_by("pk").first().pk,
    }
    drop_tables(dataset)


@pytest.fixture
def live_city_and_data(live_city: Any) -> Any:
    """The web tests' small city (streets to search) and a dataset for the catalogue."""
    dataset = make_dataset()
    yield live_city
    drop_tables(dataset)


def page_paths(world: dict[str, Any]) -> dict[str, str]:
    return {
        "home": "/",
        "map": "/map/",
        "catalogue": "/dane/",
        "dataset": "/dane/budynki/",
        "plans": "/planowanie/",
        "plan": f"/planowanie/plany/{world['plan']}/",
        "report": f"/planowanie/wypis/{world['parcel']}/",
        "analyses": "/planowanie/analizy/",
        "sign-in": "/konto/logowanie/",
        "statement": "/deklaracja-dostepnosci/",
        "contact": "/kontakt/",
        "privacy": "/prywatnosc/",
    }


def scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def wide_elements(page: Any, width: int) -> list[str]:
    """What reaches past ``width`` (makes a page scroll sideways): elements, and text that
    overflows its element."""
    return page.evaluate(
        """(width) => {
            const out = [...document.querySelectorAll('body *')]
              .filter((el) => el.getBoundingClientRect().right > width + 0.5)
              .map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right}`);
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const range = document.createRange();
            while (walker.nextNode()) {
              range.selectNodeContents(walker.currentNode);
              const right = range.getBoundingClientRect().right;
              const text = walker.currentNode.textContent.trim().slice(0, 40);
              if (right > width + 0.5) out.push(`text "${text}" ${right}`);
            }
            return out.slice(-8);
        }""",
        width,
    )


def menu_items_off_screen(page: Any, width: int) -> list[str]:
    """The menu's links and buttons that are not wholly visible within ``width``."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll(
              '.site-nav a, .site-user a, .site-user button, .lang-switch button')]
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.width === 0 || r.left < 0 || r.right > width + 0.5;
            }).map((el) => el.textContent.trim())""",
        width,
    )


def focused(page: Any) -> str:
    return page.evaluate(
        "(() => { const el = document.activeElement;"
        " return `${el.tagName.toLowerCase()}.${el.className}|${el.textContent.trim()}`; })()"
    )


def test_phone_header_menu_map_and_bottom_sheet(live_server: Any, live_city: Any) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    parcel = live_city.parcels[4]
    centroid = parcel.geom.point_on_surface.transform(4326, clone=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport=PHONE, locale="pl-PL", has_touch=True)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/")
            header = page.locator(".site-header").bounding_box()
            assert header["height"] < 0.10 * PHONE["height"], header
            button = page.locator(".menu-toggle")
            assert button.is_visible()
            assert page.locator(".site-nav").is_hidden()
            assert serious_violations(page) == []

            # keyboard: Tab to the button, Enter opens, Tab enters the menu, Escape closes
            for _ in range(5):
                page.keyboard.press("Tab")
                if "menu-toggle" in focused(page):
                    break
            assert "menu-toggle" in focused(page)
            page.keyboard.press("Enter")
            assert button.get_attribute("aria-expanded") == "true"
            assert page.locator(".site-nav a:has-text('Dane')").is_visible()
            assert menu_items_off_screen(page, PHONE["width"]) == []
            assert serious_violations(page) == []
            page.keyboard.press("Tab")
            assert focused(page).endswith("|Strona główna")
            page.keyboard.press("Escape")
            assert button.get_attribute("aria-expanded") == "false"
            assert page.locator(".site-nav").is_hidden()
            assert "menu-toggle" in focused(page)
            page.keyboard.press("Space")
            assert button.get_attribute("aria-expanded") == "true"
            page.keyboard.press("Space")
            assert button.get_attribute("aria-expanded") == "false"

            # /map/: the map first, filling the screen below the header
            page.goto(f"{live_server.url}/map/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            header = page.locator(".site-header").bounding_box()
            box = page.locator("#map").bounding_box()
            assert box["y"] < 0.15 * PHONE["height"], box
            assert box["y"] + box["height"] <= PHONE["height"] + 1
            assert box["height"] > 0.75 * PHONE["height"], box
            assert box["width"] == PHONE["width"]
            assert page.locator("#search-input").bounding_box()["y"] > box["y"] + box["height"]
            assert scroll_width(page) <= PHONE["width"]

            # a parcel's panel is a bottom sheet: the map stays visible above it
            x, y = page.evaluate(
                "([lon, lat]) => window.miastoPixelOf(lon, lat)", [centroid.x, centroid.y]
            )
            page.mouse.click(box["x"] + x, box["y"] + y)
            panel = page.locator("#parcel-panel")
            panel.locator("dl.facts").wait_for(timeout=10_000)
            sheet = panel.bounding_box()
            assert sheet["x"] == 0 and sheet["width"] == PHONE["width"]
            assert sheet["y"] > box["y"] + 0.4 * box["height"], sheet
            assert sheet["y"] + sheet["height"] <= box["y"] + box["height"] + 1
            page.screenshot(path=str(ARTIFACTS / "phone-map-panel.png"))
            assert serious_violations(page) == []
            page.keyboard.press("Escape")
            assert panel.is_hidden()
        finally:
            browser.close()
    assert errors == []


def test_reflow_at_320_px_on_every_page_type(live_server: Any, live_world: Any) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport=NARROW, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            for name, path in page_paths(live_world).items():
                response = page.goto(f"{live_server.url}{path}")
                assert response.ok, (name, response.status)
                assert scroll_width(page) <= NARROW["width"], (name, wide_elements(page, 320))
                page.click(".menu-toggle")
                assert menu_items_off_screen(page, NARROW["width"]) == [], name
                assert scroll_width(page) <= NARROW["width"], (name, "menu open")
                assert serious_violations(page) == [], name
                page.screenshot(path=str(ARTIFACTS / f"reflow-320-{name}.png"), full_page=True)

            # without JavaScript the menu is open and wraps: every item still on screen
            context = browser.new_context(
                viewport=NARROW, locale="pl-PL", java_script_enabled=False
            )
            bare = context.new_page()
            for name in ("home", "catalogue", "dataset", "statement"):
                bare.goto(f"{live_server.url}{page_paths(live_world)[name]}")
                assert bare.locator(".menu-toggle").is_hidden()
                assert menu_items_off_screen(bare, NARROW["width"]) == [], name
                assert scroll_width(bare) <= NARROW["width"], (name, "no JavaScript")
            context.close()
        finally:
            browser.close()
    assert errors == []


def test_home_ways_in_search_and_catalogue_keyboard_path(
    live_server: Any, live_city_and_data: Any
) -> None:
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/")
            links = page.locator("a.way-in__link")
            targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
            assert targets == [
                "/map/", "/planowanie/wypis/", "/planowanie/", "/konsultacje/", "/dane/",
                "/zgloszenia/", "/planowanie/analizy/", "/reklamy/", "/pomysly/", "/ankiety/",
            ]  # fmt: skip
            assert serious_violations(page) == []
            for i, href in enumerate(targets):
                page.goto(f"{live_server.url}/")
                page.locator("a.way-in__link").nth(i).click()
                page.wait_for_url(f"**{href}")
                assert page.locator("h1").count() >= 1, href

            # the search: the map opens with the query and its results
            page.goto(f"{live_server.url}/")
            page.fill("#home-q", "Długa 1")
            page.keyboard.press("Enter")
            page.wait_for_url("**/map/?q=D*")
            page.locator("#search-listbox [role='option']").first.wait_for(timeout=10_000)
            assert page.locator("#search-input").input_value() == "Długa 1"
            assert page.evaluate("document.activeElement.id") == "search-input"

            # /dane/: the skip link, then the first dataset
            page.goto(f"{live_server.url}/dane/")
            first = page.locator(".dataset-card h3 a").first.inner_text()
            tabs = 0
            page.keyboard.press("Tab")
            tabs += 1
            assert focused(page).startswith("a.skip-link|Przejdź do ")
            page.keyboard.press("Tab")
            tabs += 1
            assert focused(page).startswith("a.skip-link|Przejdź do zbiorów danych")
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            tabs += 1
            assert focused(page) == f"a.|{first}"
            assert tabs <= 5
            # and even without the skip link the facet groups cost one Tab each
            page.goto(f"{live_server.url}/dane/")
            without = 0
            while without < 60 and focused(page) != f"a.|{first}":
                page.keyboard.press("Tab")
                without += 1
            assert without <= 20, without
            # a group opens from the keyboard, and its links filter
            page.focus(".facet summary >> nth=0")
            page.keyboard.press("Enter")
            assert page.locator(".facet >> nth=0").get_attribute("open") is not None
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
