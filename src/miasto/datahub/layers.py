"""Each generic dataset's current version is a map layer ``ds-<slug>`` (vector tiles + list)."""

from __future__ import annotations

from functools import partial
from typing import Any

from miasto.core.layers import TileLayer, layer_providers
from miasto.core.sql import quote_ident
from miasto.datahub import permissions
from miasto.datahub.models import Dataset, DatasetVersion

PREFIX = "ds-"
MAX_TILE_PROPERTIES = 12


def _geometry_kind(geometry_type: str) -> str:
    g = geometry_type.lower()
    if "point" in g:
        return "point"
    if "line" in g:
        return "line"
    return "polygon"


def version_layer(dataset: Dataset, version: DatasetVersion) -> TileLayer:
    names = [a["name"] for a in version.attributes if a.get("name")][:MAX_TILE_PROPERTIES]
    properties = {"fid": "t.fid"} | {
        quote_ident(n): f"t.{quote_ident(n)}" for n in names if n.lower() not in ("fid", "geom")
    }
    return TileLayer(
        name=f"{PREFIX}{dataset.slug}",
        title=dataset.title_pl,
        table=version.table_name,
        geometry=_geometry_kind(version.geometry_type),
        properties=properties,
        minzoom=10 if (version.feature_count or 0) > 50_000 else 0,
        simplify=True,
        list_order="fid",
        visible=partial(permissions.can_view, dataset=dataset),
        public=dataset.access == Dataset.Access.PUBLIC,
        # the version's own table has no tracked revision: the published version is the key
        cache_key=f"v{version.pk}",
        extra={"dataset": dataset.slug, "version": version.number},
    )


def _current(datasets: Any) -> list[tuple[Dataset, DatasetVersion]]:
    versions = DatasetVersion.objects.filter(
        dataset__in=datasets, is_current=True, status=DatasetVersion.Status.READY
    ).select_related("dataset", "dataset__owner")
    return [(v.dataset, v) for v in versions]


def provider(name: str) -> TileLayer | None:
    if not name.startswith(PREFIX):
        return None
    datasets = Dataset.objects.filter(
        slug=name[len(PREFIX) :], target="generic", archived_at__isnull=True
    )
    pairs = _current(datasets)
    return version_layer(*pairs[0]) if pairs else None


def _all(user: Any) -> list[TileLayer]:
    datasets = Dataset.objects.filter(permissions.visible_q(user), target="generic")
    return [version_layer(d, v) for d, v in _current(datasets)]


provider.all = _all  # type: ignore[attr-defined]
if provider not in layer_providers:
    layer_providers.append(provider)
