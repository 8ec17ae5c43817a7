"""The landscape resolution's lifecycle: statuses and allowed changes, in one place.

A draft may go to consultation (and back to drafting), is adopted by the council, enters into
force after publication in the voivodeship's journal, and ends when repealed or annulled (by
the voivode or a court). Only :func:`miasto.advertising.services.resolution_change_status`
changes the status, recording a :class:`ResolutionStatusChange`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResolutionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("resolution status", "draft")
    CONSULTATION = "consultation", _("public consultation")
    ADOPTED = "adopted", pgettext_lazy("resolution status", "adopted")
    IN_FORCE = "in_force", pgettext_lazy("resolution status", "in force")
    REPEALED = "repealed", _("repealed")
    ANNULLED = "annulled", pgettext_lazy("resolution status", "annulled")


S = ResolutionStatus

ALLOWED_STATUS_CHANGES: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.CONSULTATION, S.ADOPTED}),
    S.CONSULTATION: frozenset({S.DRAFT, S.ADOPTED}),
    S.ADOPTED: frozenset({S.IN_FORCE, S.ANNULLED}),
    S.IN_FORCE: frozenset({S.REPEALED, S.ANNULLED}),
    S.REPEALED: frozenset(),
    S.ANNULLED: frozenset(),
}

DRAFT_STATUSES = frozenset({S.DRAFT, S.CONSULTATION})
#: statuses of a resolution that binds (its rules judge the register)
BINDING_STATUSES = frozenset({S.IN_FORCE})
