"""Casework shared by the modules that answer residents (comments, proposals, reports).

- **Queues**: each module registers a :class:`QueueProvider` in its ``casework.py``
  (:data:`queue_registry`); the staff page ``/obsluga/`` lists what waits for the officer's
  units across modules, longest waiting first, through :func:`queue_items`.
- **Assignment**: an item is given to a member of its unit who handles that module
  (:func:`case_assign`: take, assign to a colleague, release). The module's model carries
  the fields (:class:`Assignable`: ``assignee``, ``assigned_at``); the model is audited, so
  who assigned whom and when is in the audit log.
- **Answer templates** (:class:`~miasto.core.models.AnswerTemplate`): per unit (or for every
  unit) and per module, with placeholders filled by :func:`template_render`.
- **Statistics**: each module registers a :class:`StatsProvider` (:data:`stats_registry`):
  counts by category, district and status and the time to answer (median and 90th
  percentile in days) over a period, one SQL statement each — the monitoring module reads
  them through :func:`statistics`.

Units are the spine's organisational units; core reads a person's units through the
``org_units`` relation the spine declares on the user, without importing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from psycopg import sql

from miasto.core import db
from miasto.core.models import AnswerTemplate
from miasto.core.registry import Registry
from miasto.core.statemachine import roles_of


class CaseworkError(ValueError):
    """An assignment or a template that cannot be made; ``str()`` says why (translated)."""


def mark_assigned(case: Any, assignee: Any) -> None:
    """Set ``assignee`` and the time on ``case`` (the caller saves it)."""
    if getattr(case, "assignee_id", None) != getattr(assignee, "pk", None):
        case.assignee = assignee
        case.assigned_at = timezone.now() if assignee is not None else None


# --------------------------------------------------------------------------- queues


@dataclass(frozen=True)
class QueueFilter:
    """What the officer asked for. ``units`` None: every unit (administrators)."""

    units: tuple[int, ...] | None
    user_id: int
    #: "mine", "unassigned" or "" (everything of the units)
    scope: str = ""
    status: str = ""
    category: str = ""
    district: str = ""  # a district's code
    limit: int = 500


@dataclass(frozen=True)
class QueueItem:
    module: str
    id: int
    number: str
    title: str
    status: str
    status_label: str
    category: str
    category_label: str
    district: str
    unit_id: int | None
    unit_name: str
    assignee_id: int | None
    assignee_name: str
    waiting_since: datetime
    url: str

    @property
    def waiting_days(self) -> int:
        return max(0, (timezone.now() - self.waiting_since).days)


@dataclass(frozen=True)
class QueueProvider:
    """A module's queue. ``rows(f)`` answers dictionaries with :class:`QueueItem`'s fields
    except ``module`` and ``url`` (one SQL statement); ``case(id)`` the model instance (with
    ``unit_id`` and the :class:`Assignable` fields) or None; ``handles(user)`` whether the
    person's roles handle the module."""

    key: str
    label: Any
    rows: Callable[[QueueFilter], list[dict[str, Any]]]
    case: Callable[[int], Any]
    handles: Callable[[Any], bool]
    url: Callable[[int], str]
    statuses: Callable[[], Sequence[tuple[str, Any]]]
    categories: Callable[[], Sequence[tuple[str, Any]]]
    order: int = 100


queue_registry: Registry[QueueProvider] = Registry("casework queues", "casework")

SCOPES = ("", "mine", "unassigned")


def units_of(user: Any) -> tuple[int, ...] | None:
    """The units whose work ``user`` sees: None for administrators (every unit)."""
    if "administrator" in roles_of(user):
        return None
    return tuple(user.org_units.values_list("id", flat=True))


def providers_for(user: Any) -> list[QueueProvider]:
    """The queues ``user`` works on, in their order."""
    return sorted((p for p in queue_registry if p.handles(user)), key=lambda p: p.order)


def may_see_queue(user: Any) -> bool:
    return bool(providers_for(user))


