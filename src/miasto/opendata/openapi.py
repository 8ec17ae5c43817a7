"""OpenAPI operations of this app under ``/api/v1`` (the document itself)."""

from __future__ import annotations

from miasto.core.openapi import ANY_OBJECT, Operation, json_answer, register

register(
    Operation(
        "api-openapi",
        "/api/v1/openapi.json",
        "GET",
        "Ten dokument OpenAPI 3",
        "Dokumentacja",
        {200: json_answer("Dokument OpenAPI 3.0.", ANY_OBJECT)},
        errors=(),
    ),
)
