"""Anonymising a person's contributions when their account goes: one registry.

Residents contribute to several modules (consultation comments, proposals, survey answers,
problem reports, alert subscriptions). When an account is deleted the contributions that are
part of a public record stay, but nothing in them may name or identify the person any more.
Each module declares in its ``privacy.py`` one function ``anonymise(user) -> int`` (how many
rows it changed or deleted) with :func:`anonymiser`; :func:`anonymise_user` runs them all in
the caller's transaction, before the account row is deleted (``accounts.services``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from miasto.core.registry import Registry

Anonymiser = Callable[[Any], int]

anonymiser_registry: Registry[Anonymiser] = Registry("anonymisers", "privacy")


def anonymiser(key: str) -> Callable[[Anonymiser], Anonymiser]:
    """Register the decorated function as the anonymiser named ``key`` (e.g. "problems")."""

    def decorate(func: Anonymiser) -> Anonymiser:
        return anonymiser_registry.register(key, func)

    return decorate


def anonymise_user(user: Any) -> dict[str, int]:
    """Run every module's anonymiser on ``user``; returns the rows touched per module."""
    return {key: func(user) for key, func in anonymiser_registry.items()}
