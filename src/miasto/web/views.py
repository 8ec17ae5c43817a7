"""Public pages: home (key figures) and the map. Thin: data comes from selectors and the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from miasto.core.entrances import entrances
from miasto.core.layers import TILE_URL
from miasto.territory.codes import code_lists
from miasto.territory.identifiers import PARCEL_ID_RE
from miasto.territory.selectors import city_summary
from miasto.web import site_pages
from miasto.web.mapstyle import map_layers
from miasto.web.models import SitePage

#: the longest search text accepted from a link (the search box's own maxlength)
SEARCH_MAX = 200


def _figures(summary: dict[str, Any]) -> list[tuple[str, int]]:
    counts = summary.get("counts") or {}
    rows = [
        (_("residents"), summary.get("population")),
        (_("districts"), counts.get("districts")),
        (_("precincts"), counts.get("precincts")),
        (_("parcels"), counts.get("parcels")),
        (_("buildings"), counts.get("buildings")),
        (_("addresses"), counts.get("addresses")),
        (_("streets"), counts.get("streets")),
        (_("public services"), counts.get("services")),
        (_("spatial constraints"), counts.get("constraints")),
    ]
    return [(label, value) for label, value in rows if value is not None]


def _ways_in() -> list[dict[str, Any]]:
    """The registered ways in (:mod:`miasto.core.entrances`) with their addresses; an entry
    whose page is not installed is left out."""
    rows = []
    for key, entry in entrances():
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        rows.append({"key": key, "title": entry.title, "text": entry.text, "url": url})
    return rows


def home(request: HttpRequest) -> HttpResponse:
    summary = city_summary()
    context = {
        "city": summary,
        "figures": _figures(summary) if summary else [],
        "ways_in": _ways_in(),
    }
    return render(request, "web/home.html", context)


def search_query(request: HttpRequest) -> str:
    """The ``q`` of a link to the map (the home page's search): text, at most SEARCH_MAX
    characters, control characters dropped; anything else is ignored, never an error."""
    raw = request.GET.get("q", "")
    text = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(text.split())[:SEARCH_MAX]


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    statement = site_pages.accessibility_statement()
    context = {
        "statement": statement,
        "site_url": statement.website_url or request.build_absolute_uri("/"),
        "inaccessible": site_pages.text_blocks(statement.inaccessible_content),
        "exemptions": site_pages.text_blocks(statement.exemptions),
        "shortcuts": site_pages.text_blocks(statement.keyboard_shortcuts),
        "procedure": site_pages.text_blocks(statement.procedure),
        "architecture": site_pages.text_blocks(statement.architecture),
        "mobile_apps": site_pages.text_blocks(statement.mobile_apps),
    }
    return render(request, "web/accessibility_statement.html", context)


def _site_page(request: HttpRequest, key: SitePage.Key) -> HttpResponse:
    page = site_pages.site_page(key)
    context = {"page": page, "blocks": site_pages.text_blocks(page.body)}
    return render(request, "web/site_page.html", context)


def contact(request: HttpRequest) -> HttpResponse:
    return _site_page(request, SitePage.Key.CONTACT)


def privacy(request: HttpRequest) -> HttpResponse:
    return _site_page(request, SitePage.Key.PRIVACY)


def map_page(request: HttpRequest) -> HttpResponse:
    layers = map_layers()
    config = {
        "api": {
            "city": "/api/v1/city",
            "layers": "/api/v1/layers",
            "search": "/api/v1/search",
            "parcels": "/api/v1/parcels",
            "features": "/api/v1/layers/{name}/features",
            "tiles": TILE_URL,
        },
        "layers": layers,
        # the spine's code lists: values in words, codes on hover (territory/codes.py)
        "codes": code_lists(),
        "pageSize": 50,
        # pages the map links to ({identifier}: a parcel's)
        "pages": {
            "planningReport": reverse("planning:report", args=["0"]).replace(
                "/0/", "/{identifier}/"
            ),
            "parcelPage": reverse("web:parcel", args=["0"]).replace("/0/", "/{identifier}/"),
        },
        # what a parcel identifier in the map's URL must look like (JavaScript's syntax)
        "parcelPattern": PARCEL_ID_RE.pattern.replace("(?P<", "(?<"),
    }
    i18n = {
        "loading": _("Loading…"),
        "noResults": _("Nothing found."),
        "resultsCount": _("%(count)s results. Use the up and down arrows to choose."),
        "searchError": _("Search is not available right now."),
        "panelError": _("Could not load the parcel."),
        "noParcelHere": _("There is no parcel here."),
        "outsideCity": _("This point lies outside the city."),
        "area": _("Area"),
        "areaUnit": _("m²"),
        "landUse": _("Land use class"),
        "precinct": _("Precinct (obręb)"),
        "district": _("District"),
        "addresses": _("Addresses"),
        "buildings": _("Buildings"),
        "constraints": _("Constraints"),
        "none": _("none"),
        "storeys": _("storeys"),
        "dwellings": _("dwellings"),
        "residents": _("residents"),
        "built": _("built"),
        "height": _("height"),
        "parcel": _("Parcel"),
        "parcelPage": _("Page of this parcel (to share or bookmark)"),
        "type_address": _("address"),
        "type_parcel": _("parcel"),
        "type_street": _("street"),
        "tableSummary": _("%(from)s–%(to)s of %(count)s in the current map view"),
        "tableEmpty": _("Nothing of this layer in the current map view. Zoom out or move the map."),
        "tableError": _("Could not load the table."),
        "tableCaption": _("%(layer)s in the current map view"),
        "showOnMap": _("Show on map"),
        "showOnMapLabel": _("Show %(name)s on the map"),
        "actions": _("Actions"),
        "zoomInFor": _("visible from zoom %(zoom)s; zoom in"),
        "columns": {
            "identifier": _("Identifier"),
            "area": _("Area (m²)"),
            "land_use": _("Land use class"),
            "use": _("Use"),
            "storeys": _("Storeys"),
            "height": _("Height (m)"),
            "dwellings": _("Dwellings"),
            "year_built": _("Year built"),
            "name": _("Name"),
            "code": _("Code"),
            "kind": _("Kind"),
            "character": _("Character"),
            "road_class": _("Road class"),
            "ulic": _("TERYT ULIC code"),
            "id": _("No."),
            "capacity": _("Capacity"),
            "residents": _("Residents"),
        },
        "codeTitle": _("code: %(code)s"),
        "soilClass": _("%(use)s, soil class %(soil)s"),
        "mapReady": _("Map ready."),
        "mapError": _("The map could not be loaded."),
        "noCity": _("No city data yet. Run make demo to create the demo city."),
    }
    return render(
        request,
        "web/map.html",
        {
            "layers": layers,
            "map_config": config,
            "map_i18n": i18n,
            "initial_query": search_query(request),
        },
    )
