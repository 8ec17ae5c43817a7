"""Public pages: ``/reklamy/`` — the landscape resolution in force, its zones and rules, the
map of registered carriers with the table as its equivalent; ``/reklamy/nosniki/<id>/`` — a
carrier with its compliance. No personal data on either (owners are for staff)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from miasto.advertising import selectors
from miasto.advertising.api import is_staff
from miasto.advertising.models import LandscapeResolution
from miasto.advertising.pages.common import PAGE_SIZE, RegisterFilter, map_config, pages_around
from miasto.advertising.statuses import ResolutionStatus


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    form = RegisterFilter(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = (form.cleaned_data.get("page") if form.is_bound and form.is_valid() else None) or 1
    everything = selectors.carriers_geojson(filters=filters, limit=page * PAGE_SIZE)
    rows = [f["properties"] for f in everything["features"]][(page - 1) * PAGE_SIZE :]
    total = everything["numberMatched"]
    resolution = (
        LandscapeResolution.objects.filter(status=ResolutionStatus.IN_FORCE)
        .order_by("-valid_from")
        .first()
    )
    context = {
        "form": form,
        "rows": rows,
        "total": total,
        "pager": pages_around(page, max(1, -(-total // PAGE_SIZE))),
        "query": {k: v for k, v in request.GET.items() if k != "page"},
        "resolution": resolution,
        "zones": selectors.zones_in_force(),
        "map_config": map_config(),
        "i18n": {"compliant": _("compliant"), "not_compliant": _("not compliant"),
                 "error": _("The map could not be shown; the table lists the same carriers.")},
    }  # fmt: skip
    return render(
        request,
        "advertising/public.html",
        context,
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


@require_GET
def carrier(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.carrier_detail(pk, staff=is_staff(request))
    if data is None:
        raise Http404(_("No such carrier."))
    props = data["properties"]
    context = {
        "c": props,
        "open": [v for v in props["violations"] if v["resolved_on"] is None],
        "resolved": [v for v in props["violations"] if v["resolved_on"] is not None],
        "staff": is_staff(request),
        "point": json.dumps(data["geometry"]),
    }
    return render(request, "advertising/carrier.html", context)


urlpatterns = [
    path("reklamy/", public, name="public"),
    path("reklamy/nosniki/<int:pk>/", carrier, name="carrier"),
]
