"""OpenAPI operations of the advertising API (:mod:`miasto.advertising.api`)."""

from __future__ import annotations

from miasto.advertising.kinds import CarrierKind
from miasto.advertising.rules import rule_kinds
from miasto.core.openapi import (
    ANY_OBJECT,
    CSV,
    DATE,
    GEOJSON,
    JSON,
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

TAG = "Reklamy"

CARRIER_ID = Param(
    "carrier_id",
    "Identyfikator nośnika (liczba).",
    {"type": "string", "pattern": "^[0-9]{1,12}$"},
    where="path",
)
ZONE = Param(
    "zone", "Kod strefy uchwały krajobrazowej (np. A).", {"type": "string", "maxLength": 20}
)
KIND = Param("kind", "Rodzaj nośnika.", enum(*CarrierKind.values))
BOOLEAN = enum("true", "false")
VIOLATION = obj(
    ("id", "carrier", "rule_kind", "legal_basis", "message", "detected_on"),
    id=integer(),
    carrier=integer(),
    reference=STRING,
    rule=integer(),
    rule_kind=STRING,
    rule_label=STRING,
    zone=STRING,
    legal_basis=STRING,
    measured=nullable(STRING),
    allowed=nullable(STRING),
    unit=STRING,
    other=nullable(STRING),
    message=STRING,
    detected_on=DATE,
    resolved_on=nullable(DATE),
    adjustment_until=nullable(DATE),
    penalisable={"type": "boolean"},
)
FEATURES = obj(
    ("type", "features"),
    type=enum("FeatureCollection"),
    numberMatched=integer(),
    numberReturned=integer(),
    features=array(ANY_OBJECT),
)
PENALTY = obj(
    ("amount", "days", "parts", "derivation"),
    carrier=integer(),
    reference=STRING,
    area_m2=STRING,
    days=integer(),
    amount=STRING,
    currency=STRING,
    parts=array(ANY_OBJECT),
    derivation=array(STRING),
)
STAFF_ONLY = " Tylko dla pracowników urzędu (logowanie; 403 bez uprawnień)."


def _operations() -> tuple[Operation, ...]:
    return (
        Operation(
            "api-advertising-carriers", "/api/v1/advertising/carriers", "GET",
            "Rejestr nośników reklamowych (GeoJSON)", TAG,
            {200: Answer("Nośniki (EPSG:4326), bez danych osobowych.", {GEOJSON: FEATURES})},
            params=(
                Param("bbox", "Zakres: lon,lat,lon,lat (CRS84).", {"type": "string"}),
                KIND, ZONE,
                Param("compliant", "Zgodność z uchwałą krajobrazową.", BOOLEAN),
                Param("limit", "Najwięcej obiektów.", integer(1, 10000, 1000)),
            ),
        ),
        Operation(
            "api-advertising-carrier", "/api/v1/advertising/carriers/{carrier_id}", "GET",
            "Nośnik z oceną zgodności i naruszeniami", TAG,
            {200: Answer("Nośnik (GeoJSON Feature).", {GEOJSON: ANY_OBJECT})},
            params=(CARRIER_ID,), errors=(400, 404, 503),
        ),
        Operation(
            "api-advertising-penalty", "/api/v1/advertising/carriers/{carrier_id}/penalty",
            "GET", "Kara pieniężna z art. 37d u.p.z.p. z wyliczeniem", TAG,
            {200: json_answer("Kwota i jej wyliczenie.", PENALTY)},
            params=(
                CARRIER_ID,
                Param("from", "Początek postępowania (RRRR-MM-DD).", DATE, required=True),
                Param("to", "Dzień dostosowania lub usunięcia (RRRR-MM-DD, nie liczy się).",
                      DATE, required=True),
            ),  # fmt: skip
            errors=(400, 403, 404, 503),
            description="Kara za każdy dzień: 40 × stawka stała + 40 × stawka zmienna × "
            "powierzchnia." + STAFF_ONLY,
        ),
        Operation(
            "api-advertising-violations", "/api/v1/advertising/violations", "GET",
            "Naruszenia uchwały krajobrazowej", TAG,
            {200: json_answer("Strona naruszeń.", obj(
                ("count", "violations"), count=integer(), page=integer(), page_size=integer(),
                pages=integer(), violations=array(VIOLATION)))},
            params=(
                ZONE,
                Param("rule_kind", "Rodzaj reguły.", enum(*sorted(rule_kinds()))),
                Param("carrier_kind", "Rodzaj nośnika.", enum(*CarrierKind.values)),
                Param("state", "open (domyślnie), resolved albo all.",
                      enum("open", "resolved", "all", default="open")),
                Param("penalisable", "Czy można nałożyć karę.", BOOLEAN),
                Param("carrier", "Identyfikator nośnika.", integer(1)),
                Param("page", "Strona.", integer(1, 100000, 1)),
                Param("page_size", "Rozmiar strony.", integer(1, 500, 50)),
            ),  # fmt: skip
        ),
        Operation(
            "api-advertising-fees", "/api/v1/advertising/fees", "GET",
            "Opłata reklamowa: zestawienie roczne", TAG,
            {200: Answer("Zestawienie (JSON) albo plik CSV dla systemu finansowego.",
                         {JSON: ANY_OBJECT, CSV: {"type": "string"}})},
            params=(
                Param("year", "Rok.", integer(2015, 2100), required=True),
                Param("owner", "Identyfikator właściciela.", integer(1)),
                Param("format", "json albo csv.", enum("json", "csv", default="json")),
            ),
            errors=(400, 403, 404, 503),
            description="Opłata: część stała dziennie + część zmienna od m² dziennie, po "
            "stawkach rady gminy." + STAFF_ONLY,
        ),  # fmt: skip
    )  # fmt: skip


register(*_operations())
