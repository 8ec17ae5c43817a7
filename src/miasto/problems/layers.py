"""Problem reports on the map: a point per public report, with its category and status only
(no personal data), from city zooms; below zoom 15 clustered (a point per cell of the tile
with ``count``; a cluster of one is the report itself)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.layers import TileLayer, layer_registry

layer_registry.register(
    "problem-reports",
    TileLayer(
        name="problem-reports",
        title=_("Problem reports"),
        table="problems_report",
        geometry="point",
        join="JOIN problems_service s ON s.id = t.service_id",
        where="t.hidden_reason = ''",
        properties={
            "id": "t.id",
            "category": "s.code",
            "category_name": "s.name",
            "status": "t.status",
            "requested": "to_char(t.requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        },
        minzoom=10,
        # a city's year of reports is tens of thousands of points: one per cell below z15
        cluster_below=15,
        depends_on=("problems_service",),
        list_order="id DESC",
    ),
)
