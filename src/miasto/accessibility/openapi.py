"""OpenAPI operations of the accessibility API (:mod:`miasto.accessibility.api`)."""

from __future__ import annotations

from miasto.core.openapi import (
    ANY_OBJECT,
    CSV,
    CSV_ANSWER,
    JSON,
    PARCEL_ID,
    Answer,
    Operation,
    Param,
    enum,
    json_answer,
    register,
)

TAG = "Dostępność usług"

register(
    Operation(
        "api-accessibility",
        "/api/v1/analyses/accessibility",
        "GET",
        "Dostępność usług publicznych (podsumowanie)",
        TAG,
        {200: Answer("Podsumowanie dla standardów.", {JSON: ANY_OBJECT, CSV: CSV_ANSWER})},
        params=(
            Param(
                "standard",
                "Kod aktywnego standardu dostępności.",
                {"type": "string", "maxLength": 40},
            ),  # fmt: skip
            Param("format", "Format odpowiedzi.", enum("json", "csv", default="json")),
        ),
    ),
    Operation(
        "api-parcel-accessibility",
        "/api/v1/parcels/{identifier}/accessibility",
        "GET",
        "Dostępność usług z działki",
        TAG,
        {200: json_answer("Odległości i spełnienie standardów.", ANY_OBJECT)},
        params=(PARCEL_ID,),
        errors=(400, 404, 503),
    ),
)
