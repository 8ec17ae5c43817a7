"""Data hub import target ``zones``: plan zones from any GIS file (GeoPackage, GeoJSON, SHP…).

Planners often receive a plan's zones as a GeoPackage or a shapefile from a design office
rather than as APP GML. Through the data hub such a file becomes a versioned dataset, and
making a version current *publishes* its zones into the plans the features name:

- the ``plan`` field holds the plan's ``local_id`` (lokalnyId) — one file may carry the zones
  of several plans; every plan must exist and still be a draft (an enacted plan changes only
  through an amending plan);
- ``designation`` (``3MN``, ``MN/U.2.6``…) is parsed leniently like APP designations; the
  parameters are optional numbers; ``local_id`` defaults to ``<plan>-<designation>``;
- the zones of each plan are validated together exactly as an APP import (parameter ranges,
  min ≤ max, profiles, overlaps inside the plan, gaps) and replace the plan's zones in one
  transaction — a rejected plan rejects the whole version, naming the zone and the problem.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import shapely
from psycopg import sql

from miasto.core.db import fetch_dicts, fetch_value
from miasto.core.importing import (
    ImportTarget,
    PublishOptions,
    TargetField,
    import_targets,
    qualified,
)
from miasto.core.jobs import JobError
from miasto.planning.models import Plan, Zone
from miasto.planning.services import PlanError, plan_set_zones
from miasto.planning.validation import ZoneInput
from miasto.planning.zoneset import OVERRIDABLE

#: numeric zone parameters a file may carry (Zone field names)
PARAMS = (*OVERRIDABLE, "parking_ratio")
MAX_ZONES = 20_000  # a plan has tens to hundreds of zones; a city-wide POG a few hundred


class ZonesTarget(ImportTarget):
    """Publishes into :class:`~miasto.planning.models.Zone` through the planning services."""

    def publish(
        self, table: str, mapping: dict[str, str], options: PublishOptions | None = None
    ) -> dict[str, int]:
        """The zones of each plan the rows name replace its zones. (``options``: the quality
        checks that found nothing are not relied on — the zones are validated by the planning
        services all the same; a plan and lookups made ahead do not exist for zones.)"""
        by_plan = _rows_by_plan(self._rows(table, mapping))
        plans = _named_plans(list(by_plan))
        added = removed = 0
        for local_id, plan_rows in by_plan.items():
            zone_plan = plans[local_id]
            removed += zone_plan.zones.count()
            added += _replace_zones(zone_plan, plan_rows)
        return {"added": added, "changed": 0, "removed": removed}

    def _rows(self, table: str, mapping: dict[str, str]) -> list[dict[str, Any]]:
        """The version's rows as target fields (``wkb``: the geometry), by plan and fid."""
        if fetch_value(sql.SQL("SELECT count(*) FROM {}").format(qualified(table))) > MAX_ZONES:
            raise JobError(f"Plik ma ponad {MAX_ZONES} stref — to nie jest warstwa stref planu.")
        # (the select names the file's columns: identifiers, run with a parameter list)
        return fetch_dicts(
            sql.SQL("SELECT s.*, ST_AsBinary(s.geom) AS wkb FROM ({}) s ORDER BY plan, fid").format(
                self.source_select(table, mapping)
            )
        )


def _rows_by_plan(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_plan: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if not row["plan"]:
            raise JobError(f"Obiekt nr {row['fid']}: brak identyfikatora planu (pole „plan”).")
        by_plan.setdefault(row["plan"], []).append(row)
    return by_plan


def _named_plans(local_ids: list[str]) -> dict[str, Plan]:
    """The plans the rows name, by ``local_id``; every one must exist."""
    plans = {p.local_id: p for p in Plan.objects.filter(local_id__in=local_ids)}
    unknown = sorted(set(local_ids) - set(plans))
    if unknown:
        raise JobError(
            f"Nie ma planów o identyfikatorach: {', '.join(unknown[:10])}. Najpierw załóż plan "
            "(rejestr planów), potem wczytaj jego strefy."
        )
    return plans


def _replace_zones(plan: Plan, rows: list[dict[str, Any]]) -> int:
    """The plan's zones replaced by ``rows`` (validated by the planning services); how many."""
    zones = [_zone_input(plan, row) for row in rows]
    rules = {z.local_id: (row.get("rules") or "") for z, row in zip(zones, rows, strict=True)}
    try:
        created = plan_set_zones(plan=plan, zones=zones, rules=rules)
    except PlanError as exc:
        raise JobError(str(exc)) from exc
    return len(created)


def _zone_input(plan: Plan, row: dict[str, Any]) -> ZoneInput:
    fid = row["fid"]
    designation = (row["designation"] or "").strip()
    if not designation:
        raise JobError(f"Obiekt nr {fid}: brak oznaczenia strefy (pole „designation”).")
    params: dict[str, Decimal | None] = {}
    for name in PARAMS:
        value = row.get(name)
        if value is None:
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise JobError(f"Obiekt nr {fid} ({designation}): „{value}” nie jest liczbą.") from exc
        if not number.is_finite():
            raise JobError(f"Obiekt nr {fid} ({designation}): „{value}” nie jest liczbą.")
        params[name] = number
    pog = plan.kind == Plan.Kind.POG
    category = (row.get("category") or "").strip() or (
        Zone.Category.POG_ZONE if pog else Zone.Category.PLAN_AREA
    )
    if category not in Zone.Category.values:
        raise JobError(
            f"Obiekt nr {fid} ({designation}): nieznana kategoria „{category}” "
            f"(dozwolone: {', '.join(Zone.Category.values)})."
        )
    profile = [p.strip() for p in (row.get("basic_profile") or "").split(",") if p.strip()]
    return ZoneInput(
        local_id=(row.get("local_id") or f"{plan.local_id}-{designation}")[:100],
        designation=designation,
        symbol=(row.get("symbol") or "").strip(),
        category=category,
        name=(row.get("name") or "")[:250],
        basic_profile=profile,
        params=params,
        geom=shapely.from_wkb(bytes(row["wkb"])) if row["wkb"] is not None else None,
    )


import_targets.register(
    "zones",
    ZonesTarget(
        key="zones",
        label="strefy planu (POG, MPZP)",
        model=Zone,
        geometry="POLYGON",
        key_fields=("plan", "designation"),
        fields=(
            TargetField("plan", required=True, help="identyfikator planu (lokalnyId)"),
            TargetField("designation", required=True, help="oznaczenie, np. 3MN, MN/U.2.6"),
            TargetField("local_id"),
            TargetField("symbol"),
            TargetField("category"),
            TargetField("name"),
            TargetField("basic_profile", help="profil podstawowy, symbole po przecinku"),
            *(TargetField(p, "decimal") for p in PARAMS),
            TargetField("rules", help="ustalenia tekstowe"),
        ),
    ),
)
