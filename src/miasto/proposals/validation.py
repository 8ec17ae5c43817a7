"""Hostile input made safe: a drawn geometry (GeoJSON from the map), a place typed instead of
drawn (the keyboard way: an address or a parcel found by the spine's search) and a photo.

Each problem raises :class:`ProposalError` with a sentence a person understands.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.utils.translation import gettext as _

from miasto.core.db import fetch_value
from miasto.core.photos import PhotoPolicy, PhotoRefused, photo_accept
from miasto.territory.models import Parcel
from miasto.territory.search import search

SRID = settings.MIASTO_SRID
GEOMETRY_TYPES = ("Point", "LineString", "Polygon")
#: longest GeoJSON text accepted from the map, and most vertices
MAX_GEOJSON_CHARS = 100_000
MAX_VERTICES = 2_000
#: photos: accepted formats, largest side kept, pixels accepted before decoding
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_MAX_SIDE = 1600
PHOTO_MAX_PIXELS = 40_000_000


class ProposalError(ValueError):
    """A request that cannot be taken; ``str()`` says why, in the user's language."""


def photo_max_bytes() -> int:
    return int(getattr(settings, "MIASTO_PROPOSALS_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def geometry_from_geojson(text: str) -> GEOSGeometry:
    """A GeoJSON geometry in WGS 84 (as the map draws it) → a valid geometry in EPSG:2180
    inside the city."""
    text = (text or "").strip()
    if not text:
        raise ProposalError(_("Mark the place on the map or find an address or a parcel."))
    if len(text) > MAX_GEOJSON_CHARS:
        raise ProposalError(_("The drawn shape is too detailed; draw it with fewer points."))
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("type") not in GEOMETRY_TYPES:
            raise ValueError
        geom = GEOSGeometry(json.dumps(data))
    except (ValueError, TypeError, GEOSException, GDALException):
        raise ProposalError(
            _("The place must be one point, one line or one area drawn on the map.")
        ) from None
    geom.srid = 4326
    return geometry_checked(geom)


def geometry_checked(geom: GEOSGeometry) -> GEOSGeometry:
    """``geom`` (any SRID) in EPSG:2180 if it is valid, small enough and inside the city."""
    if geom.geom_type not in GEOMETRY_TYPES or geom.empty:
        raise ProposalError(
            _("The place must be one point, one line or one area drawn on the map.")
        )
    if geom.num_coords > MAX_VERTICES:
        raise ProposalError(_("The drawn shape is too detailed; draw it with fewer points."))
    try:
        geom = geom.transform(SRID, clone=True) if geom.srid != SRID else geom
    except (GEOSException, GDALException):
        raise ProposalError(_("The place lies outside the city.")) from None
    if not geom.valid:
        raise ProposalError(
            _("The drawn area crosses itself; draw its outline again without crossings.")
        )
    if geom.geom_type == "LineString" and geom.length < 1:
        raise ProposalError(_("The drawn line is too short."))
    if geom.geom_type == "Polygon" and geom.area < 1:
        raise ProposalError(_("The drawn area is too small."))
    inside = fetch_value(
        "SELECT bool_or(ST_CoveredBy(%s::geometry, geom)) FROM territory_city", [geom.ewkb]
    )
    if not inside:
        raise ProposalError(_("The place lies outside the city: mark a place inside it."))
    return geom


def geometry_from_place(query: str) -> tuple[GEOSGeometry, str]:
    """The keyboard way: the first address, parcel or street the spine's search finds for
    ``query`` → its geometry (a parcel's area, otherwise its point) and its label."""
    found = search(query[:200], limit=1)
    results = found.get("results") or []
    if not results:
        raise ProposalError(
            found.get("message")
            or _("No address or parcel “%(query)s” was found; check the spelling.")
            % {"query": query[:80]}
        )
    first: dict[str, Any] = results[0]
    if first.get("type") == "parcel" and first.get("parcel"):
        parcel = Parcel.objects.filter(identifier=first["parcel"]).only("geom").first()
        if parcel is not None:
            area = parcel.geom if parcel.geom.geom_type == "Polygon" else parcel.geom[0]
            return geometry_checked(area.clone()), str(first.get("label") or first["parcel"])
    lon, lat = first["point"]
    return geometry_checked(Point(lon, lat, srid=4326)), str(first.get("label", ""))


def photo_clean(upload: Any) -> bytes:
    """The uploaded photo re-encoded as a JPEG with no metadata (EXIF with the place it was
    taken, the camera, the author are dropped) and no larger than :data:`PHOTO_MAX_SIDE`."""
    policy = PhotoPolicy(
        max_bytes=photo_max_bytes(), max_pixels=PHOTO_MAX_PIXELS,
        formats=frozenset(PHOTO_FORMATS), store_as={}, max_side=PHOTO_MAX_SIDE,
    )  # fmt: skip
    try:
        return photo_accept(upload, policy).content
    except PhotoRefused as exc:
        unreadable = _("The file is not a readable JPEG, PNG or WebP image.")
        raise ProposalError(exc.say({
            "too_large": _("The photo is too large: at most %(mb)s MB."),
            "format": _("The photo must be a JPEG, PNG or WebP image."),
            "too_many_pixels": _("The photo has too many pixels."),
            "not_image": unreadable, "broken": unreadable, "empty": unreadable,
        })) from None  # fmt: skip
