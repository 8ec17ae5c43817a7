"""Search over addresses, parcel identifiers and streets, for the map's autocomplete.

Each kind is answered from an index in index order, so a query reads a handful of entries
however many rows match: first exact and prefix matches (``text_pattern_ops`` indexes on
normalised keys: lower case, no diacritics, no street kind), then — only when nothing starts
with the query — substring matches through trigram indexes, capped before sorting.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from psycopg import sql

from miasto.core.db import fetch_dicts, fetch_value
from miasto.core.errors import InvalidParameter

SRID = settings.MIASTO_SRID
KIND_WORDS = re.compile(r"^(ul\.?|ulica|al\.?|aleja|aleje|pl\.?|plac|os\.?|osiedle|rondo)\s+", re.I)
PARCEL_LIKE = re.compile(r"^\d{6}_\d|^\d{4}\.|^\d{6}_|\.AR_", re.I)
NUMBER_LIKE = re.compile(r"^\d{1,6}(/\d{0,4})?$")
MIN_LENGTH = 2
SUBSTRING_CAP = 200
TYPE_ORDER = {"street": 0, "address": 1, "parcel": 2}

#: a point ``pt`` / a box ``bb`` as CRS84 arrays rounded to 6 decimals (about 10 cm)
POINT = sql.SQL("json_build_array(round(ST_X({pt})::numeric, 6), round(ST_Y({pt})::numeric, 6))")
BBOX = sql.SQL(
    "json_build_array(round(ST_XMin(bb)::numeric, 6), round(ST_YMin(bb)::numeric, 6), "
    "round(ST_XMax(bb)::numeric, 6), round(ST_YMax(bb)::numeric, 6))"
)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- addresses --------------------------------------------------------------------------------

ADDRESS_OUT = sql.SQL("""
    SELECT 'address' AS type, a.label, a.postcode || COALESCE(', ' || d.name, '') AS detail,
           p.identifier AS parcel, {point} AS point, NULL::json AS bbox,
           a.rank
    FROM ({inner}) a
    LEFT JOIN territory_parcel p ON p.id = a.parcel_id
    LEFT JOIN territory_precinct pr ON pr.id = p.precinct_id
    LEFT JOIN territory_district d ON d.id = pr.district_id
    ORDER BY a.rank, a.ord
""")


def _search_addresses(norm: str, limit: int, substring: bool) -> list[dict[str, Any]]:
    prefix = _like_escape(norm) + "%"
    if substring:
        return fetch_dicts(_address_out(ADDRESS_SUBSTRING), ["%" + prefix, SUBSTRING_CAP])[:limit]
    return fetch_dicts(_address_out(ADDRESS_PREFIX), [norm, prefix, limit])


def _address_out(inner: sql.SQL) -> sql.Composed:
    return ADDRESS_OUT.format(inner=inner, point=POINT.format(pt=sql.SQL("a.pt")))


ADDRESS_SUBSTRING = sql.SQL("""
    SELECT a.label, a.postcode, a.parcel_id, ST_Transform(a.geom, 4326) AS pt,
           2 AS rank, row_number() OVER (ORDER BY length(a.label), a.label) AS ord
    FROM (SELECT * FROM territory_address WHERE miasto_norm(label) LIKE %s LIMIT %s) a
""")
ADDRESS_PREFIX = sql.SQL("""
        SELECT a.label, a.postcode, a.parcel_id, ST_Transform(a.geom, 4326) AS pt,
               CASE WHEN miasto_address_key(a.label) = %s THEN 0 ELSE 1 END AS rank,
               row_number() OVER () AS ord
        FROM (SELECT * FROM territory_address
              WHERE miasto_address_key(label) LIKE %s
              ORDER BY miasto_address_key(label) USING ~<~ LIMIT %s) a
""")


# --- streets ----------------------------------------------------------------------------------

STREET_OUT = sql.SQL("""
    SELECT 'street' AS type, s.kind || ' ' || s.name AS label, s.road_class AS detail,
           NULL AS parcel, {point} AS point, {bbox} AS bbox, rank
    FROM (
        SELECT s.*, ST_Transform(ST_ClosestPoint(s.geom, ST_Centroid(s.geom)), 4326) AS pt,
               ST_Transform(ST_Envelope(s.geom), 4326)::box2d AS bb
        FROM ({inner}) s
    ) s
    ORDER BY rank, ord
