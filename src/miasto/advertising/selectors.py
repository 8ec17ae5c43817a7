"""Reads of the advertising module: the register as GeoJSON, a carrier with its compliance,
violations page by page, the rules in force, and the figures of the dashboards.

Public reads carry no personal data: owners, operators and businesses appear only when
``staff`` is true (the views decide, by role).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from miasto.advertising.compliance import RULESETS_IN_FORCE
from miasto.advertising.kinds import CATEGORY_OF, CarrierKind, Illumination, Mounting
from miasto.advertising.models import Carrier, Violation
from miasto.advertising.rules import rule_kind
from miasto.core import db

CARRIER_PROPERTIES = """
  'id', c.id, 'reference', c.reference, 'kind', c.kind, 'status', c.status,
  'width', c.width, 'height', c.height, 'sides', c.sides, 'area', c.area,
  'illumination', c.illumination, 'mounting', c.mounting, 'bottom_edge', c.bottom_edge,
  'installed_on', c.installed_on, 'zone', z.code,
  'compliant', r.compliant, 'under_adjustment', r.under_adjustment,
  'open_violations', r.open_violations, 'checked_on', r.checked_on
"""

STAFF_PROPERTIES = """
  'owner', o.name, 'operator', op.name, 'business', nullif(c.business, ''),
  'parcel', p.identifier, 'building', b.identifier
"""

CARRIERS = """
SELECT json_build_object(
  'type', 'FeatureCollection',
  'numberMatched', (SELECT count(*) FROM sel),
  'numberReturned', count(page.id),
  'features', coalesce(json_agg(json_build_object(
     'type', 'Feature', 'id', page.id,
     'geometry', ST_AsGeoJSON(ST_Transform(page.location, 4326), 7)::json,
     'properties', page.props) ORDER BY page.id) FILTER (WHERE page.id IS NOT NULL), '[]'::json))
  FROM (SELECT * FROM sel ORDER BY id LIMIT %(limit)s) page
"""

CARRIERS_SELECTION = """
WITH sel AS (
  SELECT c.id, c.location, json_build_object({props}) AS props
    FROM advertising_carrier c
    LEFT JOIN advertising_complianceresult r ON r.carrier_id = c.id
    LEFT JOIN advertising_zone z ON z.id = r.zone_id
    LEFT JOIN advertising_owner o ON o.id = c.owner_id
    LEFT JOIN advertising_owner op ON op.id = c.operator_id
    LEFT JOIN territory_parcel p ON p.id = c.parcel_id
    LEFT JOIN territory_building b ON b.id = c.building_id
   WHERE c.status = 'active'
     AND (%(bbox)s::float8[] IS NULL OR c.location && ST_Transform(ST_MakeEnvelope(
          (%(bbox)s::float8[])[1], (%(bbox)s::float8[])[2], (%(bbox)s::float8[])[3],
          (%(bbox)s::float8[])[4], 4326), 2180))
     AND (%(kind)s::text IS NULL OR c.kind = %(kind)s)
     AND (%(zone)s::text IS NULL OR z.code = %(zone)s)
     AND (%(compliant)s::boolean IS NULL OR r.compliant = %(compliant)s)
)
"""


def carriers_geojson(
    *, bbox: tuple[float, float, float, float] | None = None, filters: dict[str, Any],
    limit: int = 1000, staff: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Standing carriers as a GeoJSON FeatureCollection (EPSG:4326), filtered by ``bbox``
    (lon/lat) and ``filters`` (``kind``, ``zone`` code, ``compliant``)."""
    props = CARRIER_PROPERTIES + ("," + STAFF_PROPERTIES if staff else "")
    params = {
        "bbox": list(bbox) if bbox else None,
        "kind": filters.get("kind"),
        "zone": filters.get("zone"),
        "compliant": filters.get("compliant"),
        "limit": limit,
    }
    data: dict[str, Any] = db.fetch_json(CARRIERS_SELECTION.format(props=props) + CARRIERS, params)
    return data


#: one carrier's properties (``{props}``: the public ones, or also the staff's) and geometry
CARRIER_DETAIL = """
SELECT json_build_object({props}), ST_AsGeoJSON(ST_Transform(c.location, 4326), 7)::json
  FROM advertising_carrier c
  LEFT JOIN advertising_complianceresult r ON r.carrier_id = c.id
  LEFT JOIN advertising_zone z ON z.id = r.zone_id
  LEFT JOIN advertising_owner o ON o.id = c.owner_id
  LEFT JOIN advertising_owner op ON op.id = c.operator_id
  LEFT JOIN territory_parcel p ON p.id = c.parcel_id
  LEFT JOIN territory_building b ON b.id = c.building_id
 WHERE c.id = %(id)s"""


