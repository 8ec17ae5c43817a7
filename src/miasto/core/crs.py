"""Coordinate reference systems of the OGC API (Features Part 2): their URIs, PostGIS SRIDs,
axis order and the precision coordinates are written with.

PostGIS keeps x = easting (longitude) whatever the CRS; the OGC API writes coordinates in the
CRS's own axis order: CRS84 is longitude, latitude, but EPSG:4326 is latitude, longitude and
the Polish EPSG:2180 and 2176–2179 are northing, easting (as Polish surveyors write x and y).
Those are ``flip``: their coordinates are swapped on the way in and out.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pyproj

from miasto.core.errors import InvalidParameter

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_PREFIX = "http://www.opengis.net/def/crs/EPSG/0/"
STORAGE_SRID = 2180


@dataclass(frozen=True)
class Crs:
    uri: str
    srid: int
    #: axis order northing/latitude first (swapped against PostGIS's x/y)
    flip: bool
    #: decimals written (≈ 1 cm): degrees 7, metres 2
    decimals: int

    @property
    def header(self) -> str:
        """The ``Content-Crs`` header's value."""
        return f"<{self.uri}>"


def _epsg(code: int, flip: bool, decimals: int = 2) -> Crs:
    return Crs(f"{EPSG_PREFIX}{code}", code, flip, decimals)


#: every CRS the API offers, CRS84 (the default) first
SUPPORTED: tuple[Crs, ...] = (
    Crs(CRS84, 4326, False, 7),
    _epsg(4326, True, 7),
    _epsg(2180, True),
    _epsg(2176, True),
    _epsg(2177, True),
    _epsg(2178, True),
    _epsg(2179, True),
    _epsg(3857, False),
)
BY_URI = {crs.uri: crs for crs in SUPPORTED}
DEFAULT = SUPPORTED[0]
STORAGE = BY_URI[f"{EPSG_PREFIX}{STORAGE_SRID}"]

_SHORT = {"crs84": CRS84, "ogc:crs84": CRS84, "urn:ogc:def:crs:ogc:1.3:crs84": CRS84}


def parse(value: str | None, name: str = "crs") -> Crs:
    """The CRS named by a URI (``http://www.opengis.net/def/crs/EPSG/0/2180``), a safe CURIE
    (``[EPSG:2180]``), ``EPSG:2180`` or ``CRS84``; CRS84 when empty; 400 otherwise."""
    if value is None or not value.strip():
        return DEFAULT
    text = value.strip().strip("[]").strip()
    found = BY_URI.get(text) or BY_URI.get(_SHORT.get(text.lower(), ""))
    if found is None and text.upper().startswith(("EPSG:", "URN:OGC:DEF:CRS:EPSG::")):
        found = BY_URI.get(EPSG_PREFIX + text.rsplit(":", 1)[1])
    if found is None:
        allowed = ", ".join(crs.uri for crs in SUPPORTED)
        raise InvalidParameter(
            f"Parametr „{name}”: nieobsługiwany układ współrzędnych „{value[:80]}”. "
            f"Dozwolone: {allowed}."
        )
    return found


#: how far inside the bbox the inscribed rectangle keeps (metres): more than the rounding of
#: bounding boxes to 32-bit floats in PostGIS (a few centimetres at EPSG:2180's coordinates)
#: and than a difference between PROJ's transformations here and in the database
INNER_MARGIN = 2.0


@functools.lru_cache(maxsize=16)
def _to_storage(srid: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(srid, STORAGE_SRID, always_xy=True)


def inner_box(
    bbox: tuple[float, float, float, float], srid: int, segments: int
) -> tuple[float, float, float, float] | None:
    """An axis-parallel rectangle in EPSG:2180 inside ``bbox`` (west, south, east, north in
    ``srid``, PostGIS axis order) as the database transforms it — its edges cut in
    ``segments`` pieces, each vertex transformed —, or None when there is none.

    The transformed edges are near-straight lines, slightly turned (meridian convergence: a few
    degrees in Poland): the rectangle is bounded by the innermost vertex of each edge, so every
    edge, running between its vertices, stays outside it.
    """
    west, south, east, north = bbox
    steps = [i / segments for i in range(segments + 1)]
    ys = [south + (north - south) * t for t in steps]
    xs = [west + (east - west) * t for t in steps]
    n = len(steps)
    try:
        transform = _to_storage(srid).transform
        left, _ = transform([west] * n, ys)
        right, _ = transform([east] * n, ys)
        _, bottom = transform(xs, [south] * n)
        _, top = transform(xs, [north] * n)
    except pyproj.exceptions.ProjError:
        return None
    box = (
        max(left) + INNER_MARGIN,
        max(bottom) + INNER_MARGIN,
        min(right) - INNER_MARGIN,
        min(top) - INNER_MARGIN,
    )
    if not all(math.isfinite(v) for v in box) or box[0] >= box[2] or box[1] >= box[3]:
        return None
    return box
