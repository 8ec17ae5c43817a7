"""Zones of a plan through the data hub (target ``zones``): GeoPackage with a field mapping,
validation as for APP (overlaps, ranges), unknown plan, enacted plan refused, atomicity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from miasto.core.jobs import JobError
from miasto.datahub import services
from miasto.datahub.importers import get_target
from miasto.planning.models import Zone
from miasto.planning.services import plan_change_status, plan_create
from miasto.planning.statuses import PlanStatus as S
from tests.datahub.conftest import (  # noqa: F401 — fixtures
    clean_data_schema,
    make_dataset,
    owner,
    square,
    to_format,
    work_dir,
    write_geojson,
)
from tests.planning.conftest import box

pytestmark = pytest.mark.django_db(transaction=True)
X, Y = 500_000.0, 403_700.0
MAPPING = {
    "plan": "PLAN_ID",
    "designation": "OZN",
    "max_intensity": "INT_MAX",
    "rules": "USTALENIA",
}


def zone(plan: str, ozn: str, x: float, *, intensity: object = "0.6", size: float = 50.0) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "PLAN_ID": plan,
            "OZN": ozn,
            "INT_MAX": intensity,
            "max_coverage": 35,
            "min_bio_active": 40,
            "max_height": 10,
            "max_storeys": 2,
            "min_intensity": 0.1,
            "USTALENIA": f"Ustalenia dla terenu {ozn}.",
        },  # fmt: skip
        "geometry": {"type": "Polygon", "coordinates": square(x, Y, size)},
    }


@pytest.fixture
def draft(db):  # type: ignore[no-untyped-def]
    return plan_create(
        kind="mpzp", title="Projekt planu „Łąkowa”", local_id="MPZP-LAKOWA",
        namespace="PL.ZIPPZP.9/999999-MPZP", geom=box(X, Y, X + 100, Y + 50),
    )  # fmt: skip


def _gpkg(tmp_path, features):  # type: ignore[no-untyped-def]
    src = write_geojson(tmp_path / "strefy.geojson", features)
    return to_format(src, tmp_path / "strefy.gpkg", "GPKG")


def test_zones_from_a_geopackage_with_a_mapping(draft, make_dataset, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    assert "plan" in [f.name for f in get_target("zones").fields if f.required]
    ds = make_dataset("zones", field_mapping=MAPPING)
    path = _gpkg(tmp_path, [zone("MPZP-LAKOWA", "1MN", X), zone("MPZP-LAKOWA", "2MN/U", X + 50)])
    version = services.version_import(dataset=ds, path=path, source_name="strefy.gpkg")
    assert version.status == "ready", version.error
    assert version.is_current
    zones = {z.designation: z for z in Zone.objects.filter(plan=draft)}
    assert set(zones) == {"1MN", "2MN/U"}
    mn = zones["1MN"]
    assert mn.category == "plan_area" and mn.symbol == "MN" and mn.number == "1"
    assert mn.max_intensity == Decimal("0.60") and mn.max_storeys == 2
    assert mn.local_id == "MPZP-LAKOWA-1MN"
    assert mn.rules == "Ustalenia dla terenu 1MN."
    assert round(mn.geom.area) == 2500
    # a new version replaces the zones (the plan is still a draft)
    path = _gpkg(tmp_path, [zone("MPZP-LAKOWA", "1MW", X), zone("MPZP-LAKOWA", "2U", X + 50)])
    services.version_import(dataset=ds, path=path, source_name="strefy.gpkg")
    assert sorted(Zone.objects.filter(plan=draft).values_list("designation", flat=True)) == [
        "1MW",
        "2U",
    ]


def test_overlapping_zones_are_rejected_naming_both(draft, make_dataset, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = make_dataset("zones", field_mapping=MAPPING)
    path = _gpkg(tmp_path, [zone("MPZP-LAKOWA", "1MN", X), zone("MPZP-LAKOWA", "2MN", X + 30)])
    with pytest.raises(JobError, match=r"1MN[\s\S]*2MN|2MN[\s\S]*1MN"):
        services.version_import(dataset=ds, path=path, source_name="strefy.gpkg")
    assert not ds.versions.exists() and not Zone.objects.exists()


def test_out_of_range_unknown_plan_and_enacted_plan(draft, make_dataset, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = make_dataset("zones", field_mapping=MAPPING)
    with pytest.raises(JobError, match="1MN"):
        services.version_import(
            dataset=ds,
            path=_gpkg(tmp_path, [zone("MPZP-LAKOWA", "1MN", X, intensity="-2")]),
            source_name="strefy.gpkg",
        )
    with pytest.raises(JobError, match="Nie ma planów o identyfikatorach: MPZP-INNY"):
        services.version_import(
            dataset=ds,
            path=_gpkg(tmp_path, [zone("MPZP-INNY", "1MN", X)]),
            source_name="strefy.gpkg",
        )
    services.version_import(
        dataset=ds, path=_gpkg(tmp_path, [zone("MPZP-LAKOWA", "1MN", X)]), source_name="a.gpkg"
    )
    for step in (S.IN_PREPARATION, S.CONSULTATION, S.ADOPTED, S.IN_FORCE):
        plan_change_status(plan=draft, status=step, effective=dt.date(2024, 1, 1))
    with pytest.raises(JobError, match="zmianą planu"):
        services.version_import(
            dataset=ds,
            path=_gpkg(tmp_path, [zone("MPZP-LAKOWA", "3U", X)]),
            source_name="b.gpkg",
        )
    assert ds.versions.count() == 1
    assert list(Zone.objects.values_list("designation", flat=True)) == ["1MN"]
