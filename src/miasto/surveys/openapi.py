"""OpenAPI operations of the surveys' API (:mod:`miasto.surveys.api`)."""

from __future__ import annotations

from miasto.core.openapi import (
    BOOLEAN,
    DATETIME,
    FEATURE_COLLECTION,
    NUMBER,
    STRING,
    Operation,
    Param,
    array,
    enum,
    integer,
    json_answer,
    nullable,
    obj,
    register,
)
from miasto.surveys.models import Identity, QuestionKind, SurveyStatus

TAG = "Ankiety (geoankiety)"
SURVEY_ID = Param(
    "survey_id",
    "Identyfikator ankiety (liczba).",
    {"type": "string", "pattern": "^[0-9]{1,12}$"},
    where="path",
)
STATUS = enum(SurveyStatus.OPEN, SurveyStatus.CLOSED)
SUMMARY = obj(
    ("id", "title", "status", "closes_at"),
    id=integer(),
    title=STRING,
    status=STATUS,
    closes_at=DATETIME,
    responses=integer(),
    url=STRING,
    api=STRING,
)
QUESTION = obj(
    ("id", "kind", "text", "required"),
    id=integer(),
    position=integer(),
    kind=enum(*QuestionKind.values),
    text=STRING,
    help=STRING,
    options=nullable(array(STRING)),
    scale=nullable(array(integer())),
)
QUESTION["properties"]["required"] = BOOLEAN  # (a property named as obj()'s own argument)
SURVEY = obj(
    ("id", "title", "status", "questions"),
    id=integer(),
    title=STRING,
    description=STRING,
    status=STATUS,
    opens_at=nullable(DATETIME),
    opened_at=nullable(DATETIME),
    closes_at=DATETIME,
    respondents=enum(*Identity.values),
    act=nullable(STRING),
    consultation=nullable(integer()),
    results_public=BOOLEAN,
    url=STRING,
    questions=array(QUESTION),
)
RESULT = obj(
    ("id", "kind", "text", "answered"),
    id=integer(),
    position=integer(),
    kind=enum(*QuestionKind.values),
    text=STRING,
    answered=integer(),
    options=nullable(array(obj(option=STRING, count=integer()))),
    scale=nullable(array(obj(value=integer(), count=integer()))),
    mean=nullable(NUMBER),
    places=nullable(integer()),
    districts=nullable(
        array(obj(code=STRING, name=STRING, count=integer(), mean=nullable(NUMBER)))
    ),
    heatmap={**FEATURE_COLLECTION, "description": "siatka gęstości (WGS 84), count w komórce"},
)

register(
    Operation(
        "api-surveys",
        "/api/v1/surveys",
        "GET",
        "Ankiety (otwarte i zamknięte)",
        TAG,
        {
            200: json_answer(
                "Lista ankiet.", obj(("count", "surveys"), count=integer(), surveys=array(SUMMARY))
            )
        },
        errors=(503,),
    ),
    Operation(
        "api-survey",
        "/api/v1/surveys/{survey_id}",
        "GET",
        "Ankieta z pytaniami",
        TAG,
        {200: json_answer("Ankieta.", SURVEY)},
        params=(SURVEY_ID,),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-survey-results",
        "/api/v1/surveys/{survey_id}/results",
        "GET",
        "Wyniki ankiety: liczby odpowiedzi, mapy cieplne",
        TAG,
        {
            200: json_answer(
                "Wyniki bez danych osobowych i bez odpowiedzi tekstowych.",
                obj(
                    ("survey", "responses", "questions"),
                    survey=integer(),
                    title=STRING,
                    status=STATUS,
                    responses=integer(),
                    questions=array(RESULT),
                ),
            )
        },
        params=(
            SURVEY_ID,
            Param("cell", "Bok komórki mapy cieplnej w metrach.", integer(50, 2000, 200)),
        ),
        errors=(400, 404, 503),
        description="404 także wtedy, gdy wyniki ankiety nie są publiczne.",
    ),
)
