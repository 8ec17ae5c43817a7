"""OGC API Features (Parts 1–3) and Tiles at ``/ogcapi/`` (namespace ``ogcapi``; included under
``ogcapi/`` first of all, so that a request for features is routed without trying the
site's other patterns)."""

from django.urls import path

from miasto.ogcapi import openapi, tiles, views

app_name = "ogcapi"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("conformance", views.conformance, name="conformance"),
    path("api", openapi.api, name="api"),
    path("collections", views.collections, name="collections"),
    path("collections/<str:collection_id>", views.collection, name="collection"),
    path("collections/<str:collection_id>/items", views.items, name="items"),
    path(
        "collections/<str:collection_id>/items/<path:feature_id>",
        views.item,
        name="item",
    ),
    path("collections/<str:collection_id>/queryables", views.queryables, name="queryables"),
    path("tileMatrixSets", tiles.tile_matrix_sets, name="tilematrixsets"),
    path("tileMatrixSets/WebMercatorQuad", tiles.web_mercator_quad, name="webmercatorquad"),
    path("collections/<str:collection_id>/tiles", tiles.tilesets, name="tilesets"),
    path(
        "collections/<str:collection_id>/tiles/WebMercatorQuad",
        tiles.tileset,
        name="tileset",
    ),
    path(
        "collections/<str:collection_id>/tiles/WebMercatorQuad/<int:z>/<int:y>/<int:x>",
        tiles.tile,
        name="tile",
    ),
]
