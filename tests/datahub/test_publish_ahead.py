"""Parcels checked against an earlier version of another dataset (only what changed), and the
rows classified for publishing beside the quality check — used only while the spine is as it
was when they were classified."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from miasto.core.jobs import JobError
from miasto.datahub import services
from miasto.datahub.importers import PublishOptions, SpineTarget, get_target
from miasto.territory.models import Parcel, Precinct
from tests.datahub.conftest import UNIT, X0, Y0, parcel_features, square, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def planned(monkeypatch):  # type: ignore[no-untyped-def]
    """The names of the threads that classified rows for publishing."""
    threads: list[str] = []
    original = SpineTarget._plan_sql

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SpineTarget, "_plan_sql", spy)
    return threads


def test_checked_against_another_datasets_version(city, make_dataset, tmp_path, planned):
    first = services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "a.geojson", parcel_features(range(30))),
        source_name="a.geojson",
    )
    assert first.quality["checks"]["overlaps"]["mode"] == "edges"
    assert Parcel.objects.count() == 30
    # a new precinct: classified ahead in vain, made and classified again while publishing
    assert planned[0].startswith("plan") and planned[1:] == ["MainThread"]
    planned.clear()
    # the same parcels again, in a new dataset: nothing changed, nothing to test pair by pair
    same = make_dataset("parcels")
    v = services.version_import(
        dataset=same,
        path=write_geojson(tmp_path / "b.geojson", parcel_features(range(30))),
        source_name="b.geojson",
    )
    ov = v.quality["checks"]["overlaps"]
    assert v.status == "ready" and ov["mode"] == "changed" and ov["checked_features"] == 0
    assert v.quality["published"] == {"added": 0, "changed": 0, "removed": 0}
    # the spine holds the first version exactly (published from it, nothing written since):
    # the rows are classified from what changed, not by joining the spine whole
    assert planned == []
    # a copy of a parcel under another number overlaps it wholly, though its geometry is
    # unchanged from the earlier version; a shifted parcel overlaps its neighbour
    feats = parcel_features(range(30))
    copy = parcel_features([3])[0]
    copy["properties"]["identifier"] = f"{UNIT}.0001.99"
    feats[5]["geometry"]["coordinates"] = square(X0 + 5 * 25 + 10, Y0)
    # and a parcel under a malformed number, its geometry unchanged: its key is tested
    feats[20]["properties"]["identifier"] = "działka 21"
    v = services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "c.geojson", [*feats, copy]),
        source_name="c.geojson",
    )
    ov = v.quality["checks"]["overlaps"]
    assert ov["mode"] == "changed" and ov["checked_features"] == 4
    keys = v.quality["checks"]["invalid_keys"]
    assert keys["count"] == 1 and keys["items"] == [{"fid": 21, "key": "działka 21"}]
    assert v.quality["checks"]["outside_city"]["count"] == 0
    # the city changes: every feature is tested against it again (most now lie outside)
    from miasto.territory.models import City

    City.objects.update(
        geom=f"SRID=2180;MULTIPOLYGON((({X0 - 10} {Y0 - 10}, {X0 + 30} "
        f"{Y0 - 10}, {X0 + 30} {Y0 + 30}, {X0 - 10} {Y0 + 30}, {X0 - 10} {Y0 - 10})))"
    )
    v = services.version_import(
        dataset=same,
        path=write_geojson(tmp_path / "d.geojson", parcel_features(range(30))),
        source_name="d.geojson",
    )
    out = v.quality["checks"]["outside_city"]
    assert v.quality["checks"]["overlaps"]["checked_features"] == 0
    assert out["count"] == 26 and out["items"][:2] == [3, 4]
    assert {(o["a"], o["b"], o["area"]) for o in ov["items"]} == {
        (4, 31, 625.0),
        (6, 7, 250.0),
    }
    assert v.status == "rejected" and Parcel.objects.count() == 30


def test_full_check_on_request(city, make_dataset, tmp_path):
    services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "a.geojson", parcel_features(range(12))),
        source_name="a.geojson",
    )
    v = services.version_import(
        dataset=make_dataset("parcels", quality_rules={"incremental_check": False}),
        path=write_geojson(tmp_path / "b.geojson", parcel_features(range(12))),
        source_name="b.geojson",
    )
    assert v.quality["checks"]["overlaps"]["mode"] == "edges"


def test_stale_plan_is_not_used(city, make_dataset, tmp_path):
    v = services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "a.geojson", parcel_features(range(5))),
        source_name="a.geojson",
    )
    target = get_target("parcels")
    mapping = v.quality["mapping"]
    ahead = target.plan_ahead(v.table_name, mapping)
    assert ahead is not None
    plan = ahead.result()
    assert plan is not None
    # the spine changes after the rows were classified (nothing to do, then)
    Parcel.objects.filter(identifier=f"{UNIT}.0001.2").update(land_use="X")
    with transaction.atomic():
        counts = target.publish(v.table_name, mapping, PublishOptions(plan=plan))
    assert counts == {"added": 0, "changed": 1, "removed": 0}
    assert Parcel.objects.get(identifier=f"{UNIT}.0001.2").land_use == "B"
    # an unchanged spine: the plan holds; a column the report found filled is not checked
    plan = target.plan_ahead(v.table_name, mapping).result()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        counts = target.publish(
            v.table_name, mapping, PublishOptions(plan=plan, passed={"filled:identifier"})
        )
    assert counts == {"added": 0, "changed": 0, "removed": 0}
    assert not [q for q in queries if '"identifier" IS NULL' in q["sql"]]
    assert not [q for q in queries if "FULL JOIN" in q["sql"]]
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE {plan.table}")


def test_no_plan_ahead_for_new_precincts_and_bad_fields_refused(
    city, make_dataset, tmp_path, planned
):
    feats = parcel_features(range(4))
    feats[0]["properties"]["identifier"] = f"{UNIT}.0002.1"
    for f in feats:
        f["properties"]["nr"] = f["properties"]["identifier"]
    feats[1]["properties"]["nr"] = None
    v = services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "a.geojson", feats),
        source_name="a.geojson",
    )
    # the precinct is made while publishing, and the rows are classified there
    assert v.status == "ready", v.error
    assert Precinct.objects.filter(unit=UNIT, code="0002").exists()
    assert Parcel.objects.filter(identifier=f"{UNIT}.0002.1").exists()
    assert planned[0].startswith("plan") and planned[1:] == ["MainThread"]
    # a required field left empty (no precinct either: nothing classified ahead); publishing
    # says what is wrong, the quality report not vouching for that column
    target = get_target("parcels")
    assert target.plan_ahead(v.table_name, {"identifier": "nr"}).result() is None
    missing = "Obiekt nr 2: brak wartości wymaganego pola „identifier”"
    with pytest.raises(JobError, match=missing), transaction.atomic():
        target.publish(v.table_name, {"identifier": "nr"})
    assert Parcel.objects.filter(identifier=f"{UNIT}.0002.1").exists()


def _ring(x0: float, y0: float, size: float, step: float) -> list[list[float]]:
    """A square ring with a vertex every ``step`` metres (many vertices: a big parcel)."""
    n = int(size / step)
    pts = [[x0 + i * step, y0] for i in range(n)]
    pts += [[x0 + size, y0 + i * step] for i in range(n)]
    pts += [[x0 + size - i * step, y0 + size] for i in range(n)]
    pts += [[x0, y0 + size - i * step] for i in range(n)]
    return [*pts, pts[0]]


def _road_and_lots(shift: float = 0.0, shifted: tuple[int, ...] = (0,)) -> list[dict]:
    road = {
        "type": "Feature",
        "properties": {"identifier": f"{UNIT}.0001.1000", "land_use": "dr"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [_ring(X0, Y0, 150, 1.0), _ring(X0 + 25, Y0 + 25, 100, 1.0)[::-1]],
        },
    }
    lots = parcel_features(range(16))
    for n, lot in enumerate(lots):
        x, y = X0 + 25 + (n % 4) * 25, Y0 + 25 + (n // 4) * 25
        lot["geometry"]["coordinates"] = square(x - (shift if n in shifted else 0), y)
    return [road, *lots]


def test_big_parcels_tested_on_the_spines_pieces(city, make_dataset, tmp_path, monkeypatch):
    from miasto.core.sql import as_text
    from miasto.datahub.quality import pieces as quality

    v = services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "a.geojson", _road_and_lots()),
        source_name="a.geojson",
    )
    assert v.status == "ready" and v.quality["checks"]["overlaps"]["count"] == 0
    with connection.cursor() as cur:  # the spine keeps the road cut into pieces
        cur.execute("SELECT count(*) FROM territory_parcel_piece")
        assert cur.fetchone()[0] > 1
    reused: list[int] = []
    run = quality.execute

    def spy(sql, params=None):  # type: ignore[no-untyped-def]
        n = run(sql, params)
        if "FROM _reuse r JOIN territory_parcel_piece" in as_text(sql):
            reused.append(n)
        return n

    monkeypatch.setattr(quality, "execute", spy)
    # a lot moved 5 m onto the road: 5 × 25 m² over it, found on the spine's pieces
    v = services.version_import(
        dataset=make_dataset("parcels"),
        path=write_geojson(tmp_path / "b.geojson", _road_and_lots(shift=5.0)),
        source_name="b.geojson",
    )
    ov = v.quality["checks"]["overlaps"]
    assert ov["mode"] == "changed" and ov["checked_features"] == 1
    assert [(o["a"], o["b"], o["area"]) for o in ov["items"]] == [(1, 2, 125.0)]
    assert reused and reused[0] > 1


def test_pairs_tested_in_halves(city, make_dataset, tmp_path, monkeypatch):
    """Many candidate pairs are tested in two halves, one on a connection of its own: the
    same overlaps are found, in every mode."""
    from miasto.datahub.quality import overlaps as quality

    monkeypatch.setattr(quality, "SPLIT_PAIRS", 0)
    beside: list[str] = []
    run = quality.run_beside

    def spy(work, name="beside"):  # type: ignore[no-untyped-def]
        beside.append(name)
        return run(work, name)

    monkeypatch.setattr(quality, "run_beside", spy)
    # the lots of the left column moved 5 m onto the road: four overlaps, in either half
    feats = _road_and_lots(shift=5.0, shifted=(0, 4, 8, 12))
    first = services.version_import(
        dataset=make_dataset("parcels", quality_rules={"max_parcel_overlaps": None}),
        path=write_geojson(tmp_path / "a.geojson", feats),
        source_name="a.geojson",
    )
    ov = first.quality["checks"]["overlaps"]
    assert ov["mode"] == "edges" and "pairs" in beside
    assert sorted((o["a"], o["b"], o["area"]) for o in ov["items"]) == [
        (1, n, 125.0) for n in (2, 6, 10, 14)
    ]
