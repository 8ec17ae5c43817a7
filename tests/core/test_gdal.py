"""The one safe way GDAL opens user files (security issue #12, finding 1).

Hostile files are built here: an OGR VRT under every allowed extension (reading our database
through ``PG:`` with ``SrcSQL``, or an internal URL through ``/vsicurl/``), GML/KML pointing at
URLs and local files, a GeoJSON whose CRS is a link, GeoPackages whose views and triggers call
SQL functions. A local HTTP server counts the requests: none may come.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from miasto.core import gdal
from tests.core.hostile import (
    geojson_crs_link,
    geopackage,
    gml,
    http_trap,  # noqa: F401 — fixture
    kml,
    vrt_curl,
    vrt_pg,
)

#: an allowed driver for each extension a VRT may hide under
UNDER = {
    ".gml": "GML",
    ".xml": "GML",
    ".kml": "KML",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".geojsonl": "GeoJSONSeq",
    ".csv": "CSV",
    ".gpkg": "GPKG",
    ".shp": "ESRI Shapefile",
}


@pytest.mark.parametrize("suffix", sorted(UNDER))
def test_vrt_under_each_allowed_extension_is_refused(tmp_path, suffix):  # type: ignore[no-untyped-def]
    path = tmp_path / f"dane{suffix}"
    path.write_bytes(vrt_pg())
    with pytest.raises(gdal.UnsafeSource, match="VRT|nie pasuje do rozszerzenia"):
        gdal.check_content(path, UNDER[suffix])
    # every open checks again, whatever was checked before
    with pytest.raises(gdal.UnsafeSource):
        gdal.describe(path, UNDER[suffix])


def test_the_probe_process_cannot_open_a_vrt_even_unchecked(tmp_path):  # type: ignore[no-untyped-def]
    """Second lock: were the content checks wrong, GDAL in the probe has no VRT driver and
    opens with the declared one only."""
    path = tmp_path / "dane.gml"
    path.write_bytes(vrt_pg())
    env = gdal.tool_env("GML")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "miasto.core.gdal_probe", "GML", str(path), "utf-8"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert b"current_user" not in proc.stdout and b"miasto" not in proc.stdout


def test_ogr2ogr_with_the_tool_env_cannot_read_a_vrt(tmp_path, http_trap):  # type: ignore[no-untyped-def]  # noqa: F811
    for name, content in (("a.gml", vrt_pg()), ("b.gml", vrt_curl(http_trap.url))):
        path = tmp_path / name
        path.write_bytes(content)
        out = tmp_path / f"{name}.geojson"
        proc = subprocess.run(
            ["ogr2ogr", "-f", "GeoJSON", str(out), str(path)],
            capture_output=True,
            env=gdal.tool_env("GML", output="GeoJSON"),
            check=False,
        )
        assert proc.returncode != 0
        assert not out.exists() or "miasto" not in out.read_text()
    assert http_trap.requests == []


def test_tool_env_registers_only_the_declared_driver():  # type: ignore[no-untyped-def]
    env = gdal.tool_env("GML", output="PostgreSQL", env={"NO_PROXY": "*", "PATH": "/bin"})
    skipped = env["GDAL_SKIP"].split(",")
    for banned in ("OGR_VRT", "VRT", "SQLite", "LIBKML", "GMLAS", "WFS", "CSV", "GPKG"):
        assert banned in skipped
    assert "GML" not in skipped and "PostgreSQL" not in skipped
    assert "NO_PROXY" not in env and env["GDAL_HTTP_PROXY"] == "127.0.0.1:0"
    assert env["GML_SKIP_RESOLVE_ELEMS"] == "ALL"
    with pytest.raises(gdal.UnsafeSource):
        gdal.tool_env("OGR_VRT")
    with pytest.raises(gdal.UnsafeSource):
        gdal.tool_env("PostgreSQL")


@pytest.mark.parametrize(
    "name",
    [
        "PG:dbname=miasto host=127.0.0.1 user=miasto",
        "/vsicurl/http://127.0.0.1:1/x.gml",
        "/vsizip//tmp/x.zip/x.gml",
        "dane.gml",  # relative: GDAL would resolve it against the working directory
        "/tmp",  # a directory (GDAL opens whole folders)
        "/nie/ma/takiego.gml",
    ],
)
def test_only_plain_file_paths_are_opened(name):  # type: ignore[no-untyped-def]
    with pytest.raises(gdal.UnsafeSource):
        gdal.checked_path(name, "GML")


def test_a_folder_named_vsi_is_only_a_folder(tmp_path):  # type: ignore[no-untyped-def]
    """GDAL reads ``/vsi…/`` only at the start of a name."""
    (tmp_path / "vsicurl").mkdir()
    path = tmp_path / "vsicurl" / "a.gml"
    path.write_bytes(gml())
    assert gdal.checked_path(path, "GML") == path


def test_drivers_outside_the_allow_list_are_refused(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.gml"
    path.write_bytes(gml())
    for driver in ("OGR_VRT", "PostgreSQL", "SQLite", "LIBKML", "GMLAS", "WFS"):
        with pytest.raises(gdal.UnsafeSource, match="nie jest dozwolony"):
            gdal.checked_path(path, driver)


# --------------------------------------------------------------------------- XML


def test_gml_pointing_at_urls_makes_no_request(tmp_path, http_trap):  # type: ignore[no-untyped-def]  # noqa: F811
    """xlink:href, xsi:schemaLocation and srsName at the server: read, nothing fetched."""
    path = tmp_path / "a.gml"
    path.write_bytes(
        gml(
            href=f"{http_trap.url}/inne.gml#x",
            schema=f"{http_trap.url}/schema.xsd",
        )
    )
    gdal.check_content(path, "GML")
    layers = gdal.describe(path, "GML")
    assert layers[0].feature_count == 2
    path.write_bytes(gml(srs=f"{http_trap.url}/srs"))
    with contextlib.suppress(gdal.UnsafeSource):  # an unknown SRS may fail; no request counts
        gdal.describe(path, "GML")
    assert http_trap.requests == []


@pytest.mark.parametrize(
    "kw",
    [
        {"href": "/etc/passwd"},
        {"href": "file:///etc/passwd#x"},
        {"href": "../import-other/source/dane.gml#p1"},
        {"href": "C:\\dane\\inne.gml#p1"},
        {"href": "ftp://10.0.0.1/inne.gml#p1"},
        {"schema": "/etc/passwd"},
        {"schema": "file:///srv/miasto/schema.xsd"},
        {"schema": "../../schematy/dane.xsd"},
    ],
)
def test_gml_pointing_at_local_files_is_refused(tmp_path, kw):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.gml"
    path.write_bytes(gml(**kw))
    with pytest.raises(gdal.UnsafeSource, match="lokaln"):
        gdal.check_content(path, "GML")


@pytest.mark.parametrize(
    "kw", [{"href": "PL.PZGiK.994.1234"}, {"href": "urn:x:y"}, {"schema": "dane.xsd"}]
)
def test_gml_names_that_lead_nowhere_pass(tmp_path, kw):  # type: ignore[no-untyped-def]
    """A bare identifier, a URN, the schema beside the file as GDAL writes it."""
    path = tmp_path / "a.gml"
    path.write_bytes(gml(**kw))
    gdal.check_content(path, "GML")


def test_gml_written_by_gdal_passes(tmp_path):  # type: ignore[no-untyped-def]
    src = tmp_path / "a.gml"
    src.write_bytes(gml())
    out = tmp_path / "out.gml"
    subprocess.run(["ogr2ogr", "-f", "GML", str(out), str(src)], check=True, capture_output=True)
    assert b"schemaLocation" in out.read_bytes()
    gdal.check_content(out, "GML")
    assert gdal.describe(out, "GML")[0].feature_count == 2


def test_xinclude_and_entities_are_refused(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.gml"
    path.write_bytes(
        b'<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" '
        b'xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" '
        b'parse="text"/></ogr:FeatureCollection>'
    )
    with pytest.raises(gdal.UnsafeSource, match="XInclude"):
        gdal.check_content(path, "GML")
    path.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<ogr:r xmlns:ogr="http://ogr.maptools.org/">&e;</ogr:r>'
    )
    with pytest.raises(gdal.UnsafeSource, match="DTD"):
        gdal.check_content(path, "GML")


def test_kml_network_link_makes_no_request(tmp_path, http_trap):  # type: ignore[no-untyped-def]  # noqa: F811
    path = tmp_path / "a.kml"
    path.write_bytes(kml(f"{http_trap.url}/siec.kml"))
    gdal.check_content(path, "KML")
    layers = gdal.describe(path, "KML")
    assert sum(lyr.feature_count for lyr in layers) >= 1
    assert http_trap.requests == []


def test_kml_must_be_kml(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.kml"
    path.write_bytes(gml())
    with pytest.raises(gdal.UnsafeSource, match="KML"):
        gdal.check_content(path, "KML")


# --------------------------------------------------------------------------- GeoJSON


def test_geojson_crs_link_is_refused_and_never_fetched(tmp_path, http_trap):  # type: ignore[no-untyped-def]  # noqa: F811
    path = tmp_path / "a.geojson"
    path.write_bytes(geojson_crs_link(http_trap.url))
    with pytest.raises(gdal.UnsafeSource, match="crs typu „link”"):
        gdal.check_content(path, "GeoJSON")
    # were the check missed, GDAL (which fetches such links) has no way out
    gdal.describe(path, "GeoJSON")
    assert http_trap.requests == []


def test_geojson_crs_link_hidden_in_a_geometry_or_a_sequence(tmp_path):  # type: ignore[no-untyped-def]
    doc = json.loads(geojson_crs_link("http://10.0.0.1"))
    doc["features"][0]["geometry"]["crs"] = doc.pop("crs")
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(gdal.UnsafeSource, match="link"):
        gdal.check_content(path, "GeoJSON")
    seq = tmp_path / "a.geojsonl"
    seq.write_text(json.dumps(doc["features"][0]) + "\n")
    with pytest.raises(gdal.UnsafeSource, match="link"):
        gdal.check_content(seq, "GeoJSONSeq")
    line = json.dumps(doc["features"][0]).replace('"crs"', '"\\u0063rs"') + "\n"
    seq.write_text(line * 2)
    with pytest.raises(gdal.UnsafeSource, match="link"):
        gdal.check_content(seq, "GeoJSONSeq")


def test_large_geojson_is_scanned_as_bytes(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Over the parse limit, escaped ASCII (which could hide a ``crs`` key) is refused."""
    monkeypatch.setattr(gdal, "JSON_PARSE_LIMIT", 10)
    doc = json.loads(geojson_crs_link("http://10.0.0.1"))
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(gdal.UnsafeSource, match="link"):
        gdal.check_content(path, "GeoJSON")
    path.write_text(json.dumps(doc).replace('"crs"', '"\\u0063rs"'))
    with pytest.raises(gdal.UnsafeSource, match="u00XX"):
        gdal.check_content(path, "GeoJSON")
    del doc["crs"]
    path.write_text(json.dumps(doc))
    gdal.check_content(path, "GeoJSON")


