"""OGC API Features: landing page, conformance, collections, items, queryables.

Thin: read the request, ask :mod:`miasto.core.features` (the SQL) and
:mod:`miasto.core.collections` (what is published), answer GeoJSON, JSON or HTML.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from miasto.core import crs as crs_mod
from miasto.core import features
from miasto.core.collections import Collection, collections_all
from miasto.core.errors import NotFound
from miasto.ogcapi import documents as d

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
]


@d.ogc_view
def landing(request: HttpRequest) -> HttpResponse:
    document = {
        "title": _("Miasto — the city's open data (OGC API)"),
        "description": _(
            "Parcels, buildings, addresses, streets, plans and the city's public datasets "
            "through OGC API Features and Tiles."
        ),
        "links": [
            *d.self_links(request, "landing"),
            d.link(
                d.url(request, "api"), "service-desc", d.OPENAPI, _("API definition (OpenAPI 3.0)")
            ),
            d.link(d.url(request, "conformance"), "conformance", d.JSON, _("Conformance classes")),
            d.link(
                d.url(request, "conformance"), d.REL_CONFORMANCE, d.JSON, _("Conformance classes")
            ),
            d.link(d.url(request, "collections"), "data", d.JSON, _("Collections")),
            d.link(d.url(request, "collections"), d.REL_DATA, d.JSON, _("Collections")),
            d.link(
                d.url(request, "tilematrixsets"),
                d.REL_TILING_SCHEMES,
                d.JSON,
                _("Tile matrix sets"),
            ),
        ],
    }
    return d.answer(request, document, "landing.html")


@d.ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    return d.answer(request, {"conformsTo": CONFORMANCE}, "conformance.html")


@d.ogc_view
def collections(request: HttpRequest) -> HttpResponse:
    document = {
        "links": d.self_links(request, "collections"),
        "crs": [c.uri for c in crs_mod.SUPPORTED],
        "collections": [d.collection_document(request, c, full=False) for c in collections_all()],
    }
    return d.answer(request, document, "collections.html")


@d.ogc_view
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    found = d.get_collection(request, collection_id)
    return d.answer(request, d.collection_document(request, found, full=True), "collection.html")


QUERYABLE_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "date-time": {"type": "string", "format": "date-time"},
}
GEOMETRY_FORMATS = {
    "point": "geometry-point-or-multipoint",
    "line": "geometry-linestring-or-multilinestring",
    "polygon": "geometry-polygon-or-multipolygon",
    "any": "geometry-any",
}


@d.ogc_view
def queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    found = d.get_collection(request, collection_id)
    properties: dict[str, Any] = {
        "geometry": {
            "title": _("geometry"),
            "format": GEOMETRY_FORMATS[found.geometry_type],
            "x-ogc-role": "primary-geometry",
        }
    }
    for prop in found.properties:
        properties[prop.name] = {
            "title": str(prop.title or prop.name),
            **QUERYABLE_TYPES[prop.type],
        }
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": d.url(request, "queryables", found.id),
        "type": "object",
        "title": str(found.title),
        "properties": properties,
        "additionalProperties": False,
    }
    return d.answer(request, document, "queryables.html", d.SCHEMA)


def _page_links(
    request: HttpRequest, found: Collection, query: features.ItemsQuery, page: features.Page
) -> list[dict[str, Any]]:
    params = {k: v for k, v in request.GET.items() if k not in ("offset", "limit", "f")}
    html = d.wants_html(request)

    def at(offset: int, f: str) -> str:
        return d.url(request, "items", found.id, **params, limit=query.limit, offset=offset, f=f)

    links = [
        d.link(at(query.offset, "json"), "alternate" if html else "self", d.GEOJSON, "GeoJSON"),
        d.link(at(query.offset, "html"), "self" if html else "alternate", d.HTML, "HTML"),
        d.link(d.url(request, "collection", found.id), "collection", d.JSON, str(found.title)),
    ]
    f = "html" if html else "json"
    kind = d.HTML if html else d.GEOJSON
    if page.has_next:
        links.append(d.link(at(query.offset + query.limit, f), "next", kind, _("Next page")))
    if query.offset > 0:
        links.append(
            d.link(at(max(0, query.offset - query.limit), f), "prev", kind, _("Previous page"))
        )
    return links


@d.ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    found = d.get_collection(request, collection_id)
    query = features.parse_items_query(found, request.GET)
    html = d.wants_html(request)
    page = features.items_page(found, query)
    tail: dict[str, Any] = {"numberReturned": page.returned}
    if page.matched is not None:
        tail["numberMatched"] = page.matched
    tail["timeStamp"] = timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    tail["links"] = _page_links(request, found, query, page)
    if html:
        return _items_html(request, found, page, tail)
    body = b"".join(
        (
            b'{"type":"FeatureCollection","features":[',
            page.features.encode(),
            b"],",
            json.dumps(tail, ensure_ascii=False)[1:].encode(),
        )
    )
    response = HttpResponse(body, content_type=d.GEOJSON)
    response["Content-Crs"] = query.crs.header
    return response


def _items_html(
    request: HttpRequest, found: Collection, page: features.Page, tail: dict[str, Any]
) -> HttpResponse:
    rows = json.loads(f"[{page.features}]")
    context = {
        "collection": found,
        "columns": [p for p in found.properties],
        "rows": [
            {"id": f["id"], "values": [f["properties"].get(p.name) for p in found.properties]}
            for f in rows
        ],
        "doc": tail,
        "matched": page.matched,
    }
    return render(request, "ogcapi/items.html", context)


@d.ogc_view
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    found = d.get_collection(request, collection_id)
    crs = crs_mod.parse(request.GET.get("crs"), "crs")
    html = d.wants_html(request)
    key = features.parse_feature_id(found, feature_id)
    text = features.item(found, key, crs) if key is not None else None
    if text is None:
        raise NotFound(f"Kolekcja „{found.id}” nie ma obiektu „{feature_id[:80]}”.")
    if html:
        feature = json.loads(text)
        context = {
            "collection": found,
            "feature": feature,
            "values": [(p, feature["properties"].get(p.name)) for p in found.properties],
        }
        return render(request, "ogcapi/item.html", context)
    body = text[:-1] + ',"links":' + d.feature_links(request, found, key) + "}"
    response = HttpResponse(body.encode(), content_type=d.GEOJSON)
    response["Content-Crs"] = crs.header
    return response
