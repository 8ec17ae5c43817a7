"""Map layers of the spine, served as Mapbox Vector Tiles built by PostGIS.

Each layer is a :class:`TileLayer` in :data:`miasto.core.layers.layer_registry`; other apps add
their own layers in their ``layers.py`` the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.layers import TileLayer, layer_registry

layer_registry.register(
    "districts",
    TileLayer(
        name="districts",
        title=_("Districts"),
        table="territory_district",
        geometry="polygon",
        properties={"id": "id", "code": "code", "name": "name", "character": "character"},
        minzoom=0,
        simplify=True,
    ),
)
# The districts' names as points for map labels (a polygon cut into tiles would get a label
# in every tile it crosses): the centre of the largest circle inside the district, which lies
# well inside even a concave district (a point on the surface may touch its edge).
layer_registry.register(
    "district-labels",
    TileLayer(
        name="district-labels",
        title=_("District names"),
        table="territory_district",
        geometry="point",
        tile_geom="(ST_MaximumInscribedCircle(t.geom)).center",
        properties={"id": "id", "code": "code", "name": "name"},
        minzoom=9,
        maxzoom=16,
        list_order="name",
    ),
)
layer_registry.register(
    "water",
    TileLayer(
        name="water",
        title=_("Water"),
        table="territory_parcel",
        geometry="polygon",
        merc_column="geom_merc",
        where="t.land_use = 'W'",
        properties={"identifier": "identifier"},
        minzoom=0,
        simplify=True,
        list_order="identifier",
    ),
)
layer_registry.register(
    "parcels",
    TileLayer(
        name="parcels",
        title=_("Parcels"),
        table="territory_parcel",
        geometry="polygon",
        merc_column="geom_merc",
        properties={"identifier": "identifier", "area": "area::float8"},
        minzoom=14,
        list_order="identifier",
        list_properties={
            "identifier": "identifier",
            "area": "area::float8",
            "land_use": "land_use",
        },
    ),
)
layer_registry.register(
    "buildings",
    TileLayer(
        name="buildings",
        title=_("Buildings"),
        table="territory_building",
        geometry="polygon",
        merc_column="geom_merc",
        properties={"identifier": "identifier", "use": "use", "storeys": "storeys"},
        minzoom=14,
        list_order="identifier",
        list_properties={
            "identifier": "identifier",
            "use": "use",
            "storeys": "storeys",
            "height": "height::float8",
            "dwellings": "dwellings",
            "year_built": "year_built",
        },
    ),
)
layer_registry.register(
    "streets",
    TileLayer(
        name="streets",
        title=_("Streets"),
        table="territory_roadsegment",
        geometry="line",
        join="LEFT JOIN territory_street s ON s.id = t.street_id",
        depends_on=("territory_street",),
        properties={"name": "s.kind || ' ' || s.name", "road_class": "t.road_class"},
        minzoom=0,
        zoom_filters=(
            (12, "t.road_class IN ('GP','G')"),
            (14, "t.road_class IN ('GP','G','Z','L')"),
        ),
        list_table="territory_street",
        list_properties={"name": "kind || ' ' || name", "road_class": "road_class", "ulic": "ulic"},
        list_order="name",
    ),
)
# The streets' names, drawn along them: one line per street (its segments merged), not per
# segment — a segment between two junctions is often shorter than the name. ``label`` is what
# the map writes: the name without "ul." ("Długa"), other kinds with theirs ("al. Lipowa").
layer_registry.register(
    "street-labels",
    TileLayer(
        name="street-labels",
        title=_("Street names"),
        table="territory_street",
        geometry="line",
        tile_geom="ST_LineMerge(t.geom)",
        properties={
            "id": "t.id",
            "label": "CASE WHEN t.kind = 'ul.' THEN t.name ELSE t.kind || ' ' || t.name END",
            "road_class": "t.road_class",
        },
        minzoom=12,
        maxzoom=16,
        zoom_filters=(
            (13, "t.road_class IN ('GP','G')"),
            (14, "t.road_class IN ('GP','G','Z')"),
        ),
        list_order="name",
    ),
)
layer_registry.register(
    "services",
    TileLayer(
        name="services",
        title=_("Public services"),
        table="territory_publicservice",
        geometry="point",
        properties={"id": "id", "kind": "kind", "name": "name"},
        minzoom=10,
        list_order="kind, name",
    ),
)
layer_registry.register(
    "constraints",
    TileLayer(
        name="constraints",
        title=_("Constraints"),
        table="territory_constraint",
        geometry="polygon",
        properties={"id": "id", "kind": "kind", "name": "name"},
        minzoom=0,
        simplify=True,
        list_order="kind, name",
    ),
)
layer_registry.register(
    "addresses",
    TileLayer(
        name="addresses",
        title=_("Addresses"),
        table="territory_address",
        geometry="point",
        properties={"label": "label", "postcode": "postcode"},
        minzoom=15,
        list_order="label",
        # Not in the main map's switcher: the data hub's preview of an address dataset and the
        # API. Its tiles are never kept in the file cache: writes to territory_address have no
        # revision trigger (migration 0007 lists the mapped tables), so a cached tile could
        # outlive a change.
        public=False,
    ),
)
