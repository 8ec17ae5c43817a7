"""How a search query is read (no database): each form people type, and what is not one."""

from __future__ import annotations

import pytest

from miasto.territory.search_parse import clean, full_name, parse, searchable, strip_kind


@pytest.mark.parametrize(
    "text,identifier,precinct_id",
    [
        ("106401_1.0036.196", "106401_1.0036.196", None),
        ("106401_1.0025.ar_2.7", "106401_1.0025.AR_2.7", None),
        ("106401_1.0036", "106401_1.0036", ("106401_1", "0036")),
        ("106401_1.0036.", "106401_1.0036.", ("106401_1", "0036")),
        ("106401_1 . 0036 . 19", "106401_1.0036.19", None),
    ],
)
def test_identifier(text, identifier, precinct_id):  # type: ignore[no-untyped-def]
    parsed = parse(text)
    assert parsed.identifier == identifier and parsed.precinct_id == precinct_id
    assert parsed.name is None and parsed.number_names == []  # nothing else looks like one


@pytest.mark.parametrize(
    "text,expected",
    [
        ("0036.196", ("0036", None, "196")),
        ("0003.12/4", ("0003", None, "12/4")),
        ("0003.12/", ("0003", None, "12/")),
        ("36.196", ("0036", None, "196")),
        ("0025.AR_2.7", ("0025", "AR_2", "7")),
        ("0025.ar_2.7", ("0025", "AR_2", "7")),
        ("0036.", ("0036", None, "")),
        ("0036", ("0036", None, "")),
        ("0036 . 196", ("0036", None, "196")),
    ],
)
def test_precinct_number(text, expected):  # type: ignore[no-untyped-def]
    assert parse(text).precinct_number == expected


@pytest.mark.parametrize(
    "text,expected",
    [("196", "196"), ("12/4", "12/4"), ("dz. 12/4", "12/4"), ("działka 7", "7"), ("nr 7", "7")],
)
def test_bare_number(text, expected):  # type: ignore[no-untyped-def]
    assert parse(text).number == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("196 Stare Miasto", [("196", "Stare Miasto")]),
        ("12/4 Fabryczna", [("12/4", "Fabryczna")]),
        ("Fabryczna 12/4", [("12/4", "Fabryczna")]),
        ("Łęgi 5, dz. 196", [("196", "Łęgi 5")]),
        ("dz. 196 obręb Łęgi 5", [("196", "Łęgi 5")]),
        ("196 os. Słoneczne", [("196", "Słoneczne")]),
    ],
)
def test_number_with_name(text, expected):  # type: ignore[no-untyped-def]
    assert parse(text).number_names[: len(expected)] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ul. Długa 10", ("Długa", "10")),
        ("Długa 10a", ("Długa", "10A")),
        ("dluga 12 5", ("dluga 12", "5")),
        ("al. Jana Pawła II 5", ("Jana Pawła II", "5")),
        ("pl.Wolności 3/2", ("Wolności", "3/2")),
        ("Długa", None),
        ("0036.196", None),
    ],
)
def test_street_and_house_number(text, expected):  # type: ignore[no-untyped-def]
    assert parse(text).street_number == expected


def test_kind_words_and_areas_as_called():  # type: ignore[no-untyped-def]
    assert strip_kind("ul. Długa") == "Długa"
    assert strip_kind("ulica Długa") == "Długa"
    assert strip_kind("Osiedlowa") == "Osiedlowa"  # not "os." in front
    assert strip_kind("Plac") == "Plac"
    assert full_name("os. Słoneczne") == "osiedle Słoneczne"
    assert full_name("Osiedle Słoneczne") == "osiedle Słoneczne"
    assert full_name("Słoneczne") == "Słoneczne"
    assert parse("os. Słoneczne").full["Słoneczne"] == "osiedle Słoneczne"


def test_clean_and_searchable():  # type: ignore[no-untyped-def]
    assert clean("  Dłu\x00ga\t\n 10 ") == "Dłu ga 10"
    assert clean("\ud800x") == "?x"
    assert clean("D\u0142ugа") == "Długа"  # the Cyrillic "а" stays: similar names find it
    assert clean("ﬁ") == "fi"
    assert clean(None) == ""  # type: ignore[arg-type]
    assert not searchable("%%_-.,!?")
    assert searchable("%a") and searchable("7")
