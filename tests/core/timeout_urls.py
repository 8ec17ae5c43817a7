"""URLs for the statement-timeout tests: a view whose query outlasts any short timeout, and
one that reports the session's timeout."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path


def slow(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    return JsonResponse({"slept": True})


def show(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return JsonResponse({"statement_timeout": cursor.fetchone()[0]})


urlpatterns = [
    path("api/v1/test/slow", slow),
    path("strona/slow", slow),
    path("api/v1/test/show", show),
]
