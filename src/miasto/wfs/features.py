"""GetFeature: pages of features as GML 3.2 members written by PostGIS (one statement per
page, like the OGC API's GeoJSON in :mod:`miasto.core.features`, whose conditions it uses).

Each member is text built in SQL: the properties by ``xmlforest`` (which escapes them and
leaves out NULLs), the geometry by ``ST_AsGML`` (GML 3, the CRS as a URN, coordinates in the
CRS's authority axis order). Feature ids become ``gml:id`` values: ``<type>.<id>`` with the
characters an XML id may not hold written ``-XX`` (their code in hex; ``-`` itself is
``-2D``), which :func:`decode_id` reverses for RESOURCEID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psycopg import sql

from miasto.core import crs as crs_mod
from miasto.core import features
from miasto.core.collections import Collection, Property
from miasto.core.db import fetch_one
from miasto.wfs.names import type_name, xml_name

#: characters of ids written as -XX in gml:id (an XML id holds none of them); "-" first
_ENCODED = "-/ &<>\"':#?%,;()[]{}@+=!$*"

PAGE_SQL = sql.SQL("""
    WITH page AS (
        SELECT {member} AS m FROM {source} t {join}
        WHERE {where}
        ORDER BY {order}
        LIMIT %(fetch)s OFFSET %(offset)s
    ), numbered AS (SELECT row_number() OVER () AS n, m FROM page)
    SELECT {matched}, count(*), string_agg(m, '' ORDER BY n) FILTER (WHERE n <= %(limit)s)
    FROM numbered
""")
MATCHED_SQL = sql.SQL(
    "(SELECT count(*) FROM (SELECT 1 FROM {source} t {join} WHERE {where} LIMIT {cap}) c)"
)
ONE_SQL = sql.SQL("SELECT {member} FROM {source} t {join} WHERE {id} = %(id)s AND {where}")


def encode_id_sql(expr: sql.Composable) -> sql.Composable:
    out: sql.Composable = sql.SQL("({})::text").format(expr)
    for char in _ENCODED:
        out = sql.SQL("replace({}, {}, {})").format(
            out, sql.Literal(char), sql.Literal(f"-{ord(char):02X}")
        )
    return out


def decode_id(text: str) -> str:
    return re.sub(r"-([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), text)


def _properties(props: tuple[Property, ...]) -> sql.Composable:
    if not props:
        return sql.SQL("''")
    fields = sql.SQL(", ").join(
        sql.SQL("{} AS {}").format(p.sql(), sql.Identifier(f"miasto:{xml_name(p.name)}"))
        for p in props
    )
    return sql.SQL("COALESCE(xmlforest({})::text, '')").format(fields)


def member_sql(
    collection: Collection, crs: crs_mod.Crs, props: tuple[Property, ...]
) -> sql.Composable:
    name = type_name(collection)
    gml_id = sql.SQL("{} || {}").format(sql.Literal(f"{name}."), encode_id_sql(collection.id_sql()))
    geom: sql.Composable = collection.geom()
    if crs.srid != crs_mod.STORAGE_SRID:
        geom = sql.SQL("ST_Transform({}, {})").format(geom, sql.Literal(crs.srid))
    if crs.flip:
        geom = sql.SQL("ST_FlipCoordinates({})").format(geom)
    return sql.SQL(
        "'<wfs:member><miasto:' || {name} || ' gml:id=\"' || {gml_id} || '\">' || {props} || "
        "'<miasto:geometry>' || ST_AsGML(3, {geom}, {decimals}, 1, 'gml', {gml_id} || '.g') || "
        "'</miasto:geometry></miasto:' || {name} || '></wfs:member>'"
    ).format(
        name=sql.Literal(name),
        gml_id=gml_id,
        props=_properties(props),
        geom=geom,
        decimals=sql.Literal(crs.decimals),
    )


@dataclass(frozen=True)
class GmlPage:
    members: str
    returned: int
    matched: int | None
    has_next: bool


def gml_page(collection: Collection, query: features.ItemsQuery, count_cap: int) -> GmlPage:
    where, params = features.conditions_sql(collection, query)
    parts = {"source": collection.source(), "join": collection.join_sql(), "where": where}
    props = collection.properties if query.properties is None else query.properties
    statement = PAGE_SQL.format(
        **parts,
        member=member_sql(collection, query.crs, props),
        order=features.order_sql(collection, query),
        matched=MATCHED_SQL.format(**parts, cap=sql.Literal(count_cap + 1)),
    )
    params.update(fetch=query.limit + 1, offset=query.offset, limit=query.limit)
    row = features.run_query(statement, params)
    assert row is not None
    matched, fetched, members = row
    return GmlPage(
        members=members or "",
        returned=min(int(fetched), query.limit),
        matched=int(matched) if matched <= count_cap else None,
        has_next=int(fetched) > query.limit,
    )


def hits(collection: Collection, query: features.ItemsQuery) -> int:
    where, params = features.conditions_sql(collection, query)
    statement = sql.SQL("SELECT count(*) FROM {source} t {join} WHERE {where}").format(
        source=collection.source(), join=collection.join_sql(), where=where
    )
    row = features.run_query(statement, params)
    return int(row[0]) if row else 0


def one(collection: Collection, feature_id: int | str, crs: crs_mod.Crs) -> str | None:
    statement = ONE_SQL.format(
        member=member_sql(collection, crs, collection.properties),
        source=collection.source(),
        join=collection.join_sql(),
        id=collection.id_sql(),
        where=collection.where_sql() or sql.SQL("TRUE"),
    )
    row = fetch_one(statement, {"id": feature_id})
    return str(row[0]) if row and row[0] else None
