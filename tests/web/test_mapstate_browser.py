"""In a real browser: the city map keeps its state in the URL (a parcel opened is a history
entry, Back closes it, reload and a shared link restore view, parcel and layers, garbage is
ignored), draws street and district names from the tiles, announces "Mapa gotowa." without
showing it, and a parcel's page is reachable from the map and has no axe-core violations."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark  # noqa: F401

READY = "body[data-map-ready='true']"


def all_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every axe-core violation, whatever its impact."""
    from tests.web.test_browser import AXE

    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations]


def view_of(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """() => {
          const view = window.miastoMap.getView();
          const [x, y] = view.getCenter();
          const lon = x / 6378137 * 180 / Math.PI;
          const lat = (2 * Math.atan(Math.exp(y / 6378137)) - Math.PI / 2) * 180 / Math.PI;
          return { zoom: view.getZoom(), lon, lat };
        }"""
    )


def checked_layers(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => [...document.querySelectorAll('#layer-switcher input:checked')].map(b => b.value)"
    )


def click_parcel(page, parcel) -> None:  # type: ignore[no-untyped-def]
    point = parcel.geom.point_on_surface.transform(4326, clone=True)
    x, y = page.evaluate("([lon, lat]) => window.miastoPixelOf(lon, lat)", [point.x, point.y])
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.locator("#parcel-panel dl.facts").wait_for(timeout=10_000)


def new_page(browser, errors):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 850}, locale="pl-PL")
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def test_open_parcel_back_reload(live_server, live_city):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    parcel = live_city.parcels[4]  # 106401_1.0003.5/1
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = new_page(browser, errors)
            page.goto(f"{live_server.url}/map/")
            page.wait_for_selector(READY, timeout=20_000)
            page.wait_for_function("() => location.hash.startsWith('#map=')")
            assert "parcel=" not in page.evaluate("location.hash")
            entries = page.evaluate("history.length")

            # opening a parcel adds a history entry naming it
            click_parcel(page, parcel)
            page.wait_for_function("() => location.hash.includes('parcel=')")
            hash_ = page.evaluate("location.hash")
            assert f"parcel={parcel.identifier}" in hash_  # its slash kept readable
            assert re.match(r"#map=[\d.]+/[\d.]+/[\d.]+&parcel=", hash_)
            assert page.evaluate("history.length") == entries + 1

            # Back closes the panel; Forward opens it again
            page.go_back()
            page.locator("#parcel-panel").wait_for(state="hidden", timeout=5_000)
            assert "parcel=" not in page.evaluate("location.hash")
            page.go_forward()
            page.locator("#parcel-panel dl.facts").wait_for(timeout=10_000)
            assert parcel.identifier in page.locator("#parcel-panel-title").inner_text()

            # pan and zoom replace the entry; a layer turned off is written too
            page.evaluate("() => { const v = window.miastoMap.getView(); v.setZoom(17.5); }")
            page.uncheck("#layer-buildings")
            page.wait_for_function("() => location.hash.includes('layers=')")
            page.wait_for_function("() => location.hash.startsWith('#map=17.5/')")
            assert page.evaluate("history.length") == entries + 1
            before = view_of(page)

            # reload: the same view, parcel and layers
            page.reload()
            page.wait_for_selector(READY, timeout=20_000)
            page.locator("#parcel-panel dl.facts").wait_for(timeout=10_000)
            assert parcel.identifier in page.locator("#parcel-panel-title").inner_text()
            after = view_of(page)
            assert abs(after["zoom"] - 17.5) < 0.01
            assert abs(after["lon"] - before["lon"]) < 1e-5
            assert abs(after["lat"] - before["lat"]) < 1e-5
            assert "buildings" not in checked_layers(page)
            assert not page.evaluate("window.miastoMap.get('miastoLayers').buildings.getVisible()")

            # closing the panel is an entry too: Back brings the parcel back
            page.click("#parcel-panel-close")
            page.wait_for_function("() => !location.hash.includes('parcel=')")
            page.go_back()
            page.locator("#parcel-panel dl.facts").wait_for(timeout=10_000)

            # the panel links the parcel's own page
            link = page.locator("#parcel-panel a", has_text="Strona tej działki")
            assert link.get_attribute("href") == f"/dzialki/{parcel.identifier}/"
            link.click()
            page.wait_for_url(f"**/dzialki/{quote(parcel.identifier)}/")
            assert page.locator("h1").inner_text() == f"Działka {parcel.identifier}"
        finally:
            browser.close()
    assert errors == []


