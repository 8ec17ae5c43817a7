"""Geo helpers shared by every app: CRS parsing, coordinate validation, tile maths."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import pyproj
from django.conf import settings
from django.db import DataError, InternalError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from miasto.core.errors import InvalidParameter

CRS84_ALIASES = {
    "crs84",
    "ogc:crs84",
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
}


def parse_crs(value: str | None, default: int = 4326) -> int:
    """Return the EPSG code for ``EPSG:2180``, ``2180``, ``CRS84`` or an OGC URI; 400 otherwise."""
    if value is None or value.strip() == "":
        return default
    text = value.strip().lower()
    if text in CRS84_ALIASES:
        return 4326
    for prefix in ("epsg:", "http://www.opengis.net/def/crs/epsg/0/", "urn:ogc:def:crs:epsg::"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    # isdigit() alone lets "¹" through, which int() refuses
    if not (text.isascii() and text.isdigit()) or int(text) not in settings.MIASTO_API_CRS:
        allowed = ", ".join(f"EPSG:{c}" for c in sorted(settings.MIASTO_API_CRS))
        raise InvalidParameter(
            f"Nieobsługiwany układ współrzędnych „{value[:40]}”. Dozwolone: CRS84, {allowed}."
        )
    return int(text)


def parse_float(name: str, value: str | None) -> float:
    if value is None or value.strip() == "":
        raise InvalidParameter(f"Brak parametru „{name}”.")
    try:
        number = float(value)
    except ValueError:
        raise InvalidParameter(
            f"Parametr „{name}” musi być liczbą, otrzymano „{value[:40]}”."
        ) from None
    if not math.isfinite(number):
        raise InvalidParameter(f"Parametr „{name}” musi być liczbą skończoną.")
    return number


Bbox = tuple[float, float, float, float]


@lru_cache(maxsize=16)
def area_of_use(srid: int) -> Bbox:
    """The area of use of EPSG:``srid`` in CRS84 (west, south, east, north), from the EPSG
    database that PROJ carries (for EPSG:2180: Poland, onshore and offshore); the whole world
    for a CRS without one (e.g. EPSG:4326, EPSG:3857 cover everything)."""
    area = pyproj.CRS.from_epsg(srid).area_of_use
    if area is None:
        return (-180.0, -90.0, 180.0, 90.0)
    return (area.west, area.south, area.east, area.north)


def clip_to_area_of_use(bbox: Bbox, srid: int) -> Bbox | None:
    """A CRS84 bbox cut to the area of use of EPSG:``srid``, so that it can be transformed
    into that CRS: outside the area a projection's formulas give coordinates that mean
    nothing (the whole world transformed to EPSG:2180 is a sliver around Poland's centre).
    None when the bbox lies wholly outside the area."""
    west, south, east, north = area_of_use(srid)
    clipped = (max(bbox[0], west), max(bbox[1], south), min(bbox[2], east), min(bbox[3], north))
    if clipped[0] >= clipped[2] or clipped[1] >= clipped[3]:
        return None
    return clipped


def parse_point(params: dict[str, str]) -> tuple[float, float, int]:
    """Read ``lon``/``lat`` (CRS84) or ``x``/``y`` with ``crs``; return x, y, srid (x = easting)."""
    if "lon" in params or "lat" in params:
        lon = parse_float("lon", params.get("lon"))
        lat = parse_float("lat", params.get("lat"))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidParameter("Współrzędne poza zakresem: lon ∈ [-180, 180], lat ∈ [-90, 90].")
        return lon, lat, 4326
    if "x" in params or "y" in params:
        x = parse_float("x", params.get("x"))
        y = parse_float("y", params.get("y"))
        srid = parse_crs(params.get("crs"), default=settings.MIASTO_SRID)
        if srid == 4326 and not (-180 <= x <= 180 and -90 <= y <= 90):
            raise InvalidParameter("Współrzędne poza zakresem dla CRS84.")
        return x, y, srid
    raise InvalidParameter(
        "Podaj punkt: lon i lat (CRS84) albo x, y i crs (np. crs=EPSG:2180; x to wschodnia)."
    )


@contextmanager
def projectable() -> Iterator[None]:
    """Run a query that transforms coordinates from the request: a point outside the area
    its CRS can be projected from (``lon=174, lat=-2`` into EPSG:2180) makes PROJ fail in
    PostGIS (``transform: Invalid coordinate``) — a 400 naming the cause, not a 500. A
    savepoint keeps the request's transaction usable."""
    try:
        with transaction.atomic():
            yield
    except (InternalError, DataError) as exc:
        if "transform" not in str(exc) and "coordinate" not in str(exc):
            raise
        raise InvalidParameter(
            "Współrzędne leżą poza obszarem, dla którego układ współrzędnych można przeliczyć "
            "(sprawdź kolejność osi i układ)."
        ) from None


def validate_tile(z: int, x: int, y: int, max_zoom: int = 22) -> None:
    if not 0 <= z <= max_zoom:
        raise InvalidParameter(f"Poziom przybliżenia z musi być w zakresie 0–{max_zoom}.")
    n = 1 << z
    if not (0 <= x < n and 0 <= y < n):
        raise InvalidParameter(f"Kafel {z}/{x}/{y} jest poza siatką (x i y od 0 do {n - 1}).")


def valid_geom(model: str, field: str = "geom") -> models.CheckConstraint:
    """The CHECK (ST_IsValid) every geometry column carries, with a readable message."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isvalid": True}),
        name=f"{model}_{field}_valid",
        violation_error_message=_(
            "The geometry is not valid (e.g. a self-intersecting ring or a spike): "
            "correct its outline."
        ),
    )
