"""Published comments of public consultations as vector tiles (``consultation-comments``):
the consultation's map draws them, filtered by its id, at every zoom of the city."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.layers import TileLayer, layer_registry

#: rows any public list may show: published comments of consultations past their draft
PUBLIC_COMMENTS = (
    "t.moderation = 'published' AND t.geom IS NOT NULL AND EXISTS (SELECT 1 FROM "
    "consultations_consultation c WHERE c.id = t.consultation_id AND c.status <> 'draft')"
)

layer_registry.register(
    "consultation-comments",
    TileLayer(
        name="consultation-comments",
        title=_("Consultation comments"),
        table="consultations_comment",
        geometry="point",
        where=PUBLIC_COMMENTS,
        properties={
            "consultation": "t.consultation_id",
            "number": "t.number",
            "category": "t.category",
            "handling": "t.handling",
        },
        depends_on=("consultations_consultation",),
        list_order="number",
    ),
)
