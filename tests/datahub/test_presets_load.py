"""Each preset's sample loaded through ``ogr2ogr`` into a staging table with the preset's
options (issue 18, items 1 and 2): the current versions only, codes as text with their zeros,
and the declared transforms giving the known answers (areas in m², land-use classes, uses,
road classes, names through references)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from miasto.core import db
from miasto.datahub import gdal
from miasto.datahub.columns import launder
from miasto.datahub.models import DATA_SCHEMA
from miasto.datahub.presets import LayerMapping, Lookup, Preset, presets

DATA = Path(__file__).parent / "data" / "presets"
pytestmark = pytest.mark.django_db(transaction=True)
_names = itertools.count(1)
TABLES: dict[str, str] = {}  # quoted name → table name


def preset(key: str) -> Preset:
    found = presets.get(key)
    assert found is not None
    return found


def load(
    tmp_path: Path, name: str, key: str, layer: str
) -> tuple[sql.Identifier, LayerMapping | None]:
    """``layer`` of the sample ``name`` in a staging table, read as the preset ``key`` says."""
    path = tmp_path / name
    if not path.exists():
        shutil.copyfile(DATA / name, path)
    chosen = preset(key)
    info = gdal.describe(path, "GML", options=chosen.options).layer(layer)
    mapped = chosen.mapping_for(info) if chosen.feature(layer) else None
    table = f"stg_preset_{next(_names)}"
    pg, env = gdal.pg_connection()
    gdal.ogr2ogr(
        [
            "-f",
            "PostgreSQL",
            pg,
            str(path),
            layer,
            *(mapped.ogr_args() if mapped else []),
            "-nln",
            f"{DATA_SCHEMA}.{table}",
            "-lco",
            "GEOMETRY_NAME=geom",
            "-lco",
            "FID=fid",
            "-lco",
            "PRECISION=NO",
            "-t_srs",
            "EPSG:2180",
        ],
        env=env,
        source=mapped.source_file(path) if mapped else gdal.SourceFile(path, "GML", chosen.options),
    )
    ident = sql.Identifier(DATA_SCHEMA, table)
    TABLES[ident.as_string()] = table
    return ident, mapped


def column(table: sql.Identifier, name: str) -> list[Any]:
    query = sql.SQL("SELECT {c} FROM {t} ORDER BY fid").format(
        c=sql.Identifier(launder(name)), t=table
    )
    return [r[0] for r in db.fetch_all(query)]


def transformed(table: sql.Identifier, mapped: LayerMapping, target_field: str) -> list[Any]:
    source = sql.Identifier(launder(mapped.mapping[target_field]))
    expression = mapped.transforms[target_field].expression(source)
    query = sql.SQL("SELECT {e} FROM {t} ORDER BY fid").format(e=expression, t=table)
    return [r[0] for r in db.fetch_all(query)]


def column_type(table: sql.Identifier, name: str) -> str:
    schema, relation = DATA_SCHEMA, TABLES[table.as_string()]
    return str(
        db.fetch_value(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = %s AND column_name = %s",
            [schema, relation, launder(name)],
        )
    )


def test_egib_2021(tmp_path: Path) -> None:
    parcels, mapped = load(tmp_path, "egib_2021.gml", "egib-2021", "EGB_DzialkaEwidencyjna")
    assert mapped is not None
    # four parcels in the file, one of them an old version
    assert column(parcels, "idDzialki") == [
        "106401_1.0001.12/3",
        "106401_1.0001.13",
        "106401_1.0001.14",
    ]
    assert [float(a) for a in transformed(parcels, mapped, "area")] == [1000.0, 1000.0, 800.0]
    assert transformed(parcels, mapped, "land_use") == ["B,R", "Bi", "dr"]
    buildings, mapped = load(tmp_path, "egib_2021.gml", "egib-2021", "EGB_Budynek")
    assert mapped is not None
    assert column(buildings, "idBudynku") == ["106401_1.0001.12/3.1_BUD", "106401_1.0001.13.1_BUD"]
    assert transformed(buildings, mapped, "use") == ["single_family", "multi_family"]
    assert column(buildings, "liczbaKondygnacjiNadziemnych") == ["2", "5"]
    addresses, mapped = load(tmp_path, "egib_2021.gml", "egib-2021", "EGB_AdresNieruchomosci")
    assert column(addresses, "idMiejscowosci") == ["0958314", "0958314"]
    assert column(addresses, "idNazwyUlicy") == ["02461", "02461"]
    assert column(addresses, "numerPorzadkowy") == ["7A", "9"]
    assert column(addresses, "nazwaUlicy") == ["ul. Źródlana", "ul. Źródlana"]
    assert column_type(addresses, "idMiejscowosci") == "character varying"


def test_egib_2015(tmp_path: Path) -> None:
    parcels, mapped = load(tmp_path, "egib_2015.gml", "egib-2015", "EGB_DzialkaEwidencyjna")
    assert mapped is not None
    assert column(parcels, "idDzialki") == ["106401_1.0002.7", "106401_1.0002.8/1"]
    assert [float(a) for a in transformed(parcels, mapped, "area")] == [255.0, 620.0]
    assert transformed(parcels, mapped, "land_use") == ["B", "Ps"]


def test_prg_2012(tmp_path: Path) -> None:
    points, mapped = load(tmp_path, "prg_2012.gml", "prg-2012", "PRG_PunktAdresowy")
    assert mapped is not None
    assert column(points, "ulica") == ["Źródlana", "Źródlana"]
    assert column(points, "numerPorzadkowy") == ["7A", "9"]
    assert column(points, "kodPocztowy") == ["66-100", "66-100"]
    streets, mapped = load(tmp_path, "prg_2012.gml", "prg-2012", "PRG_UlicaNazwa")
    assert mapped is not None
    assert column(streets, "idTERYT") == ["02461"]
    assert transformed(streets, mapped, "kind") == ["ul."]
    units, _ = load(tmp_path, "prg_2012.gml", "prg-2012", "PRG_JednostkaAdministracyjnaNazwa")
    assert column(units, "idTERYT") == ["0807043"]
    places, _ = load(tmp_path, "prg_2012.gml", "prg-2012", "PRG_MiejscowoscNazwa")
    assert column(places, "idTERYT") == ["0188009"]
    assert column_type(places, "idTERYT") == "character varying"


def test_prg_2021_with_names_through_references(tmp_path: Path) -> None:
    places, _ = load(tmp_path, "prg_2021.gml", "prg-2021", "AD_Miejscowosc")
    assert column(places, "TERYTGminy") == ["0807043"]
    assert column(places, "identyfikatorSIMC") == ["0188009"]
    assert column(places, "rodzaj") == ["01"]
    streets, mapped = load(tmp_path, "prg_2021.gml", "prg-2021", "AD_UlicaPlac")
    assert mapped is not None
    assert column(streets, "identyfikatorULIC") == ["02461"]
    assert column(streets, "TERYTNazwa1") == ["Źródlana"]
    assert transformed(streets, mapped, "kind") == ["ul."]
    points, mapped = load(tmp_path, "prg_2021.gml", "prg-2021", "AD_PunktAdresowy")
    assert mapped is not None
    assert column(points, "numerPorzadkowy") == ["7A", "9"]
    lookups = {"AD_UlicaPlac": streets, "AD_Miejscowosc": places}
    for target_field, expected in (("street", "ul. Źródlana"), ("place", "Sulechów")):
        lookup = mapped.transforms[target_field]
        assert isinstance(lookup, Lookup)
        source = sql.Identifier(launder(mapped.mapping[target_field]))
        query = sql.SQL("SELECT {e} FROM {t} ORDER BY fid").format(
            e=lookup.expression_from(source, lookups[lookup.layer]), t=points
        )
        assert [r[0] for r in db.fetch_all(query)] == [expected, expected]


def test_bdot10k(tmp_path: Path) -> None:
    buildings, mapped = load(tmp_path, "bdot10k.gml", "bdot10k-2021", "OT_BUBD_A")
    assert mapped is not None
    assert column(buildings, "lokalnyId") == ["0a1b2c3d-0001", "0a1b2c3d-0002"]
    assert transformed(buildings, mapped, "use") == ["single_family", "industrial"]
    roads, mapped = load(tmp_path, "bdot10k.gml", "bdot10k-2021", "OT_SKJZ_L")
    assert mapped is not None
    # three carriageways in the file, one of them a version that ended
    assert column(roads, "nazwa") == ["Źródlana", "Aleja Wolności"]
    assert transformed(roads, mapped, "road_class") == ["L", "Z"]


def test_without_text_reading_gdal_would_drop_the_zeros(tmp_path: Path) -> None:
    """Why GML is read as text: GDAL's own guess (``GML_FIELDTYPES`` unset, ``AUTO``) turns
    the codes into integers."""
    path = tmp_path / "prg_2021.gml"
    shutil.copyfile(DATA / "prg_2021.gml", path)
    guessed = gdal.ReadOptions(config=(("GML_FIELDTYPES", "AUTO"),))
    layer = gdal.describe(path, "GML", options=guessed).layer("AD_Miejscowosc")
    types = dict(zip(layer.fields, layer.field_types, strict=True))
    assert types["TERYTGminy"] == "Integer"
    for gfs in tmp_path.glob("*.gfs"):
        gfs.unlink()  # (the guessed types are kept in the .gfs beside the file)
    layer = gdal.describe(path, "GML").layer("AD_Miejscowosc")
    types = dict(zip(layer.fields, layer.field_types, strict=True))
    assert types["TERYTGminy"] == "String"
