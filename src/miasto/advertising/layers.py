"""Map layers of the advertising module: the register's carriers (no personal data) and the
zones of the landscape resolution in force, as vector tiles."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.layers import TileLayer, layer_registry

#: zones of applied rule versions in force today, of a resolution in force
_ZONES_IN_FORCE = """EXISTS (SELECT 1 FROM advertising_ruleset r
    JOIN advertising_landscaperesolution res ON res.id = r.resolution_id
   WHERE r.id = t.ruleset_id AND r.applied AND r.valid_from <= current_date
     AND (r.valid_to IS NULL OR r.valid_to > current_date) AND res.status = 'in_force')"""

layer_registry.register(
    "advertising-carriers",
    TileLayer(
        name="advertising-carriers",
        title=_("Advertising carriers"),
        table="advertising_carrier",
        geometry="point",
        geom_column="location",
        join="LEFT JOIN advertising_complianceresult r ON r.carrier_id = t.id",
        where="t.status = 'active'",
        properties={
            "reference": "t.reference",
            "kind": "t.kind",
            "area": "t.area::float8",
            "illumination": "t.illumination",
            "compliant": "r.compliant",
        },
        minzoom=12,
        depends_on=("advertising_complianceresult",),
        list_order="reference",
    ),
)
layer_registry.register(
    "advertising-zones",
    TileLayer(
        name="advertising-zones",
        title=_("Landscape resolution zones"),
        table="advertising_zone",
        geometry="polygon",
        where=_ZONES_IN_FORCE,
        properties={"code": "t.code", "name": "t.name", "adjustment_months": "t.adjustment_months"},
        depends_on=("advertising_ruleset", "advertising_landscaperesolution"),
        list_order="code",
        simplify=True,
    ),
)