def test_geojson_named_crs_passes(tmp_path):  # type: ignore[no-untyped-def]
    doc = json.loads(geojson_crs_link("http://x"))
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps(doc))
    gdal.check_content(path, "GeoJSON")
    assert gdal.describe(path, "GeoJSON")[0].epsg == 4326


# --------------------------------------------------------------------------- GeoPackage


def test_a_plain_geopackage_passes(tmp_path):  # type: ignore[no-untyped-def]
    """GDAL's own GeoPackage (R-tree triggers with ST_MinX…, feature count triggers)."""
    path = geopackage(tmp_path / "a.gpkg")
    gdal.check_content(path, "GPKG")
    layer = gdal.describe(path, "GPKG")[0]
    assert (layer.name, layer.feature_count) == ("pomniki", 1)


@pytest.mark.parametrize(
    "statements,match",
    [
        (
            [
                "CREATE TRIGGER t AFTER INSERT ON pomniki BEGIN "
                "SELECT load_extension('/tmp/evil.so'); END"
            ],
            "wyzwalacz „t” wywołujący funkcje SQL \\(load_extension\\)",
        ),
        (
            [
                "CREATE VIEW v AS SELECT fid, geom, ogr_datasource_load_layers("
                "'PG:dbname=miasto') AS x FROM pomniki",
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES ('v', 'features', 'v', 4326)",
            ],
            "widok „v” wywołujący funkcje SQL \\(ogr_datasource_load_layers\\)",
        ),
        (
            ["CREATE VIEW w AS SELECT fid, ST_Transform(geom, 2180) AS geom FROM pomniki"],
            "st_transform",
        ),
        (
            ["CREATE VIEW r AS SELECT readfile('/etc/passwd') AS x"],
            "readfile",
        ),
        (
            [
                "CREATE TABLE g (fid INTEGER PRIMARY KEY, "
                "x TEXT GENERATED ALWAYS AS (upper('runs on every read')) VIRTUAL)"
            ],
            "kolumnę wyliczaną",
        ),
        (
            ["CREATE INDEX i ON pomniki (lower(nazwa))"],
            "indeks na wyrażeniu",
        ),
    ],
)
def test_geopackage_sql_calling_functions_is_refused(tmp_path, statements, match):  # type: ignore[no-untyped-def]
    path = geopackage(tmp_path / "a.gpkg", *statements)
    with pytest.raises(gdal.UnsafeSource, match=match):
        gdal.check_content(path, "GPKG")
    with pytest.raises(gdal.UnsafeSource):  # at every open too
        gdal.describe(path, "GPKG")


