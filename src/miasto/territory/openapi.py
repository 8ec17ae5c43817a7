"""OpenAPI operations of the spine's API (:mod:`miasto.territory.api`)."""

from __future__ import annotations

from miasto.core.openapi import (
    ANY_OBJECT,
    BBOX,
    BOOLEAN,
    CRS_PARAM,
    FEATURE_COLLECTION,
    NUMBER,
    PARCEL_ID,
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

TAG = "Miasto i działki"

CITY = obj(
    ("name", "teryt", "bbox", "center", "counts"),
    name=STRING,
    teryt={"type": "string", "pattern": "^[0-9]{7}$"},
    voivodeship=STRING,
    fictional=BOOLEAN,
    bbox=BBOX,
    center={"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2},
    area_km2=NUMBER,
    counts={"type": "object", "additionalProperties": {"type": "integer"}},
    population=integer(),
    dwellings=integer(),
)
SEARCH = obj(
    ("query", "results"),
    query=STRING,
    results=array(obj(("type",), type=enum("parcel", "street", "address"), label=STRING)),
)
LAYER = obj(
    ("name", "title", "tiles"),
    name=STRING,
    title=STRING,
    geometry=STRING,
    minzoom=integer(),
    maxzoom=integer(),
    cluster_below=integer(),
    tiles=STRING,
)
LAYER_FEATURES = obj(
    ("layer", "count", "limit", "offset", "features"),
    layer=STRING,
    count=integer(),
    count_is_capped=BOOLEAN,
    limit=integer(),
    offset=integer(),
    features=nullable(array(ANY_OBJECT)),
)
COORD = {"type": "number"}

register(
    Operation(
        "api-city",
        "/api/v1/city",
        "GET",
        "Miasto: nazwa, TERYT, zasięg, liczby obiektów",
        TAG,
        {200: json_answer("Podsumowanie miasta.", CITY)},
        errors=(404, 503),
    ),
    Operation(
        "api-parcels-at-point",
        "/api/v1/parcels",
        "GET",
        "Działki w punkcie",
        TAG,
        {200: json_answer("Działki zawierające punkt (GeoJSON, CRS84).", FEATURE_COLLECTION)},
        params=(
            Param(
                "lon", "Długość geograficzna (CRS84).", {**COORD, "minimum": -180, "maximum": 180}
            ),
            Param(
                "lat", "Szerokość geograficzna (CRS84).", {**COORD, "minimum": -90, "maximum": 90}
            ),
            Param("x", "Współrzędna wschodnia w układzie `crs` (zamiast lon/lat).", COORD),
            Param("y", "Współrzędna północna w układzie `crs`.", COORD),
            CRS_PARAM,
        ),
        description="Punkt jako lon i lat (CRS84) albo x, y i crs (domyślnie EPSG:2180). "
        "404, gdy punkt leży poza miastem albo poza działkami.",
        errors=(400, 404, 503),
    ),
    Operation(
        "api-parcel",
        "/api/v1/parcels/{identifier}",
        "GET",
        "Karta działki",
        TAG,
        {200: json_answer("Dane działki z panelu mapy.", ANY_OBJECT)},
        params=(PARCEL_ID,),
        errors=(400, 404, 503),
    ),
    Operation(
        "api-search",
        "/api/v1/search",
        "GET",
        "Wyszukiwanie adresów, ulic i działek",
        TAG,
        {200: json_answer("Trafienia w kolejności trafności.", SEARCH)},
        params=(
            Param(
                "q", "Tekst (adres, ulica, numer działki).", {"type": "string", "maxLength": 200}
            ),
            Param("limit", "Najwięcej trafień.", integer(1, 50, 10)),
        ),
    ),
    Operation(
        "api-layers",
        "/api/v1/layers",
        "GET",
        "Warstwy mapy (kafle wektorowe)",
        TAG,
        {200: json_answer("Warstwy widoczne dla użytkownika.", array(LAYER))},
        params=(Param("datasets", "0: bez warstw zbiorów danych.", enum("0", "1", default="1")),),
    ),
    Operation(
        "api-layer-features",
        "/api/v1/layers/{name}/features",
        "GET",
        "Obiekty warstwy w prostokącie (przestarzałe: OGC API Features)",
        TAG,
        {200: json_answer("Wiersze obiektów (bez geometrii) w bbox.", LAYER_FEATURES)},
        params=(
            Param("name", "Nazwa warstwy (z /api/v1/layers).", {"type": "string"}, where="path"),
            Param(
                "bbox",
                "minlon,minlat,maxlon,maxlat (CRS84).",
                {"type": "string", "pattern": r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$"},
                required=True,
            ),
            Param("limit", "Rozmiar strony.", integer(1, 500, 50)),
            Param("offset", "Przesunięcie.", integer(0, 1_000_000, 0)),
        ),
        description="Zastąpione przez OGC API Features (`/ogcapi/collections/{id}/items`); "
        "odpowiedzi niosą nagłówki `Deprecation` i `Link` do następcy.",
        errors=(400, 404, 503),
        deprecated=True,
    ),
)