def queue_items(user: Any, f: QueueFilter, modules: Sequence[str] = ()) -> list[QueueItem]:
    """What waits for ``user``'s units in the modules they handle (or in ``modules``),
    longest waiting first."""
    items: list[QueueItem] = []
    for provider in providers_for(user):
        if modules and provider.key not in modules:
            continue
        items += [
            QueueItem(module=provider.key, url=provider.url(int(row["id"])), **row)
            for row in provider.rows(f)
        ]
    items.sort(key=lambda i: (i.waiting_since, i.module, i.id))
    return items[: f.limit]


#: The queue filters, the same in every module's statement (``x``: the case's row with
#: ``unit_id``, ``assignee_id`` and ``status``; the module adds its category and district).
QUEUE_WHERE = """
(%(units)s::bigint[] IS NULL OR x.unit_id = ANY(%(units)s) OR x.unit_id IS NULL)
AND (%(scope)s <> 'mine' OR x.assignee_id = %(user)s)
AND (%(scope)s <> 'unassigned' OR x.assignee_id IS NULL)
AND (%(status)s = '' OR x.status = %(status)s)
"""


def queue_params(f: QueueFilter) -> dict[str, Any]:
    """The parameters of :data:`QUEUE_WHERE` (and ``%(category)s``, ``%(district)s``,
    ``%(limit)s`` for the module's own conditions)."""
    return {
        "units": list(f.units) if f.units is not None else None,
        "user": f.user_id,
        "scope": f.scope,
        "status": f.status,
        "category": f.category,
        "district": f.district,
        "limit": f.limit,
    }


def queue_rows(
    statement: str, extra: Mapping[str, sql.Composable], f: QueueFilter
) -> list[dict[str, Any]]:
    """Run a module's queue statement: ``{where}`` in it becomes :data:`QUEUE_WHERE`, the
    other fields come from ``extra`` (translated labels as ``CASE``)."""
    query = sql.SQL(statement).format(where=sql.SQL(QUEUE_WHERE), **extra)
    return db.fetch_dicts(query, queue_params(f))


def _in_unit(user: Any, unit_id: int | None) -> bool:
    return unit_id is not None and bool(user.org_units.filter(pk=unit_id).exists())


def may_assign(user: Any, provider: QueueProvider, case: Any) -> bool:
    """Handlers of the module who work in the case's unit, and administrators."""
    if "administrator" in roles_of(user):
        return True
    return provider.handles(user) and _in_unit(user, case.unit_id)


def colleagues(provider: QueueProvider, unit_id: int | None, people: QuerySet[Any]) -> list[Any]:
    """The members of the unit (``people``: the unit's members) who handle the module."""
    if unit_id is None:
        return []
    return [p for p in people.filter(is_active=True).order_by("username") if provider.handles(p)]


@transaction.atomic
def case_assign(*, module: str, case_id: int, assignee: Any, user: Any) -> Any:
    """Give a case to ``assignee`` (None: release it). ``user`` must handle the module in the
    case's unit (or be an administrator); ``assignee`` must handle it in the same unit. The
    model is audited: the change, its author and time are in the audit log."""
    provider = queue_registry.get(module)
    if provider is None:
        raise CaseworkError(_("There is no such queue."))
    case = provider.case(case_id)
    if case is None:
        raise CaseworkError(_("There is no such case."))
    if not may_assign(user, provider, case):
        raise CaseworkError(_("Only staff of the case's unit may assign it."))
    if assignee is not None:
        if case.unit_id is None:
            raise CaseworkError(_("Route the case to a unit first."))
        if not (_in_unit(assignee, case.unit_id) and provider.handles(assignee)):
            raise CaseworkError(_("The person must work in the case's unit and handle it."))
    mark_assigned(case, assignee)
    case.save(update_fields=["assignee", "assigned_at"])
    return case


# --------------------------------------------------------------------------- templates

