"""Proposals as a vector-tile layer: public proposals' places with category, status and
supports (the list at /pomysly/ is its text equivalent)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.layers import TileLayer, layer_registry

layer_registry.register(
    "proposals",
    TileLayer(
        name="proposals",
        title=_("Residents' proposals"),
        table="proposals_proposal",
        geometry="point",
        where="t.hidden_at IS NULL",
        properties={
            "id": "t.id",
            "title": "t.title",
            "category": "t.category",
            "status": "t.status",
            "supports": "t.support_count",
        },
        minzoom=10,
        list_order="id",
    ),
)
