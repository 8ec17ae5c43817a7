"""Pages of features of a collection (:mod:`miasto.core.collections`) as GeoJSON built by
PostGIS: one statement per page, the features' text passed through as bytes.

:func:`parse_items_query` reads the OGC API's query parameters (``limit``, ``offset``,
``bbox``, ``bbox-crs``, ``crs``, ``datetime``, ``filter``, ``filter-lang``, ``filter-crs``,
``sortby``, ``properties``) — each validated, 400 with a Polish message otherwise —,
:func:`items_page` runs the page, :func:`item` one feature, :func:`extent` the collection's
extent (kept until its tables change, or a few minutes where they are not tracked).

Each feature is written by the database as text (``ST_AsGeoJSON`` with a precision of about
1 cm in the output CRS, ``json_build_object`` for the properties); the page is aggregated
with ``string_agg``, so Python never holds a row per feature. ``numberMatched`` is counted
up to :data:`MATCHED_CAP` and left out beyond (as the standard allows) — except for
unfiltered pages of a collection whose tables are tracked (``Collection.tracked``) or never
change (``Collection.frozen``): its count, kept until one of them changes (:func:`total`), is
given however large (GDAL asks for one feature and reads ``numberMatched`` for a layer's
count; without it, it reads every page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DataError, InternalError, connection, transaction
from django.utils.dateparse import parse_date, parse_datetime
from psycopg import sql

from miasto.core import cql2
from miasto.core import crs as crs_mod
from miasto.core.collections import Collection, Property
from miasto.core.db import fetch_one, fetchone_prepared
from miasto.core.errors import InvalidParameter
from miasto.core.geo import parse_float
from miasto.core.http import int_value
from miasto.core.sql import as_text
from miasto.core.tilecache import revision_token

DEFAULT_LIMIT = 10
#: ``numberMatched`` is given when at most this many features match
MATCHED_CAP = 10_000
MAX_OFFSET = 10_000_000
#: json_build_object takes at most 100 arguments: properties go in chunks of 50
CHUNK = 50
EXTENT_SECONDS = 300
#: what is kept under :func:`kept_key` (a count, an extent) is never stale, only dropped
KEPT_SECONDS = 24 * 3600
#: a bbox's edges are cut in this many pieces before it is transformed
SEGMENTS = 16
#: statement texts kept per collection (shapes of query: CRS, properties, sorting, filter…)
MAX_STATEMENTS = 200


def max_limit() -> int:
    return int(getattr(settings, "MIASTO_OGC_MAX_LIMIT", 10_000))


@dataclass(frozen=True)
class ItemsQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    crs: crs_mod.Crs = crs_mod.DEFAULT
    #: (west, south, east, north) in the bbox's CRS, PostGIS axis order
    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: crs_mod.Crs = crs_mod.DEFAULT
    #: (start, end); None: open
    interval: tuple[date | None, date | None] | None = None
    filter: sql.Composable | None = None
    filter_params: dict[str, Any] = field(default_factory=dict)
    sortby: tuple[tuple[Property, bool], ...] = ()
    properties: tuple[Property, ...] | None = None
    #: the requested limit was above the maximum (and was capped)
    capped: bool = False


@dataclass(frozen=True)
class Page:
    features: str
    returned: int
    matched: int | None
    has_next: bool


# --- parameters ----------------------------------------------------------------------------


def parse_items_query(collection: Collection, params: Mapping[str, str]) -> ItemsQuery:
    """The query of ``/items`` from its parameters (a ``QueryDict`` or any mapping)."""
    requested = int_value(params, "limit", DEFAULT_LIMIT, 1, 10**18)
    limit = min(requested or DEFAULT_LIMIT, max_limit())
    offset = int_value(params, "offset", 0, 0, MAX_OFFSET) or 0
    bbox_crs = crs_mod.parse(params.get("bbox-crs"), "bbox-crs")
    condition, condition_params = parse_filter(collection, params)
    return ItemsQuery(
        limit=limit,
        offset=offset,
        crs=crs_mod.parse(params.get("crs"), "crs"),
        bbox=parse_bbox(params.get("bbox"), bbox_crs),
        bbox_crs=bbox_crs,
        interval=parse_interval(collection, params.get("datetime")),
        filter=condition,
        filter_params=condition_params,
        sortby=parse_sortby(collection, params.get("sortby")),
        properties=parse_properties(collection, params.get("properties")),
        capped=(requested or 0) > limit,
    )


def parse_bbox(raw: str | None, bbox_crs: crs_mod.Crs) -> tuple[float, float, float, float] | None:
    """``bbox`` (4 numbers, or 6 with heights, which are ignored) in ``bbox-crs``'s axis
    order, as (west, south, east, north)."""
    if raw is None or not raw.strip():
        return None
    parts = raw.split(",")
    if len(parts) not in (4, 6):
        raise InvalidParameter(
            "Parametr bbox: cztery liczby oddzielone przecinkami (dolny lewy i górny prawy "
            "narożnik, w kolejności osi układu bbox-crs; domyślnie CRS84: lon,lat,lon,lat)."
        )
    numbers = [parse_float("bbox", p) for p in parts]
    half = len(numbers) // 2
    a1, a2, b1, b2 = numbers[0], numbers[1], numbers[half], numbers[half + 1]
    if bbox_crs.flip:
        a1, a2, b1, b2 = a2, a1, b2, b1
    if a1 > b1 or a2 > b2:
        raise InvalidParameter(
            "Nieprawidłowy bbox: dolny lewy narożnik musi leżeć na zachód i na południe od "
            "górnego prawego (min przed max)."
        )
    if bbox_crs.srid == 4326 and not (-180 <= a1 <= 180 and -180 <= b1 <= 180 and -90 <= a2 <= 90 and -90 <= b2 <= 90):  # fmt: skip  # noqa: E501
        raise InvalidParameter("Nieprawidłowy bbox: długość w [-180, 180], szerokość w [-90, 90].")
    return a1, a2, b1, b2


def _instant(text: str) -> date | None:
    """An RFC 3339 date or date-time, None for ``..`` or empty; 400 otherwise."""
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        value: date | None = parse_datetime(text) or parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise InvalidParameter(
            f"Parametr datetime: „{text[:40]}” nie jest datą RFC 3339 (np. 2024-05-01 albo "
            "2024-05-01T12:00:00Z; przedział: 2024-01-01/2024-12-31, otwarty: 2024-01-01/..)."
        )
    return value


def parse_interval(
    collection: Collection, raw: str | None
) -> tuple[date | None, date | None] | None:
    if raw is None or not raw.strip():
        return None
    if collection.temporal is None:
        raise InvalidParameter(
            f"Kolekcja „{collection.id}” nie ma właściwości czasowej: parametr datetime "
            "nie ma tu zastosowania."
        )
    if raw.count("/") > 1:
        raise InvalidParameter("Parametr datetime: data albo przedział „początek/koniec”.")
    if "/" not in raw:
        instant = _instant(raw)
        if instant is None:
            raise InvalidParameter("Parametr datetime: „..” tylko jako koniec przedziału.")
        return instant, instant
    start, end = (_instant(part) for part in raw.split("/"))
    if start is not None and end is not None and _as_datetime(start) > _as_datetime(end):
        raise InvalidParameter("Parametr datetime: początek przedziału jest po jego końcu.")
    return start, end


def _as_datetime(value: date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def parse_filter(
    collection: Collection, params: Mapping[str, str]
) -> tuple[sql.Composable | None, dict[str, Any]]:
    text = params.get("filter")
    if text is None or not text.strip():
        return None, {}
    node = cql2.parse(text, params.get("filter-lang"))
    filter_crs = crs_mod.parse(params.get("filter-crs"), "filter-crs")
    return cql2.translate(node, collection, filter_crs)


def _names(raw: str, what: str) -> list[str]:
    names = [n.strip() for n in raw.split(",") if n.strip()]
    if len(names) > 100:
        raise InvalidParameter(f"Parametr {what}: za dużo nazw.")
    return names


def _known(collection: Collection, name: str, what: str) -> Property:
    prop = collection.property(name)
    if prop is None:
        known = ", ".join(p.name for p in collection.properties)
        raise InvalidParameter(
            f"Parametr {what}: nieznana właściwość „{name[:60]}”. Dostępne: {known}."
        )
    return prop


def parse_sortby(collection: Collection, raw: str | None) -> tuple[tuple[Property, bool], ...]:
    """``sortby=+name,-area``: (property, descending) pairs."""
    if raw is None or not raw.strip():
        return ()
    result = []
    for name in _names(raw, "sortby"):
        descending = name.startswith("-")
        result.append((_known(collection, name.lstrip("+- "), "sortby"), descending))
    return tuple(result)


def parse_properties(collection: Collection, raw: str | None) -> tuple[Property, ...] | None:
    if raw is None:
        return None
    return tuple(_known(collection, name, "properties") for name in _names(raw, "properties"))


# --- SQL -----------------------------------------------------------------------------------

FEATURE = sql.SQL(
    """'{{"type":"Feature","id":' || to_json({id})::text || ',"geometry":' || """
    """COALESCE({geometry}, 'null') || ',"properties":' || {properties}::text || '}}'"""
)

PAGE_SQL = sql.SQL("""
    WITH page AS (
        SELECT {feature} AS f FROM {source} t {join}
        WHERE {where}
        ORDER BY {order}
        LIMIT %(fetch)s OFFSET %(offset)s
    ), numbered AS (SELECT row_number() OVER () AS n, f FROM page)
    SELECT {matched}, count(*), string_agg(f, {sep} ORDER BY n) FILTER (WHERE n <= %(limit)s)
    FROM numbered
