"""Typed API errors mapped to HTTP statuses (after pygeoapi's provider errors).

Views raise these; :class:`JsonErrorMiddleware` turns them into JSON answers with a
message a person understands, so bad input never becomes a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse


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
