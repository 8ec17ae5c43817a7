"""Search over addresses, parcel identifiers and streets, for the map's autocomplete.

Three index-backed queries (trigram GIN on normalised labels; pattern indexes on identifiers),
each limited, merged by rank: exact match, then prefix match, then substring match.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import connection

from miasto.core.errors import InvalidParameter

SRID = settings.MIASTO_SRID
KIND_WORDS = re.compile(r"^(ul\.?|ulica|al\.?|aleja|aleje|pl\.?|plac|os\.?|osiedle|rondo)\s+", re.I)
PARCEL_LIKE = re.compile(r"^\d{6}_\d|^\d{4}\.|^\d{6}_|\.AR_", re.I)
NUMBER_LIKE = re.compile(r"^\d{1,6}(/\d{0,4})?$")
MIN_LENGTH = 2


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


POINT = "json_build_array(round(ST_X(pt)::numeric, 6), round(ST_Y(pt)::numeric, 6))"
BBOX = (
    "json_build_array(round(ST_XMin(bb)::numeric, 6), round(ST_YMin(bb)::numeric, 6), "
    "round(ST_XMax(bb)::numeric, 6), round(ST_YMax(bb)::numeric, 6))"
)


def _search_addresses(norm: str, limit: int) -> list[dict[str, Any]]:
    pattern = "%" + _like_escape(norm) + "%"
    return _rows(
        f"""
        SELECT 'address' AS type, label, detail, parcel, {POINT} AS point, NULL::json AS bbox,
               rank FROM (
            SELECT a.label, a.postcode || COALESCE(', ' || d.name, '') AS detail,
                   p.identifier AS parcel, ST_Transform(a.geom, 4326) AS pt,
                   CASE WHEN miasto_norm(a.label) = %s
                          OR regexp_replace(miasto_norm(a.label), '^[^ ]+ ', '') = %s THEN 0
                        WHEN regexp_replace(miasto_norm(a.label), '^[^ ]+ ', '') LIKE %s THEN 1
                        ELSE 2 END AS rank
            FROM territory_address a
            LEFT JOIN territory_parcel p ON p.id = a.parcel_id
            LEFT JOIN territory_precinct pr ON pr.id = p.precinct_id
            LEFT JOIN territory_district d ON d.id = pr.district_id
            WHERE miasto_norm(a.label) LIKE %s
            ORDER BY rank, length(a.label), a.label
            LIMIT %s
        ) r
        """,
        [norm, norm, _like_escape(norm) + "%", pattern, limit],
    )


def _search_streets(norm: str, limit: int) -> list[dict[str, Any]]:
    pattern = "%" + _like_escape(norm) + "%"
    return _rows(
        f"""
        SELECT 'street' AS type, label, detail, NULL AS parcel, {POINT} AS point, {BBOX} AS bbox,
               rank FROM (
            SELECT s.kind || ' ' || s.name AS label, s.road_class AS detail,
                   ST_Transform(ST_ClosestPoint(s.geom, ST_Centroid(s.geom)), 4326) AS pt,
                   ST_Transform(ST_Envelope(s.geom), 4326)::box2d AS bb,
                   CASE WHEN miasto_norm(s.name) = %s THEN 0
                        WHEN miasto_norm(s.name) LIKE %s THEN 1 ELSE 2 END AS rank
            FROM territory_street s
            WHERE miasto_norm(s.name) LIKE %s
            ORDER BY rank, length(s.name), s.name
            LIMIT %s
        ) r
        """,
        [norm, _like_escape(norm) + "%", pattern, limit],
    )


def _search_parcels(text: str, limit: int) -> list[dict[str, Any]]:
    if PARCEL_LIKE.search(text):
        condition, params = "p.identifier LIKE %s", [_like_escape(text) + "%"]
        rank = "CASE WHEN p.identifier = %s THEN 0 ELSE 1 END"
        rank_params = [text]
    elif NUMBER_LIKE.match(text):
        condition, params = "p.number LIKE %s", [_like_escape(text) + "%"]
        rank = "CASE WHEN p.number = %s THEN 0 ELSE 1 END"
        rank_params = [text]
    else:
        return []
    return _rows(
        f"""
        SELECT 'parcel' AS type, label, detail, label AS parcel, {POINT} AS point, {BBOX} AS bbox,
               rank FROM (
            SELECT p.identifier AS label,
                   concat_ws(', ', pr.name, d.name, round(p.area)::text || ' m²') AS detail,
                   ST_Transform(ST_PointOnSurface(p.geom), 4326) AS pt,
                   ST_Transform(ST_Envelope(p.geom), 4326)::box2d AS bb,
                   {rank} AS rank
            FROM territory_parcel p
            JOIN territory_precinct pr ON pr.id = p.precinct_id
            LEFT JOIN territory_district d ON d.id = pr.district_id
            WHERE {condition}
            ORDER BY rank, length(p.identifier), p.identifier
            LIMIT %s
        ) r
        """,
        [*rank_params, *params, limit],
    )


def normalise(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT miasto_norm(%s)", [text])
        return str(cursor.fetchone()[0])


def search(query: str, limit: int = 10) -> dict[str, Any]:
    """Ranked matches (addresses, parcels, streets) with a CRS84 point to fly to."""
    text = " ".join((query or "").split())
    if len(text) > settings.MIASTO_SEARCH_MAX_LENGTH:
        raise InvalidParameter(
            f"Zapytanie jest za długie (maksymalnie {settings.MIASTO_SEARCH_MAX_LENGTH} znaków)."
        )
    text = text.replace("\x00", "")
    if len(text) < MIN_LENGTH:
        return {"query": text, "results": []}
    limit = max(1, min(limit, 50))
    stripped = KIND_WORDS.sub("", text)
    norm = normalise(stripped)
    results: list[dict[str, Any]] = []
    results += _search_parcels(text.upper() if ".ar_" in text.lower() else text, limit)
    if len(norm) >= 3:
        results += _search_addresses(norm, limit)
    if len(norm) >= MIN_LENGTH:
        results += _search_streets(norm, limit)
    order = {"street": 0, "address": 1, "parcel": 2}
    results.sort(key=lambda r: (r["rank"], order[r["type"]], len(r["label"])))
    for r in results:
        r.pop("rank", None)
    return {"query": text, "results": results[:limit]}
