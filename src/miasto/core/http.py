"""HTTP helpers shared by the apps: JSON responses, integer parameters, upload size limit,
the client's address."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, JsonResponse

from miasto.core.errors import InvalidParameter
from miasto.core.models import Job


def json_response(data: Any, status: int = 200) -> JsonResponse:
    """JSON with Polish letters kept as they are (not ``\\u`` escapes)."""
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def int_value(
    query: Mapping[str, str], name: str, default: int | None, lo: int, hi: int
) -> int | None:
    """An integer parameter of ``query`` (``request.GET``, a form's data) within ``lo``–``hi``,
    ``default`` when absent or blank; blanks inside (``1 000``, a no-break space) are digit
    grouping. :class:`InvalidParameter` (400, Polish) otherwise."""
    raw = (query.get(name) or "").strip().replace(" ", "").replace("\u00a0", "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"Parametr „{name}” musi być liczbą całkowitą.") from None
    if not lo <= value <= hi:
        raise InvalidParameter(f"Parametr „{name}” musi być w zakresie {lo}–{hi}.")
    return value


def int_param(request: HttpRequest, name: str, default: int, lo: int, hi: int) -> int:
    """An integer query parameter of ``request`` (see :func:`int_value`), never ``None``."""
    value = int_value(request.GET, name, default, lo, hi)
    return default if value is None else value


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes ``limit`` bytes (nothing big hits the
    disk) and marks the request ``upload_too_large`` so the view can answer 413 in Polish.
    Insert it first: ``request.upload_handlers.insert(0, LimitedUploadHandler(request, n))``."""

    def __init__(self, request: HttpRequest | None = None, limit: int = 0) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def computing_json(job: Any, start_hint: str) -> JsonResponse:
    """An API result that is not stored: 202 while a background job computes it, 409 when
    none runs (never computed, or the last job failed); ``start_hint`` says how staff start
    it (a POST)."""
    if job is None:
        return json_response(
            {
                "status": "not_computed",
                "error": "not_computed",
                "message": "Wynik nie jest jeszcze policzony. Obliczenie zleca pracownik "
                f"urzędu: {start_hint}.",
            },
            status=409,
        )
    if job.status == Job.Status.FAILED:
        return json_response(
            {
                "status": "failed",
                "error": "failed",
                "message": f"{job.error or job.message} Ponowne obliczenie zleca pracownik "
                f"urzędu: {start_hint}.",
                "job": {"id": job.pk, "progress": job.progress, "message": job.message},
            },
            status=409,
        )
    return json_response(
        {
            "status": "computing",
            "message": "Wynik jest liczony w tle; ponów zapytanie za chwilę.",
            "job": {"id": job.pk, "progress": job.progress, "message": job.message},
        },
        status=202,
    )


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or — behind ``MIASTO_PROXY_COUNT`` trusted
    reverse proxies, each appending the address it saw to ``X-Forwarded-For`` — the address
    the outermost proxy saw. Entries a client wrote into the header itself stand before those
    and are never read. The sign-in throttling (django-axes) and the APIs' rate limits both
    count by it: behind a proxy without this, every visitor would be the proxy."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    hops = int(getattr(settings, "MIASTO_PROXY_COUNT", 0))
    if hops <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate
