"""Problem reports in the shared casework: assignment rules with the audit log, the queue's
filters and the statistics on reports with known times (:mod:`miasto.problems.casework`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from miasto.core import casework
from miasto.core.audit import acting_as
from miasto.core.models import AuditEntry
from miasto.problems.models import Report
from tests.problems.factories import ServiceFactory, make_report
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):  # type: ignore[no-untyped-def]
    unit, other = tf.OrgUnitFactory(name="Wydział Dróg"), tf.OrgUnitFactory(name="Zieleń")
    service = ServiceFactory(code="dziura", name="Dziura", unit=unit)
    officer, colleague, outsider = (make_user("case_officer") for _ in range(3))
    planner = make_user("planner")  # in the unit, but does not handle reports
    unit.members.add(officer, colleague, planner)
    other.members.add(outsider)
    return {"unit": unit, "service": service, "officer": officer, "colleague": colleague,
            "outsider": outsider, "planner": planner, "report": make_report(service)}  # fmt: skip


def _assign(report, assignee, user):  # type: ignore[no-untyped-def]
    with acting_as(user, source="web"):
        return casework.case_assign(
            module="problems", case_id=report.pk, assignee=assignee, user=user
        )


def test_take_assign_release_are_audited(world):  # type: ignore[no-untyped-def]
    report, officer, colleague = world["report"], world["officer"], world["colleague"]
    _assign(report, officer, officer)
    report.refresh_from_db()
    assert report.assignee == officer and report.assigned_at is not None
    _assign(report, colleague, officer)
    entry = AuditEntry.objects.filter(model="problems.report", object_id=str(report.pk)).first()
    assert entry is not None and entry.actor_id == officer.pk and entry.source == "web"
    assert entry.changes["assignee_id"] == {"before": officer.pk, "after": colleague.pk}
    _assign(report, None, colleague)
    report.refresh_from_db()
    assert report.assignee is None and report.assigned_at is None


@pytest.mark.parametrize(
    ("actor", "assignee", "message"),
    [
        ("outsider", "officer", "Only staff of the case's unit"),  # not in the unit
        ("officer", "outsider", "must work in the case's unit"),  # not in the unit
        ("officer", "planner", "must work in the case's unit"),  # in the unit, other role
        ("planner", "planner", "Only staff of the case's unit"),  # does not handle reports
    ],
)
def test_only_staff_of_the_unit(world, actor, assignee, message):  # type: ignore[no-untyped-def]
    with translation.override("en"), pytest.raises(casework.CaseworkError, match=message):
        _assign(world["report"], world[assignee], world[actor])
    world["report"].refresh_from_db()
    assert world["report"].assignee is None


def test_an_administrator_assigns_in_any_unit(world, make_user):  # type: ignore[no-untyped-def]
    _assign(world["report"], world["colleague"], make_user("administrator"))
    world["report"].refresh_from_db()
    assert world["report"].assignee == world["colleague"]


def test_unknown_queue_and_case(world):  # type: ignore[no-untyped-def]
    with pytest.raises(casework.CaseworkError):
        casework.case_assign(module="nope", case_id=1, assignee=None, user=world["officer"])
    with pytest.raises(casework.CaseworkError):
        casework.case_assign(module="problems", case_id=10**9, assignee=None,
                             user=world["officer"])  # fmt: skip


def test_queue_filters(world, make_user):  # type: ignore[no-untyped-def]
    officer, service = world["officer"], world["service"]
    older = make_report(service, dx=200)
    Report.objects.filter(pk=older.pk).update(requested_at=timezone.now() - timedelta(days=9))
    _assign(older, officer, officer)
    other_kind = make_report(ServiceFactory(code="latarnia", unit=world["unit"]))

    def ids(**kw):  # type: ignore[no-untyped-def]
        f = casework.QueueFilter(units=casework.units_of(officer), user_id=officer.pk, **kw)
        return [i.id for i in casework.queue_items(officer, f) if i.module == "problems"]

    assert ids() == [older.pk, world["report"].pk, other_kind.pk]  # longest waiting first
    assert ids(scope="mine") == [older.pk]
    assert ids(scope="unassigned") == [world["report"].pk, other_kind.pk]
    assert ids(category="latarnia") == [other_kind.pk]
    assert ids(status="resolved") == []
    district = tf.DistrictFactory(code="D-SR", name="Śródmieście")
    Report.objects.filter(pk=other_kind.pk).update(district=district)
    assert ids(district="D-SR") == [other_kind.pk]
    outsider = world["outsider"]
    f = casework.QueueFilter(units=casework.units_of(outsider), user_id=outsider.pk)
    assert [i for i in casework.queue_items(outsider, f) if i.module == "problems"] == []
    item = casework.queue_items(officer, casework.QueueFilter(units=None, user_id=officer.pk))[0]
    assert item.url == f"/zgloszenia/obsluga/{older.pk}/" and item.waiting_days == 9


def test_statistics_known_medians(world):  # type: ignore[no-untyped-def]
    """Answers after 1, 2, 3 and 10 days and one unanswered: median 2.5, 90th percentile
    3 + 0.7 × (10 − 3) = 7.9 (linear interpolation, percentile_cont)."""
    service = world["service"]
    start = timezone.now() - timedelta(days=30)
    for days in (1, 2, 3, 10, None):
        r = make_report(service)
        answered = start + timedelta(days=days) if days else None
        Report.objects.filter(pk=r.pk).update(requested_at=start, answered_at=answered)
    Report.objects.filter(pk=world["report"].pk).update(requested_at=start - timedelta(days=400))
    period = casework.Period(since=(start - timedelta(days=1)).date(),
                             until=timezone.localdate())  # fmt: skip
    (stats,) = casework.statistics(period, ["problems"])
    (total,) = stats.groups["total"]
    assert (total["count"], total["answered"]) == (5, 4)
    assert (total["median_days"], total["p90_days"]) == (2.5, 7.9)
    assert [(r["key"], r["count"]) for r in stats.groups["category"]] == [("dziura", 5)]
    assert sum(r["count"] for r in stats.groups["status"]) == 5
    assert sum(r["count"] for r in stats.groups["district"]) == 5
    other_unit = casework.Period(period.since, period.until, units=(world["unit"].pk + 999,))
    assert casework.statistics(other_unit, ["problems"])[0].groups["total"][0]["count"] == 0
