"""Proposals as an OGC API collection (open data): what, where, status and supports — never
who proposed or supported. Hidden proposals are left out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.collections import Collection, Property, collection_registry

collection_registry.register(
    "proposals",
    Collection(
        id="proposals",
        title=_("Residents' proposals"),
        description=_(
            "Co-creation proposals of residents located on the map: category, status, "
            "supports and dates. No personal data."
        ),
        keywords=("pomysły mieszkańców", "współtworzenie", "partycypacja"),
        table="proposals_proposal",
        geometry_type="any",
        where="t.hidden_at IS NULL",
        properties=(
            Property("title", "t.title", "string", _("title")),
            Property("category", "t.category", "string", _("category")),
            Property("status", "t.status", "string", _("status")),
            Property("supports", "t.support_count", "integer", _("supports")),
            Property("act", "t.act_ref", "string", _("act")),
            Property("budget_line", "t.budget_line", "string", _("budget line")),
            Property("created_at", "t.created_at", "date-time", _("submitted at")),
            Property(
                "status_changed_at", "t.status_changed_at", "date-time", _("status changed at")
            ),
        ),
        temporal=("created_at", None),
        tile_layer="proposals",
    ),
)
