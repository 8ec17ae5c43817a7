"""Files with several layers (issue 18, item 4): listed, imported one, several (into one
dataset with a ``layer`` column) or all; refused without a choice; the CLI's flags; column
types chosen by the steward."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from miasto.core import db
from miasto.core.jobs import JobError
from miasto.datahub import gdal, services
from miasto.datahub.services.sources import choose_layers
from tests.datahub.conftest import CRS2180, X0, Y0, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)

#: three folders of a Google My Maps export: 2, 3 and 1 placemarks (lon/lat in the city)
FOLDERS = {"Parkingi Leśne": 2, "Ławki": 3, "Kosze": 1}


def placemark(name: str, i: int) -> str:
    lon, lat = 19.0001 + i * 0.0001, 51.5001 + i * 0.0001
    return (
        f"<Placemark><name>{name} {i}</name>"
        f"<Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>"
    )


def write_kml(path: Path, folders: dict[str, int] = FOLDERS) -> Path:
    body = "".join(
        f"<Folder><name>{name}</name>{''.join(placemark(name, i) for i in range(n))}</Folder>"
        for name, n in folders.items()
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document><name>Mapa</name>{body}</Document></kml>",
        encoding="utf-8",
    )
    return path


def layer_counts(version) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = db.fetch_all(f"SELECT layer, count(*) FROM {version.table_name} GROUP BY 1")
    return dict(rows)


def test_layers_of_a_kml_are_listed(tmp_path):
    kml = write_kml(tmp_path / "mapa.kml")
    layers = gdal.describe(kml, "KML").layers
    assert [(lyr.name, lyr.feature_count) for lyr in layers] == list(FOLDERS.items())
    assert all("Point" in lyr.geometry_type for lyr in layers)


def test_a_multi_layer_file_without_a_choice_is_refused(city, make_dataset, tmp_path):
    kml = write_kml(tmp_path / "mapa.kml")
    ds = make_dataset()
    with pytest.raises(JobError, match="kilka warstw") as err:
        services.version_import(dataset=ds, path=kml, source_name="mapa.kml")
    for name in FOLDERS:
        assert f"„{name}”" in str(err.value)
    assert "--all-layers" in str(err.value)
    assert not ds.versions.exists()


def test_choose_layers_names_all_and_unknown(tmp_path):
    layers = gdal.describe(write_kml(tmp_path / "mapa.kml"), "KML").layers
    chosen, skipped = choose_layers(layers, ("Kosze",), all_layers=False)
    assert [c.name for c in chosen] == ["Kosze"]
    assert [s.name for s in skipped] == ["Parkingi Leśne", "Ławki"]
    chosen, skipped = choose_layers(layers, (), all_layers=True)
    assert len(chosen) == 3 and not skipped
    with pytest.raises(JobError, match="nie ma warstwy „Drzewa”"):
        choose_layers(layers, ("Drzewa",), all_layers=False)


def test_import_one_layer(city, make_dataset, tmp_path):
    kml = write_kml(tmp_path / "mapa.kml")
    v = services.version_import(
        dataset=make_dataset(), path=kml, source_name="mapa.kml", layer="Ławki"
    )
    assert v.status == "ready", v.error
    assert v.feature_count == 3
    assert v.quality["layers"]["skipped"] == [
        {"name": "Parkingi Leśne", "count": 2},
        {"name": "Kosze", "count": 1},
    ]


def test_import_several_layers_into_one_dataset(city, make_dataset, tmp_path):
    kml = write_kml(tmp_path / "mapa.kml")
    v = services.version_import(
        dataset=make_dataset(),
        path=kml,
        source_name="mapa.kml",
        source_layers=("Parkingi Leśne", "Kosze"),
    )
    assert v.status == "ready", v.error
    assert v.feature_count == 3
    assert "layer" in [a["name"] for a in v.attributes]
    assert layer_counts(v) == {"Parkingi Leśne": 2, "Kosze": 1}
    assert v.quality["layers"]["loaded"] == [
        {"name": "Parkingi Leśne", "count": 2},
        {"name": "Kosze", "count": 1},
    ]


def test_import_all_layers(city, make_dataset, tmp_path):
    kml = write_kml(tmp_path / "mapa.kml")
    v = services.version_import(
        dataset=make_dataset(), path=kml, source_name="mapa.kml", all_layers=True
    )
    assert v.status == "ready", v.error
    assert v.feature_count == 6 and layer_counts(v) == FOLDERS
    assert v.quality["layers"]["skipped"] == []


def test_several_layers_keep_the_geometry_family_check(city, make_dataset, tmp_path):
    """A point layer and a polygon layer cannot become one table."""
    gpkg = tmp_path / "mix.gpkg"
    from tests.datahub.conftest import ogr, square

    points = write_geojson(
        tmp_path / "p.geojson",
        [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [X0, Y0]},
            }
        ],
        crs=CRS2180,
    )
    polys = write_geojson(
        tmp_path / "a.geojson",
        [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": square(X0, Y0)},
            }
        ],
        crs=CRS2180,
    )
    ogr("-f", "GPKG", str(gpkg), str(points), "-nln", "punkty")
    ogr("-f", "GPKG", str(gpkg), str(polys), "-nln", "obszary", "-update")
    ds = make_dataset()
    with pytest.raises(JobError, match="mieszane typy geometrii"):
        services.version_import(dataset=ds, path=gpkg, source_name="mix.gpkg", all_layers=True)


def run_cli(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()


def test_cli_source_layer_repeated_and_all_layers(city, owner, tmp_path):
    kml = write_kml(tmp_path / "mapa.kml")
    create = ["--create", "--owner", "GEO"]
    with pytest.raises(CommandError, match="kilka warstw"):
        run_cli("import", str(kml), "--dataset", "mapa", *create)
    out = run_cli(
        "import",
        str(kml),
        "--dataset",
        "mapa",
        *create,
        "--source-layer",
        "Ławki",
        "--source-layer",
        "Kosze",
    )
    assert "Wczytane warstwy (obiektów): Ławki (3), Kosze (1)." in out
    assert "Pominięte warstwy (obiektów): Parkingi Leśne (2)." in out
    out = run_cli("import", str(kml), "--dataset", "mapa", "--all-layers")
    assert "Parkingi Leśne (2), Ławki (3), Kosze (1)" in out
    assert "Pominięte warstwy (obiektów): żadnych." in out


# --------------------------------------------------------------------------- column types

CODES_CSV = (
    "wkt;gmina;liczba;nazwa\n"
    "POINT (500000 403700);0807043;12;A\n"
    "POINT (500010 403710);0807044;7;B\n"
)


def test_column_types_of_a_csv(city, make_dataset, tmp_path):
    path = tmp_path / "kody.csv"
    path.write_text(CODES_CSV, encoding="utf-8")
    v = services.version_import(
        dataset=make_dataset(),
        path=path,
        source_name="kody.csv",
        crs="EPSG:2180",
        column_types={"liczba": "text"},
    )
    assert v.status == "ready", v.error
    types = {a["name"]: a["type"] for a in v.attributes}
    assert types["gmina"] in ("character varying", "text")  # leading zeros: text
    assert types["liczba"] in ("character varying", "text")  # chosen as text
    assert db.fetch_value(f"SELECT min(gmina) FROM {v.table_name}") == "0807043"


def test_column_types_after_loading_a_geojson(city, make_dataset, tmp_path):
    feats = [
        {
            "type": "Feature",
            "properties": {"kod": "0807043", "liczba": "12"},
            "geometry": {"type": "Point", "coordinates": [X0, Y0]},
        }
    ]
    path = write_geojson(tmp_path / "kody.geojson", feats)
    v = services.version_import(
        dataset=make_dataset(),
        path=path,
        source_name="kody.geojson",
        column_types={"liczba": "integer", "kod": "text"},
    )
    assert v.status == "ready", v.error
    types = {a["name"]: a["type"] for a in v.attributes}
    assert types["liczba"] == "bigint"
    assert db.fetch_value(f"SELECT kod FROM {v.table_name}") == "0807043"
    assert db.fetch_value(f"SELECT liczba + 1 FROM {v.table_name}") == 13


def test_a_column_type_that_does_not_fit_stops_the_import(city, make_dataset, tmp_path):
    feats = [
        {
            "type": "Feature",
            "properties": {"nazwa": "lipa"},
            "geometry": {"type": "Point", "coordinates": [X0, Y0]},
        }
    ]
    path = write_geojson(tmp_path / "n.geojson", feats)
    ds = make_dataset()
    with pytest.raises(JobError, match="Nie da się zmienić typów kolumn"):
        services.version_import(
            dataset=ds, path=path, source_name="n.geojson", column_types={"nazwa": "integer"}
        )
    with pytest.raises(JobError, match="Nie ma kolumny „brak”"):
        services.version_import(
            dataset=ds, path=path, source_name="n.geojson", column_types={"brak": "integer"}
        )