""")

#: deeper pages pick the keys first, so only the page's own features are written
KEYED_PAGE_SQL = sql.SQL("""
    WITH keys AS (
        SELECT {id} AS k FROM {source} t {join}
        WHERE {where}
        ORDER BY {order}
        LIMIT %(fetch)s OFFSET %(offset)s
    ), numbered AS (SELECT row_number() OVER () AS n, k FROM keys)
    SELECT {matched}, count(*),
           string_agg(f.f, {sep} ORDER BY numbered.n) FILTER (WHERE numbered.n <= %(limit)s)
    FROM numbered
    LEFT JOIN LATERAL (
        SELECT {feature} AS f FROM {source} t {join} WHERE {id} = numbered.k
    ) f ON true
""")

#: ``numberMatched``: the collection's kept count for an unfiltered page (``known``); else a
#: page that is not full ends the results, so they are counted from it; only a full page counts
#: them again, up to the cap (PostgreSQL runs the scalar subquery on its first use only, here
#: in the ``ELSE`` branch)
MATCHED_SQL = sql.SQL(
    "CASE WHEN %(known)s::bigint IS NOT NULL THEN %(known)s::bigint"
    " WHEN count(*) < %(fetch)s AND (count(*) > 0 OR %(offset)s = 0)"
    " THEN %(offset)s + count(*)"
    " ELSE (SELECT count(*) FROM (SELECT 1 FROM {source} t {join} WHERE {where} LIMIT %(cap)s) c)"
    " END"
)

COUNT_SQL = sql.SQL("SELECT count(*) FROM {source} t {join} WHERE {where}")

ITEM_SQL = sql.SQL("SELECT {feature} FROM {source} t {join} WHERE {id} = %(id)s AND {where}")

EXTENT_SQL = sql.SQL("""
    SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), {tmin}, {tmax}
    FROM (
        SELECT ST_Transform(ST_SetSRID(ST_Extent({geom})::geometry, {srid}), 4326) AS e,
               {tmin_inner} AS tmin, {tmax_inner} AS tmax
        FROM {source} t {join} WHERE {where}
    ) x
