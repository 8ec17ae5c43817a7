"""Spine targets other than parcels: streets, addresses (street looked up by name), buildings
(parcel found spatially), services, constraints; field registry and mapping."""

from __future__ import annotations

import pytest

from miasto.core.jobs import JobError
from miasto.datahub import services
from miasto.datahub.importers import get_target, import_targets
from miasto.territory.models import Address, Building, Constraint, Parcel, PublicService, Street
from tests.datahub.conftest import X0, Y0, parcel_features, square, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


def feature(props: dict, geom: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geom}


def test_registry_declares_fields():
    assert set(import_targets.keys()) >= {
        "generic", "parcels", "buildings", "addresses", "streets", "services", "constraints"
    }  # fmt: skip
    parcels = get_target("parcels")
    assert parcels.key_fields == ("identifier",)
    assert [f.name for f in parcels.fields if f.required] == ["identifier"]
    mapping = parcels.resolve_mapping({"land_use": "UZYTEK"}, ["identifier", "uzytek"])
    assert mapping == {"land_use": "uzytek", "identifier": "identifier"}
    with pytest.raises(JobError, match="nie ma atrybutu „nr”"):
        parcels.resolve_mapping({"identifier": "nr"}, ["id"])


def test_streets_addresses_buildings(city, make_dataset, tmp_path):
    services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "p.geojson", parcel_features(range(3))),
        source_name="p.geojson",
    )
    line = {"type": "LineString", "coordinates": [[X0 - 10, Y0 - 5], [X0 + 100, Y0 - 5]]}
    streets = make_dataset("streets")
    v = services.version_import(
        dataset=streets,
        path=write_geojson(
            tmp_path / "s.geojson",
            [feature({"name": "Długa", "kind": "ul.", "road_class": "L"}, line)],
        ),
        source_name="s.geojson",
    )
    assert v.status == "ready", v.error
    street = Street.objects.get(name="Długa")
    addresses = make_dataset("addresses")
    pts = [
        feature(
            {"street": "ul. Długa", "number": str(i + 1), "postcode": "98-200"},
            {"type": "Point", "coordinates": [X0 + 12 + 25 * i, Y0 + 12]},
        )
        for i in range(2)
    ]
    v = services.version_import(
        dataset=addresses,
        path=write_geojson(tmp_path / "a.geojson", pts),
        source_name="a.geojson",
    )
    assert v.status == "ready", v.error
    a1 = Address.objects.get(number="1")
    assert a1.street == street and a1.label == "ul. Długa 1"
    assert a1.parcel == Parcel.objects.get(identifier="106401_1.0001.1")  # found spatially
    # an unknown street name fails with the feature number
    pts[1]["properties"]["street"] = "Krótka"
    with pytest.raises(JobError, match="Obiekt nr 2: nie ma w rejestrze ulicy „Krótka”"):
        services.version_import(
            dataset=addresses,
            path=write_geojson(tmp_path / "a2.geojson", pts),
            source_name="a2.geojson",
        )
    assert addresses.current_version.number == 1 and Address.objects.count() == 2
    buildings = make_dataset("buildings")
    b = [
        feature(
            {"identifier": "B1", "use": "multi_family", "storeys": 4},
            {"type": "Polygon", "coordinates": square(X0 + 30, Y0 + 5, 10)},
        )
    ]
    v = services.version_import(
        dataset=buildings, path=write_geojson(tmp_path / "b.geojson", b), source_name="b.geojson"
    )
    assert v.status == "ready", v.error
    bld = Building.objects.get(identifier="B1")
    assert bld.parcel.identifier == "106401_1.0001.2" and float(bld.height) == 12.0
    b[0]["properties"]["use"] = "zamek"
    with pytest.raises(JobError, match="niedozwolona wartość „zamek” pola „use”"):
        services.version_import(
            dataset=buildings, path=write_geojson(tmp_path / "b2.geojson", b), source_name="b.json"
        )


def test_services_and_constraints(city, make_dataset, tmp_path):
    svc = [
        feature(
            {"kind": "library", "name": "Biblioteka", "capacity": 40},
            {"type": "Point", "coordinates": [X0, Y0]},
        ),
        feature(
            {"kind": "green", "name": "Park", "capacity": None},
            {"type": "Polygon", "coordinates": square(X0, Y0, 100)},
        ),
    ]
    ds = make_dataset("services")
    path = write_geojson(tmp_path / "u.geojson", svc[:1])
    v = services.version_import(dataset=ds, path=path, source_name="u.geojson")
    assert v.status == "ready", v.error
    assert PublicService.objects.get(name="Biblioteka").capacity == 40
    con = [
        feature(
            {"kind": "flood_1pct", "name": "Zalew", "source": "Wody Polskie"},
            {"type": "Polygon", "coordinates": square(X0, Y0, 200)},
        )
    ]
    v = services.version_import(
        dataset=make_dataset("constraints"),
        path=write_geojson(tmp_path / "c.geojson", con),
        source_name="c.geojson",
    )
    assert v.status == "ready", v.error
    assert Constraint.objects.get(name="Zalew").source == "Wody Polskie"