#: Placeholders a template may use, with what they stand for (shown on the templates page).
PLACEHOLDERS: dict[str, Any] = {
    "numer": gettext_lazy("the case's number"),
    "data": gettext_lazy("the day it was received (DD.MM.YYYY)"),
    "kategoria": gettext_lazy("its category"),
    "jednostka": gettext_lazy("the unit handling it"),
    "dzis": gettext_lazy("today's date (DD.MM.YYYY)"),
}
TEMPLATE_TITLE_MAX = 120
TEMPLATE_BODY_MAX = 5000
_FIELD = re.compile(r"\{([^{}]*)\}")


def template_problems(body: str) -> list[str]:
    """Why ``body`` cannot be a template (empty list: it can)."""
    problems = []
    if len(body) > TEMPLATE_BODY_MAX:
        problems.append(
            _("The text may be at most %(n)d characters long.") % {"n": TEMPLATE_BODY_MAX}
        )
    unknown = sorted({m for m in _FIELD.findall(body) if m not in PLACEHOLDERS})
    if unknown:
        problems.append(
            _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.")
            % {
                "names": ", ".join("{" + u[:30] + "}" for u in unknown[:5]),
                "allowed": ", ".join("{" + p + "}" for p in PLACEHOLDERS),
            }
        )
    return problems


def template_render(body: str, values: Mapping[str, Any]) -> str:
    """Fill the known placeholders; anything else in braces stays as written (no format
    mini-language, no attribute access: the text is the officer's, the values are data)."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        value = values.get(name, "")
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()
        if isinstance(value, date):
            return value.strftime("%d.%m.%Y")
        return str(value)

    return _FIELD.sub(fill, body)[:TEMPLATE_BODY_MAX]


def case_values(*, number: Any, received: Any, category: Any, unit: Any) -> dict[str, Any]:
    """The placeholder values of a case (each module passes its own fields)."""
    return {
        "numer": number,
        "data": received,
        "kategoria": category,
        "jednostka": unit or "",
        "dzis": timezone.localdate(),
    }


def templates_for(module: str, unit_id: int | None) -> QuerySet[AnswerTemplate]:
    """The templates offered in ``module``'s answer form for a case of ``unit_id``."""
    scope = Q(unit__isnull=True) | Q(unit_id=unit_id) if unit_id else Q(unit__isnull=True)
    return AnswerTemplate.objects.filter(scope, module=module).order_by("title", "id")


