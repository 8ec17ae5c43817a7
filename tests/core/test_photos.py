"""The core photo helper on real images: EXIF (GPS) stripped and handed back apart, the image
turned upright, formats kept or converted, and refusals (no image, wrong format, too many
bytes, a decompression bomb, a truncated file, an empty one)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miasto.core.photos import GPS_IFD, PhotoPolicy, PhotoRefused, photo_accept, photo_clean

POLICY = PhotoPolicy(max_bytes=2 * 2**20, max_pixels=1_000_000, max_side=100)


def jpeg_with_gps(size: tuple[int, int] = (64, 48), orientation: int = 6) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation  # rotate 90° on display
    exif[0x010F] = "Telefon Testowy"  # make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 13.0, 30.0), 3: "E", 4: (19.0, 27.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_jpeg_loses_its_exif_and_gps_and_is_turned_upright() -> None:
    data = jpeg_with_gps()
    assert b"Telefon" in data
    clean = photo_clean(data, POLICY)
    assert (clean.format, clean.content_type, clean.extension) == ("JPEG", "image/jpeg", ".jpg")
    assert b"Exif" not in clean.content and b"Telefon" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as stored:
        assert not stored.getexif()
        assert stored.size == (48, 64) == (clean.width, clean.height)
    assert clean.gps[2] == (52.0, 13.0, 30.0) and clean.gps[1] == "N"


def test_a_large_photo_is_scaled_and_formats_follow_the_policy() -> None:
    png = io.BytesIO()
    Image.new("RGBA", (400, 200), (0, 0, 255, 128)).save(png, "PNG")
    kept = photo_clean(png.getvalue(), POLICY)
    assert (kept.format, kept.width, kept.height) == ("PNG", 100, 50)
    with Image.open(io.BytesIO(kept.content)) as image:
        assert image.mode == "RGBA"
    as_jpeg = photo_clean(png.getvalue(), PhotoPolicy(max_bytes=2**20, max_pixels=10**6,
                                                      store_as={}))  # fmt: skip
    assert as_jpeg.format == "JPEG" and as_jpeg.gps == {}
    webp = io.BytesIO()
    Image.new("RGB", (10, 10)).save(webp, "WEBP")
    same = PhotoPolicy(max_bytes=2**20, max_pixels=10**6, store_as={"WEBP": "WEBP"})
    assert photo_clean(webp.getvalue(), same).content_type == "image/webp"


def _bomb() -> bytes:
    """A small PNG that declares 200 000 000 pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (20_000, 10_000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<?php system($_GET['c']); ?>", "not_image"),
        (b"%PDF-1.4\n", "not_image"),
        (jpeg_with_gps()[:300], "broken"),
    ],
)
def test_what_is_not_a_good_image_is_refused(content: bytes, reason: str) -> None:
    with pytest.raises(PhotoRefused) as caught:
        photo_clean(content, POLICY)
    assert caught.value.reason == reason and str(caught.value)


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    bomb = _bomb()
    assert len(bomb) < 2 * 2**20
    with pytest.raises(PhotoRefused) as caught:
        photo_clean(bomb, PhotoPolicy(max_bytes=2 * 2**20, max_pixels=2_000_000_000))
    assert caught.value.reason == "too_many_pixels"  # Pillow's own bomb guard
    with pytest.raises(PhotoRefused) as caught:
        photo_clean(bomb, POLICY)
    assert caught.value.reason == "too_many_pixels"  # the policy's limit


def test_other_formats_and_sizes_are_refused_with_the_callers_words() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(PhotoRefused) as caught:
        photo_clean(gif.getvalue(), POLICY)
    assert caught.value.reason == "format"
    assert caught.value.say({"format": "Tylko JPEG."}) == "Tylko JPEG."
    big = SimpleUploadedFile("big.jpg", b"\xff" * (3 * 2**20))
    with pytest.raises(PhotoRefused) as caught:
        photo_accept(big, POLICY)
    assert caught.value.reason == "too_large"
    assert caught.value.say({"too_large": "Najwyżej %(mb)d MB."}) == "Najwyżej 2 MB."
    with pytest.raises(PhotoRefused) as caught:
        photo_accept(SimpleUploadedFile("empty.jpg", b""), POLICY)
    assert caught.value.reason == "empty"
