"""The dataset preview map opens where its layer shows: a spine layer (buildings, shown from
zoom 14; addresses, from 15) at that zoom or more with its features drawn, and never asks for
tiles below it; a large dataset (40 000 trees) on a sample of about 600 features — each
preview's tiles under 500 KB — with no serious axe-core violations."""

from __future__ import annotations

import pytest
from django.db import connection

from miasto.datahub.models import Dataset, DatasetVersion
from tests.datahub.test_views import compile_datahub_messages
from tests.territory import factories as tf
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, pytestmark, serious_violations  # noqa: F401

#: the issue's budget for one preview's tiles
BUDGET = 500_000
X0, Y0 = 500_000, 380_000


def ready_version(
    dataset: Dataset, geometry: str, count: int, attributes: list[str]
) -> DatasetVersion:
    return DatasetVersion.objects.create(
        dataset=dataset, number=1, status="ready", is_current=True, source_name="plik.gpkg",
        format="gpkg", source_crs="EPSG:2180", feature_count=count, geometry_type=geometry,
        attributes=[{"name": a, "type": "String"} for a in attributes],
    )  # fmt: skip


@pytest.fixture
def live_previews(transactional_db):  # type: ignore[no-untyped-def]
    compile_datahub_messages()
    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WGK", name="Wydział Geodezji")
    trees = Dataset.objects.create(slug="drzewa", title_pl="Drzewa", owner=unit)
    attributes = ["gatunek", "obwod", "wysokosc", "stan", "ulica", "uwagi"]
    tree_version = ready_version(trees, "Point", 40_000, attributes)
    buildings = Dataset.objects.create(
        slug="budynki", title_pl="Budynki", owner=unit, target="buildings"
    )
    building_version = ready_version(buildings, "Polygon", 30_000, [])
    addresses = Dataset.objects.create(
        slug="adresy", title_pl="Adresy", owner=unit, target="addresses"
    )
    address_version = ready_version(addresses, "Point", 20_000, [])
    with connection.cursor() as cursor:
        # 40 000 trees scattered over 8 × 6 km
        cursor.execute(
            f"CREATE TABLE {tree_version.table_name} (fid serial PRIMARY KEY, gatunek text, "
            "obwod text, wysokosc text, stan text, ulica text, uwagi text, "
            "geom geometry(Point, 2180))"
        )
        cursor.execute(
            f"INSERT INTO {tree_version.table_name} "
            "(gatunek, obwod, wysokosc, stan, ulica, uwagi, geom) "
            "SELECT 'lipa drobnolistna', (g %% 300)::text, (g %% 25)::text, 'dobry', "
            "'ul. Długa', 'pomnik przyrody nr ' || g, ST_SetSRID(ST_MakePoint("
            "%s + (g::bigint * 7919) %% 8000, %s + (g::bigint * 104729) %% 6000), 2180) "
            "FROM generate_series(1, 40000) g",
            [X0, Y0],
        )
        cursor.execute(f"CREATE INDEX ON {tree_version.table_name} USING gist (geom)")
        cursor.execute(f"ANALYZE {tree_version.table_name}")
        # 30 000 buildings, 12 × 10 m, in a grid of 20 m cells (200 × 150 over 4 × 3 km)
        cursor.execute(
            "INSERT INTO territory_building (identifier, use, storeys, height, dwellings, "
            "residents, geom) SELECT 'B' || g, 'single_family', 2, 7.5, 1, 3, "
            "ST_MakeEnvelope(%s + (g %% 200) * 20, %s + (g / 200) * 20, "
            "%s + (g %% 200) * 20 + 12, %s + (g / 200) * 20 + 10, 2180) "
            "FROM generate_series(0, 29999) g",
            [X0, Y0, X0, Y0],
        )
        # 20 000 address points, one per building of the first 20 000
        cursor.execute(
            "INSERT INTO territory_address (place, number, postcode, label, geom) "
            "SELECT 'Miastko', g::text, '90-001', 'Miastko ' || g, ST_SetSRID(ST_MakePoint("
            "%s + (g %% 200) * 20 + 6, %s + (g / 200) * 20 + 5), 2180) "
            "FROM generate_series(0, 19999) g",
            [X0, Y0],
        )
        for version in (building_version, address_version):
            cursor.execute(
                f"CREATE TABLE {version.table_name} (fid serial PRIMARY KEY, "
                "geom geometry(Geometry, 2180))"
            )
    yield
    with connection.cursor() as cursor:
        for version in (tree_version, building_version, address_version):
            cursor.execute(f"DROP TABLE IF EXISTS {version.table_name}")


