"""What the data hub publishes to :mod:`miasto.core.events`: a public dataset's new current
version (an import, or a rollback to an earlier one). Anyone may follow a public dataset."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.core.events import Topic, emit, topic_registry
from miasto.datahub.models import Dataset, DatasetVersion

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


def version_published(version: DatasetVersion) -> None:
    """Announce ``version`` as its dataset's current one (after the transaction commits)."""
    dataset = version.dataset
    base = settings.MIASTO_PUBLIC_URL
    emit(
        VERSION_PUBLISHED,
        dataset.slug,
        {
            "dataset": dataset.slug,
            "title": dataset.title_pl,
            "version": version.number,
            "features": version.feature_count,
            "published_at": version.finished_at or version.created_at,
            "links": {
                "dataset": base + reverse("datahub:dataset", args=[dataset.slug]),
                "feed": base + reverse("datahub:feed", args=[dataset.slug]),
            },
        },
    )
