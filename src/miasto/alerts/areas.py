"""The area of a subscription, from what a person gave: an address and a radius, a district,
or an outline drawn on the map (GeoJSON in WGS 84). Everything is checked here, with a Polish
message a person can act on (:class:`AreaError`): the outline must parse, be a valid polygon
with a bounded number of vertices and a bounded area, and lie inside the city.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point
from django.utils.translation import gettext as _

from miasto.core.db import fetch_one
from miasto.core.errors import InvalidParameter
from miasto.territory.models import Address, City, District
from miasto.territory.search import search

#: points of the circle around an address (per quarter: 8 gives a 32-gon, within 0.5 % of the
#: circle's area)
CIRCLE_SEGMENTS = 8


class AreaError(ValueError):
    """An area that cannot be followed; the message says why (Polish)."""


@dataclass(frozen=True)
class Area:
    kind: str
    geom: MultiPolygon
    address: Address | None = None
    radius_m: int | None = None
    district: District | None = None

    @property
    def label(self) -> str:
        if self.address is not None:
            return _("%(radius)d m around %(address)s") % {
                "radius": self.radius_m or 0,
                "address": self.address.label,
            }
        if self.district is not None:
            return self.district.name
        return _("drawn area")


def as_multi(geom: GEOSGeometry) -> MultiPolygon:
    if geom.geom_type == "Polygon":
        return MultiPolygon(geom, srid=geom.srid)
    assert isinstance(geom, MultiPolygon)
    return geom


def check_size(geom: MultiPolygon) -> None:
    """The area's size limits (settings ``MIASTO_ALERTS_MAX_AREA_KM2``)."""
    km2 = geom.area / 1e6
    if km2 > settings.MIASTO_ALERTS_MAX_AREA_KM2:
        raise AreaError(
            _("The area is too large (%(km2).1f km²); the limit is %(max)s km².")
            % {"km2": km2, "max": settings.MIASTO_ALERTS_MAX_AREA_KM2}
        )
    if geom.area < settings.MIASTO_ALERTS_MIN_AREA_M2:
        raise AreaError(_("The area is too small: draw at least a few metres across."))


def check_in_city(geom: MultiPolygon) -> None:
    if not City.objects.filter(geom__covers=geom).exists():
        raise AreaError(_("The area goes beyond the city's boundary: draw it inside the city."))


def _finite(value: Any) -> bool:
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _parse_drawn(text: str) -> GEOSGeometry:
    if len(text.encode()) > settings.MIASTO_ALERTS_MAX_GEOJSON_BYTES:
        raise AreaError(_("The outline is too long: draw a simpler area."))
    try:
        data = json.loads(text)
    except ValueError:
        raise AreaError(_("The outline could not be read: draw the area again.")) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise AreaError(_("Draw an area (a polygon), not a point or a line."))
    if not _finite(data.get("coordinates")):
        raise AreaError(_("The outline could not be read: draw the area again."))
    try:
        geom = GEOSGeometry(json.dumps(data), srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError):
        raise AreaError(_("The outline could not be read: draw the area again.")) from None
    if geom.num_coords > settings.MIASTO_ALERTS_MAX_VERTICES:
        raise AreaError(
            _("The outline has too many points (%(n)d); at most %(max)d.")
            % {"n": geom.num_coords, "max": settings.MIASTO_ALERTS_MAX_VERTICES}
        )
    return geom


def drawn_area(text: str) -> Area:
    """An outline drawn on the map: GeoJSON (a Polygon or MultiPolygon, or a Feature of one)
    in WGS 84 longitude/latitude."""
    geom = _parse_drawn(text)
    if geom.empty or not geom.valid:
        raise AreaError(
            _(
                "The outline crosses itself or is not closed: draw the area again without "
                "crossing its edges."
            )
        )
    lon_min, lat_min, lon_max, lat_max = geom.extent
    if not (-180 <= lon_min <= lon_max <= 180 and -90 <= lat_min <= lat_max <= 90):
        raise AreaError(_("The outline is not in longitude and latitude (WGS 84)."))
    try:
        local = geom.transform(settings.MIASTO_SRID, clone=True)
    except (GEOSException, GDALException):
        raise AreaError(
            _("The area goes beyond the city's boundary: draw it inside the city.")
        ) from None
    if local is None or not local.valid:
        raise AreaError(_("The outline could not be read: draw the area again."))
    multi = as_multi(local)
    check_in_city(multi)
    check_size(multi)
    return Area("area", multi)


def find_address(text: str) -> Address:
    """The address a person typed (``Długa 12``, ``ul. Długa 12``): the spine's search, its
    best address; an error when it finds none."""
    text = (text or "").strip()
    if not text:
        raise AreaError(_("Type an address, e.g. “Długa 12”."))
    if len(text) > 200:
        raise AreaError(_("The address is too long."))
    try:
        results = search(text, limit=5)["results"]
    except InvalidParameter:
        raise AreaError(_("The address is too long.")) from None
    found = [r for r in results if r["type"] == "address"]
    if not found:
        raise AreaError(
            _("No address “%(text)s” was found in the city: check the street and the number.")
            % {"text": text}
        )
    best = found[0]
    lon, lat = best["point"]
    # the nearest of that label: labels repeat only for addresses without a street
    here = Point(float(lon), float(lat), srid=4326)
    address = (
        Address.objects.filter(label=best["label"])
        .annotate(d=Distance("geom", here))
        .order_by("d")
        .first()
    )
    if address is None:
        raise AreaError(_("No address “%(text)s” was found in the city.") % {"text": text})
    return address


def address_area(address: Address, radius_m: int) -> Area:
    low, high = settings.MIASTO_ALERTS_RADIUS_M
    if not low <= radius_m <= high:
        raise AreaError(
            _("The radius must be between %(low)d and %(high)d metres.")
            % {"low": low, "high": high}
        )
    row = fetch_one(
        "SELECT ST_Multi(ST_Buffer(geom, %s, %s)) FROM territory_address WHERE id = %s",
        [radius_m, CIRCLE_SEGMENTS, address.pk],
    )
    assert row is not None
    geom = GEOSGeometry(row[0], srid=settings.MIASTO_SRID)
    return Area("address", as_multi(geom), address=address, radius_m=radius_m)


def district_area(district: District) -> Area:
    # (a district is bounded by the city: no size limit)
    geom = as_multi(district.geom.clone())
    return Area("district", geom, district=district)