def carrier_detail(pk: int, *, staff: bool = False) -> dict[str, Any] | None:
    """One carrier (any status) with its verdict, violations (open first) and permits."""
    props = CARRIER_PROPERTIES + ("," + STAFF_PROPERTIES if staff else "")
    row = db.fetch_one(CARRIER_DETAIL.format(props=props), {"id": pk})
    if row is None:
        return None
    props_json, geometry = row
    carrier = Carrier.objects.get(pk=pk)
    return {
        "type": "Feature",
        "id": pk,
        "geometry": geometry,
        "properties": {
            **props_json,
            "kind_label": str(CarrierKind(carrier.kind).label),
            "category": CATEGORY_OF[carrier.kind],
            "illumination_label": str(Illumination(carrier.illumination).label),
            "mounting_label": str(Mounting(carrier.mounting).label),
            "violations": [violation_dict(v) for v in _violations_of(carrier)],
            "permits": [
                {
                    "kind": p.kind,
                    "number": p.number,
                    "issued_on": p.issued_on.isoformat(),
                    "valid_until": p.valid_until.isoformat() if p.valid_until else None,
                }
                for p in carrier.permits.all()
            ],  # fmt: skip
            "photos": carrier.photos.count(),
        },
    }


def _violations_of(carrier: Carrier) -> list[Violation]:
    return list(
        carrier.violations.select_related("zone").order_by("-resolved_on", "-detected_on")[:100]
    )


def violation_dict(v: Violation) -> dict[str, Any]:
    kind = rule_kind(v.rule_kind)
    return {
        "id": v.pk,
        "carrier": v.carrier_id,
        "rule": v.rule_id,
        "rule_kind": v.rule_kind,
        "rule_label": str(kind.label) if kind else v.rule_kind,
        "zone": v.zone.code,
        "legal_basis": v.legal_basis,
        "measured": str(v.measured) if v.measured is not None else None,
        "allowed": str(v.allowed) if v.allowed is not None else None,
        "unit": v.unit,
        "other": v.other_label or None,
        "message": v.message,
        "detected_on": v.detected_on.isoformat(),
        "resolved_on": v.resolved_on.isoformat() if v.resolved_on else None,
        "adjustment_until": v.adjustment_until.isoformat() if v.adjustment_until else None,
        "penalisable": v.penalisable,
    }


