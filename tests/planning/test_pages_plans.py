"""The plan register page and the plan page: filters, counts, overview map data, metadata,
legal acts, status history, amendments, zones with legend, the "as of" switch, 400/404, and
the admin's zone change page with the offline map widget for a planner."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
import shapely
from django.urls import reverse

from miasto.core.formats import plain_date
from miasto.planning.models import BuildingLine, LegalAct, Plan, SpecialArea
from miasto.planning.services import (
    plan_apply_amendment,
    plan_change_status,
    plan_create,
    plan_import_app,
    plan_set_zones,
)
from miasto.planning.symbology import legend_for, zone_colour
from miasto.planning.validation import ZoneInput
from tests.i18n import compile_messages

ENACTED = dt.date(2020, 1, 1)
AMENDED = dt.date(2023, 6, 1)


def compile_planning_messages() -> None:
    compile_messages("planning")


def enact(plan: Plan, effective: dt.date) -> Plan:
    for status in ("in_preparation", "consultation", "adopted", "in_force"):
        plan_change_status(plan=plan, status=status, effective=effective)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def history(mpzp):  # type: ignore[no-untyped-def]
    """T1MPZP in force since 2020 with a resolution and a building line; T2MPZP amends its
    western half from 2023-06-01 (so T1's 3MN ended then and its remainder continues)."""
    enact(mpzp, ENACTED)
    LegalAct.objects.create(
        plan=mpzp, kind="adoption", local_id="T1MPZP-U1", title="Uchwała w sprawie planu",
        number="XV/123/19", date=dt.date(2019, 11, 20),
        journal_position="Dz. Urz. Woj. Łódzkiego 2019 poz. 777", url="https://example.org/u1",
    )  # fmt: skip
    mn = mpzp.zones.get(designation="3MN")
    BuildingLine.objects.create(
        plan=mpzp, zone=mn, kind="non_exceedable", valid_from=ENACTED,
        geom="SRID=2180;MULTILINESTRING((500110 400010, 500110 400090))",
    )  # fmt: skip
    amendment = plan_create(
        kind="mpzp", title="Zmiana planu testowego", local_id="T2MPZP",
        namespace=mpzp.namespace, geom=shapely.box(500_000, 400_000, 500_100, 400_100),
        amends=mpzp,
    )  # fmt: skip
    plan_set_zones(
        plan=amendment,
        zones=[
            ZoneInput(
                local_id="T2MPZP-1MW", designation="1MW", category="plan_area",
                params={"max_intensity": Decimal("1.5"), "max_height": Decimal("16")},
                geom=shapely.box(500_000, 400_000, 500_100, 400_100),
            )
        ],
    )  # fmt: skip
    for status in ("in_preparation", "consultation", "adopted"):
        plan_change_status(plan=amendment, status=status, effective=AMENDED)
    plan_apply_amendment(amendment=amendment, effective=AMENDED)
    mpzp.refresh_from_db()
    amendment.refresh_from_db()
    return mpzp, amendment


def rows(content: str, table_id: str) -> list[str]:
    """The text of each body row of a table (tags stripped)."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', content, re.S)
    assert match, table_id
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", r))).strip()
        for r in re.findall(r"<tr.*?</tr>", match.group(1), re.S)
    ]


def map_json(content: str, script_id: str) -> dict:
    match = re.search(rf'<script[^>]*id="{script_id}"[^>]*>(.*?)</script>', content, re.S)
    assert match, script_id
    return json.loads(match.group(1))


# --------------------------------------------------------------------------- plan list


@pytest.fixture
def register(history, app_sample):  # type: ignore[no-untyped-def]
    pog = plan_import_app(path=app_sample("pog_AktPlanowaniaPrzestrzennego.gml")).plan
    return (*history, pog)


def identifiers(client, query: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    response = client.get("/planowanie/" + query)
    assert response.status_code == 200
    content = response.content.decode()
    return set(re.findall(r'<tr id="plan-row-\d+"[^>]*>.*?</th>\s*<td>([^<]+)</td>', content, re.S))


def test_list_shows_every_plan_with_counts_and_links(client, register):
    t1, t2, pog = register
    response = client.get(reverse("planning:plans"))
    content = response.content.decode()
    assert identifiers(client) == {"T1MPZP", "T2MPZP", "1POG"}
    for plan in (t1, t2, pog):
        assert f'href="/planowanie/plany/{plan.pk}/"' in content
    assert re.search(r'id="plan-count"[^>]*>\s*3\b', content)
    # links to the parcel report form and the analyses
    assert 'href="/planowanie/wypis/"' in content and 'href="/planowanie/analizy/"' in content
    # the current zones counted per plan: T1 has 3MN (remainder) and 1KD-L
    row = next(r for r in rows(content, "plans-table") if "T1MPZP" in r)
    assert row.endswith(" 2")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=pog", {"1POG"}),
        ("?kind=mpzp", {"T1MPZP", "T2MPZP"}),
        ("?status=amended", {"T1MPZP"}),
        ("?status=in_force", {"T2MPZP"}),
        ("?status=in_preparation", {"1POG"}),
        ("?in_force_on=2021-05-01", {"T1MPZP"}),
        ("?in_force_on=2024-01-01", {"T1MPZP", "T2MPZP"}),
        ("?in_force_on=2019-01-01", set()),
        ("?q=zmiana", {"T2MPZP"}),
        ("?q=t1mpzp", {"T1MPZP"}),
        ("?q=XV/123", {"T1MPZP"}),  # the resolution number
        ("?kind=mpzp&in_force_on=2024-01-01&q=testowego", {"T2MPZP"}),
    ],
)
def test_list_filters(client, register, query, expected):
    assert identifiers(client, query) == expected


def test_list_map_data_covers_the_listed_plans(client, register):
    t1, t2, pog = register
    content = client.get("/planowanie/?kind=mpzp").content.decode()
    data = map_json(content, "plans-map-data")
    assert {f["properties"]["local_id"] for f in data["features"]} == {"T1MPZP", "T2MPZP"}
    point = shapely.geometry.shape(data["features"][0]["geometry"]).representative_point()
    assert 14 < point.x < 25 and 49 < point.y < 55
    style = map_json(content, "plans-map-style")
    assert style["groups"]["amended"] == "in_force" and style["groups"]["initiated"] == "draft"
    # the faint streets background: its tile URL from the config, not written in the JS
    assert style["streets"] == "/tiles/streets/{z}/{x}/{y}.mvt"
    assert 'id="plans-map"' in content and 'id="plans-map-legend"' in content


def test_list_bad_filters_answer_400_with_a_message(client, register):
    compile_planning_messages()
    response = client.get("/planowanie/?kind=xyz&in_force_on=31.02.2024")
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "xyz" in content and "2024-05-31" in content
    assert 'class="error-summary"' in content


def test_list_empty_register(client, db):
    response = client.get("/planowanie/")
    assert response.status_code == 200
    assert 'id="plans-map"' not in response.content.decode()
    assert len(rows(response.content.decode(), "plans-table")) == 1


def test_list_hostile_search(client, register):
    assert identifiers(client, "?q=%27%20OR%201%3D1--") == set()
    assert identifiers(client, "?q=%25") == set()  # "%" is a character, not a wildcard
    assert client.get("/planowanie/?q=" + "x" * 500).status_code == 400


# --------------------------------------------------------------------------- plan page


def test_plan_page_metadata_acts_history_amendments(client, history):
    t1, t2 = history
    response = client.get(f"/planowanie/plany/{t1.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    text = html.unescape(content)
    assert t1.title in text and t1.namespace in text and "T1MPZP" in text
    assert str(t1.get_kind_display()) in text
    # legal act: number, date, journal position, link
    (act,) = rows(content, "acts-table")
    # dates written one way (miasto.core.formats): "20 listopada 2019"
    assert "XV/123/19" in act and "20 listopada 2019" in act and "poz. 777" in act
    assert 'href="https://example.org/u1"' in content
    # status history: registration, four steps to in force, then amended
    history_rows = rows(content, "history-table")
    assert len(history_rows) == 6
    assert all(plain_date(ENACTED) in r for r in history_rows[1:5])
    assert plain_date(AMENDED) in history_rows[-1] and "T2MPZP" in history_rows[-1]
    # amended by T2 (link)
    assert f'href="/planowanie/plany/{t2.pk}/"' in content
    # the amendment links back
    back = client.get(f"/planowanie/plany/{t2.pk}/").content.decode()
    assert f'href="/planowanie/plany/{t1.pk}/"' in back
    # documents: the APP GML download
    assert f'href="/api/v1/plans/{t1.pk}/app.gml"' in content


def test_plan_page_zones_legend_and_map_data(client, history):
    t1, _t2 = history
    content = client.get(f"/planowanie/plany/{t1.pk}/").content.decode()
    zone_rows = rows(content, "zones-table")
    assert [r.split(" ")[0] for r in zone_rows] == ["1KD-L", "3MN"]
    mn = next(r for r in zone_rows if r.startswith("3MN"))
    # parameters with units, the remainder's dates
    assert "35 %" in mn and "10 m" in mn and "0,6" in mn
    assert plain_date(AMENDED) in mn
    # legend: one entry per land-use class present, coloured like the symbology says
    legend = re.search(r'id="plan-map-legend".*?</ul>', content, re.S).group(0)
    for entry in legend_for(["MN", "KD-L"]):
        assert entry["colour"] in legend and html.escape(entry["label"]) in legend
    assert zone_colour("MN") in legend
    # the map's data: the same zones, coloured by symbol, in CRS84, plus the boundary
    data = map_json(content, "plan-map-data")
    assert {f["properties"]["designation"] for f in data["zones"]["features"]} == {"3MN", "1KD-L"}
    assert data["boundary"]["type"] == "MultiPolygon"
    assert len(data["lines"]["features"]) == 1
    style = map_json(content, "plan-map-style")
    assert style["colours"] == {"MN": zone_colour("MN"), "KD-L": zone_colour("KD-L")}
    assert style["streets"] == "/tiles/streets/{z}/{x}/{y}.mvt"
    # every zone of the map has its table row (the map's equivalent)
    for feature in data["zones"]["features"]:
        assert f'id="zone-{feature["id"]}"' in content
    # building lines section
    assert 'id="linie"' in content


def test_plan_page_as_of_shows_the_zones_of_that_date(client, history):
    t1, _t2 = history
    content = client.get(f"/planowanie/plany/{t1.pk}/?as_of=2021-05-01").content.decode()
    zone_rows = rows(content, "zones-table")
    mn = next(r for r in zone_rows if r.startswith("3MN"))
    # the original 3MN: from 2020-01-01, ended by the amendment
    assert plain_date(ENACTED) in mn and plain_date(AMENDED) in mn
    data = map_json(content, "plan-map-data")
    areas = {
        f["properties"]["designation"]: shapely.geometry.shape(f["geometry"]).area
        for f in data["zones"]["features"]
    }
    current = map_json(client.get(f"/planowanie/plany/{t1.pk}/").content.decode(), "plan-map-data")
    areas_now = {
        f["properties"]["designation"]: shapely.geometry.shape(f["geometry"]).area
        for f in current["zones"]["features"]
    }
    assert areas["3MN"] > areas_now["3MN"] * 2.5  # 150 m wide then, 50 m now
    # before the plan was in force: nothing
    before = client.get(f"/planowanie/plany/{t1.pk}/?as_of=2019-01-01").content.decode()
    assert len(rows(before, "zones-table")) == 1 and 'id="plan-map"' not in before


def test_plan_page_of_an_annulled_plan_shows_its_last_zones(client, mpzp):
    enact(mpzp, ENACTED)
    plan_change_status(plan=mpzp, status="annulled", effective=dt.date(2022, 3, 1))
    content = client.get(f"/planowanie/plany/{mpzp.pk}/").content.decode()
    assert [r.split(" ")[0] for r in rows(content, "zones-table")] == ["1KD-L", "3MN"]
    assert "28 lutego 2022" in content


def test_plan_page_special_areas(client, app_sample, db):
    pog = plan_import_app(path=app_sample("pog_AktPlanowaniaPrzestrzennego.gml")).plan
    plan_import_app(path=app_sample("strefy_OK.gml"))
    zone = pog.zones.get(designation="1SJ")
    SpecialArea.objects.create(
        plan=pog, kind="ouz", local_id="1POG-OUZ1", designation="OUZ1", geom=zone.geom,
        attributes={"uwagi": "test"},
    )  # fmt: skip
    content = client.get(f"/planowanie/plany/{pog.pk}/").content.decode()
    assert 'id="obszary"' in content and "1POG-OUZ1" in content
    assert len(rows(content, "zones-table")) == 4
    assert len(map_json(content, "plan-map-data")["specials"]["features"]) == 1


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/planowanie/plany/abc/", 400),
        ("/planowanie/plany/-1/", 400),
        ("/planowanie/plany/1e5/", 400),
        ("/planowanie/plany/" + "9" * 20 + "/", 400),
        ("/planowanie/plany/999999/", 404),
    ],
)
def test_plan_page_bad_ids(client, db, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert b'class="notice notice--error"' in response.content


def test_plan_page_bad_as_of_is_400_with_the_form(client, mpzp):
    compile_planning_messages()
    response = client.get(f"/planowanie/plany/{mpzp.pk}/?as_of=2024-13-45")
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "2024-13-45" in content and 'id="as-of-error"' in content
    assert 'id="zones-table"' in content


def test_plan_page_staff_actions(client, make_user, mpzp):
    content = client.get(f"/planowanie/plany/{mpzp.pk}/").content.decode()
    assert "/planowanie/import/?plan=" not in content
    client.force_login(make_user("planner"))
    content = client.get(f"/planowanie/plany/{mpzp.pk}/").content.decode()
    assert f"/planowanie/import/?plan={mpzp.pk}" in content
    assert f"/admin/planning/plan/{mpzp.pk}/change/" in content


# --------------------------------------------------------------------------- admin map widget


def test_admin_zone_change_page_has_the_offline_map_for_a_planner(client, make_user, mpzp):
    client.force_login(make_user("planner"))
    zone = mpzp.zones.get(designation="3MN")
    response = client.get(reverse("admin:planning_zone_change", args=[zone.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "/static/web/dist/ol.js" in content and "OLMapWidget.js" in content
    assert 'id="id_geom_map" class="dj_map"' in content
    assert "cdn.jsdelivr.net" not in content and "openstreetmap" not in content.lower()
    # the widget carries the zone's geometry to edit
    assert "&quot;type&quot;: &quot;MultiPolygon&quot;" in content


# --------------------------------------------------------------------------- browser


def _browser_marks(fn):  # type: ignore[no-untyped-def]
    from tests.web.test_browser import pytestmark as marks

    for mark in marks:
        fn = mark(fn)
    return fn


@_browser_marks
def test_plan_pages_in_a_browser(live_server, history, make_user):  # type: ignore[no-untyped-def]
    """The register and a plan page in Chromium: the maps draw (canvas), the legend is there,
    a zone's "Show on map" highlights its row, axe-core finds nothing serious; and the admin's
    zone editor draws its offline map for a planner."""
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, serious_violations

    compile_planning_messages()
    t1, _t2 = history
    planner = make_user("planner")
    zone = t1.zones.filter(valid_to__isnull=True).get(designation="3MN")
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="pl-PL")
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            streets: list[str] = []  # the background tiles, at the URL of the page's config
            page.on("request", lambda r: "/tiles/streets/" in r.url and streets.append(r.url))

            page.goto(f"{live_server.url}/planowanie/")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            assert page.locator("#plans-map canvas").count() >= 1
            assert streets and streets[0].endswith(".mvt")
            assert page.locator("#plans-table tbody tr").count() == 2
            page.screenshot(path=str(ARTIFACTS / "planning-plans.png"), full_page=True)
            assert serious_violations(page) == []

            streets.clear()
            page.click(f"a[href='/planowanie/plany/{t1.pk}/']")
            page.wait_for_selector("body[data-map-ready='true']", timeout=20_000)
            assert page.locator("#plan-map canvas").count() >= 1
            assert streets and streets[0].endswith(".mvt")
            assert page.locator("#plan-map-legend li").count() >= 3  # MN, KD, boundary…
            row = page.locator("#zones-table tbody tr").filter(has_text="3MN")
            row.locator("button").click()
            assert "is-highlighted" in (row.get_attribute("class") or "")
            assert "3MN" in page.locator("#plan-map-status").inner_text()
            page.screenshot(path=str(ARTIFACTS / "planning-plan.png"), full_page=True)
            assert serious_violations(page) == []

            # the admin's zone editor draws its offline map for a planner
            page.goto(f"{live_server.url}/konto/logowanie/?next=/admin/")
            page.fill("#id_login", planner.username)
            page.fill("#id_password", "pw-secret-123")
            page.click("form.account-form button[type=submit]")
            page.wait_for_url("**/admin/")
            page.goto(f"{live_server.url}/admin/planning/zone/{zone.pk}/change/")
            page.wait_for_selector("#id_geom_map canvas", timeout=20_000)
        finally:
            browser.close()
    assert errors == []
