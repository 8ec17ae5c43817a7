"""Problem reports as a feature collection of the OGC API (open data): the category, status,
public address, description and dates — never who reported it or who handles it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.collections import Collection, Property, collection_registry

collection_registry.register(
    "problem-reports",
    Collection(
        id="problem-reports",
        title=_("Problem reports"),
        description=_(
            "Problems residents reported to the city (Open311): category, status, the unit "
            "handling it, dates. Without personal data."
        ),
        keywords=("zgłoszenia", "Open311", "problemy", "awarie"),
        table="problems_report",
        geometry_type="point",
        join="JOIN problems_service s ON s.id = t.service_id "
        "JOIN territory_orgunit o ON o.id = t.unit_id",
        where="t.hidden_reason = ''",
        properties=(
            Property("category", "s.code", "string", _("category code")),
            Property("category_name", "s.name", "string", _("category")),
            Property("status", "t.status", "string", _("status")),
            Property("unit", "o.name", "string", _("unit handling it")),
            Property("address", "t.address", "string", _("address")),
            Property("description", "t.description", "string", _("description")),
            Property("requested_at", "t.requested_at", "date-time", _("submitted")),
            Property("closed_at", "t.closed_at", "date-time", _("closed")),
        ),
        temporal=("requested_at", "closed_at"),
        tile_layer="problem-reports",
    ),
)
