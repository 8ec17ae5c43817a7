"""Scenarios: a draft plan, or edited zone parameters, compared with the plans in force.

A :class:`~miasto.planning.models.Scenario` names draft plans and parameter overrides; it
becomes a :class:`~miasto.planning.zoneset.ZoneSet`, and every analysis runs twice — on the
zones in force and on the scenario's zones — so the comparison is the same code as the
analyses themselves, side by side (:func:`scenario_compare`).

Overrides are written one zone per line, the way planners name zones::

    MPZP-07 3MN max_intensity=1.2 max_coverage=40
    POG-1 12SW max_height=

(plan identifier, zone designation, ``parameter=value`` pairs; an empty value clears the
parameter). :func:`parse_overrides` resolves them to zone ids among the zones the scenario
sees, and checks every value against the versioned parameter ranges.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from miasto.planning.catalogue import catalogue_for
from miasto.planning.models import Plan, Scenario, Zone
from miasto.planning.statuses import DRAFT_STATUSES, STATUS_PL
from miasto.planning.zoneset import OVERRIDABLE, ZoneSet

MAX_OVERRIDE_LINES = 500
_PAIR = re.compile(r"^([a-z_]+)=(.*)$")


class ScenarioError(Exception):
    """A rejected scenario; ``problems`` lists everything found (Polish)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def scenario_zoneset(scenario: Scenario) -> ZoneSet:
    overrides = {int(k): dict(v) for k, v in (scenario.overrides or {}).items()}
    return ZoneSet(
        as_of=scenario.as_of or dt.date.today(),
        drafts=tuple(sorted(scenario.drafts.values_list("pk", flat=True))),
        overrides=overrides,
    )


def _candidate_zones(as_of: dt.date, drafts: list[Plan]) -> dict[tuple[str, str], Zone]:
    """Zones a scenario may edit: in force on ``as_of`` or belonging to one of its drafts."""
    zs = ZoneSet(as_of=as_of)
    ids = Zone.objects.raw(f"SELECT id FROM ({zs.sql}) z", zs.params())
    in_force = [z.pk for z in ids]
    qs = Zone.objects.filter(pk__in=in_force) | Zone.objects.filter(plan__in=drafts)
    return {(z.plan.local_id, z.designation): z for z in qs.select_related("plan")}


def parse_overrides(text: str, *, as_of: dt.date, drafts: list[Plan]) -> dict[str, dict[str, Any]]:
    """Lines ``PLAN DESIGNATION param=value …`` → ``{"zone id": {param: "value" | None}}``."""
    lines = [ln.strip() for ln in (text or "").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if len(lines) > MAX_OVERRIDE_LINES:
        raise ScenarioError([f"Za dużo wierszy zmian (ponad {MAX_OVERRIDE_LINES})."])
    if not lines:
        return {}
    zones = _candidate_zones(as_of, drafts)
    catalogue = catalogue_for(as_of)
    problems: list[str] = []
    result: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(lines, 1):
        parts = line.split()
        if len(parts) < 3:
            problems.append(
                f"Wiersz {n}: oczekiwano „PLAN OZNACZENIE parametr=wartość”, jest „{line[:80]}”."
            )
            continue
        plan_id, designation, pairs = parts[0], parts[1], parts[2:]
        zone = zones.get((plan_id, designation))
        if zone is None:
            problems.append(
                f"Wiersz {n}: nie ma obowiązującej strefy {designation} w planie {plan_id} "
                "(ani w projektach scenariusza)."
            )
            continue
        specs = catalogue.pog_params if zone.category == "pog_zone" else catalogue.mpzp_params
        values = result.setdefault(str(zone.pk), {})
        for pair in pairs:
            m = _PAIR.match(pair)
            if not m or m.group(1) not in OVERRIDABLE:
                problems.append(
                    f"Wiersz {n}: „{pair[:40]}” — dozwolone parametry: {', '.join(OVERRIDABLE)} "
                    "(zapis parametr=wartość)."
                )
                continue
            name, raw = m.groups()
            if raw == "":
                values[name] = None
                continue
            try:
                number = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                number = Decimal("NaN")
            spec = specs.get(name)
            if not number.is_finite():
                problems.append(f"Wiersz {n}: {name} = „{raw[:20]}” nie jest liczbą.")
            elif spec is not None and not spec.lo <= number <= spec.hi:
                problems.append(
                    f"Wiersz {n}: {spec.label} strefy {designation} = {number} poza zakresem "
                    f"{spec.lo}–{spec.hi}."
                )
            else:
                values[name] = str(number)
        lo, hi = values.get("min_intensity"), values.get("max_intensity")
        lo = lo if lo is not None else zone.min_intensity
        hi = hi if hi is not None else zone.max_intensity
        if lo is not None and hi is not None and Decimal(str(lo)) > Decimal(str(hi)):
            problems.append(
                f"Wiersz {n}: minimalna intensywność ({lo}) większa od maksymalnej ({hi}) "
                f"w strefie {designation}."
            )
    if problems:
        raise ScenarioError(problems)
    return result


def overrides_text(scenario: Scenario) -> str:
    """The overrides back in the line format (for editing)."""
    zones = Zone.objects.filter(pk__in=[int(k) for k in scenario.overrides or {}]).select_related(
        "plan"
    )
    by_id = {str(z.pk): z for z in zones}
    lines = []
    for key, values in (scenario.overrides or {}).items():
        zone = by_id.get(key)
        if zone is None:
            continue
        pairs = " ".join(f"{k}={'' if v is None else v}" for k, v in values.items())
        lines.append(f"{zone.plan.local_id} {zone.designation} {pairs}")
    return "\n".join(lines)


def _check_drafts(drafts: list[Plan]) -> None:
    bad = [p for p in drafts if p.status not in DRAFT_STATUSES]
    if bad:
        raise ScenarioError(
            [
                f"Plan {p.local_id} ma status „{STATUS_PL[p.status]}” — scenariusz porównuje "
                "projekty planów (wszczęte, w opracowaniu, w konsultacjach)."
                for p in bad
            ]
        )


@transaction.atomic
def scenario_save(
    *,
    name: str,
    drafts: list[Plan],
    overrides: str = "",
    description: str = "",
    as_of: dt.date | None = None,
    user: Any = None,
    scenario: Scenario | None = None,
) -> Scenario:
    """Create or update a scenario; raises :class:`ScenarioError` and writes nothing."""
    drafts = list(Plan.objects.filter(pk__in=[p.pk for p in drafts]))  # current statuses
    _check_drafts(drafts)
    parsed = parse_overrides(overrides, as_of=as_of or dt.date.today(), drafts=drafts)
    if not drafts and not parsed:
        raise ScenarioError(["Scenariusz musi zawierać projekt planu albo zmiany parametrów."])
    scenario = scenario or Scenario(created_by=user if getattr(user, "pk", None) else None)
    scenario.name = name.strip()[:200]
    scenario.description = description
    scenario.as_of = as_of
    scenario.overrides = parsed
    scenario.save()
    scenario.drafts.set(drafts)
    return scenario
