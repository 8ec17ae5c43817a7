"""OpenAPI operation of the casework statistics (:mod:`miasto.web.casework_pages`)."""

from __future__ import annotations

from miasto.core.openapi import (
    DATE,
    JSON,
    NUMBER,
    STRING,
    Answer,
    Operation,
    Param,
    array,
    enum,
    integer,
    nullable,
    obj,
    register,
)

ROW = obj(
    ("dimension", "key", "label", "count", "answered", "median_days", "p90_days"),
    dimension=enum("total", "category", "district", "status"),
    key=STRING,
    label=STRING,
    count=integer(),
    answered=integer(),
    median_days=nullable(NUMBER),
    p90_days=nullable(NUMBER),
)

MODULE = obj(
    ("module", "label", "total", "category", "district", "status"),
    module=STRING,
    label=STRING,
    total=array(ROW),
    category=array(ROW),
    district=array(ROW),
    status=array(ROW),
)

register(
    Operation(
        "api-casework-statistics",
        "/api/v1/casework/statistics",
        "GET",
        "Statystyki obsługi uwag, pomysłów i zgłoszeń (zbiorcze, bez danych osobowych)",
        "Partycypacja",
        {
            200: Answer(
                "Dla każdego modułu: liczba spraw wpływających w okresie i z odpowiedzią, "
                "mediana i 90. percentyl czasu do pierwszej odpowiedzi (w dniach) — razem, "
                "według kategorii, dzielnicy i statusu.",
                {
                    JSON: obj(
                        ("since", "until", "modules"),
                        since=DATE,
                        until=DATE,
                        modules=array(MODULE),
                    )
                },
            )
        },
        params=(
            Param("since", "Pierwszy dzień okresu (RRRR-MM-DD); domyślnie rok przed until.", DATE),
            Param("until", "Ostatni dzień okresu (RRRR-MM-DD); domyślnie dziś.", DATE),
            Param(
                "module",
                "Jeden moduł: consultations, proposals albo problems; domyślnie wszystkie.",
                STRING,
            ),
        ),
    ),
)
