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

from psycopg import sql

from miasto.core import crs as crs_mod
from miasto.core import features
from miasto.core.collections import Collection, Property
from miasto.wfs.names import type_name, xml_name

#: characters of ids written as -XX in gml:id (an XML id holds none of them); "-" first
_ENCODED = "-/ &<>\"':#?%,;()[]{}@+=!$*"


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
    geom = collection.geom_in(crs.srid)
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


def gml_page(collection: Collection, query: features.ItemsQuery) -> features.Page:
    """A page of members (``Page.features``: the GML text of the members, joined)."""
    props = collection.properties if query.properties is None else query.properties
    member = member_sql(collection, query.crs, props)
    return features.items_page(collection, query, feature=member, sep="")


def hits(collection: Collection, query: features.ItemsQuery) -> int:
    known = features.total(collection) if features.unfiltered(query) else None
    if known is not None:
        return known
    where, params = features.conditions_sql(collection, query)
    statement = sql.SQL("SELECT count(*) FROM {source} t {join} WHERE {where}").format(
        source=collection.source(), join=collection.join_sql(), where=where
    )
    row = features.run_query(statement, params)
    return int(row[0]) if row else 0


def one(collection: Collection, feature_id: int | str, crs: crs_mod.Crs) -> str | None:
    member = member_sql(collection, crs, collection.properties)
    return features.item(collection, feature_id, crs, feature=member)
