"""Conflicts between zones and spatial constraints, by the rules of the analysis configuration.

A zone of the :class:`~miasto.planning.zoneset.ZoneSet` (general-plan zones and local-plan
areas alike) matches a rule when its symbol or one of its land-use classes is listed by the
rule; it conflicts with each constraint of the rule's kinds that it overlaps by at least
``conflict_min_area`` m² (smaller overlaps are digitising slivers, counted in
``ignored_slivers``). One conflict per (rule, zone, constraint), with the overlap area, the
share of the zone it takes and its area in each district. Totals add the overlap areas, so
land where a local-plan area and a POG zone both conflict counts under each of them.

The overlays are the safe ``miasto_*`` functions (:mod:`miasto.core.overlay`): a pair GEOS
cannot overlay the plain way is overlaid on the 1 mm grid instead of failing the analysis
(a few thousand pairs: the exception block each costs nothing to speak of).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from psycopg import sql

from miasto.core.db import execute, fetch_all
from miasto.core.overlay import is_geos_error, overlay_error
from miasto.core.sql import choices_case
from miasto.planning.analyses.common import r1
from miasto.planning.analyses.config import SEVERITIES, AnalysisConfig, analysis_config_for
from miasto.planning.models import Plan
from miasto.planning.zoneset import ZoneSet
from miasto.territory.models import Constraint

_SQL = sql.SQL("""
WITH rule AS (
    SELECT * FROM jsonb_to_recordset(%(rules)s::jsonb) AS r(
        ord int, code text, zone_symbols text[], land_use_classes text[],
        constraint_kinds text[], severity text)
),
z AS (SELECT * FROM ({zs}) z),
hit AS (
    SELECT r.ord, r.code, r.severity, z.id AS zone_id, z.plan_id, z.plan_kind, z.category,
           z.designation, z.symbol, z.scenario, ST_Area(z.geom) AS zone_area,
           c.id AS constraint_id, c.kind, c.name,
           ST_CollectionExtract(miasto_intersection(z.geom, c.geom), 3) AS g
    FROM z
    JOIN rule r ON z.symbol = ANY(r.zone_symbols) OR z.land_use_classes ?| r.land_use_classes
    JOIN territory_constraint c ON c.kind = ANY(r.constraint_kinds)
         AND c.geom && z.geom AND miasto_intersects(c.geom, z.geom)
),
measured AS (
    SELECT hit.*, ST_Area(g) AS a FROM hit
),
kept AS (
    SELECT * FROM measured WHERE a >= %(min_area)s
),
part AS (
    SELECT k.ord, k.zone_id, k.constraint_id, d.code, d.name,
           ST_Area(miasto_intersection(k.g, d.geom)) AS a
    FROM kept k JOIN territory_district d ON d.geom && k.g AND miasto_intersects(d.geom, k.g)
)
SELECT k.ord, k.code, k.severity, k.zone_id, k.plan_id, k.plan_kind, {plan_kind_label},
       pl.local_id, pl.title, k.category, k.designation, k.symbol, k.scenario, k.zone_area,
       k.constraint_id, k.kind, {constraint_kind_label}, k.name, k.a,
       COALESCE((SELECT json_agg(json_build_object('code', p.code, 'name', p.name,
                                                   'area', round(p.a::numeric, 1))
                                 ORDER BY p.code)
                 FROM part p
                 WHERE p.ord = k.ord AND p.zone_id = k.zone_id
                   AND p.constraint_id = k.constraint_id AND p.a > 0), '[]'::json),
       {geometry},
       (SELECT count(*) FROM measured m WHERE m.a > 0 AND m.a < %(min_area)s)
FROM kept k JOIN planning_plan pl ON pl.id = k.plan_id
WHERE (%(severity)s::text IS NULL OR k.severity = %(severity)s)
  AND (%(rule)s::text IS NULL OR k.code = %(rule)s)
  AND (%(plan)s::bigint IS NULL OR k.plan_id = %(plan)s)
  AND (%(district)s::text IS NULL OR EXISTS (
        SELECT 1 FROM part p WHERE p.ord = k.ord AND p.zone_id = k.zone_id
          AND p.constraint_id = k.constraint_id AND p.code = %(district)s AND p.a > 0))
