"""One real browser run over the data hub's pages: the catalogue and a dataset page (map
preview, attribute table, versions, quality, downloads) with no serious or critical axe-core
accessibility violations."""

from __future__ import annotations

import pytest
from django.db import connection

from miasto.datahub.models import Dataset
from tests.datahub.test_api_permissions import make_version
from tests.datahub.test_views import compile_datahub_messages
from tests.territory import factories as tf
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401


@pytest.fixture
def live_hub(transactional_db):  # type: ignore[no-untyped-def]
    compile_datahub_messages()
    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    ds = Dataset.objects.create(
        slug="drzewa",
        title_pl="Drzewa przyuliczne",
        title_en="Street trees",
        description_pl="Inwentaryzacja drzew w pasach drogowych.",
        owner=unit,
        frequency="ANNUAL",
        theme="ENVI",
        keywords=["drzewa", "zieleń"],
    )
    make_version(ds, 1, current=False)
    make_version(ds, 2)
    Dataset.objects.create(slug="pusty", title_pl="Zbiór bez wersji", owner=unit)
    yield ds
    with connection.cursor() as cursor:
        for v in ds.versions.all():
            cursor.execute(f"DROP TABLE IF EXISTS {v.table_name}")


def test_catalogue_and_dataset_pages_are_accessible(live_server, live_hub):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{live_server.url}/dane/")
            assert page.locator("h1").inner_text() == "Katalog danych miasta"
            assert page.locator(".dataset-card").count() == 2
            assert serious_violations(page) == []
            # a facet link filters the list (its group opened first: collapsed, one Tab each)
            page.click(".facet summary:has-text('Jednostka')")
            page.click(".facet a:has-text('Wydział Ochrony Środowiska')")
            assert "owner=WOS" in page.url
            page.click("a:has-text('Drzewa przyuliczne')")

            page.wait_for_selector("body[data-preview-ready='true']", timeout=20_000)
            assert page.locator("h1").inner_text() == "Drzewa przyuliczne"
            table = page.locator("#tabela table")
            assert "lipa" in table.inner_text() and "dąb" in table.inner_text()
            assert page.locator("#wersje tbody tr").count() >= 2
            page.screenshot(path=str(ARTIFACTS / "datahub-dataset.png"), full_page=True)
            assert serious_violations(page) == []

            page.goto(f"{live_server.url}/dane/drzewa/wersje/2/jakosc/")
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []


def test_edit_page_and_downloads_of_a_steward_are_accessible(live_server, live_hub, make_user):  # type: ignore[no-untyped-def]
    """A data steward of the owner unit logs in, edits the metadata (an error, then a save)
    and sees every version in the download form."""
    from playwright.sync_api import sync_playwright

    steward = make_user("data_steward")
    live_hub.owner.members.add(steward)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/konto/logowanie/?next=/dane/drzewa/")
            page.fill("#id_login", steward.username)
            page.fill("#id_password", "pw-secret-123")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/dane/drzewa/")
            options = page.locator("#download-version option")
            assert options.count() == 2 and page.input_value("#download-version") == "2"
            assert serious_violations(page) == []
            page.click("a:has-text('Edytuj metadane')")
            page.wait_for_url("**/dane/drzewa/edycja/")
            assert page.input_value("#id_title_pl") == "Drzewa przyuliczne"
            assert serious_violations(page) == []
            page.fill("#id_quality_rules", '{"max_outside_city_share": 2}')
            page.click("button:has-text('Zapisz metadane')")
            page.wait_for_selector(".error-summary")
            assert "udział od 0 do 1" in page.locator(".error-summary").inner_text()
            page.screenshot(path=str(ARTIFACTS / "datahub-edit.png"), full_page=True)
            assert serious_violations(page) == []
            page.fill("#id_quality_rules", '{"max_outside_city_share": 0.8}')
            page.fill("#id_title_en", "City street trees")
            page.click("button:has-text('Zapisz metadane')")
            page.wait_for_url("**/dane/drzewa/")
            assert "Zapisano metadane zbioru." in page.locator(".hub-messages").inner_text()
        finally:
            browser.close()
    live_hub.refresh_from_db()
    assert live_hub.title_en == "City street trees"
    assert live_hub.quality_rules == {"max_outside_city_share": 0.8}
    assert errors == []
