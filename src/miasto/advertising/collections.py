"""The register and the resolution's zones as open data collections (OGC API, WFS): no
personal data (no owners, operators or businesses)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.collections import Collection, Property, collection_registry

collection_registry.register(
    "advertising-carriers",
    Collection(
        id="advertising-carriers",
        title=_("Advertising carriers"),
        description=_(
            "The register of advertising boards, devices and signs: kind, size, illumination "
            "and compliance with the landscape resolution."
        ),
        keywords=("reklamy", "nośniki reklamowe", "uchwała krajobrazowa"),
        table="advertising_carrier",
        geom_column="location",
        geometry_type="point",
        join="LEFT JOIN advertising_complianceresult r ON r.carrier_id = t.id "
        "LEFT JOIN advertising_zone z ON z.id = r.zone_id",
        where="t.status = 'active'",
        properties=(
            Property("reference", "t.reference", "string", _("register number")),
            Property("kind", "t.kind", "string", _("kind")),
            Property("width", "t.width::float8", "number", _("width (m)")),
            Property("height", "t.height::float8", "number", _("height (m)")),
            Property("sides", "t.sides", "integer", _("display sides")),
            Property("area", "t.area::float8", "number", _("display area (m²)")),
            Property("illumination", "t.illumination", "string", _("illumination")),
            Property("mounting", "t.mounting", "string", _("mounting")),
            Property("zone", "z.code", "string", _("zone")),
            Property("compliant", "r.compliant", "boolean", _("compliant")),
            Property("installed_on", "t.installed_on", "date", _("installed on")),
        ),
    ),
)
collection_registry.register(
    "advertising-zones",
    Collection(
        id="advertising-zones",
        title=_("Landscape resolution zones"),
        description=_(
            "Areas of the landscape resolution (uchwała krajobrazowa) with their adjustment "
            "periods, for every rule version."
        ),
        keywords=("uchwała krajobrazowa", "strefy reklamowe"),
        table="advertising_zone",
        join="JOIN advertising_ruleset rs ON rs.id = t.ruleset_id "
        "JOIN advertising_landscaperesolution res ON res.id = rs.resolution_id",
        where="rs.applied",
        properties=(
            Property("code", "t.code", "string", _("code")),
            Property("name", "t.name", "string", _("name")),
            Property("resolution", "res.number", "string", _("resolution number")),
            Property("version", "rs.label", "string", _("version")),
            Property(
                "adjustment_months",
                "t.adjustment_months",
                "integer",
                _("adjustment period (months)"),
            ),
            Property("valid_from", "rs.valid_from", "date", _("in force from")),
            Property("valid_to", "rs.valid_to", "date", _("in force until")),
        ),  # fmt: skip
        temporal=("valid_from", "valid_to"),
    ),
)
