"""Coordinate reference systems of the OGC API (Features Part 2): their URIs, PostGIS SRIDs,
axis order and the precision coordinates are written with.

PostGIS keeps x = easting (longitude) whatever the CRS; the OGC API writes coordinates in the
CRS's own axis order: CRS84 is longitude, latitude, but EPSG:4326 is latitude, longitude and
the Polish EPSG:2180 and 2176–2179 are northing, easting (as Polish surveyors write x and y).
Those are ``flip``: their coordinates are swapped on the way in and out.
"""

from __future__ import annotations

from dataclasses import dataclass

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
