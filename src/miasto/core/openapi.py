"""The OpenAPI 3 description of ``/api/v1``, declared next to the endpoints.

Each app that serves ``/api/v1/…`` lists its operations in a module ``openapi.py`` (found by
:data:`operation_registry`, like ``layers.py``): one :class:`Operation` per path and method,
naming the Django URL it documents (``url_name``), its parameters, request body and answers.
The screens app :mod:`miasto.opendata` assembles them into one document
(``/api/v1/openapi.json``); a test fails when an ``api/v1`` URL pattern has no operation, so
a new endpoint cannot go undocumented.

Every operation answers errors as :func:`miasto.core.errors.error_response` does —
``{"error": code, "message": Polish sentence, …}`` — described once here as ``Error``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from miasto.core.registry import Registry

JSON = "application/json"
GEOJSON = "application/geo+json"
CSV = "text/csv"

#: The shape of every error answer (see :mod:`miasto.core.errors`).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {
            "type": "string",
            "description": "a code: invalid_parameter, not_found, forbidden, unavailable, "
            "bad_request, csrf_failed…",
        },
        "message": {"type": "string", "description": "what went wrong, in Polish"},
    },
    "additionalProperties": True,
}

#: The standard error answers (status → description); each operation picks its own.
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Nieprawidłowy parametr (komunikat mówi który i dlaczego).",
    403: "Brak uprawnień (np. operacja dla pracowników urzędu).",
    404: "Nie ma takiego zasobu (albo użytkownik go nie widzi).",
    405: "Metoda niedozwolona.",
    409: "Wynik nie jest policzony albo obliczenie się nie udało.",
    503: "Usługa chwilowo niedostępna (baza danych, limit czasu zapytania).",
}


@dataclass(frozen=True)
class Param:
    """A parameter: in the query (default) or the path."""

    name: str
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    where: str = "query"
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in": self.where,
            "description": self.description,
            "required": self.required or self.where == "path",
            "schema": dict(self.schema),
        }


@dataclass(frozen=True)
class Answer:
    """A documented answer: a status with its content (media type → schema)."""

    description: str
    content: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"description": self.description}
        if self.content:
            body["content"] = {m: {"schema": dict(s)} for m, s in self.content.items()}
        return body


def json_answer(description: str, schema: Mapping[str, Any]) -> Answer:
    return Answer(description, {JSON: schema})


@dataclass(frozen=True)
class Operation:
    """One path and method of ``/api/v1`` (``path`` in OpenAPI's template syntax)."""

    url_name: str
    path: str
    method: str
    summary: str
    tag: str
    answers: Mapping[int, Answer]
    params: tuple[Param, ...] = ()
    errors: tuple[int, ...] = (400, 503)
    description: str = ""
    request_body: Mapping[str, Any] | None = None
    #: names of ``components.securitySchemes`` any of which the operation accepts
    security: tuple[str, ...] = ()
    deprecated: bool = False

    @property
    def operation_id(self) -> str:
        return f"{self.method.lower()}_{self.url_name.replace('-', '_')}"

    def to_dict(self) -> dict[str, Any]:
        responses: dict[str, Any] = {str(s): a.to_dict() for s, a in sorted(self.answers.items())}
        for status in self.errors:
            responses.setdefault(
                str(status),
                {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            )
        body: dict[str, Any] = {
            "operationId": self.operation_id,
            "summary": self.summary,
            "tags": [self.tag],
            "parameters": [p.to_dict() for p in self.params],
            "responses": responses,
        }
        if self.description:
            body["description"] = self.description
        if self.request_body is not None:
            body["requestBody"] = dict(self.request_body)
        if self.deprecated:
            body["deprecated"] = True
        if self.security:
            body["security"] = [{name: []} for name in self.security]
        return body


#: ``"METHOD path"`` → the operation, from every app's ``openapi.py``
operation_registry: Registry[Operation] = Registry("openapi operations", "openapi")


def register(*operations: Operation) -> None:
    for op in operations:
        operation_registry.register(f"{op.method.upper()} {op.path}", op)


# --- small schema helpers, so that the declarations stay short ---------------------------


def obj(required: tuple[str, ...] = (), **properties: Mapping[str, Any]) -> dict[str, Any]:
    """An object schema with these properties (more are allowed: answers may grow)."""
    schema: dict[str, Any] = {"type": "object", "properties": dict(properties)}
    if required:
        schema["required"] = list(required)
    return schema


def array(items: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": dict(items)}


def nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def integer(
    lo: int | None = None, hi: int | None = None, default: int | None = None
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    if lo is not None:
        schema["minimum"] = lo
    if hi is not None:
        schema["maximum"] = hi
    if default is not None:
        schema["default"] = default
    return schema


def enum(*values: str, default: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": list(values)}
    if default is not None:
        schema["default"] = default
    return schema


STRING: dict[str, Any] = {"type": "string"}
NUMBER: dict[str, Any] = {"type": "number"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
ANY_OBJECT: dict[str, Any] = {"type": "object"}
DATE: dict[str, Any] = {"type": "string", "format": "date"}
DATETIME: dict[str, Any] = {"type": "string", "format": "date-time"}
BBOX: dict[str, Any] = {"type": "array", "items": NUMBER, "minItems": 4, "maxItems": 4}
FEATURE_COLLECTION: dict[str, Any] = obj(
    ("type", "features"),
    type={"type": "string", "enum": ["FeatureCollection"]},
    features=array(obj(("type",), type=STRING, properties=nullable(ANY_OBJECT))),
)
CSV_ANSWER: dict[str, Any] = {"type": "string", "description": "CSV (UTF-8, nagłówek w 1. wierszu)"}
#: what a result that a background job computes answers while it is not stored
#: (:func:`miasto.core.http.computing_json`)
COMPUTING: dict[str, Any] = obj(
    ("status", "message"),
    status=enum("computing", "not_computed", "failed"),
    message=STRING,
    job=obj(id=integer(), progress=integer(), message=STRING),
)
CRS_PARAM = Param(
    "crs",
    "Układ współrzędnych wyniku: CRS84, EPSG:4326, EPSG:2180, EPSG:2176–2179, EPSG:3857.",
    {"type": "string", "maxLength": 60},
)
AS_OF_PARAM = Param("as_of", "Stan na dzień (RRRR-MM-DD); domyślnie dziś.", DATE)
PARCEL_ID = Param(
    "identifier",
    "Identyfikator działki EGiB, np. 106401_1.0001.123/4.",
    {"type": "string", "maxLength": 60},
    where="path",
)
SESSION_AND_CSRF = ("session",)
