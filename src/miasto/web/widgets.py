"""An OpenLayers map widget for the admin that works offline.

Django's ``OpenLayersWidget`` loads OpenLayers from a CDN and uses online base tiles (NASA, or
OpenStreetMap in ``OSMWidget``). City intranets and tests have no internet, so this widget
loads the ``ol`` build bundled at setup (``web/dist/ol.js``) and draws the city's own vector
tiles (districts, streets, parcels, buildings) on a plain background instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models.functions import PointOnSurface, Transform
from django.contrib.gis.forms import OpenLayersWidget


def city_centre() -> tuple[float, float] | None:
    """(lon, lat) of a point inside the city, or None without a city."""
    from miasto.territory.models import City

    row = (
        City.objects.order_by("id")
        .annotate(centre=Transform(PointOnSurface("geom"), 4326))
        .values_list("centre", flat=True)
        .first()
    )
    return (row.x, row.y) if row is not None else None


class OfflineMapWidget(OpenLayersWidget):
    template_name = "web/admin/openlayers.html"
    default_zoom = 13

    class Media:
        extend = False  # drop the parent's CDN links
        css = {"all": ("web/dist/ol.css", "gis/css/ol3.css", "web/admin/map-widget.css")}
        js = ("web/dist/ol.js", "gis/js/OLMapWidget.js", "web/admin/map-widget.js")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        centre = city_centre() if not value else None
        lon, lat = centre or (19.4, 52.1)  # Poland's centre when there is no city yet
        # read by web/admin/map-widget.js (an inline script would break the CSP)
        context["map_options"] = {
            "geom_name": context["geom_type"],
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "map_srid": self.map_srid,
            "name": context["name"],
            "module": context["module"],
            "default_lon": lon,
            "default_lat": lat,
            "default_zoom": self.default_zoom if centre else 6,
        }
        context["map_options_id"] = f"{context['id']}_map_options"
        return context