ORDER BY k.ord, k.a DESC, k.designation, k.zone_id, k.constraint_id
""")

_GEOMETRY = sql.SQL("ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(k.g, 0.5), 4326), 6)")


@dataclass(frozen=True)
class ConflictFilters:
    """Which conflicts to keep: those touching one district (code), of one severity, of one
    rule (its code: the kind of conflict) or of one plan (its id); ``None``: any."""

    district: str | None = None
    severity: str | None = None
    rule: str | None = None
    plan: int | None = None


def conflicts(
    zones: ZoneSet,
    *,
    district: str | None = None,
    severity: str | None = None,
    geometry: bool = False,
    filters: ConflictFilters | None = None,
) -> dict[str, Any]:
    """Conflicts of the zone set with the constraints (see module); optionally only those
    touching one district (code) or of one severity, or as ``filters`` say (which then
    replaces ``district`` and ``severity``); ``geometry`` adds each overlap as GeoJSON in
    CRS84."""
    chosen = filters or ConflictFilters(district=district, severity=severity)
    district = chosen.district
    if chosen.severity is not None and chosen.severity not in SEVERITIES:
        raise ValueError(f"unknown severity {chosen.severity!r}")
    config = analysis_config_for(zones.as_of)
    query = ConflictQuery(zones, chosen, geometry)
    rows = _conflict_rows(query, config)
    by_code = {rule.code: rule for rule in config.conflict_rules}
    items = [_conflict_item(row, by_code[row[1]], geometry=geometry) for row in rows]
    # (every row carries the count of slivers left out)
    ignored = int(rows[-1][-1]) if rows else 0
    result = {
        "analysis": "conflicts",
        "as_of": zones.as_of.isoformat(),
        "scenario": zones.is_scenario,
        "configuration": {"key": config.key, "conflict_min_area": config.conflict_min_area},
        "filters": {
            "district": district,
            "severity": chosen.severity,
            "rule": chosen.rule,
            "plan": chosen.plan,
        },
        "ignored_slivers": ignored,
    }
    return {**result, **_summed(items, config, district)}


def conflicts_of_plan(result: dict[str, Any], plan: int | None) -> dict[str, Any]:
    """A result of :func:`conflicts` narrowed to the conflicts of one plan (its id), the totals
    summed again (``None``: the result as it is). One computation then gives both the plans a
    page offers and the chosen plan's conflicts."""
    if plan is None:
        return result
    items = [c for c in result["conflicts"] if c["zone"]["plan_id"] == plan]
    config = analysis_config_for(dt.date.fromisoformat(result["as_of"]))
    district = result["filters"]["district"]
    return {
        **result,
        "filters": {**result["filters"], "plan": plan},
        **_summed(items, config, district),
    }


def _summed(
    items: list[dict[str, Any]], config: AnalysisConfig, district: str | None
) -> dict[str, Any]:
    """The conflicts with their totals: by rule, severity and district."""
    totals = _totals(items, config.conflict_rules, district)
    by_rule = {t["rule"]: t for t in totals["by_rule"]}
    return {
        "rules": [
            {
                **rule.as_dict(),
                "severity_label": str(SEVERITIES[rule.severity]),
                "count": by_rule[rule.code]["count"],
                "area": by_rule[rule.code]["area"],
            }
            for rule in config.conflict_rules
        ],
        "conflicts": items,
        "total": {"count": totals["count"], "area": totals["area"]},
        "totals": totals,
    }


@dataclass(frozen=True)
class ConflictQuery:
    """What :func:`conflicts` asks: the zones, the filters, and whether to give geometry."""

    zones: ZoneSet
    filters: ConflictFilters
    geometry: bool


def _conflict_rows(query: ConflictQuery, config: AnalysisConfig) -> list[tuple[Any, ...]]:
    """The rows of the conflict statement (one per rule, zone and constraint)."""
    rules = [{"ord": i, **rule.as_dict()} for i, rule in enumerate(config.conflict_rules)]
    statement = _SQL.format(
        zs=query.zones.query,
        plan_kind_label=sql.SQL(choices_case("k.plan_kind", Plan.Kind.choices)),
        constraint_kind_label=sql.SQL(choices_case("k.kind", Constraint.Kind.choices)),
        geometry=_GEOMETRY if query.geometry else sql.SQL("NULL"),
    )
    params = {
        **query.zones.params(),
        "rules": json.dumps(rules),
        "min_area": config.conflict_min_area,
        "severity": query.filters.severity,
        "district": query.filters.district,
        "rule": query.filters.rule,
        "plan": query.filters.plan,
    }
    try:
        with transaction.atomic():
            execute("SET LOCAL jit = off")  # compiling costs more than running here
            return fetch_all(statement, params)
    except DatabaseError as exc:
        if not is_geos_error(exc):
            raise
        raise overlay_error(_("zones against the constraints"), exc) from exc


