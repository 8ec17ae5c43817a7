"""The photo of an inspection, treated as hostile: only a real JPEG, PNG or WebP image within
the size and pixel limits is taken, and it is stored re-encoded as JPEG without any metadata.

Re-encoding drops every EXIF field (the phone's GPS position, its make and serial, the time),
so the stored file can be shown or published as it is; the position the camera recorded is
read first and kept apart (:attr:`Inspection.photo_position`) for the case file. Each problem
raises :class:`~miasto.core.uploads.UnsafeFile` with a Polish sentence.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from miasto.core.uploads import UnsafeFile

FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
#: the longest side of the stored photo (px): enough to read a sign, small on a phone's uplink
MAX_SIDE = 2560
#: a photo of more pixels is refused before it is decoded (a "decompression bomb")
MAX_PIXELS = 50_000_000
GPS_IFD = 0x8825


def max_photo_bytes() -> int:
    return int(getattr(settings, "MIASTO_INSPECTION_PHOTO_MAX_MB", 15)) * 1024 * 1024


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile[bytes]
    #: where the camera said it was taken (EPSG:2180), None when it did not say
    position: Point | None


def photo_clean(upload: Any) -> CleanPhoto:
    """The photo ``upload`` (a Django uploaded file) re-encoded without metadata."""
    size = getattr(upload, "size", None) or 0
    if size > max_photo_bytes():
        raise UnsafeFile(
            f"Zdjęcie jest za duże ({size // (1024 * 1024)} MB); "
            f"największe przyjmowane ma {max_photo_bytes() // (1024 * 1024)} MB."
        )
    if size == 0:
        raise UnsafeFile("Plik zdjęcia jest pusty.")
    data = upload.read(max_photo_bytes() + 1)
    image = _open(data)
    position = _exif_position(image)
    return CleanPhoto(ContentFile(_reencode(image), name="photo.jpg"), position)


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            _check_probe(probe)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except UnsafeFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsafeFile(TOO_MANY_PIXELS) from None
    except UnidentifiedImageError:
        raise UnsafeFile("Plik nie jest zdjęciem (JPEG, PNG albo WebP).") from None
    except Exception:  # a truncated or malformed image: Pillow raises many kinds
        raise UnsafeFile("Plik zdjęcia jest uszkodzony i nie da się go odczytać.") from None
    return image


TOO_MANY_PIXELS = "Zdjęcie ma za dużo pikseli (najwyżej 50 milionów)."


def _check_probe(probe: Image.Image) -> None:
    if probe.format not in FORMATS:
        raise UnsafeFile("Zdjęcie musi być plikiem JPEG, PNG albo WebP.")
    if probe.width * probe.height > MAX_PIXELS:
        raise UnsafeFile(TOO_MANY_PIXELS)


def _reencode(image: Image.Image) -> bytes:
    upright = ImageOps.exif_transpose(image) or image
    upright = upright.convert("RGB")
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=85, optimize=True)  # no exif=: none is written
    return out.getvalue()


def _degrees(values: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    sign = -1.0 if str(ref).upper() in ("S", "W") else 1.0
    return sign * (d + m / 60 + s / 3600)


def _exif_position(image: Image.Image) -> Point | None:
    """The EXIF GPS position of ``image`` in EPSG:2180, or None (missing or nonsense)."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # a broken EXIF block is no reason to refuse the photo
        return None
    lat = _degrees(gps.get(2), gps.get(1))
    lon = _degrees(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    point = Point(lon, lat, srid=4326)
    point.transform(settings.MIASTO_SRID)
    return point
