"""Typed API errors mapped to HTTP statuses (after pygeoapi's provider errors).

Views raise these; :class:`JsonErrorMiddleware` turns them into JSON answers with a
message a person understands, so bad input never becomes a 500.
"""

from __future__ import annotations

from collections.abc import Callable

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
        return None
