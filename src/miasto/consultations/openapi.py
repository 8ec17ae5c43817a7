"""OpenAPI operations of the consultations API (:mod:`miasto.consultations.api`)."""

from __future__ import annotations

from miasto.consultations.config import FORMS
from miasto.consultations.models import Category, Handling, Status
from miasto.core.openapi import (
    ANY_OBJECT,
    CSV,
    CSV_ANSWER,
    DATE,
    GEOJSON,
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

TAG = "Konsultacje społeczne"
ID = Param("pk", "Identyfikator konsultacji (liczba).", integer(lo=1, hi=2**62 - 1), where="path")
CONSULTATION = obj(
    ("id", "title", "status", "starts_on", "ends_on", "url"),
    id=integer(),
    title=STRING,
    status=enum(*Status.values),
    status_label=STRING,
    act=nullable(STRING),
    act_title=nullable(STRING),
    starts_on=DATE,
    ends_on=DATE,
    announced_on=nullable(DATE),
    forms=array(enum(*FORMS)),
    comments=nullable(integer()),
    url=STRING,
    comments_url=STRING,
    report_pdf=nullable(STRING),
    report_csv=nullable(STRING),
)
COMMENT_PROPERTIES = obj(
    ("number", "category", "text"),
    number=integer(),
    received_on=DATE,
    category=enum(*Category.values),
    part=nullable(STRING),
    parcel=nullable(STRING),
    text=STRING,
    handling=nullable(enum(*[h for h in Handling.values if h])),
    justification=nullable(STRING),
)
COMMENTS = obj(
    ("type", "features"),
    type=enum("FeatureCollection"),
    features=array(
        obj(
            ("type", "properties"),
            type=enum("Feature"),
            id=integer(),
            geometry=nullable(ANY_OBJECT),
            properties=COMMENT_PROPERTIES,
        )
    ),
)
NO_PERSONAL_DATA = "Bez danych osobowych: autorzy uwag nie są ujawniani."

register(
    Operation(
        "api-consultations",
        "/api/v1/consultations",
        "GET",
        "Konsultacje społeczne (ogłoszone, trwające, zakończone)",
        TAG,
        {
            200: json_answer(
                "Lista konsultacji",
                obj(("count", "consultations"), count=integer(), consultations=array(CONSULTATION)),
            )
        },
        description="Konsultacje projektów aktów planowania (u.p.z.p. art. 8e–8m); "
        "projekty ogłoszeń nie są publiczne.",
    ),  # fmt: skip
    Operation(
        "api-consultation",
        "/api/v1/consultations/{pk}",
        "GET",
        "Jedne konsultacje: ogłoszenie, formy, dokumenty, obszar",
        TAG,
        {200: json_answer("Konsultacje", CONSULTATION)},
        params=(ID,),
        errors=(404, 503),
    ),
    Operation(
        "api-consultation-comments",
        "/api/v1/consultations/{pk}/comments",
        "GET",
        "Opublikowane uwagi z proponowanym sposobem uwzględnienia (GeoJSON)",
        TAG,
        {200: Answer("Uwagi (GeoJSON, CRS84)", {GEOJSON: COMMENTS})},
        params=(ID,),
        errors=(404, 503),
        description=NO_PERSONAL_DATA,
    ),
    Operation(
        "api-consultation-report-pdf",
        "/api/v1/consultations/{pk}/report.pdf",
        "GET",
        "Raport podsumowujący (art. 8k ust. 2), PDF/UA",
        TAG,
        {200: Answer("Raport (PDF)", {"application/pdf": {"type": "string", "format": "binary"}})},
        params=(ID,),
        errors=(404, 503),
        description="Dostępny po opublikowaniu raportu. " + NO_PERSONAL_DATA,
    ),
    Operation(
        "api-consultation-report-csv",
        "/api/v1/consultations/{pk}/report.csv",
        "GET",
        "Raport podsumowujący (art. 8k ust. 2): zestawienie uwag, CSV",
        TAG,
        {200: Answer("Zestawienie uwag (CSV)", {CSV: CSV_ANSWER})},
        params=(ID,),
        errors=(404, 503),
        description="Dostępny po opublikowaniu raportu. " + NO_PERSONAL_DATA,
    ),
)
