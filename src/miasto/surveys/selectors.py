"""Reads on surveys: the public list, one survey with its questions, the results (counts per
option and value, places per district, the heat-map grid) — built in PostGIS, one statement
each — and the rows of the exports."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet

from miasto.core.db import fetch_json, load_sql
from miasto.surveys.models import Question, Survey, SurveyStatus

#: the side of a heat-map cell in metres, and the range a caller may ask for
CELL_DEFAULT, CELL_MIN, CELL_MAX = 200, 50, 2000
PUBLIC_STATUSES = (SurveyStatus.OPEN, SurveyStatus.CLOSED)


def public_surveys() -> QuerySet[Survey]:
    """Open surveys first (closing soonest first), then closed ones (newest first)."""
    return (
        Survey.objects.filter(status__in=PUBLIC_STATUSES)
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-status", "closes_at", "-id")
    )


def public_survey(survey_id: int) -> Survey | None:
    return (
        Survey.objects.filter(pk=survey_id, status__in=PUBLIC_STATUSES)
        .prefetch_related(Prefetch("questions", Question.objects.order_by("position", "id")))
        .first()
    )


def staff_surveys() -> QuerySet[Survey]:
    return Survey.objects.annotate(
        response_count=Count("responses", distinct=True),
        question_count=Count("questions", distinct=True),
    ).order_by("-id")


def results(survey: Survey) -> list[dict[str, Any]]:
    """Per question: how many answered, counts per option or scale value, the mean, and for
    map questions the places per district (no personal data, no free text)."""
    rows: list[dict[str, Any]] = fetch_json(
        load_sql("miasto.surveys", "results"), {"survey": survey.pk}
    )
    return rows


def density(question: Question, cell: int = CELL_DEFAULT) -> dict[str, Any]:
    """The heat-map grid of a map question (GeoJSON in WGS 84, ``count`` per cell)."""
    cell = max(CELL_MIN, min(CELL_MAX, cell))
    grid: dict[str, Any] = fetch_json(
        load_sql("miasto.surveys", "density"),
        {"question": question.pk, "cell": cell, "srid": settings.MIASTO_SRID},
    )
    return grid


def response_count(survey: Survey) -> int:
    return survey.responses.count()


def survey_json(survey: Survey, base: str) -> dict[str, Any]:
    """A survey as the API shows it: settings and questions (no answers)."""
    return {
        "id": survey.pk,
        "title": survey.title,
        "description": survey.description,
        "status": survey.status,
        "opens_at": survey.opens_at.isoformat() if survey.opens_at else None,
        "opened_at": survey.opened_at.isoformat() if survey.opened_at else None,
        "closes_at": survey.closes_at.isoformat(),
        "respondents": survey.identity,
        "act": survey.act or None,
        "consultation": survey.consultation_id,
        "results_public": survey.results_public,
        "url": f"{base}/ankiety/{survey.pk}/",
        "questions": [
            {
                "id": q.pk,
                "position": q.position,
                "kind": q.kind,
                "text": q.text,
                "help": q.help_text,
                "required": q.required,
                "options": q.options or None,
                "scale": [q.scale_min, q.scale_max] if q.kind in ("scale", "rating") else None,
            }
            for q in survey.questions.all()
        ],
    }