""")


def geometry_sql(collection: Collection, crs: crs_mod.Crs) -> sql.Composable:
    geom = collection.geom_in(crs.srid)
    if crs.flip:
        geom = sql.SQL("ST_FlipCoordinates({})").format(geom)
    return sql.SQL("ST_AsGeoJSON({}, {}, 0)").format(geom, sql.Literal(crs.decimals))


def properties_sql(props: tuple[Property, ...]) -> sql.Composable:
    if not props:
        return sql.SQL("'{}'::json")
    chunks = [
        sql.SQL("json_build_object({})").format(
            sql.SQL(", ").join(
                sql.SQL("{}, {}").format(sql.Literal(p.name), p.sql()) for p in props[i : i + CHUNK]
            )
        )
        for i in range(0, len(props), CHUNK)
    ]
    if len(chunks) == 1:
        return chunks[0]
    return sql.SQL("({})").format(
        sql.SQL(" || ").join(sql.SQL("{}::jsonb").format(c) for c in chunks)
    )


def feature_sql(collection: Collection, query: ItemsQuery) -> sql.Composable:
    props = collection.properties if query.properties is None else query.properties
    return FEATURE.format(
        id=collection.id_sql(),
        geometry=geometry_sql(collection, query.crs),
        properties=properties_sql(props),
    )


BBOX_SQL = sql.SQL(
    "ST_Segmentize(ST_MakeEnvelope(%(bx0)s, %(by0)s, %(bx1)s, %(by1)s, {srid}), %(bseg)s)"
)


INNER_SQL = sql.SQL("ST_MakeEnvelope(%(ix0)s, %(iy0)s, %(ix1)s, %(iy1)s, 2180)")

#: (``geometry_within`` is the function of the ``@`` operator: called by name it is a filter
#: on the rows the ``&&`` index scan finds, never a second index scan of its own)
INTERSECTS_SQL = sql.SQL(
    "{geom} && {box} AND (geometry_within({geom}, {inner})"
    " OR _ST_Intersects({geom}, {inner}) OR _ST_Intersects({geom}, {box}))"
)


def _bbox_params(query: ItemsQuery, params: dict[str, Any]) -> None:
    assert query.bbox is not None
    west, south, east, north = query.bbox
    params.update(bx0=west, by0=south, bx1=east, by1=north)
    params["bseg"] = max(east - west, north - south) / SEGMENTS or 1.0
    inner = crs_mod.inner_box(query.bbox, query.bbox_crs.srid, SEGMENTS)
    ix0, iy0, ix1, iy1 = inner or (0.0, 0.0, 0.0, 0.0)  # (a point: contains no feature)
    params.update(ix0=ix0, iy0=iy0, ix1=ix1, iy1=iy1)


def _bbox_condition(
    collection: Collection, query: ItemsQuery, params: dict[str, Any]
) -> sql.Composable:
    """Features whose geometry intersects the bbox (given west, south, east, north: already
    in PostGIS's axis order); the envelope is densified before it is transformed, since its
    edges bend in another CRS.

    Most features of a bbox lie well inside it: a feature whose bounding box is inside a
    rectangle inscribed in the (transformed) bbox intersects it for sure, so the exact test
    runs only for the features near the bbox's edges — for a 1 km bbox of parcels about one
    in eight (see :func:`miasto.core.crs.inner_box`).

    A feature that crosses the rectangle (a road parcel of thousands of vertices spanning the
    district) intersects the bbox too; GEOS tests a geometry against an axis-parallel
    rectangle in one pass over its vertices, whereas the general test, until PostGIS has
    prepared the bbox (from its second call in the statement), builds the whole topology
    graph: 14 ms for such a parcel, which made a page seven times slower whenever it came
    first."""
    _bbox_params(query, params)
    box: sql.Composable = BBOX_SQL.format(srid=sql.Literal(query.bbox_crs.srid))
    if query.bbox_crs.srid != crs_mod.STORAGE_SRID:
        box = sql.SQL("ST_Transform({}, {})").format(box, sql.Literal(crs_mod.STORAGE_SRID))
    return INTERSECTS_SQL.format(geom=collection.geom(), box=box, inner=INNER_SQL)


def _interval_params(query: ItemsQuery, params: dict[str, Any]) -> None:
    assert query.interval is not None
    lo, hi = query.interval
    if hi is not None:
        params["dt_hi"] = hi
    if lo is not None:
        params["dt_lo"] = lo


def _interval_condition(
    collection: Collection, query: ItemsQuery, params: dict[str, Any]
) -> list[sql.Composable]:
    assert collection.temporal is not None and query.interval is not None
    start_name, end_name = collection.temporal
    start = collection.property(start_name)
    end = collection.property(end_name) if end_name else start
    assert start is not None and end is not None
    lo, hi = query.interval
    _interval_params(query, params)
    conditions: list[sql.Composable] = []
    if hi is not None:
        conditions.append(
            sql.SQL("COALESCE(({})::timestamptz, '-infinity') <= %(dt_hi)s::timestamptz").format(
                start.sql()
            )
        )
    if lo is not None:
        conditions.append(
            sql.SQL("COALESCE(({})::timestamptz, 'infinity') >= %(dt_lo)s::timestamptz").format(
                end.sql()
            )
        )
    return conditions


def conditions_sql(
    collection: Collection, query: ItemsQuery
) -> tuple[sql.Composable, dict[str, Any]]:
    """The page's WHERE (the collection's own condition, bbox, datetime, filter) and its
    parameters."""
    params: dict[str, Any] = dict(query.filter_params)
    conditions: list[sql.Composable] = []
    if (fixed := collection.where_sql()) is not None:
        conditions.append(fixed)
    if query.bbox is not None:
        conditions.append(_bbox_condition(collection, query, params))
    if query.interval is not None:
        conditions.extend(_interval_condition(collection, query, params))
    if query.filter is not None:
        conditions.append(query.filter)
    if not conditions:
        return sql.SQL("TRUE"), params
    return sql.SQL(" AND ").join(sql.SQL("({})").format(c) for c in conditions), params


def order_sql(collection: Collection, query: ItemsQuery) -> sql.Composable:
    keys: list[sql.Composable] = [
        sql.SQL("{} {} NULLS LAST").format(prop.sql(), sql.SQL("DESC" if desc else "ASC"))
        for prop, desc in query.sortby
    ]
    keys.append(collection.id_sql())
    return sql.SQL(", ").join(keys)


def _shape(query: ItemsQuery) -> tuple[Any, ...]:
    """What makes two queries' statements the same text (their values are parameters)."""
    return (
        query.crs,
        query.bbox_crs if query.bbox is not None else None,
        None if query.interval is None else tuple(v is None for v in query.interval),
        as_text(query.filter) if query.filter is not None else None,
        tuple((p.name, desc) for p, desc in query.sortby),
        None if query.properties is None else tuple(p.name for p in query.properties),
        query.offset > 0,
    )


