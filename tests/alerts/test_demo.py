"""``miasto demo-alerts``: the demo resident's three areas and notifications made by the real
matching from the plans; idempotent with ``--if-missing``."""

from __future__ import annotations

import pytest
import shapely
from django.core.management import CommandError, call_command

from miasto.alerts.models import Notification, Subscription
from miasto.planning.services import plan_create
from tests.alerts.conftest import X, Y
from tests.territory import factories as tf


def test_demo_alerts_for_the_resident(make_user, city) -> None:
    resident = make_user("resident", username="mieszkaniec", email="m@example.org")
    tf.DistrictFactory(name="Śródmieście")
    tf.AddressFactory(street=tf.StreetFactory(name="Długa"), number="1")
    plan_create(kind="mpzp", title="Plan Centrum", local_id="D-1",
                geom=shapely.box(X - 300, Y - 300, X + 300, Y + 300))  # fmt: skip
    plan_create(kind="mpzp", title="Plan za miastem", local_id="D-2",
                geom=shapely.box(X + 20_000, Y, X + 20_100, Y + 100))  # fmt: skip
    call_command("demo_alerts")
    subs = Subscription.objects.filter(user=resident)
    assert sorted(subs.values_list("kind", flat=True)) == ["address", "area", "district"]
    [n] = Notification.objects.filter(user=resident)
    assert n.title == "Plan Centrum: zmiana statusu" and n.in_feed and n.in_app
    assert n.read_at is None  # the newest stay unread
    call_command("demo_alerts", "--if-missing")
    assert Subscription.objects.filter(user=resident).count() == 3
    call_command("demo_alerts")  # again, from scratch: the same
    assert Subscription.objects.filter(user=resident).count() == 3
    assert Notification.objects.filter(user=resident).count() == 1


def test_demo_alerts_needs_the_resident(city) -> None:
    with pytest.raises(CommandError, match="demo-users"):
        call_command("demo_alerts")
