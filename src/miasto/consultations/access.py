"""Who may do what with consultations (role codes of :mod:`miasto.core.roles`)."""

from __future__ import annotations

from typing import Any

from miasto.consultations.lifecycle import RUNNERS
from miasto.core.statemachine import roles_of

MODERATORS = frozenset({"moderator", "administrator"})
#: who enters comments received on paper, by e-mail or at a meeting
CLERKS = frozenset({"planner", "moderator", "administrator"})


def may_run(user: Any) -> bool:
    """Set up, announce, handle comments, generate and publish the report."""
    return bool(roles_of(user) & RUNNERS)


def may_moderate(user: Any) -> bool:
    return bool(roles_of(user) & MODERATORS)


def may_enter(user: Any) -> bool:
    return bool(roles_of(user) & CLERKS)


def is_consultation_staff(user: Any) -> bool:
    return bool(roles_of(user) & (RUNNERS | MODERATORS))
