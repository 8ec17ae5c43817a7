"""What planning publishes to :mod:`miasto.core.events`: a plan's change of status (initiated
→ in preparation → consultation → adopted → in force…), with the plan's boundary as the
event's geometry, so that residents following an area hear of the plans that cover it. Every
plan in the register is public."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.core.events import Topic, emit, topic_registry
from miasto.planning.models import Plan
from miasto.planning.statuses import STATUS_PL

STATUS_CHANGED = "plan.status_changed"


def _plans() -> list[tuple[str, str]]:
    return [
        (str(pk), title) for pk, title in Plan.objects.order_by("title").values_list("pk", "title")
    ]


def _is_plan(key: str) -> bool:
    return key.isdigit() and Plan.objects.filter(pk=int(key)).exists()


topic_registry.register(
    STATUS_CHANGED,
    Topic(STATUS_CHANGED, _("a plan's status changed"), _plans, _is_plan),
)


def plan_status_changed(plan: Plan, previous: str) -> None:
    """Announce the plan's new status (after the transaction commits)."""
    base = settings.MIASTO_PUBLIC_URL
    emit(
        STATUS_CHANGED,
        str(plan.pk),
        {
            "title": f"{plan.title}: {STATUS_PL.get(plan.status, plan.status)}",
            "url": base + reverse("planning:plan", args=[plan.pk]),
            "plan": plan.pk,
            "kind": plan.kind,
            "from_status": previous,
            "to_status": plan.status,
        },
        geometry=plan.geom,
    )
