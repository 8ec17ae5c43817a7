"""OGC API Features (Parts 1–3) and Tiles at ``/ogcapi/`` (namespace ``ogcapi``)."""

from django.urls import path

from miasto.ogcapi import openapi, tiles, views

app_name = "ogcapi"

urlpatterns = [
    path("ogcapi/", views.landing, name="landing"),
    path("ogcapi/conformance", views.conformance, name="conformance"),
    path("ogcapi/api", openapi.api, name="api"),
    path("ogcapi/collections", views.collections, name="collections"),
    path("ogcapi/collections/<str:collection_id>", views.collection, name="collection"),
    path("ogcapi/collections/<str:collection_id>/items", views.items, name="items"),
    path(
        "ogcapi/collections/<str:collection_id>/items/<path:feature_id>",
        views.item,
        name="item",
    ),
    path("ogcapi/collections/<str:collection_id>/queryables", views.queryables, name="queryables"),
    path("ogcapi/tileMatrixSets", tiles.tile_matrix_sets, name="tilematrixsets"),
    path("ogcapi/tileMatrixSets/WebMercatorQuad", tiles.web_mercator_quad, name="webmercatorquad"),
    path("ogcapi/collections/<str:collection_id>/tiles", tiles.tilesets, name="tilesets"),
    path(
        "ogcapi/collections/<str:collection_id>/tiles/WebMercatorQuad",
        tiles.tileset,
        name="tileset",
    ),
    path(
        "ogcapi/collections/<str:collection_id>/tiles/WebMercatorQuad/<int:z>/<int:y>/<int:x>",
        tiles.tile,
        name="tile",
    ),
]
