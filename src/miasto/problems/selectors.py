"""Reads of problem reports: Open311's lists, duplicate suggestions, the public list, the staff
queue and the statistics (by category, district and time to answer) that monitoring reuses.
Public reads never carry personal data (contact details, the author, the assignee)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from psycopg import sql

from miasto.core import db
from miasto.core.statemachine import roles_of
from miasto.problems.models import Report, ReportUpdate, Service
from miasto.problems.statuses import ACTIVE, FINAL


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).select_related("unit")


@dataclass(frozen=True)
class RequestFilter:
    """Open311 GET requests' filters, already parsed (see :mod:`miasto.problems.open311`)."""

    ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # our statuses
    start: datetime | None = None
    end: datetime | None = None
    limit: int = 1000


#: a date as W3C date-time in the city's time zone, to the second, with its offset
#: (``2026-12-07T17:05:09+01:00``, as Python's ``isoformat(timespec="seconds")``)
_W3C = """to_char({t} AT TIME ZONE %(tz)s, 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN {t} AT TIME ZONE %(tz)s < {t} AT TIME ZONE 'UTC' THEN '-' ELSE '+' END
    || to_char(greatest(({t} AT TIME ZONE %(tz)s) - ({t} AT TIME ZONE 'UTC'),
                        ({t} AT TIME ZONE 'UTC') - ({t} AT TIME ZONE %(tz)s)), 'HH24:MI')"""
#: a text value as XML element content: characters XML 1.0 cannot carry (control characters,
#: U+FFFE, U+FFFF) removed, ``&``, ``<``, ``>`` and carriage return as entities
_XML_ESCAPE = r"""replace(replace(replace(replace(
    regexp_replace(coalesce(q.{c}, ''), '[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]', '', 'g'),
    '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), chr(13), '&#13;')"""
_XML_TEXT = ("status_notes", "service_name", "service_code", "description",
             "agency_responsible", "address", "media_url")  # fmt: skip


def _w3c(column: str) -> sql.Composable:
    return sql.SQL(_W3C).format(t=sql.SQL(column))


def _where(f: RequestFilter, params: dict[str, Any]) -> sql.Composable:
    where: list[sql.Composable] = []
    if f.ids:
        where.append(sql.SQL("r.id = ANY(%(ids)s)"))
        params["ids"] = list(f.ids)
    else:
        if f.service_codes:
            where.append(sql.SQL("s.code = ANY(%(codes)s)"))
            params["codes"] = list(f.service_codes)
        if f.statuses:
            where.append(sql.SQL("r.status = ANY(%(statuses)s)"))
            params["statuses"] = list(f.statuses)
        if f.start:
            where.append(sql.SQL("r.requested_at >= %(start)s"))
            params["start"] = f.start
        if f.end:
            where.append(sql.SQL("r.requested_at <= %(end)s"))
            params["end"] = f.end
    return sql.SQL(" AND ").join(where or [sql.SQL("TRUE")])


def open311_answer(f: RequestFilter, fmt: str, photo_url: tuple[str, str]) -> tuple[int, str]:
    """Public reports for Open311: how many, and the whole answer's body in ``fmt`` (``json``:
    the array; ``xml``: the ``<service_requests>`` element) — built by PostgreSQL in one
    statement (sql/open311_requests*.sql), no per-report Python object. ``photo_url`` is the
    photo's address before and after the report's id."""
    params: dict[str, Any] = {
        "limit": f.limit,
        "active": [s.value for s in ACTIVE],
        "tz": timezone.get_current_timezone_name(),
        "media_head": photo_url[0],
        "media_tail": photo_url[1],
    }
    rows = sql.SQL(db.load_sql("miasto.problems", "open311_requests")).format(
        where=_where(f, params),
        requested=_w3c("r.requested_at"),
        updated=_w3c("r.updated_at"),
        expected=_w3c("r.expected_at"),
    )
    outer = sql.SQL(db.load_sql("miasto.problems", f"open311_requests_{fmt}"))
    text_columns = {c: sql.SQL(_XML_ESCAPE).format(c=sql.SQL(c)) for c in _XML_TEXT}
    query = outer.format(rows=rows, **(text_columns if fmt == "xml" else {}))
    row = db.fetch_one(query, params)
    assert row is not None  # an aggregate always answers one row
    return int(row[0]), row[1] or ""


DUPLICATES_SQL = """
SELECT r.id, r.status, r.address, r.requested_at, left(r.description, 200) AS description,
       round(ST_Distance(r.geom, pt.g))::int AS metres
FROM problems_report r,
     (SELECT ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), %(srid)s) AS g) pt
WHERE r.service_id = %(service)s AND r.hidden_reason = '' AND r.status = ANY(%(statuses)s)
  AND r.requested_at > now() - make_interval(days => %(days)s)
  AND ST_DWithin(r.geom, pt.g, %(metres)s)
ORDER BY r.geom <-> pt.g
LIMIT 5
"""


