"""Attribute names from files never reach SQL as SQL (security issue #12, finding 3).

Two versions of a GeoJSON whose properties are named with quotes, ``%``, ``;``, ``--``,
braces, reserved words, unicode, case twins, an empty name and names longer than PostgreSQL's
63 bytes go through the real import (``ogr2ogr`` into PostGIS, the quality check), then through
every read path: the diff API and page, the exports, the tiles and the layer's feature list,
the dataset page's attribute table, the features API, the quality report. Nothing answers 500,
nothing in a name is executed, the names are the fields' names, and the values come back.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from miasto.datahub import services
from miasto.datahub.models import DATA_SCHEMA
from tests.datahub.conftest import X0, Y0, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)

#: a name that, spliced into SQL unquoted, runs a subselect with an observable effect: it
#: raises (a division by zero: the table it counts is empty), so the request would fail
RAISES = 'a",(select/**/1/count(*)/**/from/**/datahub_data.pwned),"b'
SLEEPS = 'a",(select/**/pg_sleep(3))::text,"b'
LONG_A = "Działka-" + "x" * 60 + "_pierwsza"
LONG_B = "działka_" + "x" * 60 + "_druga"
#: property name → the column it becomes (GDAL's laundering: lower case ASCII, ``-#'`` → ``_``)
NAMES = {
    "id": "id",
    SLEEPS: SLEEPS,
    RAISES: RAISES,
    'b"c': 'b"c',
    "a%s": "a%s",
    "%(x)s": "%(x)s",
    "100%": "100%",
    "{}": "{}",
    "semi;colon": "semi;colon",
    "dash--dash": "dash__dash",
    "x; DROP TABLE datahub_dataset; --": "x; drop table datahub_dataset; __",
    "ulica_Łódź": "ulica_Łódź",
    "select": "select",
    "order": "order",
    "user": "user",
    "Name": "name",
    "name": "name2",  # (a case twin gets a number, as GDAL does)
}


def props(n: int, version: int) -> dict[str, Any]:
    values = {name: f"w{n}.{version}.{i}" for i, name in enumerate(NAMES)}
    values["id"] = f"K{n}"
    values[""] = f"pusta-{n}-{version}"
    values[LONG_A] = f"A{n}-{version}"
    values[LONG_B] = f"B{n}-{version}"
    return values


def features(version: int) -> list[dict[str, Any]]:
    """Points 0–4; version 2 changes feature 1 and adds feature 6."""
    out = []
    for n in range(5) if version == 1 else [0, 1, 2, 3, 4, 6]:
        geometry = {"type": "Point", "coordinates": [X0 + 10 * n, Y0 + 10]}
        values = props(n, 2 if version == 2 and n in (1, 6) else 1)
        out.append({"type": "Feature", "properties": values, "geometry": geometry})
    return out


@pytest.fixture
def hostile(tmp_path: Path, city: Any, make_dataset: Any) -> dict[str, Any]:
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {DATA_SCHEMA}.pwned (n integer)")
    dataset = make_dataset(slug="wrogie-nazwy", key_field="id", access="public")
    versions = []
    for v in (1, 2):
        path = write_geojson(tmp_path / f"wrogie{v}.geojson", features(v))
        versions.append(services.version_import(dataset=dataset, path=path, source_name=path.name))
    return {"dataset": dataset, "versions": versions}


def pwned_rows() -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {DATA_SCHEMA}.pwned")
        return int(cur.fetchone()[0])


def test_import_keeps_every_name(hostile: dict[str, Any]) -> None:
    v1, v2 = hostile["versions"]
    assert v1.status == v2.status == "ready"
    assert v2.is_current
    names = [a["name"] for a in v2.attributes]
    for column in NAMES.values():
        assert column in names
    labels = {a.get("label", a["name"]) for a in v2.attributes}
    assert {"", LONG_A, LONG_B} <= labels  # (columns of their own, the names kept as labels)
    assert len(set(names)) == len(names)
    assert all(len(n.encode()) <= 63 and n for n in names)
    report = v2.quality
    assert set(report["completeness"]) == set(names)
    assert all(share == 1.0 for share in report["completeness"].values())
    assert report["key_columns"] == ["id"]


def test_diff_api_and_page(client: Any, hostile: dict[str, Any]) -> None:
    r = client.get("/api/v1/datasets/wrogie-nazwy/diff", {"from": 1, "to": 2})
    assert r.status_code == 200, r.content[:300]
    diff = r.json()
    assert diff["by"] == "key"
    assert diff["counts"] == {"added": 1, "removed": 0, "changed": 1, "unchanged": 4}
    assert [i["key"] for i in diff["added"]] == ["K6"]
    assert [i["key"] for i in diff["changed"]] == ["K1"]
    page = client.get("/dane/wrogie-nazwy/roznice/", {"od": 1, "do": 2})
    assert page.status_code == 200
    assert "K6" in page.content.decode()
    assert pwned_rows() == 0


def test_features_api_and_attribute_table(client: Any, hostile: dict[str, Any]) -> None:
    r = client.get("/api/v1/datasets/wrogie-nazwy/versions/2/features", {"limit": 10})
    assert r.status_code == 200, r.content[:300]
    body = r.json()
    columns = body["columns"]
    for column in NAMES.values():
        assert column in columns
    assert set(body["labels"].values()) == {"", LONG_A, LONG_B, "name"}
    row = dict(zip(columns, body["rows"][0], strict=True))
    expected = props(0, 1)
    for name, column in NAMES.items():
        assert row[column] == expected[name]
    page = client.get("/dane/wrogie-nazwy/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("b&quot;c", "a%s", "%(x)s", "ulica_Łódź", "semi;colon", LONG_A, "K0"):
        assert text in html
    assert "(bez nazwy)" in html or "(no name)" in html
    quality = client.get("/dane/wrogie-nazwy/wersje/2/jakosc/")
    assert quality.status_code == 200
    assert "ulica_Łódź" in quality.content.decode()


def test_exports_round_trip(client: Any, hostile: dict[str, Any]) -> None:
    r = client.get("/api/v1/datasets/wrogie-nazwy/download", {"format": "geojson"})
    assert r.status_code == 200
    doc = json.loads(b"".join(r.streaming_content))
    first = min(doc["features"], key=lambda f: f["properties"]["id"])["properties"]
    expected = props(0, 1)
    for name, column in NAMES.items():
        assert first[column] == expected[name]
    r = client.get("/api/v1/datasets/wrogie-nazwy/download", {"format": "csv"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[0]["a%s"] == expected["a%s"] and rows[0]['b"c'] == expected['b"c']
    for fmt in ("gpkg", "shp"):
        r = client.get("/api/v1/datasets/wrogie-nazwy/download", {"format": fmt})
        assert r.status_code == 200
        assert len(b"".join(r.streaming_content)) > 100


def test_tiles_and_feature_list(client: Any, hostile: dict[str, Any]) -> None:
    import mapbox_vector_tile

    from tests.territory.test_api import tile_of

    point = Point(X0, Y0 + 10, srid=2180).transform(4326, clone=True)
    x, y = tile_of(point.x, point.y, 16)
    r = client.get(f"/tiles/ds-wrogie-nazwy/16/{x}/{y}.mvt")
    assert r.status_code == 200
    tile = mapbox_vector_tile.decode(r.content)["ds-wrogie-nazwy"]["features"]
    assert {f["properties"]["id"] for f in tile} >= {"K0", "K6"}
    r = client.get(
        "/api/v1/layers/ds-wrogie-nazwy/features",
        {"bbox": f"{point.x - 0.01},{point.y - 0.01},{point.x + 0.01},{point.y + 0.01}"},
    )
    assert r.status_code == 200, r.content[:300]
    assert {f["id"] for f in r.json()["features"]} >= {"K0", "K6"}
    assert pwned_rows() == 0


def test_no_statement_in_a_name_runs(client: Any, hostile: dict[str, Any]) -> None:
    """The name that would raise (division by zero) if executed is only a name: every read
    path answers, and the table it would write to stays empty."""
    for url in (
        "/api/v1/datasets/wrogie-nazwy/diff?from=1&to=2",
        "/dane/wrogie-nazwy/roznice/?od=1&do=2",
        "/api/v1/datasets/wrogie-nazwy/versions/1/features",
        "/dane/wrogie-nazwy/",
    ):
        assert client.get(url).status_code == 200, url
    assert pwned_rows() == 0
    v2 = hostile["versions"][1]
    with connection.cursor() as cur:
        cur.execute(f'SELECT count(*) FROM {v2.table_name} WHERE "a%%s" LIKE %s', ["%.1.%"])
        assert cur.fetchone()[0] == 4


def test_a_subselect_in_a_name_is_not_run(
    client: Any, tmp_path: Path, city: Any, make_dataset: Any
) -> None:
    """The one hostile name alone: spliced into the diff's SQL it would run its subselect,
    which divides by zero (the diff answered 500 before the names were quoted)."""
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {DATA_SCHEMA}.pwned (n integer)")
    dataset = make_dataset(slug="podzapytanie", key_field="id")
    for v in (1, 2):
        rows = [
            {
                "type": "Feature",
                # ("a" and "b" make the spliced SQL valid: only its subselect can fail)
                "properties": {
                    "id": f"K{n}",
                    "a": 1,
                    RAISES: f"w{n}.{v if n == 1 else 1}",
                    "b": 2,
                    "Nazwa": "duża",  # (case twins, loaded by GDAL itself: nazwa, nazwa2)
                    "nazwa": "mała",
                },
                "geometry": {"type": "Point", "coordinates": [X0 + 10 * n, Y0 + 10]},
            }
            for n in range(3)
        ]
        path = write_geojson(tmp_path / f"p{v}.geojson", rows)
        services.version_import(dataset=dataset, path=path, source_name=path.name)
    r = client.get("/api/v1/datasets/podzapytanie/diff", {"from": 1, "to": 2})
    assert r.status_code == 200, r.content[:300]
    assert r.json()["counts"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 2}
    assert client.get("/dane/podzapytanie/roznice/?od=1&do=2").status_code == 200
    body = client.get("/api/v1/datasets/podzapytanie/versions/2/features").json()
    row = dict(zip(body["columns"], body["rows"][0], strict=True))
    assert (row["nazwa"], row["nazwa2"], row[RAISES]) == ("duża", "mała", "w0.1")


def test_names_a_table_cannot_hold_in_a_geopackage(
    client: Any, tmp_path: Path, city: Any, make_dataset: Any
) -> None:
    """A GeoPackage (its geometry column named, unlike GeoJSON's) with two long names equal
    in their first 63 bytes and an attribute named ``geom``: each gets a column of its own."""
    from tests.datahub.conftest import to_format

    rows = [
        {
            "type": "Feature",
            "properties": {"id": f"K{n}", LONG_A: f"A{n}", LONG_B: f"B{n}", "GEOM": f"g{n}"},
            "geometry": {"type": "Point", "coordinates": [X0 + 10 * n, Y0 + 10]},
        }
        for n in range(3)
    ]
    src = write_geojson(tmp_path / "dlugie.geojson", rows)
    gpkg = to_format(src, tmp_path / "dlugie.gpkg", "GPKG", "-lco", "GEOMETRY_NAME=shape")
    dataset = make_dataset(slug="dlugie-nazwy", key_field="id")
    version = services.version_import(dataset=dataset, path=gpkg, source_name=gpkg.name)
    assert version.status == "ready" and version.geometry_type == "Point"
    labels = {a["name"]: a.get("label") for a in version.attributes}
    assert sorted(v for v in labels.values() if v) == sorted([LONG_A, LONG_B, "GEOM"])
    r = client.get("/api/v1/datasets/dlugie-nazwy/versions/1/features")
    body = r.json()
    by_label = {body["labels"].get(c, c): c for c in body["columns"]}
    row = dict(zip(body["columns"], body["rows"][0], strict=True))
    assert (row[by_label[LONG_A]], row[by_label[LONG_B]], row[by_label["GEOM"]]) == (
        "A0",
        "B0",
        "g0",
    )


def test_names_a_table_cannot_hold_in_a_csv(
    client: Any, tmp_path: Path, city: Any, make_dataset: Any
) -> None:
    """A CSV whose WKT column is named ``geom`` (as the table's geometry), with an ``fid``,
    two long names equal in their first 63 bytes, an empty header and ``a%s``."""
    long = "kolumna_" + "y" * 60
    path = tmp_path / "wrogi.csv"
    path.write_text(
        f'id,geom,{long}_1,{long}_2,fid,,"a%s",select\n'
        f"K1,POINT({X0} {Y0}),p1,d1,f1,e1,s1,w1\n"
        f"K2,POINT({X0 + 10} {Y0}),p2,d2,f2,e2,s2,w2\n",
        encoding="utf-8",
    )
    dataset = make_dataset(slug="wrogi-csv", key_field="id")
    version = services.version_import(
        dataset=dataset, path=path, source_name=path.name, crs="EPSG:2180"
    )
    assert version.status == "ready" and version.feature_count == 2
    labels = {a["name"]: a.get("label") for a in version.attributes}
    assert "geom_1" not in labels  # (the WKT column, dropped once read, as any CSV's)
    assert {v for v in labels.values() if v} == {f"{long}_1", f"{long}_2", "fid"}
    body = client.get("/api/v1/datasets/wrogi-csv/versions/1/features").json()
    by_label = {body["labels"].get(c, c): c for c in body["columns"]}
    row = dict(zip(body["columns"], body["rows"][0], strict=True))
    got = [row[by_label[n]] for n in (f"{long}_1", f"{long}_2", "fid", "field_6", "a%s")]
    assert got == ["p1", "d1", "f1", "e1", "s1"] and row["select"] == "w1"