""")


def _search_streets(norm: str, limit: int, substring: bool) -> list[dict[str, Any]]:
    prefix = _like_escape(norm) + "%"
    if substring:
        return fetch_dicts(_street_out(STREET_SUBSTRING), ["%" + prefix, SUBSTRING_CAP])[:limit]
    return fetch_dicts(_street_out(STREET_PREFIX), [norm, prefix, limit])


def _street_out(inner: sql.SQL) -> sql.Composed:
    return STREET_OUT.format(inner=inner, point=POINT.format(pt=sql.SQL("pt")), bbox=BBOX)


STREET_SUBSTRING = sql.SQL("""
    SELECT *, 2 AS rank, row_number() OVER (ORDER BY length(name), name) AS ord
    FROM (SELECT * FROM territory_street WHERE miasto_norm(name) LIKE %s LIMIT %s) s
""")
STREET_PREFIX = sql.SQL("""
    SELECT *, CASE WHEN miasto_norm(name) = %s THEN 0 ELSE 1 END AS rank,
           row_number() OVER () AS ord
    FROM (SELECT * FROM territory_street WHERE miasto_norm(name) LIKE %s
          ORDER BY miasto_norm(name) USING ~<~ LIMIT %s) s
""")


# --- parcels ----------------------------------------------------------------------------------

PARCEL_OUT = sql.SQL("""
    SELECT 'parcel' AS type, p.identifier AS label,
           concat_ws(', ', pr.name, d.name, round(p.area)::text || ' m²') AS detail,
           p.identifier AS parcel, {point} AS point, {bbox} AS bbox, p.rank
    FROM (
        SELECT p.*, ST_Transform(ST_PointOnSurface(p.geom), 4326) AS pt,
               ST_Transform(ST_Envelope(p.geom), 4326)::box2d AS bb
        FROM ({inner}) p
    ) p
    JOIN territory_precinct pr ON pr.id = p.precinct_id
    LEFT JOIN territory_district d ON d.id = pr.district_id
    ORDER BY p.rank, p.ord
""")


def _search_parcels(text: str, limit: int) -> list[dict[str, Any]]:
    if PARCEL_LIKE.search(text):
        column = "identifier"
    elif NUMBER_LIKE.match(text):
        column = "number"
    else:
        return []
    query = PARCEL_OUT.format(
        inner=PARCEL_MATCHES.format(column=sql.Identifier(column)),
        point=POINT.format(pt=sql.SQL("pt")),
        bbox=BBOX,
    )
    return fetch_dicts(query, [text, limit, _like_escape(text) + "%", text, limit])[:limit]


#: exact matches of ``column`` first, then prefix matches in index order
PARCEL_MATCHES = sql.SQL("""
    (SELECT *, 0 AS rank, 0::bigint AS ord FROM territory_parcel WHERE {column} = %s
     ORDER BY identifier LIMIT %s)
    UNION ALL
    (SELECT *, 1 AS rank, row_number() OVER () AS ord FROM (
        SELECT * FROM territory_parcel WHERE {column} LIKE %s AND {column} <> %s
        ORDER BY {column} USING ~<~ LIMIT %s) q)
""")


def normalise(text: str) -> str:
    return str(fetch_value("SELECT miasto_norm(%s)", [text]))


def search(query: str, limit: int = 10) -> dict[str, Any]:
    """Ranked matches (addresses, parcels, streets) with a CRS84 point to fly to."""
    text = " ".join((query or "").replace("\x00", "").split())
    if len(text) > settings.MIASTO_SEARCH_MAX_LENGTH:
        raise InvalidParameter(
            f"Zapytanie jest za długie (maksymalnie {settings.MIASTO_SEARCH_MAX_LENGTH} znaków)."
        )
    if len(text) < MIN_LENGTH:
        return {"query": text, "results": []}
    limit = max(1, min(limit, 50))
    norm = normalise(KIND_WORDS.sub("", text))
    results: list[dict[str, Any]] = []
    results += _search_parcels(text.upper() if ".ar_" in text.lower() else text, limit)
    if PARCEL_LIKE.search(text):  # an identifier: no street or address looks like one
        norm = ""
    places: list[dict[str, Any]] = []
    for substring in (False, True):  # substring matches only when nothing starts so
        if places:
            break
        if len(norm) >= MIN_LENGTH:
            places += _search_streets(norm, limit, substring)
        if len(norm) >= 3:
            places += _search_addresses(norm, limit, substring)
    results += places
    results.sort(key=lambda r: (r["rank"], TYPE_ORDER[r["type"]]))
    for r in results:
        r.pop("rank", None)
    return {"query": text, "results": results[:limit]}
