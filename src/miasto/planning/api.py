"""Planning JSON API (``/api/v1/plans…``): thin handlers over selectors and app_gml."""

from __future__ import annotations

import datetime as dt
import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from miasto.core.errors import InvalidParameter, NotFound, ServiceUnavailable
from miasto.core.geo import parse_crs
from miasto.core.http import json_response
from miasto.planning import app_gml, report, selectors
from miasto.planning.models import Plan
from miasto.planning.statuses import PlanStatus
from miasto.territory import identifiers


def _plan_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise InvalidParameter(f"Identyfikator planu musi być liczbą, otrzymano „{raw[:30]}”.")
    return int(raw)


@require_GET
def plans(request: HttpRequest) -> JsonResponse:
    kind = request.GET.get("kind") or None
    status = request.GET.get("status") or None
    if kind and kind not in Plan.Kind.values:
        raise InvalidParameter(
            f"Nieznany rodzaj planu „{kind[:30]}”. Dozwolone: {', '.join(Plan.Kind.values)}."
        )
    if status and status not in PlanStatus.values:
        raise InvalidParameter(
            f"Nieznany status „{status[:30]}”. Dozwolone: {', '.join(PlanStatus.values)}."
        )
    items = selectors.plan_list(kind=kind, status=status)
    return json_response({"count": len(items), "plans": items})


@require_GET
def plan_detail(request: HttpRequest, plan_id: str) -> JsonResponse:
    pk = _plan_id(plan_id)
    srid = parse_crs(request.GET.get("crs"))
    history = request.GET.get("history") in ("1", "true")
    data = selectors.plan_detail(pk, srid=srid, history=history)
    if data is None:
        raise NotFound(f"Nie znaleziono planu o identyfikatorze {pk}.")
    return json_response(data)


@require_GET
def plan_app_gml(request: HttpRequest, plan_id: str) -> HttpResponse:
    pk = _plan_id(plan_id)
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None:
        raise NotFound(f"Nie znaleziono planu o identyfikatorze {pk}.")
    srid = parse_crs(request.GET.get("crs"), default=2180)
    if srid not in app_gml.APP_SRIDS:
        raise InvalidParameter("APP GML: dozwolone układy EPSG:2180 i EPSG:2176–2179.")
    try:
        data = app_gml.export_plan(plan, srid=srid)
    except ValueError as exc:
        raise ServiceUnavailable(f"Nie można wyeksportować planu: {exc}") from None
    response = HttpResponse(data, content_type="application/gml+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-app.gml"'
    return response


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_of(raw: str | None) -> dt.date | None:
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    try:
        if not _DATE_RE.match(raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidParameter(
            f"Nieprawidłowa data „{raw[:30]}” w parametrze „as_of”. "
            "Oczekiwany format: RRRR-MM-DD, np. 2024-05-31.",
            expected_format="YYYY-MM-DD",
        ) from None


@require_GET
def parcel_planning(request: HttpRequest, identifier: str) -> HttpResponse:
    """``GET /api/v1/parcels/{identifier}/planning[?as_of=YYYY-MM-DD]`` — the parcel
    planning report (see :mod:`miasto.planning.report`) with its ``accessibility`` section."""
    identifier = identifiers.parse_parcel_identifier(identifier)
    as_of = _as_of(request.GET.get("as_of"))
    data = report.parcel_report_full(identifier, as_of)
    if data is None:
        raise NotFound(f"Nie znaleziono działki {identifier}.")
    return json_response(data)
