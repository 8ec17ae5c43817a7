"""PRG address points (państwowy rejestr granic: adresy) GML, the national address register.

Two models: 2012 (namespace ``urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:1.0``,
``PRG_PunktAdresowy`` with the place and street names as text, ``PRG_UlicaNazwa`` and
``PRG_MiejscowoscNazwa`` with their TERYT codes in ``idTERYT``) and 2021 (rozporządzenie w
sprawie ewidencji miejscowości, ulic i adresów, 2021; namespace
``https://geoportal.gov.pl/schemas/prgad/1.0``: ``AD_PunktAdresowy`` refers to its place
(``miejscowosc``) and street (``ulica2``) by ``xlink:href`` only, ``AD_Miejscowosc`` holds
``identyfikatorSIMC`` and ``TERYTGminy``, ``AD_UlicaPlac`` ``identyfikatorULIC``). Every code
has leading zeros (``0807043``, ``0188009``, ``02461``, ``rodzaj 01``): read as text. The
references are read as ``<element>_href`` (``GML_ATTRIBUTES_TO_OGR_FIELDS``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.gdal import ReadOptions
from miasto.datahub.presets.base import FeatureMapping, Lookup, Preset, Source, ValueMap, register

#: xlink:href references as fields (``miejscowosc_href``, ``ulica2_href``)
WITH_REFERENCES = ReadOptions(open_options=("GML_ATTRIBUTES_TO_OGR_FIELDS=YES",))

STREET_PREFIXES = ValueMap({"ul.": "ul.", "al.": "al.", "pl.": "pl.", "rondo": "rondo"}, "ul.")
STREET_KINDS = ValueMap(
    {"ulica": "ul.", "aleja": "al.", "plac": "pl.", "rondo": "rondo"}, default="ul."
)

PRG_2012 = register(
    Preset(
        key="prg-2012",
        label=_("PRG address points, 2012 model"),
        namespaces=("urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:1.0",),
        options=WITH_REFERENCES,
        features=(
            FeatureMapping(
                layer="PRG_PunktAdresowy",
                target="addresses",
                geometry="POINT",
                fields={
                    "street": Source("ulica"),
                    "place": Source("miejscowosc"),
                    "number": Source("numerPorzadkowy"),
                    "postcode": Source("kodPocztowy"),
                },
                current_only=("koniecWersjiObiektu",),
                codes=("numerPorzadkowy", "kodPocztowy"),
            ),
            FeatureMapping(
                layer="PRG_UlicaNazwa",
                target="streets",
                geometry="LINESTRING",
                fields={
                    "name": Source("nazwaGlownaCzesc"),
                    "kind": Source("przedrostek1Czesc", STREET_PREFIXES),
                    "ulic": Source("idTERYT"),
                },
                current_only=("koniecWersjiObiektu",),
                codes=("idTERYT",),
            ),
        ),
    )
)

PRG_2021 = register(
    Preset(
        key="prg-2021",
        label=_("PRG address points, 2021 model"),
        namespaces=("https://geoportal.gov.pl/schemas/prgad/1.0",),
        options=WITH_REFERENCES,
        features=(
            FeatureMapping(
                layer="AD_PunktAdresowy",
                target="addresses",
                geometry="POINT",
                fields={
                    "street": Source("ulica2_href", Lookup("AD_UlicaPlac", "nazwaPelna")),
                    "place": Source("miejscowosc_href", Lookup("AD_Miejscowosc", "nazwa")),
                    "number": Source("numerPorzadkowy"),
                    "postcode": Source("kodPocztowy"),
                },
                current_only=("koniecWersjiObiektu",),
                codes=("numerPorzadkowy", "kodPocztowy"),
            ),
            FeatureMapping(
                layer="AD_UlicaPlac",
                target="streets",
                geometry="LINESTRING",
                fields={
                    "name": Source("TERYTNazwa1", alternatives=(Source("nazwaPelna"),)),
                    "kind": Source("rodzaj", STREET_KINDS),
                    "ulic": Source("identyfikatorULIC"),
                },
                current_only=("koniecWersjiObiektu",),
                codes=("identyfikatorULIC", "rodzaj"),
            ),
        ),
    )
)
