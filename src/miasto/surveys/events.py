"""What surveys publish to :mod:`miasto.core.events`: a survey opened for answers. Its place
is the area of the act it concerns, else the whole city (so area alerts hear of it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.core.acts import act_resolve
from miasto.core.events import Topic, emit, topic_registry
from miasto.surveys.models import Survey, SurveyStatus
from miasto.territory.models import City

SURVEY_OPENED = "survey.opened"


def _public() -> list[tuple[str, str]]:
    rows = Survey.objects.filter(status=SurveyStatus.OPEN).order_by("title")
    return [(str(s.pk), s.title) for s in rows]


def _is_public(key: str) -> bool:
    public = (SurveyStatus.OPEN, SurveyStatus.CLOSED)
    return key.isdigit() and Survey.objects.filter(pk=int(key), status__in=public).exists()


topic_registry.register(
    SURVEY_OPENED, Topic(SURVEY_OPENED, _("a map survey opened"), _public, _is_public)
)


def survey_area(survey: Survey) -> Any:
    """The act's area (EPSG:2180) when the survey concerns one that has it, else the city."""
    resolved = act_resolve(survey.act) if survey.act else None
    area = resolved[0].area(resolved[1]) if resolved else None
    if area is None:
        city = City.objects.order_by("id").only("geom").first()
        area = city.geom if city is not None else None
    return area


def survey_opened(survey: Survey) -> None:
    """Announce that ``survey`` takes answers (after the transaction commits)."""
    base = settings.MIASTO_PUBLIC_URL
    emit(
        SURVEY_OPENED,
        str(survey.pk),
        {
            "survey": survey.pk,
            "title": survey.title,
            "url": base + reverse("surveys:survey", args=[survey.pk]),
            "closes_at": survey.closes_at.isoformat(),
            "act": survey.act or None,
        },
        geometry=survey_area(survey),
    )