def test_shared_link_garbage_labels_and_status(live_server, live_city):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    parcel = live_city.parcels[10]
    centre = live_city.city.geom.centroid.transform(4326, clone=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # a shared link: view, parcel and layers as written
            page = new_page(browser, errors)
            shared = (
                f"#map=15.5/{centre.y:.6f}/{centre.x:.6f}"
                f"&parcel={parcel.identifier}&layers=districts,streets"
            )
            page.goto(f"{live_server.url}/map/{shared}")
            page.wait_for_selector(READY, timeout=20_000)
            page.locator("#parcel-panel dl.facts").wait_for(timeout=10_000)
            assert parcel.identifier in page.locator("#parcel-panel-title").inner_text()
            view = view_of(page)
            assert abs(view["zoom"] - 15.5) < 0.01
            assert abs(view["lon"] - centre.x) < 1e-5 and abs(view["lat"] - centre.y) < 1e-5
            assert checked_layers(page) == ["districts", "streets"]

            # names from the tiles, each kind from a decluttered layer of its own: district
            # names at points, street names along whole streets
            page.wait_for_timeout(800)
            names = page.evaluate(
                """() => {
                  const map = window.miastoMap;
                  const layer = (name) => map.getAllLayers().find((l) => l.get('name') === name);
                  const extent = map.getView().calculateExtent(map.getSize());
                  const labels = layer('district-labels');
                  const streets = layer('street-labels');
                  return {
                    districts: labels.getFeaturesInExtent(extent).map((f) => f.get('name')),
                    streets: streets.getFeaturesInExtent(extent).map((f) => f.get('label')),
                    visible: labels.isVisible(map.getView()),
                    declutter: [labels.getDeclutter(), streets.getDeclutter()].map(Boolean),
                  };
                }"""
            )
            assert {"Stare Miasto", "Osiedle Słoneczne"} <= set(names["districts"])
            assert {"Długa", "Krótka", "Ogrodowa"} <= set(names["streets"])
            assert names["visible"] and names["declutter"] == [True, True]
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "map-labels.png"))

            # "Mapa gotowa." is announced (a polite live region) but takes no room on screen
            status = page.locator("#map-status")
            assert status.inner_text() == "Mapa gotowa."
            assert status.get_attribute("role") == "status"
            assert status.get_attribute("aria-live") == "polite"
            box = status.bounding_box()
            assert box is not None and box["width"] <= 1 and box["height"] <= 1
            assert page.locator("#map-notice").inner_text() == ""

            # a click where there is no parcel (a street between the blocks): said aloud
            # and shown on the map
            from django.contrib.gis.geos import Point

            gap = Point(500_010.0, 380_200.0, srid=2180).transform(4326, clone=True)
            x, y = page.evaluate("([lon, lat]) => window.miastoPixelOf(lon, lat)", [gap.x, gap.y])
            box = page.locator("#map").bounding_box()
            page.mouse.click(box["x"] + x, box["y"] + y)
            notice = page.locator("#map-notice")
            page.wait_for_function("() => document.querySelector('#map-notice').textContent !== ''")
            assert notice.is_visible() and notice.get_attribute("aria-hidden") == "true"
            assert status.inner_text() == notice.inner_text()
            assert "nie ma działki" in notice.inner_text()

            # the district labels follow the districts layer
            page.uncheck("#layer-districts")
            assert not page.evaluate(
                "window.miastoMap.getAllLayers().find((l) => l.get('name') === "
                "'district-labels').getVisible()"
            )

            # garbage in the URL: defaults, no error
            page = new_page(browser, errors)
            page.goto(
                f"{live_server.url}/map/#map=abc/999/x&parcel=..%2F..%2Fetc"
                "&layers=<script>,nope&x=%E0%A4%A"
            )
            page.wait_for_selector(READY, timeout=20_000)
            assert page.locator("#parcel-panel").is_hidden()
            assert checked_layers(page) == [
                "districts", "water", "parcels", "buildings", "streets", "services",
            ]  # fmt: skip
            view = view_of(page)
            assert abs(view["lon"] - centre.x) < 0.01 and abs(view["lat"] - centre.y) < 0.01
            page.wait_for_function("() => /^#map=[\\d.]+\\/[\\d.]+\\/[\\d.]+$/.test(location.hash)")

            # a link naming only the parcel: the map opens on it
            page = new_page(browser, errors)
            page.goto(f"{live_server.url}/map/#parcel={parcel.identifier}")
            page.locator("#parcel-panel dl.facts").wait_for(timeout=20_000)
            page.wait_for_function("() => window.miastoMap.getView().getZoom() > 18")
            point = parcel.geom.point_on_surface.transform(4326, clone=True)
            view = view_of(page)
            assert abs(view["lon"] - point.x) < 1e-4 and abs(view["lat"] - point.y) < 1e-4
        finally:
            browser.close()
    assert errors == []


def test_parcel_page_is_accessible(live_server, live_city):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    parcel = live_city.parcels[4]
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = new_page(browser, errors)
            page.goto(f"{live_server.url}/dzialki/{parcel.identifier}/")
            page.wait_for_selector(READY, timeout=20_000)
            assert page.title().startswith(f"Działka {parcel.identifier}")
            assert page.locator("#parcel-map canvas").count() >= 1
            assert all_violations(page) == []
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "parcel-page.png"), full_page=True)

            # the map link opens the city map on this parcel
            page.click("text=Pokaż na mapie miasta")
            page.wait_for_selector(READY, timeout=20_000)
            page.locator("#parcel-panel dl.facts").wait_for(timeout=10_000)
            assert parcel.identifier in page.locator("#parcel-panel-title").inner_text()
            assert abs(view_of(page)["zoom"] - 18) < 0.01

            # a phone: one column, nothing of the page's own wider than the screen (the
            # header's menu is issue 14's phone layout, not this page's)
            page = browser.new_page(viewport={"width": 320, "height": 700}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/dzialki/{parcel.identifier}/")
            page.wait_for_selector(READY, timeout=20_000)
            assert (
                page.evaluate(
                    "Math.max(...[...document.querySelectorAll('main *')]"
                    ".map((e) => e.getBoundingClientRect().right))"
                )
                <= 320
            )
            assert all_violations(page) == []

            # an unknown parcel: the Polish 404 page, accessible too
            response = page.goto(f"{live_server.url}/dzialki/106401_1.0003.999/")
            assert response.status == 404
            assert "Nie znaleziono działki" in page.locator("h1").inner_text()
            assert all_violations(page) == []
        finally:
            browser.close()
    assert errors == []
