"""Reads of proposals: the public list and its GeoJSON (one statement), the staff queue and
the statistics (by category, district and time to answer) the monitoring module reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from psycopg import sql

from miasto.core.db import fetch_dicts, fetch_json
from miasto.core.sql import case_of_choices
from miasto.proposals.models import Category, Proposal
from miasto.proposals.statuses import Status


@dataclass(frozen=True)
class Filters:
    """Filters of the public list and the API (each already checked against its choices)."""

    category: str = ""
    status: str = ""
    district: str = ""  # a district's code
    q: str = ""
    #: (west, south, east, north) in CRS84, or None
    bbox: tuple[float, float, float, float] | None = None


def _where(f: Filters) -> tuple[sql.Composable, list[Any]]:
    parts: list[sql.Composable] = [sql.SQL("t.hidden_at IS NULL")]
    params: list[Any] = []
    if f.category:
        parts.append(sql.SQL("t.category = %s"))
        params.append(f.category)
    if f.status:
        parts.append(sql.SQL("t.status = %s"))
        params.append(f.status)
    if f.district:
        parts.append(sql.SQL("d.code = %s"))
        params.append(f.district)
    if f.q:
        parts.append(sql.SQL("(t.title ILIKE %s OR t.description ILIKE %s)"))
        like = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    if f.bbox:
        parts.append(sql.SQL("t.geom && ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326), 2180)"))
        params += list(f.bbox)
    return sql.SQL(" AND ").join(parts), params


def proposal_page(f: Filters) -> QuerySet[Proposal]:
    """The public list (hidden ones left out), newest first, for the page."""
    rows = Proposal.objects.filter(hidden_at__isnull=True).select_related("district")
    if f.category:
        rows = rows.filter(category=f.category)
    if f.status:
        rows = rows.filter(status=f.status)
    if f.district:
        rows = rows.filter(district__code=f.district)
    if f.q:
        rows = rows.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q))
    return rows.defer("photo", "description")


GEOJSON = """
WITH page AS (
    SELECT t.id, t.title, t.category, t.status, t.support_count, t.act_ref, t.budget_line,
           t.created_at, t.status_changed_at, d.name AS district, t.geom,
           count(*) OVER () AS matched
    FROM proposals_proposal t LEFT JOIN territory_district d ON d.id = t.district_id
    WHERE {where}
    ORDER BY t.created_at DESC, t.id DESC
    LIMIT %s OFFSET %s
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'numberMatched', coalesce(max(matched), 0),
    'numberReturned', count(id),
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'id', id,
        'geometry', ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::json,
        'properties', json_build_object(
            'title', title, 'category', category, 'category_label', {category},
            'status', status, 'status_label', {status}, 'supports', support_count,
            'district', district, 'act', nullif(act_ref, ''),
            'budget_line', nullif(budget_line, ''),
            'created_at', created_at, 'status_changed_at', status_changed_at,
            'url', %s || id || '/')
    ) ORDER BY created_at DESC, id DESC), '[]'::json))
FROM page
"""


def proposals_geojson(f: Filters, *, limit: int, offset: int, base_url: str) -> dict[str, Any]:
    """A page of public proposals as a GeoJSON FeatureCollection (CRS84), with the total —
    no author, no photo, no personal data."""
    where, params = _where(f)
    statement = sql.SQL(GEOJSON).format(
        where=where,
        category=case_of_choices(sql.SQL("category"), list(Category.choices)),
        status=case_of_choices(sql.SQL("status"), list(Status.choices)),
    )
    data: dict[str, Any] = fetch_json(statement, [*params, limit, offset, base_url])
    return data


# --------------------------------------------------------------------------- staff


def queue(*, units: list[int] | None, status: str = "", mine_of: Any = None) -> QuerySet[Proposal]:
    """The staff queue: proposals still open (or of ``status``), of ``units`` (None: all),
    oldest first — those waiting longest come first."""
    rows = Proposal.objects.select_related("unit", "assignee", "district").defer("photo")
    if status:
        rows = rows.filter(status=status)
    else:
        rows = rows.filter(status__in=[Status.SUBMITTED, Status.UNDER_REVIEW])
    if units is not None:
        rows = rows.filter(Q(unit_id__in=units) | Q(unit__isnull=True))
    if mine_of is not None:
        rows = rows.filter(assignee=mine_of)
    return rows.annotate(comment_count=Count("comments")).order_by("created_at", "id")


STATS = """
SELECT {key} AS key, count(*) AS total,
       count(*) FILTER (WHERE t.answered_at IS NULL) AS waiting,
       count(*) FILTER (WHERE t.status = 'accepted' OR t.status = 'implemented') AS accepted,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY
           extract(epoch FROM t.answered_at - t.created_at) / 86400))::numeric, 1)
           AS median_days_to_answer,
       round((avg(extract(epoch FROM t.answered_at - t.created_at)) / 86400)::numeric, 1)
           AS mean_days_to_answer
FROM proposals_proposal t LEFT JOIN territory_district d ON d.id = t.district_id
GROUP BY 1 ORDER BY 2 DESC, 1
"""


def statistics() -> dict[str, list[dict[str, Any]]]:
    """Counts, waiting, accepted and days to the first answer (median, mean) by category and
    by district — in SQL, one statement each."""
    return {
        "category": fetch_dicts(sql.SQL(STATS).format(key=sql.SQL("t.category"))),
        "district": fetch_dicts(sql.SQL(STATS).format(key=sql.SQL("coalesce(d.name, '')"))),
    }