def templates_rendered(
    module: str, unit_id: int | None, values: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The templates for a form, each with its text filled for the case."""
    return [
        {"id": t.pk, "title": t.title, "text": template_render(t.body, values)}
        for t in templates_for(module, unit_id)
    ]


def may_edit_template(user: Any, unit_id: int | None, module: str) -> bool:
    """Administrators edit every template; handlers of the module those of their units
    (a template for every unit is the administrators')."""
    if "administrator" in roles_of(user):
        return True
    provider = queue_registry.get(module)
    return provider is not None and provider.handles(user) and _in_unit(user, unit_id)


def editable_templates(user: Any) -> QuerySet[AnswerTemplate]:
    templates = AnswerTemplate.objects.select_related("unit").order_by("module", "title", "id")
    units = units_of(user)
    if units is None:
        return templates
    modules = [p.key for p in providers_for(user)]
    return templates.filter(unit_id__in=units, module__in=modules)


@dataclass(frozen=True)
class TemplateInput:
    module: str
    unit_id: int | None
    title: str
    body: str


def _check_template(data: TemplateInput, user: Any) -> None:
    if queue_registry.get(data.module) is None:
        raise CaseworkError(_("There is no such queue."))
    if not data.title.strip() or len(data.title) > TEMPLATE_TITLE_MAX:
        raise CaseworkError(
            _("Give a title of at most %(n)d characters.") % {"n": TEMPLATE_TITLE_MAX}
        )
    if not data.body.strip():
        raise CaseworkError(_("Write the text of the template."))
    problems = template_problems(data.body)
    if problems:
        raise CaseworkError(" ".join(problems))
    if not may_edit_template(user, data.unit_id, data.module):
        raise CaseworkError(_("You may keep templates only for your units and queues."))


@transaction.atomic
def template_save(
    data: TemplateInput, *, user: Any, template: AnswerTemplate | None = None
) -> AnswerTemplate:
    """Create a template, or change ``template`` (the user must be allowed both for the
    template as it was and as it becomes)."""
    _check_template(data, user)
    if template is None:
        template = AnswerTemplate(created_by=user)
    elif not may_edit_template(user, template.unit_id, template.module):
        raise CaseworkError(_("You may keep templates only for your units and queues."))
    template.module, template.unit_id = data.module, data.unit_id
    template.title, template.body = data.title.strip(), data.body.strip()
    template.save()
    return template


@transaction.atomic
def template_delete(template: AnswerTemplate, *, user: Any) -> None:
    if not may_edit_template(user, template.unit_id, template.module):
        raise CaseworkError(_("You may keep templates only for your units and queues."))
    template.delete()


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Period:
    """Cases received on ``since`` … ``until`` (dates, both included)."""

    since: date
    until: date
    units: tuple[int, ...] | None = None


@dataclass(frozen=True)
class StatsProvider:
    """A module's statistics: ``rows(period)`` answers one row per group — ``dimension``
    (``category``, ``district``, ``status`` or ``total``), ``key``, ``label``, ``count``,
    ``answered``, ``median_days``, ``p90_days`` — from one SQL statement (``GROUPING SETS``)."""

    key: str
    label: Any
    rows: Callable[[Period], list[dict[str, Any]]]
    order: int = 100


stats_registry: Registry[StatsProvider] = Registry("casework statistics", "casework")
DIMENSIONS = ("total", "category", "district", "status")


@dataclass
class ModuleStats:
    key: str
    label: Any
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def statistics(period: Period, modules: Sequence[str] = ()) -> list[ModuleStats]:
    """Every registered module's statistics over ``period`` (or those of ``modules``)."""
    out = []
    for provider in sorted(stats_registry, key=lambda p: p.order):
        if modules and provider.key not in modules:
            continue
        stats = ModuleStats(provider.key, provider.label, {d: [] for d in DIMENSIONS})
        for row in provider.rows(period):
            stats.groups[row["dimension"]].append(row)
        out.append(stats)
    return out


STATS_SQL = """
WITH c AS ({base})
SELECT CASE WHEN GROUPING(category) = 0 THEN 'category'
            WHEN GROUPING(district) = 0 THEN 'district'
            WHEN GROUPING(status) = 0 THEN 'status' ELSE 'total' END AS dimension,
       coalesce(CASE WHEN GROUPING(category) = 0 THEN category
                     WHEN GROUPING(district) = 0 THEN district
                     WHEN GROUPING(status) = 0 THEN status END, '') AS key,
       coalesce(CASE WHEN GROUPING(category) = 0 THEN category_label
                     WHEN GROUPING(district) = 0 THEN district_label
                     WHEN GROUPING(status) = 0 THEN status_label END, '') AS label,
       count(*) AS count,
       count(answered) AS answered,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY
           extract(epoch FROM answered - started) / 86400))::numeric, 1) AS median_days,
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY
           extract(epoch FROM answered - started) / 86400))::numeric, 1) AS p90_days
FROM c
GROUP BY GROUPING SETS ((category, category_label), (district, district_label),
                        (status, status_label), ())
ORDER BY 1, count(*) DESC, 3
"""


def stats_rows(base: sql.Composable, period: Period) -> list[dict[str, Any]]:
    """Group a module's cases: ``base`` selects one row per case received in the period with
    ``category``, ``category_label``, ``district`` (a code; '' outside every district),
    ``district_label``, ``status``, ``status_label``, ``started`` and ``answered`` (the first
    answer, or NULL) and may use the parameters ``%(since)s``, ``%(until)s`` (dates,
    included) and ``%(units)s`` (unit ids, NULL for all)."""
    statement = sql.SQL(STATS_SQL).format(base=base)
    params = {
        "since": period.since,
        "until": period.until,
        "units": list(period.units) if period.units is not None else None,
    }
    rows = db.fetch_dicts(statement, params)
    for row in rows:
        for name in ("median_days", "p90_days"):
            if row[name] is not None:
                row[name] = float(row[name])
    return rows
