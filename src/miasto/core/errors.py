"""Typed API errors mapped to HTTP statuses (after pygeoapi's provider errors), and the error
pages.

Views raise these; :class:`JsonErrorMiddleware` turns them into JSON answers with a
message a person understands, so bad input never becomes a 500.

The handlers for 400/403/404/500 (and CSRF failures) answer JSON under ``/api/`` and
``/tiles/``, and elsewhere a page in the site's layout (``errors/<status>.html``, translated),
rendered without the request's context so that it renders with the database down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from miasto import __version__

logger = logging.getLogger(__name__)

#: Paths whose clients are programs: their errors are JSON, never an HTML page.
JSON_PREFIXES = ("/api/", "/tiles/", "/ogcapi/")
#: the OGC API answers its errors as OGC exceptions (``miasto.ogcapi``)
OGC_PREFIX = "/ogcapi/"
OGC_CODES = {
    400: "InvalidParameterValue",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    500: "ServerError",
    503: "ServiceUnavailable",
}


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


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class TooManyRequests(ApiError):
    status = 429
    code = "too_many_requests"


class ServiceUnavailable(ApiError):
    status = 503
    code = "unavailable"


def ogc_exception(status: int, description: str) -> JsonResponse:
    """An OGC API exception (``/ogcapi/``): ``{"code", "description"}``."""
    body = {"code": OGC_CODES.get(status, "Error"), "description": description}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


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
            if request.path.startswith(OGC_PREFIX):
                return ogc_exception(400, message)
            if wants_json(request):
                return error_response(InvalidParameter(message))
            return error_page(request, 400, message)
        return self.get_response(request)


#: status → (JSON error code, title, explanation)
ERRORS = {
    400: (
        "bad_request",
        _("Bad request"),
        _("The request could not be understood. Check the address and its parameters."),
    ),
    403: (
        "forbidden",
        _("Access denied"),
        _("You do not have permission to see this page. Log in with an account that has it."),
    ),
    404: (
        "not_found",
        _("Page not found"),
        _("There is nothing at this address. The link may be wrong or the page may have moved."),
    ),
    500: (
        "server_error",
        _("Server error"),
        _("Something went wrong on our side. The error has been logged; please try again later."),
    ),
}

CSRF_MESSAGE = _(
    "The form has expired or was not sent from this site. Go back, reload the page and send "
    "the form again."
)


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def error_page(
    request: HttpRequest, status: int, message: str | None = None, code: str | None = None
) -> HttpResponse:
    """The answer for an error ``status``: JSON for programs, else the page in the layout."""
    default_code, title, explanation = ERRORS[status]
    text = str(message or explanation)
    if request.path.startswith(OGC_PREFIX):
        return ogc_exception(status, text)
    if wants_json(request):
        body = {"error": code or default_code, "message": text}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(render_error_page(status, str(title), text), status=status)


def render_error_page(status: int, title: str, message: str) -> str:
    """The error page's HTML from a plain context (no request, no context processors): a
    500 may come from a broken database or request, and its page must not need either."""
    try:
        context = {
            "status": status,
            "title": title,
            "message": message,
            "miasto_version": __version__,
            "login_url": resolve_url(settings.LOGIN_URL),
        }
        return render_to_string(f"errors/{status}.html", context)
    except Exception:  # the templates, static manifest or URLconf are broken: plain HTML
        logger.exception("Error page %s could not be rendered", status)
        return (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"</head><body><h1>{escape(title)}</h1><p>{escape(message)}</p>"
            f'<p><a href="/">{escape(gettext("Go to the home page"))}</a></p></body></html>'
        )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # PermissionDenied raised by Miasto's views carries a translated sentence for the user.
    message = str(exception) if exception is not None and str(exception) else None
    return error_page(request, 403, message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the reason (technical, English) goes to the log, not to the user."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return error_page(request, 403, str(CSRF_MESSAGE), code="csrf_failed")


#: what a lost, refused or broken database connection raises: Django's wrappers, and psycopg's
#: own errors where code uses the raw connection (``miasto.core.db.fetchone_prepared``)
DATABASE_DOWN: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
DATABASE_DOWN_MESSAGE = _("The database is temporarily unavailable. Please try again in a moment.")


class DatabaseUnavailableMiddleware:
    """Answer 503 when the database cannot be reached (restarting, failing over, out of
    connections) — see :func:`service_unavailable` — instead of a 500.

    The connection that failed is closed, so the next request connects afresh (the persistent
    connections' health checks catch the others): the app recovers by itself when PostgreSQL is
    back. After :class:`JsonErrorMiddleware` in ``MIDDLEWARE`` (its ``process_exception`` runs
    first) and before the statement timeout's (a cancelled query is answered as a timeout).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return database_down_response(request, exception)


def database_down_response(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """The 503 for an exception that says the database cannot be reached, else None (also for
    middleware whose own queries run before the view, which ``process_exception`` never sees)."""
    if not isinstance(exception, DATABASE_DOWN):
        return None
    logger.warning("database unavailable (%s): 503 for %s", type(exception).__name__, request.path)
    _close_if_broken()
    return service_unavailable(request, str(DATABASE_DOWN_MESSAGE))


def service_unavailable(
    request: HttpRequest, message: str, code: str = ServiceUnavailable.code
) -> HttpResponse:
    """A 503 to try again later: JSON for programs, else the error page (rendered without the
    database: no session, no user)."""
    if wants_json(request):
        error = ServiceUnavailable(message)
        error.code = code
        response: HttpResponse = error_response(error)
    else:
        title = gettext("Service temporarily unavailable")
        response = HttpResponse(render_error_page(503, title, message), status=503)
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
