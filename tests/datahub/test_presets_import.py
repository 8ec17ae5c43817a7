"""Each preset's sample imported end to end into the spine (issue 18, phase 2 of the presets):
recognised from the file (or named with ``--preset``), read with the preset's options, the
layer of the dataset's target picked, current versions only, codes as text with their zeros,
transforms as computed columns (areas in m², land-use classes, uses, names through references).
"""

from __future__ import annotations

import re
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from psycopg import sql

from miasto.core import db
from miasto.core.jobs import JobError
from miasto.datahub import cleanup, services
from miasto.datahub.models import DatasetVersion
from miasto.datahub.presets import presets
from miasto.territory.models import Address, Building, Parcel, Street
from tests.datahub.conftest import data_tables, parcel_features, write_geojson

DATA = Path(__file__).parent / "data" / "presets"
pytestmark = pytest.mark.django_db(transaction=True)


def imported(dataset: Any, name: str, **options: Any) -> DatasetVersion:
    version = services.version_import(
        dataset=dataset, path=DATA / name, source_name=name, **options
    )
    assert version.status == "ready", version.error
    return version


def rows(version: DatasetVersion, *columns: str) -> list[tuple[Any, ...]]:
    schema, table = version.table_name.split(".")
    query = sql.SQL("SELECT {} FROM {} ORDER BY fid").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(schema, table)
    )
    return [tuple(r) for r in db.fetch_all(query)]


def test_egib_2021_parcels_buildings_addresses(city, make_dataset):  # type: ignore[no-untyped-def]
    parcels = imported(make_dataset("parcels"), "egib_2021.gml")
    assert parcels.quality["preset"] == "egib-2021"
    # four parcels in the file, one of them an old version: not imported
    assert parcels.feature_count == 3
    assert dict(Parcel.objects.values_list("identifier", "area")) == {
        "106401_1.0001.12/3": 1000.0,
        "106401_1.0001.13": 1000.0,
        "106401_1.0001.14": 800.0,
    }
    assert dict(Parcel.objects.values_list("identifier", "land_use")) == {
        "106401_1.0001.12/3": "B,R",
        "106401_1.0001.13": "Bi",
        "106401_1.0001.14": "dr",
    }
    # the file's columns are kept beside the computed ones
    assert rows(parcels, "iddzialki", "poleewidencyjne", "area")[0] == (
        "106401_1.0001.12/3",
        "0.1000",
        1000,
    )
    imported(make_dataset("buildings"), "egib_2021.gml")
    assert sorted(Building.objects.values_list("identifier", "use", "storeys")) == [
        ("106401_1.0001.12/3.1_BUD", "single_family", 2),
        ("106401_1.0001.13.1_BUD", "multi_family", 5),
    ]
    imported(make_dataset("streets"), "prg_2012.gml")  # the street register first
    addresses = imported(make_dataset("addresses"), "egib_2021.gml")
    assert sorted(Address.objects.values_list("street__name", "number", "postcode")) == [
        ("Źródlana", "7A", "90-001"),
        ("Źródlana", "9", "90-001"),
    ]
    assert set(Address.objects.values_list("place", flat=True)) == {"Łódź"}
    # SIMC and ULIC codes stay text, with their zeros
    assert rows(addresses, "idmiejscowosci", "idnazwyulicy") == [("0958314", "02461")] * 2


def test_egib_2015_area_in_hectares(city, make_dataset):  # type: ignore[no-untyped-def]
    imported(make_dataset("parcels"), "egib_2015.gml")
    assert dict(Parcel.objects.values_list("identifier", "area")) == {
        "106401_1.0002.7": 255.0,
        "106401_1.0002.8/1": 620.0,
    }
    assert sorted(Parcel.objects.values_list("land_use", flat=True)) == ["B", "Ps"]


def test_prg_2012_streets_and_addresses(city, make_dataset):  # type: ignore[no-untyped-def]
    imported(make_dataset("streets"), "prg_2012.gml")
    street = Street.objects.get()
    assert (street.name, street.kind, street.ulic) == ("Źródlana", "ul.", "02461")
    imported(make_dataset("addresses"), "prg_2012.gml")
    assert sorted(Address.objects.values_list("street__ulic", "number", "postcode")) == [
        ("02461", "7A", "66-100"),
        ("02461", "9", "66-100"),
    ]


