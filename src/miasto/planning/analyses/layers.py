"""Map layer of the per-parcel capacity: the newest stored run of the plans in force.

Registered in :data:`miasto.core.layers.layer_registry` when :mod:`.api` is imported (the
URLs import it); the tiles are cached by the revisions of the result tables, so a new run
shows at once.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from psycopg import sql

from miasto.core.layers import TileLayer, layer_registry
from miasto.core.sql import as_text

#: the newest run without a scenario, today's first
LATEST_RUN = sql.SQL("""(SELECT r.id FROM planning_capacity_run r
    WHERE NOT r.scenario AND r.duration_s IS NOT NULL
    ORDER BY (r.as_of = CURRENT_DATE) DESC, r.computed_at DESC, r.id DESC LIMIT 1)""")

CAPACITY_LAYER = TileLayer(
    name="capacity",
    title=_("Building capacity (remaining floor area)"),
    table="territory_parcel",
    geometry="polygon",
    merc_column="geom_merc",
    join=as_text(
        # (a parcel whose capacity is unknown — no maximum intensity — has none to show)
        sql.SQL(
            "JOIN planning_capacity_parcel c ON c.parcel_id = t.id AND c.run_id = {}"
            " AND c.remaining_floor_area IS NOT NULL"
        ).format(LATEST_RUN)
    ),
    properties={
        "identifier": "t.identifier",
        "remaining": "round(c.remaining_floor_area)::int",
        "dwellings": "c.dwellings",
        "basis": "c.basis",
    },
    minzoom=13,
    depends_on=("planning_capacity_parcel", "planning_capacity_run"),
    list_table=as_text(
        sql.SQL("""(SELECT p.id, p.identifier, p.geom, c.remaining_floor_area, c.dwellings
        FROM territory_parcel p
        JOIN planning_capacity_parcel c ON c.parcel_id = p.id AND c.run_id = {}
        WHERE c.remaining_floor_area IS NOT NULL)""").format(LATEST_RUN)
    ),
    list_properties={
        "identifier": "identifier",
        "remaining": "round(remaining_floor_area)::int",
        "dwellings": "dwellings",
    },
    list_order="identifier",
)

layer_registry.register("capacity", CAPACITY_LAYER)
