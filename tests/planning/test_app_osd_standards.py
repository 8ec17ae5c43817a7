"""The APP export of a general plan's accessibility-standards area (OSD): values the plan does
not state come from the configured standards (art. 13f), never from constants."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from miasto.accessibility.models import Standard
from miasto.planning import app_gml
from miasto.planning.models import SpecialArea
from miasto.planning.services import plan_import_app
from miasto.planning.xsd import APP

ACT = "pog_AktPlanowaniaPrzestrzennego.gml"
BASIS = "art. 13f u.p.z.p."
SINCE = dt.date(2023, 9, 24)


def _standard(code, distance, app_element, *, ha=None, area_element="", rule="nearest", **kw):  # type: ignore[no-untyped-def]
    return Standard.objects.create(
        code=code, name=code, service_kinds=["green" if ha else "primary_school"],
        distance_m=distance, min_area_ha=ha, aggregate=rule, legal_basis=BASIS,
        valid_from=kw.pop("valid_from", SINCE), app_element=app_element,
        app_area_element=area_element, **kw,
    )  # fmt: skip


@pytest.fixture
def standards(db):  # type: ignore[no-untyped-def]
    """The statutory standards as configured (not the seed: a flushed database has none)."""
    Standard.objects.all().delete()
    return [
        _standard("school", 1500, "odlegloscDoSzkolyPodstawowej"),
        _standard("green-3ha", 1500, "odlegloscDoObszarowZieleniPublicznej", ha=3,
                  area_element="powierzchniaLacznaObszarowZieleniPublicznej", rule="sum_area"),
        _standard("green-20ha", 3000, "odlegloscDoObszaruZieleniPublicznej", ha=20,
                  area_element="powierzchniaObszaruZieleniPublicznej", rule="single_area"),
    ]  # fmt: skip


@pytest.fixture
def pog(db, app_sample):  # type: ignore[no-untyped-def]
    plan = plan_import_app(path=app_sample(ACT)).plan
    SpecialArea.objects.create(
        plan=plan, kind="osd", local_id="1POG-1OSD", designation="1OSD", geom=plan.geom,
        attributes={"odlegloscDoSzkolyPodstawowej": 1200.0},  # stated by the plan
    )  # fmt: skip
    return plan


def _osd_values(data: bytes) -> dict[str, str]:
    root = etree.fromstring(data)
    assert app_gml.xsd_errors(root) == []
    area = root.find(f".//{{{APP}}}ObszarStandardowDostepnosciInfrastrukturySpolecznej")
    assert area is not None
    return {
        etree.QName(child).localname: (child.text or "").strip()
        for child in area
        if etree.QName(child).localname.startswith(("odleglosc", "powierzchnia", "wylaczenie"))
    }


def test_missing_values_come_from_the_configured_standards(standards, pog):
    values = _osd_values(app_gml.export_plan(pog))
    assert values["odlegloscDoSzkolyPodstawowej"] == "1200"  # the plan's own value stays
    assert values["odlegloscDoObszarowZieleniPublicznej"] == "1500"
    assert values["powierzchniaLacznaObszarowZieleniPublicznej"] == "30000"  # 3 ha
    assert values["odlegloscDoObszaruZieleniPublicznej"] == "3000"  # not 1 500
    assert values["powierzchniaObszaruZieleniPublicznej"] == "200000"  # 20 ha, not 3
    assert values["wylaczenieZabudowyZagrodowej"] == "false"
    assert "odlegloscDoPrzedszkola" not in values  # optional and not configured


def test_a_new_version_of_a_standard_is_exported(standards, pog):
    green = standards[2]
    green.valid_to = dt.date(2024, 1, 1)
    green.save()
    _standard("green-20ha", 2500, "odlegloscDoObszaruZieleniPublicznej", ha=15, version=2,
              area_element="powierzchniaObszaruZieleniPublicznej", rule="single_area",
              valid_from=dt.date(2024, 1, 1))  # fmt: skip
    values = _osd_values(app_gml.export_plan(pog))  # the plan is from 2025
    assert values["odlegloscDoObszaruZieleniPublicznej"] == "2500"
    assert values["powierzchniaObszaruZieleniPublicznej"] == "150000"


def test_a_required_value_nobody_configured_is_an_error_not_a_guess(standards, pog, client):
    Standard.objects.filter(code="green-20ha").delete()
    with pytest.raises(ValueError, match="odlegloscDoObszaruZieleniPublicznej"):
        app_gml.export_plan(pog)
    response = client.get(f"/api/v1/plans/{pog.pk}/app.gml")
    assert response.status_code == 503
    assert "odlegloscDoObszaruZieleniPublicznej" in response.json()["message"]
