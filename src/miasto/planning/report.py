"""The parcel planning report (the data of a *wypis i wyrys*), built by PostGIS in one statement.

For one parcel and a date (``as_of``, today by default): the zones of enacted plans in force
on that date that intersect the parcel — each with the area and share of its part, all its
parameters and the derived figures of the part — grouped by plan; the building lines crossing
the parcel; the constraints overlapping it; and the totals.

Rules:

- Slivers are ignored: a zone part (or a constraint overlap) counts only if it is at least
  ``report_min_area`` m² AND at least ``report_min_share`` of the parcel (versioned
  configuration, :mod:`miasto.planning.catalogue`, picked for ``as_of``).
- Derived figures of a part: max above-ground floor area = part area × max intensity; max
  footprint = part area × max coverage %; min biologically active area = part area × min
  bio-active %; existing floor area = Σ (building footprint inside the part × storeys) of the
  parcel's buildings; remaining capacity = max floor area − existing, not below 0. A missing
  parameter gives ``null`` (never 0): the remaining capacity of a zone without a maximum
  intensity is unknown, not nothing.
- Totals: each part of the parcel counts with the plan that binds it — a local-plan area
  (MPZP, ZPI, …) where one covers it, elsewhere the general-plan (POG) zone
  (``binding_area`` of a zone: the part outside the local plans' areas; a sliver left over
  binds nothing), so nothing is counted twice and nothing left out (``totals.basis``:
  ``plan_area``, ``pog_zone``, ``mixed`` or ``none``). A total is ``null`` when a binding part
  lacks its parameter; ``complete`` is false then, or when part of the parcel lies outside
  every plan (``uncovered_area``); ``unknown`` names the parts and the missing parameters and
  ``partial`` holds the sums of the known parts. Existing floor area in the totals is that of
  all the parcel's buildings (footprint × storeys).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from psycopg import sql

from miasto.accessibility.selectors import NOT_RESIDENTIAL_NOTE
from miasto.core.db import fetchone_prepared
from miasto.core.sql import as_text, choices_case
from miasto.core.versioning import in_force_sql
from miasto.planning.catalogue import catalogue_for
from miasto.planning.models import BuildingLine, Plan
from miasto.planning.statuses import ENACTED_STATUSES, STATUS_PL
from miasto.territory.models import Building, Constraint

_PARAMS_JSON = """json_build_object(
    'min_intensity', k.min_intensity, 'max_intensity', k.max_intensity,
    'max_coverage', k.max_coverage, 'min_bio_active', k.min_bio_active,
    'max_height', k.max_height, 'max_storeys', k.max_storeys,
    'min_plot_area', k.min_plot_area, 'parking_ratio', k.parking_ratio)"""

_SQL = """
WITH p AS (
    SELECT p.id, p.identifier, p.area, p.geom, ST_Area(p.geom)::numeric AS garea
    FROM territory_parcel p WHERE p.identifier = %(identifier)s
),
-- the parcel against the zones' stored pieces (at most 256 vertices each), not the whole
-- zones: a general-plan zone has thousands of vertices, and reading and overlaying it whole
-- cost most of the report's time
part AS (
    SELECT z.*, x.piece, p.garea
    FROM p
    CROSS JOIN LATERAL (
        SELECT pc.zone_id, CASE WHEN count(*) = 1 THEN (array_agg(pc.i))[1]
                                ELSE ST_UnaryUnion(ST_Collect(pc.i)) END AS piece
        FROM (SELECT pc.zone_id, ST_Intersection(pc.geom, p.geom) AS i
              FROM planning_zone_piece pc
              WHERE pc.size = 256 AND pc.geom && p.geom AND ST_Intersects(pc.geom, p.geom)
              OFFSET 0) pc
        GROUP BY pc.zone_id
    ) x
    JOIN planning_zone z ON z.id = x.zone_id
    JOIN planning_plan pl ON pl.id = z.plan_id
    WHERE pl.status = ANY(%(statuses)s)
      AND z.valid_from <= %(as_of)s AND (z.valid_to IS NULL OR z.valid_to > %(as_of)s)
),
measured AS (
    SELECT part.*, ST_Area(piece)::numeric AS a FROM part
),
kept AS (
    SELECT m.*,
           m.a / NULLIF(m.garea, 0) AS share,
           m.a * m.max_intensity AS max_floor,
           m.a * m.max_coverage / 100 AS max_fp,
           m.a * m.min_bio_active / 100 AS min_bio,
           COALESCE((
               SELECT sum(ST_Area(ST_Intersection(b.geom, m.piece))::numeric * b.storeys)
               FROM territory_building b, p
               WHERE b.parcel_id = p.id AND b.geom && m.piece), 0) AS existing
    FROM measured m
    WHERE m.a >= %(min_area)s AND m.a >= %(min_share)s * m.garea
),
-- the parcel's part covered by local-plan areas (MPZP, ZPI, …): there they bind; on the rest
-- the general plan's zones do
cover AS (
    SELECT c.g, ST_Area(c.g)::numeric AS a
    FROM (SELECT CASE WHEN count(*) = 1 THEN (array_agg(piece))[1]
                      ELSE ST_UnaryUnion(ST_Collect(piece)) END AS g
          FROM measured WHERE category = 'plan_area') c
),
-- every kept part with the area it binds: a local-plan area all of its part, a general-plan
-- zone its part outside the local plans (a sliver left over there binds nothing; the overlay
-- is made only when the local plans leave more than a sliver of the parcel)
bound AS (
    SELECT k.*, CASE
               WHEN k.category = 'plan_area' OR cover.g IS NULL THEN k.a
               WHEN k.garea - cover.a < %(min_area)s
                    OR k.garea - cover.a < %(min_share)s * k.garea THEN 0
               ELSE ST_Area(miasto_difference(k.piece, cover.g))::numeric END AS ba
    FROM kept k, cover
),
bind AS (
    SELECT b.*, CASE WHEN b.ba >= %(min_area)s AND b.ba >= %(min_share)s * b.garea
                     THEN b.ba ELSE 0 END AS binding
    FROM bound b
),
basis AS (
    SELECT CASE WHEN count(*) = 0 THEN 'none'
                WHEN bool_or(category = 'plan_area') AND bool_or(category = 'pog_zone')
                     THEN 'mixed'
                WHEN bool_or(category = 'plan_area') THEN 'plan_area'
                ELSE 'pog_zone' END AS category
    FROM bind WHERE binding > 0
),
bld AS (
    SELECT count(b.id) AS n,
           COALESCE(sum(ST_Area(b.geom)::numeric), 0) AS footprint,
           COALESCE(sum(ST_Area(b.geom)::numeric * b.storeys), 0) AS floor
    FROM p LEFT JOIN territory_building b ON b.parcel_id = p.id
),
-- a figure of the totals is known only when every binding part has its parameter (an unknown
-- part makes the sum unknown; ``partial`` keeps the sum of the known parts)
total AS (
    SELECT sum(k.binding) AS a,
           sum(k.binding * k.max_intensity) AS max_floor,
           sum(k.binding * k.max_coverage / 100) AS max_fp,
           sum(k.binding * k.min_bio_active / 100) AS min_bio,
           COALESCE(bool_and(k.max_intensity IS NOT NULL), false) AS floor_known,
           COALESCE(bool_and(k.max_coverage IS NOT NULL), false) AS fp_known,
           COALESCE(bool_and(k.min_bio_active IS NOT NULL), false) AS bio_known,
           json_agg(json_build_object(
               'zone_id', k.id, 'plan_id', k.plan_id, 'designation', k.designation,
               'category', k.category, 'area', round(k.binding, 1),
               'missing', to_json(array_remove(ARRAY[
                   CASE WHEN k.max_intensity IS NULL THEN 'max_intensity' END,
                   CASE WHEN k.max_coverage IS NULL THEN 'max_coverage' END,
                   CASE WHEN k.min_bio_active IS NULL THEN 'min_bio_active' END], NULL)))
               ORDER BY k.designation, k.id)
             FILTER (WHERE k.max_intensity IS NULL OR k.max_coverage IS NULL
                           OR k.min_bio_active IS NULL) AS unknown
    FROM bind k WHERE k.binding > 0
),
-- the part of the parcel no binding zone covers (no plan there)
uncovered AS (
    SELECT CASE WHEN g.rest >= %(min_area)s AND g.rest >= %(min_share)s * p.garea
                THEN g.rest ELSE 0 END AS a
    FROM p, (SELECT GREATEST(p.garea - COALESCE(total.a, 0), 0) AS rest FROM p, total) g
)
SELECT json_build_object(
    'parcel', json_build_object(
        'identifier', p.identifier,
        'area', p.area,
        'geometry_area', round(p.garea, 1)),
    'as_of', %(as_of_text)s::text,
    'configuration', json_build_object(
        'catalogue', %(catalogue)s::text,
        'min_area', %(min_area_text)s::numeric,
        'min_share', %(min_share_text)s::numeric),
    'plans', COALESCE((
        SELECT json_agg(json_build_object(
            'id', pl.id, 'kind', pl.kind, 'kind_label', {plan_kind_label},
            'local_id', pl.local_id, 'namespace', pl.namespace, 'title', pl.title,
            'status', pl.status, 'status_label', {plan_status_label},
            'valid_from', pl.valid_from, 'valid_to', pl.valid_to,
            'area', round(g.a, 1), 'share', round(g.a / NULLIF(p.garea, 0), 4),
            'zones', g.zones
        ) ORDER BY pl.kind, pl.local_id, pl.id)
        FROM (
            SELECT k.plan_id, sum(k.a) AS a, json_agg(json_build_object(
                'id', k.id, 'local_id', k.local_id, 'designation', k.designation,
                'symbol', k.symbol, 'number', k.number, 'category', k.category,
                'name', k.name, 'land_use_classes', k.land_use_classes,
                'basic_profile', k.basic_profile, 'additional_profile', k.additional_profile,
                'rules', k.rules, 'valid_from', k.valid_from, 'valid_to', k.valid_to,
                'parameters', {params},
                'area', round(k.a, 1),
                'share', round(k.share, 4),
                'binding_area', round(k.binding, 1),
                'derived', json_build_object(
                    'max_floor_area', round(k.max_floor, 1),
                    'max_footprint', round(k.max_fp, 1),
                    'min_bio_active_area', round(k.min_bio, 1),
                    'existing_floor_area', round(k.existing, 1),
                    'remaining_floor_area', round(CASE WHEN k.max_floor IS NOT NULL
                        THEN GREATEST(k.max_floor - k.existing, 0) END, 1))
            ) ORDER BY k.designation, k.id) AS zones
            FROM bind k GROUP BY k.plan_id
        ) g JOIN planning_plan pl ON pl.id = g.plan_id), '[]'::json),
    'ignored_slivers', (SELECT count(*) FROM measured)
                       - (SELECT count(*) FROM kept),
    'building_lines', COALESCE((
        SELECT json_agg(json_build_object(
            'id', x.id, 'plan_id', x.plan_id, 'zone_id', x.zone_id,
            'kind', x.kind, 'kind_label', {line_kind_label},
            'length', round(x.len, 1)
        ) ORDER BY x.kind, x.id)
        FROM (
            SELECT bl.*, ST_Length(ST_Intersection(bl.geom, p.geom))::numeric AS len
            FROM planning_buildingline bl
            JOIN planning_plan pl ON pl.id = bl.plan_id
            LEFT JOIN planning_zone z ON z.id = bl.zone_id
            WHERE bl.geom && p.geom AND ST_Intersects(bl.geom, p.geom)
              AND pl.status = ANY(%(statuses)s)
              AND COALESCE(bl.valid_from, z.valid_from, pl.valid_from) <= %(as_of)s
              AND COALESCE(bl.valid_to, z.valid_to, pl.valid_to, 'infinity'::date)
                  > %(as_of)s
        ) x WHERE x.len > 0), '[]'::json),
    'constraints', COALESCE((
        SELECT json_agg(json_build_object(
            'id', c.id, 'kind', c.kind, 'kind_label', {constraint_kind_label},
            'label', c.name, 'legal_basis', c.legal_basis,
            'area', round(c.a, 1), 'share', round(c.a / NULLIF(p.garea, 0), 4)
        ) ORDER BY c.kind, c.name, c.id)
        FROM (
            SELECT c.*, ST_Area(ST_Intersection(c.geom, p.geom))::numeric AS a
            FROM territory_constraint c
            WHERE c.geom && p.geom AND ST_Intersects(c.geom, p.geom)
        ) c WHERE c.a >= %(min_area)s AND c.a >= %(min_share)s * p.garea), '[]'::json),
    'buildings', json_build_object(
        'count', bld.n,
        'footprint_area', round(bld.footprint, 1),
        'floor_area', round(bld.floor, 1)),
    'totals', json_build_object(
        'basis', basis.category,
        'area', round(total.a, 1),
        'max_floor_area', round(CASE WHEN total.floor_known THEN total.max_floor END, 1),
        'max_footprint', round(CASE WHEN total.fp_known THEN total.max_fp END, 1),
        'min_bio_active_area', round(CASE WHEN total.bio_known THEN total.min_bio END, 1),
        'existing_floor_area', round(bld.floor, 1),
        'remaining_floor_area', round(CASE WHEN total.floor_known
                                           THEN GREATEST(total.max_floor - bld.floor, 0) END, 1),
        'complete', total.floor_known AND total.fp_known AND total.bio_known
                    AND uncovered.a = 0,
        'uncovered_area', round(uncovered.a, 1),
        'unknown', COALESCE(total.unknown, '[]'::json),
        'partial', json_build_object(
            'max_floor_area', round(total.max_floor, 1),
            'max_footprint', round(total.max_fp, 1),
            'min_bio_active_area', round(total.min_bio, 1)))
)::text
FROM p, bld, basis, total, uncovered
"""


def _sql() -> str:
    # (the labels: CASE expressions of the translated choices, literals quoted by core.sql)
    return as_text(
        sql.SQL(_SQL).format(
            plan_kind_label=sql.SQL(choices_case("pl.kind", Plan.Kind.choices)),
            plan_status_label=sql.SQL(choices_case("pl.status", list(STATUS_PL.items()))),
            line_kind_label=sql.SQL(choices_case("x.kind", BuildingLine.Kind.choices)),
            constraint_kind_label=sql.SQL(choices_case("c.kind", Constraint.Kind.choices)),
            params=sql.SQL(_PARAMS_JSON),
        )
    )


def parcel_report_json(identifier: str, as_of: dt.date | None = None) -> str | None:
    """The report as JSON text built by PostGIS; None if there is no such parcel."""
    as_of = as_of or dt.date.today()
    catalogue = catalogue_for(as_of)
    params = {
        "identifier": identifier,
        "as_of": as_of,
        "as_of_text": as_of.isoformat(),
        "statuses": sorted(str(s) for s in ENACTED_STATUSES),
        "min_area": catalogue.report_min_area,
        "min_share": catalogue.report_min_share,
        # as written in the configuration (1.0 stays 1.0 in the JSON)
        "min_area_text": str(catalogue.report_min_area),
        "min_share_text": str(catalogue.report_min_share),
        "catalogue": catalogue.key,
    }
    # a prepared statement: planned once per connection, not on every request
    row = fetchone_prepared(_sql(), params)
    if row is None or row[0] is None:
        return None
    return str(row[0])


def parcel_report(identifier: str, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """The parcel planning report as a dict; None if there is no such parcel."""
    text = parcel_report_json(identifier, as_of)
    return None if text is None else json.loads(text)


# The standards in force today computed for the parcel (latest computation), in their order.
_ACCESSIBILITY_SQL = """
WITH p AS (SELECT id FROM territory_parcel WHERE identifier = %(identifier)s),
residential AS (
    SELECT EXISTS (SELECT 1 FROM territory_building b, p
                   WHERE b.parcel_id = p.id AND b.use = ANY(%(uses)s)) AS yes
)
SELECT json_build_object(
    'computed_at', (SELECT to_json(r.finished_at) FROM accessibility_run r
                    WHERE r.status = 'done' ORDER BY r.started_at DESC LIMIT 1),
    'residential', residential.yes,
    'note', CASE WHEN residential.yes THEN NULL ELSE %(note)s::text END,
    'standards', COALESCE((
        SELECT json_agg(json_build_object(
            'code', s.code, 'version', s.version, 'name', s.name, 'mandatory', s.mandatory,
            'limit_m', s.distance_m, 'min_area_ha', s.min_area_ha::float8,
            'rule', s.aggregate, 'legal_basis', s.legal_basis,
            'met', r.met, 'distance_m', round(r.distance_m)::bigint,
            'nearest_service', CASE WHEN ps.id IS NOT NULL THEN json_build_object(
                'id', ps.id, 'name', ps.name, 'kind', ps.kind) END
        ) ORDER BY s."order", s.code, s.version DESC)
        FROM accessibility_standard s
        JOIN accessibility_result r ON r.standard_id = s.id AND r.parcel_id = p.id
        LEFT JOIN territory_publicservice ps ON ps.id = r.service_id
        WHERE s.enabled AND {in_force}), '[]'::json)
)::text
FROM p, residential
"""


def accessibility_section(identifier: str) -> dict[str, Any] | None:
    """The art. 13f accessibility standards met or not by the parcel, from the latest
    computation (:mod:`miasto.accessibility`): only the standards in force computed for it
    (``standards`` is empty when none was: not residential, or never computed). None when
    there is no such parcel. One prepared statement (the report's hot path)."""
    row = fetchone_prepared(
        # the standards in force today, [valid_from, valid_to) as every versioned configuration
        sql.SQL(_ACCESSIBILITY_SQL).format(in_force=in_force_sql("s", sql.SQL("%(today)s::date"))),
        {
            "identifier": identifier,
            "uses": [str(u) for u in Building.RESIDENTIAL_USES],
            "note": NOT_RESIDENTIAL_NOTE,
            "today": dt.date.today(),
        },
    )
    if row is None or row[0] is None:
        return None
    data: dict[str, Any] = json.loads(row[0])
    return data


def parcel_report_full(identifier: str, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """:func:`parcel_report` with its ``accessibility`` section; None if there is no parcel."""
    data = parcel_report(identifier, as_of)
    if data is not None:
        data["accessibility"] = accessibility_section(identifier)
    return data
