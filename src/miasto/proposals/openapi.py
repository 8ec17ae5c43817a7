"""OpenAPI operation of proposals' API (:mod:`miasto.proposals.api`)."""

from __future__ import annotations

from miasto.core.openapi import (
    DATETIME,
    GEOJSON,
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
from miasto.proposals.models import Category
from miasto.proposals.statuses import Status

FEATURE = obj(
    ("type", "id", "geometry", "properties"),
    type=enum("Feature"),
    id=integer(),
    geometry={"type": "object", "description": "Point, LineString albo Polygon (CRS84)"},
    properties=obj(
        ("title", "category", "status", "supports", "url"),
        title=STRING,
        category=enum(*Category.values),
        category_label=STRING,
        status=enum(*Status.values),
        status_label=STRING,
        supports=integer(),
        district=nullable(STRING),
        act=nullable(STRING),
        budget_line=nullable(STRING),
        created_at=DATETIME,
        status_changed_at=nullable(DATETIME),
        url=STRING,
    ),
)

register(
    Operation(
        "api-proposals",
        "/api/v1/proposals",
        "GET",
        "Pomysły mieszkańców (GeoJSON, bez danych osobowych)",
        "Partycypacja",
        {
            200: Answer(
                "Strona pomysłów jako FeatureCollection (CRS84), od najnowszych.",
                {
                    GEOJSON: obj(
                        ("type", "features", "numberMatched", "numberReturned"),
                        type=enum("FeatureCollection"),
                        numberMatched=integer(),
                        numberReturned=integer(),
                        features=array(FEATURE),
                        links=array(obj(("rel", "href"), rel=STRING, type=STRING, href=STRING)),
                    )
                },
            )
        },
        params=(
            Param("category", "Kategoria pomysłu.", enum(*Category.values)),
            Param("status", "Status pomysłu.", enum(*Status.values)),
            Param(
                "district", "Kod dzielnicy (z /api/v1/city).", {"type": "string", "maxLength": 20}
            ),
            Param("q", "Szukany tekst w tytule lub opisie.", {"type": "string", "maxLength": 100}),
            Param("bbox", "Prostokąt minlon,minlat,maxlon,maxlat (CRS84).", STRING),
            Param("limit", "Liczba pomysłów na stronie (1–500, domyślnie 100).", integer()),
            Param("offset", "Od którego pomysłu (domyślnie 0).", integer()),
        ),
    ),
)
