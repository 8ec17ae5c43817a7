"""Shared pieces of the analyses: areas (city and districts), rounding, the district map."""

from __future__ import annotations

from typing import Any

from miasto.core.db import fetch_all, fetch_json


def districts() -> list[dict[str, Any]]:
    """Districts in code order: ``id, code, name``."""
    rows = fetch_all("SELECT id, code, name FROM territory_district ORDER BY code, id")
    return [{"id": r[0], "code": r[1], "name": r[2]} for r in rows]


def district_by_code(code: str) -> dict[str, Any] | None:
    return next((d for d in districts() if d["code"] == code), None)


def share(part: float | None, whole: float | None, digits: int = 4) -> float | None:
    """part ÷ whole rounded; None when the whole is 0 or unknown."""
    if part is None or not whole:
        return None
    return round(float(part) / float(whole), digits)


def r1(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def districts_geojson(tolerance: float = 5.0) -> dict[str, Any]:
    """District outlines as a GeoJSON FeatureCollection in CRS84 (simplified for page maps);
    properties ``code``, ``name``, ``key`` (its number on the map: 1, 2… in code order) and
    ``label_point`` (``[lon, lat]``: the centre of the largest circle inside the district,
    where its number or name fits best). Pages join their figures to it by ``code``."""
    data = fetch_json(
        """
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
            json_build_object(
                'type', 'Feature',
                'properties', json_build_object(
                    'code', d.code, 'name', d.name, 'key', d.key,
                    'label_point', json_build_array(ST_X(d.label), ST_Y(d.label))),
                'geometry', ST_AsGeoJSON(ST_Transform(
                    ST_SimplifyPreserveTopology(d.geom, %(tol)s), 4326), 6)::json
            ) ORDER BY d.code), '[]'::json))
        FROM (
            SELECT code, name, geom, row_number() OVER (ORDER BY code, id) AS key,
                   ST_Transform((ST_MaximumInscribedCircle(
                       ST_SimplifyPreserveTopology(geom, %(tol)s))).center, 4326) AS label
            FROM territory_district
        ) d
        """,
        {"tol": tolerance},
    )
    return data or {"type": "FeatureCollection", "features": []}
