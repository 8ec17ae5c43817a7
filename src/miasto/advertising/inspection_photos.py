"""The photo of an inspection, treated as hostile: only a real JPEG, PNG or WebP image within
the size and pixel limits is taken, and it is stored re-encoded as JPEG without any metadata.

Re-encoding drops every EXIF field (the phone's GPS position, its make and serial, the time),
so the stored file can be shown or published as it is; the position the camera recorded is
read first and kept apart (:attr:`Inspection.photo_position`) for the case file. Each problem
raises :class:`~miasto.core.uploads.UnsafeFile` with a Polish sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile

from miasto.core.photos import PhotoPolicy, PhotoRefused, photo_accept
from miasto.core.uploads import UnsafeFile

FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
#: the longest side of the stored photo (px): enough to read a sign, small on a phone's uplink
MAX_SIDE = 2560
#: a photo of more pixels is refused before it is decoded (a "decompression bomb")
MAX_PIXELS = 50_000_000
TOO_MANY_PIXELS = "Zdjęcie ma za dużo pikseli (najwyżej 50 milionów)."
#: the refusals in the inspection form's words
MESSAGES = {
    "too_large": "Zdjęcie jest za duże; największe przyjmowane ma %(mb)d MB.",
    "empty": "Plik zdjęcia jest pusty.",
    "format": "Zdjęcie musi być plikiem JPEG, PNG albo WebP.",
    "too_many_pixels": TOO_MANY_PIXELS,
    "not_image": "Plik nie jest zdjęciem (JPEG, PNG albo WebP).",
    "broken": "Plik zdjęcia jest uszkodzony i nie da się go odczytać.",
}


def max_photo_bytes() -> int:
    return int(getattr(settings, "MIASTO_INSPECTION_PHOTO_MAX_MB", 15)) * 1024 * 1024


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile[bytes]
    #: where the camera said it was taken (EPSG:2180), None when it did not say
    position: Point | None


def photo_clean(upload: Any) -> CleanPhoto:
    """The photo ``upload`` (a Django uploaded file) re-encoded as JPEG without metadata."""
    policy = PhotoPolicy(max_bytes=max_photo_bytes(), max_pixels=MAX_PIXELS, formats=FORMATS,
                         store_as={}, max_side=MAX_SIDE)  # fmt: skip
    try:
        photo = photo_accept(upload, policy)
    except PhotoRefused as exc:
        raise UnsafeFile(exc.say(MESSAGES)) from None
    return CleanPhoto(ContentFile(photo.content, name="photo.jpg"), _exif_position(photo.gps))


def _degrees(values: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    sign = -1.0 if str(ref).upper() in ("S", "W") else 1.0
    return sign * (d + m / 60 + s / 3600)


def _exif_position(gps: dict[int, Any]) -> Point | None:
    """The position in an EXIF GPS block in EPSG:2180, or None (missing or nonsense)."""
    lat = _degrees(gps.get(2), gps.get(1))
    lon = _degrees(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    point = Point(lon, lat, srid=4326)
    point.transform(settings.MIASTO_SRID)
    return point
