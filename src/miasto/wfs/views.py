"""``/wfs``: WFS 2.0 (KVP over GET) for the feature collections of :mod:`miasto.core.collections`
— the same public collections as the OGC API, for GIS desks that expect WFS.

Operations: GetCapabilities, DescribeFeatureType, GetFeature (TYPENAMES, BBOX, COUNT,
STARTINDEX, RESULTTYPE=hits, SRSNAME, OUTPUTFORMAT GML 3.2 or GeoJSON, RESOURCEID, the stored
query GetFeatureById), ListStoredQueries, DescribeStoredQueries. Parameter names are read
case-insensitively; every error is an OWS exception report with 400 (404 for an unknown
feature).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from miasto.core import crs as crs_mod
from miasto.core import features as ogc
from miasto.core.collections import Collection, collections_all
from miasto.core.errors import ApiError
from miasto.wfs import documents
from miasto.wfs.features import decode_id, gml_page, hits, one
from miasto.wfs.names import collection_by_type, parse_srs, type_name

XML = "application/xml; charset=utf-8"
GML32 = "application/gml+xml; version=3.2"


class WfsError(Exception):
    def __init__(self, code: str, text: str, locator: str = "", status: int = 400) -> None:
        super().__init__(text)
        self.code, self.text, self.locator, self.status = code, text, locator, status


def _params(request: HttpRequest) -> dict[str, str]:
    return {k.upper(): str(v) for k, v in request.GET.items()}


def _namespace(request: HttpRequest) -> str:
    return request.build_absolute_uri("/wfs") + "#miasto"


def _xml(body: bytes, content_type: str = XML) -> HttpResponse:
    return HttpResponse(body, content_type=content_type)


def get_capabilities(request: HttpRequest, p: dict[str, str]) -> HttpResponse:
    versions = p.get("ACCEPTVERSIONS")
    if versions and "2.0.0" not in versions.split(","):
        raise WfsError("VersionNegotiationFailed", _("Only WFS 2.0.0 is served."), "AcceptVersions")
    title = _("Miasto — the city's open data (WFS)")
    url = request.build_absolute_uri("/wfs")
    return _xml(documents.capabilities(url, _namespace(request), collections_all(), title))


def _types(p: dict[str, str], required: bool) -> list[Collection]:
    raw = p.get("TYPENAMES") or p.get("TYPENAME") or ""
    if not raw.strip():
        if required:
            raise WfsError("MissingParameterValue", _("Give TYPENAMES."), "TYPENAMES")
        return collections_all()
    found = []
    for name in raw.split(","):
        collection = collection_by_type(name.strip())
        if collection is None:
            raise WfsError(
                "InvalidParameterValue",
                _("Unknown feature type “%(name)s”.") % {"name": name.strip()[:80]},
                "TYPENAMES",
            )
        found.append(collection)
    return found


def describe_feature_type(request: HttpRequest, p: dict[str, str]) -> HttpResponse:
    return _xml(documents.schema(_namespace(request), _types(p, required=False)),
                "application/gml+xml; version=3.2; subtype=schema")  # fmt: skip


def _bbox(p: dict[str, str]) -> tuple[tuple[float, float, float, float] | None, crs_mod.Crs]:
    raw = p.get("BBOX")
    if not raw:
        return None, crs_mod.STORAGE
    parts = raw.split(",")
    bbox_crs = parse_srs(parts[4] if len(parts) == 5 else None)
    if len(parts) not in (4, 5):
        raise WfsError("InvalidParameterValue", _("BBOX: four numbers and an optional CRS."),
                       "BBOX")  # fmt: skip
    return ogc.parse_bbox(",".join(parts[:4]), bbox_crs), bbox_crs


def _count(p: dict[str, str], name: str, default: int, most: int) -> int:
    raw = p.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 12:
        raise WfsError("InvalidParameterValue", _("%(name)s: a whole number.") % {"name": name},
                       name)  # fmt: skip
    return min(int(raw), most)


def _query(p: dict[str, str], crs: crs_mod.Crs) -> ogc.ItemsQuery:
    bbox, bbox_crs = _bbox(p)
    return ogc.ItemsQuery(
        limit=max(_count(p, "COUNT", documents.COUNT_DEFAULT, ogc.max_limit()), 1),
        offset=_count(p, "STARTINDEX", 0, ogc.MAX_OFFSET),
        crs=crs,
        bbox=bbox,
        bbox_crs=bbox_crs,
    )


def _collection_xml(
    request: HttpRequest, namespace: str, attrs: dict[str, str], body: str
) -> bytes:
    location = (
        f"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd "
        f"http://www.opengis.net/gml/3.2 http://schemas.opengis.net/gml/3.2.1/gml.xsd "
        f"{namespace} {request.build_absolute_uri('/wfs')}?"
        "SERVICE=WFS&amp;VERSION=2.0.0&amp;REQUEST=DescribeFeatureType"
    )
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<wfs:FeatureCollection xmlns:wfs="{documents.WFS}" xmlns:gml="{documents.GML}" '
        f'xmlns:miasto="{namespace}" xmlns:xsi="{documents.XSI}" '
        f'xsi:schemaLocation="{location}" '
        f'timeStamp="{timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")}"{extra}>'
    )
    return (head + body + "</wfs:FeatureCollection>").encode()


def _next_url(request: HttpRequest, p: dict[str, str], query: ogc.ItemsQuery) -> str:
    params = {**p, "STARTINDEX": str(query.offset + query.limit), "COUNT": str(query.limit)}
    return request.build_absolute_uri("/wfs") + "?" + urlencode(params).replace("&", "&amp;")


def get_feature(request: HttpRequest, p: dict[str, str]) -> HttpResponse:
    if p.get("STOREDQUERY_ID"):
        return _stored_query(request, p)
    if p.get("FILTER") or p.get("RESOURCEID") and p.get("BBOX"):
        raise WfsError("OperationNotSupported", _("FILTER is not supported: use BBOX."),
                       "FILTER")  # fmt: skip
    if p.get("RESOURCEID"):
        return _by_resource_id(request, p)
    [collection] = _single(_types(p, required=True))
    crs = parse_srs(p.get("SRSNAME"))
    query = _query(p, crs)
    fmt = (p.get("OUTPUTFORMAT") or GML32).lower()
    namespace = _namespace(request)
    if p.get("RESULTTYPE", "results").lower() == "hits":
        attrs = {"numberMatched": str(hits(collection, query)), "numberReturned": "0"}
        return _xml(_collection_xml(request, namespace, attrs, ""), GML32)
    if "json" in fmt:
        return _geojson(collection, query)
    if "gml" not in fmt and "xml" not in fmt:
        raise WfsError("InvalidParameterValue", _("OUTPUTFORMAT: GML 3.2 or application/json."),
                       "OUTPUTFORMAT")  # fmt: skip
    page = gml_page(collection, query)
    attrs = {
        "numberMatched": str(page.matched) if page.matched is not None else "unknown",
        "numberReturned": str(page.returned),
    }
    if page.has_next:
        attrs["next"] = _next_url(request, p, query)
    return _xml(_collection_xml(request, namespace, attrs, page.features), GML32)


def _single(found: list[Collection]) -> list[Collection]:
    if len(found) != 1:
        raise WfsError("OperationNotSupported", _("One feature type per request (no joins)."),
                       "TYPENAMES")  # fmt: skip
    return found


def _geojson(collection: Collection, query: ogc.ItemsQuery) -> HttpResponse:
    page = ogc.items_page(collection, query)
    body = (
        f'{{"type":"FeatureCollection","numberReturned":{page.returned},"features":['
        + page.features
        + "]}"
    )
    return HttpResponse(body.encode(), content_type="application/geo+json")


def _member(rid: str, crs: crs_mod.Crs) -> tuple[Collection, str] | None:
    """The feature a resource id (``<type>.<encoded id>``) names, as a GML member."""
    type_part, _dot, raw_id = rid.strip().partition(".")
    collection = collection_by_type(type_part)
    if collection is None:
        return None
    key = ogc.parse_feature_id(collection, decode_id(raw_id))
    member = one(collection, key, crs) if key is not None else None
    return (collection, member) if member else None


def _by_resource_id(request: HttpRequest, p: dict[str, str]) -> HttpResponse:
    crs = parse_srs(p.get("SRSNAME"))
    found = [_member(rid, crs) for rid in p["RESOURCEID"].split(",")[:100]]
    members = [m for _c, m in filter(None, found)]
    attrs = {"numberMatched": str(len(members)), "numberReturned": str(len(members))}
    return _xml(_collection_xml(request, _namespace(request), attrs, "".join(members)), GML32)


def _stored_query(request: HttpRequest, p: dict[str, str]) -> HttpResponse:
    if p["STOREDQUERY_ID"] != documents.GET_BY_ID:
        raise WfsError("InvalidParameterValue", _("Unknown stored query."), "STOREDQUERY_ID")
    raw = p.get("ID", "")
    found = _member(raw, parse_srs(p.get("SRSNAME")))
    if found is None:
        raise WfsError("NotFound", _("No feature “%(id)s”.") % {"id": raw[:100]}, "ID", 404)
    collection, member = found
    # the stored query answers the feature itself, not a collection
    name = type_name(collection)
    inner = member.removeprefix("<wfs:member>").removesuffix("</wfs:member>")
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<miasto:{name} xmlns:miasto="{_namespace(request)}" xmlns:gml="{documents.GML}"'
    )
    return _xml((head + inner.split(f"<miasto:{name}", 1)[1]).encode(), GML32)


def list_stored_queries(request: HttpRequest, p: dict[str, str]) -> HttpResponse:
    return _xml(documents.stored_queries())


def describe_stored_queries(request: HttpRequest, p: dict[str, str]) -> HttpResponse:
    return _xml(documents.describe_stored_queries())


OPERATIONS: dict[str, Callable[[HttpRequest, dict[str, str]], HttpResponse]] = {
    "GETCAPABILITIES": get_capabilities,
    "DESCRIBEFEATURETYPE": describe_feature_type,
    "GETFEATURE": get_feature,
    "LISTSTOREDQUERIES": list_stored_queries,
    "DESCRIBESTOREDQUERIES": describe_stored_queries,
}


def _dispatch(request: HttpRequest) -> HttpResponse:
    p = _params(request)
    if p.get("SERVICE", "WFS").upper() != "WFS":
        raise WfsError("InvalidParameterValue", _("SERVICE must be WFS."), "SERVICE")
    operation = OPERATIONS.get(p.get("REQUEST", "").upper())
    if operation is None:
        raise WfsError("OperationNotSupported" if p.get("REQUEST") else "MissingParameterValue",
                       _("REQUEST: GetCapabilities, DescribeFeatureType or GetFeature."),
                       "REQUEST")  # fmt: skip
    if operation is not get_capabilities and p.get("VERSION", "2.0.0") not in ("2.0.0", "2.0.2"):
        raise WfsError("InvalidParameterValue", _("VERSION must be 2.0.0."), "VERSION")
    return operation(request, p)


@require_safe
def wfs(request: HttpRequest) -> HttpResponse:
    try:
        return _dispatch(request)
    except WfsError as exc:
        return _error(exc.status, exc.code, exc.text, exc.locator)
    except ApiError as exc:
        return _error(exc.status, "InvalidParameterValue", str(exc.message))


def _error(status: int, code: str, text: str, locator: str = "") -> HttpResponse:
    return HttpResponse(documents.exception_report(code, text, locator), status=status,
                        content_type=XML)  # fmt: skip
