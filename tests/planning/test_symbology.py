"""Zone colours by land use: lenient symbol reading, legend of present classes, contrast."""

from __future__ import annotations

import json

import pytest

from miasto.planning.symbology import (
    CLASSES,
    legend_for,
    normalise_symbol,
    symbology_json,
    zone_class,
    zone_colour,
)


@pytest.mark.parametrize(
    ("symbol", "key"),
    [("MN", "MN"), ("3MN", "MN"), ("MN/U", "MN"), ("MW", "MW"), ("U", "U"), ("UH", "U"),
     ("ZP", "ZP"), ("KD-L", "KD"), ("2KD-GP", "KD"), ("KDD", "KD"), ("ZL", "ZL"), ("WS", "W"),
     ("MN/U.2.6", "MN"), ("A.12.MW", "MW"), ("1SJ", "SJ"), ("SW", "SW"), ("KDX", "KD"),
     ("UX", "U"), ("", "other"), ("???", "other"), ("QQ", "other")],
)  # fmt: skip
def test_zone_class(symbol, key):
    assert zone_class(symbol) == key


def test_normalise_symbol():
    assert normalise_symbol(" 3mn/u ") == "MN"
    assert normalise_symbol("KD-L") == "KDL"


def test_colours_distinguish_main_uses():
    colours = {zone_colour(s) for s in ("MN", "MW", "U", "P", "ZP", "KD", "W", "R")}
    assert len(colours) == 8
    assert zone_colour("1MN") == zone_colour("MN") == "#ffe14d"


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("key", list(CLASSES))
def test_dark_labels_readable_on_every_fill(key):
    fill, text = _luminance(CLASSES[key].colour), _luminance("#1a1a1a")
    assert (fill + 0.05) / (text + 0.05) >= 4.5


def test_legend_only_present_classes_in_order():
    legend = legend_for(["2MW", "1MN", "3MN", "1KD-L", "MN/U"])
    assert [row["key"] for row in legend] == ["MN", "MW", "KD"]
    assert legend[0]["symbols"] == ["1MN", "3MN", "MN/U"]
    assert legend[0]["colour"] == "#ffe14d"
    assert legend_for([]) == []


def test_symbology_json_is_serialisable_and_consistent():
    data = json.loads(json.dumps(symbology_json()))
    by_key = {c["key"]: c for c in data["classes"]}
    assert data["lookup"]["MN"] == "MN" and by_key["MN"]["colour"] == zone_colour("MN")
    assert data["default"] == "other"
    assert ["KD", "KD"] in data["prefixes"]
