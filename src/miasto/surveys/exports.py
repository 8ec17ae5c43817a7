"""Exports of a survey's answers for staff: CSV (one row per response, one column per
question) and GeoPackage (places, routes and areas as layers, the ordinary answers as a
table). Both are anonymised: the response's number and date, never the account, name,
address or e-mail. The GeoPackage is written by GDAL through
:func:`miasto.core.geopackage.geopackage` (see docs/surveys.md for why not the data hub)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.utils import timezone

from miasto.core.db import fetch_json, load_sql
from miasto.core.geopackage import GpkgLayer, geopackage
from miasto.surveys.models import Answer, Place, Question, QuestionKind, Survey

#: GeoPackage layer → the geometry type of its places
PLACE_LAYERS = (("places", "Point"), ("routes", "LineString"), ("areas", "Polygon"))


def _questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id"))


def answer_label(question: Question, answer: Answer) -> str:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = question.options
        return "; ".join(options[i] for i in answer.choices if 0 <= i < len(options))
    if question.kind == QuestionKind.SCALE:
        return "" if answer.number is None else str(answer.number)
    return answer.text


def _answers(survey: Survey) -> dict[tuple[int, int], Answer]:
    rows = Answer.objects.filter(response__survey=survey)
    return {(a.response_id, a.question_id): a for a in rows}


def _places(survey: Survey) -> dict[tuple[int, int], list[Place]]:
    found: dict[tuple[int, int], list[Place]] = {}
    for place in Place.objects.filter(response__survey=survey).order_by("id"):
        found.setdefault((place.response_id, place.question_id), []).append(place)
    return found


def _place_cell(places: list[Place]) -> str:
    """A map answer in a CSV cell: WKT in EPSG:2180, ``score=N`` after a rated point."""
    parts = []
    for place in places:
        wkt = place.geom.wkt
        parts.append(f"{wkt} score={place.score}" if place.score is not None else wkt)
    return " | ".join(parts)


def survey_csv(survey: Survey) -> str:
    """The answers, one row per response (geometries as WKT in EPSG:2180)."""
    questions = _questions(survey)
    answers, places = _answers(survey), _places(survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["response", "submitted", *(f"{q.position}. {q.text}" for q in questions)])
    tz = timezone.get_default_timezone()
    for response in survey.responses.order_by("id").only("id", "submitted_at"):
        row: list[Any] = [response.pk, response.submitted_at.astimezone(tz).date().isoformat()]
        for q in questions:
            if q.is_map:
                row.append(_place_cell(places.get((response.pk, q.pk), [])))
            else:
                answer = answers.get((response.pk, q.pk))
                row.append(answer_label(q, answer) if answer else "")
        writer.writerow([_safe_cell(v) for v in row])
    return out.getvalue()


def _safe_cell(value: Any) -> Any:
    """A text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _answer_table(survey: Survey) -> dict[str, Any]:
    questions = {q.pk: q for q in _questions(survey)}
    features = []
    rows = Answer.objects.filter(response__survey=survey).select_related("response")
    for answer in rows.order_by("response_id", "question__position"):
        question = questions[answer.question_id]
        features.append(
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "response": answer.response_id,
                    "question": question.position,
                    "question_text": question.text,
                    "answer": answer_label(question, answer),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def survey_geopackage(survey: Survey) -> bytes:
    """Layers ``places``, ``routes``, ``areas`` (EPSG:2180) and the table ``answers``."""
    statement = load_sql("miasto.surveys", "export_places")
    tz = settings.TIME_ZONE
    layers = [
        GpkgLayer(
            name,
            geometry_type,
            fetch_json(statement, {"survey": survey.pk, "type": geometry_type.upper(), "tz": tz}),
        )
        for name, geometry_type in PLACE_LAYERS
    ]
    layers.append(GpkgLayer("answers", None, _answer_table(survey)))
    return geopackage(layers, epsg=settings.MIASTO_SRID)
