"""JSON/CSV API of the planning analyses (thin: parse, call the analysis, answer).

- ``GET /api/v1/analyses/coverage[?from=&to=&step=&format=json|csv]``
- ``GET /api/v1/analyses/capacity[?level=city|district|block|parcel&district=&page=&page_size=
  &as_of=&forecast_population=&forecast_year=&format=json|csv]`` — the stored run; 202 while
  its job runs, 409 when it is not computed. ``POST …/capacity[?as_of=]`` (staff, CSRF token)
  starts the computation: reads never enqueue work.
- ``GET /api/v1/analyses/conflicts[?district=&severity=&rule=&plan=&as_of=
  &format=json|csv|geojson]``

Bad parameters answer 400 with a Polish message. CSV as the accessibility API's (UTF-8, no
BOM); per-block and per-parcel CSV is streamed and lists every row (no paging).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from miasto.core.errors import Forbidden
from miasto.core.http import computing_json, int_param, json_response
from miasto.core.jobs import may_start, pending_job, start_job
from miasto.planning.analyses import export, layers  # noqa: F401 — registers the map layer
from miasto.planning.analyses.capacity import (
    capacity,
    capacity_blocks,
    capacity_parcel_rows,
    capacity_stored,
    housing_balance,
)
from miasto.planning.analyses.conflicts import conflicts, conflicts_geojson
from miasto.planning.analyses.coverage import coverage_series
from miasto.planning.analyses.params import (
    LEVELS,
    choice_param,
    conflict_filters,
    coverage_params,
    date_param,
    district_param,
    forecast_params,
)
from miasto.planning.zoneset import ZoneSet


def _format(request: HttpRequest, *choices: str) -> str:
    return choice_param(request.GET, "format", ("json", *choices), "json") or "json"


def _csv(rows, filename: str, *, stream: bool = False) -> HttpResponse:
    content_type = "text/csv; charset=utf-8"
    lines = export.rows_to_csv(rows)
    response: HttpResponse
    if stream:
        response = StreamingHttpResponse(lines, content_type=content_type)  # type: ignore[assignment]
    else:
        response = HttpResponse("".join(lines), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _zones(request: HttpRequest) -> ZoneSet:
    as_of = date_param(request.GET, "as_of", dt.date.today()) or dt.date.today()
    return ZoneSet(as_of=as_of)


@require_GET
def coverage_view(request: HttpRequest) -> HttpResponse:
    fmt = _format(request, "csv")
    rng = coverage_params(request.GET)
    result = coverage_series(rng.start, rng.end, rng.step)
    if fmt == "csv":
        return _csv(export.coverage_rows(result), "pokrycie-planami.csv")
    return json_response(result)


def _capacity_start(request: HttpRequest) -> HttpResponse:
    """``POST`` (staff, with the CSRF token; ``as_of`` in the query or the form): start the
    capacity run for that date — 202 with its job, or 200 when it is stored already."""
    if not may_start(request.user):
        raise Forbidden("Zlecanie obliczeń jest dostępne dla pracowników urzędu (zaloguj się).")
    source = request.POST if "as_of" in request.POST else request.GET
    as_of = date_param(source, "as_of", dt.date.today()) or dt.date.today()
    if capacity_stored(ZoneSet(as_of=as_of)):
        return json_response({"status": "done", "as_of": as_of.isoformat()})
    job = start_job("planning.capacity", {"as_of": as_of.isoformat()}, user=request.user)
    return computing_json(job, "")


@require_http_methods(["GET", "HEAD", "POST"])
def capacity_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _capacity_start(request)
    fmt = _format(request, "csv")
    level = choice_param(request.GET, "level", LEVELS, "district") or "district"
    district = district_param(request.GET)
    page = int_param(request, "page", 1, 1, 1_000_000)
    page_size = int_param(request, "page_size", 100, 1, 1000)
    forecast = forecast_params(request.GET)
    zones = _zones(request)
    if not capacity_stored(zones):  # minutes at a million parcels: a job computes it,
        # started by staff (POST); a read only reports (never enqueues work for anyone)
        return computing_json(
            pending_job("planning.capacity", {"as_of": zones.as_of.isoformat()}),
            f"POST /api/v1/analyses/capacity?as_of={zones.as_of.isoformat()} (z tokenem CSRF)",
        )
    if fmt == "csv" and level == "parcel":
        return _csv(
            export.capacity_parcel_rows(capacity_parcel_rows(zones, district)),
            "chlonnosc-dzialki.csv",
            stream=True,
        )
    if fmt == "csv" and level == "block":
        return _csv(
            export.capacity_block_rows(capacity_blocks(zones, district)),
            "chlonnosc-kwartaly.csv",
            stream=True,
        )
    result = capacity(zones, level=level, district=district, page=page, page_size=page_size)
    balance = None
    if forecast is not None:
        balance = housing_balance(result, forecast.population, forecast.year)
        result["balance"] = balance
    if fmt == "csv":
        return _csv(export.capacity_area_rows(result, balance), "chlonnosc.csv")
    return json_response(result)


@require_GET
def conflicts_view(request: HttpRequest) -> HttpResponse:
    fmt = _format(request, "csv", "geojson")
    zones = _zones(request)
    filters = conflict_filters(request.GET, zones.as_of)
    result = conflicts(zones, filters=filters, geometry=fmt == "geojson")
    if fmt == "csv":
        return _csv(export.conflict_rows(result), "konflikty.csv")
    if fmt == "geojson":
        response = json_response(conflicts_geojson(result))
        response["Content-Type"] = "application/geo+json"
        return response
    return json_response(result)


urlpatterns = [
    path("api/v1/analyses/coverage", coverage_view, name="api-analyses-coverage"),
    path("api/v1/analyses/capacity", capacity_view, name="api-analyses-capacity"),
    path("api/v1/analyses/conflicts", conflicts_view, name="api-analyses-conflicts"),
]