def test_prg_2021_names_through_references(city, make_dataset):  # type: ignore[no-untyped-def]
    streets = imported(make_dataset("streets"), "prg_2021.gml")
    assert list(Street.objects.values_list("name", "kind", "ulic")) == [
        ("Źródlana", "ul.", "02461")
    ]
    assert rows(streets, "identyfikatorulic", "rodzaj", "kind") == [("02461", "ulica", "ul.")]
    addresses = imported(make_dataset("addresses"), "prg_2021.gml")
    assert rows(addresses, "street", "place") == [("ul. Źródlana", "Sulechów")] * 2
    assert sorted(Address.objects.values_list("street__name", "place", "number")) == [
        ("Źródlana", "Sulechów", "7A"),
        ("Źródlana", "Sulechów", "9"),
    ]
    # the lookup layers were loaded beside and dropped with the run
    assert not [t for t in data_tables() if t.startswith("stg_")]


def test_bdot10k_buildings_and_streets(city, make_dataset):  # type: ignore[no-untyped-def]
    imported(make_dataset("buildings"), "bdot10k.gml")
    assert sorted(Building.objects.values_list("identifier", "use")) == [
        ("0a1b2c3d-0001", "single_family"),
        ("0a1b2c3d-0002", "industrial"),
    ]
    streets = imported(make_dataset("streets"), "bdot10k.gml")
    # three carriageways, one a version that ended: two named streets
    assert streets.feature_count == 2
    assert sorted(Street.objects.values_list("name", "road_class")) == [
        ("Aleja Wolności", "Z"),
        ("Źródlana", "L"),
    ]


def test_cli_names_the_preset_and_takes_one(  # type: ignore[no-untyped-def]
    city, make_dataset, tmp_path
):
    dataset = make_dataset("parcels")
    out = StringIO()
    call_command("import", str(DATA / "egib_2021.gml"), "--dataset", dataset.slug, stdout=out,
                 verbosity=0)  # fmt: skip
    assert "Szablon importu: EGiB" in out.getvalue()
    assert "(egib-2021)" in out.getvalue()
    out = StringIO()
    call_command(
        "import", str(DATA / "prg_2012.gml"), "--dataset", make_dataset("streets").slug,
        "--preset", "prg-2012", stdout=out, verbosity=0,
    )  # fmt: skip
    assert "(prg-2012)" in out.getvalue()
    with pytest.raises(CommandError, match="Nieznany szablon importu „egib-1999”"):
        call_command(
            "import", str(DATA / "egib_2021.gml"), "--dataset", dataset.slug,
            "--preset", "egib-1999", verbosity=0,
        )  # fmt: skip
    with pytest.raises(CommandError, match="dotyczy tylko plików GML"):
        call_command(
            "import", str(write_geojson(tmp_path / "p.geojson", parcel_features(range(2)))),
            "--dataset", dataset.slug,
            "--preset", "egib-2021", verbosity=0,
        )  # fmt: skip


def test_preset_none_reads_the_file_as_it_is(city, make_dataset):  # type: ignore[no-untyped-def]
    # without a preset, a file of several feature types is a file of several layers: one is
    # chosen (never the first silently)
    with pytest.raises(JobError, match="Plik zawiera kilka warstw"):
        imported(make_dataset(), "egib_2021.gml", preset="none")
    version = imported(
        make_dataset(), "egib_2021.gml", preset="none", source_layers=("EGB_DzialkaEwidencyjna",)
    )
    assert "preset" not in version.quality
    assert version.feature_count == 4  # the old version too: nothing filtered


def test_a_generic_dataset_is_not_given_a_preset(city, make_dataset):  # type: ignore[no-untyped-def]
    version = imported(make_dataset(), "prg_2021.gml", source_layers=("AD_PunktAdresowy",))
    assert "preset" not in version.quality
    with pytest.raises(JobError, match="nie zasila warstwy „dowolna warstwa”; zasila: addr"):
        imported(make_dataset(), "prg_2021.gml", preset="prg-2021")


