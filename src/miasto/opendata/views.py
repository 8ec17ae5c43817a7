"""Views of the open data endpoints (thin: parse, call, answer)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from miasto.core.http import json_response
from miasto.opendata import ckan, dcat
from miasto.opendata.reference import openapi_document


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return json_response(openapi_document(_base(request)))


@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    """``/api/``: the reference of ``/api/v1`` (Swagger UI from the site's own files)."""
    return render(request, "opendata/api_reference.html")


# --- DCAT -------------------------------------------------------------------------------

#: media type asked for in ``Accept`` → serialisation
ACCEPT = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/rdf+xml": "rdf",
    "application/xml": "rdf",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}


def _catalogue(request: HttpRequest, fmt: str) -> HttpResponse:
    text = dcat.serialise(dcat.catalogue_graph(_base(request)), fmt)
    response = HttpResponse(text, content_type=dcat.FORMATS[fmt][1])
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def catalogue_file(request: HttpRequest, fmt: str) -> HttpResponse:
    return _catalogue(request, fmt)


def negotiated_format(accept: str) -> str:
    """The serialisation for an ``Accept`` header (by its q-values; Turtle by default)."""
    best, best_q = "ttl", -1.0
    for part in accept.split(",")[:30]:
        media, *options = (p.strip() for p in part.split(";"))
        q = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        fmt = ACCEPT.get(media.lower())
        if fmt is not None and q > best_q:
            best, best_q = fmt, q
    return best


@require_GET
def catalogue_negotiate(request: HttpRequest) -> HttpResponse:
    response = _catalogue(request, negotiated_format(request.headers.get("Accept", "")))
    response["Vary"] = "Accept"
    return response


# --- CKAN -------------------------------------------------------------------------------


def _ckan_answer(
    request: HttpRequest, name: str, body: dict[str, Any], status: int
) -> JsonResponse:
    help_url = f"{_base(request)}/api/3/action/help_show?name={name[:60]}"
    return JsonResponse(
        {"help": help_url, **body}, status=status, json_dumps_params={"ensure_ascii": False}
    )


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _ckan_params(request: HttpRequest) -> dict[str, Any]:
    """The action's parameters: the query string, and a POST's form fields or JSON object
    (as CKAN takes them)."""
    params: dict[str, Any] = {k: request.GET.get(k) for k in request.GET}
    if request.method != "POST":
        return params
    try:
        if request.content_type in FORM_TYPES:
            return {**params, **{k: request.POST.get(k) for k in request.POST}}
        raw = request.body
    except RequestDataTooBig:
        raise ckan.CkanError("Bad Request", 400, "Bad request - body too large") from None
    if not raw.strip():
        return params
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ckan.CkanError(
            "Bad Request", 400, "Bad request - JSON Error: Could not read request body"
        ) from None
    if not isinstance(data, dict):
        raise ckan.CkanError(
            "Bad Request", 400, "Bad request - JSON Error: Request data must be a JSON object"
        )
    return {**params, **data}


@csrf_exempt  # read-only and anonymous: CKAN clients POST JSON without a session
@require_http_methods(["GET", "POST"])
def ckan_action(request: HttpRequest, name: str) -> JsonResponse:
    try:
        result = ckan.run(name, _ckan_params(request), ckan.Context(base=_base(request)))
    except ckan.CkanError as exc:
        return _ckan_answer(request, name, {"success": False, "error": exc.body()}, exc.status)
    return _ckan_answer(request, name, {"success": True, "result": result}, 200)


@require_GET
def ckan_version(request: HttpRequest) -> JsonResponse:
    return json_response({"version": 3})
