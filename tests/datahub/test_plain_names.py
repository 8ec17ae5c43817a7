"""Plain column names for the attributes of KML and Shapefiles (issue 18, item 6): Polish
letters in ASCII, lower case, other characters ``_`` — ``Parkingi Leśne`` → ``parkingi_lesne``
— the file's name kept as the field's label, and mappings naming the file's attribute (or its
earlier column) still resolving."""

from __future__ import annotations

import subprocess
import zipfile
from typing import Any

import pytest
from psycopg import sql

from miasto.core import db
from miasto.datahub import selectors, services
from miasto.datahub.columns import ColumnPlan, column_name, plan, with_plain_names
from miasto.datahub.models import DatasetVersion
from tests.datahub.conftest import write_geojson

#: a point in the test city (EPSG:2180 500010 403710) as lon/lat
LON, LAT = 19.0001441, 51.4999384

#: a KML as Google My Maps writes it: the folder "Parkingi Leśne", each place's data in
#: ExtendedData (GDAL's KML driver — the one files are read with — reads only Name and
#: Description of a placemark; the folder is the layer)
KML = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Folder><name>Parkingi Leśne</name>
<Placemark><name>Pod Dębem</name><description>12 miejsc</description>
<ExtendedData><Data name="Liczba miejsc"><value>12</value></Data></ExtendedData>
<Point><coordinates>{LON},{LAT}</coordinates></Point></Placemark>
</Folder></Document></kml>
"""


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("Parkingi Leśne", "parkingi_lesne"),
        ("ŁÓDŹ ulica", "lodz_ulica"),
        ("Kod-TERYT#1", "kod_teryt_1"),
        ("Żółć gęślą jaźń", "zolc_gesla_jazn"),
        ("nazwa", "nazwa"),
        ("  ", "bez_nazwy"),
    ],
)
def test_column_name(name: str, column: str) -> None:
    assert column_name(name) == column


def test_plain_names_are_unique_and_keep_labels() -> None:
    columns = with_plain_names(plan(["Parkingi Leśne", "Liczba miejsc", "liczba_miejsc", "x"]))
    assert columns.plain == {
        "parkingi leśne": "parkingi_lesne",
        "liczba miejsc": "liczba_miejsc_2",
    }
    assert columns.labels == {
        "parkingi_lesne": "Parkingi Leśne",
        "liczba_miejsc_2": "Liczba miejsc",
    }
    # by the file's name, by the column GDAL gave it before, case aside
    assert columns.column_for("Parkingi Leśne") == "parkingi_lesne"
    assert columns.column_for("parkingi leśne") == "parkingi_lesne"
    assert columns.column_for("PARKINGI LEŚNE") == "parkingi_lesne"
    assert columns.column_for("x") is None
    assert ColumnPlan(("a",), {}).column_for("a") is None


def table_rows(version: DatasetVersion, *columns: str) -> list[tuple[Any, ...]]:
    schema, table = version.table_name.split(".")
    query = sql.SQL("SELECT {} FROM {} ORDER BY fid").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(schema, table)
    )
    return [tuple(r) for r in db.fetch_all(query)]


@pytest.mark.django_db(transaction=True)
def test_a_kml_folder_parkingi_lesne(city, make_dataset, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "parkingi.kml"
    path.write_text(KML, encoding="utf-8")
    version = services.version_import(
        dataset=make_dataset(key_field="Name"), path=path, source_name=path.name
    )
    assert version.status == "ready", version.error
    # the driver's own names are plain already: no label, the key by the file's name
    assert [a["name"] for a in version.attributes if a["name"] != "fid"] == [
        "name",
        "description",
    ]
    assert not [a for a in version.attributes if "label" in a]
    assert version.quality["key_columns"] == ["name"]
    assert table_rows(version, "name", "description") == [("Pod Dębem", "12 miejsc")]


@pytest.mark.django_db(transaction=True)
def test_shapefile_attributes_get_plain_columns(  # type: ignore[no-untyped-def]
    city, make_dataset, tmp_path
):
    # (a .dbf holds names of 10 bytes at most: "Nr Dział", not "Nr Działki")
    src = write_geojson(
        tmp_path / "p.geojson",
        [
            {
                "type": "Feature",
                "properties": {"Właśc.": "Gmina", "Nr Dział": "12/3"},
                "geometry": {"type": "Point", "coordinates": [500010.0, 403710.0]},
            }
        ],
    )
    folder = tmp_path / "shp"
    folder.mkdir()
    subprocess.run(
        ["ogr2ogr", "-f", "ESRI Shapefile", str(folder / "punkty.shp"), str(src)]
        + ["-lco", "ENCODING=UTF-8", "-a_srs", "EPSG:2180"],
        check=True,
        capture_output=True,
    )
    archive = tmp_path / "punkty.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    dataset = make_dataset(key_field="Nr Dział")
    version = services.version_import(
        dataset=dataset, path=archive, source_name=archive.name, mapping={"x": "Właśc."}
    )
    assert version.status == "ready", version.error
    attributes = {a["name"]: a.get("label") for a in version.attributes if a["name"] != "fid"}
    assert attributes == {"wlasc": "Właśc.", "nr_dzial": "Nr Dział"}
    assert table_rows(version, "wlasc", "nr_dzial") == [("Gmina", "12/3")]
    # the key and the mapping named by the file's attribute names resolve
    assert version.quality["key_columns"] == ["nr_dzial"]
    assert version.quality["mapping"] == {"x": "wlasc"}
    # the attribute table shows the file's names
    assert selectors.field_labels(version) == attributes
    # a key saved by the column an earlier version had ("nr dział") still resolves
    dataset.key_field = "nr dział"
    dataset.save(update_fields=["key_field"])
    again = services.version_import(dataset=dataset, path=archive, source_name=archive.name)
    assert again.quality["key_columns"] == ["nr_dzial"]
