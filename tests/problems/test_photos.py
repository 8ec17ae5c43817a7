"""Photos lose their metadata (EXIF with GPS above all) before they are stored; files that are
not photos, or too large, are refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from miasto.problems.models import Report
from miasto.problems.photos import PhotoError, strip_metadata
from miasto.problems.services import ReportError
from tests.problems.factories import make_report, pothole_service

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Telefon Testowy"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[GPS_IFD] = {1: "N", 2: (52.0, 13.0, 30.0), 3: "E", 4: (19.0, 27.0, 15.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the sample really carries the position
        assert check.getexif().get_ifd(GPS_IFD)[2] == (52.0, 13.0, 30.0)
    return data


def test_gps_and_all_exif_are_stripped_and_orientation_applied():  # type: ignore[no-untyped-def]
    clean = strip_metadata(jpeg_with_gps())
    assert clean.extension == ".jpg"
    assert b"Exif" not in clean.content and b"Telefon" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as image:
        assert not image.getexif()
        assert image.size == (48, 64)  # turned upright


@pytest.mark.django_db
def test_a_reports_photo_is_stored_and_served_without_exif(client, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("IMG_0001.JPG", jpeg_with_gps(), content_type="image/jpeg")
    report = make_report(pothole_service(), photo=upload)
    stored = report.photo.read()
    assert b"Exif" not in stored and b"Telefon" not in stored
    response = client.get(f"/zgloszenia/{report.pk}/zdjecie")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content)
    assert served == stored


@pytest.mark.parametrize(
    "content",
    [b"not an image at all", b"GIF89a" + b"\x00" * 100, b"%PDF-1.4 \n"],
)
def test_not_a_photo_is_refused(content):  # type: ignore[no-untyped-def]
    with pytest.raises(PhotoError):
        strip_metadata(content)


@pytest.mark.django_db
@override_settings(MIASTO_PROBLEMS_PHOTO_MAX_BYTES=1000)
def test_too_large_is_refused_and_nothing_written():  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("a.jpg", jpeg_with_gps() + b"\x00" * 2000)
    with pytest.raises(ReportError, match="MB"):
        make_report(pothole_service(), photo=upload)
    assert not Report.objects.exists()
