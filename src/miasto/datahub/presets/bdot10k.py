"""BDOT10k (baza danych obiektów topograficznych 1:10 000) GML, the 2021 model.

Namespace ``urn:gugik:specyfikacje:gmlas:bazaDanychObiektowTopograficznych10k:2.0`` (the
2011 model, ``…:1.0``, nests its identifiers and life cycle and is not mapped). One feature
type per file in the published packages (``…__OT_BUBD_A.xml``): buildings ``OT_BUBD_A``
(``funOgolnaBudynku`` a PKOB class) and carriageways ``OT_SKJZ_L`` (``klasaDrogi``). Versions
that ended carry ``koniecWersjiObiektu``; a carriageway becomes a street only with a name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.datahub.presets.base import FeatureMapping, Preset, Source, ValueMap, register
from miasto.datahub.presets.common import PKOB_USES

OLD_VERSION = ("koniecWersjiObiektu",)

#: BDOT10k road classes → the spine's (A and S roads are of accelerated traffic, I — other)
ROAD_CLASSES = ValueMap(
    {"A": "GP", "S": "GP", "GP": "GP", "G": "G", "Z": "Z", "L": "L", "D": "D", "I": "D"},
    default="L",
)

BDOT10K = register(
    Preset(
        key="bdot10k-2021",
        label=_("BDOT10k topographic database, 2021 model"),
        namespaces=("urn:gugik:specyfikacje:gmlas:bazaDanychObiektowTopograficznych10k:2.0",),
        features=(
            FeatureMapping(
                layer="OT_BUBD_A",
                target="buildings",
                geometry="POLYGON",
                fields={
                    "identifier": Source("lokalnyId"),
                    "use": Source("funOgolnaBudynku", PKOB_USES),
                    "storeys": Source("liczbaKondygnacji"),
                },
                current_only=OLD_VERSION,
                codes=("lokalnyId", "funOgolnaBudynku", "funSzczegolowaBudynku"),
                identifier="lokalnyId",
            ),
            FeatureMapping(
                layer="OT_SKJZ_L",
                target="streets",
                geometry="LINESTRING",
                fields={
                    "name": Source("nazwa"),
                    "road_class": Source("klasaDrogi", ROAD_CLASSES),
                },
                current_only=OLD_VERSION,
                required=("nazwa",),
                codes=("lokalnyId", "klasaDrogi", "kategoriaZarzadzania"),
                identifier="lokalnyId",
            ),
        ),
    )
)
