"""Vector-tile layers: a registry and the SQL that PostGIS runs to build tiles and lists.

A layer names its table, its geometry column, the properties to put in tiles and in the
list/table equivalent of the map, and the zoom range. Tiles are built in one statement with
``ST_AsMVT``; the index is used through ``geom && <tile envelope in the storage SRID>``.
Above a layer's ``maxzoom`` (capped by ``MIASTO_TILE_MAX_ZOOM``) a tile is 404 — maps overzoom
the last level — so no request can make tiles (or cache files) for arbitrary deep zooms; tiles
of public layers go to the bounded file cache (:mod:`miasto.core.tilecache`), the others are
never stored and are ``Cache-Control: private``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from psycopg import sql

from miasto.core import tilecache
from miasto.core.db import fetch_json, fetch_one, fetch_value, fetchone_prepared
from miasto.core.errors import NotFound
from miasto.core.geo import clip_to_area_of_use
from miasto.core.registry import Registry

#: Where the map asks for a public layer's tiles: OGC API Tiles (``miasto.ogcapi.tiles``),
#: which serves public layers only; every layer (public or not, under its rules) is at
#: ``OWN_TILE_URL``, which answers the same tiles.
TILE_URL = "/ogcapi/collections/{name}/tiles/WebMercatorQuad/{z}/{y}/{x}"
OWN_TILE_URL = "/tiles/{name}/{z}/{x}/{y}.mvt"

EXTENT = 4096
BUFFER = 64
#: Web Mercator tile width at zoom 0, in metres.
WORLD = 40075016.685578488


@dataclass(frozen=True)
class TileLayer:
    name: str
    title: Any
    table: str
    geometry: str  # polygon | line | point
    properties: dict[str, str]
    minzoom: int = 0
    #: Tiles are served up to this zoom (and ``MIASTO_TILE_MAX_ZOOM``); a map overzooms them.
    maxzoom: int = 20
    geom_column: str = "geom"
    #: The geometry put in tiles, if not ``geom_column`` itself: an SQL expression (storage
    #: SRID) over the row ``t``, e.g. a label point of a polygon. The tile's index condition
    #: stays on ``geom_column``.
    tile_geom: str | sql.Composable = ""
    #: A stored EPSG:3857 copy of the geometry, if the table has one (saves a transform per row).
    merc_column: str | None = None
    join: str = ""
    where: str = ""
    simplify: bool = False
    #: ((zoom limit, SQL condition), …): below the limit only rows meeting the condition.
    zoom_filters: tuple[tuple[int, str], ...] = ()
    #: Below this zoom a tile holds one point per cell of a grid of
    #: ``CLUSTER_CELL`` tile units (and per value of ``cluster_keys``) with the property
    #: ``count``; a cluster of one feature has every property, a larger one only its keys and
    #: ``count`` (see :data:`CLUSTER_SQL`; the properties need an order, ``min``: cast a
    #: boolean); a line or an area counts at the middle of its box.
    #: 0: never clustered.
    cluster_below: int = 0
    #: Properties (names from ``properties``) a cluster never mixes, e.g. the consultation.
    cluster_keys: tuple[str, ...] = ()
    list_table: str | None = None
    list_properties: dict[str, str] | None = None
    list_order: str = "id"
    #: Other tables the tiles read (joins): their changes invalidate cached tiles too.
    depends_on: tuple[str, ...] = ()
    #: Who may see the layer (tiles, lists); ``None`` means everyone.
    visible: Callable[[Any], bool] | None = None
    #: Whether everyone may see the tiles (shared caches may keep them); by default, when
    #: ``visible`` is None. A layer that is not public is never stored in the file cache
    #: and its tiles are ``Cache-Control: private``.
    public: bool | None = None
    #: Part of the cache key besides the tables' revisions (e.g. a dataset's version).
    cache_key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def visible_to(self, user: Any) -> bool:
        return self.visible is None or bool(self.visible(user))

    @property
    def is_public(self) -> bool:
        return self.visible is None if self.public is None else self.public

    @property
    def max_zoom(self) -> int:
        """The highest zoom served: the layer's, within ``MIASTO_TILE_MAX_ZOOM``."""
        return min(self.maxzoom, int(getattr(settings, "MIASTO_TILE_MAX_ZOOM", 20)))

    def cache_control(self) -> str:
        return "public, max-age=300" if self.is_public else "private, max-age=300"

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": str(self.title),
            "geometry": self.geometry,
            "minzoom": self.minzoom,
            "maxzoom": self.max_zoom,
            **({"cluster_below": self.cluster_below} if self.cluster_below else {}),
            # public layers from the OGC API (open data); the others where their rules hold
            "tiles": (TILE_URL if self.is_public else OWN_TILE_URL).replace("{name}", self.name),
        }

    # --- SQL -----------------------------------------------------------------------------
    # The layer's fields are declarations: ``table``, ``geom_column``, ``merc_column`` are
    # names (quoted here with ``sql.Identifier``); ``properties`` (output name → expression),
    # ``join``, ``where``, ``zoom_filters``, ``list_table`` (a table or a subquery) and
    # ``list_order`` are SQL fragments written in code
    # (a name from data in them is quoted by whoever declares the layer, with
    # ``miasto.core.sql.quote_ident``), or ``psycopg.sql`` compositions.

    def _table(self) -> sql.Composable:
        return sql.Identifier(*self.table.split("."))

    def _list_source(self) -> sql.Composable:
        """What the list reads: ``list_table`` (a table or a subquery written in code), else
        the layer's table."""
        return fragment(self.list_table) if self.list_table else self._table()

    def tile_sql(self, z: int) -> sql.Composed:
        """The statement building tile ``z/x/y`` (parameters ``z``, ``x``, ``y``, ``name``)."""
        if z < self.cluster_below:
            return self.cluster_sql()
        merc = sql.Identifier("t", self.merc_column) if self.merc_column else None
        native = sql.Identifier("t", self.geom_column)
        geom: sql.Composable = merc or native
        if self.tile_geom:
            geom = sql.SQL("ST_Transform({}, 3857)").format(fragment(self.tile_geom))
        if self.simplify and z < 14:
            # Half a pixel at this zoom, in storage units (metric, close enough to Mercator/1.6).
            tolerance = round(WORLD / (1 << z) / EXTENT / 2, 6)
            geom = sql.SQL("ST_Simplify({}, {}, true)").format(geom, sql.Literal(tolerance))
        conditions: list[sql.Composable] = [
            sql.SQL("{} && env.merc_wide").format(merc)
            if merc
            else sql.SQL("{} && env.native").format(native)
        ]
        if self.where:
            conditions.append(fragment(self.where))
        for limit, condition in self.zoom_filters:
            if z < limit:
                conditions.append(fragment(condition))
                break
        return TILE_SQL.format(
            srid=sql.Literal(int(settings.MIASTO_SRID)),
            extent=sql.Literal(EXTENT),
            buffer=sql.Literal(BUFFER),
            props=_select_list(self.properties),
            geom=geom if merc or self.tile_geom else sql.SQL("ST_Transform({}, 3857)").format(geom),
            table=self._table(),
            join=fragment(self.join),
            where=sql.SQL(" AND ").join(conditions),
        )

    def cluster_sql(self) -> sql.Composed:
        """The statement building a clustered tile (see :attr:`cluster_below`)."""
        native = sql.Identifier("t", self.geom_column)
        conditions: list[sql.Composable] = [sql.SQL("{} && env.native").format(native)]
        if self.where:
            conditions.append(fragment(self.where))
        keys = [sql.Identifier(k) for k in self.cluster_keys]
        others = [sql.Identifier(k) for k in self.properties if k not in self.cluster_keys]
        # (min: the one member's value, without collecting every member's as array_agg would)
        single = sql.SQL(", CASE WHEN {n} = 1 THEN min({t}.{k}) END AS {k}")
        return CLUSTER_SQL.format(
            srid=sql.Literal(int(settings.MIASTO_SRID)),
            extent=sql.Literal(EXTENT),
            cell=sql.Literal(CLUSTER_CELL),
            props=_select_list(self.properties),
            geom=native,
            table=self._table(),
            join=fragment(self.join),
            where=sql.SQL(" AND ").join(conditions),
            keys=sql.SQL("").join(sql.SQL("{}, ").format(k) for k in keys),
            single_p=sql.SQL("").join(
                single.format(n=sql.SQL("count(*)"), t=sql.SQL("p"), k=k) for k in others
            ),
            single_c=sql.SQL("").join(
                single.format(n=sql.SQL("sum(c.n)"), t=sql.SQL("c"), k=k) for k in others
            ),
        )

    def tile(self, z: int, x: int, y: int) -> bytes:
        """The tile (empty below ``minzoom``); above :attr:`max_zoom`, :class:`NotFound`
        before anything is built or stored — a map overzooms the last level instead, and
        requests for deeper levels cannot fill the cache."""
        if z > self.max_zoom:
            raise NotFound(
                f"Warstwa „{self.name}” ma kafle do poziomu przybliżenia {self.max_zoom}; "
                "przy większym przybliżeniu mapa powiększa kafle z tego poziomu."
            )
        if z < self.minzoom:
            return b""
        path = None
        if self.is_public:  # others' tiles never reach the shared file cache
            path = tilecache.tile_path(
                self.name, (self.table, *self.depends_on), (z, x, y), self.cache_key
            )
        if path is not None and (cached := tilecache.read(path)) is not None:
            return cached
        params = {"z": z, "x": x, "y": y, "name": self.name}
        if z < self.cluster_below:
            # a prepared statement: its planning costs as much as a small tile (per connection)
            row = fetchone_prepared(self.cluster_sql(), params)
        else:
            row = fetch_one(self.tile_sql(z), params)
        data = bytes(row[0]) if row and row[0] is not None else b""
        if path is not None:
            tilecache.write(path, data)
        return data

    def list_features(
        self, bbox: tuple[float, float, float, float], limit: int, offset: int
    ) -> dict[str, Any]:
        """Rows (no geometry) of the features in a CRS84 bbox, with a point to fly to. The bbox
        is cut to the area of use of the storage CRS first (a world bbox transformed whole
        to EPSG:2180 would be a small box in its middle); one wholly outside it finds nothing."""
        area = clip_to_area_of_use(bbox, int(settings.MIASTO_SRID))
        if area is None:
            return self._list_answer(0, [], limit, offset)
        bbox = area
        # (densified first: a parallel is a curve in the storage CRS, and the box of the four
        # corners alone leaves out the middle of a wide bbox's southern edge)
        where: sql.Composable = sql.SQL(
            "{} && ST_Transform(ST_Segmentize(ST_MakeEnvelope(%s, %s, %s, %s, 4326), 0.05), {})"
        ).format(sql.Identifier(self.geom_column), sql.Literal(int(settings.MIASTO_SRID)))
        if self.where and not self.list_table:
            where = sql.SQL("{} AND {}").format(where, fragment(self.where))
        table = self._list_source()
        features = fetch_json(
            LIST_SQL.format(
                columns=_select_list(self.list_properties or self.properties),
                geom=sql.Identifier(self.geom_column),
                table=table,
                where=where,
                order=fragment(self.list_order),
            ),
            [*bbox, limit, offset],
        )
        count = fetch_value(
            LIST_COUNT_SQL.format(table=table, where=where, cap=sql.Literal(LIST_COUNT_CAP + 1)),
            list(bbox),
        )
        return self._list_answer(count, features, limit, offset)

    def _list_answer(self, count: int, features: Any, limit: int, offset: int) -> dict[str, Any]:
        return {
            "layer": self.name,
            "count": count,
            "count_is_capped": count > LIST_COUNT_CAP,
            "limit": limit,
            "offset": offset,
            "features": features,
        }


