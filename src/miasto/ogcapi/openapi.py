"""The OpenAPI 3.0 definition of ``/ogcapi/`` (``/ogcapi/api``), made from the collections
registered now (their ids are the ``collectionId`` values it lists)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from miasto.core import crs as crs_mod
from miasto.core import features
from miasto.core.collections import collections_all
from miasto.ogcapi import documents as d

LINK = {
    "type": "object",
    "required": ["href"],
    "properties": {
        "href": {"type": "string"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "title": {"type": "string"},
        "templated": {"type": "boolean"},
    },
}
LINKS = {"type": "array", "items": {"$ref": "#/components/schemas/link"}}
EXCEPTION = {
    "type": "object",
    "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}
FEATURE = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": {"type": "object", "nullable": True},
        "properties": {"type": "object", "nullable": True},
        "links": LINKS,
    },
}
FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"$ref": "#/components/schemas/feature"}},
        "links": LINKS,
        "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
    },
}
DOCUMENT = {"type": "object"}


def _param(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
        **extra,
    }


def parameters(collection_ids: list[str]) -> dict[str, Any]:
    crs_enum = {"type": "string", "enum": [c.uri for c in crs_mod.SUPPORTED]}
    return {
        "collectionId": {
            "name": "collectionId",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": collection_ids or ["parcels"]},
        },
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        },
        "f": _param("f", {"type": "string", "enum": ["json", "html"]}, "Format of the answer."),
        "limit": _param(
            "limit",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": features.max_limit(),
                "default": features.DEFAULT_LIMIT,
            },
            "Features per page (above the maximum: capped, with a next link).",
        ),
        "offset": _param(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": features.MAX_OFFSET, "default": 0},
            "Features skipped (paging; follow the next link).",
        ),
        "bbox": _param(
            "bbox",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            "Bounding box in bbox-crs's axis order.",
            style="form",
            explode=False,
        ),
        "bbox-crs": _param("bbox-crs", crs_enum, "CRS of bbox (CRS84 by default)."),
        "crs": _param("crs", crs_enum, "CRS of the geometries in the answer (CRS84 by default)."),
        "datetime": _param(
            "datetime", {"type": "string"}, "Date, date-time or interval (start/end, .. open)."
        ),
        "filter": _param(
            "filter", {"type": "string"}, "CQL2 filter (text or JSON, see filter-lang)."
        ),
        "filter-lang": _param(
            "filter-lang",
            {"type": "string", "enum": ["cql2-text", "cql2-json"]},
            "Language of filter.",
        ),
        "filter-crs": _param("filter-crs", crs_enum, "CRS of the geometries in filter."),
        "sortby": _param("sortby", {"type": "string"}, "Properties to sort by: +name,-area."),
        "properties": _param(
            "properties", {"type": "string"}, "Properties to include, comma-separated."
        ),
        "version": _param(
            "version", {"type": "integer", "minimum": 1}, "An older published version of a dataset."
        ),
        **{
            name: {
                "name": name,
                "in": "path",
                "required": True,
                "description": text,
                "schema": {"type": "integer", "minimum": 0},
            }  # fmt: skip
            for name, text in (
                ("tileMatrix", "Zoom level (WebMercatorQuad)."),
                ("tileRow", "Row (y) of the tile."),
                ("tileCol", "Column (x) of the tile."),
            )
        },
    }


def _responses(
    schema: str | None, content_type: str = d.JSON, *, errors: tuple[int, ...] = (400,)
) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "OK"}
    if schema:
        ok["content"] = {
            content_type: {"schema": {"$ref": f"#/components/schemas/{schema}"}},
            d.HTML: {"schema": {"type": "string"}},
        }
    result = {"200": ok}
    for status in errors:
        result[str(status)] = {
            "description": "Error",
            "content": {d.JSON: {"schema": {"$ref": "#/components/schemas/exception"}}},
        }
    return result


def _op(op_id: str, summary: str, params: list[str], responses: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in params],
            "responses": responses,
        }
    }


ITEMS_PARAMS = [
    *("collectionId", "f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime"),
    *("filter", "filter-lang", "filter-crs", "sortby", "properties", "version"),
]


def paths() -> dict[str, Any]:
    tile_errors = (400, 404)
    return {
        "/": _op("getLandingPage", "Landing page", ["f"], _responses("document")),
        "/conformance": _op("getConformance", "Conformance classes", ["f"], _responses("document")),
        "/collections": _op("getCollections", "Collections", ["f"], _responses("document")),
        "/collections/{collectionId}": _op(
            "describeCollection",
            "A collection",
            ["collectionId", "f", "version"],
            _responses("document", errors=(400, 404)),
        ),
        "/collections/{collectionId}/items": _op(
            "getFeatures",
            "Features of a collection",
            ITEMS_PARAMS,
            _responses("featureCollection", d.GEOJSON, errors=(400, 404)),
        ),
        "/collections/{collectionId}/items/{featureId}": _op(
            "getFeature",
            "One feature",
            ["collectionId", "featureId", "f", "crs", "version"],
            _responses("feature", d.GEOJSON, errors=(400, 404)),
        ),
        "/collections/{collectionId}/queryables": _op(
            "getQueryables",
            "Queryables of a collection",
            ["collectionId", "f", "version"],
            _responses("document", d.SCHEMA, errors=(400, 404)),
        ),
        "/tileMatrixSets": _op(
            "getTileMatrixSetsList", "Tile matrix sets", ["f"], _responses("document")
        ),
        "/tileMatrixSets/WebMercatorQuad": _op(
            "getTileMatrixSet", "WebMercatorQuad", ["f"], _responses("document")
        ),
        "/collections/{collectionId}/tiles": _op(
            "getCollectionTileSetsList",
            "Vector tilesets of a collection",
            ["collectionId", "f"],
            _responses("document", errors=tile_errors),
        ),
        "/collections/{collectionId}/tiles/WebMercatorQuad": _op(
            "getCollectionTileSet",
            "Tileset metadata",
            ["collectionId", "f"],
            _responses("document", errors=tile_errors),
        ),
        "/collections/{collectionId}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}": _op(
            "getCollectionVectorTile",
            "A vector tile (Mapbox Vector Tile; empty below the layer's minimum zoom)",
            ["collectionId", "tileMatrix", "tileRow", "tileCol"],
            {
                **_responses(None, errors=tile_errors),
                "200": {
                    "description": "OK",
                    "content": {d.MVT: {"schema": {"type": "string", "format": "binary"}}},
                },
            },
        ),
    }


def document(request: HttpRequest) -> dict[str, Any]:
    ids = [c.id for c in collections_all()]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Miasto OGC API",
            "version": "1.0.0",
            "description": "OGC API Features (Parts 1–3) and Tiles of the city's open data.",
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": request.build_absolute_uri("/ogcapi")}],
        "paths": paths(),
        "components": {
            "parameters": parameters(ids),
            "schemas": {
                "link": LINK,
                "exception": EXCEPTION,
                "feature": FEATURE,
                "featureCollection": FEATURE_COLLECTION,
                "document": DOCUMENT,
            },
        },
    }


@d.ogc_view
def api(request: HttpRequest) -> HttpResponse:
    return d.answer(request, document(request), "document.html", d.OPENAPI)
