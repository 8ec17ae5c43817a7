"""Exports of a version in every format and CRS, re-read with GDAL."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource

from miasto.core.jobs import JobError
from miasto.datahub import exports, services
from tests.datahub.conftest import X0, Y0, parcel_features, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def version(city, make_dataset, tmp_path):
    ds = make_dataset("parcels", slug="dzialki")
    feats = parcel_features(range(12))
    feats[0]["properties"]["land_use"] = "Źródło"
    v = services.version_import(
        dataset=ds, path=write_geojson(tmp_path / "d.geojson", feats), source_name="d.geojson"
    )
    assert v.status == "ready"
    return v


def save(export: exports.Export, folder: Path) -> Path:
    out = folder / export.filename
    with out.open("wb") as fh:
        for chunk in export.chunks:
            fh.write(chunk)
    return out


@pytest.mark.parametrize(
    ("fmt", "crs", "epsg"),
    [
        ("gpkg", "EPSG:2180", 2180),
        ("gpkg", "EPSG:2177", 2177),
        ("shp", "EPSG:2180", 2180),
        ("shp", "EPSG:3857", 3857),
        ("geojson", "EPSG:4326", 4326),
        ("csv", "EPSG:2178", None),
    ],
)
def test_export_formats(version, tmp_path, work_dir, fmt, crs, epsg):
    export = exports.export_version(version, fmt, crs)
    assert export.filename.startswith("dzialki-v1-")
    out = save(export, tmp_path)
    assert list(work_dir.iterdir()) == []  # temporary file removed once streamed
    if fmt == "shp":
        with zipfile.ZipFile(out) as zf:
            assert {Path(n).suffix for n in zf.namelist()} >= {
                ".shp",
                ".shx",
                ".dbf",
                ".prj",
                ".cpg",
            }
            zf.extractall(tmp_path / "unz")
        out = next((tmp_path / "unz").glob("*.shp"))
    ds = DataSource(str(out))
    layer = ds[0]
    assert len(layer) == 12
    if epsg:
        layer.srs.identify_epsg() if layer.srs.srid is None else None
        assert layer.srs.srid == epsg
    names = [f.get("land_use") for f in layer]
    assert "Źródło" in names


@pytest.mark.parametrize("crs", ["CRS84", "EPSG:4326", 4326])
def test_geojson_geographic_is_lon_lat(version, tmp_path, crs):
    out = save(exports.export_version(version, "geojson", crs), tmp_path)
    doc = json.loads(out.read_text())
    x, y = doc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 14 < x < 24 and 49 < y < 55  # lon, lat in Poland
    assert len(doc["features"]) == 12


def test_csv_has_wkt(version, tmp_path):
    out = save(exports.export_version(version, "csv", "EPSG:2180"), tmp_path)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("WKT,") and len(lines) == 13
    assert f"{X0:.0f} {Y0:.0f}" in lines[1]


def test_export_stream_closed_early_cleans_up(version, work_dir):
    export = exports.export_version(version, "gpkg", "EPSG:2180")
    assert len(list(work_dir.iterdir())) == 1
    next(export.chunks)
    export.chunks.close()
    assert list(work_dir.iterdir()) == []
    stream = exports.export_version(version, "geojson", None)
    next(stream.chunks)
    stream.chunks.close()  # the ogr2ogr process is killed


def test_export_bad_parameters(version):
    with pytest.raises(JobError, match="format"):
        exports.export_version(version, "xlsx", None)
    with pytest.raises(JobError, match="układ"):
        exports.export_version(version, "gpkg", "EPSG:32633")
