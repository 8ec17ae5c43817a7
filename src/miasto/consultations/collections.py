"""Published comments as an OGC API feature collection (no personal data: the comment, its
place, category, the zone concerned and its proposed handling — never who wrote it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.consultations.layers import PUBLIC_COMMENTS
from miasto.core.collections import Collection, Property, collection_registry

collection_registry.register(
    "consultation-comments",
    Collection(
        id="consultation-comments",
        title=_("Consultation comments"),
        description=_(
            "Comments made in statutory consultations of draft plans (u.p.z.p. art. 8i), "
            "with their proposed handling and its justification."
        ),
        keywords=("konsultacje społeczne", "uwagi", "partycypacja"),
        table="consultations_comment",
        join="JOIN consultations_consultation c ON c.id = t.consultation_id",
        where=PUBLIC_COMMENTS,
        geometry_type="any",
        properties=(
            Property("consultation", "t.consultation_id", "integer", _("consultation")),
            Property("consultation_title", "c.title", "string", _("consultation title")),
            Property("number", "t.number", "integer", _("number")),
            Property("received_on", "t.received_on", "date", _("received on")),
            Property("category", "t.category", "string", _("category")),
            Property("part", "t.part_label", "string", _("zone or provision")),
            Property("text", "t.text", "string", pgettext_lazy("consultation comment", "comment")),
            Property("handling", "t.handling", "string", _("proposed handling")),
            Property("justification", "t.justification", "string", _("justification")),
        ),
        temporal=("received_on", None),
        tile_layer="consultation-comments",
    ),
)
