"""Hostile and broken input: the import fails with a precise Polish message, nothing is left.

After each failure: no new version, the previous version stays current, no staging table in
``datahub_data``, the work directory is empty.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point

from miasto.core.jobs import JobError
from miasto.datahub import services
from miasto.datahub.files import UnsafeFile
from tests.datahub.conftest import X0, Y0, data_tables, parcel_features, to_format, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def previous(city, make_dataset, tmp_path):
    """A generic dataset whose version 1 is current."""
    ds = make_dataset("generic")
    path = write_geojson(tmp_path / "v1.geojson", parcel_features(range(5)))
    v1 = services.version_import(dataset=ds, path=path, source_name="v1.geojson")
    assert v1.is_current
    return v1


def fails(previous, path: Path, name: str, match: str, exc: type = JobError, **kw) -> str:
    ds = previous.dataset
    with pytest.raises(exc, match=match) as info:
        services.version_import(dataset=ds, path=path, source_name=name, **kw)
    assert list(ds.versions.values_list("number", flat=True)) == [1]
    assert ds.current_version == previous
    assert data_tables() == [f"v{previous.pk}"]
    from django.conf import settings

    assert list(Path(settings.MIASTO_WORK_DIR).iterdir()) == []
    return str(info.value)


def test_truncated_geopackage(previous, tmp_path):
    src = write_geojson(tmp_path / "big.geojson", parcel_features(range(3000)))
    gpkg = to_format(src, tmp_path / "big.gpkg", "GPKG")
    data = gpkg.read_bytes()
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(data[: len(data) // 2])
    fails(previous, cut, "cut.gpkg", "uszkodzony|niekompletny|GDAL")


def test_truncated_zip(previous, tmp_path):
    src = write_geojson(tmp_path / "x.geojson", parcel_features(range(500)))
    shp = tmp_path / "shp"
    shp.mkdir()
    to_format(src, shp / "x.shp", "ESRI Shapefile")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in shp.iterdir():
            zf.write(p, p.name)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    fails(previous, cut, "cut.zip", "ZIP jest uszkodzone", UnsafeFile)


def test_png_renamed_geojson(previous, tmp_path):
    png = tmp_path / "mapa.geojson"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    fails(previous, png, "mapa.geojson", "nie pasuje do rozszerzenia", UnsafeFile)


def test_zip_path_traversal(previous, tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../etc/evil.shp", b"x")
    fails(previous, path, "evil.zip", "niebezpieczną ścieżkę", UnsafeFile)
    assert not (tmp_path.parent / "etc").exists()


def test_zip_bomb(previous, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zera.shp", b"\x00" * (50 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    fails(previous, path, "bomb.zip", "bomba ZIP", UnsafeFile)


def test_over_size_limit(previous, tmp_path, settings):
    settings.MIASTO_UPLOAD_MAX_BYTES = 1000
    path = write_geojson(tmp_path / "duzy.geojson", parcel_features(range(50)))
    fails(previous, path, "duzy.geojson", "za duży", UnsafeFile)


GML_HEAD = '<?xml version="1.0"?>\n'
GML_BODY = (
    '<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" '
    'xmlns:ms="http://example.com/ms"><gml:featureMember><ms:a><ms:name>&e;</ms:name>'
    "</ms:a></gml:featureMember></gml:FeatureCollection>"
)


def test_gml_external_entity(previous, tmp_path):
    path = tmp_path / "xxe.gml"
    path.write_text(
        GML_HEAD + '<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n' + GML_BODY
    )
    fails(previous, path, "xxe.gml", "DTD lub encje", UnsafeFile)


def test_gml_billion_laughs(previous, tmp_path):
    ents = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    path = tmp_path / "lol.gml"
    path.write_text(GML_HEAD + f'<!DOCTYPE d [{ents}<!ENTITY e "&l9;">]>\n' + GML_BODY)
    fails(previous, path, "lol.gml", "DTD lub encje", UnsafeFile)


def test_csv_broken_wkt_at_row_30000(previous, tmp_path):
    lines = ["id,nazwa,wkt"]
    for i in range(1, 30_101):
        wkt = f"POINT ({X0 + i % 1000} {Y0 + i // 1000})"
        if i == 30_000:
            wkt = f"POINT ({X0} 40"
        lines.append(f'{i},p{i},"{wkt}"')
    path = tmp_path / "punkty.csv"
    path.write_text("\n".join(lines) + "\n")
    message = fails(previous, path, "punkty.csv", "WKT", crs="EPSG:2180")
    assert "30000" in message and "POINT (500000.0 40" in message


def test_mixed_geometry_types(previous, tmp_path):
    feats = parcel_features(range(4))
    feats[2]["geometry"] = {"type": "Point", "coordinates": [X0, Y0]}
    path = write_geojson(tmp_path / "mix.geojson", feats)
    message = fails(previous, path, "mix.geojson", "mieszane typy geometrii")
    assert "obiekt nr 3" in message  # GDAL numbers GeoJSON features from 1


def test_spine_target_needs_its_geometry(city, make_dataset, tmp_path):
    ds = make_dataset("parcels")
    path = write_geojson(
        tmp_path / "pkt.geojson",
        [
            {
                "type": "Feature",
                "properties": {"identifier": "106401_1.0001.1"},
                "geometry": {"type": "Point", "coordinates": [X0, Y0]},
            }
        ],
    )
    with pytest.raises(JobError, match="wymaga geometrii powierzchniowa"):
        services.version_import(dataset=ds, path=path, source_name="pkt.geojson")
    assert not ds.versions.exists()


def test_epsg2180_numbers_declared_as_4326(previous, tmp_path):
    path = write_geojson(tmp_path / "zle.geojson", parcel_features(range(3)), crs=None)
    message = fails(previous, path, "zle.geojson", "przeliczyć współrzędnych", crs="EPSG:4326")
    assert "obiektu nr" in message


def test_lon_lat_swapped_is_rejected(previous, tmp_path):
    pt = Point(X0, Y0, srid=2180)
    pt.transform(4326)
    feats = [
        {
            "type": "Feature",
            "properties": {"n": i},
            "geometry": {"type": "Point", "coordinates": [pt.y + i * 1e-4, pt.x]},
        }
        for i in range(5)
    ]
    path = tmp_path / "swap.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    v = services.version_import(dataset=previous.dataset, path=path, source_name="swap.geojson")
    assert v.status == "rejected" and not v.is_current
    assert v.quality["checks"]["crs"]["swapped_axes"]
    assert "lon/lat" in v.error
    previous.refresh_from_db()
    assert previous.is_current


def test_projected_axes_swapped_is_rejected(previous, tmp_path):
    feats = parcel_features(range(3))
    for f in feats:
        f["geometry"]["coordinates"] = [
            [[y, x] for x, y in ring] for ring in f["geometry"]["coordinates"]
        ]
    path = write_geojson(tmp_path / "swap.geojson", feats)
    v = services.version_import(dataset=previous.dataset, path=path, source_name="swap.geojson")
    assert v.status == "rejected"
    assert any(b["rule"] == "block_swapped_axes" for b in v.quality["blocking"])
    assert "northing/easting" in v.error


def test_unknown_layer_and_missing_required_field(previous, city, make_dataset, tmp_path):
    src = write_geojson(tmp_path / "x.geojson", parcel_features(range(3)))
    gpkg = to_format(src, tmp_path / "x.gpkg", "GPKG")
    fails(previous, gpkg, "x.gpkg", "nie ma warstwy „drogi”", layer="drogi")
    ds = make_dataset("parcels")
    feats = parcel_features(range(2))
    for f in feats:
        f["properties"] = {"numer": "1"}
    path = write_geojson(tmp_path / "y.geojson", feats)
    with pytest.raises(JobError, match="Brak wymaganych pól warstwy „działki”: identifier"):
        services.version_import(dataset=ds, path=path, source_name="y.geojson")
