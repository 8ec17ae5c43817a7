"""Survey objects for other apps' tests (e.g. a published place for the OGC API's town)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone


def published_place(geom: Any) -> Any:
    """A closed survey with public results and one answer: a place at ``geom`` (EPSG:2180)."""
    from miasto.surveys.models import Place, Question, Response, Survey

    survey = Survey.objects.create(
        title="Ankieta zamknięta", status="closed", closes_at=timezone.now() - timedelta(days=1)
    )
    question = Question.objects.create(survey=survey, position=1, kind="points", text="Gdzie?")
    response = Response.objects.create(survey=survey)
    return Place.objects.create(response=response, question=question, geom=geom)
