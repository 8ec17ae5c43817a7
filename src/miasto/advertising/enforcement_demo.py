"""Demo enforcement cases (``miasto demo-advertising-cases``): after ``demo-advertising`` has
judged the register, the system opens a case for every carrier with a violation that may be
penalised, and a few cases per state are walked through the workflow by the demo inspector
and case officer (``miasto demo-users``) over the past months — inspections, notices,
proceedings, decisions with their penalty, payments, removals, appeals — so that every state
of the workflow and every page has something to show."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from miasto.advertising.documents import document_generate
from miasto.advertising.enforcement import Move, case_transition, cases_sync, reminders_send
from miasto.advertising.inspection import (
    InspectionInput,
    Measurements,
    Position,
    inspection_record,
)
from miasto.advertising.models.enforcement import EnforcementCase

#: the path of a case to each state (after "detected")
PATHS: dict[str, list[str]] = {
    "inspected": ["inspected"],
    "notice_sent": ["inspected", "notice_sent"],
    "proceedings": ["inspected", "notice_sent", "proceedings"],
    "decision": ["inspected", "notice_sent", "proceedings", "decision"],
    "paid": ["inspected", "notice_sent", "proceedings", "decision", "paid"],
    "removed": ["inspected", "notice_sent", "removed"],
    "appealed": ["inspected", "notice_sent", "proceedings", "decision", "appealed"],
    "closed": ["inspected", "closed"],
}
#: days between two steps of a demo case
STEP_DAYS = 12


class NoDemoData(Exception):
    """The register, or the demo users, are not there yet."""


@dataclass
class DemoCasesResult:
    created: bool
    opened: int = 0
    walked: int = 0
    reminders: int = 0

    def summary(self) -> str:
        if not self.created:
            return "Sprawy egzekwowania uchwały już są — nic nie zmieniono."
        return (
            f"Założono {self.opened} spraw z naruszeń uchwały krajobrazowej; "
            f"{self.walked} z nich przeprowadzono przez kolejne etapy; "
            f"przypomnienia: {self.reminders}."
        )


def _user(role: str) -> Any:
    user = get_user_model().objects.filter(groups__name=role, is_active=True).order_by("pk").first()
    if user is None:
        raise NoDemoData(f"Brak użytkownika w roli {role}: najpierw `miasto demo-users`.")
    return user


def demo_cases_generate(
    *, if_missing: bool = True, per_state: int = 4, seed: int = 2026
) -> DemoCasesResult:
    if if_missing and EnforcementCase.objects.exists():
        return DemoCasesResult(created=False)
    inspector, officer = _user("inspector"), _user("case_officer")
    with transaction.atomic():
        opened, _closed = cases_sync()
        if not opened:
            raise NoDemoData("Brak naruszeń w rejestrze: najpierw `miasto demo-advertising`.")
        cases = list(EnforcementCase.objects.filter(state="detected").order_by("pk"))
        random.Random(seed).shuffle(cases)
        walked = 0
        for target, path in PATHS.items():
            for case in cases[walked : walked + per_state]:
                _walk(case, path, (inspector, officer), target == "decision")
            walked += min(per_state, max(len(cases) - walked, 0))
        reminders = reminders_send()
    return DemoCasesResult(True, opened, walked, reminders)


def _walk(case: EnforcementCase, path: list[str], users: tuple[Any, Any], draft: bool) -> None:
    """Take ``case`` along ``path``, one step every :data:`STEP_DAYS` days, ending today."""
    inspector, officer = users
    start = timezone.localdate() - dt.timedelta(days=STEP_DAYS * (len(path) + 1))
    moment = timezone.make_aware(dt.datetime.combine(start, dt.time(8)))
    EnforcementCase.objects.filter(pk=case.pk).update(state_since=moment)
    case.refresh_from_db()
    for n, step in enumerate(path, start=1):
        day = start + dt.timedelta(days=STEP_DAYS * n)
        if step == "inspected":
            _inspect(case, inspector, day)
        else:
            case_transition(case, Move(step, on=day, note="demo"), officer)
        case.refresh_from_db()
    if draft:
        document_generate(case, "decision", officer)


def _inspect(case: EnforcementCase, inspector: Any, day: dt.date) -> None:
    carrier = case.carrier
    taken = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
    inspection_record(
        InspectionInput(
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"miasto-demo-inspection-{case.pk}"),
            carrier=carrier,
            measurements=Measurements(
                carrier.width,
                carrier.height,
                carrier.sides,
                carrier.bottom_edge,
                carrier.illumination != "none",
            ),
            position=Position(carrier.location, "gps"),
            taken_at=taken,
            notes="Oględziny demonstracyjne: wymiary zgodne z rejestrem.",
        ),  # fmt: skip
        inspector,
    )
