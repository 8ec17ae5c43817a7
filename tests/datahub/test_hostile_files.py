"""Hostile uploads (security issue #12, findings 1 and 8): refused with a Polish message,
nothing written, no request made.

* an OGR VRT reading our database (``PG:`` + ``SrcSQL``) or an internal URL (``/vsicurl/``)
  disguised under every allowed extension, and inside a ZIP;
* GML/KML/GeoJSON pointing at a local HTTP server: the import makes no request;
* a GeoPackage whose view or trigger calls SQL functions;
* a ZIP bomb of many highly compressible entries: refused before anything is written.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from miasto.core.models import Job
from miasto.datahub import files, services
from miasto.datahub.files import UnsafeFile
from tests.core.hostile import (
    geojson_crs_link,
    geopackage,
    gml,
    http_trap,  # noqa: F401 — fixture
    kml,
    vrt_curl,
    vrt_pg,
    zip_of,
)
from tests.datahub.conftest import data_tables
from tests.datahub.test_api_permissions import hub, steward_of  # noqa: F401
from tests.datahub.test_bad_input import fails, previous  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "VRT|nie pasuje do rozszerzenia|to nie jest"


@pytest.mark.parametrize(
    "name",
    [
        "dane.gml",
        "dane.xml",
        "dane.kml",
        "dane.geojson",
        "dane.json",
        "dane.geojsonl",
        "dane.csv",
        "dane.gpkg",
    ],
)
def test_vrt_reading_our_database_is_refused(previous, tmp_path, name):  # noqa: F811
    path = tmp_path / name
    path.write_bytes(vrt_pg(dbname=_test_db()))
    message = fails(previous, path, name, REFUSED, UnsafeFile)
    assert "miasto" not in message and "rolsuper" not in message


@pytest.mark.parametrize(
    "entries",
    [
        {"dane.shp": "vrt", "dane.shx": b"\x00" * 100, "dane.dbf": b"\x00" * 100},
        {"dane.gml": "vrt"},
        {"dane.geojson": "vrt"},
        {"dane.kml": "vrt"},
        {"dane.csv": "vrt"},
        {"dane.gpkg": "vrt"},
    ],
    ids=["shp", "gml", "geojson", "kml", "csv", "gpkg"],
)
def test_vrt_inside_a_zip_is_refused(previous, tmp_path, entries):  # noqa: F811
    content = {k: (vrt_pg(dbname=_test_db()) if v == "vrt" else v) for k, v in entries.items()}
    path = tmp_path / "dane.zip"
    path.write_bytes(zip_of(content))
    fails(previous, path, "dane.zip", REFUSED, UnsafeFile)


def test_vrt_fetching_an_internal_url_is_refused_without_a_request(previous, tmp_path, http_trap):  # noqa: F811
    for name in ("a.gml", "a.kml"):
        path = tmp_path / name
        path.write_bytes(vrt_curl(http_trap.url))
        fails(previous, path, name, REFUSED, UnsafeFile)
    assert http_trap.requests == []


def test_gml_with_remote_links_imports_without_a_request(previous, tmp_path, http_trap):  # noqa: F811
    """A real GML whose xlink:href and schemaLocation point at the server: imported, and the
    server saw nothing (GDAL resolves no link and downloads no schema)."""
    path = tmp_path / "pomniki.gml"
    path.write_bytes(gml(href=f"{http_trap.url}/inne.gml#x", schema=f"{http_trap.url}/s.xsd"))
    version = services.version_import(
        dataset=previous.dataset, path=path, source_name="pomniki.gml"
    )
    assert version.feature_count == 2
    assert http_trap.requests == []


@pytest.mark.parametrize("where", ["href", "schema"])
def test_gml_pointing_at_a_local_file_is_refused(previous, tmp_path, where):  # noqa: F811
    path = tmp_path / "a.gml"
    path.write_bytes(gml(**{where: "/etc/passwd"}))
    fails(previous, path, "a.gml", "lokaln", UnsafeFile)


def test_kml_network_link_imports_without_a_request(previous, tmp_path, http_trap):  # noqa: F811
    path = tmp_path / "a.kml"
    path.write_bytes(kml(f"{http_trap.url}/siec.kml"))
    version = services.version_import(dataset=previous.dataset, path=path, source_name="a.kml")
    assert version.feature_count == 1
    assert http_trap.requests == []


def test_geojson_crs_link_is_refused_without_a_request(previous, tmp_path, http_trap):  # noqa: F811
    path = tmp_path / "a.geojson"
    path.write_bytes(geojson_crs_link(http_trap.url))
    fails(previous, path, "a.geojson", "crs typu „link”", UnsafeFile)
    assert http_trap.requests == []


@pytest.mark.parametrize(
    "statements",
    [
        [
            "CREATE TRIGGER t AFTER INSERT ON pomniki BEGIN "
            "SELECT load_extension('/tmp/evil.so'); END"
        ],
        [
            "CREATE VIEW v AS SELECT fid, geom, ogr_datasource_load_layers('PG:dbname=miasto') "
            "AS x FROM pomniki",
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('v', 'features', 'v', 4326)",
        ],
    ],
    ids=["trigger", "view"],
)
def test_geopackage_calling_functions_is_refused(previous, tmp_path, statements):  # noqa: F811
    path = geopackage(tmp_path / "a.gpkg", *statements)
    fails(previous, path, "a.gpkg", "wywołujący funkcje SQL", UnsafeFile)


def test_a_plain_geopackage_still_imports(previous, tmp_path):  # noqa: F811
    path = geopackage(tmp_path / "a.gpkg")
    version = services.version_import(dataset=previous.dataset, path=path, source_name="a.gpkg")
    assert version.feature_count == 1


# --------------------------------------------------------------------------- ZIP bomb (finding 8)


def _bomb(path: Path, entries: int = 100, size: int = 1024 * 1024) -> Path:
    """``entries`` .dbf files of ``size`` bytes, each compressing about 150×: under the
    per-file ratio, but together far more than the archive may expand to."""
    noise = os.urandom(size // 170)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(entries):
            zf.writestr(f"warstwa{i}.dbf", noise + bytes(size - len(noise)))
    return path


def test_zip_of_many_compressible_entries_is_refused_before_writing(tmp_path):
    path = _bomb(tmp_path / "bomba.zip")
    with zipfile.ZipFile(path) as zf:
        declared = sum(i.file_size for i in zf.infolist())
        assert all(i.file_size / i.compress_size < 200 for i in zf.infolist())
    assert declared > files.unzip_limit(path.stat().st_size)
    target = tmp_path / "out"
    with pytest.raises(UnsafeFile, match="bomba ZIP"):
        files.safe_extract(path, target)
    assert not target.exists() or not any(p.is_file() for p in target.rglob("*"))


def test_zip_total_is_counted_while_extracting(tmp_path):
    """The written bytes, summed over all entries, stop the extraction at the limit (whatever
    the archive declares), and a refused archive leaves nothing behind."""
    path = _bomb(tmp_path / "bomba.zip", entries=10)
    target = tmp_path / "out"
    with zipfile.ZipFile(path) as zf, pytest.raises(UnsafeFile, match="bomba ZIP"):
        files._extract(zf, zf.infolist(), target, limit=3 * 1024 * 1024 + 10)
    written = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    assert 0 < written <= 3 * 1024 * 1024 + 10
    # an archive failing half-way (the second entry is corrupt): nothing left behind
    data = bytearray(zip_of({"a.gml": gml(), "b.gml": gml() * 50}))
    second = data.find(b"b.gml") + len(b"b.gml") + 40
    data[second : second + 20] = b"\xff" * 20
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(data))
    fresh = tmp_path / "fresh"
    with pytest.raises(UnsafeFile, match="uszkodzone"):
        files.safe_extract(broken, fresh)
    assert not fresh.exists()


def test_zip_bomb_upload_leaves_nothing(previous, tmp_path):  # noqa: F811
    path = _bomb(tmp_path / "bomba.zip")
    fails(previous, path, "bomba.zip", "bomba ZIP", UnsafeFile)


def test_zip_skips_files_it_does_not_need(tmp_path):
    """Only the files a layer is made of are written; anything else stays in the archive."""
    path = tmp_path / "a.zip"
    path.write_bytes(zip_of({"a.gml": gml(), "film.mp4": b"\x00" * 10_000, "x.exe": b"MZ"}))
    written = files.safe_extract(path, tmp_path / "out")
    assert [p.name for p in written] == ["a.gml"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.gml"]


# --------------------------------------------------------------------------- the upload form


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("pomniki.gml", vrt_pg(), "plik wirtualny GDAL (VRT)"),
        ("pomniki.kml", vrt_pg(), "plik wirtualny GDAL (VRT)"),
        ("pomniki.geojson", vrt_pg(), "nie pasuje do rozszerzenia"),
        ("pomniki.zip", zip_of({"pomniki.gml": vrt_pg()}), "plik wirtualny GDAL (VRT)"),
        ("pomniki.gml", gml(href="/etc/passwd"), "odwołanie do pliku lokalnego"),
    ],
    ids=["gml", "kml", "geojson", "zip", "local-href"],
)
def test_steward_upload_of_a_hostile_file_answers_in_polish(
    client,
    make_user,
    hub,  # noqa: F811
    name,
    content,
    message,
    settings,
    tmp_path,
):
    settings.MIASTO_WORK_DIR = tmp_path / "work"
    client.force_login(steward_of(make_user, hub["env"]))
    tables = data_tables()
    r = client.post(
        "/dane/drzewa-public/import/",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert message in body and "current_user" not in body
    assert Job.objects.count() == 0
    assert hub["datasets"]["public"].versions.count() == 1
    assert data_tables() == tables


def _test_db() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def test_inspect_upload_steps_alone(tmp_path):  # type: ignore[no-untyped-def]
    """The checks of :func:`files.inspect_upload`, one at a time: the extension, the first
    bytes against it, a ZIP's layer."""
    assert files._format_of("a.GeoJSON") == (".geojson", "geojson", "GeoJSON")
    with pytest.raises(files.UnsafeFile, match="Nieobsługiwane rozszerzenie „.exe”"):
        files._format_of("a.exe")
    files._check_head(b"\xef\xbb\xbf  {", "geojson", ".geojson")
    with pytest.raises(files.UnsafeFile, match="to nie jest GeoPackage"):
        files._check_head(b"PK\x03\x04", "gpkg", ".gpkg")
    with pytest.raises(files.UnsafeFile, match="Shapefile należy przesłać jako archiwum ZIP"):
        files._check_head(b"", "shp", ".shp")
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("dane/a.shp", b"x")
        out.writestr("dane/a.dbf", b"x")
    with pytest.raises(files.UnsafeFile, match="brakuje pliku a.shx"):
        files._zip_layer(archive, tmp_path / "work")
