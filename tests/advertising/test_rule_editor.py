"""The staff rule editor: a draft copied from the current version, zones (map or GeoJSON) and
rules checked on entry, the preview table, the application, applied versions read-only."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from miasto.advertising import compliance
from miasto.advertising.models import ComplianceRun, RuleSet, Zone, ZoneRule
from miasto.core.models import AuditEntry
from tests.advertising.factories import (
    CarrierFactory,
    ZoneFactory,
    ZoneRuleFactory,
    pt,
    rect,
)
from tests.territory.factories import CityFactory

pytestmark = pytest.mark.django_db
BASE = "/reklamy/obsluga/reguly/"


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    CityFactory()
    zone = ZoneFactory(code="A", name="Stare Miasto", geom=rect(0, 0, 1000, 1000))
    ZoneRuleFactory(zone=zone, max_value=Decimal("12"))
    ZoneFactory(ruleset=zone.ruleset, code="B", name="Osiedla", geom=rect(1000, 0, 2000, 1000))
    big = CarrierFactory(area=Decimal("18"), location=pt(100, 100))  # against A now
    mid = CarrierFactory(area=Decimal("8"), location=pt(300, 300))  # compliant now
    CarrierFactory(area=Decimal("2"), location=pt(500, 500))  # always compliant
    compliance.check(dt.date.today())
    return {"zone": zone, "applied": zone.ruleset, "big": big, "mid": mid}


def _draft(client, world) -> RuleSet:  # type: ignore[no-untyped-def]
    resolution = world["applied"].resolution
    day = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    response = client.post(f"{BASE}uchwaly/{resolution.pk}/nowa-wersja/",
                           {"label": "v2 projekt", "valid_from": day})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return RuleSet.objects.get(label="v2 projekt")


def _zone_post(code: str, geom_3857: str = "", **extra: object) -> dict[str, object]:
    return {"code": code, "name": f"Strefa {code}", "adjustment_months": "12", "geom": geom_3857,
            **extra}  # fmt: skip


def test_a_draft_is_a_copy_and_only_planners_edit(client, world, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("inspector"))
    assert client.get(BASE).status_code == 200
    resolution = world["applied"].resolution
    before = RuleSet.objects.count()
    response = client.post(f"{BASE}uchwaly/{resolution.pk}/nowa-wersja/",
                           {"label": "x", "valid_from": "2100-01-01"})  # fmt: skip
    assert response.status_code == 403 and RuleSet.objects.count() == before
    client.force_login(make_user("planner"))
    listing = client.get(BASE).content.decode()
    assert "nowa-wersja" in listing
    too_early = client.post(f"{BASE}uchwaly/{resolution.pk}/nowa-wersja/",
                            {"label": "v0", "valid_from": "2000-01-01"})  # fmt: skip
    assert too_early.status_code == 400 and RuleSet.objects.count() == before
    draft = _draft(client, world)
    assert not draft.applied
    assert sorted(draft.zones.values_list("code", flat=True)) == ["A", "B"]
    assert ZoneRule.objects.filter(zone__ruleset=draft, max_value=Decimal("12")).count() == 1
    assert ZoneRule.objects.filter(zone__ruleset=world["applied"]).count() == 1  # untouched
    assert AuditEntry.objects.filter(model__endswith="ruleset", object_id=str(draft.pk)).exists()


def test_zone_refusals_write_nothing(client, world, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("planner"))
    draft = _draft(client, world)
    url = f"{BASE}{draft.pk}/strefy/nowa/"
    form_page = client.get(url).content.decode()
    # the offline map (its options in a JSON block, no inline script), the GeoJSON way beside
    # it, and the version's other zones as a table
    assert 'id="id_geom_map"' in form_page and "web/dist/ol.js" in form_page
    assert 'type="file" name="geojson"' in form_page and '<th scope="row">B</th>' in form_page
    zones = Zone.objects.count()
    overlapping = rect(500, 500, 1500, 800).transform(3857, clone=True).json
    response = client.post(url, _zone_post("C", overlapping), HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400 and "nachodzi" in response.content.decode()
    outside = rect(20_000, 0, 21_000, 1000).transform(3857, clone=True).json
    response = client.post(url, _zone_post("C", outside), HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400 and "poza granice miasta" in response.content.decode()
    assert client.post(url, _zone_post("C")).status_code == 400  # no area at all
    bad_json = SimpleUploadedFile("a.geojson", b"{not json", "application/geo+json")
    assert client.post(url, _zone_post("C", geojson=bad_json)).status_code == 400
    point = SimpleUploadedFile("a.geojson", b'{"type": "Point", "coordinates": [19, 51]}')
    assert client.post(url, _zone_post("C", geojson=point)).status_code == 400
    hostile = [
        # a system PostGIS does not know, a bow tie, coordinates beyond any system
        b'{"type": "Polygon", "crs": {"type": "name", "properties": {"name": "EPSG:99999"}},'
        b' "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}',
        b'{"type": "Polygon", "coordinates": [[[19, 51], [19.01, 51.01], [19.01, 51], '
        b"[19, 51.01], [19, 51]]]}",
        b'{"type": "Polygon", "coordinates": [[[1e308, 1e308], [-1e308, 0], [0, 1e308], '
        b"[1e308, 1e308]]]}",
    ]
    for text in hostile:
        upload = SimpleUploadedFile("h.geojson", text, "application/geo+json")
        assert client.post(url, _zone_post("C", geojson=upload)).status_code == 400, text
    assert Zone.objects.count() == zones
    # a GeoJSON upload (WGS 84) that only touches zone B is taken
    area = rect(2000, 0, 2500, 1000).transform(4326, clone=True)
    upload = SimpleUploadedFile("c.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": json.loads(area.json)}]}
    ).encode())  # fmt: skip
    assert client.post(url, _zone_post("C", geojson=upload)).status_code == 302
    zone = Zone.objects.get(ruleset=draft, code="C")
    assert abs(zone.geom.area - 500_000) < 50
    # drawn on the map (EPSG:3857, the widget's system): edited
    drawn = rect(2000, 0, 2400, 1000).transform(3857, clone=True).json
    edit = client.post(f"{BASE}{draft.pk}/strefy/{zone.pk}/", _zone_post("C", drawn))
    assert edit.status_code == 302, edit.content.decode().split("<main")[-1][:2500]
    zone.refresh_from_db()
    assert abs(zone.geom.area - 400_000) < 50
    assert AuditEntry.objects.filter(model__endswith="zone", object_id=str(zone.pk)).count() >= 2


def test_rule_refusals_and_edits(client, world, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("planner"))
    draft = _draft(client, world)
    zone = draft.zones.get(code="A")
    url = f"{BASE}{draft.pk}/strefy/{zone.pk}/zasady/nowa/"
    rules = ZoneRule.objects.count()
    for data, expect in [
        ({"kind": "max_area", "min_value": "5", "max_value": "3"}, "nie może przekraczać"),
        ({"kind": "max_area"}, "wymaga maksimum"),
        ({"kind": "max_area", "max_value": "abc"}, "nie jest liczbą"),
        ({"kind": "max_area", "max_value": "4", "params": "[1]"}, "JSON"),
        ({"kind": "sign_count", "max_value": "2", "carrier_kinds": ["board_freestanding"]},
         "tylko"),
        ({"kind": "teleport", "max_value": "1"}, "teleport"),
    ]:  # fmt: skip
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="pl")
        assert response.status_code == 400, data
        assert expect in response.content.decode(), (data, expect)
    assert ZoneRule.objects.count() == rules
    assert client.post(url, {"kind": "max_dimension", "max_value": "4,5"}).status_code == 302
    rule = ZoneRule.objects.get(zone=zone, kind="max_dimension")
    assert rule.max_value == Decimal("4.5")
    edit = f"{BASE}{draft.pk}/strefy/{zone.pk}/zasady/{rule.pk}/"
    assert client.post(edit, {"kind": "max_dimension", "max_value": "6"}).status_code == 302
    rule.refresh_from_db()
    assert rule.max_value == Decimal("6")
    assert client.post(edit + "usun/").status_code == 302
    assert not ZoneRule.objects.filter(pk=rule.pk).exists()
    assert AuditEntry.objects.filter(model__endswith="zonerule", object_id=str(rule.pk),
                                     action="delete").exists()  # fmt: skip


def test_applied_versions_are_read_only(client, world, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("administrator"))
    applied, zone = world["applied"], world["zone"]
    rule = zone.rules.get()
    drawn = rect(0, 0, 900, 900).transform(3857, clone=True).json
    response = client.post(f"{BASE}{applied.pk}/strefy/{zone.pk}/", _zone_post("A", drawn))
    assert response.status_code == 403
    assert client.post(f"{BASE}{applied.pk}/strefy/{zone.pk}/zasady/{rule.pk}/",
                       {"kind": "max_area", "max_value": "1"}).status_code == 403  # fmt: skip
    client.post(f"{BASE}{applied.pk}/strefy/{zone.pk}/usun/")
    client.post(f"{BASE}{applied.pk}/strefy/{zone.pk}/zasady/{rule.pk}/usun/")
    rule.refresh_from_db()
    zone.refresh_from_db()
    assert rule.max_value == Decimal("12") and zone.geom.area == pytest.approx(1_000_000)
    page = client.get(f"{BASE}{applied.pk}/").content.decode()
    assert "strefy/nowa" not in page


def test_preview_numbers_then_apply(client, world, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("planner"))
    draft = _draft(client, world)
    zone = draft.zones.get(code="A")
    rule = zone.rules.get()
    edit = f"{BASE}{draft.pk}/strefy/{zone.pk}/zasady/{rule.pk}/"
    assert client.post(edit, {"kind": "max_area", "max_value": "5"}).status_code == 302
    preview = compliance.preview(draft)
    assert preview["non_compliant_now"] == 1 and preview["non_compliant"] == 2
    assert preview["newly_non_compliant"] == 1 and preview["no_longer_non_compliant"] == 0
    row = next(r for r in preview["compare"] if r["zone"] == "A")
    assert (row["rule_kind"], row["now"], row["would"], row["newly"], row["no_longer"]) == (
        "max_area", 1, 2, 1, 0,
    )  # fmt: skip
    page = client.get(f"{BASE}{draft.pk}/?preview=1").content.decode()
    assert 'id="preview-compare"' in page
    runs = ComplianceRun.objects.count()
    assert client.post(f"{BASE}{draft.pk}/zastosuj/").status_code == 302
    draft.refresh_from_db()
    world["applied"].refresh_from_db()
    assert draft.applied and world["applied"].valid_to == draft.valid_from
    assert ComplianceRun.objects.count() == runs + 1
    # now applied: read-only
    assert client.post(edit, {"kind": "max_area", "max_value": "50"}).status_code == 403


def test_geojson_text_is_bounded() -> None:
    from miasto.advertising.rule_editing import geometry_from_geojson
    from miasto.advertising.services import AdvertisingError

    with pytest.raises(AdvertisingError):
        geometry_from_geojson("[" * 100_000)
    with pytest.raises(AdvertisingError):
        geometry_from_geojson(json.dumps({"type": "FeatureCollection", "features": []}))
