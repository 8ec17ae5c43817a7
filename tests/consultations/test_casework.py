"""Consultation comments in the shared casework: the queue of the consultation's unit, the
assignment to a planner of it, the statistics with the district found in SQL from the place
(:mod:`miasto.consultations.casework`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from miasto.consultations.models import Comment, Status
from miasto.core import casework
from tests.consultations.factories import add_comment, draft_plan, make_consultation
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


def test_queue_assignment_and_statistics(make_user):  # type: ignore[no-untyped-def]
    unit = tf.OrgUnitFactory(name="Biuro Planowania")
    planner, other_planner = make_user("planner"), make_user("planner")
    unit.members.add(planner)
    consultation = make_consultation(draft_plan(), Status.OPEN)
    consultation.unit = unit
    consultation.save()
    district = tf.DistrictFactory(code="D-PL", name="Dzielnica planu")
    first = add_comment(consultation, 1)
    second = add_comment(consultation, 2, geom=None, category="transport")
    handled = add_comment(consultation, 3)
    Comment.objects.filter(pk=handled.pk).update(
        handling="accepted", justification="Tak.",
        handled_at=timezone.make_aware(
            dt.datetime.combine(consultation.starts_on + dt.timedelta(days=6), dt.time())
        ),
    )  # fmt: skip

    f = casework.QueueFilter(units=casework.units_of(planner), user_id=planner.pk)
    items = [i for i in casework.queue_items(planner, f) if i.module == "consultations"]
    assert [i.id for i in items] == [first.pk, second.pk]
    assert items[0].district == "Dzielnica planu" and items[1].district == ""
    assert items[0].number == f"{consultation.pk}/1"
    assert items[0].url == f"/konsultacje/obsluga/uwagi/{first.pk}/"
    by_district = casework.QueueFilter(units=None, user_id=planner.pk, district="D-PL")
    assert [i.id for i in casework.queue_items(planner, by_district)] == [first.pk]

    casework.case_assign(module="consultations", case_id=first.pk, assignee=planner,
                         user=planner)  # fmt: skip
    first.refresh_from_db()
    assert first.assignee == planner and first.assigned_at is not None
    with pytest.raises(casework.CaseworkError):  # a planner of another unit
        casework.case_assign(module="consultations", case_id=second.pk, assignee=other_planner,
                             user=planner)  # fmt: skip

    period = casework.Period(consultation.starts_on, timezone.localdate())
    (stats,) = casework.statistics(period, ["consultations"])
    assert stats.groups["total"][0]["count"] == 3
    assert stats.groups["total"][0]["median_days"] == 6.0
    districts = {r["key"]: r["count"] for r in stats.groups["district"]}
    assert districts == {"D-PL": 2, "": 1}
    statuses = {r["key"]: r["count"] for r in stats.groups["status"]}
    assert statuses == {"": 2, "accepted": 1}
    assert district.pk


def test_the_unit_can_be_set_after_the_announcement(client, make_user):  # type: ignore[no-untyped-def]
    """An open consultation without a unit: its comments wait in every planner's queue and
    nobody of a unit can take them until a planner routes them on its staff page (the
    announcement itself cannot change)."""
    unit = tf.OrgUnitFactory(name="Biuro Planowania")
    planner = make_user("planner")
    unit.members.add(planner)
    consultation = make_consultation(draft_plan(), Status.OPEN)
    comment = add_comment(consultation, 1)
    mine = casework.QueueFilter(units=casework.units_of(planner), user_id=planner.pk)
    with pytest.raises(casework.CaseworkError):
        casework.case_assign(module="consultations", case_id=comment.pk, assignee=planner,
                             user=planner)  # fmt: skip

    client.force_login(planner)
    page = client.get(f"/konsultacje/obsluga/uwagi/{comment.pk}/").content.decode()
    assert f"/konsultacje/obsluga/{consultation.pk}/#unit-h" in page  # where to route it
    url = f"/konsultacje/obsluga/{consultation.pk}/jednostka/"
    assert client.post(url, {"unit": "999999"}).status_code == 400
    response = client.post(url, {"unit": str(unit.pk)})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.unit == unit and consultation.status == Status.OPEN
    assert comment.pk in [i.id for i in casework.queue_items(planner, mine)]
    casework.case_assign(module="consultations", case_id=comment.pk, assignee=planner,
                         user=planner)  # fmt: skip
    page = client.get(f"/konsultacje/obsluga/{consultation.pk}/").content.decode()
    assert "Biuro Planowania" in page
