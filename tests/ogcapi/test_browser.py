"""The OGC API's HTML pages in a real browser: headings, tables with captions and header
cells, keyboard-reachable links, and no serious or critical axe-core violations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ogcapi.test_live import live_town  # noqa: F401
from tests.web.test_browser import ARGS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

pytestmark = [*pytestmark, pytest.mark.django_db(transaction=True)]


def test_html_pages_are_accessible(live_server: Any, live_town: Any) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    building = live_town["buildings"][0]
    pages = {
        "/ogcapi/?f=html": "Miasto — otwarte dane miasta (OGC API)",
        "/ogcapi/collections?f=html": "Kolekcje",
        "/ogcapi/collections/parcels?f=html": "Działki",
        "/ogcapi/collections/buildings/queryables?f=html": "Właściwości do filtrowania",
        "/ogcapi/collections/buildings/items?f=html": "Budynki",
        f"/ogcapi/collections/buildings/items/{building.identifier}?f=html": "Budynki",
        "/ogcapi/conformance?f=html": "Klasy zgodności",
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="pl-PL", extra_http_headers={"Accept-Language": "pl"})
            for path, heading in pages.items():
                page.goto(f"{live_server.url}{path}")
                assert heading in page.locator("h1").inner_text(), path
                assert serious_violations(page) == [], path
            # the stylesheet is served and applied (the CSP allows no inline styles)
            width = page.evaluate("getComputedStyle(document.body).maxWidth")
            assert width.endswith("px") and width != "none"
            # keyboard: the first Tab reaches the navigation
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.tagName") == "A"
        finally:
            browser.close()


def test_the_map_reads_its_tiles_from_the_ogc_api(live_server: Any, live_town: Any) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    tiles: list[tuple[str, int]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 850})
            page.on(
                "response",
                lambda r: "/tiles/" in r.url and tiles.append((r.url, r.status)),
            )
            page.goto(f"{live_server.url}/map/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            page.wait_for_timeout(1500)
        finally:
            browser.close()
    ogc = [(u, s) for u, s in tiles if "/ogcapi/collections/" in u]
    assert ogc and all(s == 200 for _, s in ogc), tiles[:5]
    assert all("/WebMercatorQuad/" in u for u, _ in ogc)
    assert len(ogc) == len(tiles)  # every layer an anonymous visitor sees is public
