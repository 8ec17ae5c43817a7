"""The rule kinds of a landscape resolution: what each checks and how, in SQL.

A :class:`RuleKind` validates a rule's values on entry (:meth:`RuleKind.validate`) and gives
the SQL that finds the carriers against it (:attr:`RuleKind.findings`): a ``SELECT`` over the
compliance engine's ``cr`` relation — one row per (carrier, rule of the carrier's zone that
applies to its kind) — returning ``carrier_id, rule_id, zone_id, other_id, other_label,
measured, allowed``. The engine (:mod:`miasto.advertising.compliance`) runs every kind's
statement at once (``UNION ALL``), so the whole register is judged in one statement; distance
kinds measure through the GiST indexes (``ST_DWithin``), never pair by pair in Python.

Columns of ``cr``: ``carrier_id, kind, location, area, width, height, sides, bottom_edge,
facade_share, window_share, window_distance, illumination, lit_from, lit_until, installed_on,
exposure_until, business, building_id, parcel_id, rule_id, rule_kind, zone_id, min_value,
max_value, params`` and ``on_date`` (the date the rules are judged at).

A new kind is one new file in this package that calls :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _

from miasto.advertising.kinds import KIND_VALUES

#: no rule value (metres, m², days…) is sensibly larger
MAX_RULE_VALUE = Decimal("100000")


@dataclass(frozen=True)
class RuleInput:
    """The values of a rule as entered (a form, an import, the admin)."""

    kind: str
    carrier_kinds: list[str] = field(default_factory=list)
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleKind:
    key: str
    #: a short name (lazy translation)
    label: Any
    #: the unit of its values: "m", "m²", "%", "h", "d", "" (a count or none)
    unit: str
    #: which value the rule needs: the minimum, the maximum, both, or none (settings only)
    needs: Literal["min", "max", "both", "none"]
    #: the violation's description: ``%1$s`` measured, ``%2$s`` allowed, ``%3$s`` other object
    message: Any
    #: the statement finding violations (see the module docstring)
    findings: str
    #: the largest distance the kind looks at other *carriers* (for the incremental re-check)
    reaches_carriers: bool = False
    #: only these carrier kinds may be subject to the rule (empty: any)
    only_kinds: frozenset[str] = frozenset()
    #: errors in the kind's own settings (``params``); by default it takes none
    check_params: Callable[[RuleInput], list[str]] | None = None

    def validate(self, rule: RuleInput) -> list[str]:
        """Errors in ``rule`` (empty when it may be saved)."""
        errors = _common_errors(self, rule)
        errors.extend(self.validate_params(rule))
        return errors

    def validate_params(self, rule: RuleInput) -> list[str]:
        if self.check_params is None:
            return unknown_params(rule, set())
        return self.check_params(rule)


def _common_errors(kind: RuleKind, rule: RuleInput) -> list[str]:
    errors: list[str] = []
    unknown = sorted(set(rule.carrier_kinds) - KIND_VALUES)
    if unknown:
        errors.append(_("Unknown carrier kind: %s.") % ", ".join(unknown))
    if kind.only_kinds and (
        not rule.carrier_kinds or not set(rule.carrier_kinds) <= kind.only_kinds
    ):
        errors.append(_("This rule may apply only to: %s.") % ", ".join(sorted(kind.only_kinds)))
    values = [v for v in (rule.min_value, rule.max_value) if v is not None]
    if any(v < 0 for v in values):
        errors.append(_("Values may not be negative."))
    if any(v > MAX_RULE_VALUE for v in values):
        errors.append(_("A value above %s is out of any sensible range.") % MAX_RULE_VALUE)
    if kind.needs in ("min", "both") and rule.min_value is None:
        errors.append(_("This rule needs a minimum."))
    if kind.needs in ("max", "both") and rule.max_value is None:
        errors.append(_("This rule needs a maximum."))
    if (
        rule.min_value is not None
        and rule.max_value is not None
        and rule.min_value > rule.max_value
    ):
        errors.append(
            _("The minimum (%(min)s) may not exceed the maximum (%(max)s).")
            % {"min": rule.min_value, "max": rule.max_value}
        )
    return errors


_REGISTRY: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    if kind.key in _REGISTRY and _REGISTRY[kind.key] is not kind:
        raise ValueError(f"rule kind {kind.key!r} is already registered")
    _REGISTRY[kind.key] = kind
    return kind


def registered() -> dict[str, RuleKind]:
    return dict(_REGISTRY)


def unknown_params(rule: RuleInput, allowed: set[str]) -> list[str]:
    """An error naming the settings a kind does not know."""
    extra = sorted(set(rule.params) - allowed)
    return [_("Unknown setting: %s.") % ", ".join(extra)] if extra else []
