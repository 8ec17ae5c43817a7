"""Plans as acts residents are consulted on (:mod:`miasto.core.acts`): the drafts — plans
initiated, in preparation or in consultation — with their zones as the parts a comment may
concern."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.core.acts import ActKind, ActPart, act_registry
from miasto.planning.models import Plan, Zone
from miasto.planning.statuses import DRAFT_STATUSES


def _plan(act_id: str) -> Plan | None:
    if not act_id.isdigit() or len(act_id) > 12:
        return None
    return Plan.objects.filter(pk=int(act_id), status__in=DRAFT_STATUSES).first()


def _choices() -> list[tuple[str, str]]:
    plans = Plan.objects.filter(status__in=DRAFT_STATUSES).order_by("local_id")
    return [(str(p.pk), f"{p.local_id} {p.title}") for p in plans]


def _title(act_id: str) -> str | None:
    plan = _plan(act_id)
    return f"{plan.local_id} {plan.title}" if plan else None


def _url(act_id: str) -> str | None:
    plan = _plan(act_id)
    return reverse("planning:plan", args=[plan.pk]) if plan else None


def _area(act_id: str) -> Any:
    plan = _plan(act_id)
    return plan.geom if plan else None


def _parts(act_id: str) -> list[ActPart]:
    plan = _plan(act_id)
    if plan is None:
        return []
    zones = Zone.objects.filter(plan=plan, valid_to__isnull=True).order_by("designation", "id")
    return [
        ActPart(
            key=f"zone:{z.pk}",
            label=f"{z.designation} {z.name}".strip() if z.name else z.designation,
            geometry=z.geom,
        )
        for z in zones
    ]


act_registry.register(
    "plan",
    ActKind(
        key="plan",
        label=_("Draft plan"),
        choices=_choices,
        title=_title,
        url=_url,
        area=_area,
        parts=_parts,
    ),
)
