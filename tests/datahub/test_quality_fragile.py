"""The parcel overlap check on valid-but-fragile geometries (trust issue #12): the pair of
``tests/planning/analyses/fragile_pair.json`` (a zone piece with a 31 m spike folded back onto
itself, whose tip lies on an edge of a road parcel's piece) as two parcels. GEOS's relate
throws ``side location conflict`` on them; the check answers by the safe ``miasto_*``
functions instead and finds their 452.5 m² overlap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely

from miasto.datahub import services
from tests.datahub.conftest import parcel_features, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)

PAIR = json.loads(
    (Path(__file__).parent.parent / "planning" / "analyses" / "fragile_pair.json").read_text()
)


def test_overlap_of_a_fragile_pair_is_found(city, make_dataset, tmp_path):  # type: ignore[no-untyped-def]
    feats = parcel_features(range(2))
    for feat, key in zip(feats, ("zone_piece_wkb", "parcel_piece_wkb"), strict=True):
        geom = shapely.from_wkb(bytes.fromhex(PAIR[key]))
        feat["geometry"] = json.loads(shapely.to_geojson(geom))
    path = write_geojson(tmp_path / "fragile.geojson", feats)
    ds = make_dataset("parcels", quality_rules={"max_outside_city_share": None})
    v = services.version_import(dataset=ds, path=path, source_name="fragile.geojson")
    overlaps = v.quality["checks"]["overlaps"]
    assert overlaps["count"] == 1
    assert overlaps["items"] == [{"a": 1, "b": 2, "area": pytest.approx(452.5, abs=0.01)}]
    assert v.status == "rejected" and "nachodzi" in v.error
