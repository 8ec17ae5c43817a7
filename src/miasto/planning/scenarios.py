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
from typing import Any, TypedDict, Unpack

from django.db import transaction
from psycopg import sql

from miasto.accessibility.models import Standard
from miasto.core.db import fetch_all, load_sql
from miasto.core.jobs import pending_job, start_job
from miasto.planning import symbology
from miasto.planning.analyses.capacity import capacity, capacity_stored
from miasto.planning.analyses.conflicts import conflicts
from miasto.planning.analyses.coverage import coverage
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
    rows = fetch_all(sql.SQL("SELECT id FROM ({}) z").format(zs.query), zs.params())
    in_force = [row[0] for row in rows]
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


class ScenarioDetails(TypedDict, total=False):
    """The optional attributes of a saved scenario (:func:`scenario_save`)."""

    #: lines ``PLAN DESIGNATION param=value …`` (:func:`parse_overrides`)
    overrides: str
    description: str
    #: the date compared (today when None)
    as_of: dt.date | None
    #: the author of a new scenario
    user: Any
    #: the scenario to update (a new one when absent)
    scenario: Scenario | None


@transaction.atomic
def scenario_save(*, name: str, drafts: list[Plan], **details: Unpack[ScenarioDetails]) -> Scenario:
    """Create or update a scenario; raises :class:`ScenarioError` and writes nothing."""
    overrides = details.get("overrides", "")
    description = details.get("description", "")
    as_of = details.get("as_of")
    user = details.get("user")
    scenario = details.get("scenario")
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


# --------------------------------------------------------------------------- comparison

#: capacity figures compared (keys of the capacity analysis)
CAPACITY_FIGURES = (
    "max_floor_area",
    "remaining_floor_area",
    "residential_floor_area",
    "potential_dwellings",
    "potential_residents",
)


def _delta(base: Any, alt: Any) -> Any:
    if isinstance(base, int | float) and isinstance(alt, int | float):
        return round(alt - base, 4) if isinstance(alt, float) else alt - base
    return None


