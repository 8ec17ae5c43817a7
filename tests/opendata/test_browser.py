"""The API reference page in a real browser: Swagger UI (from the site's own files) renders
every operation under the site's Content-Security-Policy, without errors, and axe-core finds
no serious or critical accessibility violations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import ARGS, CHROMIUM, ROOT, serious_violations

SWAGGER = ROOT / "src" / "miasto" / "web" / "static" / "web" / "dist" / "swagger-ui"
MAY_SKIP = not os.environ.get("CI")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(MAY_SKIP and not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.skipif(
        MAY_SKIP and not (SWAGGER / "swagger-ui-bundle.js").exists(),
        reason="front end not built: npm ci && npm run build",
    ),
]


def test_reference_page_renders_operations_accessibly(live_server: Any, live_hub: Any) -> None:
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "console",
                lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.goto(f"{live_server.url}/api/")
            page.wait_for_selector(".opblock", timeout=20_000)
            assert page.locator(".opblock").count() >= 29
            assert "/api/v1/datasets/{slug}" in page.locator("#swagger-ui").inner_text()
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
    assert (SWAGGER / "LICENSE").exists() and (SWAGGER / "NOTICE").exists()
