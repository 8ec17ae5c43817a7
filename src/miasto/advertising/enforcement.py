"""The enforcement workflow of the landscape resolution: a case per carrier, as a state machine.

States (:class:`~miasto.advertising.models.enforcement.CaseState`) and who moves a case::

    detected ──inspector──▶ inspected ──officer──▶ notice_sent ──officer──▶ proceedings
        │                      │                       │                        │
        └─officer/system─▶ closed ◀─officer─┘          └─officer─▶ removed      └─officer─▶ decision
    decision ──officer──▶ paid | removed | appealed | closed
    appealed ──officer──▶ decision (appeal dismissed) | proceedings (sent back) | closed
    paid, removed ──officer──▶ closed

"officer" is the case officer role, "inspector" the inspector role; administrators may make
every transition; "system" is the application (the compliance engine closes a detected case
whose violations are gone). Every change goes through :func:`case_transition` (or
:func:`miasto.advertising.inspection.inspection_record` for ``inspected``), which checks the
machine, writes a :class:`CaseTransition` and the audit log, and sets the new state's deadline
(:mod:`miasto.advertising.enforcement_config`).

Proceedings (*postępowanie w sprawie wymierzenia kary pieniężnej*, u.p.z.p. art. 37d) start ex
officio; the penalty runs from the day they start to the day the carrier is adjusted or
removed (``adjusted_on``), or — a draft made before that — to the day of the decision. The
``decision`` transition computes it (:func:`case_penalty`) and emits ``advertising.decision``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.advertising.enforcement_config import deadline_of, deadlines_for
from miasto.advertising.events import DECISION
from miasto.advertising.models import Carrier, ComplianceResult, Violation
from miasto.advertising.models.enforcement import (
    CaseReminder,
    CaseState,
    CaseTransition,
    EnforcementCase,
)
from miasto.advertising.penalty import PenaltyError, penalty_for
from miasto.core import events
from miasto.core.statemachine import SYSTEM, StateMachine, Transition, TransitionError, roles_of

S = CaseState
INSPECTORS = frozenset({"inspector", "administrator"})
OFFICERS = frozenset({"case_officer", "administrator"})
#: who may open a case by hand (the compliance engine opens them as "system")
OPENERS = OFFICERS | {"inspector"}


def _t(source: str, target: str, roles: frozenset[str], label: Any) -> Transition:
    return Transition(source, target, roles, label)


MACHINE = StateMachine(
    "advertising enforcement case",
    CaseState.choices,
    [
        _t(S.DETECTED, S.INSPECTED, INSPECTORS, gettext_lazy("Record the inspection")),
        _t(S.DETECTED, S.CLOSED, OFFICERS | {SYSTEM}, gettext_lazy("Close: no violation")),
        _t(S.INSPECTED, S.NOTICE_SENT, OFFICERS, gettext_lazy("Send the notice")),
        _t(S.INSPECTED, S.CLOSED, OFFICERS, gettext_lazy("Close: compliant on site")),
        _t(S.NOTICE_SENT, S.REMOVED, OFFICERS, gettext_lazy("Adjusted after the notice")),
        _t(S.NOTICE_SENT, S.PROCEEDINGS, OFFICERS, gettext_lazy("Start proceedings")),
        _t(S.PROCEEDINGS, S.DECISION, OFFICERS, gettext_lazy("Issue the decision")),
        _t(S.DECISION, S.PAID, OFFICERS, gettext_lazy("Penalty paid")),
        _t(S.DECISION, S.REMOVED, OFFICERS, gettext_lazy("Carrier adjusted or removed")),
        _t(S.DECISION, S.APPEALED, OFFICERS, gettext_lazy("Appeal received")),
        _t(S.DECISION, S.CLOSED, OFFICERS, gettext_lazy("Close the case")),
        _t(S.APPEALED, S.DECISION, OFFICERS, gettext_lazy("Appeal dismissed: decision stands")),
        _t(S.APPEALED, S.PROCEEDINGS, OFFICERS, gettext_lazy("Sent back for reconsideration")),
        _t(S.APPEALED, S.CLOSED, OFFICERS, gettext_lazy("Decision annulled: close")),
        _t(S.PAID, S.CLOSED, OFFICERS, gettext_lazy("Close the case")),
        _t(S.REMOVED, S.CLOSED, OFFICERS, gettext_lazy("Close the case")),
    ],
)
OPEN_STATES = [s for s in CaseState.values if s != S.CLOSED]
#: transitions that end the carrier's non-compliance (the penalty stops running)
ADJUSTING = frozenset({S.REMOVED})


class CaseError(Exception):
    """A request about a case that cannot be done; ``str()`` says why, in Polish."""


@dataclass(frozen=True)
class Move:
    """What a person asks for: the target state, on which day, and a note for the record."""

    target: str
    on: dt.date | None = None
    note: str = ""


# --- services ------------------------------------------------------------------------------


def _actor_name(user: Any) -> str:
    return user.get_username() if user is not None else "system"


def _record(case: EnforcementCase, source: str, user: Any, note: str) -> None:
    CaseTransition.objects.create(
        case=case, source=source, target=case.state, actor=user, actor_name=_actor_name(user),
        note=note[:2000],
    )  # fmt: skip


def case_open(carrier: Carrier, *, user: Any = None, violations: list[dict[str, Any]] | None = None,
              note: str = "") -> EnforcementCase:  # fmt: skip
    """Open a case (``detected``) about ``carrier``: the system (``user=None``) from the
    compliance engine's violations, or an inspector, officer or administrator by hand. A
    carrier has at most one open case: asking again answers the open one."""
    if user is not None and not (OPENERS & roles_of(user)):
        raise TransitionError(_("You may not open an enforcement case."))
    with transaction.atomic():
        Carrier.objects.select_for_update().filter(pk=carrier.pk).first()
        existing = EnforcementCase.objects.filter(carrier=carrier).exclude(state=S.CLOSED).first()
        if existing is not None:
            return existing
        now = timezone.now()
        case = EnforcementCase.objects.create(
            number=f"tmp-{uuid.uuid4()}",
            carrier=carrier,
            state=S.DETECTED,
            state_since=now,
            due_on=deadline_of(S.DETECTED, timezone.localdate(now)),
            violations=violations or [],
        )
        case.number = f"RK/{case.pk}/{timezone.localdate(now).year}"
        case.save(update_fields=["number"])
        _record(case, "", user, note)
    return case


def case_transition(case: EnforcementCase, move: Move, user: Any) -> EnforcementCase:
    """Move ``case`` to ``move.target`` if the machine allows it to ``user`` (None: the
    system), else :class:`TransitionError`. Atomic; a concurrent change of the same case waits
    and is then judged against the state it left."""
    with transaction.atomic():
        case = EnforcementCase.objects.select_for_update().select_related("carrier").get(pk=case.pk)
        source = case.state
        MACHINE.check(source, move.target, user)
        day = move.on or timezone.localdate()
        _check_day(case, day)
        _apply(case, move.target, day)
        case.state, case.state_since = move.target, _moment(day)
        case.due_on = deadline_of(move.target, day)
        if case.assigned_to_id is None and user is not None and OFFICERS & roles_of(user):
            case.assigned_to = user
        case.save()
        _record(case, source, user, move.note)
        if move.target == S.DECISION:
            _emit_decision(case)
    return case


def _moment(day: dt.date) -> dt.datetime:
    """When a change made "on ``day``" happened: now if today, else that day's noon (a change
    recorded afterwards, e.g. the day the proceedings started)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _check_day(case: EnforcementCase, day: dt.date) -> None:
    today = timezone.localdate()
    if day > today:
        raise CaseError(_("The date cannot be in the future."))
    if day < timezone.localdate(case.state_since):
        raise CaseError(
            _("The date cannot be before the case entered its current state (%(day)s).")
            % {"day": timezone.localdate(case.state_since).isoformat()}
        )