def test_geopackage_virtual_ogr_table_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    """A ``VirtualOGR`` table (GDAL's module reading any data source) written into the
    schema directly, as a hostile file would have it."""
    path = geopackage(
        tmp_path / "a.gpkg",
        "PRAGMA writable_schema = ON",
        "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', 'x', "
        "'x', 0, 'CREATE VIRTUAL TABLE x USING VirtualOGR(''PG:dbname=miasto'')')",
    )
    with pytest.raises(gdal.UnsafeSource, match="tabelę wirtualną „x” \\(VirtualOGR\\)"):
        gdal.check_content(path, "GPKG")


def test_a_layer_named_like_an_option_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    """Its name would be an argument of ogr2ogr, read as an option (``-overwrite``…)."""
    path = geopackage(
        tmp_path / "a.gpkg",
        "PRAGMA legacy_alter_table = ON",
        'ALTER TABLE pomniki RENAME TO "-overwrite"',
        *(
            f"UPDATE {t} SET table_name = '-overwrite' WHERE table_name = 'pomniki'"
            for t in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_ogr_contents")
        ),
    )
    with pytest.raises(gdal.UnsafeSource, match="„-overwrite” jest niedozwolona"):
        gdal.describe(path, "GPKG")


def test_sql_calls_ignore_literals_and_quoted_names():  # type: ignore[no-untyped-def]
    sql = (
        'CREATE TRIGGER "rtree_a_geom_insert" AFTER INSERT ON "a" WHEN (new."geom" NOT NULL '
        'AND NOT ST_IsEmpty(NEW."geom")) BEGIN INSERT OR REPLACE INTO "rtree_a_geom" VALUES '
        '(NEW."fid",ST_MinX(NEW."geom")); SELECT RAISE(ABORT, \'load_extension(x)\'); END'
    )
    assert gdal.sql_calls(sql) == {"when", "st_isempty", "values", "st_minx", "raise"}
    assert gdal.sql_calls("SELECT readfile ('/etc/passwd')") == {"readfile"}


