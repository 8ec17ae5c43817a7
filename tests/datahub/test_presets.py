"""Import presets for national schemas (issue 18, item 1): recognising a file and mapping its
layers, on small files written from the schemas' documentation (tests/datahub/data/presets)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from miasto.core import gdal as core_gdal
from miasto.core.importing import get_target
from miasto.core.jobs import JobError
from miasto.datahub import gdal
from miasto.datahub.presets import Lookup, detect, presets

DATA = Path(__file__).parent / "data" / "presets"

#: file → the preset it is, and the layers (feature types) it holds
FILES = {
    "egib_2021.gml": (
        "egib-2021",
        ["EGB_DzialkaEwidencyjna", "EGB_Budynek", "EGB_AdresNieruchomosci"],
    ),
    "egib_2015.gml": ("egib-2015", ["EGB_DzialkaEwidencyjna"]),
    "prg_2012.gml": (
        "prg-2012",
        [
            "PRG_JednostkaAdministracyjnaNazwa",
            "PRG_MiejscowoscNazwa",
            "PRG_UlicaNazwa",
            "PRG_PunktAdresowy",
        ],
    ),
    "prg_2021.gml": ("prg-2021", ["AD_Miejscowosc", "AD_UlicaPlac", "AD_PunktAdresowy"]),
    "bdot10k.gml": ("bdot10k-2021", ["OT_BUBD_A", "OT_SKJZ_L"]),
}

#: the mapping each layer gets: {target field: column as GDAL names it}
MAPPINGS = {
    ("egib-2021", "EGB_DzialkaEwidencyjna"): {
        "identifier": "idDzialki",
        "area": "poleEwidencyjne",
        "land_use": "OFU",
    },
    ("egib-2021", "EGB_Budynek"): {
        "identifier": "idBudynku",
        "use": "klasaWgPKOB",
        "storeys": "liczbaKondygnacjiNadziemnych",
        "year_built": "rokZakonczeniaBudowy",
    },
    ("egib-2021", "EGB_AdresNieruchomosci"): {
        "street": "nazwaUlicy",
        "place": "nazwaMiejscowosci",
        "number": "numerPorzadkowy",
        "postcode": "kodPocztowy",
    },
    ("egib-2015", "EGB_DzialkaEwidencyjna"): {
        "identifier": "idDzialki",
        "area": "powierzchniaEwidencyjna",
        "land_use": "OFU",
    },
    ("prg-2012", "PRG_PunktAdresowy"): {
        "street": "ulica",
        "place": "miejscowosc",
        "number": "numerPorzadkowy",
        "postcode": "kodPocztowy",
    },
    ("prg-2012", "PRG_UlicaNazwa"): {
        "name": "nazwaGlownaCzesc",
        "kind": "przedrostek1Czesc",
        "ulic": "idTERYT",
    },
    ("prg-2021", "AD_PunktAdresowy"): {
        "street": "ulica2_href",
        "place": "miejscowosc_href",
        "number": "numerPorzadkowy",
        "postcode": "kodPocztowy",
    },
    ("prg-2021", "AD_UlicaPlac"): {
        "name": "TERYTNazwa1",
        "kind": "rodzaj",
        "ulic": "identyfikatorULIC",
    },
    ("bdot10k-2021", "OT_BUBD_A"): {
        "identifier": "lokalnyId",
        "use": "funOgolnaBudynku",
        "storeys": "liczbaKondygnacji",
    },
    ("bdot10k-2021", "OT_SKJZ_L"): {"name": "nazwa", "road_class": "klasaDrogi"},
}


def copy(tmp_path: Path, name: str) -> Path:
    """The sample in a folder of the test's own (GDAL writes a .gfs beside what it reads)."""
    out = tmp_path / name
    shutil.copyfile(DATA / name, out)
    return out


def layers(path: Path, key: str) -> dict[str, core_gdal.LayerInfo]:
    preset = presets.get(key)
    assert preset is not None
    return {lyr.name: lyr for lyr in gdal.describe(path, "GML", options=preset.options).layers}


def test_every_preset_maps_onto_fields_of_its_targets() -> None:
    assert set(presets.keys()) >= {"egib-2021", "egib-2015", "prg-2012", "prg-2021", "bdot10k-2021"}
    for preset in presets:
        assert str(preset.label)
        for feature in preset.features:
            target = get_target(feature.target)
            names = {f.name for f in target.fields}
            assert set(feature.fields) <= names, (preset.key, feature.layer)
            # a required field of the target is declared by every feature mapped onto it
            required = {f.name for f in target.fields if f.required}
            assert required <= set(feature.fields), (preset.key, feature.layer, required)


@pytest.mark.parametrize("name", sorted(FILES))
def test_detection_from_the_head(tmp_path: Path, name: str) -> None:
    key, feature_types = FILES[name]
    found = detect(copy(tmp_path, name))
    assert [m.preset.key for m in found] == [key]
    match = found[0]
    assert match.score == 2
    mapped = {f.layer for f in match.preset.features}
    assert list(match.feature_types) == [t for t in feature_types if t in mapped]
    assert not list(tmp_path.glob("*.gfs"))  # GDAL never read it