def _statement_cache(collection: Collection) -> dict[tuple[Any, ...], str]:
    """The statements already written for ``collection`` (kept on the object, which is
    frozen: a registered collection lives as long as the process, a dataset's version only
    for its request)."""
    cache: dict[tuple[Any, ...], str] | None = collection.__dict__.get("_statements")
    if cache is None or len(cache) > MAX_STATEMENTS:
        cache = collection.__dict__["_statements"] = {}
    return cache


def _page_params(query: ItemsQuery) -> dict[str, Any]:
    params: dict[str, Any] = dict(query.filter_params)
    if query.bbox is not None:
        _bbox_params(query, params)
    if query.interval is not None:
        _interval_params(query, params)
    params.update(_limits(query))
    return params


def _limits(query: ItemsQuery) -> dict[str, int | None]:
    return {
        "fetch": query.limit + 1,
        "offset": query.offset,
        "limit": query.limit,
        "cap": MATCHED_CAP + 1,
        "known": None,
    }


def page_statement(collection: Collection, query: ItemsQuery) -> tuple[str, dict[str, Any]]:
    """:func:`page_sql` of a GeoJSON page as text, written once per shape of query."""
    cache, key = _statement_cache(collection), ("page", *_shape(query))
    text = cache.get(key)
    if text is None:
        text = cache[key] = as_text(page_sql(collection, query)[0])
    return text, _page_params(query)


