"""Reads for plans and zones. GeoJSON is built by PostGIS (``ST_AsGeoJSON``) in one query."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q, QuerySet

from miasto.planning.models import Plan, Zone
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
