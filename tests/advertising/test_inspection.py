"""The inspection form on the server: what an inspector's phone sends is stored once, moves
the case to "inspected", and anything broken or hostile is refused in Polish, leaving nothing
half-written."""

from __future__ import annotations

import io
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miasto.advertising.models import Carrier
from miasto.advertising.models.enforcement import EnforcementCase, Inspection
from tests.advertising.enforcement_fixtures import (
    carrier_fixture,  # noqa: F401 (a fixture)
    case_in,
    staff_fixture,  # noqa: F401 (a fixture)
)
from tests.advertising.factories import pt

pytestmark = pytest.mark.django_db
URL = "/reklamy/inspekcja/"
JSON = {"HTTP_ACCEPT": "application/json"}


def lonlat(point: Point) -> tuple[float, float]:
    p = point.transform(4326, clone=True)
    return p.x, p.y


def jpeg(gps: bool = True, size: tuple[int, int] = (64, 48), fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    if gps:
        lon, lat = lonlat(pt(500, 500))
        exif[0x8825] = {1: "N", 2: (abs(lat), 0.0, 0.0), 3: "E", 4: (abs(lon), 0.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def form(target: Any, **changes: Any) -> dict[str, Any]:
    lon, lat = lonlat(target.location)
    data = {
        "carrier": target.reference,
        "width": "3.00",
        "height": "2.00",
        "sides": "2",
        "bottom_edge": "2.5",
        "latitude": f"{lat:.7f}",
        "longitude": f"{lon:.7f}",
        "accuracy": "8",
        "position_source": "gps",
        "notes": "Tablica przy przystanku",
        "client_id": str(uuid.uuid4()),
        "taken_at": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def inspector(client: Any, staff: Any) -> Any:
    user = staff("inspector")
    client.force_login(user)
    return user


def test_an_inspection_is_stored_once_and_moves_the_case(
    client: Any, inspector: Any, carrier: Any
) -> None:
    case = case_in(carrier, "detected")
    data = form(carrier)
    data["photo"] = SimpleUploadedFile("IMG_0001.jpg", jpeg(), "image/jpeg")
    response = client.post(URL, data, **JSON)
    assert response.status_code == 201, response.json()
    assert "są zapisane" in response.json()["message"]
    inspection = Inspection.objects.get()
    case.refresh_from_db()
    assert case.state == "inspected" and inspection.case == case
    assert inspection.display_area_m2 == Decimal("12.00")  # 3 × 2 × 2 sides
    assert inspection.position.distance(carrier.location) < 0.5
    assert inspection.photo_position.distance(carrier.location) < 50  # from the EXIF GPS
    with inspection.photo.open("rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
    assert stored.format == "JPEG" and len(stored.getexif()) == 0  # no GPS, no maker

    # the phone sends the same form again (a lost answer): stored once
    data["photo"] = SimpleUploadedFile("IMG_0001.jpg", jpeg(), "image/jpeg")
    again = client.post(URL, data, **JSON)
    assert again.status_code == 200 and Inspection.objects.count() == 1


def test_an_inspection_of_a_carrier_without_a_case_opens_one(
    client: Any, inspector: Any, carrier: Any
) -> None:
    assert client.post(URL, form(carrier), **JSON).status_code == 201
    case = EnforcementCase.objects.get()
    assert case.state == "inspected" and case.carrier == carrier
    assert list(case.transitions.values_list("target", flat=True)) == ["detected", "inspected"]


def test_a_carrier_not_in_the_register_is_added(client: Any, inspector: Any, city: Any) -> None:
    lon, lat = lonlat(pt(100, 100))
    data = form(Carrier(reference="", location=pt(100, 100)), new_carrier="on", kind="banner",
                latitude=f"{lat:.7f}", longitude=f"{lon:.7f}")  # fmt: skip
    data["carrier"] = ""
    response = client.post(URL, data, **JSON)
    assert response.status_code == 201, response.json()
    carrier = Carrier.objects.get()
    assert carrier.kind == "banner" and carrier.reference.startswith("R/")
    assert carrier.area == Decimal("12.00")


def test_the_plain_html_form_works_without_javascript(
    client: Any, inspector: Any, carrier: Any
) -> None:
    page = client.get(URL)
    assert page.status_code == 200 and 'name="client_id"' in page.content.decode()
    response = client.post(URL, form(carrier))
    assert response.status_code == 302
    assert Inspection.objects.count() == 1


HOSTILE = [
    ({"width": "-3"}, "width"),
    ({"width": "abc"}, "width"),
    ({"height": "1e9"}, "height"),
    ({"height": "NaN"}, "height"),
    ({"sides": "40"}, "sides"),
    ({"latitude": "91"}, "latitude"),
    ({"longitude": None}, "longitude"),
    ({"carrier": "R/NIE/MA"}, "carrier"),
    ({"carrier": ""}, "carrier"),
    ({"carrier": "", "new_carrier": "on"}, "kind"),
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"carrier": "x" * 5000}, "carrier"),
    ({"notes": "x" * 5000}, "notes"),
]


@pytest.mark.parametrize(("changes", "field"), HOSTILE)
def test_bad_fields_are_refused_with_a_polish_message(
    client: Any, inspector: Any, carrier: Any, changes: dict[str, Any], field: str
) -> None:
    response = client.post(URL, form(carrier, **changes), **JSON)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert body["message"] == "Popraw zaznaczone pola."
    assert not Inspection.objects.exists() and not EnforcementCase.objects.exists()


def test_a_position_outside_the_city_is_refused(client: Any, inspector: Any, carrier: Any) -> None:
    response = client.post(URL, form(carrier, latitude="50.06", longitude="19.94"), **JSON)
    assert response.status_code == 400
    assert "poza miastem" in response.json()["message"]
    assert not Inspection.objects.exists()


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 Mpx, a few kB
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("zdjecie.jpg", b"#!/bin/sh\nrm -rf /\n", "nie jest zdjęciem"),
        ("zdjecie.jpg", jpeg()[:200], "uszkodzony"),
        ("zdjecie.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "JPEG, PNG albo WebP"),
        ("bomba.png", _bomb(), "pikseli"),
        ("puste.jpg", b"", "pusty"),  # (refused by the form: "Wysłany plik jest pusty.")
    ],
)
def test_a_photo_that_is_not_a_safe_image_is_refused(
    client: Any, inspector: Any, carrier: Any, name: str, content: bytes, says: str
) -> None:
    data = form(carrier)
    data["photo"] = SimpleUploadedFile(name, content, "image/jpeg")
    response = client.post(URL, data, **JSON)
    assert response.status_code == 400, response.content
    assert says in json.dumps(response.json(), ensure_ascii=False)
    assert not Inspection.objects.exists() and not EnforcementCase.objects.exists()


def test_a_photo_too_large_is_refused_before_it_is_read(
    client: Any, inspector: Any, carrier: Any, settings: Any
) -> None:
    settings.MIASTO_INSPECTION_PHOTO_MAX_MB = 1
    data = form(carrier)
    data["photo"] = SimpleUploadedFile("big.jpg", b"\xff" * (2 * 1024 * 1024), "image/jpeg")
    response = client.post(URL, data, **JSON)
    assert response.status_code == 413
    assert "za duże" in response.json()["message"]
    assert not Inspection.objects.exists()


def test_only_inspectors_record_inspections(client: Any, staff: Any, carrier: Any) -> None:
    assert client.get(URL).status_code == 302  # sign in first
    client.force_login(staff("case_officer"))
    assert client.get(URL).status_code == 403
    response = client.post(URL, form(carrier), **JSON)
    assert response.status_code == 403 and not Inspection.objects.exists()


def test_carriers_near_a_position_and_by_number(client: Any, inspector: Any, carrier: Any) -> None:
    from tests.advertising.factories import CarrierFactory

    far = CarrierFactory(location=pt(900, 900))
    lon, lat = lonlat(pt(510, 500))
    found = client.get(f"{URL}nosniki/", {"lat": lat, "lon": lon}).json()["carriers"]
    assert [c["reference"] for c in found] == [carrier.reference]
    assert 9 <= found[0]["distance_m"] <= 11
    found = client.get(f"{URL}nosniki/", {"q": far.reference[-5:]}).json()["carriers"]
    assert far.reference in [c["reference"] for c in found]
    for bad in ({"lat": "x", "lon": "1"}, {"lat": "inf", "lon": "1"}, {}):
        response = client.get(f"{URL}nosniki/", bad)
        assert response.status_code == 400 and response.json()["message"]