def _pair(base: dict[str, Any], alt: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {
        k: {"base": base.get(k), "scenario": alt.get(k), "change": _delta(base.get(k), alt.get(k))}
        for k in keys
    }


def _capacity_compare(base: ZoneSet, alt: ZoneSet) -> dict[str, Any]:
    b, s = capacity(base, level="district"), capacity(alt, level="district")
    by_code = {d["code"]: d for d in s["districts"]}
    return {
        "runs": {"base": b["run"]["id"], "scenario": s["run"]["id"]},
        "city": _pair(b["city"], s["city"], CAPACITY_FIGURES),
        "districts": [
            {
                "code": d["code"],
                "name": d["name"],
                **_pair(d, by_code.get(d["code"], {}), CAPACITY_FIGURES),
            }
            for d in b["districts"]
        ],
    }


def _coverage_compare(base: ZoneSet, alt: ZoneSet) -> dict[str, Any]:
    b, s = coverage([base, alt])["series"]
    keys = ("covered_area", "area_share", "covered_population", "population_share")
    by_code = {d["code"]: d for d in s["districts"]}
    return {
        "city": _pair(b["city"], s["city"], keys),
        "districts": [
            {"code": d["code"], "name": d["name"], **_pair(d, by_code.get(d["code"], {}), keys)}
            for d in b["districts"]
        ],
    }


def _conflicts_compare(base: ZoneSet, alt: ZoneSet) -> dict[str, Any]:
    b, s = conflicts(base), conflicts(alt)
    rules: dict[str, dict[str, Any]] = {}
    for side, result in (("base", b), ("scenario", s)):
        for rule in result["rules"]:
            entry = rules.setdefault(
                rule["code"],
                {
                    "code": rule["code"],
                    "description": rule["description"],
                    "severity": rule["severity"],
                    "severity_label": rule.get("severity_label", rule["severity"]),
                    "base": {"count": 0, "area": 0.0},
                    "scenario": {"count": 0, "area": 0.0},
                },
            )
            entry[side] = {"count": rule["count"], "area": rule["area"]}
    new = [c for c in s["conflicts"] if c.get("scenario")]
    return {
        # rules with a conflict on either side (all configured rules are in the analyses)
        "rules": [r for r in rules.values() if r["base"]["count"] or r["scenario"]["count"]],
        "total": {
            "base": b["total"],
            "scenario": s["total"],
        },
        "new_conflicts": new[:200],
    }


_ACCESSIBILITY_SQL = load_sql("miasto.planning", "scenario_accessibility")


def _accessibility_compare(runs: dict[str, int], as_of: dt.date) -> dict[str, Any]:
    """Potential new residents (capacity) on parcels meeting each accessibility standard.

    Distances come from the last bulk accessibility computation; a parcel it did not assess
    (no residential building yet) is counted as *not assessed*, never as meeting the standard.
    """
    standards = list(Standard.objects.active(as_of).values_list("pk", flat=True))
    out: dict[str, dict[str, Any]] = {}
    for side, run in runs.items():
        for code, name, distance, met, not_met, unknown in fetch_all(
            _ACCESSIBILITY_SQL, {"standards": standards, "run": run}
        ):
            entry = out.setdefault(code, {"code": code, "name": name, "distance_m": distance})
            entry[side] = {
                "met": int(round(float(met))),
                "not_met": int(round(float(not_met))),
                "not_assessed": int(round(float(unknown))),
            }
    empty = {"met": 0, "not_met": 0, "not_assessed": 0}
    for entry in out.values():
        entry.setdefault("base", empty)
        entry.setdefault("scenario", empty)
    return {"standards": list(out.values())}


def _changes(scenario: Scenario) -> dict[str, Any]:
    """What the scenario changes: its drafts (with zone counts) and the edited parameters."""
    drafts = [
        {
            "id": p.pk,
            "local_id": p.local_id,
            "title": p.title,
            "status": p.status,
            "status_label": STATUS_PL[p.status],
            "zones": p.zones.count(),
        }
        for p in scenario.drafts.order_by("local_id")
    ]
    zones = Zone.objects.filter(pk__in=[int(k) for k in scenario.overrides or {}]).select_related(
        "plan"
    )
    edits = []
    for zone in sorted(zones, key=lambda z: (z.plan.local_id, z.designation)):
        for name, value in scenario.overrides[str(zone.pk)].items():
            before = getattr(zone, name)
            edits.append(
                {
                    "plan": zone.plan.local_id,
                    "zone_id": zone.pk,
                    "designation": zone.designation,
                    "parameter": name,
                    "label": str(Zone._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                    "base": None if before is None else str(before),
                    "scenario": value,
                }
            )
    return {"drafts": drafts, "parameters": edits}


def scenario_ready(scenario: Scenario) -> bool:
    """Whether the capacity runs of the comparison are stored (else a job computes them)."""
    alt = scenario_zoneset(scenario)
    return capacity_stored(ZoneSet(as_of=alt.as_of)) and capacity_stored(alt)


def scenario_job(scenario: Scenario, *, user: Any = None, start: bool = False) -> Any:
    """The background job computing the scenario's capacity runs (see planning.jobs): the
    pending one (None if none), or with ``start`` a running or new one."""
    payload = {"scenario_id": scenario.pk}
    if start:
        return start_job("planning.scenario", payload, user=user)
    return pending_job("planning.scenario", payload)


def scenario_compare(scenario: Scenario) -> dict[str, Any]:
    """The scenario beside the plans in force: capacity, coverage, conflicts, accessibility."""
    alt = scenario_zoneset(scenario)
    base = ZoneSet(as_of=alt.as_of)
    capacity = _capacity_compare(base, alt)
    return {
        "scenario": {
            "id": scenario.pk,
            "name": scenario.name,
            "description": scenario.description,
            "as_of": alt.as_of.isoformat(),
        },
        "changes": _changes(scenario),
        "capacity": capacity,
        "coverage": _coverage_compare(base, alt),
        "conflicts": _conflicts_compare(base, alt),
        "accessibility": _accessibility_compare(capacity["runs"], alt.as_of),
    }


# --------------------------------------------------------------------------- maps

MAP_WIDTH = 480.0  # SVG user units (CSS px at 100 %)

_EXTENT_SQL = load_sql("miasto.planning", "scenario_extent")

_ZONES_SVG_SQL = sql.SQL("""
SELECT z.designation, z.symbol, z.scenario,
       ST_AsSVG(ST_Affine(ST_SimplifyPreserveTopology(ST_Intersection(z.geom, w.geom), %(tol)s),
                          %(k)s, 0, 0, %(k)s, %(dx)s, %(dy)s), 0, 1),
       ST_X(p), ST_Y(p), ST_Area(ST_Intersection(z.geom, w.geom))
FROM ({zs}) z
CROSS JOIN (SELECT ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, %(srid)s) AS geom) w
CROSS JOIN LATERAL (SELECT ST_Affine(ST_PointOnSurface(ST_Intersection(z.geom, w.geom)),
                                     %(k)s, 0, 0, -%(k)s, %(dx)s, -%(dy)s) AS p) l
WHERE z.geom && w.geom AND ST_Intersects(z.geom, w.geom) AND z.category = 'plan_area'
ORDER BY z.designation
""")


def scenario_maps(scenario: Scenario) -> dict[str, Any] | None:
    """Two SVG maps of the area the scenario changes — local-plan areas in force and in the
    scenario — coloured by land use, with one shared legend; None when nothing spatial
    changes. The zone tables of the comparison are their text equivalent."""
    from django.conf import settings

    alt = scenario_zoneset(scenario)
    zone_ids = [int(k) for k in scenario.overrides or {}]
    row = fetch_all(_EXTENT_SQL, {"drafts": list(alt.drafts), "zones": zone_ids})[0]
    if row[0] is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in row)
    pad = max(x1 - x0, y1 - y0) * 0.08 + 20
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    k = MAP_WIDTH / (x1 - x0)
    height = round((y1 - y0) * k, 1)
    params = {
        "x0": x0, "y0": y0, "x1": x1, "y1": y1, "k": k, "dx": -x0 * k, "dy": -y1 * k,
        "tol": 0.5 / k, "srid": settings.MIASTO_SRID,
    }  # fmt: skip
    maps: dict[str, Any] = {"width": MAP_WIDTH, "height": height, "symbols": set()}
    for side, zs in (("base", ZoneSet(as_of=alt.as_of)), ("scenario", alt)):
        shapes = []
        for designation, symbol, in_scenario, path, lx, ly, area in fetch_all(
            _ZONES_SVG_SQL.format(zs=zs.query), {**zs.params(), **params}
        ):
            maps["symbols"].add(symbol or designation)
            shapes.append(
                {
                    "designation": designation,
                    "colour": symbology.zone_colour(symbol or designation),
                    "path": path,
                    "x": round(lx, 1) if lx is not None else None,
                    "y": round(ly, 1) if ly is not None else None,
                    "label": area * k * k > 600,  # room for a label
                    "changed": bool(in_scenario),
                }
            )
        maps[side] = shapes
    maps["legend"] = symbology.legend_for(sorted(maps.pop("symbols")))
    return maps