#: How far :meth:`TileLayer.list_features` counts (beyond, "more than 10 000").
LIST_COUNT_CAP = 10_000

TILE_SQL = sql.SQL("""
    WITH env AS (
        SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS merc,
               ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.02) AS merc_wide,
               ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.02), {srid})
                   AS native
    )
    SELECT ST_AsMVT(q, %(name)s, {extent}, 'mvt_geom') FROM (
        SELECT {props},
               ST_AsMVTGeom({geom}, env.merc, {extent}, {buffer}, true) AS mvt_geom
        FROM {table} t {join}, env
        WHERE {where}
    ) q WHERE q.mvt_geom IS NOT NULL
""")

#: The cell of a clustered tile, in tile units (of ``EXTENT``): 1/8 of the tile, 64 pixels
#: of a 512-pixel tile — room for a disc with a four-digit number.
CLUSTER_CELL = 512

#: A clustered tile, in two steps so that no feature is transformed one by one (the
#: transformation would be most of the cost): the tile's features (a line or an area at the
#: middle of its box) are grouped first in cells of the storage CRS about as large as a tile
#: cell (a metric CRS's metre is about 0.6 Web Mercator metres at Polish latitudes), and only
#: those cells' mean points are transformed and put in tile units. A fine cell counts in
#: the tile holding its point (the tile's own envelope, not the margin), so every feature
#: counts in exactly one tile; the tile's cells (and the layer's cluster keys) then group the
#: few fine cells whose points share one into one point at their members' mean position. A
#: cluster of one member carries every property (the map treats it as the feature itself).
CLUSTER_SQL = sql.SQL("""
    WITH env AS (
        SELECT ST_XMin(e) AS x0, ST_YMax(e) AS y1, ST_XMax(e) - ST_XMin(e) AS size,
               (ST_XMax(e) - ST_XMin(e)) * {cell} / {extent} * 0.6 AS fine,
               ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.02), {srid})
                   AS native
        FROM ST_TileEnvelope(%(z)s, %(x)s, %(y)s) e
    ), p AS (
        SELECT {props}, (ST_XMin({geom}) + ST_XMax({geom})) / 2 AS nx,
               (ST_YMin({geom}) + ST_YMax({geom})) / 2 AS ny
        FROM {table} t {join}, env
        WHERE {where}
    ), f AS (
        SELECT {keys}count(*) AS n{single_p},
               ST_Transform(ST_SetSRID(ST_MakePoint(avg(p.nx), avg(p.ny)), {srid}), 3857) AS pt
        FROM p, env
        GROUP BY {keys}floor(p.nx / env.fine), floor(p.ny / env.fine)
    ), c AS (
        SELECT f.*, (ST_X(f.pt) - env.x0) / env.size * {extent} AS gx,
               (env.y1 - ST_Y(f.pt)) / env.size * {extent} AS gy
        FROM f, env
    )
    SELECT ST_AsMVT(q, %(name)s, {extent}, 'mvt_geom') FROM (
        SELECT {keys}sum(c.n)::int AS count{single_c},
               ST_MakePoint(round(sum(c.gx * c.n) / sum(c.n)), round(sum(c.gy * c.n) / sum(c.n)))
                   AS mvt_geom
        FROM c
        WHERE c.gx >= 0 AND c.gx < {extent} AND c.gy >= 0 AND c.gy < {extent}
        GROUP BY {keys}floor(c.gx / {cell}), floor(c.gy / {cell})
    ) q
""")

