"""The advertising JSON API (``/api/v1/advertising/…``): thin handlers over the selectors,
the fee schedule and the penalty calculator. Public answers carry no personal data; owners,
the fee schedule and penalties are for staff who may see owners (``view_owner``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from miasto.advertising import fees, selectors
from miasto.advertising.kinds import KIND_VALUES
from miasto.advertising.models import Carrier, Owner
from miasto.advertising.penalty import PenaltyError, penalty_for
from miasto.advertising.rules import rule_kinds
from miasto.core import crs as crs_mod
from miasto.core.errors import Forbidden, InvalidParameter, NotFound
from miasto.core.features import parse_bbox
from miasto.core.http import int_param, int_value, json_response

STAFF_PERMISSION = "advertising.view_owner"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ZONE_RE = re.compile(r"^[\w.\-/]{1,20}$")


def is_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.has_perm(STAFF_PERMISSION))


def _require_staff(request: HttpRequest) -> None:
    if not is_staff(request):
        raise Forbidden(
            "Dane o właścicielach, opłatach i karach są dostępne dla pracowników urzędu."
        )


def _pk(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise InvalidParameter(f"Identyfikator nośnika musi być liczbą, otrzymano „{raw[:30]}”.")
    return int(raw)


def _choice(request: HttpRequest, name: str, allowed: set[str] | frozenset[str]) -> str | None:
    value = request.GET.get(name) or None
    if value is not None and value not in allowed:
        raise InvalidParameter(
            f"Nieznana wartość „{value[:40]}” parametru „{name}”. "
            f"Dozwolone: {', '.join(sorted(allowed))}."
        )
    return value


def _boolean(request: HttpRequest, name: str) -> bool | None:
    raw = (request.GET.get(name) or "").strip().lower()
    if raw == "":
        return None
    if raw in ("true", "1", "tak"):
        return True
    if raw in ("false", "0", "nie"):
        return False
    raise InvalidParameter(f"Parametr „{name}” przyjmuje wartości true albo false.")


def _zone(request: HttpRequest) -> str | None:
    zone = request.GET.get("zone") or None
    if zone is not None and not _ZONE_RE.match(zone):
        raise InvalidParameter("Parametr „zone” to kod strefy, np. A albo B1.")
    return zone


def _date(request: HttpRequest, name: str) -> dt.date:
    raw = (request.GET.get(name) or "").strip()
    try:
        if not _DATE_RE.match(raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidParameter(
            f"Parametr „{name}” to data w formacie RRRR-MM-DD, np. 2026-03-01.",
            expected_format="YYYY-MM-DD",
        ) from None


def _carrier(raw: str) -> Carrier:
    pk = _pk(raw)
    carrier = Carrier.objects.filter(pk=pk).first()
    if carrier is None:
        raise NotFound(f"Nie znaleziono nośnika o identyfikatorze {pk}.")
    return carrier


@require_GET
def carriers(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/advertising/carriers?bbox=&kind=&zone=&compliant=&limit=`` (GeoJSON)."""
    filters: dict[str, Any] = {
        "kind": _choice(request, "kind", KIND_VALUES),
        "zone": _zone(request),
        "compliant": _boolean(request, "compliant"),
    }
    bbox = parse_bbox(request.GET.get("bbox"), crs_mod.parse(None))
    limit = int_param(request, "limit", 1000, 1, 10000)
    data = selectors.carriers_geojson(
        bbox=bbox, filters=filters, limit=limit, staff=is_staff(request)
    )
    response = json_response(data)
    response["Content-Type"] = "application/geo+json"  # (as the OpenAPI document says)
    return response


@require_GET
def carrier(request: HttpRequest, carrier_id: str) -> JsonResponse:
    pk = _pk(carrier_id)
    data = selectors.carrier_detail(pk, staff=is_staff(request))
    if data is None:
        raise NotFound(f"Nie znaleziono nośnika o identyfikatorze {pk}.")
    return json_response(data)


@require_GET
def violations(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/advertising/violations?zone=&rule_kind=&carrier_kind=&state=&page=``."""
    filters: dict[str, Any] = {
        "zone": _zone(request),
        "rule_kind": _choice(request, "rule_kind", set(rule_kinds())),
        "carrier_kind": _choice(request, "carrier_kind", KIND_VALUES),
        "state": _choice(request, "state", {"open", "resolved", "all"}),
        "penalisable": _boolean(request, "penalisable"),
        "carrier": int_value(request.GET, "carrier", None, 1, 10**12),
    }
    page = int_param(request, "page", 1, 1, 100_000)
    size = int_param(request, "page_size", 50, 1, 500)
    return json_response(selectors.violations_page(filters=filters, page=page, size=size))


@require_GET
def fee_schedule(request: HttpRequest) -> HttpResponse:
    """``GET /api/v1/advertising/fees?year=YYYY[&owner=][&format=csv]``: staff only."""
    _require_staff(request)
    year = int_value(request.GET, "year", None, 2015, 2100)
    if year is None:
        raise InvalidParameter("Podaj rok: parametr „year”, np. year=2026.")
    owner = int_value(request.GET, "owner", None, 1, 10**12)
    if owner is not None and not Owner.objects.filter(pk=owner).exists():
        raise NotFound(f"Nie znaleziono właściciela o identyfikatorze {owner}.")
    fmt = _choice(request, "format", {"json", "csv"}) or "json"
    if fmt == "csv":
        response = HttpResponse(
            fees.schedule_csv(year, owner), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="oplata-reklamowa-{year}.csv"'
        return response
    lines = fees.schedule(year, owner)
    owners = fees.by_owner(lines)
    return json_response(
        {
            "year": year,
            "currency": "PLN",
            "total": str(sum((o["amount"] for o in owners), start=Decimal("0"))),
            "owners": [o | {"amount": str(o["amount"])} for o in owners],
            "lines": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in line.items()}
                for line in lines
            ],
        }
    )


@require_GET
def carrier_penalty(request: HttpRequest, carrier_id: str) -> JsonResponse:
    """``GET /api/v1/advertising/carriers/{id}/penalty?from=&to=``: staff only."""
    _require_staff(request)
    carrier_obj = _carrier(carrier_id)
    start, end = _date(request, "from"), _date(request, "to")
    try:
        result = penalty_for(carrier_obj, start, end)
    except PenaltyError as exc:
        raise InvalidParameter(str(exc)) from None
    return json_response(result.as_dict())
