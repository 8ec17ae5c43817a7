"""Routing by category and place, duplicate suggestions, the lifecycle by role, events,
statistics and the anonymiser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.test import override_settings
from django.utils import timezone

from miasto.core.events import Event, listener_registry
from miasto.core.privacy import anonymise_user
from miasto.core.statemachine import TransitionError
from miasto.problems import selectors
from miasto.problems.models import Report, RoutingRule
from miasto.problems.services import ReportError, report_note, report_transition
from tests.problems.factories import ServiceFactory, X, Y, make_report, pothole_service
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


def test_routing_most_specific_rule_wins():  # type: ignore[no-untyped-def]
    service = pothole_service()
    district = tf.DistrictFactory(geom=MultiPolygon(tf.square(X - 1000, Y - 1000, 2000), srid=2180))
    by_district, by_area, any_service = (
        tf.OrgUnitFactory(code="DZ"), tf.OrgUnitFactory(code="AR"), tf.OrgUnitFactory(code="ALL")
    )  # fmt: skip
    RoutingRule.objects.create(service=None, unit=any_service, priority=1)
    assert make_report(service).unit == any_service  # a rule for every category beats none
    RoutingRule.objects.create(service=service, district=district, unit=by_district)
    RoutingRule.objects.create(
        service=service, unit=by_area,
        area=MultiPolygon(tf.square(X + 500, Y + 500, 100), srid=2180),
    )  # fmt: skip
    assert make_report(service).unit == by_district
    inside_area = make_report(service, dx=550, dy=550)
    assert inside_area.unit == by_area and inside_area.district == district
    outside = make_report(service, dx=1500)  # outside the district: the catch-all rule
    assert outside.unit == any_service and outside.district is None
    other = ServiceFactory(code="latarnia")
    assert make_report(other).unit == any_service


def test_without_rules_the_categorys_unit():  # type: ignore[no-untyped-def]
    service = pothole_service()
    assert make_report(service).unit == service.unit


def test_outside_the_city_is_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(ReportError, match="outside the city|poza"):
        make_report(pothole_service(), dx=20_000)
    assert not Report.objects.exists()


@override_settings(MIASTO_PROBLEMS_DUPLICATE_METRES=50, MIASTO_PROBLEMS_DUPLICATE_DAYS=30)
def test_duplicates_near_same_category_recent_and_open(make_user):  # type: ignore[no-untyped-def]
    pothole = pothole_service()
    near = make_report(pothole, dx=30)
    make_report(pothole, dx=80)  # too far
    make_report(ServiceFactory(code="latarnia"), dx=10)  # another category
    old = make_report(pothole, dx=5)
    Report.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=40))
    done = make_report(pothole, dx=20)
    report_transition(done, "resolved", make_user("case_officer"))
    found = selectors.duplicates_near(pothole.pk, X, Y)
    assert [d["id"] for d in found] == [near.pk]
    assert found[0]["metres"] == 30


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("case_officer", True), ("administrator", True), ("resident", False),
        ("moderator", False), ("planner", False), (None, False),
    ],
)  # fmt: skip
def test_status_changes_by_role(make_user, role, allowed):  # type: ignore[no-untyped-def]
    report = make_report(pothole_service())
    user = make_user(role)
    if allowed:
        report_transition(report, "acknowledged", user)
        assert Report.objects.get(pk=report.pk).status == "acknowledged"
    else:
        with pytest.raises(TransitionError):
            report_transition(report, "acknowledged", user)
        assert Report.objects.get(pk=report.pk).status == "open"


def test_lifecycle_and_times(make_user):  # type: ignore[no-untyped-def]
    officer = make_user("case_officer")
    report = make_report(pothole_service())
    with pytest.raises(TransitionError):
        report_transition(report, "open", officer)
    report_transition(report, "in_progress", officer, note="Ekipa wysłana")
    report = report_transition(report, "resolved", officer, note="Załatane")
    assert report.closed_at is not None and report.answered_at is not None
    report = report_transition(report, "in_progress", officer)  # reopened
    assert report.closed_at is None
    with pytest.raises(TransitionError):  # a duplicate names the report it duplicates
        report_transition(report, "duplicate", officer)
    other = make_report(pothole_service(), dx=5)
    report = report_transition(report, "duplicate", officer, duplicate_of=other)
    assert report.duplicate_of == other
    notes = [u.note for u in selectors.public_updates(report)]
    assert "Ekipa wysłana" in notes and "Załatane" in notes


def test_events_with_geometry(make_user, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    heard: list[Event] = []
    listener_registry.register("test-problems", heard.append)
    try:
        officer = make_user("case_officer")
        report = make_report(pothole_service())
        with django_capture_on_commit_callbacks(execute=True):
            report_transition(report, "resolved", officer)
    finally:
        listener_registry._items.pop("test-problems", None)  # type: ignore[attr-defined]
    topics = [e.topic for e in heard]
    assert topics == ["problem.status_changed", "problem.resolved"]
    event = heard[0]
    assert event.geometry.equals(report.geom)
    assert event.data["url"].endswith(f"/zgloszenia/{report.pk}/")
    assert event.data["title"] and "jan@example.org" not in str(event.data)


def test_note_public_and_internal(make_user):  # type: ignore[no-untyped-def]
    officer = make_user("case_officer")
    report = make_report(pothole_service())
    report_note(report, officer, "Wewnętrzna uwaga", public=False)
    assert Report.objects.get(pk=report.pk).answered_at is None
    assert Report.objects.get(pk=report.pk).public_note == ""  # internal: not Open311's notes
    report_note(report, officer, "Dziękujemy za zgłoszenie")
    stored = Report.objects.get(pk=report.pk)
    assert stored.answered_at is not None and stored.public_note == "Dziękujemy za zgłoszenie"
    assert [u.note for u in selectors.public_updates(report) if u.note] == [
        "Dziękujemy za zgłoszenie"
    ]
    with pytest.raises(ReportError):
        report_note(report, officer, "  ")


def test_statistics_by_category_and_district(make_user):  # type: ignore[no-untyped-def]
    officer = make_user("case_officer")
    pothole, lamp = pothole_service(), ServiceFactory(code="latarnia", name="Latarnia")
    for i in range(3):
        make_report(pothole, dx=i * 100)
    done = make_report(lamp)
    Report.objects.filter(pk=done.pk).update(requested_at=timezone.now() - timedelta(hours=10))
    report_transition(done, "resolved", officer)
    since = timezone.now() - timedelta(days=365)
    rows = {r["key"]: r for r in selectors.statistics("category", since)}
    assert rows["dziura"]["total"] == 3 and rows["dziura"]["open"] == 3
    assert rows["latarnia"]["resolved"] == 1
    assert 9.9 <= float(rows["latarnia"]["median_hours_to_answer"]) <= 10.1
    assert selectors.statistics("category", since, units=[-1]) == []
    assert sum(r["total"] for r in selectors.statistics("district", since)) == 4


def test_anonymiser_keeps_the_report_drops_the_person(make_user):  # type: ignore[no-untyped-def]
    resident = make_user("resident")
    report = make_report(pothole_service(), author=resident)
    assert report.author == resident
    touched = anonymise_user(resident)
    assert touched["problems"] == 1
    report.refresh_from_db()
    assert (report.author, report.email, report.last_name, report.phone) == (None, "", "", "")
    assert report.description == "Dziura"


def test_route_many_is_route_for_each():  # type: ignore[no-untyped-def]
    from miasto.problems import routing

    service = pothole_service()
    district = tf.DistrictFactory(geom=MultiPolygon(tf.square(X - 1000, Y - 1000, 2000), srid=2180))
    unit = tf.OrgUnitFactory(code="DZ2")
    RoutingRule.objects.create(service=service, district=district, unit=unit)
    tf.CityFactory()
    points = [(service.pk, X, Y), (service.pk, X + 1500, Y), (service.pk, X + 20_000, Y)]
    assert routing.route_many(points) == [routing.route(*p) for p in points]
    many = routing.route_many(points)
    assert many[0].unit_id == unit.pk and many[1].unit_id == service.unit_id
    assert many[2].in_city is False and routing.route_many([]) == []