def page_sql(
    collection: Collection,
    query: ItemsQuery,
    feature: sql.Composable | None = None,
    sep: str = ",",
) -> tuple[sql.Composable, dict[str, Any]]:
    """The page's statement and parameters: each feature written by ``feature`` (GeoJSON by
    default; the WFS gives its GML member), joined with ``sep``."""
    where, params = conditions_sql(collection, query)
    parts = {
        "source": collection.source(),
        "join": collection.join_sql(),
        "where": where,
    }
    matched = MATCHED_SQL.format(**parts)
    template = KEYED_PAGE_SQL if query.offset else PAGE_SQL
    statement = template.format(
        **parts,
        id=collection.id_sql(),
        feature=feature if feature is not None else feature_sql(collection, query),
        order=order_sql(collection, query),
        matched=matched,
        sep=sql.Literal(sep),
    )
    params.update(_limits(query))
    return statement, params


def run_query(statement: sql.Composable | str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """Run a statement whose values came from a request: a value PostgreSQL refuses (a
    geometry outside its CRS, an invalid polygon in a filter) is the request's error, a 400.
    Prepared (planned once per connection and statement text; the values are bound by the
    server)."""
    try:
        if not connection.in_atomic_block:  # autocommit: a failed statement leaves nothing
            return fetchone_prepared(statement, params)
        with transaction.atomic():  # in a transaction: a savepoint keeps it usable
            return fetchone_prepared(statement, params)
    except (DataError, InternalError) as exc:
        cause = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InvalidParameter(
            f"Baza danych nie przyjęła wartości z zapytania (np. geometrii filtra): {cause}"
        ) from None


def items_page(
    collection: Collection,
    query: ItemsQuery,
    feature: sql.Composable | None = None,
    sep: str = ",",
) -> Page:
    statement: sql.Composable | str
    if feature is None and sep == ",":
        statement, params = page_statement(collection, query)
    else:
        statement, params = page_sql(collection, query, feature, sep)
    known = total(collection) if unfiltered(query) else None
    params["known"] = known
    row = run_query(statement, params)
    assert row is not None
    matched, fetched, features = row
    return Page(
        features=features or "",
        returned=min(int(fetched), query.limit),
        matched=int(matched) if known is not None or matched <= MATCHED_CAP else None,
        has_next=int(fetched) > query.limit,
    )


def unfiltered(query: ItemsQuery) -> bool:
    """The query selects every feature of its collection (it only pages and shapes them)."""
    return query.bbox is None and query.interval is None and query.filter is None


def kept_key(collection: Collection) -> str | None:
    """What identifies the collection's rows as they are now — its table with the revisions
    of its tracked tables, or alone when it never changes —; None when nothing does."""
    if collection.tracked:
        return f"{collection.id}:{revision_token(collection.tracked)}"
    if collection.frozen:
        return f"{collection.id}:{as_text(collection.source())}"
    return None


def total(collection: Collection) -> int | None:
    """How many features the collection has, kept in the cache under :func:`kept_key` (None:
    its rows are neither tracked nor frozen)."""
    kept = kept_key(collection)
    if kept is None:
        return None
    key = f"ogc-count:{kept}"
    found: int | None = cache.get(key)
    if found is None:
        row = fetch_one(
            COUNT_SQL.format(
                source=collection.source(),
                join=collection.join_sql(),
                where=collection.where_sql() or sql.SQL("TRUE"),
            )
        )
        found = int(row[0]) if row else 0
        cache.set(key, found, KEPT_SECONDS)
    return found


def parse_feature_id(collection: Collection, raw: str) -> int | str | None:
    """A feature id from a URL as the collection's id type; None if it cannot be one."""
    if collection.id_type == "integer":
        return int(raw) if raw.isdigit() and len(raw) < 19 else None
    return raw if len(raw) <= 200 and "\x00" not in raw else None


def item(
    collection: Collection,
    feature_id: int | str,
    crs: crs_mod.Crs,
    feature: sql.Composable | None = None,
) -> str | None:
    """One feature as GeoJSON text (or as ``feature`` writes it), or None."""
    cache, key = _statement_cache(collection), ("item", crs)
    text = cache.get(key) if feature is None else None
    if text is None:
        text = as_text(
            ITEM_SQL.format(
                feature=feature or feature_sql(collection, ItemsQuery(crs=crs)),
                source=collection.source(),
                join=collection.join_sql(),
                id=collection.id_sql(),
                where=collection.where_sql() or sql.SQL("TRUE"),
            )
        )
        if feature is None:
            cache[key] = text
    row = fetchone_prepared(text, {"id": feature_id})
    return row[0] if row else None


def _temporal_sql(collection: Collection) -> tuple[sql.Composable, sql.Composable]:
    if collection.temporal is None:
        return sql.SQL("NULL::timestamptz"), sql.SQL("NULL::timestamptz")
    start_name, end_name = collection.temporal
    start = collection.property(start_name)
    end = collection.property(end_name) if end_name else start
    assert start is not None and end is not None
    return (
        sql.SQL("min(({})::timestamptz)").format(start.sql()),
        sql.SQL("max(({})::timestamptz)").format(end.sql()),
    )


def extent(collection: Collection) -> dict[str, Any]:
    """The collection's extent (OGC API ``extent``): its CRS84 bbox and, with a temporal
    property, the interval; kept in the cache (the whole table is read) under
    :func:`kept_key`, or a few minutes for a table that is neither tracked nor frozen."""
    kept = kept_key(collection)
    if kept is None:
        tables = (collection.table,) if isinstance(collection.table, str) else ()
        # (a write to a table with a revision makes a new key; others age out)
        kept = f"{collection.id}:{collection.extra.get('version', '')}:{revision_token(tables)}"
    key = f"ogc-extent:{kept}"
    cached: dict[str, Any] | None = cache.get(key)
    if cached is not None:
        return cached
    tmin, tmax = _temporal_sql(collection)
    row = fetch_one(
        EXTENT_SQL.format(
            tmin=sql.SQL("to_char(tmin AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"),
            tmax=sql.SQL("to_char(tmax AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"),
            tmin_inner=tmin,
            tmax_inner=tmax,
            geom=collection.geom(),
            srid=sql.Literal(crs_mod.STORAGE_SRID),
            source=collection.source(),
            join=collection.join_sql(),
            where=collection.where_sql() or sql.SQL("TRUE"),
        )
    )
    result: dict[str, Any] = {}
    if row is not None and row[0] is not None:
        result["spatial"] = {
            "bbox": [[round(float(v), 6) for v in row[:4]]],
            "crs": crs_mod.CRS84,
        }
    if collection.temporal is not None:
        result["temporal"] = {
            "interval": [[row[4] if row else None, row[5] if row else None]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    kept_long = collection.tracked or collection.frozen
    cache.set(key, result, KEPT_SECONDS if kept_long else EXTENT_SECONDS)
    return result
