"""What proposals publish to :mod:`miasto.core.events`: a new proposal and a status change
with the city's feedback, each with the proposal's place (area alerts match it). Anyone may
follow a published proposal. The data is public: never the author."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.core.events import Topic, emit, topic_registry
from miasto.proposals.models import Proposal, StatusChange

PUBLISHED = "proposal.published"
STATUS_CHANGED = "proposal.status_changed"


def _public() -> list[tuple[str, str]]:
    rows = Proposal.objects.filter(hidden_at__isnull=True).order_by("-created_at")[:500]
    return [(str(p.pk), p.title) for p in rows.only("id", "title")]


def _is_public(key: str) -> bool:
    if not (key.isascii() and key.isdigit()) or len(key) > 12:
        return False
    return Proposal.objects.filter(pk=int(key), hidden_at__isnull=True).exists()


for _key, _title in (
    (PUBLISHED, _("a new co-creation proposal")),
    (STATUS_CHANGED, _("a proposal's status changed")),
):
    topic_registry.register(_key, Topic(_key, _title, _public, _is_public))


def _data(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "category": proposal.category,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "url": settings.MIASTO_PUBLIC_URL + reverse("proposals:detail", args=[proposal.pk]),
    }


def published(proposal: Proposal) -> None:
    emit(PUBLISHED, str(proposal.pk), _data(proposal), geometry=proposal.geom)


def status_changed(proposal: Proposal, change: StatusChange) -> None:
    data = {**_data(proposal), "from": change.source, "feedback": change.feedback}
    emit(STATUS_CHANGED, str(proposal.pk), data, geometry=proposal.geom)
