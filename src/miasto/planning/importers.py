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

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any

import shapely
from django.db import connection

from miasto.core.importing import ImportTarget, PublishPlan, TargetField, import_targets
from miasto.core.jobs import JobError
from miasto.core.sql import execute
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
        self,
        table: str,
        mapping: dict[str, str],
        *,
        max_removed_share: float = 0.5,
        passed: Collection[str] = (),
        plan: PublishPlan | None = None,
        lookups: str | None = None,
    ) -> dict[str, int]:
        """``passed``: the quality checks that found nothing (the zones are validated by the
        planning services all the same); ``plan`` and ``lookups`` are not made for zones."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            if cursor.fetchone()[0] > MAX_ZONES:
                raise JobError(
                    f"Plik ma ponad {MAX_ZONES} stref — to nie jest warstwa stref planu."
                )
            # (the select names the file's columns: run with a parameter list, miasto.core.sql)
            execute(
                cursor,
                f"SELECT s.*, ST_AsBinary(s.geom) AS wkb "
                f"FROM ({self.source_select(table, mapping)}) s ORDER BY plan, fid",
            )
            names = [c.name for c in cursor.description]
            rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        by_plan: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            if not row["plan"]:
                raise JobError(f"Obiekt nr {row['fid']}: brak identyfikatora planu (pole „plan”).")
            by_plan.setdefault(row["plan"], []).append(row)
        plans = {p.local_id: p for p in Plan.objects.filter(local_id__in=list(by_plan))}
        unknown = sorted(set(by_plan) - set(plans))
        if unknown:
            raise JobError(
                f"Nie ma planów o identyfikatorach: {', '.join(unknown[:10])}. Najpierw załóż plan "
                "(rejestr planów), potem wczytaj jego strefy."
            )
        added = removed = 0
        for local_id, plan_rows in by_plan.items():
            zone_plan = plans[local_id]
            zones = [_zone_input(zone_plan, row) for row in plan_rows]
            rules = {
                z.local_id: (row.get("rules") or "")
                for z, row in zip(zones, plan_rows, strict=True)
            }
            removed += zone_plan.zones.count()
            try:
                created = plan_set_zones(plan=zone_plan, zones=zones, rules=rules)
            except PlanError as exc:
                raise JobError(str(exc)) from exc
            added += len(created)
        return {"added": added, "changed": 0, "removed": removed}


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
