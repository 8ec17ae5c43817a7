"""Deadlines of the enforcement workflow, as versioned configuration.

Each state of a case has a deadline counted from the day the case entered it; what the law
fixes cites its article, what a municipality decides itself (how fast it inspects, how long the
notice gives to adjust) says so. Add a new :class:`WorkflowDeadlines` (do not edit an old one)
when the law or the municipality's practice changes: a case's deadline is taken from the
version in force on the day it entered its state. Sources: ``docs/advertising-enforcement.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from miasto.core.versioning import check_versions, version_for


@dataclass(frozen=True)
class Deadline:
    """``days`` and/or ``months`` after the day a case entered a state; ``what`` is due then."""

    what: Any
    basis: str
    days: int = 0
    months: int = 0

    def due(self, start: dt.date) -> dt.date:
        return add_months(start, self.months) + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class WorkflowDeadlines:
    key: str
    valid_from: dt.date
    valid_to: dt.date | None
    #: state → its deadline (a state not listed has none)
    per_state: dict[str, Deadline] = field(default_factory=dict)
    #: a reminder goes this many days before a deadline (and at once when it has passed)
    remind_days_before: int = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months; the end of a shorter month where the day is missing
    (KPA art. 57 § 3: a period in months ends on the same day of the month, or its last day)."""
    if not months:
        return day
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


PRACTICE = "praktyka gminy (konfiguracja, nie przepis ustawy)"

DEADLINES: dict[str, WorkflowDeadlines] = {
    "kpa-2015": WorkflowDeadlines(
        key="kpa-2015",
        # the art. 37a–37d rules took effect on 2015-09-11 (Dz.U. 2015 poz. 774)
        valid_from=dt.date(2015, 9, 11),
        valid_to=None,
        per_state={
            "detected": Deadline(_("inspect the carrier on site"), PRACTICE, days=14),
            "inspected": Deadline(_("send the notice or close the case"), PRACTICE, days=7),
            "notice_sent": Deadline(
                _("check the adjustment; start proceedings if it was not made"),
                PRACTICE,
                days=14,
            ),
            "proceedings": Deadline(
                _("issue the decision"),
                "art. 35 § 3 k.p.a. (sprawa wymagająca postępowania wyjaśniającego: miesiąc)",
                months=1,
            ),
            "decision": Deadline(
                _("appeal period ends: check for an appeal, then payment or removal"),
                "art. 129 § 2 k.p.a. (odwołanie w terminie 14 dni od doręczenia)",
                days=14,
            ),
            "appealed": Deadline(
                _("forward the appeal and the files to the appeal body"),
                "art. 133 k.p.a. (przekazanie odwołania w terminie 7 dni)",
                days=7,
            ),
        },
    ),
}


def deadlines_for(on: dt.date | None = None) -> WorkflowDeadlines:
    return version_for(DEADLINES.values(), on)


def deadline_of(state: str, entered: dt.date) -> dt.date | None:
    """The deadline of a case that entered ``state`` on ``entered`` (None: the state has none)."""
    rule = deadlines_for(entered).per_state.get(state)
    return rule.due(entered) if rule is not None else None


check_versions(DEADLINES.values())
