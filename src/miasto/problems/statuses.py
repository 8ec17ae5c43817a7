"""The lifecycle of a problem report (zgłoszenie), as a :class:`core.statemachine.StateMachine`.

A report is *open* when it arrives; a case officer (or an administrator) acknowledges it, works
on it and ends it as *resolved* (the problem is fixed), *closed* (nothing more will be done,
e.g. it is another body's matter), *rejected* (not a problem the city handles, abuse) or
*duplicate* (another report covers it). Open311 knows two statuses only: the first three are
``open``, the final ones ``closed`` (:data:`OPEN311_STATUS`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.statemachine import StateMachine, Transition


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("problem report status", "submitted")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", pgettext_lazy("problem report status", "resolved")
    CLOSED = "closed", pgettext_lazy("problem report status", "closed")
    REJECTED = "rejected", pgettext_lazy("problem report status", "rejected")
    DUPLICATE = "duplicate", _("duplicate")


OFFICERS = frozenset({"case_officer", "administrator"})

ACTIVE = (Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
FINAL = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.DUPLICATE)

#: our status → Open311's (GeoReport v2 knows ``open`` and ``closed``)
OPEN311_STATUS = {**{s.value: "open" for s in ACTIVE}, **{s.value: "closed" for s in FINAL}}


def _t(source: Status, target: Status, label: object) -> Transition:
    return Transition(source.value, target.value, OFFICERS, label)


def _endings(source: Status) -> list[Transition]:
    return [
        _t(source, Status.RESOLVED, _("Mark resolved")),
        _t(source, Status.CLOSED, _("Close")),
        _t(source, Status.REJECTED, _("Reject")),
        _t(source, Status.DUPLICATE, _("Mark as duplicate")),
    ]


MACHINE = StateMachine(
    "problems.report",
    Status.choices,
    [
        _t(Status.OPEN, Status.ACKNOWLEDGED, _("Acknowledge")),
        _t(Status.OPEN, Status.IN_PROGRESS, _("Start work")),
        *_endings(Status.OPEN),
        _t(Status.ACKNOWLEDGED, Status.IN_PROGRESS, _("Start work")),
        *_endings(Status.ACKNOWLEDGED),
        *_endings(Status.IN_PROGRESS),
        # a closed case may be reopened when the problem comes back or was closed by mistake
        _t(Status.RESOLVED, Status.IN_PROGRESS, _("Reopen")),
        _t(Status.CLOSED, Status.IN_PROGRESS, _("Reopen")),
    ],
)
