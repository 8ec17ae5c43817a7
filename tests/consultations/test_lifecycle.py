"""The role × phase matrix of the consultation lifecycle, and what the law adds to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from miasto.consultations.lifecycle import MACHINE
from miasto.consultations.models import Status, StatusChange
from miasto.consultations.services import (
    ConsultationError,
    consultation_create,
    consultation_transition,
    consultations_advance,
)
from tests.consultations.factories import add_comment, make_consultation, setup_for

ROLES = ("resident", "planner", "inspector", "case_officer", "moderator", "data_steward",
         "administrator")  # fmt: skip
RUNNERS = {"planner", "administrator"}
STEPS = [
    (Status.DRAFT, Status.ANNOUNCED),
    (Status.ANNOUNCED, Status.OPEN),
    (Status.OPEN, Status.CLOSED),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("source", "target"), STEPS)
def test_role_phase_matrix(plan: Any, make_user: Any, role: str, source: str, target: str) -> None:
    """Only planners and administrators move a consultation on (each step at its lawful
    time); everyone else is refused and nothing changes."""
    c = make_consultation(plan, source)
    # the day each step is lawful: announce before the start, open on it, close after the end
    day = {Status.ANNOUNCED: c.starts_on, Status.OPEN: c.starts_on,
           Status.CLOSED: c.ends_on + dt.timedelta(days=1)}[target]  # fmt: skip
    user = make_user(role)
    if role in RUNNERS:
        consultation_transition(consultation=c, target=target, user=user, today=day)
        c.refresh_from_db()
        assert c.status == target
        assert StatusChange.objects.filter(consultation=c, to_status=target, by=user).exists()
    else:
        with pytest.raises(ConsultationError, match="may not"):
            consultation_transition(consultation=c, target=target, user=user, today=day)
        c.refresh_from_db()
        assert c.status == source


@pytest.mark.parametrize("role", ROLES)
def test_publishing_the_report_is_the_runners(plan: Any, make_user: Any, role: str) -> None:
    assert [t.target for t in MACHINE.targets(Status.CLOSED, make_user(role))] == (
        [Status.REPORT_PUBLISHED] if role in RUNNERS else []
    )


def test_anonymous_and_skipping_steps_are_refused(plan: Any, make_user: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    c = make_consultation(plan, Status.DRAFT)
    with pytest.raises(ConsultationError):
        consultation_transition(consultation=c, target=Status.ANNOUNCED, user=AnonymousUser())
    with pytest.raises(ConsultationError, match="cannot move"):
        consultation_transition(consultation=c, target=Status.OPEN, user=make_user("planner"))


def test_announcing_after_the_first_day_is_refused(plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.DRAFT)
    late = c.starts_on + dt.timedelta(days=1)
    with pytest.raises(ConsultationError, match="8h"):
        consultation_transition(
            consultation=c, target=Status.ANNOUNCED, user=make_user("planner"), today=late
        )


def test_closing_before_the_last_day_is_refused(plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.OPEN)
    with pytest.raises(ConsultationError, match="after its last day"):
        consultation_transition(consultation=c, target=Status.CLOSED, user=make_user("planner"))


def test_report_publication_needs_every_comment_handled(plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.CLOSED)
    add_comment(c, 1)
    with pytest.raises(ConsultationError, match="Generate the summary report"):
        consultation_transition(
            consultation=c, target=Status.REPORT_PUBLISHED, user=make_user("planner")
        )


def test_the_periodic_job_opens_and_closes_by_date(plan: Any) -> None:
    announced = make_consultation(plan, Status.ANNOUNCED)
    running = make_consultation(plan, Status.OPEN)
    assert consultations_advance(announced.starts_on) == 1
    announced.refresh_from_db()
    assert announced.status == Status.OPEN
    assert consultations_advance(running.ends_on + dt.timedelta(days=1)) >= 1
    running.refresh_from_db()
    assert running.status == Status.CLOSED
    assert StatusChange.objects.filter(consultation=running, by=None).exists()


def test_setup_checks_the_law_at_once(plan: Any, make_user: Any) -> None:
    planner = make_user("planner")
    with pytest.raises(ConsultationError, match="8i"):
        consultation_create(setup=setup_for(plan, forms=["comments"]), user=planner)
    with pytest.raises(ConsultationError, match="at least 21"):
        consultation_create(setup=setup_for(plan, days=14), user=planner)
    with pytest.raises(ConsultationError, match="no such act"):
        consultation_create(setup=setup_for(plan, act="plan:999999"), user=planner)
    c = consultation_create(setup=setup_for(plan), user=planner)
    assert c.status == Status.DRAFT and c.area is not None and "K1MPZP" in c.act_title


def test_announcing_emits_the_event_with_the_area(
    plan: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from miasto.core.events import Event, listener_registry

    heard: list[Event] = []
    listener_registry.register("test-consultations", heard.append)
    try:
        c = make_consultation(plan, Status.DRAFT)
        with django_capture_on_commit_callbacks(execute=True):
            consultation_transition(
                consultation=c, target=Status.ANNOUNCED, user=make_user("planner"),
                today=c.starts_on,
            )  # fmt: skip
    finally:
        listener_registry.unregister("test-consultations")
    (event,) = [e for e in heard if e.topic == "consultation.announced"]
    assert event.data["title"] == c.title and event.data["url"].endswith(f"/konsultacje/{c.pk}/")
    assert event.geometry is not None and event.geometry.srid == 2180
    assert "Kowalski" not in str(event.data)
