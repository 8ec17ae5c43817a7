"""Imports of every format into generic and spine targets; versions and provenance."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from miasto.core.jobs import JobError, job_enqueue, job_run
from miasto.core.models import AuditEntry, Job
from miasto.datahub import services
from miasto.datahub.models import DatasetVersion
from miasto.territory.models import Parcel, Precinct
from tests.datahub.conftest import (
    CRS2180,
    PRECINCT,
    UNIT,
    X0,
    Y0,
    data_tables,
    parcel_features,
    to_format,
    write_geojson,
)

pytestmark = pytest.mark.django_db(transaction=True)


def points(n: int = 3) -> list[dict]:
    return [
        {
            "type": "Feature",
            "properties": {"nazwa": f"Drzewo {i}", "gatunek": "lipa", "obwod": 100 + i},
            "geometry": {"type": "Point", "coordinates": [X0 + 10 * i, Y0 + 5 * i]},
        }
        for i in range(n)
    ]


def check_points(version: DatasetVersion, n: int = 3) -> None:
    assert version.status == "ready", version.error
    assert version.is_current
    assert version.feature_count == n
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM {version.table_name} ORDER BY fid"
        )
        rows = cur.fetchall()
    assert rows[0][2] == 2180
    assert abs(rows[0][0] - X0) < 1 and abs(rows[0][1] - Y0) < 1, rows[0]


def test_geojson_generic_with_provenance(city, make_dataset, tmp_path, work_dir, make_user):
    user = make_user("data_steward") if False else None
    path = write_geojson(tmp_path / "drzewa.geojson", points())
    ds = make_dataset()
    v = services.version_import(dataset=ds, path=path, source_name="drzewa.geojson", user=user)
    check_points(v)
    assert v.number == 1
    assert v.format == "geojson"
    assert v.source_crs == "EPSG:2180"
    assert v.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert v.geometry_type == "Point"
    assert {a["name"] for a in v.attributes} == {"nazwa", "gatunek", "obwod"}
    assert v.duration is not None and v.finished_at is not None
    assert v.quality["score"] == v.quality_score > 90
    assert list(work_dir.iterdir()) == []  # temp files removed
    assert data_tables() == [f"v{v.pk}"]
    # a second import: a new version, the first kept and no longer current
    v2 = services.version_import(dataset=ds, path=path, source_name="drzewa.geojson")
    assert v2.number == 2 and v2.is_current
    v.refresh_from_db()
    assert not v.is_current and v.status == "ready"
    assert sorted(data_tables()) == sorted([f"v{v.pk}", f"v{v2.pk}"])


def test_geopackage_wgs84_transformed(city, make_dataset, tmp_path):
    src = write_geojson(tmp_path / "p.geojson", points(), crs=CRS2180)
    gpkg = to_format(src, tmp_path / "drzewa.gpkg", "GPKG", "-t_srs", "EPSG:4326")
    v = services.version_import(dataset=make_dataset(), path=gpkg, source_name="drzewa.gpkg")
    check_points(v)
    assert v.source_crs == "EPSG:4326" and v.format == "gpkg"


def test_geojsonseq(city, make_dataset, tmp_path):
    src = write_geojson(tmp_path / "p.geojson", points(), crs=CRS2180)
    seq = to_format(src, tmp_path / "drzewa.geojsonl", "GeoJSONSeq", "-t_srs", "EPSG:4326")
    v = services.version_import(dataset=make_dataset(), path=seq, source_name="drzewa.geojsonl")
    check_points(v)


def test_csv_wkt_declared_pl2000(city, make_dataset, tmp_path):
    # EPSG:2177 (PL-2000 zone 6) written easting first, as CSV files are
    src = write_geojson(tmp_path / "p.geojson", points(), crs=CRS2180)
    csv = to_format(
        src, tmp_path / "drzewa.csv", "CSV", "-t_srs", "EPSG:2177", "-lco", "GEOMETRY=AS_WKT"
    )
    text = csv.read_text()
    assert text.startswith("WKT,")
    v = services.version_import(
        dataset=make_dataset(), path=csv, source_name="drzewa.csv", crs="EPSG:2177"
    )
    check_points(v)
    assert v.source_crs == "EPSG:2177"
    assert "wkt" not in {a["name"] for a in v.attributes}
    # without --crs the zone is recognised from the coordinates
    v2 = services.version_import(dataset=v.dataset, path=csv, source_name="drzewa.csv")
    assert v2.source_crs == "EPSG:2177" and v2.status == "ready"


def test_csv_lon_lat(city, make_dataset, tmp_path):
    pt = Point(X0, Y0, srid=2180)
    pt.transform(4326)
    rows = ["nazwa;lat;lon"] + [f"Punkt {i};{pt.y + i * 1e-5:.8f};{pt.x:.8f}" for i in range(3)]
    path = tmp_path / "punkty.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    v = services.version_import(dataset=make_dataset(), path=path, source_name="punkty.csv")
    check_points(v)
    assert v.source_crs == "EPSG:4326"
    assert [a["name"] for a in v.attributes] == ["nazwa"]


def test_csv_cp1250_semicolons_decimal_commas(city, make_dataset, tmp_path):
    """A CSV as Excel saves it on a Polish Windows: CP1250, semicolons, decimal commas."""
    pt = Point(X0, Y0, srid=2180)
    pt.transform(4326)
    rows = ["nazwa;opis;lat;lon"] + [
        f'Źródło {i};"ul. Łąkowa {i}; parter";'
        + f"{pt.y + i * 1e-5:.8f};{pt.x:.8f}".replace(".", ",")
        for i in range(3)
    ]
    path = tmp_path / "punkty.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1250"))
    v = services.version_import(dataset=make_dataset(), path=path, source_name="punkty.csv")
    check_points(v)
    with connection.cursor() as cur:
        cur.execute(f"SELECT nazwa, opis FROM {v.table_name} ORDER BY fid")
        assert cur.fetchall()[0] == ("Źródło 0", "ul. Łąkowa 0; parter")
    # neither UTF-8 nor CP1250 (0x98 is undefined there): a clear refusal
    path.write_bytes(b"nazwa;lat;lon\r\nA\x98;51,7;19,4\r\n")
    with pytest.raises(JobError, match="ani w UTF-8, ani w CP1250"):
        services.version_import(dataset=v.dataset, path=path, source_name="punkty.csv")


def test_shapefile_zip_cp1250_without_cpg(city, make_dataset, tmp_path):
    feats = points()
    feats[0]["properties"]["nazwa"] = "Źródło żółwia"
    src = write_geojson(tmp_path / "p.geojson", feats)
    shpdir = tmp_path / "shp"
    shpdir.mkdir()
    to_format(src, shpdir / "drzewa.shp", "ESRI Shapefile", "-lco", "ENCODING=CP1250")
    (shpdir / "drzewa.cpg").unlink()
    # clear the language driver byte too: an old file that says nothing about its encoding
    dbf = shpdir / "drzewa.dbf"
    data = bytearray(dbf.read_bytes())
    data[29] = 0
    dbf.write_bytes(bytes(data))
    assert "Źródło".encode("cp1250") in data
    archive = tmp_path / "drzewa.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in shpdir.iterdir():
            zf.write(p, p.name)
    v = services.version_import(dataset=make_dataset(), path=archive, source_name="drzewa.zip")
    check_points(v)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT nazwa FROM {v.table_name} ORDER BY fid LIMIT 1")
        assert cur.fetchone()[0] == "Źródło żółwia"


def test_gml32_epsg2180_northing_first(city, make_dataset, tmp_path):
    # GML 3.2 with an EPSG URN: coordinates in the CRS axis order (northing, easting)
    members = "".join(
        f'<gml:featureMember><ms:dzialka gml:id="d{i}"><ms:identifier>{UNIT}.{PRECINCT}.{i + 1}'
        f'</ms:identifier><ms:geom><gml:Polygon gml:id="p{i}" srsName="urn:ogc:def:crs:EPSG::2180">'
        f"<gml:exterior><gml:LinearRing><gml:posList>{Y0} {X0 + 30 * i} {Y0} {X0 + 30 * i + 25} "
        f"{Y0 + 25} {X0 + 30 * i + 25} {Y0 + 25} {X0 + 30 * i} {Y0} {X0 + 30 * i}</gml:posList>"
        f"</gml:LinearRing></gml:exterior></gml:Polygon></ms:geom></ms:dzialka></gml:featureMember>"
        for i in range(3)
    )
    gml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gml:FeatureCollection '
        'xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:ms="http://example.com/ms" gml:id="fc">'
        f"{members}</gml:FeatureCollection>"
    )
    path = tmp_path / "dzialki.gml"
    path.write_text(gml, encoding="utf-8")
    ds = make_dataset("parcels")
    v = services.version_import(dataset=ds, path=path, source_name="dzialki.gml")
    assert v.status == "ready", v.error
    assert not list(tmp_path.glob("*.gfs"))  # GDAL's side file went to the work dir
    p = Parcel.objects.get(identifier=f"{UNIT}.{PRECINCT}.1")
    x0, y0, x1, y1 = p.geom.extent
    assert (round(x0), round(y0), round(x1), round(y1)) == (X0, Y0, X0 + 25, Y0 + 25)


def test_kml(city, make_dataset, tmp_path):
    src = write_geojson(tmp_path / "p.geojson", points())
    kml = to_format(src, tmp_path / "drzewa.kml", "KML")
    v = services.version_import(dataset=make_dataset(), path=kml, source_name="drzewa.kml")
    check_points(v)
    assert v.source_crs == "EPSG:4326"


def test_parcels_version_updates_spine(city, make_dataset, tmp_path):
    ds = make_dataset("parcels")
    v1_path = write_geojson(tmp_path / "v1.geojson", parcel_features(range(10)))
    v1 = services.version_import(dataset=ds, path=v1_path, source_name="v1.geojson")
    assert v1.status == "ready", v1.error
    assert Parcel.objects.count() == 10
    precinct = Precinct.objects.get(unit=UNIT, code=PRECINCT)  # created from the parcels
    assert round(precinct.geom.area) == 10 * 625
    p1 = Parcel.objects.get(identifier=f"{UNIT}.{PRECINCT}.1")
    assert p1.number == "1" and float(p1.area) == 625.0 and p1.precinct == precinct
    # v2: parcel 1 changes land use, parcel 10 disappears, parcels 11–12 are new
    feats = parcel_features(range(9)) + parcel_features(range(10, 12))
    feats[0]["properties"]["land_use"] = "Bi"
    v2_path = write_geojson(tmp_path / "v2.geojson", feats)
    v2 = services.version_import(dataset=ds, path=v2_path, source_name="v2.geojson")
    assert v2.status == "ready", v2.error
    assert v2.quality["published"] == {"added": 2, "changed": 1, "removed": 1}
    ids = set(Parcel.objects.values_list("identifier", flat=True))
    assert f"{UNIT}.{PRECINCT}.10" not in ids and f"{UNIT}.{PRECINCT}.12" in ids
    assert Parcel.objects.get(pk=p1.pk).land_use == "Bi"  # updated in place
    assert AuditEntry.objects.filter(model="territory.parcel", action="bulk_load").count() == 2


def test_parcels_mapping_and_removed_parcel_detached(city, make_dataset, tmp_path):
    from tests.territory.factories import BuildingFactory

    feats = parcel_features(range(3))
    for f in feats:
        f["properties"] = {"ID_DZIALKI": f["properties"]["identifier"], "uzytek": "R"}
    path = write_geojson(tmp_path / "egib.geojson", feats)
    ds = make_dataset("parcels", field_mapping={"identifier": "ID_DZIALKI", "land_use": "uzytek"})
    v = services.version_import(dataset=ds, path=path, source_name="egib.geojson")
    assert v.status == "ready", v.error
    assert set(Parcel.objects.values_list("land_use", flat=True)) == {"R"}
    building = BuildingFactory(parcel=Parcel.objects.get(identifier=f"{UNIT}.{PRECINCT}.3"))
    path2 = write_geojson(tmp_path / "egib2.geojson", feats[:2])
    services.version_import(dataset=ds, path=path2, source_name="egib2.geojson")
    building.refresh_from_db()
    assert building.parcel is None  # SET_NULL emulated by the set-based delete
    assert Parcel.objects.count() == 2


def test_job_handler_reports_progress(city, make_dataset, parcels_geojson):
    ds = make_dataset("parcels")
    job = job_enqueue(
        kind="datahub.import",
        payload={"dataset_id": ds.pk, "path": str(parcels_geojson), "source_name": "d.geojson"},
    )
    job = job_run(job)
    assert job.status == Job.Status.DONE, job.error
    assert job.result["number"] == 1 and job.result["feature_count"] == 20
    assert Job.objects.get(pk=job.pk).progress == 100
    bad = job_enqueue(
        kind="datahub.import",
        payload={"dataset_id": ds.pk, "path": str(parcels_geojson), "source_name": "d.png"},
    )
    bad = job_run(bad)
    assert bad.status == Job.Status.FAILED and "rozszerzenie" in bad.error
