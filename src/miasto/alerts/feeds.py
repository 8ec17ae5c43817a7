"""A person's Atom feed of area alerts, at a secret address (``/konto/powiadomienia/kanal/
<token>.atom``): feed readers cannot sign in, so the token is the key. It is 256 random bits,
compared by the database's unique index; a wrong one is a plain 404; the person may change it
(the old address stops working). The feed names neither the person nor their areas — only
the public events — and is sent ``private, no-store``, ``noindex`` and without a referrer.
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from miasto.alerts import selectors
from miasto.alerts.models import AlertProfile, Notification
from miasto.alerts.topics import topic_title


class AlertFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, request: HttpRequest, token: str) -> AlertProfile:
        profile = selectors.profile_by_token(token)
        if profile is None or not profile.user.is_active:
            raise Http404
        return profile

    def title(self, obj: AlertProfile) -> str:
        return _("Miasto — news in the areas you follow")

    def link(self, obj: AlertProfile) -> str:
        return reverse("alerts:notifications")

    def feed_guid(self, obj: AlertProfile) -> str:
        # stable for the feed's address, and says nothing of the person
        return f"urn:miasto:alerts:feed:{obj.feed_token[:12]}"

    def items(self, obj: AlertProfile) -> list[Notification]:
        return selectors.feed_entries(obj)

    def item_title(self, item: Notification) -> str:
        return item.title

    def item_description(self, item: Notification) -> str:
        return topic_title(item.topic)

    def item_link(self, item: Notification) -> str:
        return item.url or reverse("alerts:notifications")

    def item_guid(self, item: Notification) -> str:
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Notification) -> Any:
        return item.event_at

    def item_updateddate(self, item: Notification) -> Any:
        return item.created_at
