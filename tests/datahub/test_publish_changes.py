"""Publishing classified from what changed (``SpineTarget.plan_from_changes``): when the spine
holds exactly the version a new one is checked against, only the rows not found unchanged in
it are looked up in the spine."""

from __future__ import annotations

from typing import Any

import pytest

from miasto.datahub import services
from miasto.datahub.importers import SpineTarget
from miasto.territory.models import Parcel
from tests.datahub.conftest import UNIT, X0, Y0, parcel_features, square, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def whole_joins(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per join of the whole spine with a whole version (``_plan_sql``)."""
    calls: list[bool] = []
    original = SpineTarget._plan_sql

    def spy(self: SpineTarget, *args: Any, **kwargs: Any) -> str:
        calls.append(True)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SpineTarget, "_plan_sql", spy)
    return calls


def spine() -> dict[str, tuple[str, float]]:
    return {p.identifier: (p.land_use, round(p.geom.extent[0], 2)) for p in Parcel.objects.all()}


def version(features: list[dict[str, Any]], dataset: Any, tmp_path: Any, name: str) -> Any:
    v = services.version_import(
        dataset=dataset, path=write_geojson(tmp_path / name, features), source_name=name
    )
    assert v.status == "ready", v.error
    return v


def test_changes_published_from_the_diff(city, make_dataset, tmp_path, whole_joins):
    dataset = make_dataset("parcels")
    first = version(parcel_features(range(10)), dataset, tmp_path, "a.geojson")
    assert first.quality["published_state"]
    whole_joins.clear()
    # an attribute changed (geometry and key the same), a parcel shrunk, one gone, one new
    feats = parcel_features(range(10))
    feats[2]["properties"]["land_use"] = "R"
    feats[4]["geometry"]["coordinates"] = square(X0 + 4 * 25, Y0, 20.0)
    del feats[7]
    feats.append(parcel_features([15])[0])
    second = version(feats, dataset, tmp_path, "b.geojson")
    assert second.quality["published"] == {"added": 1, "changed": 2, "removed": 1}
    assert whole_joins == []
    # only the shrunk parcel and the new one are tested for overlaps: an attribute does not
    # move a parcel
    assert second.quality["checks"]["overlaps"]["checked_features"] == 2
    now = spine()
    assert now[f"{UNIT}.0001.3"][0] == "R"
    assert f"{UNIT}.0001.8" not in now and f"{UNIT}.0001.16" in now
    assert Parcel.objects.get(identifier=f"{UNIT}.0001.5").geom.area == pytest.approx(400.0)
    whole_joins.clear()
    feats[0]["properties"]["land_use"] = "S"
    third = version(feats, dataset, tmp_path, "c.geojson")
    assert third.quality["published"] == {"added": 0, "changed": 1, "removed": 0}
    assert whole_joins == []
    assert spine()[f"{UNIT}.0001.1"][0] == "S"


def test_spine_written_since_is_joined_whole(city, make_dataset, tmp_path, whole_joins):
    dataset = make_dataset("parcels")
    version(parcel_features(range(6)), dataset, tmp_path, "a.geojson")
    # someone edits the spine: it no longer holds the version exactly
    Parcel.objects.filter(identifier=f"{UNIT}.0001.2").update(land_use="X")
    whole_joins.clear()
    v = version(parcel_features(range(6)), dataset, tmp_path, "b.geojson")
    assert whole_joins  # (beside the checks, as before)
    assert v.quality["published"] == {"added": 0, "changed": 1, "removed": 0}
    assert spine()[f"{UNIT}.0001.2"][0] == "B"


def test_rollback_records_what_the_spine_holds(city, make_dataset, tmp_path, whole_joins):
    dataset = make_dataset("parcels")
    first = version(parcel_features(range(6)), dataset, tmp_path, "a.geojson")
    feats = parcel_features(range(6))
    feats[1]["properties"]["land_use"] = "R"
    version(feats, dataset, tmp_path, "b.geojson")
    services.version_set_current(first)
    first.refresh_from_db()
    assert spine()[f"{UNIT}.0001.2"][0] == "B"
    # the spine holds the first version again: a third one is classified from its changes
    whole_joins.clear()
    v = version(feats, dataset, tmp_path, "c.geojson")
    assert whole_joins == []
    assert v.quality["published"] == {"added": 0, "changed": 1, "removed": 0}
    assert spine()[f"{UNIT}.0001.2"][0] == "R"
    # a shifted parcel is refused (it overlaps its neighbour): the spine stays as it was
    feats[3]["geometry"]["coordinates"] = square(X0 + 3 * 25 + 10, Y0)
    bad = services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / "d.geojson", feats),
        source_name="d.geojson",
    )
    assert bad.status == "rejected"
    assert spine()[f"{UNIT}.0001.4"][1] == round(X0 + 3 * 25, 2)


def test_publishing_nothing_leaves_the_spine_as_it_was(city, make_dataset, tmp_path, whole_joins):
    """A version that changes nothing writes nothing: the spine still holds the earlier
    version exactly, and a later one of that dataset is classified from its changes."""
    dataset = make_dataset("parcels")
    first = version(parcel_features(range(6)), dataset, tmp_path, "a.geojson")
    # the same parcels in another dataset, every geometry checked: nothing to publish
    other = make_dataset("parcels", quality_rules={"incremental_check": False})
    same = version(parcel_features(range(6)), other, tmp_path, "b.geojson")
    assert same.quality["published"] == {"added": 0, "changed": 0, "removed": 0}
    assert same.quality["published_state"] == first.quality["published_state"]
    whole_joins.clear()
    feats = parcel_features(range(6))
    feats[2]["properties"]["land_use"] = "R"
    v = version(feats, dataset, tmp_path, "c.geojson")
    assert whole_joins == []
    assert v.quality["published"] == {"added": 0, "changed": 1, "removed": 0}


def test_duplicates_found_from_the_changed_features(city, make_dataset, tmp_path):
    """Checked against a baseline with no geometry twice, duplicate geometries are looked for
    from the changed features only — and in the whole layer when a key is repeated."""
    dataset = make_dataset("parcels")
    first = version(parcel_features(range(8)), dataset, tmp_path, "a.geojson")
    assert first.quality["checks"]["duplicate_geometries"]["count"] == 0
    # a copy of parcel 3 under a new number (a changed feature: its key is new)
    feats = parcel_features(range(8))
    copy = parcel_features([2])[0]
    copy["properties"]["identifier"] = f"{UNIT}.0001.50"
    v = services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / "b.geojson", [*feats, copy]),
        source_name="b.geojson",
    )
    dups = v.quality["checks"]["duplicate_geometries"]
    assert (dups["count"], dups["items"]) == (1, [[3, 9]])
    assert v.quality["checks"]["overlaps"]["mode"] == "changed"
    # the same row twice (same key, same geometry): both unchanged, found all the same
    twice = parcel_features([2])[0]
    v = services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / "c.geojson", [*feats, twice]),
        source_name="c.geojson",
    )
    dups = v.quality["checks"]["duplicate_geometries"]
    assert (dups["count"], dups["items"]) == (1, [[3, 9]])
    assert v.quality["checks"]["duplicate_keys"]["count"] == 1
    assert v.status == "rejected"