def _apply(case: EnforcementCase, target: str, day: dt.date) -> None:
    """What a transition records besides the state: the proceedings' start, the adjustment,
    the penalty of the decision."""
    if target == S.PROCEEDINGS and case.proceedings_started_on is None:
        case.proceedings_started_on = day
    if target in ADJUSTING and case.adjusted_on is None:
        case.adjusted_on = day
    if target == S.DECISION and case.state == S.PROCEEDINGS:
        case.penalty, case.penalty_derivation = case_penalty(case, day)


def case_penalty(case: EnforcementCase, decided_on: dt.date) -> tuple[Decimal, dict[str, Any]]:
    """The art. 37d penalty of ``case`` with its derivation (:func:`penalty_for`, over the
    half-open period from the start of the proceedings to the day of the adjustment — that
    day not counted — or, not adjusted yet, to the day of the decision, that day counted)."""
    start = case.proceedings_started_on
    if start is None:
        raise CaseError(_("The proceedings have no start date: the penalty cannot be computed."))
    end = case.adjusted_on or decided_on + dt.timedelta(days=1)
    if end <= start:
        raise CaseError(_("The carrier was adjusted before the proceedings started: no penalty."))
    try:
        result = penalty_for(case.carrier, start, end)
    except PenaltyError as exc:
        raise CaseError(str(exc)) from None
    derivation = result.as_dict()
    derivation["until_adjusted"] = case.adjusted_on is not None
    #: the last day counted (the period's end is exclusive)
    derivation["last_day"] = (end - dt.timedelta(days=1)).isoformat()
    for part in derivation["parts"]:
        part["last"] = (dt.date.fromisoformat(part["to"]) - dt.timedelta(days=1)).isoformat()
    return Decimal(derivation["amount"]), derivation


