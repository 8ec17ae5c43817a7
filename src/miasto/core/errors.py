"""Typed API errors mapped to HTTP statuses (after pygeoapi's provider errors).

Views raise these; :class:`JsonErrorMiddleware` turns them into JSON answers with a
message a person understands, so bad input never becomes a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger(__name__)


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class InvalidParameter(ApiError):
    status = 400
    code = "invalid_parameter"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class ServiceUnavailable(ApiError):
    status = 503
    code = "unavailable"


def error_response(exc: ApiError) -> JsonResponse:
    body: dict[str, object] = {"error": exc.code, "message": str(exc.message)}
    body.update(exc.extra)
    return JsonResponse(body, status=exc.status, json_dumps_params={"ensure_ascii": False})


class JsonErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApiError):
            return error_response(exception)
        if isinstance(exception, OperationalError):  # database down or overloaded: retry later
            message = "Baza danych jest chwilowo niedostępna. Spróbuj ponownie za chwilę."
            if request.path.startswith(("/api/", "/tiles/")):
                return error_response(ServiceUnavailable(message))
            return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        return None


class NulByteGuardMiddleware:
    """Answer 400 to query strings carrying NUL bytes.

    PostgreSQL text cannot hold U+0000, so such a parameter reaching any query would end in a
    database error (a 500). One guard here instead of a check in every view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            message = "Parametry żądania zawierają niedozwolony znak NUL (0x00)."
            if request.path.startswith("/api/") or request.path.startswith("/tiles/"):
                return error_response(InvalidParameter(message))
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


#: what a lost, refused or broken database connection raises: Django's wrappers, and psycopg's
#: own errors where code uses the raw connection (``miasto.core.db.fetchone_prepared``)
DATABASE_DOWN: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
DATABASE_DOWN_MESSAGE = "Baza danych jest chwilowo niedostępna. Spróbuj ponownie za chwilę."


class DatabaseUnavailableMiddleware:
    """Answer 503 when the database cannot be reached (restarting, failing over, out of
    connections) — JSON under ``/api/`` and ``/tiles/``, otherwise a page in the site's layout
    (``503.html``) — instead of a 500.

    The connection that failed is closed, so the next request connects afresh (the persistent
    connections' health checks catch the others): the app recovers by itself when PostgreSQL is
    back. Last in ``MIDDLEWARE``, so that its ``process_exception`` comes first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_DOWN):
            return None
        log.warning("database unavailable (%s): 503 for %s", type(exception).__name__, request.path)
        _close_if_broken()
        if request.path.startswith(("/api/", "/tiles/")):
            response: HttpResponse = error_response(ServiceUnavailable(DATABASE_DOWN_MESSAGE))
        else:
            response = _unavailable_page(request)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


def _close_if_broken() -> None:
    from django.db import connection

    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
    except Exception:  # noqa: BLE001 — closing a broken connection may fail in its own way
        connection.connection = None


def _unavailable_page(request: HttpRequest) -> HttpResponse:
    """The 503 page, rendered without the database: an anonymous user (the session and the
    user are in the database)."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    try:
        html = render_to_string("503.html", {"user": AnonymousUser()}, request=request)
    except Exception:  # noqa: BLE001 — the page must not fail in turn
        return HttpResponse(
            DATABASE_DOWN_MESSAGE, status=503, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(html, status=503)
