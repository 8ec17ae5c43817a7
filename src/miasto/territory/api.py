"""The spine's JSON API (``/api/v1/…``) and vector tiles (``/tiles/…``).

Thin: parse the request, call a selector, answer.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from miasto.core.collections import collection_get
from miasto.core.errors import InvalidParameter, NotFound
from miasto.core.geo import parse_float, parse_point, projectable, validate_tile
from miasto.core.http import int_param, json_response
from miasto.core.layers import TileLayer, layer_get, layer_registry, layers_for
from miasto.territory import identifiers, search, selectors


@require_GET
def city(request: HttpRequest) -> JsonResponse:
    summary = selectors.city_summary()
    if summary is None:
        raise NotFound("Nie ma jeszcze miasta w bazie. Uruchom „make demo” albo zaimportuj dane.")
    return json_response(summary)


@require_GET
def parcels_at_point(request: HttpRequest) -> JsonResponse:
    x, y, srid = parse_point(request.GET)
    with projectable():
        features = selectors.parcel_ids_at_point(x, y, srid)
        outside = not features and not selectors.point_in_city(x, y, srid)
    if not features:
        if outside:
            message = "Punkt leży poza granicami miasta."
            if _in_city_swapped(x, y, srid):  # northing-first, as Polish surveyors write
                message += " Czy nie zamieniono osi? Tu x to współrzędna wschodnia, y północna."
            raise NotFound(message, point=[x, y], crs=f"EPSG:{srid}")
        raise NotFound("W tym miejscu nie ma działki (np. pas drogowy bez działki).")
    return json_response({"type": "FeatureCollection", "features": features})


def _in_city_swapped(x: float, y: float, srid: int) -> bool:
    """Would the point lie in the city with its axes swapped (northing first)?"""
    try:
        with projectable():
            return selectors.point_in_city(y, x, srid)
    except InvalidParameter:
        return False


@require_GET
def parcel_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    identifier = identifiers.parse_parcel_identifier(identifier)
    panel = selectors.parcel_panel_json(identifier)
    if panel is None:
        raise NotFound(f"Nie znaleziono działki {identifier}.")
    return HttpResponse(panel, content_type="application/json")


@require_GET
def search_view(request: HttpRequest) -> JsonResponse:
    limit = int_param(request, "limit", 10, 1, 50)
    return json_response(search.search(request.GET.get("q", ""), limit=limit))


@require_GET
def layers(request: HttpRequest) -> JsonResponse:
    dynamic = request.GET.get("datasets", "1") != "0"
    return json_response([layer.describe() for layer in layers_for(request.user, dynamic=dynamic)])


def _layer(request: HttpRequest, name: str) -> TileLayer:
    layer = layer_get(name)
    if layer is None or not layer.visible_to(request.user):
        known = ", ".join(layer_registry.keys())
        raise NotFound(f"Nieznana warstwa „{name[:40]}”. Dostępne: {known}.")
    return layer


#: when ``/api/v1/layers/{layer}/features`` was deprecated (RFC 9745 ``Deprecation``):
#: its successor is the OGC API's ``/ogcapi/collections/{id}/items``
FEATURES_DEPRECATED = "@1796601600"  # 2026-12-07


def _successor(request: HttpRequest, name: str) -> str:
    """The OGC API items of the layer's collection, or the list of collections."""
    if collection_get(name) is not None:
        return request.build_absolute_uri(reverse("ogcapi:items", args=[name]))
    return request.build_absolute_uri(reverse("ogcapi:collections"))


@require_GET
def layer_features(request: HttpRequest, name: str) -> JsonResponse:
    response = _layer_features(request, name)
    response["Deprecation"] = FEATURES_DEPRECATED
    response["Link"] = f'<{_successor(request, name)}>; rel="successor-version"'
    return response


def _layer_features(request: HttpRequest, name: str) -> JsonResponse:
    layer = _layer(request, name)
    raw = request.GET.get("bbox", "")
    parts = raw.split(",")
    if len(parts) != 4:
        raise InvalidParameter("Parametr bbox: minlon,minlat,maxlon,maxlat (CRS84).")
    west, south, east, north = (parse_float("bbox", p) for p in parts)
    bbox = (west, south, east, north)
    if not (bbox[0] < bbox[2] and bbox[1] < bbox[3]) or not (
        -180 <= bbox[0] <= 180 and -180 <= bbox[2] <= 180 and -90 <= bbox[1] <= 90
        and -90 <= bbox[3] <= 90
    ):  # fmt: skip
        raise InvalidParameter(
            "Nieprawidłowy bbox: min musi być mniejsze od max, w zakresie CRS84."
        )
    limit = int_param(request, "limit", 50, 1, 500)
    offset = int_param(request, "offset", 0, 0, 1_000_000)
    return json_response(layer.list_features(bbox, limit, offset))


@require_GET
def tile(request: HttpRequest, name: str, z: int, x: int, y: int) -> HttpResponse:
    layer = _layer(request, name)
    validate_tile(z, x, y)
    data = layer.tile(z, x, y)
    response = HttpResponse(data, content_type="application/vnd.mapbox-vector-tile")
    response["Cache-Control"] = layer.cache_control()  # private unless everyone may see it
    return response
