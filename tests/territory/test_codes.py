"""The spine's code lists in plain words: EGiB land-use classes (with compound values and
soil classes), road classes, the models' choices and field names."""

from __future__ import annotations

import pytest
from django.utils import translation

from miasto.territory import codes
from tests.i18n import compile_messages


@pytest.fixture(autouse=True)
def _polish():  # type: ignore[no-untyped-def]
    compile_messages("territory")
    with translation.override("pl"):
        yield


def test_land_use_classes_in_words():
    assert codes.land_use_label("B") == "tereny mieszkaniowe"
    assert codes.land_use_label("dr") == "drogi"
    assert codes.land_use_label("Bz") == "tereny rekreacyjno-wypoczynkowe"
    assert codes.land_use_label("B,R") == "tereny mieszkaniowe; grunty orne"
    assert codes.land_use_label("RIIIa") == "grunty orne, klasa gleboznawcza IIIa"
    assert codes.land_use_label("ŁIV") == "łąki trwałe, klasa gleboznawcza IV"
    assert codes.land_use_label("Br-RIIIa") == (
        "grunty rolne zabudowane — grunty orne, klasa gleboznawcza IIIa"
    )
    # unknown codes stay as they are; empty is empty
    assert codes.land_use_label("Xq") == "Xq"
    assert codes.land_use_label("") == ""


def test_road_classes_in_words():
    assert codes.road_class_label("D") == "droga dojazdowa"
    assert codes.road_class_label("GP") == "droga główna ruchu przyspieszonego"
    assert codes.road_class_label("P") == "ciąg pieszy"
    assert codes.road_class_label("Q") == "Q"


def test_every_model_choice_and_road_class_is_listed():
    from miasto.territory.models import Building, Street

    lists = codes.code_lists()
    assert set(lists["buildings"]["use"]) == set(Building.Use.values)
    assert set(Street.RoadClass.values) <= set(lists["streets"]["road_class"])
    assert lists["buildings"]["use"]["single_family"] == "dom jednorodzinny"
    assert lists["parcels"]["land_use"]["B"] == "tereny mieszkaniowe"


def test_field_and_value_labels():
    assert codes.field_label("buildings", "use") == "funkcja"
    assert codes.field_label("buildings", "nope") == "nope"
    assert codes.field_label("nope", "use") == "use"
    assert codes.value_label("buildings", "use", "single_family") == "dom jednorodzinny"
    assert codes.value_label("buildings", "use", "castle") == "castle"
    assert codes.value_label("parcels", "land_use", "B") == "tereny mieszkaniowe"
    assert codes.value_label("streets", "road_class", "D") == "droga dojazdowa"
    assert codes.value_label("buildings", "storeys", 3) == "3"
    assert codes.value_label("buildings", "use", None) == ""
