"""What problem reports publish to :mod:`miasto.core.events`: a report's status changed, and
a report was resolved — both with the report's point, so area alerts hear of them. The
subject is the report's category (anyone may follow a category); the data is public: the
category, the status, the public address, never the reporter."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.core.events import Topic, emit, topic_registry
from miasto.problems.models import Report, Service
from miasto.problems.statuses import Status

STATUS_CHANGED = "problem.status_changed"
RESOLVED = "problem.resolved"


def _categories() -> list[tuple[str, str]]:
    return list(Service.objects.filter(active=True).values_list("code", "name"))


def _is_category(code: str) -> bool:
    return Service.objects.filter(code=code).exists()


topic_registry.register(
    STATUS_CHANGED,
    Topic(STATUS_CHANGED, _("a problem report's status changed"), _categories, _is_category),
)
topic_registry.register(
    RESOLVED, Topic(RESOLVED, _("a problem report was resolved"), _categories, _is_category)
)


def status_changed(report: Report, previous: str) -> None:
    """Announce ``report``'s new status (after the transaction commits)."""
    if report.hidden_reason:
        return
    url = settings.MIASTO_PUBLIC_URL + reverse("problems:detail", args=[report.pk])
    data = {
        "id": report.pk,
        "title": f"{report.service.name}: {Status(report.status).label}",
        "url": url,
        "category": report.service.code,
        "status": report.status,
        "previous_status": previous,
        "address": report.address,
    }
    emit(STATUS_CHANGED, report.service.code, data, geometry=report.geom)
    if report.status == Status.RESOLVED:
        emit(RESOLVED, report.service.code, data, geometry=report.geom)