def test_geopackage_is_checked_read_only(tmp_path):  # type: ignore[no-untyped-def]
    path = geopackage(tmp_path / "a.gpkg")
    before = (path.read_bytes(), sorted(p.name for p in tmp_path.iterdir()))
    gdal.check_content(path, "GPKG")
    assert (path.read_bytes(), sorted(p.name for p in tmp_path.iterdir())) == before


def test_paths_are_returned_unchanged_for_the_caller(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.gml"
    path.write_bytes(gml())
    link = tmp_path / "link.gml"
    link.symlink_to(path)
    assert gdal.checked_path(link, "GML") == Path(str(link))


# --------------------------------------------------------------------------- SRS without EPSG

#: an unnamed Transverse Mercator with the parameters of PL-1992, as R/sf writes it
TM_PROJ = (
    "+proj=tmerc +lat_0=0 +lon_0=19 +k=0.9993 +x_0=500000 +y_0=-5300000 +ellps=GRS80 "
    "+units=m +no_defs"
)
#: a MapInfo export's .prj: an unnamed projection on the "D_MIF 0" datum
MAPINFO_PRJ = (
    'PROJCS["unnamed",GEOGCS["unnamed",DATUM["D_MIF 0",SPHEROID["GRS 80",6378137,'
    '298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
    'PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],'
    'PARAMETER["central_meridian",19],PARAMETER["scale_factor",0.9993],'
    'PARAMETER["false_easting",500000],PARAMETER["false_northing",-5300000],UNIT["Meter",1]]'
)
#: ArcGIS's .prj of PL-1992
ESRI_CS92_PRJ = (
    'PROJCS["ETRS_1989_Poland_CS92",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",'
    'SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",-5300000.0],'
    'PARAMETER["Central_Meridian",19.0],PARAMETER["Scale_Factor",0.9993],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)


def _points(tmp_path: Path) -> Path:
    src = tmp_path / "p.geojson"
    src.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"nazwa": "a"},
                        "geometry": {"type": "Point", "coordinates": [500000.0, 403700.0]},
                    }
                ],
            }
        )
    )
    return src


