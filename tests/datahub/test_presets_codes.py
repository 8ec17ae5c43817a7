"""Codes keep their zeros (issue 18, item 2): a CSV's codes and identifiers stay text — columns
with leading zeros, or named as TERYT/SIMC/ULIC/EGiB codes — while other columns keep GDAL's
types; the field mapping can set a column's type (``column_types``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from psycopg import sql

from miasto.core import db
from miasto.core.jobs import JobError
from miasto.datahub import gdal, services
from miasto.datahub.models import DATA_SCHEMA
from tests.datahub.conftest import X0, Y0

CSV = (
    "teryt;simc;nazwa;liczba;powierzchnia;numer;wkt\n"
    f"0807043;0188009;Sulechów;12;1,5;0012;POINT ({X0} {Y0})\n"
    f"1465011;0918123;Warszawa;7;2,25;0007;POINT ({X0 + 10} {Y0 + 10})\n"
)
OPTIONS = ["AUTODETECT_TYPE=YES", "KEEP_GEOM_COLUMNS=YES", "GEOM_POSSIBLE_NAMES=wkt"]


@pytest.mark.parametrize(
    ("name", "values", "code"),
    [
        ("TERYT", ["1465011"], True),
        ("kod_teryt", [], True),
        ("SIMC", ["918123"], True),
        ("sym_ul", ["16333"], True),
        ("ULIC", [], True),
        ("idDzialki", [], True),
        ("id_dzialki", [], True),
        ("identyfikator", ["12"], True),
        ("numer", ["0012", "7"], True),  # a leading zero
        ("pesel_like", ["12345678901234567"], True),  # more digits than a double holds
        ("liczba", ["12", "7"], False),
        ("powierzchnia", ["1.5"], False),
        ("id", ["1", "2"], False),
    ],
)
def test_code_columns(name: str, values: list[str], code: bool) -> None:
    assert gdal.is_code_column(name, values) is code


def test_csv_types_keep_codes_as_text_and_take_the_mapping(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(CSV, encoding="utf-8")
    detected = ["Integer", "Integer", "String", "Integer", "String", "Integer", "String"]
    assert gdal.csv_column_types(path, detected) == [
        "String",
        "String",
        "String",
        "Integer",
        "String",
        "String",
        "String",
    ]
    assert gdal.csv_column_types(path, detected, {"liczba": "text", "teryt": "integer"}) == [
        "Integer64",
        "String",
        "String",
        "String",
        "String",
        "String",
        "String",
    ]
    with pytest.raises(JobError, match="Nieznany typ kolumny"):
        gdal.csv_column_types(path, detected, {"liczba": "tekst"})
    # nothing to change: no .csvt
    assert gdal.csv_column_types(path, ["String"] * 3 + ["Integer"] + ["String"] * 3) is None


def test_keep_codes_as_text_writes_a_csvt_unless_one_came_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(CSV, encoding="utf-8")
    csvt = gdal.keep_codes_as_text(path, OPTIONS)
    assert csvt == tmp_path / "a.csvt"
    assert csvt.read_text() == ('"String","String","String","Integer","Real","String","String"\n')
    layer = gdal.describe(path, "CSV", options=gdal.ReadOptions(tuple(OPTIONS))).layers[0]
    assert dict(zip(layer.fields, layer.field_types, strict=True))["teryt"] == "String"
    csvt.write_text('"Integer","Integer","String","Integer","String","Integer","String"\n')
    assert gdal.keep_codes_as_text(path, OPTIONS) is None  # the file's own is kept
    csvt.unlink()
    assert gdal.keep_codes_as_text(path, OPTIONS[1:]) is None  # no autodetection: all text


def test_read_options_outside_the_allow_list_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(CSV, encoding="utf-8")
    for bad in ("XSD=/etc/passwd", "GFS_TEMPLATE=/tmp/x.gfs", "autodetect_type=YES"):
        with pytest.raises(gdal.untrusted.UnsafeSource, match="nie jest dozwolona"):
            gdal.ReadOptions((bad,)).checked("GML")
    with pytest.raises(gdal.untrusted.UnsafeSource, match="nie jest dozwolone"):
        gdal.ReadOptions(config=(("GDAL_HTTP_PROXY", "x"),)).checked("GML")
    pg, env = gdal.pg_connection()
    with pytest.raises(gdal.untrusted.UnsafeSource, match="nie jest dozwolona"):
        gdal.ogr2ogr(
            ["-f", "PostgreSQL", pg, str(path), "-oo", "REGISTRY=/etc/passwd"],
            env=env,
            source=(path, "CSV"),
        )


@pytest.mark.django_db(transaction=True)
def test_csv_import_keeps_codes_as_text(city, make_dataset, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "adresy.csv"
    path.write_text(CSV, encoding="utf-8")
    version = services.version_import(
        dataset=make_dataset(), path=path, source_name="adresy.csv", crs="EPSG:2180"
    )
    assert version.status == "ready", version.error
    schema, table = version.table_name.split(".")
    rows = db.fetch_all(
        sql.SQL("SELECT teryt, simc, numer, liczba FROM {} ORDER BY fid").format(
            sql.Identifier(schema, table)
        )
    )
    assert rows == [("0807043", "0188009", "0012", 12), ("1465011", "0918123", "0007", 7)]
    assert not (tmp_path / "adresy.csvt").exists()  # written in the import's work folder


@pytest.mark.django_db(transaction=True)
def test_column_types_of_the_mapping(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(CSV, encoding="utf-8")
    pg, env = gdal.pg_connection()
    gdal.ogr2ogr(
        [
            "-f",
            "PostgreSQL",
            pg,
            str(path),
            *[a for o in OPTIONS for a in ("-oo", o)],
            "-oo",
            "SEPARATOR=SEMICOLON",
            "-nln",
            f"{DATA_SCHEMA}.stg_codes",
            "-lco",
            "GEOMETRY_NAME=geom",
            "-lco",
            "FID=fid",
            "-a_srs",
            "EPSG:2180",
        ],
        env=env,
        source=gdal.SourceFile(path, "CSV", column_types={"liczba": "text"}),
    )
    table = sql.Identifier(DATA_SCHEMA, "stg_codes")
    rows = db.fetch_all(sql.SQL("SELECT teryt, liczba FROM {} ORDER BY fid").format(table))
    assert rows == [("0807043", "12"), ("1465011", "7")]
    # a type chosen after the load (formats read as text: GML)
    gdal.retype_columns(f"{DATA_SCHEMA}.stg_codes", {"liczba": "integer", "teryt": "text"})
    rows = db.fetch_all(sql.SQL("SELECT teryt, liczba FROM {} ORDER BY fid").format(table))
    assert rows == [("0807043", 12), ("1465011", 7)]
    with pytest.raises(JobError, match="Nieznany typ kolumny"):
        gdal.retype_columns(f"{DATA_SCHEMA}.stg_codes", {"liczba": "int; DROP TABLE x"})
