"""Atom feeds of new dataset versions: one per dataset (``/dane/<slug>/zmiany.atom``) and one
for the whole catalogue (``/dane/zmiany.atom``), with what the reader may see — anonymous
readers (feed readers are) the public datasets only. Django's syndication framework writes
the Atom."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from miasto.datahub import permissions
from miasto.datahub.models import Dataset, DatasetVersion

#: entries in a feed (the newest versions)
FEED_ENTRIES = 50


def _ready(versions: Any) -> Any:
    return (
        versions.filter(status=DatasetVersion.Status.READY)
        .select_related("dataset")
        .order_by("-finished_at", "-pk")[:FEED_ENTRIES]
    )


class _VersionFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: DatasetVersion) -> str:
        return _("%(title)s — version %(number)d") % {
            "title": item.dataset.title_pl,
            "number": item.number,
        }

    def item_description(self, item: DatasetVersion) -> str:
        n = item.feature_count or 0
        parts = [ngettext("%(n)s feature", "%(n)s features", n) % {"n": n}]
        if item.source_name:
            parts.append(_("source file: %(name)s") % {"name": item.source_name})
        published = (item.quality or {}).get("published") or {}
        if published:
            parts.append(
                _("added %(added)s, changed %(changed)s, removed %(removed)s")
                % {k: published.get(k, 0) for k in ("added", "changed", "removed")}
            )
        if item.note:
            parts.append(item.note)
        return "; ".join(parts)

    def item_link(self, item: DatasetVersion) -> str:
        return reverse("datahub:quality", args=[item.dataset.slug, item.number])

    def item_guid(self, item: DatasetVersion) -> str:
        return f"urn:miasto:dataset:{item.dataset.slug}:version:{item.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: DatasetVersion) -> Any:
        return item.finished_at or item.created_at

    def item_updateddate(self, item: DatasetVersion) -> Any:
        return item.finished_at or item.created_at


class DatasetFeed(_VersionFeed):
    """The versions of one dataset the reader may see."""

    def get_object(self, request: HttpRequest, slug: str) -> Dataset:
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None or not permissions.can_view(request.user, dataset):
            raise Http404
        return dataset

    def title(self, obj: Dataset) -> str:
        return _("%(title)s — new versions") % {"title": obj.title_pl}

    def link(self, obj: Dataset) -> str:
        return reverse("datahub:dataset", args=[obj.slug])

    def subtitle(self, obj: Dataset) -> str:
        return obj.description_pl[:500]

    def items(self, obj: Dataset) -> Any:
        return _ready(obj.versions.all())


class CatalogueFeed(_VersionFeed):
    """New versions of every dataset the reader may see."""

    def get_object(self, request: HttpRequest) -> Any:
        return request.user

    def title(self) -> str:
        return _("Data catalogue — new versions")

    def link(self) -> str:
        return reverse("datahub:catalogue")

    def items(self, user: Any) -> Any:
        visible = Dataset.objects.filter(permissions.visible_q(user))
        return _ready(DatasetVersion.objects.filter(dataset__in=visible))
