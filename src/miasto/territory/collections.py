"""The spine's feature collections for the OGC API (``/ogcapi/collections/…``).

Everything here is public; the number of residents of a building is personal data (in a
house it tells how many people live there) and is not published.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.collections import Collection, Property, collection_registry

#: the geometries' stored copies (migrations ``0005_mercator_copies``, ``0014_lonlat_copies``)
COPIES = {3857: "geom_merc", 4326: "geom_lonlat"}


def _register(collection: Collection) -> None:
    collection_registry.register(collection.id, collection)


_register(
    Collection(
        id="parcels",
        title=_("Parcels"),
        description=_("Cadastral parcels (działki ewidencyjne) with their EGiB identifiers."),
        keywords=("działki", "EGiB", "kataster"),
        table="territory_parcel",
        tracked=("territory_parcel",),
        id_column="identifier",
        id_type="string",
        properties=(
            Property("identifier", "t.identifier", "string", _("parcel identifier")),
            Property("number", "t.number", "string", _("parcel number")),
            Property("area", "t.area::float8", "number", _("area (m²)")),
            Property("land_use", "t.land_use", "string", _("land use class (EGiB)")),
        ),
        tile_layer="parcels",
        copies=COPIES,
    )
)
_register(
    Collection(
        id="buildings",
        title=_("Buildings"),
        description=_("Building footprints with their use, storeys, height and dwellings."),
        keywords=("budynki",),
        table="territory_building",
        tracked=("territory_building",),
        id_column="identifier",
        id_type="string",
        properties=(
            Property("identifier", "t.identifier", "string", _("building identifier")),
            Property("use", "t.use", "string", _("use")),
            Property("storeys", "t.storeys", "integer", _("storeys above ground")),
            Property("height", "t.height::float8", "number", _("height (m)")),
            Property("dwellings", "t.dwellings", "integer", _("dwellings")),
            Property("year_built", "t.year_built", "integer", _("year built")),
        ),
        tile_layer="buildings",
        copies=COPIES,
    )
)
_register(
    Collection(
        id="addresses",
        title=_("Addresses"),
        description=_("Address points: street or place, house number and postcode."),
        keywords=("adresy", "punkty adresowe"),
        table="territory_address",
        tracked=("territory_address",),
        geometry_type="point",
        join="LEFT JOIN territory_street s ON s.id = t.street_id",
        properties=(
            Property("label", "t.label", "string", _("label")),
            Property("street", "s.name", "string", _("street")),
            Property("ulic", "s.ulic", "string", _("TERYT ULIC code")),
            Property("place", "t.place", "string", pgettext_lazy("address", "place")),
            Property("number", "t.number", "string", _("house number")),
            Property("postcode", "t.postcode", "string", _("postcode")),
        ),
    )
)
_register(
    Collection(
        id="streets",
        title=_("Streets"),
        description=_("Named streets with their centrelines, TERYT ULIC codes and road class."),
        keywords=("ulice", "ULIC"),
        table="territory_street",
        tracked=("territory_street",),
        geometry_type="line",
        properties=(
            Property("name", "t.name", "string", _("name")),
            Property("kind", "t.kind", "string", _("kind")),
            Property("ulic", "t.ulic", "string", _("TERYT ULIC code")),
            Property("road_class", "t.road_class", "string", _("road class")),
        ),
        tile_layer="streets",
    )
)
_register(
    Collection(
        id="districts",
        title=_("Districts"),
        description=_("The city's districts and their character."),
        keywords=("dzielnice", "osiedla"),
        table="territory_district",
        tracked=("territory_district",),
        properties=(
            Property("code", "t.code", "string", _("code")),
            Property("name", "t.name", "string", _("name")),
            Property("character", "t.character", "string", _("character")),
        ),
        tile_layer="districts",
    )
)
_register(
    Collection(
        id="precincts",
        title=_("Precincts"),
        description=_("Cadastral precincts (obręby ewidencyjne)."),
        keywords=("obręby",),
        table="territory_precinct",
        tracked=("territory_precinct",),
        properties=(
            Property("unit", "t.unit", "string", _("cadastral unit")),
            Property("code", "t.code", "string", _("code")),
            Property("name", "t.name", "string", _("name")),
        ),
    )
)
_register(
    Collection(
        id="services",
        title=_("Public services"),
        description=_("Schools, kindergartens, clinics, stops, green areas and other services."),
        keywords=("usługi publiczne", "szkoły", "przychodnie"),
        table="territory_publicservice",
        tracked=("territory_publicservice",),
        geometry_type="point",
        properties=(
            Property("kind", "t.kind", "string", _("kind")),
            Property("name", "t.name", "string", _("name")),
            Property("capacity", "t.capacity", "integer", _("capacity")),
        ),
        tile_layer="services",
    )
)
_register(
    Collection(
        id="constraints",
        title=_("Constraints"),
        description=_("Flood, nature, heritage, noise and other protected or restricted areas."),
        keywords=("ograniczenia", "ochrona"),
        table="territory_constraint",
        tracked=("territory_constraint",),
        properties=(
            Property("kind", "t.kind", "string", _("kind")),
            Property("name", "t.name", "string", _("name")),
            Property("legal_basis", "t.legal_basis", "string", _("legal basis")),
            Property("source", "t.source", "string", _("source")),
        ),
        tile_layer="constraints",
    )
)