def _shapefile_with_prj(tmp_path: Path, prj: str) -> Path:
    out = tmp_path / "warstwa.shp"
    subprocess.run(
        ["ogr2ogr", "-f", "ESRI Shapefile", str(out), str(_points(tmp_path))], check=True
    )
    out.with_suffix(".prj").write_text(prj)
    return out


def test_an_unnamed_transverse_mercator_is_described_not_refused(tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "sf.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(out), str(_points(tmp_path)), "-a_srs", TM_PROJ],
        check=True,
    )
    (layer,) = gdal.describe(out, "GPKG")
    assert layer.epsg is None
    assert layer.srs_wkt and "Transverse_Mercator" in layer.srs_wkt
    assert layer.srs_label == (
        "Transverse Mercator (południk osiowy 19°, skala 0.9993, przesunięcie 500000 m / "
        "-5300000 m, elipsoida GRS80)"
    )
    assert layer.srs_note == (
        f"układ współrzędnych bez kodu EPSG — rozpoznany jako {layer.srs_label}; "
        "parametry jak EPSG:2180 (PL-1992)."
    )


def test_a_mapinfo_prj_is_described_not_refused(tmp_path):  # type: ignore[no-untyped-def]
    (layer,) = gdal.describe(_shapefile_with_prj(tmp_path, MAPINFO_PRJ), "ESRI Shapefile")
    assert layer.epsg is None
    assert layer.srs_wkt and "D_MIF 0" in layer.srs_wkt
    assert layer.srs_note and layer.srs_note.startswith(
        "układ współrzędnych bez kodu EPSG — rozpoznany jako Transverse Mercator"
    )
    # ogr2ogr transforms from the layer's own SRS: the point stays where it was
    out = tmp_path / "out.geojson"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            str(out),
            str(tmp_path / "warstwa.shp"),
            "-t_srs",
            "EPSG:2180",
        ],
        check=True,
        env=gdal.tool_env("ESRI Shapefile", output="GeoJSON"),
    )
    x, y = json.loads(out.read_text())["features"][0]["geometry"]["coordinates"]
    assert abs(x - 500000.0) < 1 and abs(y - 403700.0) < 1


