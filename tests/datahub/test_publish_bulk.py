"""Publishing a spine layer loaded (nearly) anew: the new precincts made before the publishing
transaction, in two halves (``SpineTarget.lookups_ahead``), and the spine's indexes and
foreign keys rebuilt around a bulk insert (``importers.references.indexes_rebuilt``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from miasto.datahub import importers, services
from miasto.datahub.importers import spine
from miasto.territory.models import Building, Parcel, Precinct
from tests.datahub.conftest import UNIT, parcel_features, write_geojson
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)


def in_precincts(numbers: range, codes: list[str]) -> list[dict[str, Any]]:
    """Parcels of the test grid, dealt to the precincts ``codes`` in turn."""
    features = parcel_features(numbers)
    for i, f in enumerate(features):
        code = codes[i % len(codes)]
        f["properties"]["identifier"] = f"{UNIT}.{code}.{i + 1}"
    return features


def catalogue(table: str) -> tuple[list[Any], list[Any]]:
    """The indexes and constraints of ``table`` as the catalogue defines them."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table]
        )
        indexes = cur.fetchall()
        cur.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid), convalidated, condeferrable, "
            "condeferred FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        return indexes, cur.fetchall()


def union_matches(precinct: Precinct) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT ST_Equals(p.geom, (SELECT ST_Union(geom) FROM territory_parcel "
            "WHERE precinct_id = p.id)) FROM territory_precinct p WHERE p.id = %s",
            [precinct.pk],
        )
        return bool(cur.fetchone()[0])


def test_new_precincts_made_ahead_in_halves(city, make_dataset, tmp_path):
    codes = ["0001", "0002", "0003"]
    path = write_geojson(tmp_path / "p.geojson", in_precincts(range(30), codes))
    # the lookups of a version table, made directly: both halves filled
    generic = services.version_import(
        dataset=make_dataset("generic"), path=path, source_name="p.geojson"
    )
    target = importers.get_target("parcels")
    mapping = target.resolve_mapping({}, [a["name"] for a in generic.attributes])
    made = target.lookups_ahead(generic.table_name, mapping)
    assert made == f"{generic.table_name}_lookups"
    with connection.cursor() as cur:
        cur.execute(f"SELECT code, ST_IsValid(geom), ST_Area(geom) FROM {made} ORDER BY code")
        rows = cur.fetchall()
        cur.execute("SELECT to_regclass(%s)", [f"{made}_keys"])
        assert cur.fetchone()[0] is None  # (its key table is gone)
        cur.execute(f"DROP TABLE {made}")
    assert [(c, v) for c, v, _a in rows] == [(c, True) for c in codes]
    assert [round(a) for _c, _v, a in rows] == [10 * 625] * 3

    # an import: the precincts made ahead are the union of their parcels
    v = services.version_import(dataset=make_dataset("parcels"), path=path, source_name="p.geojson")
    assert v.status == "ready", v.error
    assert "prepare" in v.quality["timings"]
    precincts = Precinct.objects.filter(unit=UNIT).order_by("code")
    assert [p.code for p in precincts] == codes
    assert all(union_matches(p) for p in precincts)
    assert Parcel.objects.count() == 30
    # nothing missing any more: nothing is made ahead
    assert target.lookups_ahead(v.table_name, mapping) is None


def test_bulk_insert_rebuilds_indexes_and_foreign_keys(city, make_dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(spine, "BULK_MIN_ROWS", 1)
    rebuilt: list[str] = []
    real = spine.indexes_rebuilt

    def spy(table: str) -> Any:
        rebuilt.append(table)
        return real(table)

    monkeypatch.setattr(spine, "indexes_rebuilt", spy)
    before = catalogue("territory_parcel")
    assert any("gist" in d for _n, d in before[0])
    v = services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "p.geojson", parcel_features(range(20))),
        source_name="p.geojson",
    )
    assert v.status == "ready", v.error
    assert v.quality["published"] == {"added": 20, "changed": 0, "removed": 0}
    assert rebuilt == ["territory_parcel"]
    assert catalogue("territory_parcel") == before
    # the foreign keys hold again
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO territory_parcel (identifier, number, area, land_use, geom, "
            "precinct_id) SELECT '106401_1.0009.1', '1', 1, 'B', geom, 999999 "
            "FROM territory_parcel LIMIT 1"
        )
    # and the rebuilt indexes serve queries
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(
            "EXPLAIN SELECT id FROM territory_parcel WHERE identifier LIKE '106401_1.0001.1%'"
        )
        assert "territory_parcel_identifier" in " ".join(r[0] for r in cur.fetchall())
        cur.execute(
            "SELECT count(*) FROM territory_parcel WHERE geom && "
            "ST_Expand((SELECT geom FROM territory_parcel ORDER BY id LIMIT 1), 1)"
        )
        assert cur.fetchone()[0] == 4  # itself and the three neighbours it touches


def test_bulk_insert_after_deletes_with_references(city, make_dataset, tmp_path, monkeypatch):
    """Deleting parcels that buildings refer to leaves deferred checks pending on the spine
    table; its indexes are rebuilt all the same, and the buildings are detached."""
    monkeypatch.setattr(spine, "BULK_MIN_ROWS", 1)
    dataset = make_dataset("parcels")
    v1 = services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / "a.geojson", parcel_features(range(2))),
        source_name="a.geojson",
    )
    assert v1.status == "ready", v1.error
    gone = Parcel.objects.get(identifier=f"{UNIT}.0001.2")
    building = tf.BuildingFactory(parcel=gone, identifier="B.1")
    before = catalogue("territory_parcel")
    # parcel 2 gone (1 of 2: not above the 50 % rule), 6 new ones: more than the 1 kept
    v2 = services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / "b.geojson", parcel_features([0, *range(10, 16)])),
        source_name="b.geojson",
    )
    assert v2.status == "ready", v2.error
    assert v2.quality["published"] == {"added": 6, "changed": 0, "removed": 1}
    assert Parcel.objects.count() == 7
    assert Building.objects.get(pk=building.pk).parcel_id is None
    assert catalogue("territory_parcel") == before
