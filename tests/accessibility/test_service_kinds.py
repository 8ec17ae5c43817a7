"""A kind of public service added by configuration works end to end: the service validates,
a municipal standard uses it, the computation measures it, and the APP export writes the
standard's value for a general plan's accessibility-standards area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.test import override_settings
from lxml import etree

from miasto.accessibility.models import Result, Standard
from miasto.accessibility.services import accessibility_compute
from miasto.planning import app_gml
from miasto.planning.models import SpecialArea
from miasto.planning.services import plan_import_app
from miasto.planning.xsd import APP
from tests.accessibility.test_standards import X0, Y0, town  # noqa: F401
from tests.planning.conftest import sample
from tests.territory.factories import PublicServiceFactory

EXTRA = {"police": "posterunek policji"}


def _police_standard() -> Standard:
    return Standard(
        code="police", name="Posterunek policji", service_kinds=["police"], distance_m=1000,
        legal_basis="standard gminny ustalony w planie ogólnym gminy, art. 13f u.p.z.p.",
        valid_from=dt.date(2024, 1, 1), app_element="odlegloscDoPosterunkuPolicji", order=80,
    )  # fmt: skip


def test_without_the_configuration_the_kind_is_refused(db):
    with pytest.raises(ValidationError, match="police"):
        _police_standard().full_clean()


@override_settings(MIASTO_SERVICE_KINDS_EXTRA=EXTRA)
def test_a_configured_kind_end_to_end(town):  # noqa: F811
    station = PublicServiceFactory.build(
        kind="police", name="Komisariat", geom=Point(X0 + 1000, Y0 + 10, srid=2180)
    )
    station.full_clean(exclude=["address", "org_unit"], validate_constraints=False)
    station.save()
    standard = _police_standard()
    standard.full_clean()
    standard.save()

    run = accessibility_compute(codes=["police"])
    results = {r.parcel_id: r for r in Result.objects.filter(standard=standard, run=run)}
    near = results[town["A"].pk]  # the station stands by parcel A
    assert near.met and near.distance_m == pytest.approx(15, abs=1)
    assert near.service_id == station.pk
    assert not results[town["D"].pk].met  # 1 500 m away

    plan = plan_import_app(path=sample("pog_AktPlanowaniaPrzestrzennego.gml")).plan
    SpecialArea.objects.create(
        plan=plan, kind="osd", local_id="1POG-1OSD", designation="1OSD", geom=plan.geom,
        attributes={name: 1500.0 for name, kind, required in app_gml.OSD_FIELDS
                    if required and kind == "L"}
        | {"powierzchniaLacznaObszarowZieleniPublicznej": 30000.0,
           "powierzchniaObszaruZieleniPublicznej": 200000.0},
    )  # fmt: skip
    root = etree.fromstring(app_gml.export_plan(plan))
    assert app_gml.xsd_errors(root) == []
    assert root.findtext(f".//{{{APP}}}odlegloscDoPosterunkuPolicji") == "1000"
