"""OpenAPI operations of planning's API: plans, the parcel report and its PDF, analyses and
scenarios (:mod:`miasto.planning.api`, :mod:`miasto.planning.analyses.api`,
:mod:`miasto.planning.pages`)."""

from __future__ import annotations

from miasto.core.openapi import (
    ANY_OBJECT,
    AS_OF_PARAM,
    COMPUTING,
    CRS_PARAM,
    CSV,
    CSV_ANSWER,
    DATE,
    GEOJSON,
    JSON,
    PARCEL_ID,
    SESSION_AND_CSRF,
    STRING,
    Answer,
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
from miasto.planning.analyses.config import SEVERITIES
from miasto.planning.analyses.params import LEVELS
from miasto.planning.models import Plan
from miasto.planning.statuses import PlanStatus

PLANS = "Planowanie"
ANALYSES = "Analizy planistyczne"

PLAN_ID = Param(
    "plan_id",
    "Identyfikator planu (liczba).",
    {"type": "string", "pattern": "^[0-9]{1,12}$"},
    where="path",
)
PLAN = obj(
    ("id", "kind", "title", "status"),
    id=integer(),
    kind=enum(*Plan.Kind.values),
    kind_label=STRING,
    local_id=STRING,
    namespace=STRING,
    title=STRING,
    status=enum(*PlanStatus.values),
    status_label=STRING,
    valid_from=nullable(DATE),
    valid_to=nullable(DATE),
    amends=nullable(integer()),
)
FORMAT_JSON_CSV = Param("format", "Format odpowiedzi.", enum("json", "csv", default="json"))
DISTRICT = Param("district", "Kod dzielnicy (z /api/v1/city).", {"type": "string", "maxLength": 20})
JSON_OR_CSV = {JSON: ANY_OBJECT, CSV: CSV_ANSWER}

register(
    Operation(
        "api-plans",
        "/api/v1/plans",
        "GET",
        "Plany (POG, MPZP, studium…)",
        PLANS,
        {
            200: json_answer(
                "Lista planów.", obj(("count", "plans"), count=integer(), plans=array(PLAN))
            )
        },  # fmt: skip
        params=(
            Param("kind", "Rodzaj planu.", enum(*Plan.Kind.values)),
            Param("status", "Status planu.", enum(*PlanStatus.values)),
        ),
    ),
    Operation(
        "api-plan",
        "/api/v1/plans/{plan_id}",
        "GET",
        "Plan ze strefami (GeoJSON) i dokumentami",
        PLANS,
        {200: json_answer("Plan.", ANY_OBJECT)},
        params=(
            PLAN_ID,
            CRS_PARAM,
            Param("history", "1: z historią zmian.", enum("0", "1", "true", "false")),
        ),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-plan-app-gml",
        "/api/v1/plans/{plan_id}/app.gml",
        "GET",
        "Plan w GML zgodnym ze schematem APP",
        PLANS,
        {200: Answer("Plik GML (APP 2.0).", {"application/gml+xml": {"type": "string"}})},
        params=(
            PLAN_ID,
            Param(
                "crs",
                "EPSG:2180 (domyślnie) albo EPSG:2176–2179.",
                {"type": "string", "maxLength": 60},
            ),  # fmt: skip
        ),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-parcel-planning",
        "/api/v1/parcels/{identifier}/planning",
        "GET",
        "Raport planistyczny działki",
        PLANS,
        {200: json_answer("Przeznaczenie, wskaźniki, ograniczenia, dostępność.", ANY_OBJECT)},
        params=(PARCEL_ID, AS_OF_PARAM),
        errors=(400, 404, 503),
    ),
    Operation(
        "report-pdf",
        "/api/v1/parcels/{identifier}/planning.pdf",
        "GET",
        "Projekt wypisu i wyrysu (PDF)",
        PLANS,
        {200: Answer("PDF.", {"application/pdf": {"type": "string", "format": "binary"}})},
        params=(
            PARCEL_ID,
            AS_OF_PARAM,
            Param("id", "Dalsze działki tego samego wypisu (powtarzalny).", array(STRING)),
        ),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-analyses-coverage",
        "/api/v1/analyses/coverage",
        "GET",
        "Pokrycie miasta planami w czasie",
        ANALYSES,
        {200: Answer("Seria dat z udziałem pokrycia.", JSON_OR_CSV)},
        params=(
            Param("from", "Pierwsza data serii.", DATE),
            Param("to", "Ostatnia data serii (domyślnie dziś).", DATE),
            Param("step", "Krok w latach.", integer(1, 50, 1)),
            FORMAT_JSON_CSV,
        ),
    ),
    Operation(
        "api-analyses-capacity",
        "/api/v1/analyses/capacity",
        "GET",
        "Chłonność terenów (zapisany wynik)",
        ANALYSES,
        {
            200: Answer("Chłonność na wybranym poziomie.", JSON_OR_CSV),
            202: json_answer("Wynik jest liczony w tle.", COMPUTING),
            409: json_answer("Wynik nie jest policzony (zleca go pracownik: POST).", COMPUTING),
        },
        params=(
            Param("level", "Poziom.", enum(*LEVELS, default="district")),
            DISTRICT,
            Param("page", "Strona.", integer(1, 1_000_000, 1)),
            Param("page_size", "Rozmiar strony.", integer(1, 1000, 100)),
            AS_OF_PARAM,
            Param("forecast_population", "Prognoza liczby mieszkańców.", integer(1, 50_000_000)),
            Param("forecast_year", "Rok prognozy (do +50 lat).", integer()),
            FORMAT_JSON_CSV,
        ),
    ),
    Operation(
        "api-analyses-capacity",
        "/api/v1/analyses/capacity",
        "POST",
        "Zlecenie obliczenia chłonności",
        ANALYSES,
        {
            200: json_answer(
                "Wynik jest już zapisany.", obj(("status",), status=STRING, as_of=DATE)
            ),  # fmt: skip
            202: json_answer("Obliczenie zlecone albo w toku.", COMPUTING),
        },
        params=(AS_OF_PARAM,),
        description="Dla pracowników urzędu (sesja i token CSRF w nagłówku X-CSRFToken).",
        errors=(400, 403, 503),
        security=SESSION_AND_CSRF,
    ),
    Operation(
        "api-analyses-conflicts",
        "/api/v1/analyses/conflicts",
        "GET",
        "Konflikty planistyczne",
        ANALYSES,
        {200: Answer("Konflikty.", {**JSON_OR_CSV, GEOJSON: ANY_OBJECT})},
        params=(
            DISTRICT,
            Param("severity", "Waga.", enum(*SEVERITIES)),
            AS_OF_PARAM,
            Param("format", "Format odpowiedzi.", enum("json", "csv", "geojson", default="json")),
        ),
    ),
    Operation(
        "api-scenarios",
        "/api/v1/scenarios",
        "GET",
        "Scenariusze planistyczne",
        ANALYSES,
        {
            200: json_answer(
                "Scenariusze (najwyżej 500).",
                obj(("count", "scenarios"), count=integer(), scenarios=array(ANY_OBJECT)),
            )
        },
        errors=(403, 503),
        security=SESSION_AND_CSRF,
    ),
    Operation(
        "api-scenario",
        "/api/v1/scenarios/{scenario_id}",
        "GET",
        "Porównanie scenariusza ze stanem obecnym",
        ANALYSES,
        {
            200: json_answer("Porównanie.", ANY_OBJECT),
            202: json_answer("Porównanie jest liczone w tle.", COMPUTING),
            409: json_answer("Porównanie nie jest policzone.", COMPUTING),
        },
        params=(Param("scenario_id", "Identyfikator scenariusza.", STRING, where="path"),),
        errors=(400, 403, 404, 503),
        security=SESSION_AND_CSRF,
    ),
    Operation(
        "api-scenario",
        "/api/v1/scenarios/{scenario_id}",
        "POST",
        "Zlecenie obliczenia scenariusza",
        ANALYSES,
        {
            200: json_answer("Porównanie jest już policzone.", obj(("status",), status=STRING)),
            202: json_answer("Obliczenie zlecone albo w toku.", COMPUTING),
        },
        params=(Param("scenario_id", "Identyfikator scenariusza.", STRING, where="path"),),
        errors=(400, 403, 404, 409, 503),
        security=SESSION_AND_CSRF,
    ),
)
