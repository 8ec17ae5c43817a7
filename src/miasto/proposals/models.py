"""Co-creation proposals (pomysły mieszkańców): ideas residents place on the map, the supports
of other residents, comments, and the official answers of the city.

Personal data — who proposed, supported or commented — stays in the foreign keys to the
account; nothing public (pages, the API, open data, tiles) reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from miasto.core.audit import audited
from miasto.core.geo import valid_geom
from miasto.core.models import Assignable
from miasto.proposals.statuses import Status

SRID = settings.MIASTO_SRID


class Category(models.TextChoices):
    GREENERY = "greenery", _("greenery and parks")
    TRANSPORT = "transport", _("streets, cycling and public transport")
    SAFETY = "safety", _("safety")
    PUBLIC_SPACE = "public_space", _("squares and public space")
    SPORT = "sport", _("sport and play")
    CULTURE = "culture", _("culture and leisure")
    OTHER = "other", _("other")


@audited
class Proposal(Assignable):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    geom = models.GeometryField(_("place"), srid=SRID)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
        editable=False,
    )
    #: an act it concerns (core.acts: "plan:12"), or empty
    act_ref = models.CharField(_("act"), max_length=60, blank=True)
    act_title = models.CharField(_("act title"), max_length=300, blank=True)
    #: a line of the municipal budget (its classification or title), free text
    budget_line = models.CharField(_("budget line"), max_length=120, blank=True)
    #: the photo re-encoded as JPEG without any metadata (EXIF, GPS), or empty
    photo = models.BinaryField(_("photo"), null=True, blank=True, editable=False)
    photo_alt = models.CharField(_("photo description"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    district = models.ForeignKey(
        "territory.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "territory.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    #: the first official answer (for the time-to-answer statistics)
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    hidden_reason = models.CharField(_("hidden by a moderator because"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [valid_geom("proposals_proposal")]
        indexes = [models.Index(fields=["category", "status"], name="proposals_cat_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Support(models.Model):
    """One verified account's support (the account is forgotten when it is deleted; the
    support stays counted)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="proposals_support_once")
        ]


@audited
class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_reason = models.CharField(_("hidden by a moderator because"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment on a proposal")
        verbose_name_plural = _("comments on proposals")
        ordering = ["created_at", "id"]


class StatusChange(models.Model):
    """A status change with the city's official feedback (public; the actor is not)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="changes")
    source = models.CharField(max_length=20, choices=Status.choices)
    target = models.CharField(max_length=20, choices=Status.choices)
    feedback = models.TextField(_("official feedback"), max_length=5000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_name = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
