"""``/api/v1/surveys``: the public surveys (open and closed), one with its questions, and its
results — counts per option and value, places per district and the heat-map grid of every
map question (no personal data, no free text)."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from miasto.core.errors import InvalidParameter, NotFound
from miasto.core.http import int_param, json_response
from miasto.surveys import selectors
from miasto.surveys.models import Survey


def _survey(raw: str) -> Survey:
    if not re.fullmatch(r"[0-9]{1,12}", raw):
        raise InvalidParameter("Identyfikator ankiety to liczba.")
    survey = selectors.public_survey(int(raw))
    if survey is None:
        raise NotFound(f"Nie ma opublikowanej ankiety {raw}.")
    return survey


@require_GET
def surveys(request: HttpRequest) -> JsonResponse:
    base = settings.MIASTO_PUBLIC_URL
    rows = [
        {
            "id": s.pk,
            "title": s.title,
            "status": s.status,
            "closes_at": s.closes_at.isoformat(),
            "responses": s.response_count,  # type: ignore[attr-defined]  # annotated
            "url": f"{base}/ankiety/{s.pk}/",
            "api": f"{base}/api/v1/surveys/{s.pk}",
        }
        for s in selectors.public_surveys()[:500]
    ]
    return json_response({"count": len(rows), "surveys": rows})


@require_GET
def survey_detail(request: HttpRequest, survey_id: str) -> JsonResponse:
    survey = _survey(survey_id)
    return json_response(selectors.survey_json(survey, settings.MIASTO_PUBLIC_URL))


@require_GET
def survey_results(request: HttpRequest, survey_id: str) -> JsonResponse:
    survey = _survey(survey_id)
    if not survey.results_public:
        raise NotFound(f"Wyniki ankiety {survey.pk} nie są publiczne.")
    cell = int_param(
        request, "cell", selectors.CELL_DEFAULT, selectors.CELL_MIN, selectors.CELL_MAX
    )
    questions = selectors.results(survey)
    by_id = {q.pk: q for q in survey.questions.all()}
    for row in questions:
        if row["places"] is not None:
            row["heatmap"] = selectors.density(by_id[row["id"]], cell)
    return json_response(
        {
            "survey": survey.pk,
            "title": survey.title,
            "status": survey.status,
            "responses": selectors.response_count(survey),
            "questions": questions,
        }
    )


urlpatterns = [
    path("api/v1/surveys", surveys, name="api-surveys"),
    path("api/v1/surveys/<str:survey_id>", survey_detail, name="api-survey"),
    path("api/v1/surveys/<str:survey_id>/results", survey_results, name="api-survey-results"),
]