def _emit_decision(case: EnforcementCase) -> None:
    """``advertising.decision`` with the carrier's location; its subject is the carrier's zone
    (what residents follow). The data is public: never the party nor the amount."""
    carrier = case.carrier
    result = ComplianceResult.objects.filter(carrier=carrier).select_related("zone").first()
    zone = result.zone.code if result is not None and result.zone is not None else ""
    events.emit(
        DECISION,
        zone,
        {
            "case": case.number,
            "carrier": carrier.reference,
            "kind": carrier.kind,
            "zone": zone,
            "decided_on": timezone.localdate(case.state_since).isoformat(),
        },
        geometry=carrier.location,
    )


#: who may be given a case: those who inspect or run cases
ASSIGNABLE = INSPECTORS | OFFICERS


def assignees_for(user: Any) -> QuerySet[Any]:
    """The people ``user`` may give a case to: active inspectors, case officers and
    administrators — for a case officer, those of the officer's own organisational units
    (any of them when the officer belongs to none), always including the officer."""
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=sorted(ASSIGNABLE)) | Q(is_superuser=True))
    )
    if "administrator" not in roles_of(user):
        units = list(user.org_units.values_list("pk", flat=True))
        if units:
            people = people.filter(Q(org_units__in=units) | Q(pk=user.pk))
    return people.distinct().order_by("username")


def case_assign(case: EnforcementCase, assignee: Any, user: Any) -> EnforcementCase:
    """Give ``case`` to ``assignee`` (one of :func:`assignees_for` ``user``; ``None``: nobody).
    Case officers and administrators assign; an officer may take a case himself."""
    if not (OFFICERS & roles_of(user)):
        raise TransitionError(_("You may not assign cases."))
    if assignee is not None and not assignees_for(user).filter(pk=assignee.pk).exists():
        raise CaseError(_("A case can be given only to an inspector or case officer of your unit."))
    with transaction.atomic():
        case = EnforcementCase.objects.select_for_update().get(pk=case.pk)
        case.assigned_to = assignee
        case.save(update_fields=["assigned_to"])
    return case


# --- the compliance engine's findings -----------------------------------------------------


def violations_snapshot(carrier_id: int) -> list[dict[str, Any]]:
    """The carrier's open violations as the case keeps them (what its documents cite)."""
    rows = Violation.objects.filter(carrier_id=carrier_id, resolved_on__isnull=True).order_by("pk")
    return [
        {
            "message": v.message,
            "legal_basis": v.legal_basis,
            "measured": str(v.measured) if v.measured is not None else "",
            "allowed": str(v.allowed) if v.allowed is not None else "",
            "unit": v.unit,
            "penalisable": v.penalisable,
        }
        for v in rows
    ]


