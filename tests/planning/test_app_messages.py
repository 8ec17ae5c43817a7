"""APP import messages that say why: a voivodeship plan, zones of another act, a gap's
position in the file's own CRS; the namespace an export makes up for a plan without one."""

from __future__ import annotations

import re

import pytest
import shapely
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.test import override_settings

from miasto.planning import app_gml
from miasto.planning.models import Plan, Zone
from miasto.planning.services import PlanError, plan_create, plan_import_app, plan_import_app_bytes
from tests.territory.factories import CityFactory

ACT = "pog_AktPlanowaniaPrzestrzennego.gml"


def _rejected(**kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PlanError) as info:
        if "data" in kwargs:
            plan_import_app_bytes(**kwargs)
        else:
            plan_import_app(**kwargs)
    return str(info.value)


def test_voivodeship_plan_says_why(db, app_sample):
    text = (
        app_sample(ACT)
        .read_text()
        .replace(
            "TypAktuPlanowaniaPrzestrzennegoKod/planOgolnyGminy",
            "TypAktuPlanowaniaPrzestrzennegoKod/planZagospodarowaniaPrzestrzennegoWojewodztwa",
        )
    )
    message = _rejected(data=text.encode(), name="pzpw.gml")
    assert "planZagospodarowaniaPrzestrzennegoWojewodztwa" in message
    assert "sejmik województwa" in message and "rejestr aktów planowania gminy" in message
    assert Plan.objects.count() == 0


def test_unknown_plan_type_lists_the_known_ones(db, app_sample):
    text = (
        app_sample(ACT)
        .read_text()
        .replace(
            "TypAktuPlanowaniaPrzestrzennegoKod/planOgolnyGminy",
            "TypAktuPlanowaniaPrzestrzennegoKod/x",
        )
    )
    message = _rejected(data=text.encode())
    assert "nieobsługiwany typ planu „x”" in message and "planOgolnyGminy" in message


def _pog(namespace: str, local_id: str) -> Plan:
    square = Polygon.from_bbox((300_000, 300_000, 301_000, 301_000))
    return plan_create(
        kind="pog", title="Inny plan", local_id=local_id, namespace=namespace,
        geom=MultiPolygon(square, srid=2180),
    )  # fmt: skip


def test_zones_of_another_act_say_the_namespace_differs(db, app_sample):
    other = _pog("PL.ZIPPZP.9/106401-POG", "1POG")
    message = _rejected(path=app_sample("strefy_OK.gml"), plan=other)
    problems = message.split("\n")[1:]
    assert "przestrzeń nazw" in problems[0]
    assert "PL.ZIPPZP.1234/121201-POG" in problems[0] and "PL.ZIPPZP.9/106401-POG" in problems[0]
    # not drowned in "outside the plan boundary" for every zone
    assert "poza granicę planu" not in message and len(problems) == 1
    assert Zone.objects.count() == 0


def test_zones_of_another_plan_in_the_namespace_say_so(db, app_sample):
    other = _pog("PL.ZIPPZP.1234/121201-POG", "2POG")
    message = _rejected(path=app_sample("strefy_OK.gml"), plan=other)
    assert "wskazują plan 1POG, a wskazany plan to 2POG" in message.split("\n")[1]
    assert "poza granicę planu" not in message


def test_gap_position_in_the_file_crs(db, app_sample):
    plan_import_app(path=app_sample(ACT))
    message = _rejected(path=app_sample("strefy_LUKA.gml"))
    found = re.search(
        r"x=([\d.]+), y=([\d.]+) \(EPSG:2180, x — wschodnia\); w układzie pliku EPSG:2178: "
        r"([\d.]+) ([\d.]+) \(kolejność jak w pliku: północna, wschodnia\)",
        message,
    )
    assert found, message
    x, y, north, east = (float(v) for v in found.groups())
    there = Point(east, north, srid=2178)
    there.transform(2180)
    assert there.x == pytest.approx(x, abs=0.02) and there.y == pytest.approx(y, abs=0.02)
    assert 5_000_000 < north < 6_200_000 and 7_000_000 < east < 8_000_000  # zone 7 (21° E)


def test_gap_position_without_a_file_is_in_storage_crs():
    from miasto.planning.validation import ZoneInput, check_layout

    zones = [
        ZoneInput("P-1", "1SJ", geom=shapely.box(0, 0, 40, 100)),
        ZoneInput("P-2", "2SJ", geom=shapely.box(60, 0, 100, 100)),
    ]
    (gap,) = check_layout(zones, plan_geom=shapely.box(0, 0, 100, 100), gaps="error", tolerance=1)
    assert "(EPSG:2180, x — wschodnia)" in gap.message and "układzie pliku" not in gap.message


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("pog", "POG"), ("mpzp", "MPZP"), ("zpi", "MPZP"), ("revitalisation", "MPZP"),
     ("studium", "SUIKZP")],
)  # fmt: skip
def test_default_namespace_uses_teryt_and_official_types(kind, expected):
    assert app_gml.default_namespace(kind, "1064011") == f"PL.ZIPPZP.0/106401-{expected}"
    with override_settings(MIASTO_APP_NAMESPACE_NUMBER="2393"):
        assert app_gml.default_namespace(kind, "1064011") == f"PL.ZIPPZP.2393/106401-{expected}"


def test_default_namespace_needs_a_teryt_code():
    with pytest.raises(ValueError, match="TERYT"):
        app_gml.default_namespace("mpzp", "")


def test_export_of_a_plan_without_namespace(db):
    CityFactory(teryt="1064011")
    plan = _pog("", "7POG")
    plan = Plan.objects.get(pk=plan.pk)
    data = app_gml.export_plan(plan)
    assert b"<app:przestrzenNazw>PL.ZIPPZP.0/106401-POG</app:przestrzenNazw>" in data
    assert f"/{plan.pk}-".encode() not in data  # never the database id


def test_zones_into_a_plan_without_namespace_are_not_refused(db, app_sample):
    """A plan registered without a namespace has nothing to compare with: its zones come in."""
    plan = plan_import_app(path=app_sample(ACT)).plan
    Plan.objects.filter(pk=plan.pk).update(namespace="", local_id="Z9")
    result = plan_import_app(path=app_sample("strefy_OK.gml"), plan=Plan.objects.get(pk=plan.pk))
    assert result.zones == 4
