"""A parcel's page: ``/dzialki/<identifier>/`` — an address on the web for every parcel.

Server-rendered (it works without JavaScript and reads well to a screen reader): the same
facts as the map's panel (:func:`miasto.territory.selectors.parcel_panel`), the sections the
modules contribute (:mod:`miasto.territory.sections`: planning's plans and the link to the
*wypis i wyrys*), and a small map of the parcel among its neighbours (``parcel.js``).
A malformed identifier answers 400 with the expected format, an unknown one 404, both as a
page in Polish.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from miasto.territory import identifiers as ids
from miasto.territory.sections import sections_for
from miasto.territory.selectors import parcel_panel
from miasto.web.mapstyle import map_layers

#: Layers of the parcel's map (the city map's symbology), bottom to top.
PARCEL_MAP_LAYERS = ("districts", "water", "parcels", "buildings", "streets")


def _error(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "web/parcel_error.html",
        {"title": title, "message": message},
        status=status,
    )


def _sections(request: HttpRequest, identifier: str) -> SafeString:
    parts = [
        (render_to_string(section.template, data, request=request),)
        for section, data in sections_for(identifier)
    ]
    return format_html_join("\n", "{}", parts)


def _description(panel: dict[str, Any]) -> str:
    """One sentence for link previews (Open Graph) and the page's description."""
    text = _("Parcel no. %(number)s, precinct %(precinct)s, area %(area)s m²") % {
        "number": panel["number"],
        "precinct": " ".join(
            p for p in (panel["precinct"]["code"], panel["precinct"].get("name") or "") if p
        ),
        "area": number_format(panel["area"], decimal_pos=0, use_l10n=True, force_grouping=True),
    }
    if panel.get("district"):
        text += ", " + _("district %(name)s") % {"name": panel["district"]["name"]}
    return text + "."


def _map_config(panel: dict[str, Any]) -> dict[str, Any]:
    return {
        "identifier": panel["identifier"],
        "geometry": panel["geometry"],
        "bbox": panel["bbox"],
        "tiles": "/tiles/{name}/{z}/{x}/{y}.mvt",
        "layers": [layer for layer in map_layers() if layer["name"] in PARCEL_MAP_LAYERS],
    }


def city_map_link(panel: dict[str, Any]) -> str:
    """The city map opened on this parcel (its URL state: see docs/api.md)."""
    lon, lat = panel["centroid"]
    state = f"map=18/{float(lat):.6f}/{float(lon):.6f}&parcel={quote(panel['identifier'], '/')}"
    return reverse("web:map") + "#" + state


@require_safe
def parcel_page(request: HttpRequest, identifier: str) -> HttpResponse:
    identifier = identifier.strip()
    if not ids.is_parcel_identifier(identifier):
        return _error(
            request,
            _("Invalid parcel identifier"),
            _("„%(value)s” is not a parcel identifier. Expected format: %(format)s.")
            % {"value": identifier[:60], "format": ids.PARCEL_ID_FORMAT},
            400,
        )
    panel = parcel_panel(identifier)
    if panel is None:
        return _error(
            request,
            _("Parcel not found"),
            _("There is no parcel %(identifier)s in the register.") % {"identifier": identifier},
            404,
        )
    canonical = request.build_absolute_uri(reverse("web:parcel", args=[panel["identifier"]]))
    return render(
        request,
        "web/parcel.html",
        {
            "panel": panel,
            "description": _description(panel),
            "canonical": canonical,
            "sections": _sections(request, identifier),
            "parcel_map": _map_config(panel),
            "city_map_url": city_map_link(panel),
        },
    )
