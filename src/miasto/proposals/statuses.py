"""The lifecycle of a proposal, as a :class:`miasto.core.statemachine.StateMachine`.

A resident's proposal is published at once (``submitted``); moderators take it up for review or
turn away what is off topic, planners and administrators decide and report implementation.
Every staff transition carries official feedback (checked in the service), published on the
proposal's page.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.statemachine import StateMachine, Transition


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "submitted")
    UNDER_REVIEW = "under_review", _("under review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", pgettext_lazy("proposal status", "rejected")
    IMPLEMENTED = "implemented", _("implemented")


#: who works on proposals: moderators triage, planners and administrators decide
TRIAGE = frozenset({"moderator", "planner", "administrator"})
DECIDE = frozenset({"planner", "administrator"})
STAFF_ROLES = TRIAGE

MACHINE = StateMachine(
    "proposal",
    Status.choices,
    [
        Transition(Status.SUBMITTED, Status.UNDER_REVIEW, TRIAGE, _("Take up for review")),
        Transition(Status.SUBMITTED, Status.REJECTED, TRIAGE, _("Reject")),
        Transition(Status.UNDER_REVIEW, Status.ACCEPTED, DECIDE, _("Accept")),
        Transition(Status.UNDER_REVIEW, Status.REJECTED, DECIDE, _("Reject")),
        Transition(Status.ACCEPTED, Status.IMPLEMENTED, DECIDE, _("Mark as implemented")),
        Transition(Status.REJECTED, Status.UNDER_REVIEW, DECIDE, _("Review again")),
    ],
)
