"""The register from a GIS file through the data hub (target ``ad_carriers``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from miasto.advertising.models import Carrier, Owner, Violation
from miasto.core.jobs import JobError
from miasto.datahub import services
from tests.advertising.factories import BASE_X, BASE_Y, ZoneFactory, ZoneRuleFactory, rect
from tests.datahub.conftest import (  # noqa: F401 — fixtures
    clean_data_schema,
    make_dataset,
    owner,
    to_format,
    work_dir,
    write_geojson,
)
from tests.territory.factories import CityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def carrier(ref: str, x: float, **props: object) -> dict:
    properties = {
        "NR": ref,
        "RODZAJ": "board_freestanding",
        "width": "3",
        "height": "2",
        "owner": "Reklama SA",
        "owner_nip": "7251234567",
        "installed_on": "2025-05-01",
    }
    return {
        "type": "Feature",
        "properties": properties | props,
        "geometry": {"type": "Point", "coordinates": [BASE_X + x, BASE_Y + 10]},
    }  # fmt: skip


def test_carriers_from_a_geopackage_are_added_then_updated(make_dataset, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    CityFactory()
    ZoneRuleFactory(zone=ZoneFactory(geom=rect(0, 0, 1000, 1000)), max_value=Decimal("12"))
    ds = make_dataset("ad_carriers", field_mapping={"reference": "NR", "kind": "RODZAJ"})
    src = write_geojson(
        tmp_path / "r.geojson", [carrier("R/1", 10), carrier("R/2", 200, area="20")]
    )
    version = services.version_import(
        dataset=ds, path=to_format(src, tmp_path / "r.gpkg", "GPKG"), source_name="r.gpkg"
    )
    assert version.status == "ready", version.error
    assert Carrier.objects.count() == 2 and Owner.objects.count() == 1
    one = Carrier.objects.get(reference="R/1")
    assert one.area == Decimal("6.00") and one.owner.tax_id == "7251234567"
    assert Violation.objects.get().carrier.reference == "R/2"  # 20 m² > 12 m²
    src = write_geojson(tmp_path / "r2.geojson", [carrier("R/2", 200, area="10")])
    services.version_import(dataset=ds, path=src, source_name="r2.geojson")
    assert Carrier.objects.count() == 2  # a partial delivery removes nothing
    assert Violation.objects.get().resolved_on is not None


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"RODZAJ": "zeppelin"}, "zeppelin"),
        ({"width": "-2"}, "szerokość"),
        ({"height": "9999"}, "wysokość"),
        ({"installed_on": "1.5.2025"}, "RRRR-MM-DD"),
    ],
)
def test_bad_rows_are_refused_naming_the_row(make_dataset, tmp_path, props, message) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    CityFactory()
    ds = make_dataset("ad_carriers", field_mapping={"reference": "NR", "kind": "RODZAJ"})
    src = write_geojson(tmp_path / "r.geojson", [carrier("R/1", 10), carrier("R/9", 20, **props)])
    with pytest.raises(JobError, match=message):
        services.version_import(dataset=ds, path=src, source_name="r.geojson")
    assert not Carrier.objects.exists()


def test_a_carrier_outside_the_city_is_refused(make_dataset, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    CityFactory()
    ds = make_dataset("ad_carriers", field_mapping={"reference": "NR", "kind": "RODZAJ"})
    inside = [carrier(f"R/{i}", 10 * i) for i in range(1, 5)]
    src = write_geojson(tmp_path / "r.geojson", [*inside, carrier("R/9", 90_000)])
    with pytest.raises(JobError, match=r"R/9.*poza granicami miasta"):
        services.version_import(dataset=ds, path=src, source_name="r.geojson")
    assert not Carrier.objects.exists()
    # (a file mostly outside the city is already refused by the data hub's quality check)