def duplicates_near(service_id: int, x: float, y: float) -> list[dict[str, Any]]:
    """Open reports of the same category near the point and recent (settings
    ``MIASTO_PROBLEMS_DUPLICATE_METRES`` and ``…_DAYS``), nearest first — shown before a
    report is sent, so that a resident may follow an existing one instead."""
    return db.fetch_dicts(
        DUPLICATES_SQL,
        {
            "x": x,
            "y": y,
            "srid": int(settings.MIASTO_SRID),
            "service": service_id,
            "statuses": [s.value for s in ACTIVE],
            "days": int(settings.MIASTO_PROBLEMS_DUPLICATE_DAYS),
            "metres": float(settings.MIASTO_PROBLEMS_DUPLICATE_METRES),
        },
    )


@dataclass(frozen=True)
class ListFilter:
    service: str = ""  # a code
    status: str = ""  # "open", "closed" or one of ours
    district: int | None = None
    unit: int | None = None


def _filtered(reports: QuerySet[Report], f: ListFilter) -> QuerySet[Report]:
    if f.service:
        reports = reports.filter(service__code=f.service)
    if f.status == "open":
        reports = reports.filter(status__in=ACTIVE)
    elif f.status == "closed":
        reports = reports.filter(status__in=FINAL)
    elif f.status:
        reports = reports.filter(status=f.status)
    if f.district:
        reports = reports.filter(district_id=f.district)
    if f.unit:
        reports = reports.filter(unit_id=f.unit)
    return reports


def public_reports(f: ListFilter) -> QuerySet[Report]:
    """Reports everyone may see, newest first (select only public columns when showing)."""
    reports = Report.objects.filter(hidden_reason="").select_related("service", "district", "unit")
    return _filtered(reports, f).only(
        "id", "status", "address", "requested_at", "updated_at", "service__name",
        "service__code", "district__name", "unit__name", "geom",
    )  # fmt: skip


def public_report(pk: int) -> Report | None:
    return (
        Report.objects.filter(pk=pk, hidden_reason="")
        .select_related("service", "unit", "district")
        .first()
    )


def public_updates(report: Report) -> QuerySet[ReportUpdate]:
    """The public history: status changes and public notes (without who wrote them)."""
    return report.updates.filter(public=True).only(
        "status_from", "status_to", "note", "at", "report_id"
    )


def units_of(user: Any) -> list[int] | None:
    """The units whose queue ``user`` sees; None: every unit (administrators, and moderators,
    who moderate the whole city's reports)."""
    if roles_of(user) & {"administrator", "moderator"}:
        return None
    return list(user.org_units.values_list("id", flat=True))


def queue(user: Any, f: ListFilter) -> QuerySet[Report]:
    """The staff queue: reports of the user's units (every unit for administrators)."""
    reports = Report.objects.select_related("service", "district", "unit", "assignee")
    units = units_of(user)
    if units is not None:
        reports = reports.filter(unit_id__in=units)
    return _filtered(reports, f).order_by(
        "status", "requested_at"
    )  # open cases first, oldest first


def report_for_staff(user: Any, pk: int) -> Report | None:
    units = units_of(user)
    reports = Report.objects.select_related("service", "district", "unit", "assignee")
    if units is not None:
        reports = reports.filter(Q(unit_id__in=units))
    return reports.filter(pk=pk).first()


STATS_SQL = """
SELECT {key} AS key, {label} AS label,
       count(*) AS total,
       count(*) FILTER (WHERE r.status = ANY(%(active)s)) AS open,
       count(*) FILTER (WHERE r.status = 'resolved') AS resolved,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY
         extract(epoch FROM r.answered_at - r.requested_at)) / 3600)::numeric, 1)
         AS median_hours_to_answer,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY
         extract(epoch FROM r.closed_at - r.requested_at)) / 86400)::numeric, 1)
         AS median_days_to_close
FROM problems_report r
{join}
WHERE r.requested_at >= %(since)s AND (%(units)s::bigint[] IS NULL OR r.unit_id = ANY(%(units)s))
GROUP BY 1, 2
ORDER BY total DESC, label
"""

_GROUPINGS = {
    "category": ("s.code", "s.name", "JOIN problems_service s ON s.id = r.service_id"),
    "district": (
        "coalesce(d.code, '')",
        "coalesce(d.name, '')",
        "LEFT JOIN territory_district d ON d.id = r.district_id",
    ),
    "unit": ("o.code", "o.name", "JOIN territory_orgunit o ON o.id = r.unit_id"),
}


def statistics(by: str, since: datetime, units: list[int] | None = None) -> list[dict[str, Any]]:
    """Reports since ``since`` grouped ``by`` category, district or unit: how many, how many
    open and resolved, the median time to the first answer (hours) and to closing (days).
    ``units`` limits them to those units (None: all) — the monitoring module reuses this."""
    key, label, join = _GROUPINGS[by]
    query = sql.SQL(STATS_SQL).format(key=sql.SQL(key), label=sql.SQL(label), join=sql.SQL(join))
    return db.fetch_dicts(
        query, {"since": since, "units": units, "active": [s.value for s in ACTIVE]}
    )
