"""Consultation comments in the shared staff queue and statistics
(:mod:`miasto.core.casework`).

A comment waits for its proposed handling from the day it was received, while its
consultation is open or closed (before the report is published); its unit is the
consultation's. Its status in the queue is its moderation, in the statistics its handling.
Its district is found in SQL from its place (a point on the surface of a line or an area);
a comment without a place has none."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from psycopg import sql

from miasto.consultations.access import may_run
from miasto.consultations.models import Category, Comment, Handling, Moderation, Status
from miasto.core.casework import (
    Period,
    QueueFilter,
    QueueProvider,
    StatsProvider,
    queue_registry,
    queue_rows,
    stats_registry,
    stats_rows,
)
from miasto.core.sql import case_of_choices

KEY = "consultations"

COMMENTS = """
(SELECT c.id, c.number, c.consultation_id, c.text, c.category, c.geom, c.moderation AS status,
        c.handling, c.received_on, c.handled_at, c.assignee_id, k.unit_id, k.status AS stage
 FROM consultations_comment c JOIN consultations_consultation k ON k.id = c.consultation_id)
"""

DISTRICT = """
LEFT JOIN LATERAL (
    SELECT d.code, d.name FROM territory_district d
    WHERE x.geom IS NOT NULL AND ST_Intersects(d.geom, ST_PointOnSurface(x.geom))
    ORDER BY d.code LIMIT 1
) d ON TRUE
"""

QUEUE_SQL = """
SELECT x.id, x.consultation_id || '/' || x.number AS number, left(x.text, 80) AS title,
       x.status, {status_label} AS status_label, x.category,
       {category_label} AS category_label, coalesce(d.name, '') AS district, x.unit_id,
       coalesce(o.name, '') AS unit_name, x.assignee_id,
       coalesce(u.username, '') AS assignee_name, x.received_on::timestamptz AS waiting_since
FROM {comments} x
LEFT JOIN territory_orgunit o ON o.id = x.unit_id
LEFT JOIN auth_user u ON u.id = x.assignee_id
{district}
WHERE x.handling = '' AND x.stage = ANY({stages}) AND {where}
  AND (%(category)s = '' OR x.category = %(category)s)
  AND (%(district)s = '' OR d.code = %(district)s)
ORDER BY x.received_on, x.id
LIMIT %(limit)s
"""

STATS_BASE = """
SELECT x.category, {category_label} AS category_label,
       coalesce(d.code, '') AS district, coalesce(d.name, '') AS district_label,
       x.handling AS status, {handling_label} AS status_label,
       x.received_on::timestamptz AS started, x.handled_at AS answered
FROM {comments} x
{district}
WHERE x.received_on BETWEEN %(since)s AND %(until)s
  AND (%(units)s::bigint[] IS NULL OR x.unit_id = ANY(%(units)s))
"""


def _parts() -> dict[str, sql.Composable]:
    return {
        "comments": sql.SQL(COMMENTS),
        "district": sql.SQL(DISTRICT),
        "category_label": case_of_choices(sql.SQL("x.category"), list(Category.choices)),
    }


def rows(f: QueueFilter) -> list[dict[str, Any]]:
    return queue_rows(
        QUEUE_SQL,
        {
            **_parts(),
            "status_label": case_of_choices(sql.SQL("x.status"), list(Moderation.choices)),
            "stages": sql.Literal([Status.OPEN.value, Status.CLOSED.value]),
        },
        f,
    )


def statistics(period: Period) -> list[dict[str, Any]]:
    label = case_of_choices(sql.SQL("x.handling"), list(Handling.choices))
    return stats_rows(sql.SQL(STATS_BASE).format(**_parts(), handling_label=label), period)


def _case(pk: int) -> Any:
    return Comment.objects.select_related("consultation").filter(pk=pk).first()


queue_registry.register(
    KEY,
    QueueProvider(
        key=KEY,
        label=_("consultation comments"),
        rows=rows,
        case=_case,
        handles=may_run,
        url=lambda pk: reverse("consultations:staff-comment", args=[pk]),
        statuses=lambda: list(Moderation.choices),
        categories=lambda: list(Category.choices),
        order=10,
    ),
)
stats_registry.register(
    KEY, StatsProvider(key=KEY, label=_("consultation comments"), rows=statistics, order=10)
)
