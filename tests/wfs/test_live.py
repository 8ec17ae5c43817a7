"""GDAL's WFS driver against a live server: it lists every public collection and copies
every feature of each, paging through them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from miasto.core.collections import collections_all
from miasto.wfs.names import type_name
from tests.ogcapi.test_live import ogr

pytestmark = pytest.mark.django_db(transaction=True)


def test_gdal_reads_every_public_collection(live_server, live_town, tmp_path: Path):  # type: ignore[no-untyped-def]
    source = f"WFS:{live_server.url}/wfs"
    listing = ogr("ogrinfo", "-ro", "-q", source)
    collections = collections_all()
    assert "ds-drzewa-restricted" not in listing
    for collection in collections:
        name = type_name(collection)
        assert name in listing, name
        out = tmp_path / f"{name}.geojson"
        paging = ["--config", "OGR_WFS_PAGE_SIZE", "7", "--config", "OGR_WFS_PAGING_ALLOWED", "ON"]
        ogr("ogr2ogr", "-f", "GeoJSON", str(out), source, f"miasto:{name}", *paging)
        copied = json.loads(out.read_text(encoding="utf-8"))["features"]
        hits = ogr("ogrinfo", "-ro", "-so", source, f"miasto:{name}")
        assert f"Feature Count: {len(copied)}" in hits, (name, hits[-300:])
    parcels = json.loads((tmp_path / "parcels.geojson").read_text())["features"]
    assert len(parcels) == 30
    assert {"identifier", "area", "land_use"} <= set(parcels[0]["properties"])
