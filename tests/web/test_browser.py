"""One real browser run: the map page loads, a click on a parcel opens its panel, and axe-core
finds no serious or critical accessibility violations on the home and map pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BUNDLE = ROOT / "src" / "miasto" / "web" / "static" / "web" / "dist" / "main.js"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Outside CI a missing browser or bundle skips; in CI (`make test` provisions both) it fails.
MAY_SKIP = not os.environ.get("CI")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(MAY_SKIP and not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.skipif(
        MAY_SKIP and not BUNDLE.exists(), reason="front end not built: npm ci && npm run build"
    ),
    pytest.mark.skipif(MAY_SKIP and not AXE.exists(), reason="axe-core not installed: npm ci"),
]


def serious_violations(page) -> list[str]:
    # Through the DevTools protocol, which the pages' Content-Security-Policy does not govern
    # (a <script> tag from add_script_tag would be blocked as an inline script).
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "" for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_map_click_opens_parcel_panel_and_pages_are_accessible(live_server, live_city):
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists()
    parcel = live_city.parcels[4]  # 106401_1.0003.5/1 — its number has a slash
    centroid = parcel.geom.point_on_surface.transform(4326, clone=True)
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 850}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{live_server.url}/")
            assert page.locator("h1").inner_text() == "Miastko Testowe"
            assert serious_violations(page) == []

            page.goto(f"{live_server.url}/map/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            x, y = page.evaluate(
                "([lon, lat]) => window.miastoPixelOf(lon, lat)", [centroid.x, centroid.y]
            )
            box = page.locator("#map").bounding_box()
            page.mouse.click(box["x"] + x, box["y"] + y)
            panel = page.locator("#parcel-panel")
            panel.locator("dl.facts").wait_for(timeout=10_000)
            assert parcel.identifier in page.locator("#parcel-panel-title").inner_text()
            assert "Stare Miasto" in panel.inner_text()
            # Focus moved into the panel; the outline is highlighted on the map.
            assert page.evaluate("document.activeElement.id") == "parcel-panel-title"
            page.wait_for_timeout(600)
            page.screenshot(path=str(ARTIFACTS / "map-panel.png"))
            assert serious_violations(page) == []

            # Escape closes the panel and gives focus back to the map.
            page.keyboard.press("Escape")
            assert panel.is_hidden()
            assert page.evaluate("document.activeElement.id") == "map"

            # The table equivalent lists what the map shows.
            page.click("#tab-table")
            page.locator("#feature-table tbody tr").first.wait_for(timeout=10_000)
            assert page.locator("#feature-table tbody tr").count() > 0
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []


# Records every Content-Security-Policy violation of a document; Playwright injects it through
# the DevTools protocol before the page's own scripts, outside the policy.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
));
"""


def csp_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__cspViolations")


def test_map_chart_and_admin_pages_raise_no_csp_violation(live_server, transactional_db):  # type: ignore[no-untyped-def]
    """The Content-Security-Policy (no inline script, styles from files) lets the map, the
    analysis charts, a page refreshing itself and the admin with its map widget work."""
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from tests.planning.analyses.conftest import build_town
    from tests.planning.test_report_page import compile_planning_messages

    compile_planning_messages()
    town = build_town()
    get_user_model().objects.create_superuser("csp-admin", "csp@example.org", "pass-123-csp")
    parcel = next(iter(town.parcels.values()))
    seen: list[str] = []
    errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.add_init_script(CSP_LISTENER)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "console",
                lambda msg: (
                    seen.append(msg.text) if "Content Security Policy" in msg.text else None
                ),
            )

            def visit(path: str, ready: str | None = None) -> None:
                response = page.goto(f"{live_server.url}{path}")
                assert "script-src 'self'" in response.headers["content-security-policy"]
                if ready:
                    page.wait_for_selector(ready, timeout=20_000)
                assert csp_violations(page) == [], path

            visit("/map/", "body[data-map-ready='true']")
            page.wait_for_timeout(500)  # the tiles drawn
            assert csp_violations(page) == []
            visit("/planowanie/analizy/konflikty/", "body[data-analysis-map-ready='true']")
            assert page.locator("svg.chart[role='img']").count() >= 1
            # signed in (the site's own sign-in page), staff start the capacity analysis: its
            # progress page polls by a script with the nonce
            visit("/konto/logowanie/?next=/planowanie/analizy/chlonnosc/")
            page.fill("#id_login", "csp-admin")
            page.fill("#id_password", "pass-123-csp")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/planowanie/analizy/chlonnosc/")
            assert csp_violations(page) == []
            page.click("button:has-text('Policz teraz')")
            page.wait_for_selector("progress")
            assert csp_violations(page) == []
            assert serious_violations(page) == []  # axe-core still runs under the policy

            visit("/admin/")
            visit(f"/admin/territory/parcel/{parcel.pk}/change/", ".dj_map canvas")
            page.wait_for_timeout(500)
            assert csp_violations(page) == []
            # the error pages too
            visit("/nie-ma-takiej-strony/")
        finally:
            browser.close()
    assert seen == []
    assert errors == []
