"""The real URLconf plus views that fail with a chosen status, for the error-handler tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from miasto.config import urls as real


def fail(request: HttpRequest, status: int) -> HttpResponse:
    if status == 400:
        raise SuspiciousOperation("malformed request")
    if status == 403:
        raise PermissionDenied
    if status == 404:
        raise Http404("no such thing")
    raise RuntimeError("a bug")


handler400 = real.handler400
handler403 = real.handler403
handler404 = real.handler404
handler500 = real.handler500
urlpatterns = [
    path("api/v1/test-errors/<int:status>", fail),
    path("test-errors/<int:status>", fail),
    *real.urlpatterns,
]
