"""Helpers shared by the JSON API handlers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from miasto.core.errors import InvalidParameter


def json_response(data: Any, status: int = 200) -> JsonResponse:
    """JSON with Polish letters kept as they are (not ``\\u`` escapes)."""
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def int_param(request: HttpRequest, name: str, default: int, lo: int, hi: int) -> int:
    """An integer query parameter within ``lo``–``hi``; 400 with a Polish message otherwise."""
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"Parametr „{name}” musi być liczbą całkowitą.") from None
    if not lo <= value <= hi:
        raise InvalidParameter(f"Parametr „{name}” musi być w zakresie {lo}–{hi}.")
    return value
