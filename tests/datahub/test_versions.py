"""Versions: diff (by key, else by geometry) and rollback (publishing into the spine)."""

from __future__ import annotations

import pytest

from miasto.core.jobs import JobError
from miasto.core.models import AuditEntry
from miasto.datahub import services
from miasto.territory.models import Parcel
from tests.datahub.conftest import X0, Y0, parcel_features, square, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_versions(city, make_dataset, tmp_path):
    ds = make_dataset("parcels")
    v1 = services.version_import(
        dataset=ds,
        path=write_geojson(tmp_path / "v1.geojson", parcel_features(range(10))),
        source_name="v1.geojson",
    )
    feats = parcel_features(range(1, 12))  # parcel 1 removed, 11–12 added
    feats[0]["properties"]["land_use"] = "R"  # parcel 2 changed (attribute)
    feats[1]["geometry"]["coordinates"] = square(X0 + 50, Y0, 20)  # parcel 3 changed (geometry)
    v2 = services.version_import(
        dataset=ds, path=write_geojson(tmp_path / "v2.geojson", feats), source_name="v2.geojson"
    )
    assert v1.status == v2.status == "ready"
    return v1, v2


def test_diff_by_key(two_versions):
    v1, v2 = two_versions
    d = services.version_diff(v1, v2)
    assert d["by"] == "key" and d["key_columns"] == ["identifier"]
    assert d["counts"] == {"added": 2, "removed": 1, "changed": 2, "unchanged": 7}
    assert {i["key"] for i in d["added"]} == {"106401_1.0001.11", "106401_1.0001.12"}
    assert d["removed"] == [{"fid": 1, "key": "106401_1.0001.1"}]
    assert {i["key"] for i in d["changed"]} == {"106401_1.0001.2", "106401_1.0001.3"}
    back = services.version_diff(v2, v1, limit=1)
    assert back["counts"]["added"] == 1 and back["counts"]["removed"] == 2
    assert len(back["removed"]) == 1  # lists capped, counts exact


def test_diff_by_geometry(city, make_dataset, tmp_path):
    ds = make_dataset()
    feats = parcel_features(range(5))
    v1 = services.version_import(
        dataset=ds, path=write_geojson(tmp_path / "a.geojson", feats), source_name="a.geojson"
    )
    feats2 = parcel_features(range(1, 6))
    feats2[0]["properties"]["land_use"] = "R"
    v2 = services.version_import(
        dataset=ds, path=write_geojson(tmp_path / "b.geojson", feats2), source_name="b.geojson"
    )
    d = services.version_diff(v1, v2)
    assert d["by"] == "geometry"
    assert d["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 3}


def test_rollback_republishes_spine(two_versions, make_user):
    v1, v2 = two_versions
    assert Parcel.objects.filter(identifier="106401_1.0001.1").count() == 0
    user = make_user()
    services.version_set_current(v1, user)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.is_current and not v2.is_current
    ids = set(Parcel.objects.values_list("identifier", flat=True))
    assert "106401_1.0001.1" in ids and "106401_1.0001.11" not in ids and len(ids) == 10
    assert Parcel.objects.get(identifier="106401_1.0001.2").land_use == "B"
    entry = AuditEntry.objects.filter(model="datahub.datasetversion").latest("at")
    assert entry.actor_id == user.pk and "bieżącą" in entry.object_repr
    # and forward again
    services.version_set_current(v2)
    assert Parcel.objects.count() == 11


def test_rejected_version_cannot_become_current(city, make_dataset, tmp_path):
    ds = make_dataset("parcels")
    feats = parcel_features(range(2))
    feats[1]["properties"]["identifier"] = feats[0]["properties"]["identifier"]
    v = services.version_import(
        dataset=ds, path=write_geojson(tmp_path / "d.geojson", feats), source_name="d.geojson"
    )
    assert v.status == "rejected"
    with pytest.raises(JobError, match="tylko wersja gotowa"):
        services.version_set_current(v)


def test_dataset_create_validates(owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.dataset_create(owner=owner, slug="zły slug!", title_pl="x")
    with pytest.raises(JobError, match="Nieznana warstwa"):
        services.dataset_create(owner=owner, slug="x", title_pl="x", target="rivers")
    ds = services.dataset_create(owner=owner, slug="drzewa", title_pl="Drzewa")
    services.dataset_update(ds, title_en="Trees")
    ds.refresh_from_db()
    assert ds.title_en == "Trees"
    assert AuditEntry.objects.filter(model="datahub.dataset", action="update").exists()