def cases_sync() -> tuple[int, int]:
    """Open a case (as the system) for every standing carrier with an open violation that may
    be penalised and no open case; close (as the system) every ``detected`` case whose carrier
    has no such violation left. Returns (opened, closed)."""
    penalisable = Violation.objects.filter(resolved_on__isnull=True, penalisable=True)
    open_cases = EnforcementCase.objects.exclude(state=S.CLOSED)
    to_open = (
        Carrier.objects.filter(status=Carrier.Status.ACTIVE, pk__in=penalisable.values("carrier"))
        .exclude(pk__in=open_cases.values("carrier"))
        .order_by("pk")
    )
    opened = 0
    for carrier in to_open:
        case_open(carrier, violations=violations_snapshot(carrier.pk))
        opened += 1
    gone = open_cases.filter(state=S.DETECTED).exclude(carrier__in=penalisable.values("carrier"))
    closed = 0
    for case in gone:
        case_transition(case, Move(S.CLOSED, note=_("The violations are no longer found.")), None)
        closed += 1
    return opened, closed


# --- reminders -----------------------------------------------------------------------------


def _officers() -> QuerySet[Any]:
    return get_user_model().objects.filter(
        is_active=True, groups__name="case_officer"
    ).distinct()  # fmt: skip


def reminders_send(today: dt.date | None = None) -> int:
    """Remind the officer of every open case whose deadline is near or past (cases nobody took:
    every case officer), once per case, state and deadline: an in-app reminder and, for an
    account with an address, an e-mail. Returns how many reminders were made."""
    day = today or timezone.localdate()
    horizon = day + dt.timedelta(days=deadlines_for(day).remind_days_before)
    due = (
        EnforcementCase.objects.filter(state__in=OPEN_STATES, due_on__lte=horizon)
        .select_related("carrier", "assigned_to")
        .order_by("due_on", "pk")
    )
    officers = list(_officers())
    made = 0
    for case in due:
        for user in [case.assigned_to] if case.assigned_to else officers:
            made += _remind(case, user, day)
    return made


def _remind(case: EnforcementCase, user: Any, day: dt.date) -> int:
    assert case.due_on is not None
    reminder, created = CaseReminder.objects.get_or_create(
        case=case, user=user, state=case.state, due_on=case.due_on
    )
    if not created:
        return 0
    if user.email:
        send_mail(
            _reminder_subject(case, day),
            _reminder_body(case),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        reminder.emailed = True
        reminder.save(update_fields=["emailed"])
    return 1


def _reminder_subject(case: EnforcementCase, day: dt.date) -> str:
    assert case.due_on is not None
    if case.due_on < day:
        return _("Case %(number)s: deadline passed on %(due)s") % {
            "number": case.number, "due": case.due_on.isoformat(),
        }  # fmt: skip
    return _("Case %(number)s: deadline on %(due)s") % {
        "number": case.number, "due": case.due_on.isoformat(),
    }  # fmt: skip


def _reminder_body(case: EnforcementCase) -> str:
    rule = deadlines_for(timezone.localdate(case.state_since)).per_state.get(case.state)
    what = str(rule.what) if rule is not None else ""
    return _(
        "Case %(number)s (carrier %(carrier)s) is in the state “%(state)s”.\n"
        "To do by %(due)s: %(what)s.\nLegal basis: %(basis)s."
    ) % {
        "number": case.number,
        "carrier": case.carrier.reference,
        "state": MACHINE.label(case.state),
        "due": case.due_on.isoformat() if case.due_on else "",
        "what": what,
        "basis": rule.basis if rule is not None else "",
    }


def reminders_for(user: Any) -> QuerySet[CaseReminder]:
    """The unread reminders of ``user`` whose case is still in the state they were made for."""
    return (
        CaseReminder.objects.filter(user=user, read_at__isnull=True)
        .select_related("case", "case__carrier")
        .order_by("due_on", "pk")
    ).filter(case__state=F("state"))


# --- selectors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    mine: bool = False
    unassigned: bool = False
    overdue: bool = False
    text: str = ""


def cases_filtered(filters: CaseFilters, user: Any, today: dt.date | None = None) -> QuerySet[Any]:
    """The cases for the staff list, newest first."""
    qs = EnforcementCase.objects.select_related("carrier", "assigned_to")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.mine:
        qs = qs.filter(assigned_to=user)
    if filters.unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    if filters.overdue:
        qs = qs.filter(state__in=OPEN_STATES, due_on__lt=today or timezone.localdate())
    if filters.text:
        text = filters.text.strip()
        qs = qs.filter(Q(number__icontains=text) | Q(carrier__reference__icontains=text))
    return qs.order_by("-opened_at", "-pk")


def state_counts() -> dict[str, int]:
    rows = EnforcementCase.objects.values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}
