"""The plan lifecycle as an explicit state machine.

Statuses and the allowed transitions live here and nowhere else; the status changes only
through :func:`miasto.planning.services.plan_change_status`, which checks
:func:`can_transition`, records a :class:`~miasto.planning.models.PlanStatusChange` and the
audit log.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    INITIATED = "initiated", _("initiated")
    IN_PREPARATION = "in_preparation", _("in preparation")
    CONSULTATION = "consultation", _("public consultation")
    ADOPTED = "adopted", pgettext_lazy("plan status", "adopted")
    IN_FORCE = "in_force", pgettext_lazy("plan status", "in force")
    AMENDED = "amended", _("in force, amended")
    ANNULLED = "annulled", pgettext_lazy("plan status", "annulled")
    EXPIRED = "expired", _("expired")


S = PlanStatus

ALLOWED_STATUS_CHANGES: dict[str, frozenset[str]] = {
    S.INITIATED: frozenset({S.IN_PREPARATION}),
    S.IN_PREPARATION: frozenset({S.CONSULTATION}),
    S.CONSULTATION: frozenset({S.IN_PREPARATION, S.ADOPTED}),
    S.ADOPTED: frozenset({S.IN_FORCE, S.ANNULLED}),
    S.IN_FORCE: frozenset({S.AMENDED, S.ANNULLED, S.EXPIRED}),
    S.AMENDED: frozenset({S.AMENDED, S.ANNULLED, S.EXPIRED}),
    S.ANNULLED: frozenset(),
    S.EXPIRED: frozenset(),
}

DRAFT_STATUSES = frozenset({S.INITIATED, S.IN_PREPARATION, S.CONSULTATION})
#: statuses of a plan that is (or was) law — its zones count for "as of" questions
ENACTED_STATUSES = frozenset({S.ADOPTED, S.IN_FORCE, S.AMENDED, S.ANNULLED, S.EXPIRED})
IN_FORCE_STATUSES = frozenset({S.IN_FORCE, S.AMENDED})
#: statuses that end the plan's legal force (its zones get ``valid_to``)
ENDING_STATUSES = frozenset({S.ANNULLED, S.EXPIRED})

#: APP 2.0 ``status`` (INSPIRE ProcessStepGeneralValue) ↔ plan status
APP_STATUS = {
    S.INITIATED: "elaboration",
    S.IN_PREPARATION: "elaboration",
    S.CONSULTATION: "elaboration",
    S.ADOPTED: "adoption",
    S.IN_FORCE: "legalForce",
    S.AMENDED: "legalForce",
    S.ANNULLED: "obsolete",
    S.EXPIRED: "obsolete",
}
APP_STATUS_TITLE = {
    "elaboration": "w opracowaniu",
    "adoption": "w trakcie przyjmowania",
    "legalForce": "prawnie wiążący",
    "obsolete": "nieaktualny",
}
FROM_APP_STATUS = {
    "elaboration": S.IN_PREPARATION,
    "adoption": S.ADOPTED,
    "legalForce": S.IN_FORCE,
    "obsolete": S.EXPIRED,
}


#: Polish names used in service messages (independent of the request language)
STATUS_PL: dict[str, str] = {
    S.INITIATED: "wszczęty",
    S.IN_PREPARATION: "w przygotowaniu",
    S.CONSULTATION: "konsultacje społeczne",
    S.ADOPTED: "uchwalony",
    S.IN_FORCE: "obowiązujący",
    S.AMENDED: "obowiązujący, zmieniony",
    S.ANNULLED: "unieważniony",
    S.EXPIRED: "wygasły",
}


def can_transition(current: str, new: str) -> bool:
    return new in ALLOWED_STATUS_CHANGES.get(current, frozenset())


def allowed_next(current: str) -> list[str]:
    return sorted(ALLOWED_STATUS_CHANGES.get(current, frozenset()))
