"""The enforcement workflow: every transition allowed and refused by role, the system's one
transition, deadlines, reminders, the penalty of the decision and its event, the history and
the audit log."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from miasto.advertising.enforcement import (
    MACHINE,
    CaseError,
    Move,
    case_open,
    case_transition,
    reminders_for,
    reminders_send,
)
from miasto.advertising.enforcement_config import add_months, deadline_of
from miasto.advertising.models.enforcement import CaseReminder, CaseState, EnforcementCase
from miasto.core.events import listener_registry
from miasto.core.models import AuditEntry
from miasto.core.statemachine import TransitionError
from tests.advertising.enforcement_fixtures import (
    DAILY,
    carrier_fixture,  # noqa: F401 (a fixture)
    case_in,
    rates_fixture,  # noqa: F401 (a fixture)
    staff_fixture,  # noqa: F401 (a fixture)
)
from tests.advertising.factories import CarrierFactory

pytestmark = pytest.mark.django_db

ROLES = ["resident", "planner", "inspector", "case_officer", "moderator", "data_steward",
         "administrator"]  # fmt: skip
INSP, OFF = {"inspector", "administrator"}, {"case_officer", "administrator"}
#: The workflow as the issue states it, written out here by hand (not read from the machine):
#: (source, target) → the roles that may make it.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("detected", "inspected"): INSP,
    ("detected", "closed"): OFF,
    ("inspected", "notice_sent"): OFF,
    ("inspected", "closed"): OFF,
    ("notice_sent", "removed"): OFF,
    ("notice_sent", "proceedings"): OFF,
    ("proceedings", "decision"): OFF,
    ("decision", "paid"): OFF,
    ("decision", "removed"): OFF,
    ("decision", "appealed"): OFF,
    ("decision", "closed"): OFF,
    ("appealed", "decision"): OFF,
    ("appealed", "proceedings"): OFF,
    ("appealed", "closed"): OFF,
    ("paid", "closed"): OFF,
    ("removed", "closed"): OFF,
}
STATES = CaseState.values


@pytest.fixture
def users(staff: Any) -> dict[str, Any]:
    return {role: staff(role) for role in ROLES}


def test_the_machine_is_the_workflow_of_the_issue() -> None:
    declared = {(t.source, t.target): set(t.roles) - {"system"} for t in MACHINE.transitions}
    assert declared == ALLOWED


def _reset(case: EnforcementCase, source: str) -> EnforcementCase:
    """Put ``case`` back into ``source`` (entered 20 days ago, its proceedings too)."""
    started = timezone.localdate() - dt.timedelta(days=20)
    moment = timezone.make_aware(dt.datetime.combine(started, dt.time(9)))
    EnforcementCase.objects.filter(pk=case.pk).update(
        state=source, state_since=moment, proceedings_started_on=started, adjusted_on=None,
        penalty=None, penalty_derivation={},
    )  # fmt: skip
    case.refresh_from_db()
    return case


def test_each_transition_is_allowed_to_its_roles_only(
    users: dict[str, Any], rates: Any, carrier: Any
) -> None:
    case = case_open(carrier)
    for (source, target), role in itertools.product(sorted(ALLOWED), ROLES):
        case = _reset(case, source)
        before = case.transitions.count()
        if role in ALLOWED[(source, target)]:
            assert case_transition(case, Move(target), users[role]).state == target
            assert case.transitions.count() == before + 1
        else:
            with pytest.raises(TransitionError, match="may not|uprawnień"):
                case_transition(case, Move(target), users[role])
            case.refresh_from_db()
            assert (case.state, case.transitions.count()) == (source, before), (source, role)


def test_transitions_outside_the_workflow_are_refused_even_to_administrators(
    users: dict[str, Any], carrier: Any
) -> None:
    case = case_open(carrier)
    outside = [p for p in itertools.product(STATES, STATES) if p not in ALLOWED]
    assert len(outside) == 81 - 16
    for source, target in outside:
        case = _reset(case, source)
        with pytest.raises(TransitionError, match="cannot move|nie może"):
            case_transition(case, Move(target), users["administrator"])
        case.refresh_from_db()
        assert case.state == source
    assert case.transitions.count() == 1  # only the opening


def test_the_system_opens_cases_and_closes_detected_ones_only(carrier: Any) -> None:
    case = case_open(carrier)  # the compliance engine
    assert case.state == "detected" and case.transitions.get().actor_name == "system"
    for source, target in ALLOWED:
        if (source, target) != ("detected", "closed"):
            with pytest.raises(TransitionError):
                MACHINE.check(source, target, None)
    assert case_transition(case, Move("closed"), None).state == "closed"


def test_residents_may_not_open_cases(users: dict[str, Any], carrier: Any) -> None:
    with pytest.raises(TransitionError):
        case_open(carrier, user=users["resident"])
    assert not EnforcementCase.objects.exists()


def test_a_carrier_has_one_open_case(users: dict[str, Any], carrier: Any) -> None:
    first = case_open(carrier)
    assert case_open(carrier, user=users["inspector"]) == first
    case_transition(first, Move("closed"), users["case_officer"])
    second = case_open(carrier)
    assert second != first and second.number.startswith("RK/")


def test_deadlines_follow_the_configuration(users: dict[str, Any], carrier: Any) -> None:
    case = case_open(carrier)
    today = timezone.localdate()
    assert case.due_on == today + dt.timedelta(days=14)
    case = case_transition(case, Move("inspected"), users["inspector"])
    assert case.due_on == today + dt.timedelta(days=7)
    case = case_transition(case, Move("notice_sent"), users["case_officer"])
    assert case.due_on == today + dt.timedelta(days=14)
    case = case_transition(case, Move("proceedings"), users["case_officer"])
    assert case.due_on == add_months(today, 1)  # art. 35 § 3 k.p.a.
    assert case.proceedings_started_on == today
    assert case.assigned_to == users["case_officer"]  # the first officer to act takes it
    assert deadline_of("decision", dt.date(2026, 3, 1)) == dt.date(2026, 3, 15)  # art. 129 § 2
    assert deadline_of("closed", dt.date(2026, 3, 1)) is None


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_a_date_in_the_future_or_before_the_state_is_refused(
    users: dict[str, Any], carrier: Any
) -> None:
    case = case_in(carrier, "notice_sent", since=timezone.localdate() - dt.timedelta(days=5))
    officer = users["case_officer"]
    with pytest.raises(CaseError, match="future|przyszłości"):
        case_transition(case, Move("proceedings", timezone.localdate() + dt.timedelta(1)), officer)
    with pytest.raises(CaseError):
        case_transition(case, Move("proceedings", timezone.localdate() - dt.timedelta(9)), officer)
    case.refresh_from_db()
    assert case.state == "notice_sent" and case.proceedings_started_on is None


def test_the_decision_computes_the_penalty_and_emits_its_event(
    users: dict[str, Any], carrier: Any, rates: Any, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[Any] = []
    listener_registry.register("test-enforcement", heard.append)
    try:
        start = timezone.localdate() - dt.timedelta(days=9)
        case = case_in(carrier, "proceedings", since=start, proceedings_started_on=start)
        with django_capture_on_commit_callbacks(execute=True):
            case = case_transition(case, Move("decision"), users["case_officer"])
    finally:
        listener_registry._items.pop("test-enforcement", None)  # type: ignore[attr-defined]
    derivation = case.penalty_derivation
    [part] = derivation["parts"]
    assert Decimal(part["daily"]) == DAILY
    # from the start of the proceedings to the day of the decision, both counted: 10 days
    assert derivation["days"] == 10 and derivation["from"] == start.isoformat()
    assert derivation["last_day"] == timezone.localdate().isoformat()
    assert case.penalty == Decimal(derivation["amount"]) == DAILY * 10 == Decimal("1280.00")
    assert derivation["until_adjusted"] is False
    [event] = [e for e in heard if e.topic == "advertising.decision"]
    assert event.data["carrier"] == carrier.reference and event.data["case"] == case.number
    assert event.geometry.equals(carrier.location)
    assert "penalty" not in event.data  # public data: never the amount a party owes


def test_the_penalty_stops_on_the_day_of_the_adjustment(
    users: dict[str, Any], carrier: Any, rates: Any
) -> None:
    start = timezone.localdate() - dt.timedelta(days=30)
    case = case_in(carrier, "proceedings", since=start, proceedings_started_on=start,
                   adjusted_on=start + dt.timedelta(days=4))  # fmt: skip
    case = case_transition(case, Move("decision"), users["case_officer"])
    assert case.penalty_derivation["until_adjusted"] is True
    # the day of the adjustment is not counted: 4 days
    assert case.penalty_derivation["days"] == 4 and case.penalty == DAILY * 4
    assert case.penalty_derivation["last_day"] == (start + dt.timedelta(days=3)).isoformat()


def test_an_adjustment_before_the_proceedings_means_no_decision(
    users: dict[str, Any], carrier: Any, rates: Any
) -> None:
    start = timezone.localdate() - dt.timedelta(days=10)
    case = case_in(carrier, "proceedings", since=start, proceedings_started_on=start,
                   adjusted_on=start)  # fmt: skip
    with pytest.raises(CaseError, match="before the proceedings|przed wszczęciem"):
        case_transition(case, Move("decision"), users["case_officer"])
    case.refresh_from_db()
    assert case.state == "proceedings" and case.penalty is None


def test_history_and_audit_log_record_every_change(users: dict[str, Any], carrier: Any) -> None:
    case = case_open(carrier)
    case = case_transition(case, Move("inspected", note="oględziny"), users["inspector"])
    case = case_transition(case, Move("closed"), users["case_officer"])
    history = list(case.transitions.values_list("source", "target", "actor_name"))
    assert history == [
        ("", "detected", "system"),
        ("detected", "inspected", users["inspector"].username),
        ("inspected", "closed", users["case_officer"].username),
    ]
    states = [
        e.changes.get("state", {}).get("after")
        for e in AuditEntry.objects.filter(model="advertising.enforcementcase").order_by("pk")
    ]
    assert "inspected" in states and "closed" in states


def test_reminders_go_once_to_the_officer_or_to_every_officer(
    users: dict[str, Any], staff: Any, carrier: Any
) -> None:
    today = timezone.localdate()
    users["case_officer"].email = "urzednik@example.org"
    users["case_officer"].save()
    other = staff("case_officer", email="drugi@example.org")
    soon = case_in(carrier, "notice_sent", due_on=today + dt.timedelta(days=2),
                   assigned_to=users["case_officer"])  # fmt: skip
    late = case_in(CarrierFactory(), "proceedings", due_on=today - dt.timedelta(days=1))
    case_in(CarrierFactory(), "decision", due_on=today + dt.timedelta(days=10))  # not yet
    case_in(CarrierFactory(), "closed", due_on=today - dt.timedelta(days=10))  # ended

    assert reminders_send(today) == 3  # soon → its officer; late (nobody's) → both officers
    assert reminders_send(today) == 0  # once per case, state and deadline
    assert {(r.case_id, r.user_id) for r in CaseReminder.objects.all()} == {
        (soon.pk, users["case_officer"].pk), (late.pk, users["case_officer"].pk),
        (late.pk, other.pk),
    }  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == [
        "drugi@example.org", "urzednik@example.org", "urzednik@example.org",
    ]  # fmt: skip
    assert any(soon.number in m.subject for m in mail.outbox)
    assert [r.case for r in reminders_for(users["case_officer"])] == [late, soon]
    # a reminder about a state the case has left is no longer shown
    EnforcementCase.objects.filter(pk=late.pk).update(state="decision")
    assert [r.case for r in reminders_for(users["case_officer"])] == [soon]


def test_the_periodic_job_is_registered() -> None:
    from miasto.core.jobs import periodic_registry

    task = periodic_registry.get("advertising.enforcement_reminders")
    assert task is not None and task.schedule == "0 7 * * *"


def test_the_system_opens_and_closes_cases_from_the_compliance_engine(city: Any) -> None:
    from miasto.advertising import compliance
    from miasto.advertising.enforcement import cases_sync
    from tests.advertising.factories import ZoneRuleFactory

    ZoneRuleFactory()  # at most 12 m²
    carrier = CarrierFactory(area=Decimal("20"))
    CarrierFactory(area=Decimal("6"))  # compliant: no case
    compliance.check(timezone.localdate())
    assert cases_sync() == (1, 0)
    case = EnforcementCase.objects.get()
    assert case.carrier == carrier and case.transitions.get().actor_name == "system"
    assert "12" in case.violations[0]["allowed"] and case.violations[0]["legal_basis"]
    assert cases_sync() == (0, 0)  # one open case per carrier
    type(carrier).objects.filter(pk=carrier.pk).update(area=Decimal("10"))
    compliance.check(timezone.localdate())
    assert cases_sync() == (0, 1)
    case.refresh_from_db()
    assert case.state == "closed" and case.transitions.last().actor_name == "system"
