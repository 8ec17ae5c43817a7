"""Helpers of the proposal pages: a refusal page, the throttle, finding a proposal."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from miasto.core.db import fetch_one
from miasto.core.throttle import throttle_hit
from miasto.proposals.models import Proposal

#: per person: (setting, default limit, window) of each public write
LIMITS = {
    "submit": ("MIASTO_PROPOSALS_SUBMIT_PER_DAY", 5, timedelta(days=1)),
    "comment": ("MIASTO_PROPOSALS_COMMENTS_PER_HOUR", 20, timedelta(hours=1)),
    "support": ("MIASTO_PROPOSALS_SUPPORTS_PER_HOUR", 60, timedelta(hours=1)),
    "report": ("MIASTO_PROPOSALS_REPORTS_PER_HOUR", 20, timedelta(hours=1)),
}


def within_limit(request: HttpRequest, action: str) -> bool:
    setting, default, window = LIMITS[action]
    limit = int(getattr(settings, setting, default))
    return throttle_hit(request, f"proposals.{action}", limit=limit, window=window)


def refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A Polish page saying why (400, 403, 409, 429), with a way back."""
    return render(
        request, "proposals/refused.html", {"message": message, "status": status}, status=status
    )


def proposal_or_404(proposal_id: str) -> Proposal:
    if not (proposal_id.isascii() and proposal_id.isdigit()) or len(proposal_id) > 12:
        raise Http404
    rows = Proposal.objects.select_related("district", "unit", "assignee")
    proposal = rows.filter(pk=int(proposal_id)).first()
    if proposal is None:
        raise Http404
    return proposal


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script_json(text: str) -> str:
    """JSON text safe inside ``<script type="application/json">`` (``<``, ``>`` and ``&`` only
    occur inside JSON strings, where the escapes mean the same)."""
    return text.translate(_JSON_ESCAPES)


def streets_tiles_url() -> str:
    """The XYZ template of the city's street tiles (the maps' faint background)."""
    return reverse("tile", args=["streets", 0, 0, 0]).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")


def page_number(request: HttpRequest) -> int:
    """``?strona=`` (1 when absent or not a number, at most 10 000)."""
    raw = request.GET.get("strona", "")
    return (
        min(int(raw), 10_000)
        if raw.isascii() and raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0
        else 1
    )


def city_extent() -> list[float] | None:
    """The city's extent in EPSG:3857 (where the maps start), or None without a city."""
    row = fetch_one("SELECT ST_Extent(ST_Transform(geom, 3857))::box2d FROM territory_city")
    box = row[0] if row else None
    if not box:
        return None
    numbers = box.removeprefix("BOX(").removesuffix(")").replace(",", " ").split()
    return [float(n) for n in numbers]
