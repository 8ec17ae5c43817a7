"""The survey's lifecycle: draft → open → closed (:mod:`miasto.core.statemachine`).

Staff who build surveys (planner, moderator, administrator) open and close them; the
application itself (``system``: the periodic job in :mod:`miasto.surveys.jobs`) opens a
draft on its start date and closes an open survey when its end date passes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.statemachine import SYSTEM, StateMachine, Transition
from miasto.surveys.models import SurveyStatus

#: the roles that build and run surveys
BUILDERS = frozenset({"planner", "moderator", "administrator"})

SURVEY_LIFECYCLE = StateMachine(
    "survey",
    SurveyStatus.choices,
    [
        Transition(
            SurveyStatus.DRAFT, SurveyStatus.OPEN, BUILDERS | {SYSTEM}, _("Open the survey")
        ),
        Transition(
            SurveyStatus.OPEN, SurveyStatus.CLOSED, BUILDERS | {SYSTEM}, _("Close the survey")
        ),
    ],
)