def _conflict_item(row: tuple[Any, ...], rule: Any, *, geometry: bool) -> dict[str, Any]:
    """One conflict of the result, from its row and its rule."""
    (_ord, code, sev, zone_id, plan_id, plan_kind, plan_kind_label, plan_local_id,
     plan_title, category, designation, symbol, from_scenario, zone_area, constraint_id, kind,
     kind_label,
     name, area, districts_json, geojson, _slivers) = row  # fmt: skip
    item: dict[str, Any] = {
        "rule": code,
        "severity": sev,
        "severity_label": str(SEVERITIES[sev]),
        "description": rule.description,
        "legal_basis": rule.legal_basis,
        # the zone comes from a draft plan of the scenario
        "scenario": bool(from_scenario),
        "zone": {
            "id": zone_id,
            "plan_id": plan_id,
            "plan_kind": plan_kind,
            "plan_kind_label": plan_kind_label,
            "plan_local_id": plan_local_id,
            "plan_title": plan_title,
            "category": category,
            "designation": designation,
            "symbol": symbol,
        },
        "constraint": {
            "id": constraint_id,
            "kind": kind,
            "kind_label": kind_label,
            "name": name,
        },  # fmt: skip
        "area": r1(area),
        "share_of_zone": round(float(area) / float(zone_area), 4) if zone_area else None,
        "districts": json.loads(districts_json)
        if isinstance(districts_json, str)
        else districts_json,
    }
    if geometry:
        item["geometry"] = json.loads(geojson) if geojson else None
    return item


def _totals(items: list[dict[str, Any]], rules: Any, district: str | None) -> dict[str, Any]:
    by_severity = {s: {"count": 0, "area": 0.0} for s in SEVERITIES}
    by_rule = {
        r.code: {
            "rule": r.code,
            "severity": r.severity,
            "description": r.description,
            "count": 0,
            "area": 0.0,
        }  # fmt: skip
        for r in rules
    }
    by_district: dict[str, dict[str, Any]] = {}
    for c in items:
        by_severity[c["severity"]]["count"] += 1
        by_severity[c["severity"]]["area"] += c["area"]
        by_rule[c["rule"]]["count"] += 1
        by_rule[c["rule"]]["area"] += c["area"]
        for d in c["districts"]:
            if district is not None and d["code"] != district:
                continue
            entry = by_district.setdefault(
                d["code"],
                {
                    "code": d["code"],
                    "name": d["name"],
                    "count": 0,
                    "area": 0.0,
                    **{s: 0 for s in SEVERITIES},
                },  # fmt: skip
            )
            entry["count"] += 1
            entry["area"] += float(d["area"])
            entry[c["severity"]] += 1
    for entry in [*by_severity.values(), *by_rule.values(), *by_district.values()]:
        entry["area"] = round(entry["area"], 1)
    return {
        "count": len(items),
        "area": round(sum(c["area"] for c in items), 1),
        "by_severity": by_severity,
        "by_rule": list(by_rule.values()),
        "by_district": sorted(by_district.values(), key=lambda e: e["code"]),
    }


def conflicts_geojson(conflicts_result: dict[str, Any]) -> dict[str, Any]:
    """The conflicts (computed with ``geometry=True``) as a GeoJSON FeatureCollection."""
    features = []
    for c in conflicts_result["conflicts"]:
        features.append(
            {
                "type": "Feature",
                "geometry": c.get("geometry"),
                "properties": {
                    "rule": c["rule"],
                    "severity": c["severity"],
                    "severity_label": c["severity_label"],
                    "description": c["description"],
                    "designation": c["zone"]["designation"],
                    "plan": c["zone"]["plan_local_id"],
                    "plan_kind": c["zone"]["plan_kind"],
                    "constraint": c["constraint"]["name"],
                    "constraint_kind": c["constraint"]["kind"],
                    "area": c["area"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
