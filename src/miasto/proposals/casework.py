"""Proposals in the shared staff queue and statistics (:mod:`miasto.core.casework`).

A proposal waits from its submission while it is submitted or under review; an unrouted one
(no unit yet) is in every handler's queue. Its district is found in SQL from its place
(a point on the surface of a line or an area)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from psycopg import sql

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
from miasto.core.statemachine import roles_of
from miasto.proposals.models import Category, Proposal
from miasto.proposals.statuses import STAFF_ROLES, Status

KEY = "proposals"
WAITING = (Status.SUBMITTED, Status.UNDER_REVIEW)

#: the district holding a point of the proposal's place (spatial join, GiST)
DISTRICT = """
LEFT JOIN LATERAL (
    SELECT d.code, d.name FROM territory_district d
    WHERE ST_Intersects(d.geom, ST_PointOnSurface({alias}.geom)) ORDER BY d.code LIMIT 1
) d ON TRUE
"""

QUEUE_SQL = """
SELECT x.id, '#' || x.id AS number, x.title, x.status, {status_label} AS status_label,
       x.category, {category_label} AS category_label, coalesce(d.name, '') AS district,
       x.unit_id, coalesce(o.name, '') AS unit_name, x.assignee_id,
       coalesce(u.username, '') AS assignee_name, x.created_at AS waiting_since
FROM proposals_proposal x
LEFT JOIN territory_orgunit o ON o.id = x.unit_id
LEFT JOIN auth_user u ON u.id = x.assignee_id
{district}
WHERE x.status = ANY({waiting}) AND x.hidden_at IS NULL AND {where}
  AND (%(category)s = '' OR x.category = %(category)s)
  AND (%(district)s = '' OR d.code = %(district)s)
ORDER BY x.created_at, x.id
LIMIT %(limit)s
"""

STATS_BASE = """
SELECT x.category, {category_label} AS category_label,
       coalesce(d.code, '') AS district, coalesce(d.name, '') AS district_label,
       x.status, {status_label} AS status_label,
       x.created_at AS started, x.answered_at AS answered
FROM proposals_proposal x
{district}
WHERE x.created_at >= %(since)s::date AND x.created_at < %(until)s::date + 1
  AND (%(units)s::bigint[] IS NULL OR x.unit_id = ANY(%(units)s))
"""


def _labels() -> dict[str, sql.Composable]:
    return {
        "status_label": case_of_choices(sql.SQL("x.status"), list(Status.choices)),
        "category_label": case_of_choices(sql.SQL("x.category"), list(Category.choices)),
        "district": sql.SQL(DISTRICT).format(alias=sql.SQL("x")),
    }


def handles(user: Any) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


def rows(f: QueueFilter) -> list[dict[str, Any]]:
    waiting = sql.Literal([s.value for s in WAITING])
    return queue_rows(QUEUE_SQL, {**_labels(), "waiting": waiting}, f)


def statistics(period: Period) -> list[dict[str, Any]]:
    return stats_rows(sql.SQL(STATS_BASE).format(**_labels()), period)


queue_registry.register(
    KEY,
    QueueProvider(
        key=KEY,
        label=_("proposals"),
        rows=rows,
        case=lambda pk: Proposal.objects.defer("photo").filter(pk=pk).first(),
        handles=handles,
        url=lambda pk: reverse("proposals:staff-handle", args=[pk]),
        statuses=lambda: [(s.value, s.label) for s in WAITING],
        categories=lambda: list(Category.choices),
        order=20,
    ),
)
stats_registry.register(
    KEY, StatsProvider(key=KEY, label=_("proposals"), rows=statistics, order=20)
)
