"""Area alerts: a person's areas with the topics they follow, and what they were told.

A :class:`Subscription` keeps its area as a stored polygon in EPSG:2180 (a drawn area, a
district's outline, or the circle of ``radius_m`` around an address — the circle is stored,
not computed per event, so that matching is one ``ST_Intersects`` over a GiST index).
:class:`Notification` rows are written set-based by the listener in :mod:`miasto.alerts.events`;
the in-app page, the Atom feed and the e-mail digest read them.
"""

from __future__ import annotations

import secrets
from uuid import uuid4

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.geo import valid_geom
from miasto.territory.models import Address, District

SRID = settings.MIASTO_SRID


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class AlertProfile(models.Model):
    """A person's alert settings: the secret of their Atom feed's address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_profile"
    )
    feed_token = models.CharField(
        _("feed token"), max_length=64, unique=True, default=new_feed_token
    )
    feed_token_reset_at = models.DateTimeField(_("feed address changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert settings")
        verbose_name_plural = _("alert settings")


class Subscription(models.Model):
    class Kind(models.TextChoices):
        ADDRESS = "address", _("address and radius")
        DISTRICT = "district", _("district")
        AREA = "area", _("drawn area")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of area"), max_length=10, choices=Kind.choices)
    address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the address's label when chosen (kept if the address row goes)
    address_label = models.CharField(_("address"), max_length=250, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    geom = models.MultiPolygonField(_("area"), srid=SRID)
    topics = ArrayField(models.CharField(max_length=100), verbose_name=_("topics"))
    email = models.BooleanField(_("e-mail"), default=True)
    in_app = models.BooleanField(_("in the service"), default=True)
    feed = models.BooleanField(_("Atom feed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["user_id", "name", "pk"]
        constraints = [
            valid_geom("alerts_subscription"),
            models.CheckConstraint(
                condition=Q(email=True) | Q(in_app=True) | Q(feed=True),
                name="alerts_subscription_some_channel",
            ),
            models.CheckConstraint(
                condition=Q(topics__len__gt=0), name="alerts_subscription_some_topic"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AreaPiece(models.Model):
    """A piece of a subscription's area of at most :data:`PIECE_VERTICES` vertices
    (``ST_Subdivide``), written by database triggers whenever a subscription's area is
    written or deleted (``0002_area_pieces``) — also by bulk SQL. Matching tests the pieces:
    a district's outline has thousands of vertices, and a point-in-polygon test against it
    costs as much as the whole rest of the statement; a small piece is cheap, and its
    bounding box fits the area far better in the GiST index. (No foreign key: the triggers
    keep the pieces, so that a subscription deleted by SQL takes them along.)"""

    subscription_id = models.BigIntegerField(db_index=True)
    geom = models.GeometryField(srid=SRID)

    class Meta:
        default_permissions = ()


#: the most vertices of one piece (ST_Subdivide's max_vertices)
PIECE_VERTICES = 64


class Notification(models.Model):
    """One event that reached a person (once, however many of their areas it touched)."""

    class Email(models.TextChoices):
        NONE = "none", _("not by e-mail")
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")

    uuid = models.UUIDField(unique=True, editable=False, default=uuid4)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_notifications"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=100)
    subject = models.CharField(pgettext_lazy("alerts", "subject"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=500)
    data = models.JSONField(_("data"), default=dict)
    event_at = models.DateTimeField(_("happened"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    in_app = models.BooleanField(default=True)
    in_feed = models.BooleanField(default=False)
    email_state = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="alerts_notif_user_created"),
            models.Index(
                fields=["user"],
                condition=Q(read_at__isnull=True, in_app=True),
                name="alerts_notif_unread",
            ),
            models.Index(
                fields=["user", "created_at"],
                condition=Q(email_state="pending"),
                name="alerts_notif_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title
