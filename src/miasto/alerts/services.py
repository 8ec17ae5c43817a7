"""Writes of area alerts: subscriptions, the feed's secret address, read marks. Atomic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from miasto.alerts.areas import Area
from miasto.alerts.models import AlertProfile, Notification, Subscription, new_feed_token
from miasto.alerts.topics import known_topics


class SubscriptionError(ValueError):
    """A subscription refused (a limit, an unknown topic); the message is Polish."""


@dataclass(frozen=True)
class Choices:
    """What a person chose for a subscription besides its area."""

    name: str
    topics: tuple[str, ...]
    email: bool
    in_app: bool
    feed: bool


def _check(choices: Choices) -> None:
    unknown = set(choices.topics) - set(known_topics())
    if not choices.topics or unknown:
        raise SubscriptionError(_("Choose at least one topic from the list."))
    if not (choices.email or choices.in_app or choices.feed):
        raise SubscriptionError(_("Choose at least one way to be notified."))


def _apply(sub: Subscription, area: Area, choices: Choices) -> None:
    sub.name = choices.name.strip()[:100] or area.label[:100]
    sub.kind = area.kind
    sub.geom = area.geom
    sub.address = area.address
    sub.address_label = area.address.label if area.address is not None else ""
    sub.radius_m = area.radius_m
    sub.district = area.district
    sub.topics = sorted(set(choices.topics))
    sub.email, sub.in_app, sub.feed = choices.email, choices.in_app, choices.feed


@transaction.atomic
def subscription_create(*, user: Any, area: Area, choices: Choices) -> Subscription:
    _check(choices)
    # the person's row first: two requests at once cannot both pass the count
    profile_for(user, lock=True)
    limit = settings.MIASTO_ALERTS_MAX_PER_PERSON
    if Subscription.objects.filter(user=user).count() >= limit:
        raise SubscriptionError(
            ngettext(
                "You already follow %(n)d area, the most one person may: delete it first.",
                "You already follow %(n)d areas, the most one person may: delete one first.",
                limit,
            )
            % {"n": limit}
        )
    sub = Subscription(user=user)
    _apply(sub, area, choices)
    sub.save()
    return sub


@transaction.atomic
def subscription_update(*, sub: Subscription, area: Area, choices: Choices) -> Subscription:
    _check(choices)
    _apply(sub, area, choices)
    sub.save()
    return sub


def subscription_delete(sub: Subscription) -> None:
    sub.delete()


def profile_for(user: Any, *, lock: bool = False) -> AlertProfile:
    """The person's alert settings, made at first use."""
    profile, _created = AlertProfile.objects.get_or_create(user=user)
    if lock:
        profile = AlertProfile.objects.select_for_update().get(pk=profile.pk)
    return profile


@transaction.atomic
def feed_token_reset(user: Any) -> AlertProfile:
    """A new secret address for the person's feed; the old one stops working at once."""
    profile = profile_for(user, lock=True)
    profile.feed_token = new_feed_token()
    profile.feed_token_reset_at = timezone.now()
    profile.save(update_fields=["feed_token", "feed_token_reset_at"])
    return profile


def notifications_mark_read(user: Any, ids: list[int] | None = None) -> int:
    """Mark the person's unread notifications read (only ``ids``, when given)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
