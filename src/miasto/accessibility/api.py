"""Accessibility JSON/CSV API (thin: parse, call a selector, answer)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from miasto.accessibility import selectors
from miasto.accessibility.models import Standard
from miasto.core.errors import InvalidParameter, NotFound
from miasto.core.http import json_response
from miasto.territory import identifiers


@require_GET
def analysis(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv"):
        raise InvalidParameter("Parametr „format” przyjmuje wartości: json, csv.")
    code = request.GET.get("standard") or None
    if code is not None:
        active = list(Standard.objects.active().values_list("code", flat=True))
        if code not in active:
            raise InvalidParameter(
                f"Nieznany lub nieaktywny standard „{code[:40]}”. Dostępne: {', '.join(active)}."
            )
    summary = selectors.accessibility_summary(code)
    if fmt == "csv":
        response = HttpResponse(
            selectors.accessibility_summary_csv(summary), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="dostepnosc.csv"'
        return response
    return json_response(summary)


@require_GET
def parcel(request: HttpRequest, identifier: str) -> JsonResponse:
    identifier = identifiers.parse_parcel_identifier(identifier)
    data = selectors.parcel_accessibility(identifier)
    if data is None:
        raise NotFound(f"Nie znaleziono działki {identifier}.")
    return json_response(data)
