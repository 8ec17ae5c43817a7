"""Comments: pinned to a point, a line, an area or a parcel, with a zone and attachments —
and every hostile input refused with a message, nothing half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.core.files.uploadedfile import SimpleUploadedFile

from miasto.consultations.models import Attachment, Comment, Moderation, Status
from miasto.consultations.services import (
    ConsultationError,
    comment_handle,
    comment_moderate,
    comment_submit,
)
from miasto.planning.models import Zone
from tests.consultations.factories import PLAN_X, PLAN_Y, comment_input, make_consultation
from tests.territory import factories as tf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def open_consultation(plan: Any) -> Any:
    return make_consultation(plan, Status.OPEN)


@pytest.fixture
def resident(make_user: Any) -> Any:
    return make_user("resident")


def submit(c: Any, user: Any, **kw: Any) -> Comment:
    return comment_submit(consultation=c, data=comment_input(**kw), user=user)


def test_point_line_and_area_comments(open_consultation: Any, resident: Any) -> None:
    zone = f"zone:{Zone.objects.get(designation='1MN').pk}"
    point = submit(open_consultation, resident, part_key=zone)
    line = submit(open_consultation, resident, geom=LineString(
        (PLAN_X, PLAN_Y), (PLAN_X + 50, PLAN_Y + 50), srid=2180))  # fmt: skip
    area = submit(open_consultation, resident, geom=tf.square(PLAN_X, PLAN_Y, 40))
    assert [point.number, line.number, area.number] == [1, 2, 3]
    assert point.part_label.startswith("1MN") and point.moderation == Moderation.PENDING
    assert point.author == resident and point.author_name == "Jan Kowalski"
    assert line.geom.geom_type == "LineString" and area.geom.geom_type == "Polygon"


def test_a_parcel_instead_of_a_drawing(open_consultation: Any, resident: Any) -> None:
    parcel = tf.ParcelFactory()
    comment = submit(open_consultation, resident, geom=None, parcel=parcel.identifier)
    assert comment.geom.equals(parcel.geom) and comment.parcel == parcel.identifier


def test_a_drawing_in_web_mercator_is_stored_in_2180(open_consultation: Any, resident: Any) -> None:
    inside = Point(PLAN_X + 5, PLAN_Y + 5, srid=2180).transform(3857, clone=True)
    comment = submit(open_consultation, resident, geom=inside)
    assert comment.geom.srid == 2180
    assert comment.geom.distance(Point(PLAN_X + 5, PLAN_Y + 5, srid=2180)) < 0.01


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "empty"),
        ({"text": "x" * 5001}, "too long"),
        ({"geom": Point(100_000, 100_000, srid=2180)}, "outside the city"),
        ({"geom": Point(19.0, -80.0, srid=4326)}, "outside the city"),
        ({"geom": Polygon(((PLAN_X, PLAN_Y), (PLAN_X + 10, PLAN_Y + 10), (PLAN_X + 10, PLAN_Y),
                           (PLAN_X, PLAN_Y + 10), (PLAN_X, PLAN_Y)), srid=2180)}, "not a valid"),
        ({"geom": LineString([(PLAN_X + i * 0.01, PLAN_Y) for i in range(2500)], srid=2180)},
         "too many points"),
        ({"parcel": "106401_1.9999.77", "geom": None}, "no parcel"),
        ({"part_key": "zone:0"}, "from the list"),
        ({"category": "bogus"}, "category"),
        ({"attachments": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")]}, "not a PDF"),
        ({"attachments": [SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024**2))]},
         "too large"),
        ({"attachments": [SimpleUploadedFile(f"{i}.png", PNG) for i in range(4)]}, "At most 3"),
    ],
)  # fmt: skip
def test_hostile_inputs_are_refused_and_nothing_is_written(
    open_consultation: Any, resident: Any, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConsultationError, match=message):
        submit(open_consultation, resident, **changes)
    assert not Comment.objects.exists() and not Attachment.objects.exists()


def test_attachments_are_kept_with_safe_names(open_consultation: Any, resident: Any) -> None:
    files = [SimpleUploadedFile("../../etc/passwd.pdf", PDF), SimpleUploadedFile("a b.jpg", PNG)]
    comment = submit(open_consultation, resident, attachments=files)
    names = sorted(a.name for a in comment.attachments.all())
    assert names == ["a_b.png", "passwd.pdf"]  # the type is read from the bytes
    assert all(".." not in a.file.name for a in comment.attachments.all())


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ANNOUNCED, Status.CLOSED,
                                    Status.REPORT_PUBLISHED])  # fmt: skip
def test_no_resident_comment_outside_the_open_phase(plan: Any, resident: Any, status: str) -> None:
    c = make_consultation(plan, status)
    with pytest.raises(ConsultationError, match="only while the consultation is open"):
        submit(c, resident)


def test_staff_enter_a_paper_comment_after_the_close(plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.CLOSED)
    clerk = make_user("moderator")
    comment = submit(c, clerk, channel="paper", received_on=c.ends_on)
    assert comment.moderation == Moderation.PUBLISHED and comment.entered_by == clerk
    assert comment.author is None
    with pytest.raises(ConsultationError, match="outside the consultation's dates"):
        submit(c, clerk, channel="email", received_on=c.ends_on + dt.timedelta(days=1))


def test_residents_cannot_pretend_to_be_staff(open_consultation: Any, resident: Any) -> None:
    with pytest.raises(ConsultationError, match="staff"):
        submit(
            open_consultation, resident, channel="paper", received_on=open_consultation.starts_on
        )


def test_moderation_and_handling(open_consultation: Any, resident: Any, make_user: Any) -> None:
    comment = submit(open_consultation, resident)
    with pytest.raises(ConsultationError, match="reason"):
        comment_moderate(comment=comment, publish=False)
    hidden = comment_moderate(comment=comment, publish=False, reason="obraźliwe słowa")
    assert hidden.moderation == Moderation.HIDDEN and hidden.hidden_reason == "obraźliwe słowa"
    planner = make_user("planner")
    with pytest.raises(ConsultationError, match="Justify"):
        comment_handle(comment=comment, handling="accepted", justification=" ", user=planner)
    with pytest.raises(ConsultationError, match="Choose"):
        comment_handle(comment=comment, handling="maybe", justification="x", user=planner)
    handled = comment_handle(
        comment=comment, handling="partly", justification="Wysokość zmniejszono do 9 m.",
        user=planner,
    )  # fmt: skip
    assert handled.handling == "partly" and handled.handled_by == planner


def test_account_deletion_keeps_the_comment_without_the_person(
    open_consultation: Any, resident: Any
) -> None:
    from miasto.core.privacy import anonymise_user

    comment = submit(open_consultation, resident)
    assert anonymise_user(resident)["consultations"] == 1
    comment.refresh_from_db()
    assert comment.author is None and "Kowalski" not in comment.author_name
    assert comment.author_email == "" and "Długa" not in comment.author_address
    assert comment.text.startswith("Proszę o zmniejszenie")


def test_only_published_comments_can_be_reported(
    open_consultation: Any, resident: Any, make_user: Any
) -> None:
    from miasto.core.moderation import ModerationError, content_report

    comment = submit(open_consultation, resident)
    reporter = make_user("resident")
    with pytest.raises(ModerationError):
        content_report(kind="consultations.comment", object_id=str(comment.pk), reason="spam",
                       reporter=reporter)  # fmt: skip
    comment_moderate(comment=comment, publish=True)
    report = content_report(kind="consultations.comment", object_id=str(comment.pk),
                            reason="spam", reporter=reporter)  # fmt: skip
    assert report.pk is not None
