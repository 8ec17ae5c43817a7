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
from miasto.core.sql import quote_ident
from miasto.datahub.models import Dataset, DatasetVersion

PREFIX = "ds-"

#: OGR field types → property types (others are published as text)
TYPES = {
    "Integer": "integer",
    "Integer64": "integer",
    "Real": "number",
    "Date": "date",
    "DateTime": "date-time",
}


def _geometry_type(geometry_type: str) -> str:
    g = geometry_type.lower()
    if "point" in g:
        return "point"
    if "line" in g:
        return "line"
    return "polygon" if "polygon" in g else "any"


def _property(attribute: dict[str, str]) -> Property:
    name = attribute["name"]
    kind = TYPES.get(attribute.get("type", ""), "string")
    column = f"t.{quote_ident(name)}"
    return Property(name, column if kind != "string" else f"{column}::text", kind, name)


def version_collection(dataset: Dataset, version: DatasetVersion) -> Collection:
    attributes = [
        a for a in version.attributes if a.get("name") and a["name"].lower() not in ("fid", "geom")
    ]
    return Collection(
        id=f"{PREFIX}{dataset.slug}",
        title=dataset.title_pl,
        description=dataset.description_pl,
        keywords=tuple(dataset.keywords),
        table=version.table_name,
        id_column="fid",
        geometry_type=_geometry_type(version.geometry_type),
        properties=tuple(_property(a) for a in attributes),
        tile_layer=f"{PREFIX}{dataset.slug}" if dataset.target == "generic" else None,
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
        return version_collection(found.dataset, found) if found else None

    def all(self) -> list[Collection]:
        versions = (
            _published()
            .filter(is_current=True)
            .select_related("dataset")
            .order_by("dataset__title_pl")
        )
        return [version_collection(v.dataset, v) for v in versions]

    def versions(self, collection_id: str) -> list[int]:
        """The published version numbers of a dataset collection, newest first."""
        if not collection_id.startswith(PREFIX):
            return []
        rows = _published().filter(dataset__slug=collection_id[len(PREFIX) :][:80])
        return list(rows.order_by("-number").values_list("number", flat=True))


if not any(isinstance(p, DatasetCollections) for p in collection_providers):
    collection_providers.append(DatasetCollections())
