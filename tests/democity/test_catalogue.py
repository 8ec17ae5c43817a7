"""The demo catalogue: the demo city's layers loaded through the data hub.

The catalogue is loaded once per module on the committed ``small`` city (ogr2ogr uses its own
connection); the conftest's teardown truncates the spine, which empties the catalogue and drops
its ``datahub_data`` tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from miasto.datahub import selectors
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.democity import catalogue
from miasto.democity.services import DemoCityResult

pytestmark = pytest.mark.django_db

SPINE = {
    "dzialki-ewidencyjne": ("parcels", "territory_parcel", "UM-GK"),
    "budynki": ("buildings", "territory_building", "UM-GK"),
    "adresy": ("addresses", "territory_address", "UM-GK"),
    "ulice": ("streets", "territory_street", "ZDM"),
    "uslugi-publiczne": ("services", "territory_publicservice", "UM-ED"),
    "ograniczenia": ("constraints", "territory_constraint", "UM-BPP"),
}


def fingerprint() -> dict[str, str]:
    """Row hashes of the spine tables the catalogue republishes (ids included)."""
    out = {}
    with connection.cursor() as cur:
        for _target, table, _owner in SPINE.values():
            cur.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t")
            out[table] = cur.fetchone()[0]
    return out


@pytest.fixture(scope="module")
def loaded(
    small_city: DemoCityResult, django_db_blocker: pytest.FixtureRequest
) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        before = fingerprint()
        summary = catalogue.demo_catalogue_load(progress=False)
        after = fingerprint()
        yield {"summary": summary, "before": before, "after": after}


def test_every_spine_layer_has_a_current_version_matching_the_spine(
    loaded: dict[str, Any],
) -> None:
    assert loaded["summary"]["created"]
    for slug, (target, table, owner) in SPINE.items():
        ds = Dataset.objects.select_related("owner").get(slug=slug)
        assert ds.target == target
        assert ds.owner.code == owner
        assert ds.licence == "CC-BY-4.0"
        assert ds.title_pl and ds.title_en and ds.description_pl and ds.description_en
        assert ds.keywords and ds.contact_email and ds.spatial_coverage is not None
        current = ds.current_version
        assert current is not None and current.status == DatasetVersion.Status.READY
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table}")
            assert current.feature_count == cur.fetchone()[0]
        assert current.source_sha256 and current.format and current.duration is not None
        assert current.quality["published"]["added"] == 0
        assert current.quality["published"]["removed"] == 0


def test_spine_unchanged_except_the_buildings_update(loaded: dict[str, Any]) -> None:
    summary = loaded["summary"]
    assert summary["spine_before"] == summary["spine_after"]
    before, after = loaded["before"], loaded["after"]
    for table in before:
        if table != "territory_building":  # budynki v2 changes a few buildings, on purpose
            assert before[table] == after[table], table
    v2 = DatasetVersion.objects.get(dataset__slug="budynki", number=2)
    assert v2.is_current and v2.quality["published"]["changed"] > 0


def test_several_formats(loaded: dict[str, Any]) -> None:
    formats = set(DatasetVersion.objects.values_list("format", flat=True))
    assert {"gpkg", "geojson", "csv", "shp", "gml"} <= formats


def test_history_diff_rejected_stale_and_quality(loaded: dict[str, Any]) -> None:
    from miasto.datahub.services import version_diff

    v1, v2 = DatasetVersion.objects.filter(dataset__slug="budynki").order_by("number")
    diff = version_diff(v1, v2)
    assert diff["by"] == "key" and diff["counts"]["changed"] > 0
    assert diff["counts"]["added"] == diff["counts"]["removed"] == 0

    rejected = DatasetVersion.objects.get(dataset__slug="dzialki-ewidencyjne", number=2)
    assert rejected.status == DatasetVersion.Status.REJECTED and not rejected.is_current
    assert rejected.quality["checks"]["overlaps"]["count"] > 0
    assert Dataset.objects.get(slug="dzialki-ewidencyjne").current_version.number == 1

    admin = get_user_model().objects.create_superuser("catalogue-admin", "a@example.org", "x")
    stale = [d["dataset"].slug for g in selectors.stale_datasets(admin) for d in g["datasets"]]
    assert "drzewa-w-pasach-drogowych" in stale
    assert not set(stale) & set(SPINE)

    billboards = Dataset.objects.get(slug="tablice-reklamowe-2019").current_version
    checks = billboards.quality["checks"]
    assert billboards.status == DatasetVersion.Status.READY and not billboards.quality["blocking"]
    assert checks["invalid_geometries"]["count"] > 0
    assert checks["duplicate_geometries"]["count"] > 0
    assert checks["duplicate_keys"]["count"] > 0
    assert checks["outside_city"]["count"] == 2
    assert min(billboards.quality["completeness"].values()) < 1
    assert billboards.quality_score < 100


def test_access_levels(loaded: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    access = dict(Dataset.objects.values_list("slug", "access"))
    assert access["zasob-nieruchomosci-gminnych"] == "internal"
    assert access["mieszkania-chronione"] == "restricted"
    public = set(selectors.datasets_visible(AnonymousUser()).values_list("slug", flat=True))
    assert set(SPINE) <= public
    assert not {"zasob-nieruchomosci-gminnych", "mieszkania-chronione"} & public


def test_second_run_is_a_no_op(loaded: dict[str, Any]) -> None:
    versions = DatasetVersion.objects.count()
    summary = catalogue.demo_catalogue_load(progress=False)
    assert summary["created"] is False
    assert DatasetVersion.objects.count() == versions
    assert "pominięto" in catalogue.summary_text(summary)


def test_replace_leaves_no_orphan_tables(loaded: dict[str, Any]) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'datahub_data' "
            "AND tablename ~ '^v[0-9]+$'"
        )
        assert cur.fetchone()[0] == DatasetVersion.objects.count()
        cur.execute("CREATE TABLE datahub_data.v999999 (fid integer)")  # an orphan
    catalogue.drop_orphan_tables()
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('datahub_data.v999999')")
        assert cur.fetchone()[0] is None
