"""The map's parcel panel and its table speak plain Polish: land use "B" reads "tereny
mieszkaniowe", a building's use "dom jednorodzinny", a road class "droga dojazdowa" — each
with its code on hover (title) — and the page keeps no serious axe-core violations."""

from __future__ import annotations

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401


def test_panel_and_table_show_codes_in_words(live_server, live_city):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    parcel = live_city.parcels[4]
    centroid = parcel.geom.point_on_surface.transform(4326, clone=True)
    ARTIFACTS.mkdir(exist_ok=True)
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
            panel = page.locator("#parcel-panel")
            panel.locator("dl.facts").wait_for(timeout=10_000)
            land_use = panel.locator("dl.facts span.coded[title='kod: B']")
            assert land_use.inner_text() == "tereny mieszkaniowe"
            use = panel.locator("li strong span.coded").first
            assert use.get_attribute("title", timeout=5_000).startswith("kod: ")
            assert "_" not in use.inner_text()  # a label, not single_family
            assert serious_violations(page) == []
            page.keyboard.press("Escape")

            page.click("#tab-table")
            page.select_option("#table-layer", "buildings")
            page.locator("#feature-table tbody tr").first.wait_for(timeout=10_000)
            header = page.locator("#feature-table thead th[title='use']")
            assert header.inner_text() == "Funkcja"
            cells = page.locator("#feature-table tbody span.coded")
            assert cells.count() > 0
            titles = set(cells.evaluate_all("els => els.map((e) => e.title)"))
            texts = set(cells.evaluate_all("els => els.map((e) => e.textContent)"))
            assert "kod: single_family" in titles and "dom jednorodzinny" in texts

            page.select_option("#table-layer", "streets")
            page.locator("#feature-table tbody span.coded[title='kod: D']").first.wait_for(
                timeout=10_000
            )
            assert "droga dojazdowa" in page.locator("#feature-table tbody").inner_text()
            page.screenshot(path=str(ARTIFACTS / "map-table-labels.png"))
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
