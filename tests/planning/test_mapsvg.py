"""The map extract (wyrys) SVG on the hand-made parcel of ``test_report`` (40 × 25 m, zones 1MN
and 2MW, a non-exceedable building line, a flood hazard area, one building)."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET  # trusted output of our own code

import pytest
from django.contrib.gis.geos import MultiPolygon

from miasto.planning.mapsvg import (
    STANDARD_SCALES,
    choose_scale,
    legend_swatch,
    map_extract,
    scale_bar_length,
)
from tests.planning.test_report import X, Y, box_poly, site  # noqa: F401
from tests.territory.factories import ParcelFactory

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize(
    ("w", "h", "scale"),
    [(50, 40, 500), (85, 87.5, 500), (86, 10, 1000), (170, 175, 1000), (171, 10, 2000),
     (800, 300, 5000), (1700, 1750, 10000), (1701, 10, 20000), (5000, 100, 30000)],
)  # fmt: skip
def test_choose_scale_fits_the_frame(w, h, scale):
    assert choose_scale(w, h) == scale


def test_scale_bar_is_round_and_fits():
    assert [scale_bar_length(s) for s in STANDARD_SCALES] == [25, 50, 100, 250, 500]


def test_extract_of_the_hand_made_parcel(site):  # noqa: F811
    extract = map_extract([site.identifier])
    assert extract is not None
    assert extract.scale == 500 and extract.standard_scale
    root = _parse(extract.svg)
    assert root.get("data-scale") == "500"
    assert root.get("viewBox") == "0 0 170.0 175.0"
    assert root.get("width") == "170.0mm"
    assert root.get("role") == "img"
    # the text alternative
    assert "106401_1.0007.12/3" in root.find("svg:title", NS).text
    assert "1MN" in root.find("svg:desc", NS).text
    # the parcel, bold, and the zones in force (not the annulled 1P, and 1U's plan is not the
    # basis... it is a local plan too, so it is drawn where it lies in the window)
    subject = root.findall(".//svg:path[@class='subject-parcel']", NS)
    assert [p.get("data-number") for p in subject] == ["12/3"]
    zones = {p.get("data-designation"): p for p in root.findall(".//svg:path[@class='zone']", NS)}
    assert {"1MN", "2MW", "1U"} <= set(zones) and "1P" not in zones
    assert zones["1MN"].get("fill") == "#ffe14d" and zones["2MW"].get("fill") == "#f5a341"
    labels = [t.text for t in root.findall(".//svg:text[@class='zone-label']", NS)]
    assert {"1MN", "2MW"} <= set(labels)
    # building line dashed (non-exceedable), constraint hatched, building drawn
    (line,) = root.findall(".//svg:path[@class='building-line']", NS)
    assert line.get("data-kind") == "non_exceedable"
    assert root.find(".//svg:g[@class='building-lines']", NS) is not None
    assert line.get("stroke-dasharray")
    kinds = {c.get("data-kind") for c in root.findall(".//svg:path[@class='constraint']", NS)}
    assert kinds == {"flood_1pct", "noise"}
    flood = root.find(".//svg:path[@data-kind='flood_1pct']", NS)
    assert flood.get("fill") == "url(#wyrys-h-flood_1pct)"
    assert root.find(".//svg:pattern[@id='wyrys-h-flood_1pct']", NS) is not None
    assert len(root.findall(".//svg:path[@class='building']", NS)) == 1
    # scale bar and north arrow
    assert root.find(".//svg:text[@class='scale-text']", NS).text == "Skala 1:500" or (
        root.find(".//svg:text[@class='scale-text']", NS).text == "Scale 1:500"
    )
    assert root.find(".//svg:g[@class='north-arrow']", NS) is not None
    if os.environ.get("MIASTO_KEEP_ARTIFACTS"):
        from pathlib import Path

        Path("/tmp/wyrys.svg").write_text(extract.svg)


def test_subject_geometry_in_paper_millimetres(site):  # noqa: F811
    """At 1:500 the 40 m parcel edge is 80 mm on paper, centred in the 170 mm frame."""
    extract = map_extract([site.identifier])
    root = _parse(extract.svg)
    d = root.find(".//svg:path[@class='subject-parcel']", NS).get("d")
    numbers = [float(t) for t in d.replace("M", " ").replace("L", " ").replace("Z", " ").split()]
    xs, ys = numbers[0::2], numbers[1::2]
    assert (min(xs), max(xs)) == (45.0, 125.0)  # (170 − 80) / 2
    assert (min(ys), max(ys)) == (62.5, 112.5)  # (175 − 50) / 2


def test_legend_only_present_categories(site):  # noqa: F811
    legend = map_extract([site.identifier]).legend
    groups = {(row["group"], row["key"]) for row in legend}
    assert ("zone", "MN") in groups and ("zone", "MW") in groups and ("zone", "U") in groups
    assert ("line", "non_exceedable") in groups and ("line", "obligatory") not in groups
    assert ("constraint", "flood_1pct") in groups and ("constraint", "nature") not in groups
    assert ("zone", "P") not in groups  # the annulled plan's 1P is not in force
    for row in legend:
        swatch = _parse(legend_swatch(row, "t"))
        assert swatch.get("aria-hidden") == "true"


def test_history_and_several_parcels(site):  # noqa: F811
    past = _parse(map_extract([site.identifier], dt.date(2018, 5, 1)).svg)
    assert [p.get("data-designation") for p in past.findall(".//svg:path[@class='zone']", NS)] == [
        "1P"
    ]
    assert past.findall(".//svg:path[@class='building-line']", NS) == []
    far = ParcelFactory(
        precinct=site.precinct,
        number="99",
        geom=MultiPolygon(box_poly(X + 300, Y, X + 320, Y + 20), srid=2180),
    )
    both = map_extract([site.identifier, far.identifier, "106401_1.0007.404"], id_prefix="m2")
    assert both.scale == 5000  # 320 m + 2 × 15 % margins = 416 m: over 1:2000 (340 m)
    root = _parse(both.svg)
    numbers = {
        p.get("data-number") for p in root.findall(".//svg:path[@class='subject-parcel']", NS)
    }
    assert numbers == {"12/3", "99"}
    assert root.find(".//svg:clipPath[@id='m2-clip']", NS) is not None


def test_unknown_parcels(db):
    assert map_extract(["106401_1.0001.999"]) is None


def test_drawn_from_records_alone():
    """The drawing takes plain records (no database): labels of large zones only, neighbours
    merged into one path, a dashed non-exceedable line."""
    from miasto.planning.mapsvg import Layers, Sheet, _draw

    square = "M 10 10 L 60 10 60 60 10 60 Z"
    layers = Layers(
        zones=[
            {"designation": "1MN", "symbol": "MN", "svg": square, "lx": 35, "ly": 35,
             "paper_area": 2500},
            {"designation": "2U", "symbol": "U", "svg": square, "lx": 1, "ly": 1,
             "paper_area": 10},
        ],
        constraints=[],
        parcels=[
            {"number": "1", "subject": True, "svg": square, "lx": 35, "ly": 35, "paper_area": 9},
            {"number": "2", "subject": False, "svg": square, "lx": 5, "ly": 5, "paper_area": 99},
            {"number": "3", "subject": False, "svg": square, "lx": 7, "ly": 7, "paper_area": 99},
        ],
        buildings=[],
        lines=[{"kind": "non_exceedable", "svg": "M 0 0 L 5 5"}],
    )  # fmt: skip
    sheet = Sheet(["x.1"], 500, (0.0, 0.0, 85.0, 87.5), (170.0, 175.0), "t", dt.date(2026, 1, 1))
    extract = _draw(sheet, layers)
    root = _parse(extract.svg)
    assert [t.text for t in root.findall(".//svg:text[@class='zone-label']", NS)] == ["1MN"]
    assert len(root.findall(".//svg:path[@class='parcel']", NS)) == 1
    assert [t.text for t in root.findall(".//svg:text[@class='parcel-label']", NS)] == ["2", "3"]
    (line,) = root.findall(".//svg:path[@class='building-line']", NS)
    assert line.get("stroke-dasharray") == "2.4 1.2"
    assert extract.counts["subjects"] == 1 and extract.counts["parcels"] == 3