LIST_SQL = sql.SQL("""
    SELECT COALESCE(json_agg(r), '[]'::json) FROM (
        SELECT {columns},
               json_build_array(
                   round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6)) AS point
        FROM (
            SELECT *, ST_Transform(ST_PointOnSurface({geom}), 4326) AS p
            FROM {table} t
            WHERE {where}
            ORDER BY {order}
            LIMIT %s OFFSET %s
        ) t
    ) r
""")

LIST_COUNT_SQL = sql.SQL(
    "SELECT count(*) FROM (SELECT 1 FROM {table} t WHERE {where} LIMIT {cap}) c"
)


def fragment(part: str | sql.Composable) -> sql.Composable:
    """A layer's SQL fragment declared in code (text or a composition) as a composition."""
    return part if isinstance(part, sql.Composable) else sql.SQL(part)


def _select_list(properties: dict[str, Any]) -> sql.Composable:
    """``expression AS name, …`` of a layer's declared properties."""
    return sql.SQL(", ").join(
        sql.SQL("{} AS {}").format(fragment(expr), fragment(name))
        for name, expr in properties.items()
    )


layer_registry: Registry[TileLayer] = Registry("layers", "layers")

#: Functions giving layers that are not known in advance (e.g. one per dataset):
#: ``provider(name) -> TileLayer | None`` and ``provider.all(user) -> list[TileLayer]``.
layer_providers: list[Any] = []


def layer_get(name: str) -> TileLayer | None:
    layer = layer_registry.get(name)
    if layer is not None:
        return layer
    for provider in layer_providers:
        provided: TileLayer | None = provider(name)
        if provided is not None:
            return provided
    return None


def layers_for(user: Any, *, dynamic: bool = True) -> list[TileLayer]:
    """Every layer this user may see: the registered ones, then the providers' ones."""
    result = [layer for layer in layer_registry if layer.visible_to(user)]
    if dynamic:
        for provider in layer_providers:
            result.extend(layer for layer in provider.all(user) if layer.visible_to(user))
    return result
