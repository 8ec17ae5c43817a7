"""Case lifecycles as explicit state machines (ARCHITECTURE.md, principle 5).

A module declares its machine once — the states and, for each allowed transition, who may
make it — and its service changes a case's state only through :meth:`StateMachine.check`
(which raises :class:`TransitionError` with a message a person understands), then records the
change (a history row, the audit log). Pages show the buttons :meth:`StateMachine.targets`
returns, so what a person may do and what the service accepts cannot drift apart.

Who may make a transition is a set of role codes (:mod:`miasto.core.roles`); ``"*"`` means any
signed-in person and ``"system"`` the application itself (a periodic job, an import), which
:meth:`check` accepts only when called with ``user=None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

ANYONE = "*"
SYSTEM = "system"


class TransitionError(Exception):
    """A transition that is not allowed, or not allowed to this person; ``str()`` says why."""


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    #: the verb on the button ("Wyślij wezwanie"), translated lazily by the module
    label: Any = ""


def roles_of(user: Any) -> set[str]:
    """The role codes of ``user`` (group names), ``{"administrator", …}`` for superusers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cached: set[str] | None = getattr(user, "_miasto_roles", None)
    if cached is None:
        from miasto.core.roles import ROLES

        cached = (
            set(ROLES) if user.is_superuser else set(user.groups.values_list("name", flat=True))
        )
        user._miasto_roles = cached
    return cached


class StateMachine:
    def __init__(
        self, name: str, states: Iterable[tuple[str, Any]], transitions: Iterable[Transition]
    ):
        self.name = name
        self.states = dict(states)
        self.transitions = list(transitions)
        for t in self.transitions:
            if t.source not in self.states or t.target not in self.states:
                raise ValueError(f"{name}: transition {t.source} -> {t.target} names no state")

    def find(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if (t.source, t.target) == (source, target)), None)

    def may(self, transition: Transition, user: Any) -> bool:
        if user is None:
            return SYSTEM in transition.roles
        if not user.is_authenticated:
            return False
        return ANYONE in transition.roles or bool(transition.roles & roles_of(user))

    def targets(self, source: str, user: Any) -> list[Transition]:
        """The transitions ``user`` may make from ``source``, in declaration order."""
        return [t for t in self.transitions if t.source == source and self.may(t, user)]

    def check(self, source: str, target: str, user: Any) -> Transition:
        """The transition from ``source`` to ``target`` if ``user`` may make it, else raise."""
        transition = self.find(source, target)
        if transition is None:
            raise TransitionError(
                _("A case in state “%(source)s” cannot move to “%(target)s”.")
                % {"source": self.label(source), "target": self.label(target)}
            )
        if not self.may(transition, user):
            raise TransitionError(
                _("You may not move a case from “%(source)s” to “%(target)s”.")
                % {"source": self.label(source), "target": self.label(target)}
            )
        return transition

    def label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def is_final(self, state: str) -> bool:
        return not any(t.source == state for t in self.transitions)
