"""Public pages: home (key figures) and the map. Thin: data comes from selectors and the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from miasto.core.layers import TILE_URL
from miasto.territory.selectors import city_summary
from miasto.web.mapstyle import map_layers


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


def home(request: HttpRequest) -> HttpResponse:
    summary = city_summary()
    context = {
        "city": summary,
        "figures": _figures(summary) if summary else [],
    }
    return render(request, "web/home.html", context)


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
        "pageSize": 50,
        # pages the map links to ({identifier}: a parcel's)
        "pages": {
            "planningReport": reverse("planning:report", args=["0"]).replace(
                "/0/", "/{identifier}/"
            ),
        },
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
        "mapReady": _("Map ready."),
        "mapError": _("The map could not be loaded."),
        "noCity": _("No city data yet. Run make demo to create the demo city."),
    }
    return render(
        request,
        "web/map.html",
        {"layers": layers, "map_config": config, "map_i18n": i18n},
    )
