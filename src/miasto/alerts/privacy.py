"""On account deletion: a person's areas and what they were told go with them (nothing of it
is a public record)."""

from __future__ import annotations

from typing import Any

from miasto.alerts.models import AlertProfile, Notification, Subscription
from miasto.core.privacy import anonymiser


@anonymiser("alerts")
def anonymise(user: Any) -> int:
    notifications, _ = Notification.objects.filter(user=user).delete()
    subscriptions, _ = Subscription.objects.filter(user=user).delete()
    profiles, _ = AlertProfile.objects.filter(user=user).delete()
    return notifications + subscriptions + profiles
