"""An OpenLayers map widget for the admin that works offline.

Django's ``OpenLayersWidget`` loads OpenLayers from a CDN and uses online base tiles (NASA, or
OpenStreetMap in ``OSMWidget``). City intranets and tests have no internet, so this widget
loads the ``ol`` build bundled at setup (``web/dist/ol.js``) and draws the city's own vector
tiles (districts, streets, parcels, buildings) on a plain background instead.

``core`` knows no domain, so this widget starts, without a value, from Poland's centre; the
spine's :class:`miasto.territory.widgets.CityMapWidget` starts from the city instead. The
template and script are core's (``core/admin/``); ``ol.js`` is the front-end build of ``web``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.forms import OpenLayersWidget
from django.urls import reverse

#: (lon, lat) of Poland's centre: where an empty map starts without a better centre
POLAND_CENTRE = (19.4, 52.1)


class OfflineMapWidget(OpenLayersWidget):
    template_name = "core/admin/openlayers.html"
    default_zoom = 13

    class Media:
        extend = False  # drop the parent's CDN links
        css = {"all": ("web/dist/ol.css", "gis/css/ol3.css", "core/admin/map-widget.css")}
        js = ("web/dist/ol.js", "gis/js/OLMapWidget.js", "core/admin/map-widget.js")

    def default_centre(self) -> tuple[float, float] | None:
        """(lon, lat) where an empty map starts; None: Poland's centre, zoomed out."""
        return None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        centre = self.default_centre() if not value else None
        lon, lat = centre or POLAND_CENTRE
        # read by core/admin/map-widget.js (an inline script would break the CSP)
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
            # the background's vector tiles (the spine's tile route, by name), {name}/{z}/{x}/{y}
            "tiles": reverse("tile", args=["streets", 0, 0, 0]).replace(
                "/streets/0/0/0.mvt", "/{name}/{z}/{x}/{y}.mvt"
            ),
        }
        context["map_options_id"] = f"{context['id']}_map_options"
        return context
