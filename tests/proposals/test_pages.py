"""The pages: submitting with a drawn place or a typed address, hostile inputs (a place outside
the city, a self-intersecting area, broken GeoJSON, a fake photo, a filled honeypot), the EXIF
of a photo dropped, a second support answered 409, the throttle, the staff pages."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.test import Client, override_settings
from PIL import Image

from miasto.core.models import ContentReport
from miasto.proposals.models import Proposal, Support
from miasto.proposals.statuses import Status
from tests.proposals.factories import proposal
from tests.territory.factories import CENTRE_X, CENTRE_Y, AddressFactory

pytestmark = pytest.mark.django_db


def lonlat(x: float, y: float) -> list[float]:
    p = Point(x, y, srid=2180).transform(4326, clone=True)
    return [p.x, p.y]


def polygon(*corners: tuple[float, float]) -> str:
    ring = [lonlat(x, y) for x, y in corners]
    return json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def form(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Drzewa przy szkole",
        "description": "Posadźmy lipy wzdłuż chodnika.",
        "category": "greenery",
        "geometry": json.dumps({"type": "Point", "coordinates": lonlat(CENTRE_X, CENTRE_Y)}),
        "place": "",
        "act": "",
        "budget_line": "",
        "photo_alt": "",
        "website": "",
    }
    data.update(kw)
    return data


def photo_with_gps() -> io.BytesIO:
    image = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    exif[0x010F] = "Aparat Testowy"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 10.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    out.seek(0)
    out.name = "zdjecie.jpg"
    return out


def test_submit_a_drawn_area(resident) -> None:
    area = polygon((CENTRE_X, CENTRE_Y), (CENTRE_X + 50, CENTRE_Y), (CENTRE_X + 50, CENTRE_Y + 40))
    response = signed_in(resident).post("/pomysly/nowy/", form(geometry=area))
    assert response.status_code == 302
    p = Proposal.objects.get()
    assert p.geom.geom_type == "Polygon" and p.geom.srid == 2180
    assert abs(p.geom.area - 1000) < 5
    assert response["Location"] == f"/pomysly/{p.pk}/"
    page = Client().get(response["Location"]).content.decode()
    assert "Drzewa przy szkole" in page and resident.username not in page


def test_submit_by_address_instead_of_drawing(resident) -> None:
    address = AddressFactory()
    query = f"{address.street.name} {address.number}"
    response = signed_in(resident).post("/pomysly/nowy/", form(geometry="", place=query))
    assert response.status_code == 302, response.content.decode()[:2000]
    p = Proposal.objects.get()
    assert p.geom.distance(address.geom) < 1


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (json.dumps({"type": "Point", "coordinates": [21.0, 52.2]}), "outside the city"),
        (
            polygon((CENTRE_X, CENTRE_Y), (CENTRE_X + 50, CENTRE_Y + 50),
                    (CENTRE_X + 50, CENTRE_Y), (CENTRE_X, CENTRE_Y + 50)),
            "crosses itself",
        ),
        ("{not json", "one point"),
        (json.dumps({"type": "GeometryCollection", "geometries": []}), "one point"),
        (json.dumps({"type": "Point", "coordinates": ["a", "b"]}), "one point"),
        ("x" * 200_000, "too detailed"),
    ],
)  # fmt: skip
def test_hostile_places_are_refused(resident, geometry, message) -> None:
    with override_settings(LANGUAGE_CODE="en"):
        response = signed_in(resident).post(
            "/pomysly/nowy/", form(geometry=geometry), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_polish_message_for_a_place_outside(resident) -> None:
    outside = json.dumps({"type": "Point", "coordinates": [21.0, 52.2]})
    response = signed_in(resident).post("/pomysly/nowy/", form(geometry=outside))
    assert response.status_code == 400
    assert "poza miastem" in response.content.decode()


def test_photo_is_stored_without_exif(resident) -> None:
    response = signed_in(resident).post(
        "/pomysly/nowy/", {**form(photo_alt="Pusty trawnik"), "photo": photo_with_gps()}
    )
    assert response.status_code == 302
    p = Proposal.objects.get()
    served = Client().get(f"/pomysly/{p.pk}/zdjecie.jpg")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.content)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Aparat Testowy" not in served.content


def test_fake_photo_and_photo_without_description(resident) -> None:
    fake = io.BytesIO(b"<?php system($_GET['c']); ?>")
    fake.name = "zdjecie.jpg"
    response = signed_in(resident).post("/pomysly/nowy/", {**form(photo_alt="x"), "photo": fake})
    assert response.status_code == 400
    response = signed_in(resident).post("/pomysly/nowy/", {**form(), "photo": photo_with_gps()})
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_honeypot_and_empty_fields(resident) -> None:
    client = signed_in(resident)
    assert client.post("/pomysly/nowy/", form(website="http://spam")).status_code == 400
    assert client.post("/pomysly/nowy/", form(title="", description="")).status_code == 400
    assert client.post("/pomysly/nowy/", form(category="nonsense")).status_code == 400
    assert not Proposal.objects.exists()


def test_unverified_account_is_told_why(make_user, city) -> None:
    response = signed_in(make_user("resident")).get("/pomysly/nowy/")
    assert response.status_code == 403
    assert "e-mail" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(city) -> None:
    response = Client().get("/pomysly/nowy/")
    assert response.status_code == 302 and "/konto/logowanie/" in response["Location"]


def test_second_support_is_a_clear_409(resident, other_resident) -> None:
    p = proposal(resident)
    client = signed_in(other_resident)
    assert client.post(f"/pomysly/{p.pk}/poparcie/").status_code == 302
    second = client.post(f"/pomysly/{p.pk}/poparcie/")
    assert second.status_code == 409
    assert "Już poparłeś" in second.content.decode()
    assert Support.objects.filter(proposal=p).count() == 1


@override_settings(MIASTO_PROPOSALS_COMMENTS_PER_HOUR=2)
def test_comments_are_throttled(resident, other_resident) -> None:
    p = proposal(resident)
    client = signed_in(other_resident)
    answers = [
        client.post(f"/pomysly/{p.pk}/komentarze/", {"body": f"Uwaga {n}", "website": ""})
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert p.comments.count() == 2


def test_empty_and_oversized_comments(resident, other_resident) -> None:
    p = proposal(resident)
    client = signed_in(other_resident)
    assert client.post(f"/pomysly/{p.pk}/komentarze/", {"body": " "}).status_code == 400
    assert client.post(f"/pomysly/{p.pk}/komentarze/", {"body": "x" * 2001}).status_code == 400
    assert p.comments.count() == 0


def test_report_a_proposal_then_hidden_with_reason(resident, other_resident, make_user) -> None:
    p = proposal(resident, title="Tani kredyt tutaj")
    answer = signed_in(other_resident).post(
        f"/pomysly/{p.pk}/zgloszenie/",
        {"kind": "proposal", "object_id": str(p.pk), "reason": "spam"},
    )
    assert answer.status_code == 302
    assert ContentReport.objects.filter(kind="proposal", object_id=str(p.pk)).exists()
    moderator = signed_in(make_user("moderator"))
    queue = moderator.get("/pomysly/obsluga/?zakres=wszystkie").content.decode()
    assert "Tani kredyt tutaj" in queue
    moderator.post(f"/pomysly/obsluga/{p.pk}/moderacja/", {"action": "hide", "reason": "reklama"})
    page = Client().get(f"/pomysly/{p.pk}/").content.decode()
    assert "reklama" in page and "Tani kredyt" not in page
    assert "Tani kredyt" not in Client().get("/pomysly/").content.decode()
    assert Client().get("/api/v1/proposals").json()["numberMatched"] == 0


def test_staff_status_change_with_feedback_shows_publicly(resident, make_user) -> None:
    p = proposal(resident)
    planner = signed_in(make_user("planner"))
    assert planner.get(f"/pomysly/obsluga/{p.pk}/").status_code == 200
    missing = planner.post(f"/pomysly/obsluga/{p.pk}/status/", {"target": "under_review"})
    assert missing.status_code == 400
    done = planner.post(
        f"/pomysly/obsluga/{p.pk}/status/",
        {"target": "under_review", "feedback": "Przekazano do Zarządu Zieleni."},
    )
    assert done.status_code == 302
    assert "Przekazano do Zarządu Zieleni." in Client().get(f"/pomysly/{p.pk}/").content.decode()
    moderator = signed_in(make_user("moderator"))
    refused = moderator.post(
        f"/pomysly/obsluga/{p.pk}/status/", {"target": "accepted", "feedback": "Tak."}
    )
    assert refused.status_code == 403
    p.refresh_from_db()
    assert p.status == Status.UNDER_REVIEW


def test_list_filters_and_bad_values(resident) -> None:
    proposal(resident, title="Zieleń", category="greenery")
    proposal(resident, title="Rowery", category="transport")
    page = Client().get("/pomysly/?category=transport").content.decode()
    assert "Rowery" in page and "Zieleń" not in page
    assert Client().get("/pomysly/?category=<script>").status_code == 400
    assert Client().get("/pomysly/?strona=abc").status_code == 200
    assert Client().get("/pomysly/nieznany/").status_code == 404
    assert Client().get("/pomysly/99999999/").status_code == 404


def test_statistics_and_templates(resident, make_user) -> None:
    p = proposal(resident, category="sport")
    admin = signed_in(make_user("administrator"))
    stats = admin.get("/pomysly/obsluga/statystyki/")
    assert stats.status_code == 200 and "sport" in stats.content.decode().lower()
    # the templates are kept on the shared casework page, and offered in the handling form
    moved = admin.get("/pomysly/obsluga/szablony/")
    assert moved.status_code == 302 and moved.url == "/obsluga/szablony/?modul=proposals"
    data = {"module": "proposals", "title": "Analiza", "body": "Pomysł nr {numer} analizujemy."}
    assert admin.post("/obsluga/szablony/", data).status_code == 302
    handling = admin.get(f"/pomysly/obsluga/{p.pk}/").content.decode()
    assert "Analiza" in handling and f"Pomysł nr {p.pk} analizujemy." in handling
    assert signed_in(make_user("case_officer")).get("/pomysly/obsluga/").status_code == 403


def test_reports_with_hostile_ids(resident, other_resident) -> None:
    p = proposal(resident)
    client = signed_in(other_resident)
    for kind, object_id in (("proposal_comment", "²"), ("proposal_comment", "99999"),
                            ("proposal", "1; DROP"), ("nonsense", "1")):  # fmt: skip
        answer = client.post(
            f"/pomysly/{p.pk}/zgloszenie/", {"kind": kind, "object_id": object_id, "reason": "spam"}
        )
        assert answer.status_code == 400, (kind, object_id)
    assert not ContentReport.objects.exists()
