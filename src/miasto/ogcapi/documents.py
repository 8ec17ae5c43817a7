"""What the OGC API's views share: errors as OGC exceptions, the choice of format, links,
and the documents describing collections."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _

from miasto.core import crs as crs_mod
from miasto.core import features
from miasto.core.collections import Collection, collection_get, collection_versions
from miasto.core.errors import ApiError, InvalidParameter, NotFound, ogc_exception
from miasto.core.layers import layer_get

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
MVT = "application/vnd.mapbox-vector-tile"
REL_QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
REL_TILESETS = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
REL_CONFORMANCE = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
REL_DATA = "http://www.opengis.net/def/rel/ogc/1.0/data"
REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"


def ogc_error(status: int, description: str) -> JsonResponse:
    """An OGC API exception: ``{"code", "description"}``."""
    return ogc_exception(status, description)


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET (and HEAD) only; an :class:`ApiError` answered as an OGC exception; readable from
    any origin (CORS), since it is open data read without credentials."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = ogc_error(405, _("Only GET requests are accepted here."))
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as exc:
                response = ogc_error(exc.status, str(exc.message))
        # open data, read without credentials: web pages of any site may read it
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "Content-Crs, Link"
        return response

    return wrapped


def wants_html(request: HttpRequest) -> bool:
    """``f=html`` or ``f=json`` (also ``geojson``); without ``f``, HTML for a browser."""
    f = request.GET.get("f", "").strip().lower()
    if f == "html":
        return True
    if f in ("json", "geojson"):
        return False
    if f:
        raise InvalidParameter(f"Parametr f: „{f[:20]}” — dozwolone html, json.")
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept


def url(request: HttpRequest, name: str, *args: Any, **query: Any) -> str:
    """The absolute URL of the view ``name`` with ``args`` (and a query): as ``reverse`` and
    ``build_absolute_uri`` give it, at a fraction of their cost — a page of features has a
    few of these links, and a small request's time is mostly such overhead."""
    path = _path_pattern(get_script_prefix(), name, len(args))
    for i, arg in enumerate(args):
        path = path.replace(_token(i), quote(str(arg), safe=_SAFE), 1)
    if query:
        path += "?" + urlencode(query)
    base: str | None = getattr(request, "_ogcapi_base", None)
    if base is None:
        base = request._ogcapi_base = request.build_absolute_uri("/").rstrip("/")  # type: ignore[attr-defined]
    return base + path


#: what ``reverse`` leaves unquoted in a path argument
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def _token(i: int) -> str:
    return f"ARGUMENT{i}PLACE"


@functools.lru_cache(maxsize=64)
def _path_pattern(script_prefix: str, name: str, nargs: int) -> str:
    """The path of ``name`` with a placeholder token for each argument (reversed once)."""
    return reverse(f"ogcapi:{name}", args=[_token(i) for i in range(nargs)])


def link(href: str, rel: str, type_: str, title: str = "", **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"href": href, "rel": rel, "type": type_}
    if title:
        result["title"] = title
    result.update(extra)
    return result


def self_links(
    request: HttpRequest, name: str, *args: Any, json_type: str = JSON
) -> list[dict[str, Any]]:
    """``self`` (JSON) and ``alternate`` (HTML) — or the other way round for an HTML answer."""
    html = wants_html(request)
    as_json = link(
        url(request, name, *args, f="json"), "alternate" if html else "self", json_type, "JSON"
    )
    as_html = link(
        url(request, name, *args, f="html"), "self" if html else "alternate", HTML, "HTML"
    )
    return [as_json, as_html]


def answer(
    request: HttpRequest, document: dict[str, Any], template: str, content_type: str = JSON
) -> HttpResponse:
    if wants_html(request):
        return render(
            request,
            f"ogcapi/{template}",
            {"doc": document, "raw": json.dumps(document, ensure_ascii=False, indent=1)},
        )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False).encode(), content_type=content_type
    )


def version_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("version", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidParameter("Parametr version: numer wersji zbioru (liczba całkowita).")
    return int(raw)


def get_collection(request: HttpRequest, collection_id: str) -> Collection:
    version = version_param(request)
    collection = collection_get(collection_id[:200], version)
    if collection is None:
        if version is not None:
            raise NotFound(
                f"Kolekcja „{collection_id[:80]}” nie ma opublikowanej wersji {version}."
            )
        raise NotFound(f"Nie ma kolekcji „{collection_id[:80]}”. Lista: /ogcapi/collections.")
    return collection


def public_tile_layer(collection: Collection) -> Any:
    """The collection's vector-tile layer if everyone may see it, else None."""
    if not collection.tile_layer:
        return None
    layer = layer_get(collection.tile_layer)
    return layer if layer is not None and layer.is_public else None


def collection_document(
    request: HttpRequest, collection: Collection, *, full: bool
) -> dict[str, Any]:
    cid = collection.id
    version = (
        {"version": collection.extra["version"]}
        if "version" in collection.extra and not collection.extra.get("current", True)
        else {}
    )
    links = [
        link(
            url(request, "collection", cid, f="json", **version), "self", JSON, _("This collection")
        ),
        link(
            url(request, "collection", cid, f="html", **version),
            "alternate",
            HTML,
            _("This collection as HTML"),
        ),
        link(url(request, "items", cid, f="json", **version), "items", GEOJSON, _("Features")),
        link(url(request, "items", cid, f="html", **version), "items", HTML, _("Features as HTML")),
        link(url(request, "queryables", cid, **version), REL_QUERYABLES, SCHEMA, _("Queryables")),
    ]
    if public_tile_layer(collection) is not None:
        links.append(link(url(request, "tilesets", cid), REL_TILESETS, JSON, _("Vector tiles")))
    document: dict[str, Any] = {
        "id": cid,
        "title": str(collection.title),
        "description": str(collection.description),
        "keywords": list(collection.keywords),
        "itemType": "feature",
        "crs": [c.uri for c in crs_mod.SUPPORTED],
        "storageCrs": crs_mod.STORAGE.uri,
        "links": links,
    }
    if "version" in collection.extra:
        document["version"] = collection.extra["version"]
    if full or collection.tracked or collection.frozen:
        # (in the list too where it is kept between writes: GDAL reads a layer's extent from
        # the list, and without one reads every feature to find it)
        document["extent"] = features.extent(collection)
    if full:
        older = [n for n in collection_versions(cid) if n != collection.extra.get("version")]
        for number in older:
            links.append(
                link(
                    url(request, "collection", cid, version=number),
                    "version-history",
                    JSON,
                    _("Version %(n)s") % {"n": number},
                )
            )
    return document


def feature_links(request: HttpRequest, collection: Collection, feature_id: Any) -> str:
    """The links of one feature, as JSON text to splice into the feature's text."""
    links = [
        link(url(request, "item", collection.id, str(feature_id), f="json"), "self", GEOJSON),
        link(url(request, "item", collection.id, str(feature_id), f="html"), "alternate", HTML),
        link(url(request, "collection", collection.id), "collection", JSON),
    ]
    return json.dumps(links, ensure_ascii=False)
