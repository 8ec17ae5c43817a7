"""Published comments of public consultations as vector tiles (``consultation-comments``):
the consultation's map draws them, filtered by its id, at every zoom of the city — below zoom
14 clustered per consultation (a point per cell of the tile with ``count``; a cluster of one
is the comment itself)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.layers import TileLayer, layer_registry

#: rows any public list may show: published comments of consultations past their draft
#: (the consultations past their draft read once, not joined to each of thousands of comments)
PUBLIC_COMMENTS = (
    "t.moderation = 'published' AND t.geom IS NOT NULL AND t.consultation_id = ANY(ARRAY("
    "SELECT c.id FROM consultations_consultation c WHERE c.status <> 'draft'))"
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
        # thousands of comments fall in one tile at the zooms a whole plan is seen at
        cluster_below=14,
        cluster_keys=("consultation",),
    ),
)
