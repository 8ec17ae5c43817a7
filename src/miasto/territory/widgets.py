"""The admin's map widget for spine (and module) geometries: core's offline widget, starting
from the city when the field is empty."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import PointOnSurface, Transform

from miasto.core.widgets import OfflineMapWidget
from miasto.territory.models import City


def city_centre() -> tuple[float, float] | None:
    """(lon, lat) of a point inside the city, or None without a city."""
    row = (
        City.objects.order_by("id")
        .annotate(centre=Transform(PointOnSurface("geom"), 4326))
        .values_list("centre", flat=True)
        .first()
    )
    return (row.x, row.y) if row is not None else None


class CityMapWidget(OfflineMapWidget):
    def default_centre(self) -> tuple[float, float] | None:
        return city_centre()
