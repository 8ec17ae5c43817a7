"""Accepting an uploaded photo: treated as hostile, stored from its pixels alone.

A phone's photo carries EXIF metadata — the place it was taken (GPS), the time, the device
and its serial number, sometimes the owner's name — and an upload may be no image at all, or
a small file that decodes to gigabytes (a "decompression bomb"). :func:`photo_accept` reads
at most the allowed bytes, lets Pillow decode the file (never trusting its name or declared
type), refuses other formats and too many pixels before decoding them, turns the image
upright by its EXIF orientation and writes it anew from its pixels: EXIF, XMP, IPTC, ICC
profiles, comments and trailing data are all gone. The GPS block of the original is read
first and handed back apart (:attr:`CleanPhoto.gps`), for a caller that keeps the position
in its own, non-public record.

Each refusal is a :class:`PhotoRefused` with a ``reason`` (one of :data:`REASONS`) and a
sentence; callers may say it in their own words (:meth:`PhotoRefused.say`).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

GPS_IFD = 0x8825
#: Pillow's format name → (content type, file extension)
KINDS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"),
         "WEBP": ("image/webp", ".webp")}  # fmt: skip
REASONS = ("too_large", "empty", "format", "too_many_pixels", "not_image", "broken")


class PhotoRefused(ValueError):
    """A photo that is refused: ``reason`` says why (:data:`REASONS`), ``str()`` in words."""

    def __init__(self, reason: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.reason, self.params = reason, params

    def say(self, messages: Mapping[str, str]) -> str:
        """The refusal in the caller's words: ``messages[reason]`` (``%(name)s`` filled from
        the params), else the default sentence."""
        text = messages.get(self.reason)
        return text % self.params if text is not None else str(self)


@dataclass(frozen=True)
class PhotoPolicy:
    max_bytes: int
    max_pixels: int
    formats: frozenset[str] = frozenset(KINDS)
    #: how an accepted format is stored (Pillow's names); a format not named is stored as JPEG
    store_as: Mapping[str, str] = field(default_factory=lambda: {"PNG": "PNG"})
    #: the longest side kept (px); None: as sent
    max_side: int | None = None
    quality: int = 85


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    #: Pillow's name of the stored format, and of the format sent
    format: str
    source_format: str
    width: int
    height: int
    #: the original's EXIF GPS block ({tag: value}), empty when it had none
    gps: dict[int, Any]

    @property
    def content_type(self) -> str:
        return KINDS[self.format][0]

    @property
    def extension(self) -> str:
        return KINDS[self.format][1]


def _too_large(policy: PhotoPolicy) -> PhotoRefused:
    mb = policy.max_bytes // 2**20
    return PhotoRefused("too_large", _("The photo is too large: at most %(mb)d MB.") % {"mb": mb},
                        mb=mb)  # fmt: skip


def read_upload(upload: Any, policy: PhotoPolicy) -> bytes:
    """The bytes of an uploaded file, refused when larger than the policy allows — by its
    declared size before reading, and by what was read (a size may lie)."""
    size = getattr(upload, "size", None)
    if size is not None and size > policy.max_bytes:
        raise _too_large(policy)
    data = upload.read(policy.max_bytes + 1)
    if len(data) > policy.max_bytes:
        raise _too_large(policy)
    if not data:
        raise PhotoRefused("empty", _("The photo file is empty."))
    return bytes(data)


def photo_accept(upload: Any, policy: PhotoPolicy) -> CleanPhoto:
    """An uploaded photo checked and re-encoded without metadata (see the module)."""
    return photo_clean(read_upload(upload, policy), policy)


def photo_clean(data: bytes, policy: PhotoPolicy) -> CleanPhoto:
    """The image in ``data`` checked and re-encoded without metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                _check(probe, kind, policy)
                probe.load()
                gps = _gps(probe)
                upright = ImageOps.exif_transpose(probe) or probe
                return _encode(upright, kind, gps, policy)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(policy) from None
    except UnidentifiedImageError:
        raise PhotoRefused("not_image", _("The file is not a JPEG, PNG or WebP image.")) from None
    except Exception:  # a truncated or malformed image: Pillow raises many kinds
        raise PhotoRefused("broken", _("The photo is damaged and cannot be read.")) from None


def _too_many_pixels(policy: PhotoPolicy) -> PhotoRefused:
    millions = policy.max_pixels // 1_000_000
    return PhotoRefused(
        "too_many_pixels",
        _("The photo has too many pixels (at most %(millions)d million).") % {"millions": millions},
        millions=millions,
    )


def _check(probe: Image.Image, kind: str, policy: PhotoPolicy) -> None:
    if kind not in policy.formats:
        names = ", ".join(sorted(policy.formats))
        raise PhotoRefused("format", _("A photo must be one of: %(formats)s.") % {"formats": names},
                           formats=names)  # fmt: skip
    width, height = probe.size
    if width * height > policy.max_pixels:
        raise _too_many_pixels(policy)


def _gps(image: Image.Image) -> dict[int, Any]:
    try:
        return dict(image.getexif().get_ifd(GPS_IFD))
    except Exception:  # a broken EXIF block is no reason to refuse the photo
        return {}


def _encode(image: Image.Image, kind: str, gps: dict[int, Any], policy: PhotoPolicy) -> CleanPhoto:
    target = policy.store_as.get(kind, "JPEG")
    if policy.max_side and max(image.size) > policy.max_side:
        image = image.copy()
        image.thumbnail((policy.max_side, policy.max_side))
    alpha = "A" in image.getbands() or "transparency" in image.info
    mode = "RGBA" if alpha and target != "JPEG" else "RGB"
    pixels = image.convert(mode)
    # a new image from the pixels alone: no info dict, no EXIF, no ICC profile carried over
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if target == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, target, quality=policy.quality, optimize=True)
    return CleanPhoto(out.getvalue(), target, kind, clean.width, clean.height, gps)
