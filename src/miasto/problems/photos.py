"""Photos attached to reports: checked, and stored without their metadata.

A phone's photo carries EXIF metadata — the place it was taken (GPS), the time, the device,
sometimes the owner's name. A report's photo is public, so nothing of that may reach the
published file: the photo is decoded by Pillow and written anew from its pixels only (turned
upright first, by its EXIF orientation), as JPEG or PNG. Whatever else the file held — EXIF,
XMP, IPTC, comments, trailing data — is gone. A file Pillow cannot decode, of another type, too
large or with too many pixels (a decompression bomb) is refused with a Polish sentence.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: what people may send (Pillow's format names) and how each is stored
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


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """The photo's pixels, re-encoded without any metadata (see the module)."""
    if upload.size is None or upload.size > max_bytes():
        raise PhotoError(
            _("The photo is too large: at most %(mb)d MB.") % {"mb": max_bytes() // 2**20}
        )
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise PhotoError(
            _("The photo is too large: at most %(mb)d MB.") % {"mb": max_bytes() // 2**20}
        )
    return strip_metadata(data)


def strip_metadata(data: bytes) -> CleanPhoto:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            if kind not in FORMATS:
                raise PhotoError(_("Send a photo as JPEG, PNG or WebP."))
            if width * height > MAX_PIXELS:
                raise PhotoError(_("The photo has too many pixels."))
            probe.load()
            image = ImageOps.exif_transpose(probe)
            return _encode(image, kind)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise PhotoError(
            _("The file is not a photo that can be read (JPEG, PNG or WebP).")
        ) from None


def _encode(image: Image.Image, kind: str) -> CleanPhoto:
    target, extension = FORMATS[kind]
    side = int(settings.MIASTO_PROBLEMS_PHOTO_MAX_SIDE)
    if max(image.size) > side:
        image.thumbnail((side, side))
    # a new image from the pixels alone: no info dict, no EXIF, no ICC profile carried over
    mode = "RGB" if target == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if target == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return CleanPhoto(out.getvalue(), extension)
