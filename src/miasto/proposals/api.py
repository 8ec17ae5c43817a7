"""``GET /api/v1/proposals``: public proposals as GeoJSON (CRS84) with filters and paging."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from miasto.core.errors import InvalidParameter
from miasto.core.geo import parse_float
from miasto.core.http import int_param, json_response
from miasto.proposals import selectors
from miasto.proposals.models import Category
from miasto.proposals.statuses import Status

MAX_LIMIT = 500


def _choice(request: HttpRequest, name: str, allowed: list[str]) -> str:
    value = request.GET.get(name, "").strip()
    if value and value not in allowed:
        raise InvalidParameter(
            f"Nieznana wartość „{value[:30]}” parametru „{name}”. Dozwolone: {', '.join(allowed)}."
        )
    return value


def _bbox(raw: str) -> tuple[float, float, float, float] | None:
    if not raw.strip():
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise InvalidParameter("Parametr bbox: minlon,minlat,maxlon,maxlat (CRS84).")
    west, south, east, north = (parse_float("bbox", p) for p in parts)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidParameter(
            "Nieprawidłowy bbox: min musi być mniejsze od max, w zakresie CRS84."
        )
    return west, south, east, north


def _district(raw: str) -> str:
    raw = raw.strip()
    if len(raw) > 20:
        raise InvalidParameter("Kod dzielnicy ma najwyżej 20 znaków.")
    return raw


@require_GET
def proposals(request: HttpRequest) -> JsonResponse:
    filters = selectors.Filters(
        category=_choice(request, "category", list(Category.values)),
        status=_choice(request, "status", list(Status.values)),
        district=_district(request.GET.get("district", "")),
        q=request.GET.get("q", "").strip()[:100],
        bbox=_bbox(request.GET.get("bbox", "")),
    )
    limit = int_param(request, "limit", 100, 1, MAX_LIMIT)
    offset = int_param(request, "offset", 0, 0, 1_000_000)
    base = settings.MIASTO_PUBLIC_URL + reverse("proposals:list")
    data = selectors.proposals_geojson(filters, limit=limit, offset=offset, base_url=base)
    data["links"] = _links(request, limit, offset, data["numberMatched"])
    response = json_response(data)
    response["Content-Type"] = "application/geo+json"
    return response


def _links(request: HttpRequest, limit: int, offset: int, matched: int) -> list[dict[str, str]]:
    def at(start: int) -> str:
        query = request.GET.copy()
        query["offset"], query["limit"] = str(start), str(limit)
        return request.build_absolute_uri(request.path) + "?" + query.urlencode()

    links = [{"rel": "self", "type": "application/geo+json", "href": at(offset)}]
    if offset + limit < matched:
        links.append({"rel": "next", "type": "application/geo+json", "href": at(offset + limit)})
    if offset > 0:
        links.append(
            {"rel": "prev", "type": "application/geo+json", "href": at(max(0, offset - limit))}
        )
    return links
