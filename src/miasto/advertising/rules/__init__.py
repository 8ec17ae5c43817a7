"""The registry of rule kinds: every module of this package registers one kind.

See :mod:`miasto.advertising.rules.base` for what a kind is; :func:`rule_kinds` lists them.
"""

from __future__ import annotations

import importlib
import pkgutil

from django.utils.translation import gettext as _

from miasto.advertising.rules.base import RuleInput, RuleKind, registered

__all__ = ["RuleInput", "RuleKind", "rule_kind", "rule_kinds", "validate_rule"]

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")


def rule_kinds() -> dict[str, RuleKind]:
    return registered()


def rule_kind(key: str) -> RuleKind | None:
    return registered().get(key)


def validate_rule(rule: RuleInput) -> list[str]:
    """Errors in a rule as entered: unknown kind, bad values, bad settings."""
    kind = rule_kind(rule.kind)
    if kind is None:
        return [_("Unknown rule kind: %s.") % rule.kind]
    return kind.validate(rule)
