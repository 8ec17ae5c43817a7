"""OGC API Tiles over the city's vector tiles (:mod:`miasto.core.layers`): the tilesets of a
collection, their metadata, the WebMercatorQuad tile matrix set and the tiles themselves at
``/ogcapi/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}``.

The tiles are those of the public vector-tile layers — open data, the same for everyone, like
the collections: a layer not everyone may see (an internal or restricted dataset's) is 404
here for everyone, and stays at ``/tiles/{layer}/{z}/{x}/{y}.mvt`` under its own rules. The map
asks for public layers' tiles here (``TileLayer.describe``); the old URL answers the same
bytes. A collection links to its tileset when its layer is public.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from miasto.core.errors import NotFound
from miasto.core.geo import validate_tile
from miasto.core.layers import WORLD, TileLayer, layer_get
from miasto.ogcapi import documents as d

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"
#: scale denominator at zoom 0 (256-pixel tiles, 0.28 mm pixels)
SCALE_0 = 559082264.028717
MAX_TMS_ZOOM = 24


def _layer(request: HttpRequest, collection_id: str) -> TileLayer:
    """A public vector-tile layer (open data: the same for everyone, as the collections)."""
    layer = layer_get(collection_id[:200])
    if layer is None or not layer.is_public:
        raise NotFound(f"Kolekcja „{collection_id[:80]}” nie ma kafli wektorowych.")
    return layer


def tile_matrix_set() -> dict[str, Any]:
    half = WORLD / 2
    return {
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": MERCATOR,
        "orderedAxes": ["E", "N"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [
            {
                "id": str(z),
                "scaleDenominator": SCALE_0 / (1 << z),
                "cellSize": WORLD / 256 / (1 << z),
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-half, half],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": 1 << z,
                "matrixHeight": 1 << z,
            }
            for z in range(MAX_TMS_ZOOM + 1)
        ],
    }


@d.ogc_view
def tile_matrix_sets(request: HttpRequest) -> HttpResponse:
    document = {
        "tileMatrixSets": [
            {
                "id": TMS_ID,
                "title": "Google Maps Compatible for the World",
                "uri": TMS_URI,
                "links": [d.link(d.url(request, "webmercatorquad"), "self", d.JSON, TMS_ID)],
            }
        ]
    }
    return d.answer(request, document, "document.html")


@d.ogc_view
def web_mercator_quad(request: HttpRequest) -> HttpResponse:
    return d.answer(request, tile_matrix_set(), "document.html")


def tileset_document(request: HttpRequest, layer: TileLayer, collection_id: str) -> dict[str, Any]:
    template = d.url(request, "tileset", collection_id) + "/{tileMatrix}/{tileRow}/{tileCol}"
    return {
        "title": str(layer.title),
        "dataType": "vector",
        "crs": MERCATOR,
        "tileMatrixSetURI": TMS_URI,
        "links": [
            d.link(d.url(request, "tileset", collection_id), "self", d.JSON, _("Tileset")),
            d.link(d.url(request, "webmercatorquad"), d.REL_TILING_SCHEME, d.JSON, TMS_ID),
            d.link(template, "item", d.MVT, _("Vector tiles"), templated=True),
        ],
        "layers": [
            {
                "id": layer.name,
                "dataType": "vector",
                "geometryDimension": {"point": 0, "line": 1}.get(layer.geometry, 2),
                "minTileMatrix": str(layer.minzoom),
                "maxTileMatrix": str(layer.max_zoom),
            }
        ],
        "tileMatrixSetLimits": [
            {
                "tileMatrix": str(z),
                "minTileRow": 0,
                "maxTileRow": (1 << z) - 1,
                "minTileCol": 0,
                "maxTileCol": (1 << z) - 1,
            }
            for z in range(layer.minzoom, layer.max_zoom + 1)
        ],  # fmt: skip
    }


@d.ogc_view
def tilesets(request: HttpRequest, collection_id: str) -> HttpResponse:
    layer = _layer(request, collection_id)
    tileset = tileset_document(request, layer, collection_id)
    document = {
        "links": [d.link(d.url(request, "tilesets", collection_id), "self", d.JSON)],
        "tilesets": [
            {k: tileset[k] for k in ("title", "dataType", "crs", "tileMatrixSetURI", "links")}
        ],
    }
    return d.answer(request, document, "document.html")


@d.ogc_view
def tileset(request: HttpRequest, collection_id: str) -> HttpResponse:
    layer = _layer(request, collection_id)
    return d.answer(request, tileset_document(request, layer, collection_id), "document.html")


@d.ogc_view
def tile(request: HttpRequest, collection_id: str, z: int, y: int, x: int) -> HttpResponse:
    layer = _layer(request, collection_id)
    validate_tile(z, x, y)
    response = HttpResponse(layer.tile(z, x, y), content_type=d.MVT)
    response["Cache-Control"] = layer.cache_control()
    return response
