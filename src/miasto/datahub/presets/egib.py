"""EGiB (ewidencja gruntów i budynków) GML from a county's geodetic office.

Two models are in use: the 2021 one (rozporządzenie z 27 lipca 2021 r. w sprawie ewidencji
gruntów i budynków, namespace ``ewidencjaGruntowIBudynkow:1.0`` — no ``urn:``) and the older
one (namespace ``urn:gugik:specyfikacje:gmlas:ewidencjaGruntowBudynkow:1.0``, identifiers in
``bt:BT_Identyfikator``, area as ``powierzchniaEwidencyjna``). GDAL flattens the nested
elements: ``idIIP/…/lokalnyId`` is ``lokalnyId``, a parcel's land-use classes
(``klasouzytek/EGB_Klasouzytek/OFU``) are ``OFU``, a list when repeated, and an attribute
``uom`` is ``<element>_uom``. A file carries old versions of objects too: only those without
``koniecWersjaObiekt`` are taken.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.datahub.presets.base import FeatureMapping, JoinList, Preset, Scale, Source, register
from miasto.datahub.presets.common import HECTARES, KST_USES, PKOB_USES

#: old versions of an object end with this
OLD_VERSION = ("koniecWersjaObiekt",)

PARCELS = FeatureMapping(
    layer="EGB_DzialkaEwidencyjna",
    target="parcels",
    geometry="POLYGON",
    fields={
        "identifier": Source("idDzialki"),
        "area": Source("poleEwidencyjne", Scale(HECTARES)),
        "land_use": Source("OFU", JoinList()),
    },
    current_only=OLD_VERSION,
    codes=("idDzialki", "OFU", "OZU", "OZK"),
    identifier="idDzialki",
)

BUILDINGS = FeatureMapping(
    layer="EGB_Budynek",
    target="buildings",
    geometry="POLYGON",
    fields={
        "identifier": Source("idBudynku"),
        "use": Source("klasaWgPKOB", PKOB_USES, (Source("rodzajWgKST", KST_USES),)),
        "storeys": Source("liczbaKondygnacjiNadziemnych"),
        "year_built": Source("rokZakonczeniaBudowy"),
    },
    current_only=OLD_VERSION,
    codes=("idBudynku", "klasaWgPKOB", "rodzajWgKST"),
    identifier="idBudynku",
)

ADDRESSES = FeatureMapping(
    layer="EGB_AdresNieruchomosci",
    target="addresses",
    geometry="POINT",
    fields={
        "street": Source("nazwaUlicy"),
        "place": Source("nazwaMiejscowosci"),
        "number": Source("numerPorzadkowy"),
        "postcode": Source("kodPocztowy"),
    },
    current_only=OLD_VERSION,
    codes=("idMiejscowosci", "idNazwyUlicy", "numerPorzadkowy", "kodPocztowy"),
)

EGIB_2021 = register(
    Preset(
        key="egib-2021",
        label=_("EGiB (land and building register), 2021 model"),
        namespaces=("ewidencjaGruntowIBudynkow:1.0",),
        features=(PARCELS, BUILDINGS, ADDRESSES),
    )
)

EGIB_2015 = register(
    Preset(
        key="egib-2015",
        label=_("EGiB (land and building register), 2015 model"),
        namespaces=("urn:gugik:specyfikacje:gmlas:ewidencjaGruntowBudynkow:1.0",),
        features=(
            FeatureMapping(
                layer=PARCELS.layer,
                target="parcels",
                geometry="POLYGON",
                fields={
                    **PARCELS.fields,
                    "area": Source(
                        "powierzchniaEwidencyjna", Scale(HECTARES), (PARCELS.fields["area"],)
                    ),
                },
                current_only=OLD_VERSION,
                codes=PARCELS.codes,
                identifier="idDzialki",
            ),
            BUILDINGS,
            ADDRESSES,
        ),
    )
)
