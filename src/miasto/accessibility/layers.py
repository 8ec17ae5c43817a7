"""Map of the gaps: residential parcels missing at least one mandatory standard."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.layers import TileLayer, layer_registry

_MISSED = """(SELECT string_agg(s.code, ',' ORDER BY s."order")
    FROM accessibility_result r JOIN accessibility_standard s ON s.id = r.standard_id
    WHERE r.parcel_id = t.id AND NOT r.met AND s.mandatory AND s.enabled)"""

layer_registry.register(
    "accessibility-gaps",
    TileLayer(
        name="accessibility-gaps",
        title=_("Accessibility gaps (art. 13f)"),
        table="territory_parcel",
        geometry="polygon",
        merc_column="geom_merc",
        where=f"{_MISSED} IS NOT NULL",
        properties={"identifier": "t.identifier", "missed": _MISSED},
        minzoom=11,
        depends_on=("accessibility_result", "accessibility_standard"),
        list_order="identifier",
    ),
)
