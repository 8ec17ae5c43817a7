"""What the data hub publishes to :mod:`miasto.core.events`: a public dataset's new current
version (an import, or a rollback to an earlier one). Anyone may follow a public dataset."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.core.events import Topic, emit, topic_registry
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.selectors import version_extent

VERSION_PUBLISHED = "dataset.version_published"


def _public() -> list[tuple[str, str]]:
    rows = Dataset.objects.filter(access=Dataset.Access.PUBLIC, archived_at__isnull=True).order_by(
        "title_pl"
    )
    return [(d.slug, d.title_pl) for d in rows]


def _is_public(slug: str) -> bool:
    return Dataset.objects.filter(
        slug=slug, access=Dataset.Access.PUBLIC, archived_at__isnull=True
    ).exists()


topic_registry.register(
    VERSION_PUBLISHED,
    Topic(VERSION_PUBLISHED, _("a new version of a dataset"), _public, _is_public),
)


def _extent(version: DatasetVersion) -> Any:
    """Where the version's features lie (their bounding box, for area alerts); None for a
    table without geometries."""
    if not version.geometry_type or not version.has_data:
        return None
    return version_extent(version)


def version_published(version: DatasetVersion) -> None:
    """Announce ``version`` as its dataset's current one (after the transaction commits),
    with its extent as the event's geometry."""
    dataset = version.dataset
    base = settings.MIASTO_PUBLIC_URL
    page = base + reverse("datahub:dataset", args=[dataset.slug])
    emit(
        VERSION_PUBLISHED,
        dataset.slug,
        {
            "dataset": dataset.slug,
            "title": dataset.title_pl,
            "url": page,
            "version": version.number,
            "features": version.feature_count,
            "published_at": version.finished_at or version.created_at,
            "links": {
                "dataset": page,
                "feed": base + reverse("datahub:feed", args=[dataset.slug]),
            },
        },
        geometry=_extent(version),
    )
