"""What the advertising module publishes to :mod:`miasto.core.events`.

``advertising.decision``: a decision in an enforcement case (a penalty imposed, a carrier
ordered removed…), emitted by the enforcement workflow with the carrier's location, so that
residents following an area hear of it. Subjects are the zones in force (by code).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from miasto.advertising.models import Zone
from miasto.core.events import Topic, topic_registry

DECISION = "advertising.decision"


def _zones() -> list[tuple[str, str]]:
    today = dt.date.today()
    zones = Zone.objects.filter(
        ruleset__applied=True,
        ruleset__valid_from__lte=today,
        ruleset__resolution__status="in_force",
    ).order_by("code")
    return [(z.code, f"{z.code} {z.name}") for z in zones]


def _is_public(code: str) -> bool:
    return any(key == code for key, _label in _zones())


topic_registry.register(
    DECISION, Topic(DECISION, _("a decision on an advertising carrier"), _zones, _is_public)
)
