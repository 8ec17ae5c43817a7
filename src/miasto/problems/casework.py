"""Problem reports in the shared staff queue and statistics (:mod:`miasto.core.casework`).

A report waits from its submission while its status is active; its district is the one the
routing found for its point (``district_id``, a spatial join made when it was filed)."""

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
from miasto.problems.models import Report, Service
from miasto.problems.statuses import ACTIVE, Status

KEY = "problems"
#: who changes a report's status and answers it
HANDLERS = frozenset({"case_officer", "administrator"})

QUEUE_SQL = """
SELECT x.id, '#' || x.id AS number,
       coalesce(nullif(x.address, ''), left(x.description, 80)) AS title,
       x.status, {status_label} AS status_label, s.code AS category, s.name AS category_label,
       coalesce(d.name, '') AS district, x.unit_id, o.name AS unit_name, x.assignee_id,
       coalesce(u.username, '') AS assignee_name, x.requested_at AS waiting_since
FROM problems_report x
JOIN problems_service s ON s.id = x.service_id
JOIN territory_orgunit o ON o.id = x.unit_id
LEFT JOIN territory_district d ON d.id = x.district_id
LEFT JOIN auth_user u ON u.id = x.assignee_id
WHERE x.status = ANY({active}) AND {where}
  AND (%(category)s = '' OR s.code = %(category)s)
  AND (%(district)s = '' OR d.code = %(district)s)
ORDER BY x.requested_at, x.id
LIMIT %(limit)s
"""

STATS_BASE = """
SELECT s.code AS category, s.name AS category_label,
       coalesce(d.code, '') AS district, coalesce(d.name, '') AS district_label,
       r.status, {status_label} AS status_label,
       r.requested_at AS started, r.answered_at AS answered
FROM problems_report r
JOIN problems_service s ON s.id = r.service_id
LEFT JOIN territory_district d ON d.id = r.district_id
WHERE r.requested_at >= %(since)s::date AND r.requested_at < %(until)s::date + 1
  AND (%(units)s::bigint[] IS NULL OR r.unit_id = ANY(%(units)s))
"""


def _status_label(column: str) -> sql.Composable:
    return case_of_choices(sql.SQL(column), list(Status.choices))


def handles(user: Any) -> bool:
    return bool(roles_of(user) & HANDLERS)


def rows(f: QueueFilter) -> list[dict[str, Any]]:
    active = sql.Literal([s.value for s in ACTIVE])
    return queue_rows(QUEUE_SQL, {"status_label": _status_label("x.status"), "active": active}, f)


def statistics(period: Period) -> list[dict[str, Any]]:
    base = sql.SQL(STATS_BASE).format(status_label=_status_label("r.status"))
    return stats_rows(base, period)


queue_registry.register(
    KEY,
    QueueProvider(
        key=KEY,
        label=_("problem reports"),
        rows=rows,
        case=lambda pk: Report.objects.filter(pk=pk).first(),
        handles=handles,
        url=lambda pk: reverse("problems:case", args=[pk]),
        statuses=lambda: [(s.value, s.label) for s in ACTIVE],
        categories=lambda: list(
            Service.objects.order_by("order", "name").values_list("code", "name")
        ),
        order=30,
    ),
)
stats_registry.register(
    KEY, StatsProvider(key=KEY, label=_("problem reports"), rows=statistics, order=30)
)