def test_a_file_of_no_known_schema_matches_nothing(tmp_path: Path) -> None:
    path = tmp_path / "inne.gml"
    path.write_text(
        '<?xml version="1.0"?><ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" '
        'xmlns:gml="http://www.opengis.net/gml/3.2"><gml:featureMember><ogr:drzewa gml:id="a">'
        "<ogr:nazwa>lipa</ogr:nazwa></ogr:drzewa></gml:featureMember></ogr:FeatureCollection>"
    )
    assert detect(path) == []


def test_detection_reads_the_head_safely(tmp_path: Path) -> None:
    path = tmp_path / "egib.gml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" '
        'xmlns:egb="ewidencjaGruntowIBudynkow:1.0"><egb:x>&e;</egb:x></gml:FeatureCollection>'
    )
    with pytest.raises(core_gdal.UnsafeSource, match="DTD"):
        detect(path)


@pytest.mark.parametrize("name", sorted(FILES))
def test_describe_reads_each_sample_and_mapping_for_gives_the_columns(
    tmp_path: Path, name: str
) -> None:
    key, feature_types = FILES[name]
    found = layers(copy(tmp_path, name), key)
    assert list(found) == feature_types
    preset = presets.get(key)
    assert preset is not None
    for layer_name, layer in found.items():
        if preset.feature(layer_name) is None:
            continue
        mapped = preset.mapping_for(layer)
        assert mapped.mapping == MAPPINGS[(key, layer_name)], layer_name
        assert mapped.missing == ()
        # every code is read as text (no XSD is read: GDAL would guess integers)
        types = dict(zip(layer.fields, layer.field_types, strict=True))
        assert mapped.codes and all(types[c].startswith("String") for c in mapped.codes)
        get_target(mapped.target).resolve_mapping(mapped.mapping, layer.fields)


def test_old_versions_are_filtered_by_the_column_that_ends_them(tmp_path: Path) -> None:
    egib = layers(copy(tmp_path, "egib_2021.gml"), "egib-2021")
    preset = presets.get("egib-2021")
    assert preset is not None
    parcels = preset.mapping_for(egib["EGB_DzialkaEwidencyjna"])
    assert parcels.where == '"koniecWersjaObiekt" IS NULL'
    assert parcels.ogr_args()[-2:] == ["-where", '"koniecWersjaObiekt" IS NULL']
    # a layer without old versions has no such column: no filter (GDAL would refuse it)
    assert preset.mapping_for(egib["EGB_Budynek"]).where is None
    bdot = layers(copy(tmp_path, "bdot10k.gml"), "bdot10k-2021")
    roads = presets.get("bdot10k-2021")
    assert roads is not None
    assert roads.mapping_for(bdot["OT_SKJZ_L"]).where == (
        '"koniecWersjiObiektu" IS NULL AND "nazwa" IS NOT NULL'
    )


def test_references_of_prg_2021_are_lookups(tmp_path: Path) -> None:
    found = layers(copy(tmp_path, "prg_2021.gml"), "prg-2021")
    preset = presets.get("prg-2021")
    assert preset is not None
    points = preset.mapping_for(found["AD_PunktAdresowy"])
    assert points.transforms["street"] == Lookup("AD_UlicaPlac", "nazwaPelna")
    assert points.transforms["place"] == Lookup("AD_Miejscowosc", "nazwa")
    assert points.lookup_layers() == ["AD_UlicaPlac", "AD_Miejscowosc"]
    assert preset.options.open_options == ("GML_ATTRIBUTES_TO_OGR_FIELDS=YES",)


def test_alternatives_when_a_column_is_absent() -> None:
    preset = presets.get("egib-2021")
    assert preset is not None
    layer = core_gdal.LayerInfo(
        "EGB_Budynek", "Polygon", 1, ["gml_id", "idBudynku", "rodzajWgKST"], field_types=[]
    )
    mapped = preset.mapping_for(layer)
    assert mapped.mapping == {"identifier": "idBudynku", "use": "rodzajWgKST"}
    assert set(mapped.missing) == {"storeys", "year_built"}


def test_namespace_matches_but_content_does_not(tmp_path: Path) -> None:
    """Bad input: the namespace of a preset, but parcels without identifiers, or buildings
    as points — refused naming the feature type."""
    preset = presets.get("egib-2021")
    assert preset is not None
    no_ids = core_gdal.LayerInfo("EGB_DzialkaEwidencyjna", "Polygon", 2, ["gml_id", "OFU"])
    with pytest.raises(JobError, match="EGB_DzialkaEwidencyjna nie mają pola idDzialki"):
        preset.mapping_for(no_ids)
    points = core_gdal.LayerInfo("EGB_Budynek", "Point", 2, ["gml_id", "idBudynku"])
    with pytest.raises(JobError, match="EGB_Budynek mają geometrię Point"):
        preset.mapping_for(points)
    other = core_gdal.LayerInfo("EGB_Lokal", "None", 2, ["gml_id"])
    with pytest.raises(JobError, match="nie obejmuje obiektów EGB_Lokal"):
        preset.mapping_for(other)
    # the same from a file: parcels whose identifiers are missing
    path = tmp_path / "egib.gml"
    path.write_text(
        (DATA / "egib_2021.gml").read_text(encoding="utf-8").replace("idDzialki>", "numer>"),
        encoding="utf-8",
    )
    assert [m.preset.key for m in detect(path)] == ["egib-2021"]
    found = layers(path, "egib-2021")
    with pytest.raises(JobError, match="nie mają pola idDzialki"):
        preset.mapping_for(found["EGB_DzialkaEwidencyjna"])
