"""The consultation lifecycle: draft → announced → open → closed → report published.

Planners and administrators announce a consultation and publish its report; the application
itself (``system``: the periodic job of :mod:`miasto.consultations.jobs`) opens it on its
first day and closes it after its last, which staff may also do by hand on those days.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.consultations.models import Status
from miasto.core.statemachine import SYSTEM, StateMachine, Transition

RUNNERS = frozenset({"planner", "administrator"})

MACHINE = StateMachine(
    "consultation",
    Status.choices,
    [
        Transition(Status.DRAFT, Status.ANNOUNCED, RUNNERS, _("Announce")),
        Transition(Status.ANNOUNCED, Status.OPEN, RUNNERS | {SYSTEM}, _("Open for comments")),
        Transition(
            Status.OPEN, Status.CLOSED, RUNNERS | {SYSTEM}, pgettext_lazy("consultation", "Close")
        ),
        Transition(Status.CLOSED, Status.REPORT_PUBLISHED, RUNNERS, _("Publish the report")),
    ],
)

#: statuses the public sees (a draft is the planners' own)
PUBLIC_STATUSES = (Status.ANNOUNCED, Status.OPEN, Status.CLOSED, Status.REPORT_PUBLISHED)
