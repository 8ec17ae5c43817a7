"""Feature collections: what the OGC API Features (``/ogcapi/``) serves, as a registry.

A :class:`Collection` declares a table (or a subquery written in code), its id and geometry
columns (EPSG:2180), the properties it publishes — each an SQL expression over the alias ``t``
with a JSON type and a title, which are also its queryables —, an optional temporal pair of
properties, a fixed condition and the vector-tile layer that shows it. The SQL for pages of
features is built from these declarations in :mod:`miasto.core.features`.

Each app declares its collections in its ``collections.py`` (a new module: one file):

- fixed ones with ``collection_registry.register(id, Collection(...))``;
- collections not known in advance (one per dataset) through a :class:`CollectionProvider`
  appended to :data:`collection_providers`.

Only what everyone may see is declared here: the OGC API is the city's open data, so a
collection never depends on who asks (restricted and internal datasets, rejected versions and
personal data — e.g. the number of residents of a building — are simply never declared).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

from miasto.core.crs import STORAGE_SRID
from miasto.core.registry import Registry

#: JSON Schema types of properties (``date`` and ``date-time`` are strings with a format)
PROPERTY_TYPES = ("string", "integer", "number", "boolean", "date", "date-time")
GEOMETRY_TYPES = ("point", "line", "polygon", "any")


@dataclass(frozen=True)
class Property:
    """A published property: its name (a queryable), an SQL expression over ``t`` (and the
    collection's joins) written in code, its type and title."""

    name: str
    expr: str | sql.Composable
    type: str = "string"
    title: Any = ""

    def __post_init__(self) -> None:
        if self.type not in PROPERTY_TYPES:
            raise ValueError(f"property {self.name!r}: unknown type {self.type!r}")

    def sql(self) -> sql.Composable:
        return self.expr if isinstance(self.expr, sql.Composable) else sql.SQL(self.expr)


@dataclass(frozen=True)
class Collection:
    """A feature collection (see the module docstring)."""

    id: str
    title: Any
    #: a table name (``table`` or ``schema.table``, quoted as an identifier) or a
    #: ``psycopg.sql`` composition (a subquery written in code)
    table: str | sql.Composable
    properties: tuple[Property, ...]
    description: Any = ""
    keywords: tuple[str, ...] = ()
    id_column: str = "id"
    #: ``integer`` or ``string``: how a feature id in a URL is read
    id_type: str = "integer"
    geom_column: str = "geom"
    geometry_type: str = "polygon"
    #: joins (``LEFT JOIN territory_street s ON s.id = t.street_id``) written in code
    join: str | sql.Composable = ""
    #: a fixed condition over ``t`` written in code
    where: str | sql.Composable = ""
    #: names of the (date or date-time) properties for ``datetime``: (start, end or None)
    temporal: tuple[str, str | None] | None = None
    #: the vector-tile layer (``miasto.core.layers``) showing this collection
    tile_layer: str | None = None
    #: stored copies of the geometry in other CRSs (columns PostgreSQL generates from it), by
    #: SRID: read instead of transforming every feature
    copies: dict[int, str] = field(default_factory=dict)
    #: tables whose revisions (``core_tablerevision``) change with every write that changes
    #: how many features the collection has: its count is then kept until one of them changes,
    #: so unfiltered pages give ``numberMatched`` however many features there are
    tracked: tuple[str, ...] = ()
    #: its rows never change (a dataset's published version, a table of its own): its count
    #: and extent, once read, are kept
    frozen: bool = False
    #: e.g. a dataset's version number, and its older published versions
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.id_type not in ("integer", "string"):
            raise ValueError(f"collection {self.id!r}: id_type is integer or string")
        if self.geometry_type not in GEOMETRY_TYPES:
            raise ValueError(f"collection {self.id!r}: unknown geometry {self.geometry_type!r}")
        names = [p.name for p in self.properties]
        if len(set(names)) != len(names):
            raise ValueError(f"collection {self.id!r}: property names repeat")
        if self.temporal and not set(filter(None, self.temporal)) <= set(names):
            raise ValueError(f"collection {self.id!r}: temporal properties must be declared")

    def property(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    def source(self) -> sql.Composable:
        if isinstance(self.table, sql.Composable):
            return self.table
        return sql.Identifier(*self.table.split("."))

    def geom(self) -> sql.Composable:
        return sql.Identifier("t", self.geom_column)

    def geom_in(self, srid: int) -> sql.Composable:
        """The geometry in ``srid``: as stored, its stored copy, or transformed."""
        if srid == STORAGE_SRID:
            return self.geom()
        if srid in self.copies:
            return sql.Identifier("t", self.copies[srid])
        return sql.SQL("ST_Transform({}, {})").format(self.geom(), sql.Literal(srid))

    def id_sql(self) -> sql.Composable:
        return sql.Identifier("t", self.id_column)

    def join_sql(self) -> sql.Composable:
        return self.join if isinstance(self.join, sql.Composable) else sql.SQL(self.join)

    def where_sql(self) -> sql.Composable | None:
        if not self.where:
            return None
        return self.where if isinstance(self.where, sql.Composable) else sql.SQL(self.where)


class CollectionProvider(abc.ABC):
    """Collections not known in advance (e.g. one per public dataset)."""

    @abc.abstractmethod
    def get(self, collection_id: str, version: int | None = None) -> Collection | None:
        """The collection (of an older published ``version`` if given), or None: not this
        provider's, or not public."""

    @abc.abstractmethod
    def all(self) -> list[Collection]:
        """Every collection this provider has now (current versions)."""

    def versions(self, collection_id: str) -> list[int]:
        """The versions of one of its collections that may be asked for (newest first)."""
        return []


collection_registry: Registry[Collection] = Registry("collections", "collections")
collection_providers: list[CollectionProvider] = []


def collection_get(collection_id: str, version: int | None = None) -> Collection | None:
    """The collection with this id (``version``: a provider's older version), or None."""
    collection = collection_registry.get(collection_id)
    if collection is not None:
        return None if version is not None else collection
    for provider in collection_providers:
        provided = provider.get(collection_id, version)
        if provided is not None:
            return provided
    return None


def collections_all() -> list[Collection]:
    """Every collection: the registered ones in their order, then the providers'."""
    result = list(collection_registry)
    for provider in collection_providers:
        result.extend(provider.all())
    return result


def collection_versions(collection_id: str) -> list[int]:
    """The published versions of a provider's collection (``?version=``), newest first."""
    for provider in collection_providers:
        found = provider.versions(collection_id)
        if found:
            return found
    return []
