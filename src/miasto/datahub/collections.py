"""Every public dataset's published version is a feature collection ``ds-<slug>`` of the OGC
API (``/ogcapi/collections/ds-<slug>``): its current version, or an older published one with
``?version=N``.

Only public datasets that are not archived, and only *ready* versions (accepted by the quality
rules): internal and restricted datasets, rejected, failed or unfinished versions never become
collections — whoever asks (see :mod:`miasto.core.collections`).
"""

from __future__ import annotations

from django.db.models import QuerySet

from miasto.core.collections import (
    Collection,
    CollectionProvider,
    Property,
    collection_providers,
)
from miasto.core.db import fetch_all
from miasto.core.sql import quote_ident
from miasto.datahub.models import DATA_SCHEMA, Dataset, DatasetVersion

PREFIX = "ds-"

#: PostgreSQL column types → property types (others are published as text)
TYPES = {
    "smallint": "integer",
    "integer": "integer",
    "bigint": "integer",
    "real": "number",
    "double precision": "number",
    "numeric": "number",
    "boolean": "boolean",
    "date": "date",
    "timestamp with time zone": "date-time",
    "timestamp without time zone": "date-time",
}
#: the columns every version table has besides its attributes
OWN_COLUMNS = ("fid", "geom")

COLUMNS_SQL = (
    "SELECT table_name, column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = %s AND table_name = ANY(%s) ORDER BY table_name, ordinal_position"
)


def _columns(versions: list[DatasetVersion]) -> dict[str, list[tuple[str, str]]]:
    """``{table name: [(column, type), …]}`` of the versions' tables, in one query (the
    tables' own columns and types: what the SQL reads, whatever the file declared)."""
    names = [v.table_name.split(".", 1)[1] for v in versions]
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in fetch_all(COLUMNS_SQL, [DATA_SCHEMA, names]):
        found.setdefault(table, []).append((column, data_type))
    return found


def _geometry_type(geometry_type: str) -> str:
    g = geometry_type.lower()
    if "point" in g:
        return "point"
    if "line" in g:
        return "line"
    return "polygon" if "polygon" in g else "any"


def _property(name: str, data_type: str) -> Property:
    kind = TYPES.get(data_type, "string")
    column = f"t.{quote_ident(name)}"
    return Property(name, column if kind != "string" else f"{column}::text", kind, name)


def version_collection(
    dataset: Dataset, version: DatasetVersion, columns: list[tuple[str, str]]
) -> Collection:
    return Collection(
        id=f"{PREFIX}{dataset.slug}",
        title=dataset.title_pl,
        description=dataset.description_pl,
        keywords=tuple(dataset.keywords),
        table=version.table_name,
        id_column="fid",
        geometry_type=_geometry_type(version.geometry_type),
        properties=tuple(_property(n, t) for n, t in columns if n not in OWN_COLUMNS),
        tile_layer=f"{PREFIX}{dataset.slug}" if dataset.target == "generic" else None,
        # (a published version's table is never written again: the tile cache keys it by
        # version too)
        frozen=True,
        extra={
            "dataset": dataset.slug,
            "version": version.number,
            "current": version.is_current,
            "updated": version.finished_at.isoformat() if version.finished_at else None,
            "licence": dataset.licence,
        },
    )


def _public() -> QuerySet[Dataset]:
    return Dataset.objects.filter(access=Dataset.Access.PUBLIC, archived_at__isnull=True)


def _published() -> QuerySet[DatasetVersion]:
    return DatasetVersion.objects.filter(
        status=DatasetVersion.Status.READY, dataset__in=_public()
    ).exclude(geometry_type="")


class DatasetCollections(CollectionProvider):
    def get(self, collection_id: str, version: int | None = None) -> Collection | None:
        if not collection_id.startswith(PREFIX):
            return None
        versions = _published().filter(dataset__slug=collection_id[len(PREFIX) :][:80])
        found = (
            (
                versions.filter(is_current=True)
                if version is None
                else versions.filter(number=version)
            )
            .select_related("dataset")
            .first()
        )
        if found is None:
            return None
        columns = _columns([found]).get(found.table_name.split(".", 1)[1])
        return version_collection(found.dataset, found, columns) if columns else None

    def all(self) -> list[Collection]:
        versions = (
            _published()
            .filter(is_current=True)
            .select_related("dataset")
            .order_by("dataset__title_pl")
        )
        columns = _columns(list(versions))
        return [
            version_collection(v.dataset, v, columns[v.table_name.split(".", 1)[1]])
            for v in versions
            if v.table_name.split(".", 1)[1] in columns
        ]

    def versions(self, collection_id: str) -> list[int]:
        """The published version numbers of a dataset collection, newest first."""
        if not collection_id.startswith(PREFIX):
            return []
        rows = _published().filter(dataset__slug=collection_id[len(PREFIX) :][:80])
        return list(rows.order_by("-number").values_list("number", flat=True))


if not any(isinstance(p, DatasetCollections) for p in collection_providers):
    collection_providers.append(DatasetCollections())
