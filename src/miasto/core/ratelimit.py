"""The APIs' keys and rate limits on every request (the rules: :mod:`miasto.core.apikeys`).

A request to an API path carries its key in ``Authorization: Bearer …``, ``X-API-Key`` or the
``api_key`` parameter (for clients that cannot set headers). A key that is not valid is
refused (401) rather than served as anonymous, so a mistyped or revoked key is noticed.
Answers carry ``RateLimit-Limit``/``RateLimit-Remaining``/``RateLimit-Reset``; a refused one
is 429 with ``Retry-After``. ``request.api_key`` is the key (or None) for the views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from miasto.core.apikeys import Hit, api_hit, api_key_find, api_key_touch
from miasto.core.errors import (
    DATABASE_DOWN,
    TooManyRequests,
    Unauthorized,
    database_down_response,
    error_response,
)
from miasto.core.http import client_ip
from miasto.core.models import ApiKey


def is_api_path(path: str) -> bool:
    return path.startswith(tuple(settings.MIASTO_API_PATHS))


def presented_key(request: HttpRequest) -> str | None:
    """The key the request presents, if any (header first, then the parameter)."""
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    header = request.headers.get("X-API-Key")
    if header:
        return header.strip()
    value = request.GET.get("api_key")
    return value.strip() if value else None


def _subject(request: HttpRequest, key: ApiKey | None) -> str:
    if key is not None:
        return f"key:{key.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or '-'}"


def _headers(response: HttpResponse, hit: Hit) -> HttpResponse:
    if hit.limit > 0:
        response["RateLimit-Limit"] = str(hit.limit)
        response["RateLimit-Remaining"] = str(hit.remaining)
        response["RateLimit-Reset"] = str(hit.reset)
    return response


class ApiRateLimitMiddleware:
    """Finds the key and counts the request before the view; refuses over the limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        hit: Hit | None = getattr(request, "_api_hit", None)
        return _headers(response, hit) if hit is not None else response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        request.api_key = None  # type: ignore[attr-defined]
        if not is_api_path(request.path_info):
            return None
        try:
            return self._count(request)
        except (
            DATABASE_DOWN
        ) as exc:  # (before the view: DatabaseUnavailableMiddleware can't see it)
            return database_down_response(request, exc)

    def _count(self, request: HttpRequest) -> HttpResponse | None:
        raw = presented_key(request)
        key = api_key_find(raw) if raw else None
        if raw and key is None:
            return error_response(
                Unauthorized(_("The API key is not valid: it is unknown, revoked or mistyped."))
            )
        match = request.resolver_match
        endpoint = match.view_name if match else request.path_info[:100]
        hit = api_hit(_subject(request, key), key, endpoint)
        request._api_hit = hit  # type: ignore[attr-defined]
        if key is not None:
            request.api_key = key  # type: ignore[attr-defined]
            api_key_touch(key)
        if hit.refused:
            return _refused(hit)
        return None


def _refused(hit: Hit) -> HttpResponse:
    response = error_response(
        TooManyRequests(
            _("Too many requests: at most %(limit)d a minute. Try again in %(seconds)d s.")
            % {"limit": hit.limit, "seconds": hit.reset},
            retry_after=hit.reset,
        )
    )
    response["Retry-After"] = str(hit.reset)
    return response
