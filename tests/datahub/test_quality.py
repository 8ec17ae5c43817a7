"""Quality report: repairs, duplicates, completeness, outside the city, parcel overlaps and gaps,
blocking rules (configurable per dataset) keeping a rejected version out of the spine."""

from __future__ import annotations

import pytest

from miasto.datahub import quality, services
from miasto.territory.models import Parcel
from tests.datahub.conftest import X0, Y0, parcel_features, square, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


def test_invalid_geometry_repaired_and_listed(city, make_dataset, tmp_path):
    feats = parcel_features(range(4))
    # a bow-tie: self-intersecting ring
    feats[1]["geometry"]["coordinates"] = [
        [[X0, Y0], [X0 + 20, Y0 + 20], [X0 + 20, Y0], [X0, Y0 + 20], [X0, Y0]]
    ]
    path = write_geojson(tmp_path / "q.geojson", feats)
    v = services.version_import(dataset=make_dataset(), path=path, source_name="q.geojson")
    inv = v.quality["checks"]["invalid_geometries"]
    assert inv["count"] == 1 and inv["repaired"] == 1 and inv["unrepairable"] == 0
    assert inv["items"][0]["fid"] == 2 and "intersection" in inv["items"][0]["reason"].lower()
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"SELECT ST_IsValid(geom), GeometryType(geom) FROM {v.table_name} WHERE fid = 2"
        )
        assert cur.fetchone() == (True, "MULTIPOLYGON")
    assert v.status == "ready" and v.quality_score < 100


def test_duplicates_completeness_and_outside(city, make_dataset, tmp_path):
    feats = parcel_features(range(6))
    feats[3]["geometry"] = feats[2]["geometry"]  # duplicate geometry
    feats[4]["properties"]["identifier"] = feats[5]["properties"]["identifier"]  # duplicate key
    feats[0]["properties"]["land_use"] = ""
    feats[1]["properties"]["land_use"] = None
    feats[5]["geometry"]["coordinates"] = square(X0 + 8_000, Y0)  # outside the city
    path = write_geojson(tmp_path / "q.geojson", feats)
    ds = make_dataset(key_field="IDENTIFIER")
    v = services.version_import(dataset=ds, path=path, source_name="q.geojson")
    c = v.quality["checks"]
    assert c["duplicate_geometries"]["count"] == 1 and c["duplicate_geometries"]["items"] == [
        [3, 4]
    ]
    assert c["duplicate_keys"]["count"] == 1 and c["duplicate_keys"]["items"][0]["fids"] == [5, 6]
    assert v.quality["completeness"]["land_use"] == pytest.approx(4 / 6, abs=1e-3)
    outside = {k: c["outside_city"][k] for k in ("count", "share", "items")}
    assert outside == {"count": 1, "share": pytest.approx(1 / 6, abs=1e-3), "items": [6]}
    assert v.status == "ready"  # generic: duplicates are reported, not blocking


def test_list_caps_keep_exact_counts(city, make_dataset, tmp_path):
    feats = parcel_features(range(30))
    for f in feats:
        f["geometry"]["coordinates"] = square(X0 + 9_000, Y0)
    path = write_geojson(tmp_path / "q.geojson", feats)
    ds = make_dataset(quality_rules={"list_limit": 5, "max_outside_city_share": None})
    v = services.version_import(dataset=ds, path=path, source_name="q.geojson")
    out = v.quality["checks"]["outside_city"]
    assert out["count"] == 30 and len(out["items"]) == 5
    assert v.quality["checks"]["duplicate_geometries"]["count"] == 29
    assert v.status == "ready"  # the outside-the-city rule was switched off for this dataset


def test_parcel_overlaps_block_and_previous_stays(city, make_dataset, tmp_path):
    ds = make_dataset("parcels")
    good = write_geojson(tmp_path / "ok.geojson", parcel_features(range(4)))
    v1 = services.version_import(dataset=ds, path=good, source_name="ok.geojson")
    assert v1.status == "ready"
    feats = parcel_features(range(4))
    feats[1]["geometry"]["coordinates"] = square(X0 + 20, Y0)  # overlaps parcel 1 by 5×25 m
    feats[3]["properties"]["land_use"] = "R"
    path = write_geojson(tmp_path / "bad.geojson", feats)
    v2 = services.version_import(dataset=ds, path=path, source_name="bad.geojson")
    assert v2.status == "rejected" and not v2.is_current
    ov = v2.quality["checks"]["overlaps"]
    # v1 (looked at from the edges that do not match a neighbour's) had no overlaps: only the
    # changed parcel is checked against all the others
    assert v1.quality["checks"]["overlaps"]["mode"] == "edges"
    assert ov["mode"] == "changed" and ov["checked_features"] == 1
    assert ov["count"] >= 1 and ov["items"][0]["a"] == 1 and ov["items"][0]["area"] == 125.0
    assert "nachodzi" in v2.error
    v1.refresh_from_db()
    assert v1.is_current
    assert set(Parcel.objects.values_list("land_use", flat=True)) == {"B"}  # spine untouched
    # the same data passes when the dataset tolerates overlaps
    services.dataset_update(ds, quality_rules={"max_parcel_overlaps": None})
    v3 = services.version_import(dataset=ds, path=path, source_name="bad.geojson")
    assert v3.status == "ready" and v3.is_current
    assert Parcel.objects.filter(land_use="R").count() == 1


def test_parcel_gaps_and_tolerance(city, make_dataset, tmp_path):
    # a 3×3 block of parcels with the middle one missing: a 625 m² hole
    feats = [f for f in parcel_features([0, 1, 2, 10, 12, 20, 21, 22])]
    path = write_geojson(tmp_path / "gap.geojson", feats)
    ds = make_dataset("parcels", quality_rules={"max_parcel_gaps": 0})
    v = services.version_import(dataset=ds, path=path, source_name="gap.geojson")
    gaps = v.quality["checks"]["gaps"]
    assert gaps["count"] == 1 and gaps["items"][0]["area"] == 625.0
    assert v.status == "rejected"
    services.dataset_update(ds, quality_rules={"max_parcel_gaps": 0, "gap_tolerance_m2": 1000})
    v2 = services.version_import(dataset=ds, path=path, source_name="gap.geojson")
    assert v2.quality["checks"]["gaps"]["count"] == 0 and v2.status == "ready"


def test_spine_duplicate_and_invalid_keys_block(city, make_dataset, tmp_path):
    feats = parcel_features(range(3))
    feats[1]["properties"]["identifier"] = feats[0]["properties"]["identifier"]
    feats[2]["properties"]["identifier"] = "działka 7"
    path = write_geojson(tmp_path / "k.geojson", feats)
    v = services.version_import(dataset=make_dataset("parcels"), path=path, source_name="k.geojson")
    rules = {b["rule"] for b in v.quality["blocking"]}
    assert rules == {"max_duplicate_keys", "max_invalid_keys"}
    assert v.status == "rejected" and Parcel.objects.count() == 0


def test_rules_merge():
    assert quality.rules_for(False, {})["max_duplicate_keys"] is None
    assert quality.rules_for(True, {})["max_duplicate_keys"] == 0
    assert quality.rules_for(True, {"max_duplicate_keys": 5})["max_duplicate_keys"] == 5
