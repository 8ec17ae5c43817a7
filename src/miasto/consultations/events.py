"""What the consultations module publishes (:mod:`miasto.core.events`): a consultation
announced, and its summary report published. The data is public (title, dates, links),
the geometry the consultation's area (for area alerts)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.consultations.lifecycle import PUBLIC_STATUSES
from miasto.consultations.models import Consultation
from miasto.core.events import Topic, emit, topic_registry

ANNOUNCED = "consultation.announced"
REPORT_PUBLISHED = "consultation.report_published"


def _public() -> list[tuple[str, str]]:
    rows = Consultation.objects.filter(status__in=PUBLIC_STATUSES).order_by("-starts_on")
    return [(str(c.pk), c.title) for c in rows]


def _is_public(key: str) -> bool:
    return (
        key.isdigit()
        and Consultation.objects.filter(pk=int(key), status__in=PUBLIC_STATUSES).exists()
    )


topic_registry.register(
    ANNOUNCED, Topic(ANNOUNCED, _("a consultation announced"), _public, _is_public)
)
topic_registry.register(
    REPORT_PUBLISHED,
    Topic(REPORT_PUBLISHED, _("a consultation's summary report published"), _public, _is_public),
)


def _data(consultation: Consultation) -> dict[str, Any]:
    base = settings.MIASTO_PUBLIC_URL
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "act": consultation.act or None,
        "starts_on": consultation.starts_on.isoformat(),
        "ends_on": consultation.ends_on.isoformat(),
        "url": base + reverse("consultations:detail", args=[consultation.pk]),
    }


def announced(consultation: Consultation) -> None:
    emit(ANNOUNCED, str(consultation.pk), _data(consultation), geometry=consultation.area)


def report_published(consultation: Consultation) -> None:
    data = _data(consultation)
    base = settings.MIASTO_PUBLIC_URL
    data["report_pdf"] = base + reverse(
        "consultations:api-consultation-report-pdf", args=[consultation.pk]
    )
    data["report_csv"] = base + reverse(
        "consultations:api-consultation-report-csv", args=[consultation.pk]
    )
    emit(REPORT_PUBLISHED, str(consultation.pk), data, geometry=consultation.area)