def open_preview(page, url: str) -> dict:  # type: ignore[no-untyped-def]
    """Open a dataset page; the preview's zoom, drawn features, tile zooms and bytes."""
    tiles: list[str] = []
    page.on("request", lambda r: tiles.append(r.url) if "/tiles/" in r.url else None)
    page.goto(url)
    page.wait_for_selector("body[data-preview-ready='true']", timeout=30_000)
    page.wait_for_load_state("networkidle")
    state = page.evaluate(
        """() => ({
          zoom: window.miastoPreview.getView().getZoom(),
          features: Number(document.getElementById('preview-map').dataset.features),
          status: document.getElementById('preview-status').textContent,
          bytes: performance.getEntriesByType('resource')
            .filter((e) => e.name.includes('/tiles/'))
            .reduce((sum, e) => sum + e.decodedBodySize, 0),
        })"""
    )
    state["tile_zooms"] = sorted({int(u.split("/tiles/")[1].split("/")[1]) for u in tiles})
    return state


def test_previews_show_features_within_the_budget(live_server, live_previews):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            buildings = open_preview(page, f"{live_server.url}/dane/budynki/")
            # the buildings layer shows from zoom 14: the preview never asks below it
            assert buildings["zoom"] >= 14
            assert min(buildings["tile_zooms"]) >= 14
            assert 100 <= buildings["features"] <= 3000, buildings
            assert 0 < buildings["bytes"] < BUDGET, buildings
            assert "Podgląd mapy gotowy" in buildings["status"]
            # zoomed out as far as the preview lets: the layer's minimum, its tiles still drawn
            tiles_before = len(buildings["tile_zooms"])
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url) if "/tiles/" in r.url else None)
            page.evaluate("() => window.miastoPreview.getView().setZoom(10)")
            page.wait_for_timeout(500)
            page.wait_for_load_state("networkidle")
            zoom = page.evaluate("() => window.miastoPreview.getView().getZoom()")
            assert zoom == 14 and tiles_before
            assert (
                requested and min(int(u.split("/tiles/")[1].split("/")[1]) for u in requested) >= 14
            )
            assert int(page.get_attribute("#preview-map", "data-features")) > 0
            assert "część zbioru" in buildings["status"]
            page.screenshot(path=str(ARTIFACTS / "datahub-preview-buildings.png"))
            assert serious_violations(page) == []

            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            addresses = open_preview(page, f"{live_server.url}/dane/adresy/")
            # addresses show from zoom 15
            assert addresses["zoom"] >= 15 and min(addresses["tile_zooms"]) >= 15
            assert 100 <= addresses["features"] <= 3000, addresses
            assert 0 < addresses["bytes"] < BUDGET, addresses

            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            trees = open_preview(page, f"{live_server.url}/dane/drzewa/")
            assert 100 <= trees["features"] <= 3000, trees
            assert 0 < trees["bytes"] < BUDGET, trees
            # Polish plural of the count ("obiekty" / "obiektów")
            assert "obiekt" in trees["status"]
            page.screenshot(path=str(ARTIFACTS / "datahub-preview-trees.png"))
            assert serious_violations(page) == []
        finally:
            browser.close()
    assert errors == []
