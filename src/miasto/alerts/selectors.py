"""Reads of area alerts for the pages and the feed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from miasto.alerts.models import AlertProfile, Notification, Subscription

#: entries in a person's feed (the newest)
FEED_ENTRIES = 50


def subscriptions_of(user: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).order_by("name", "pk")


def own_subscription(user: Any, pk: int) -> Subscription | None:
    """The person's subscription ``pk``; None for anyone else's (answered as not found)."""
    return Subscription.objects.filter(user=user, pk=pk).first()


def notifications_of(user: Any) -> QuerySet[Notification]:
    """What the person sees in the service (newest first)."""
    return Notification.objects.filter(user=user, in_app=True).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()


def profile_by_token(token: str) -> AlertProfile | None:
    if not token or len(token) > 64:
        return None
    return AlertProfile.objects.filter(feed_token=token).select_related("user").first()


def feed_entries(profile: AlertProfile) -> list[Notification]:
    rows = Notification.objects.filter(user_id=profile.user_id, in_feed=True)
    return list(rows.order_by("-created_at", "-pk")[:FEED_ENTRIES])
