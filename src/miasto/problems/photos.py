"""Photos attached to reports: checked, and stored without their metadata.

A phone's photo carries EXIF metadata — the place it was taken (GPS), the time, the device,
sometimes the owner's name. A report's photo is public, so nothing of that may reach the
published file: the photo is decoded by Pillow and written anew from its pixels only (turned
upright first, by its EXIF orientation), as JPEG or PNG. Whatever else the file held — EXIF,
XMP, IPTC, comments, trailing data — is gone. A file Pillow cannot decode, of another type, too
large or with too many pixels (a decompression bomb) is refused with a Polish sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from miasto.core.photos import PhotoPolicy, PhotoRefused, photo_accept, photo_clean

#: what people may send (Pillow's format names) and how each is stored (WebP as JPEG)
FORMATS = {"JPEG": ("JPEG", ".jpg"), "PNG": ("PNG", ".png"), "WEBP": ("JPEG", ".jpg")}
#: pixels allowed before decoding (a 20-megapixel phone photo is ~20 M)
MAX_PIXELS = 40_000_000


class PhotoError(ValueError):
    """A photo that is refused; ``str()`` says why, in the user's language."""


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    extension: str


def max_bytes() -> int:
    return int(settings.MIASTO_PROBLEMS_PHOTO_MAX_BYTES)


def _policy() -> PhotoPolicy:
    return PhotoPolicy(
        max_bytes=max_bytes(), max_pixels=MAX_PIXELS, formats=frozenset(FORMATS),
        store_as={k: v[0] for k, v in FORMATS.items()},
        max_side=int(settings.MIASTO_PROBLEMS_PHOTO_MAX_SIDE),
    )  # fmt: skip


def _refused(exc: PhotoRefused) -> PhotoError:
    unreadable = _("The file is not a photo that can be read (JPEG, PNG or WebP).")
    return PhotoError(exc.say({
        "too_large": _("The photo is too large: at most %(mb)d MB."),
        "format": _("Send a photo as JPEG, PNG or WebP."),
        "too_many_pixels": _("The photo has too many pixels."),
        "not_image": unreadable, "broken": unreadable, "empty": unreadable,
    }))  # fmt: skip


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """The photo's pixels, re-encoded without any metadata (see the module)."""
    try:
        photo = photo_accept(upload, _policy())
    except PhotoRefused as exc:
        raise _refused(exc) from None
    return CleanPhoto(photo.content, photo.extension)


def strip_metadata(data: bytes) -> CleanPhoto:
    try:
        photo = photo_clean(data, _policy())
    except PhotoRefused as exc:
        raise _refused(exc) from None
    return CleanPhoto(photo.content, photo.extension)