def violations_page(*, filters: dict[str, Any], page: int, size: int) -> dict[str, Any]:
    """Violations filtered (``zone`` code, ``rule_kind``, ``carrier_kind``, ``state``:
    open / resolved / all, ``penalisable``, ``carrier``), newest first, one page."""
    qs = Violation.objects.select_related("zone", "carrier").order_by("-detected_on", "-id")
    state = filters.get("state") or "open"
    if state == "open":
        qs = qs.filter(resolved_on__isnull=True)
    elif state == "resolved":
        qs = qs.filter(resolved_on__isnull=False)
    if filters.get("zone"):
        qs = qs.filter(zone__code=filters["zone"])
    if filters.get("rule_kind"):
        qs = qs.filter(rule_kind=filters["rule_kind"])
    if filters.get("carrier_kind"):
        qs = qs.filter(carrier__kind=filters["carrier_kind"])
    if filters.get("penalisable") is not None:
        qs = qs.filter(penalisable=filters["penalisable"])
    if filters.get("carrier"):
        qs = qs.filter(carrier_id=filters["carrier"])
    total = qs.count()
    items = list(qs[(page - 1) * size : page * size])
    return {
        "count": total,
        "page": page,
        "page_size": size,
        "pages": max(1, -(-total // size)),
        "violations": [violation_dict(v) | {"reference": v.carrier.reference} for v in items],
    }


ZONES_IN_FORCE = (
    """
SELECT z.id, z.code, z.name, z.adjustment_months, z.provision, res.number, res.title,
       ST_AsGeoJSON(ST_Transform(z.geom, 4326), 6)::json AS geometry
  FROM advertising_zone z
  JOIN ("""
    + RULESETS_IN_FORCE
    + """) rs ON rs.id = z.ruleset_id
  JOIN advertising_ruleset r ON r.id = z.ruleset_id
  JOIN advertising_landscaperesolution res ON res.id = r.resolution_id
 ORDER BY z.code
"""
)


def zones_in_force(on: dt.date | None = None, *, geometry: bool = False) -> list[dict[str, Any]]:
    """The zones judging the register on ``on`` with their rules described for people."""
    zones = db.fetch_dicts(ZONES_IN_FORCE, {"on": on or dt.date.today()})
    rules = _rules_of([z["id"] for z in zones])
    for z in zones:
        z["rules"] = rules.get(z["id"], [])
        if not geometry:
            z.pop("geometry")
    return zones


def _rules_of(zone_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = db.fetch_dicts(
        "SELECT zone_id, kind, carrier_kinds, min_value, max_value, params, provision "
        "FROM advertising_zonerule WHERE zone_id = ANY (%(ids)s) ORDER BY zone_id, kind, id",
        {"ids": zone_ids},
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        kind = rule_kind(r["kind"])
        out.setdefault(r["zone_id"], []).append(
            {"kind": r["kind"], "label": str(kind.label) if kind else r["kind"],
             "unit": kind.unit if kind else "", "carrier_kinds": r["carrier_kinds"],
             "min": str(r["min_value"]) if r["min_value"] is not None else None,
             "max": str(r["max_value"]) if r["max_value"] is not None else None,
             "params": r["params"], "provision": r["provision"],
             "describe": describe_rule(r)}
        )  # fmt: skip
    return out


def describe_rule(r: dict[str, Any]) -> str:
    """A rule in a sentence (kinds, values, settings)."""
    kind = rule_kind(r["kind"])
    label = str(kind.label) if kind else r["kind"]
    unit = kind.unit if kind else ""
    parts = [label]
    if r.get("min_value") is not None:
        parts.append(_("at least %(v)s %(u)s") % {"v": r["min_value"], "u": unit})
    if r.get("max_value") is not None:
        parts.append(_("at most %(v)s %(u)s") % {"v": r["max_value"], "u": unit})
    for key in ("kinds", "allowed", "other_kinds"):
        if key in (r.get("params") or {}):
            parts.append(": " + ", ".join(_label(v) for v in r["params"][key]))
    if r.get("carrier_kinds"):
        parts.append(_("(for: %s)") % ", ".join(_label(k) for k in r["carrier_kinds"]))
    return " ".join(p.strip() for p in parts)


def _label(value: str) -> str:
    for choices in (CarrierKind, Illumination):
        if value in choices.values:
            return str(choices(value).label)
    return value


STATS_BY_ZONE_KIND = """
SELECT z.code AS zone, v.rule_kind, count(*) FILTER (WHERE v.resolved_on IS NULL) AS open,
       count(*) FILTER (WHERE v.resolved_on IS NOT NULL) AS resolved
  FROM advertising_violation v JOIN advertising_zone z ON z.id = v.zone_id
 GROUP BY z.code, v.rule_kind ORDER BY z.code, v.rule_kind
"""

STATS_BY_CARRIER_KIND = """
SELECT c.kind, count(*) AS carriers,
       count(*) FILTER (WHERE r.compliant IS FALSE) AS non_compliant,
       count(*) FILTER (WHERE r.under_adjustment) AS under_adjustment
  FROM advertising_carrier c LEFT JOIN advertising_complianceresult r ON r.carrier_id = c.id
 WHERE c.status = 'active' GROUP BY c.kind ORDER BY c.kind
"""

TREND = """
SELECT to_char(m, 'YYYY-MM') AS month,
       (SELECT count(*) FROM advertising_violation v
         WHERE v.detected_on >= m AND v.detected_on < m + interval '1 month') AS detected,
       (SELECT count(*) FROM advertising_violation v
         WHERE v.resolved_on >= m AND v.resolved_on < m + interval '1 month') AS resolved
  FROM generate_series(date_trunc('month', %(since)s::date), date_trunc('month', %(until)s::date),
                       interval '1 month') m
 ORDER BY m
"""


def dashboard(year: int, today: dt.date | None = None) -> dict[str, Any]:
    """The figures of the staff dashboard: violations by zone and rule kind, carriers by
    kind, the monthly trend of the last twelve months, the share resolved."""
    day = today or dt.date.today()
    by_zone = db.fetch_dicts(STATS_BY_ZONE_KIND, [])
    opened = sum(r["open"] for r in by_zone)
    resolved = sum(r["resolved"] for r in by_zone)
    for r in by_zone:
        kind = rule_kind(r["rule_kind"])
        r["label"] = str(kind.label) if kind else r["rule_kind"]
    kinds = db.fetch_dicts(STATS_BY_CARRIER_KIND, [])
    for k in kinds:
        k["label"] = str(CarrierKind(k["kind"]).label)
    return {
        "by_zone": by_zone,
        "by_kind": kinds,
        "trend": db.fetch_dicts(TREND, {"since": day - dt.timedelta(days=334), "until": day}),
        "open": opened,
        "resolved": resolved,
        "share_resolved": round(100 * resolved / (opened + resolved), 1)
        if opened + resolved
        else None,
        "year": year,
    }
