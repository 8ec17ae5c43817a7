"""Database connection set-up.

The first coordinate transformation on a new PostgreSQL connection costs 20–50 ms (PROJ
initialisation; measured with the tile queries). Persistent connections pay it once: we pay it
when the connection opens, not inside the first user's request.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

WARM_UP = (
    "SELECT ST_Transform(ST_SetSRID(ST_MakePoint(19.0, 51.5), 4326), %(srid)s), "
    "ST_Transform(ST_SetSRID(ST_MakePoint(500000, 400000), %(srid)s), 3857), "
    "ST_Transform(ST_SetSRID(ST_MakePoint(500000, 400000), %(srid)s), 4326)"
)


def warm_up_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(WARM_UP, {"srid": int(settings.MIASTO_SRID)})
    except Exception:  # noqa: BLE001 — before migrations PostGIS may be missing; not fatal
        return
