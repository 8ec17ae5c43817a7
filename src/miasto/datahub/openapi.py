"""OpenAPI operations of the data hub's API (:mod:`miasto.datahub.api`) and of background
jobs (``/api/v1/jobs/…``, served here)."""

from __future__ import annotations

from miasto.core.openapi import (
    ANY_OBJECT,
    BBOX,
    BOOLEAN,
    CRS_PARAM,
    DATE,
    DATETIME,
    NUMBER,
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
from miasto.datahub.exports import EXPORT_FORMATS
from miasto.datahub.vocabularies import Frequency, Licence, Theme

TAG = "Zbiory danych"
JOBS = "Zadania w tle"

SLUG = Param("slug", "Identyfikator zbioru.", {"type": "string", "maxLength": 80}, where="path")
NUMBER_PARAM = Param("number", "Numer wersji.", integer(1, 2_147_483_647), where="path")

SUMMARY = obj(
    ("slug", "title", "owner", "licence", "frequency", "access", "theme"),
    slug=STRING,
    title=STRING,
    title_pl=STRING,
    title_en=STRING,
    description=STRING,
    keywords=array(STRING),
    theme=enum(*Theme.values),
    owner=obj(("code", "name"), code=STRING, name=STRING),
    contact_point=obj(name=STRING, email=STRING),
    licence=enum(*Licence.values),
    frequency=enum(*Frequency.values),
    access=enum("public", "internal", "restricted"),
    target=STRING,
    spatial_coverage=nullable(BBOX),
    temporal_coverage=obj(start=nullable(DATE), end=nullable(DATE)),
    modified=DATETIME,
    stale=BOOLEAN,
    stale_since=nullable(DATETIME),
    current_version=nullable(integer()),
    feature_count=nullable(integer()),
    quality_score=nullable(NUMBER),
)
VERSION = obj(
    ("number", "status", "is_current"),
    number=integer(),
    status=enum("queued", "running", "failed", "rejected", "ready"),
    is_current=BOOLEAN,
    created_at=DATETIME,
    finished_at=nullable(DATETIME),
    created_by=nullable(STRING),
    source=ANY_OBJECT,
    feature_count=nullable(integer()),
    duration_s=nullable(NUMBER),
    geometry_type=STRING,
    quality_score=nullable(NUMBER),
    note=STRING,
)
LIST = obj(
    ("count", "page", "page_size", "results", "facets"),
    count=integer(),
    page=integer(),
    page_size=integer(),
    results=array(SUMMARY),
    facets={"type": "object", "additionalProperties": array(ANY_OBJECT)},
)
DETAIL = {
    "allOf": [
        SUMMARY,
        obj(
            ("versions", "downloads"),
            versions=array(VERSION),
            quality=nullable(ANY_OBJECT),
            downloads={"type": "object", "additionalProperties": STRING},
            layer=STRING,
        ),
    ]
}
JOB = obj(
    ("id", "kind", "status", "progress"),
    id=integer(),
    kind=STRING,
    status=enum("queued", "running", "done", "failed", "cancelled"),
    progress=integer(),
    message=STRING,
    error=STRING,
    result=ANY_OBJECT,
)
DOWNLOAD_TYPES = {content_type.split(";")[0] for _, content_type, _ in EXPORT_FORMATS.values()}

register(
    Operation(
        "api-datasets",
        "/api/v1/datasets",
        "GET",
        "Katalog zbiorów danych",
        TAG,
        {200: json_answer("Strona katalogu z fasetami.", LIST)},
        params=(
            Param("q", "Szukane słowa (tytuł, opis, słowa kluczowe).", {"type": "string"}),
            Param("theme", "Kategoria (słownik EU data-theme).", enum(*Theme.values)),
            Param("owner", "Kod jednostki właściciela.", STRING),
            Param("format", "Format bieżącej wersji (gpkg, geojson, shp…).", STRING),
            Param("access", "Poziom dostępu.", enum("public", "internal", "restricted")),
            Param("freshness", "Aktualność.", enum("fresh", "stale")),
            Param("target", "Warstwa docelowa (parcels, buildings… albo generic).", STRING),
            Param("page", "Strona.", integer(1, 100_000, 1)),
            Param("page_size", "Rozmiar strony.", integer(1, 100, 20)),
        ),
    ),
    Operation(
        "api-dataset",
        "/api/v1/datasets/{slug}",
        "GET",
        "Zbiór danych: metadane, wersje, pliki do pobrania",
        TAG,
        {200: json_answer("Zbiór z wersjami widocznymi dla użytkownika.", DETAIL)},
        params=(SLUG,),
        errors=(404, 503),
    ),
    Operation(
        "api-dataset-diff",
        "/api/v1/datasets/{slug}/diff",
        "GET",
        "Różnice między wersjami",
        TAG,
        {200: json_answer("Dodane, usunięte i zmienione obiekty.", ANY_OBJECT)},
        params=(
            SLUG,
            Param("from", "Wersja wcześniejsza (domyślnie bieżąca).", integer(1, 1_000_000)),
            Param("to", "Wersja późniejsza (domyślnie bieżąca).", integer(1, 1_000_000)),
        ),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-dataset-download",
        "/api/v1/datasets/{slug}/download",
        "GET",
        "Pobranie wersji (GeoPackage, GeoJSON, CSV, Shapefile)",
        TAG,
        {
            200: Answer(
                "Plik (strumień) w wybranym formacie i układzie.",
                {t: {"type": "string", "format": "binary"} for t in sorted(DOWNLOAD_TYPES)},
            )
        },
        params=(
            SLUG,
            Param("format", "Format pliku.", enum(*EXPORT_FORMATS, default="geojson")),
            CRS_PARAM,
            Param("version", "Numer wersji (domyślnie bieżąca).", integer(1, 1_000_000)),
        ),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-dataset-quality",
        "/api/v1/datasets/{slug}/versions/{number}/quality",
        "GET",
        "Raport jakości wersji",
        TAG,
        {
            200: json_answer(
                "Wynik i raport kontroli jakości.",
                obj(
                    ("dataset", "version", "status"),
                    dataset=STRING,
                    version=integer(),
                    status=STRING,
                    score=nullable(NUMBER),
                    report=ANY_OBJECT,
                ),
            )
        },
        params=(SLUG, NUMBER_PARAM),
        errors=(404, 503),
    ),
    Operation(
        "api-dataset-features",
        "/api/v1/datasets/{slug}/versions/{number}/features",
        "GET",
        "Tabela atrybutów wersji (strona)",
        TAG,
        {
            200: json_answer(
                "Kolumny i wiersze (tekst), bez geometrii.",
                obj(
                    ("columns", "rows", "limit", "offset"),
                    columns=array(STRING),
                    rows=array(array(nullable(STRING))),
                    count=nullable(integer()),
                    labels={"type": "object", "additionalProperties": STRING},
                    limit=integer(),
                    offset=integer(),
                ),
            )
        },
        params=(
            SLUG,
            NUMBER_PARAM,
            Param("limit", "Rozmiar strony.", integer(1, 500, 50)),
            Param("offset", "Przesunięcie.", integer(0, 100_000_000, 0)),
        ),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-job",
        "/api/v1/jobs/{pk}",
        "GET",
        "Stan zadania w tle",
        JOBS,
        {200: json_answer("Postęp i wynik zadania (jego autor i administratorzy).", JOB)},
        params=(Param("pk", "Numer zadania.", integer(1, 2_147_483_647), where="path"),),
        errors=(404, 503),
        security=SESSION_AND_CSRF,
    ),
    Operation(
        "api-job-cancel",
        "/api/v1/jobs/{pk}/cancel",
        "POST",
        "Anulowanie zadania w tle",
        JOBS,
        {
            200: json_answer("Zadanie anulowane.", JOB),
            409: json_answer("Zadanie już się zakończyło.", JOB),
        },
        params=(Param("pk", "Numer zadania.", integer(1, 2_147_483_647), where="path"),),
        description="Dla pracowników urzędu (sesja i token CSRF w nagłówku X-CSRFToken).",
        errors=(403, 404, 503),
        security=SESSION_AND_CSRF,
    ),
)
