"""Reads of the spine. Hot paths build their JSON in PostGIS in one statement."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from psycopg import sql

from miasto.core.db import fetch_json, fetch_value, fetchone_prepared, load_sql
from miasto.core.sql import case_of_choices
from miasto.territory.models import Building, Constraint
from miasto.territory.service_kinds import service_kinds as kinds_of_services

SRID = settings.MIASTO_SRID
#: parcels of more than this many vertices are also kept cut into pieces of at most this many
#: (``territory_parcel_piece``, trigger-maintained: migration ``0009_parcel_pieces``)
PARCEL_PIECE_VERTICES = 128


def city_summary() -> dict[str, Any] | None:
    """Name, TERYT, CRS84 bbox, centre, counts per spine layer, population; None without a city."""
    data: dict[str, Any] | None = fetch_json(load_sql("miasto.territory", "city_summary"))
    return data


def parcel_ids_at_point(x: float, y: float, srid: int) -> list[dict[str, Any]]:
    """GeoJSON features (CRS84) of the parcels containing a point."""
    data = fetch_json(load_sql("miasto.territory", "parcels_at_point"), [x, y, srid, SRID])
    return data or []


def point_in_city(x: float, y: float, srid: int) -> bool:
    return bool(
        fetch_value(
            "SELECT EXISTS (SELECT 1 FROM territory_city WHERE ST_Intersects(geom, "
            "ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), %s)))",
            [x, y, srid, SRID],
        )
    )


def parcel_panel(identifier: str) -> dict[str, Any] | None:
    """Everything the map's side panel shows about one parcel (as a dict)."""
    text = parcel_panel_json(identifier)
    return None if text is None else json.loads(text)


def parcel_panel_json(identifier: str) -> str | None:
    """The panel as JSON text built by PostGIS, passed to the client without re-encoding
    (parsing and re-serialising it in Python is a large part of the request; see
    docs/architecture.md, "Why the queries are shaped as they are")."""
    query = sql.SQL(load_sql("miasto.territory", "parcel_panel")).format(
        use_label=case_of_choices(sql.SQL("b.use"), Building.Use.choices),
        kind_label=case_of_choices(sql.SQL("c.kind"), Constraint.Kind.choices),
    )
    row = fetchone_prepared(query, [identifier])
    return None if row is None else str(row[0])


def service_kinds() -> list[tuple[str, str]]:
    """Every kind of public service, built-in and configured (code, label)."""
    return list(kinds_of_services().items())
