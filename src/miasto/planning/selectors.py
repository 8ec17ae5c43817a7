"""Reads for plans and zones. GeoJSON is built by PostGIS (``ST_AsGeoJSON``) in one query."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q, QuerySet

from miasto.core.db import fetch_value, load_sql
from miasto.planning.models import BuildingLine, LegalAct, Plan, SpecialArea, Zone
from miasto.planning.statuses import ENACTED_STATUSES, PlanStatus

PARAM_FIELDS = (
    "min_intensity", "max_intensity", "max_coverage", "min_bio_active", "max_height",
    "max_storeys", "min_plot_area", "parking_ratio",
)  # fmt: skip


def zones_at(geom: GEOSGeometry, *, as_of: dt.date | None = None) -> QuerySet[Zone]:
    """Zones of enacted plans in force on ``as_of`` (today) that intersect ``geom`` (a point,
    a parcel…): one SQL query using the GiST index."""
    as_of = as_of or dt.date.today()
    return (
        Zone.objects.filter(
            geom__intersects=geom,
            plan__status__in=ENACTED_STATUSES,
            valid_from__lte=as_of,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))
        .select_related("plan")
    )


def plan_list(*, kind: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    qs = Plan.objects.order_by("kind", "local_id", "id")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "kind_label": str(p.get_kind_display()),
            "local_id": p.local_id,
            "namespace": p.namespace,
            "title": p.title,
            "status": p.status,
            "status_label": str(PlanStatus(p.status).label),
            "valid_from": p.valid_from.isoformat() if p.valid_from else None,
            "valid_to": p.valid_to.isoformat() if p.valid_to else None,
            "amends": p.amends_id,
        }
        for p in qs
    ]


def _num(value: Any) -> Any:
    if value is None:
        return None
    return float(value) if not isinstance(value, int) else value


def plan_detail(plan_id: int, *, srid: int = 4326, history: bool = False) -> dict[str, Any] | None:
    """The plan with its current zones (or all versions with ``history``) as GeoJSON."""
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return None
    zones = plan.zones.all() if history else plan.zones.filter(valid_to__isnull=True)
    zones = zones.annotate(
        gj=AsGeoJSON(Transform("geom", srid), precision=7 if srid == 4326 else 2)
    )
    features = []
    for z in zones.order_by("designation", "id"):
        props: dict[str, Any] = {
            "id": z.pk,
            "local_id": z.local_id,
            "designation": z.designation,
            "number": z.number,
            "symbol": z.symbol,
            "category": z.category,
            "name": z.name,
            "land_use_classes": z.land_use_classes,
            "basic_profile": z.basic_profile,
            "additional_profile": z.additional_profile,
            "rules": z.rules,
            "valid_from": z.valid_from.isoformat() if z.valid_from else None,
            "valid_to": z.valid_to.isoformat() if z.valid_to else None,
        }
        props.update({name: _num(getattr(z, name)) for name in PARAM_FIELDS})
        features.append(
            {"type": "Feature", "id": z.pk, "geometry": json.loads(z.gj), "properties": props}
        )
    boundary = None
    if plan.geom is not None:
        boundary = json.loads(
            Plan.objects.filter(pk=plan.pk)
            .annotate(gj=AsGeoJSON(Transform("geom", srid), precision=7 if srid == 4326 else 2))
            .values_list("gj", flat=True)
            .get()
        )
    summary = plan_list()
    head = next(p for p in summary if p["id"] == plan.pk)
    head.update(
        {
            "boundary": boundary,
            "crs": "CRS84" if srid == 4326 else f"EPSG:{srid}",
            "legal_acts": [
                {
                    "kind": a.kind,
                    "title": a.title,
                    "number": a.number,
                    "date": a.date.isoformat() if a.date else None,
                    "journal_position": a.journal_position,
                    "url": a.url,
                }
                for a in plan.legal_acts.order_by("date", "id")
            ],
            "status_history": [
                {
                    "from": c.from_status,
                    "to": c.to_status,
                    "effective": c.effective.isoformat(),
                    "note": c.note,
                }
                for c in plan.status_changes.order_by("created_at", "id")
            ],
            "zones": {"type": "FeatureCollection", "features": features},
        }
    )
    return head


# ------------------------------------------------------------------ pages ------------------
# The plan list and the plan page (``miasto.planning.pages.plans``).


def _on_date(qs: QuerySet[Any], as_of: dt.date | None) -> QuerySet[Any]:
    if as_of is None:
        return qs.filter(valid_to__isnull=True)
    """Zones, building lines or special areas in force on ``as_of``; without it the current
    ones (no end date) — the same filter as ``sql/plan_page_geojson.sql``."""
    return qs.filter(valid_from__lte=as_of).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))


def plan_search(
    *,
    kind: str | None = None,
    status: str | None = None,
    in_force_on: dt.date | None = None,
    q: str | None = None,
) -> QuerySet[Plan]:
    """Plans for the register page: by type, status, in force on a date (an enacted plan whose
    ``valid_from <= date < valid_to``) and text (title, identifier or resolution number),
    each with the number of its current zones."""
    from django.db.models import Count, Exists, OuterRef

    qs = Plan.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if in_force_on:
        qs = qs.filter(status__in=ENACTED_STATUSES, valid_from__lte=in_force_on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=in_force_on)
        )
    if q:
        acts = LegalAct.objects.filter(plan=OuterRef("pk"), number__icontains=q)
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(local_id__icontains=q)
            | Q(namespace__icontains=q)
            | Exists(acts)
        )
    return qs.annotate(zone_count=Count("zones", filter=Q(zones__valid_to__isnull=True))).order_by(
        "kind", "local_id", "id"
    )


def plan_boundaries_geojson(ids: list[int], *, tolerance: float = 2.0) -> str:
    """The boundaries of the plans ``ids`` as a GeoJSON FeatureCollection in CRS84 (text),
    simplified by ``tolerance`` metres for an overview map; built by PostGIS."""

    sql = """
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
        json_build_object(
            'type', 'Feature', 'id', p.id,
            'geometry', ST_AsGeoJSON(ST_Transform(
                ST_SimplifyPreserveTopology(p.geom, %(tol)s), 4326), 6)::json,
            'properties', json_build_object(
                'id', p.id, 'kind', p.kind, 'status', p.status, 'title', p.title,
                'local_id', p.local_id))
        ORDER BY CASE WHEN p.kind = 'pog' THEN 0 ELSE 1 END, ST_Area(p.geom) DESC, p.id
    ), '[]'::json))::text
    FROM planning_plan p
    WHERE p.id = ANY(%(ids)s) AND p.geom IS NOT NULL
    """
    return str(fetch_value(sql, {"ids": list(ids), "tol": tolerance}))


def plan_zones_on(plan: Plan, as_of: dt.date | None = None) -> QuerySet[Zone]:
    """The plan's zones in force on ``as_of`` (the current ones — without an end date — when
    ``None``), for the zone table."""
    return _on_date(plan.zones.all(), as_of).order_by("designation", "id")


def plan_building_lines_on(plan: Plan, as_of: dt.date | None = None) -> QuerySet[Any]:
    from django.contrib.gis.db.models.functions import Length

    return (
        _on_date(BuildingLine.objects.filter(plan=plan), as_of)
        .select_related("zone")
        .annotate(length_m=Length("geom"))
        .order_by("zone__designation", "kind", "id")
    )


def plan_special_areas_on(plan: Plan, as_of: dt.date | None = None) -> QuerySet[Any]:
    from django.contrib.gis.db.models.functions import Area

    return (
        _on_date(SpecialArea.objects.filter(plan=plan), as_of)
        .annotate(area_m2=Area("geom"))
        .order_by("kind", "designation", "local_id", "id")
    )


def plan_page_geojson(plan_id: int, as_of: dt.date | None = None) -> str:
    """One JSON object (text) for the plan page's map, built by PostGIS in one statement
    (``sql/plan_page_geojson.sql``): ``zones``, ``lines`` (building lines) and ``specials``
    (OUZ/OZS/OSD) in force on ``as_of`` (current ones without it) as FeatureCollections, and
    the plan ``boundary``; all in CRS84."""
    statement = load_sql("miasto.planning", "plan_page_geojson")
    return str(fetch_value(statement, {"plan": plan_id, "as_of": as_of}))
