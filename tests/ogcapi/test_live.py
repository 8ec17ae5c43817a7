"""Against a live server: GDAL's OAPIF driver reads every public collection (ogrinfo lists
them, ogr2ogr copies every feature, following the paging links), and schemathesis fuzzes the
OpenAPI definition at /ogcapi/api with valid and invalid data (30 examples of each per
operation) — no 5xx, every answer matches its schema."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks

from miasto.core.collections import collections_all
from miasto.datahub.models import DATA_SCHEMA

# transactional: the live server sees the data (tests/conftest.py re-seeds after the flush)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_town(town) -> Any:  # type: ignore[no-untyped-def]
    """The town, and afterwards the version tables it made (the flush leaves that schema)."""
    yield town
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [DATA_SCHEMA])
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TABLE IF EXISTS {DATA_SCHEMA}."{name}"')


def ogr(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_gdal_reads_every_public_collection(live_server, live_town, tmp_path: Path):
    source = f"OAPIF:{live_server.url}/ogcapi"
    listing = ogr("ogrinfo", "-ro", "-q", source)
    ids = [c.id for c in collections_all()]
    assert "ds-drzewa-public" in ids and "ds-drzewa-restricted" not in listing
    for cid in ids:
        assert cid in listing, cid
        out = tmp_path / f"{cid}.geojson"
        ogr("ogr2ogr", "-f", "GeoJSON", str(out), source, cid, "-oo", "PAGE_SIZE=7")
        copied = json.loads(out.read_text(encoding="utf-8"))["features"]
        with urlopen(f"{live_server.url}/ogcapi/collections/{cid}/items?limit=1") as r:
            expected = json.loads(r.read())["numberMatched"]
        assert len(copied) == expected, cid
    summary = ogr("ogrinfo", "-ro", "-so", source, "parcels")
    assert "Feature Count: 30" in summary or "identifier" in summary


def test_gdal_summary_reads_one_page(live_server, live_town, monkeypatch):
    """``ogrinfo -so`` of a collection larger than the counting cap: the count comes from the
    first page's ``numberMatched``, the extent from the collections' list — GDAL pages
    through the whole layer when either is missing; over WFS from ``RESULTTYPE=hits`` and the
    capabilities (which GDAL trusts only when told to)."""
    from miasto.core import features

    monkeypatch.setattr(features, "MATCHED_CAP", 12)
    done = subprocess.run(
        ["ogrinfo", "-ro", "-so", "--debug", "on", f"OAPIF:{live_server.url}/ogcapi", "parcels"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "Feature Count: 30" in done.stdout and "Extent: (" in done.stdout
    fetched = [line for line in done.stderr.splitlines() if "Fetch(" in line]
    assert fetched and not any("offset=" in line for line in fetched), fetched
    wfs = subprocess.run(
        ["ogrinfo", "-ro", "-so", "--debug", "on", "-oo", "TRUST_CAPABILITIES_BOUNDS=YES",
         f"WFS:{live_server.url}/wfs", "miasto:parcels"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "Feature Count: 30" in wfs.stdout and "Extent: (" in wfs.stdout
    assert "RESULTTYPE=hits" in wfs.stderr and "STARTINDEX" not in wfs.stderr


def test_gdal_filters_by_attribute_and_bbox(live_server, live_town, tmp_path: Path):
    out = tmp_path / "r.geojson"
    ogr("ogr2ogr", "-f", "GeoJSON", str(out), f"OAPIF:{live_server.url}/ogcapi", "parcels",
        "-where", "land_use = 'R'")  # fmt: skip
    assert len(json.loads(out.read_text())["features"]) == 10


def test_openapi_is_fuzzed_without_server_errors(live_server, live_town):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/ogcapi/api")
    wanted = [
        checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12

    for operation, mode in [(op, m) for op in operations for m in GenerationMode]:

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def fuzz(case: Any) -> None:
            case.call_and_validate(checks=wanted)

        fuzz()
