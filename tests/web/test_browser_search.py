"""The map's search box in a real browser (issue 14): what people type — ``obręb.numer``, an
address without diacritics, a number with a precinct's name — gives the expected first
suggestion; Enter opens it; axe-core finds no serious or critical violation with the list open."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.web.test_browser import ARGS, CHROMIUM, serious_violations
from tests.web.test_browser import pytestmark as browser_marks

pytestmark = browser_marks


def suggest(page: Any, query: str) -> list[str]:
    """Type a query as a person would; the suggestions for it (type and label of each)."""
    box = page.locator("#search-input")
    box.fill("")

    def answers(response: Any) -> bool:
        url = urlparse(response.url)
        return url.path == "/api/v1/search" and parse_qs(url.query).get("q") == [query]

    with page.expect_response(answers, timeout=10_000):
        box.press_sequentially(query, delay=20)
    page.wait_for_timeout(100)  # rendered
    return page.eval_on_selector_all(
        "#search-listbox [role=option]",
        "options => options.map(o => [...o.children].slice(0, 2).map(c => c.textContent)"
        ".join(' '))",
    )


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 850}])
def test_search_box_finds_each_form(live_server, live_city, viewport):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport=viewport, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/map/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)

            # obręb.numer, the placeholder's format
            options = suggest(page, "0003.12")
            assert options[0] == "działka 106401_1.0003.12", options
            assert serious_violations(page) == []  # the list open
            page.keyboard.press("Enter")
            title = page.locator("#parcel-panel-title")
            title.wait_for(timeout=10_000)
            assert "106401_1.0003.12" in title.inner_text()
            page.keyboard.press("Escape")

            # an address typed without diacritics, lower case
            options = suggest(page, "dluga 1")
            assert options[0] == "adres ul. Długa 1", options
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            page.locator("#parcel-panel-title").wait_for(timeout=10_000)
            assert "106401_1.0003.1" in page.locator("#parcel-panel-title").inner_text()
            page.keyboard.press("Escape")

            # a parcel number with its precinct's name; a district by name with a typo
            options = suggest(page, "5/1 Śródmieście")
            assert options[0] == "działka 106401_1.0003.5/1", options
            options = suggest(page, "Osiedle Słonecne")
            assert options[0] == "dzielnica Osiedle Słoneczne", options
            assert serious_violations(page) == []

            # nothing to search for: said so, no list of results
            suggest(page, "%%")
            none = page.locator("#search-option-none")
            assert none.inner_text().startswith("Wpisz co najmniej 2 litery lub cyfry")
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
