"""Area alerts of the demo city's resident (``miasto demo-alerts``): three areas — around an
address, a district, a drawn square in the city centre — and the notifications the demo's
plans and datasets would have sent them, made by the real matching statement
(:func:`miasto.alerts.events.alerts_match`) from events of the topics registered now.
Deterministic: the same city gives the same areas (chosen by order, not at random).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.utils import timezone

from miasto.alerts import areas
from miasto.alerts.events import alerts_match
from miasto.alerts.models import Notification, Subscription
from miasto.alerts.services import Choices, profile_for, subscription_create
from miasto.alerts.topics import known_topics
from miasto.core.db import fetch_all, fetch_one
from miasto.core.events import Event
from miasto.territory.models import Address, City, District

#: the demo resident (``miasto demo-users``)
RESIDENT = "mieszkaniec"
#: the drawn area: a square of this side around the city's centre (m)
SQUARE_M = 1500.0


class DemoError(Exception):
    """The demo cannot be made (no city, no resident); the message says what to run."""


@dataclass(frozen=True)
class DemoResult:
    subscriptions: int
    notifications: int
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return "Subskrypcje powiadomień mieszkańca już są — pominięto."
        return (
            f"Powiadomienia mieszkańca: {self.subscriptions} obszary, "
            f"{self.notifications} powiadomień."
        )


def _centre_square(city: City) -> MultiPolygon:
    row = fetch_one(
        "SELECT ST_Multi(ST_Intersection(ST_Expand(ST_PointOnSurface(geom), %s), geom)) "
        "FROM territory_city WHERE id = %s",
        [SQUARE_M / 2, city.pk],
    )
    assert row is not None
    return areas.as_multi(GEOSGeometry(row[0]))


def _areas(city: City) -> list[tuple[str, areas.Area]]:
    found: list[tuple[str, areas.Area]] = []
    address = Address.objects.filter(street__isnull=False).order_by("label", "pk").first()
    if address is not None:
        found.append(("Dom", areas.address_area(address, 500)))
    district = District.objects.order_by("code").first()
    if district is not None:
        found.append((f"Dzielnica {district.name}", areas.district_area(district)))
    square = _centre_square(city)
    found.append(("Centrum", areas.Area("area", square)))
    return found


def _past_events() -> list[Event]:
    """Events like those the demo's plans published, a few days apart (the newest last).
    (Modules do not import each other: the demo reads the plans' table by SQL, when there.)"""
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    if _table_exists("planning_plan"):
        rows = fetch_all(
            "SELECT id, title, ST_AsEWKB(geom) FROM planning_plan "
            "WHERE geom IS NOT NULL ORDER BY id"
        )
    base = settings.MIASTO_PUBLIC_URL
    events = []
    for i, (pk, title, wkb) in enumerate(rows):
        events.append(
            Event(
                "plan.status_changed",
                str(pk),
                {"title": f"{title}: zmiana statusu", "url": f"{base}/planowanie/plany/{pk}/"},
                at=now - timedelta(days=3 * (len(rows) - i)),
                geometry=GEOSGeometry(memoryview(bytes(wkb))),
            )
        )
    return events


def _table_exists(name: str) -> bool:
    row = fetch_one("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(row and row[0])


@transaction.atomic
def demo_alerts_generate(*, if_missing: bool = False) -> DemoResult:
    city = City.objects.order_by("pk").first()
    if city is None:
        raise DemoError("Brak miasta demonstracyjnego: najpierw `miasto demo-city`.")
    user = get_user_model().objects.filter(username=RESIDENT).first()
    if user is None:
        raise DemoError("Brak mieszkańca demonstracyjnego: najpierw `miasto demo-users`.")
    if if_missing and Subscription.objects.filter(user=user).exists():
        return DemoResult(0, 0, skipped=True)
    Notification.objects.filter(user=user).delete()
    Subscription.objects.filter(user=user).delete()
    profile_for(user)
    topics = tuple(known_topics())
    for name, area in _areas(city):
        choices = Choices(name=name, topics=topics, email=False, in_app=True, feed=True)
        subscription_create(user=user, area=area, choices=choices)
    for event in _past_events():
        alerts_match(event)
    mine = Notification.objects.filter(user=user)
    # the events are of the past: what was "sent" then is dated then; all but the newest read
    for n in mine:
        n.created_at = n.event_at
        n.save(update_fields=["created_at"])
    newest = list(mine.order_by("-created_at").values_list("pk", flat=True)[:3])
    mine.exclude(pk__in=newest).update(read_at=timezone.now())
    return DemoResult(Subscription.objects.filter(user=user).count(), mine.count())