def test_missing_identifiers_refused_naming_the_feature(  # type: ignore[no-untyped-def]
    city, make_dataset, tmp_path
):
    path = tmp_path / "egib.gml"
    path.write_text(
        (DATA / "egib_2021.gml").read_text(encoding="utf-8").replace("idDzialki>", "numer>"),
        encoding="utf-8",
    )
    dataset = make_dataset("parcels")
    with pytest.raises(JobError, match="obiekty EGB_DzialkaEwidencyjna nie mają pola idDzialki"):
        services.version_import(dataset=dataset, path=path, source_name="egib.gml")
    assert not dataset.versions.exists()
    assert not Parcel.objects.exists()


def test_wrong_geometry_refused_naming_the_feature(  # type: ignore[no-untyped-def]
    city, make_dataset, tmp_path
):
    """Addresses of the PRG namespace drawn as lines."""
    text = (DATA / "prg_2012.gml").read_text(encoding="utf-8")
    path = tmp_path / "prg.gml"
    path.write_text(_points_as_lines(text), encoding="utf-8")
    with pytest.raises(JobError, match="obiekty PRG_PunktAdresowy mają geometrię"):
        services.version_import(dataset=make_dataset("addresses"), path=path, source_name="prg.gml")


def _points_as_lines(text: str) -> str:
    return re.sub(
        r"<gml:Point([^>]*)>\s*<gml:pos>([^<]*)</gml:pos>\s*</gml:Point>",
        lambda m: (
            f"<gml:LineString{m.group(1)}><gml:posList>{m.group(2)} {m.group(2)}"
            "</gml:posList></gml:LineString>"
        ),
        text,
    )


def test_a_preset_import_removing_most_of_the_spine_is_stopped(  # type: ignore[no-untyped-def]
    city, make_dataset, tmp_path
):
    dataset = make_dataset("parcels")
    imported(dataset, "egib_2021.gml")
    text = (DATA / "egib_2021.gml").read_text(encoding="utf-8")
    # only the first parcel left: two of three would go
    head, _, rest = text.partition("<gml:featureMember>")
    members = rest.split("<gml:featureMember>")
    kept = [m for m in members if "EGB_DzialkaEwidencyjna" not in m or "12/3<" in m]
    path = tmp_path / "egib.gml"
    path.write_text(head + "<gml:featureMember>" + "<gml:featureMember>".join(kept), "utf-8")
    with pytest.raises(JobError, match="max_removed_share"):
        services.version_import(dataset=dataset, path=path, source_name="egib.gml")
    assert Parcel.objects.count() == 3


def test_a_crs_without_an_epsg_code_is_noted(city, make_dataset, tmp_path):  # type: ignore[no-untyped-def]
    src = tmp_path / "p.geojson"
    src.write_text(
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
        '"urn:ogc:def:crs:EPSG::2180"}}, "features": [{"type": "Feature", "properties": '
        '{"nazwa": "a"}, "geometry": {"type": "Point", "coordinates": [500010, 403710]}}]}'
    )
    out = tmp_path / "sf.gpkg"
    proj = (
        "+proj=tmerc +lat_0=0 +lon_0=19 +k=0.9993 +x_0=500000 +y_0=-5300000 +ellps=GRS80 "
        "+units=m +no_defs"
    )
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(out), str(src), "-a_srs", proj],
        check=True,
        capture_output=True,
    )
    version = services.version_import(dataset=make_dataset(), path=out, source_name="sf.gpkg")
    assert version.status == "ready", version.error
    note = version.quality["srs_note"]
    assert note.startswith("układ współrzędnych bez kodu EPSG — rozpoznany jako Transverse")
    assert "EPSG:2180 (PL-1992)" in note
    assert note in version.quality["checks"]["crs"]["message"]
    # declared with the import: no note
    version = services.version_import(
        dataset=make_dataset(), path=out, source_name="sf.gpkg", crs="EPSG:2180"
    )
    assert "srs_note" not in version.quality


def test_lookup_tables_are_left_to_the_clean_up_by_name() -> None:
    assert cleanup.STAGING_RE.match("stg_1765000000_0123456789ab_ref2")


def test_preset_labels_are_polish() -> None:
    with translation.override("pl"):
        labels = {p.key: str(p.label) for p in presets}
    assert labels["egib-2021"] == "EGiB (ewidencja gruntów i budynków), model 2021"
    assert labels["prg-2012"] == "PRG: punkty adresowe, model 2012"
    assert labels["bdot10k-2021"].startswith("BDOT10k (baza danych obiektów topograficznych)")