def test_an_esri_cs92_prj_is_epsg_2180(tmp_path):  # type: ignore[no-untyped-def]
    (layer,) = gdal.describe(_shapefile_with_prj(tmp_path, ESRI_CS92_PRJ), "ESRI Shapefile")
    assert layer.epsg == 2180
    assert layer.srs_note is None


def test_polish_grids_by_their_parameters():  # type: ignore[no-untyped-def]
    assert gdal.polish_grid(TM_PROJ) == (2180, "PL-1992")
    zone6 = "+proj=tmerc +lat_0=0 +lon_0=18 +k=0.999923 +x_0=6500000 +y_0=0 +ellps=GRS80"
    assert gdal.polish_grid(zone6) == (2177, "PL-2000 strefa 6")
    assert gdal.polish_grid("+proj=tmerc +lon_0=17 +k=0.9996 +x_0=500000 +ellps=GRS80") is None
    assert gdal.polish_grid("+proj=longlat +datum=WGS84") is None
    assert gdal.srs_description("ETRF2000-PL / CS92", None) == "ETRF2000-PL / CS92"
    assert gdal.srs_description("unknown", "+proj=merc +datum=WGS84") == (
        "Mercator (elipsoida WGS84)"
    )


# --------------------------------------------------------------------------- codes as text


def test_gml_is_read_as_text_unless_the_caller_says_otherwise(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.gml"
    path.write_text(
        '<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" '
        'xmlns:p="https://example.org/p"><gml:featureMember><p:Miejscowosc gml:id="m1">'
        "<p:TERYTGminy>0807043</p:TERYTGminy><p:liczba>12</p:liczba></p:Miejscowosc>"
        "</gml:featureMember></gml:FeatureCollection>"
    )
    assert gdal.tool_env("GML")["GML_FIELDTYPES"] == "ALWAYS_STRING"
    assert "GML_FIELDTYPES" not in gdal.tool_env("CSV")
    (layer,) = gdal.describe(path, "GML", options=gdal.ReadOptions(open_options=("WRITE_GFS=NO",)))
    assert dict(zip(layer.fields, layer.field_types, strict=True)) == {
        "gml_id": "String",
        "TERYTGminy": "String",
        "liczba": "String",
    }
    guess = gdal.ReadOptions(open_options=("WRITE_GFS=NO",), config=(("GML_FIELDTYPES", "AUTO"),))
    assert "GML_FIELDTYPES" not in gdal.tool_env("GML", options=guess)
    (layer,) = gdal.describe(path, "GML", options=guess)
    assert dict(zip(layer.fields, layer.field_types, strict=True))["TERYTGminy"] == "Integer"
    with pytest.raises(gdal.UnsafeSource, match="nie jest dozwolona"):
        gdal.describe(path, "GML", options=gdal.ReadOptions(open_options=("XSD=/etc/passwd",)))


def test_xml_outline_reads_the_head_only_and_safely(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.gml"
    member = (
        '<gml:featureMember><p:Punkt gml:id="p{}"><p:nazwa>x</p:nazwa></p:Punkt>'
        "</gml:featureMember>"
    )
    path.write_text(
        '<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" '
        'xmlns:p="urn:example:p" xmlns:q="urn:example:q">'
        + "".join(member.format(i) for i in range(5000))
        + '<gml:featureMember><q:Inny gml:id="q1"/></gml:featureMember>'
        + "</gml:FeatureCollection>"
    )
    outline = gdal.xml_outline(path)
    assert outline.root == "{http://www.opengis.net/gml/3.2}FeatureCollection"
    assert set(outline.namespaces) >= {"urn:example:p", "urn:example:q"}
    assert outline.feature_types == ("{urn:example:p}Punkt",)  # the head only
    assert outline.local_names() == {"Punkt"}
    path.write_bytes(vrt_pg())
    with pytest.raises(gdal.UnsafeSource, match="VRT"):
        gdal.xml_outline(path)
