"""Consultations, their documents, comments and attachments, and the summary report.

A consultation (*konsultacje społeczne*, u.p.z.p. art. 8e–8m) concerns an act
(:mod:`miasto.core.acts`, ``"plan:12"``) or an area; its status changes only through
:func:`miasto.consultations.services.consultation_transition` (the machine is in
:mod:`miasto.consultations.lifecycle`). A comment (*uwaga*) keeps its author's personal data
(art. 8g ust. 2 asks for the name and address) in fields that no public list, API, collection,
tile or export reads.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited
from miasto.core.geo import valid_geom
from miasto.core.models import Assignable

SRID = settings.MIASTO_SRID


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("consultation status", "draft")
    ANNOUNCED = "announced", _("announced")
    OPEN = "open", _("open for comments")
    CLOSED = "closed", pgettext_lazy("consultation status", "closed")
    REPORT_PUBLISHED = "report_published", _("summary report published")


@audited
class Consultation(models.Model):
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(
        _("what is consulted, in plain language"), blank=True, max_length=5000
    )
    act = models.CharField(
        _("act"), max_length=60, blank=True, help_text=_('e.g. "plan:12"; empty: an area')
    )
    #: the act's title when the consultation was set up (the act may move on, e.g. be adopted)
    act_title = models.CharField(_("act title"), max_length=600, blank=True)
    area = models.MultiPolygonField(_("area"), srid=SRID, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    forms = ArrayField(models.CharField(max_length=30), verbose_name=_("forms"), default=list)
    forms_details = models.TextField(_("meetings, places and dates"), blank=True, max_length=5000)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    #: the course of the consultation for the summary report (art. 8k ust. 2)
    #: the unit that handles its comments (their queue, assignment and answer templates)
    unit = models.ForeignKey(
        "territory.OrgUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    course = models.TextField(_("course of the consultation"), blank=True, max_length=20000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            valid_geom("consultation", "area"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="consultation_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """One step of a consultation's lifecycle (written only by the transition service)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]


def document_path(instance: Document, filename: str) -> str:
    return f"consultations/{instance.consultation_id}/documents/{filename}"


class Document(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class Category(models.TextChoices):
    LAND_USE = "land_use", _("land use")
    BUILDING = "building", _("building parameters")
    GREENERY = "greenery", _("greenery and nature")
    TRANSPORT = "transport", _("roads and transport")
    SERVICES = "services", _("public services")
    HERITAGE = "heritage", _("heritage and landscape")
    OTHER = "other", _("other")


class Channel(models.TextChoices):
    ONLINE = "online", _("online form")
    PAPER = "paper", _("paper")
    EMAIL = "email", _("e-mail")
    MEETING = "meeting", _("at a meeting")


class Moderation(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    HIDDEN = "hidden", _("hidden by a moderator")


class Handling(models.TextChoices):
    NONE = "", _("not handled yet")
    # (a context of their own: "accepted" is also a proposal's status, in another gender)
    ACCEPTED = "accepted", pgettext_lazy("comment handling", "accepted")
    PARTLY = "partly", pgettext_lazy("comment handling", "partly accepted")
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("comment handling", "not accepted")


@audited
class Comment(Assignable):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments"
    )
    #: its number in the consultation (the summary report's list is ordered by it)
    number = models.PositiveIntegerField()
    text = models.TextField(pgettext_lazy("consultation comment", "comment"), max_length=5000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    part_key = models.CharField(_("zone or provision"), max_length=100, blank=True)
    part_label = models.CharField(max_length=300, blank=True)
    geom = models.GeometryField(_("place"), srid=SRID, null=True, blank=True)
    parcel = models.CharField(_("parcel"), max_length=40, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    received_on = models.DateField(_("received on"))
    # --- personal data (art. 8g ust. 2): never public -----------------------------------
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("first name and surname or name"), max_length=200)
    author_address = models.CharField(_("address"), max_length=300)
    author_email = models.EmailField(_("e-mail"), blank=True)
    is_owner = models.BooleanField(_("owner or perpetual usufructuary of the property"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # --- moderation and handling ---------------------------------------------------------
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PENDING, db_index=True
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    handling = models.CharField(
        _("proposed handling"), max_length=15, choices=Handling.choices, blank=True, default=""
    )
    justification = models.TextField(_("justification"), blank=True, max_length=5000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("consultation comment", "comment")
        verbose_name_plural = _("comments")
        ordering = ["consultation", "number"]
        constraints = [
            valid_geom("comment"),
            models.UniqueConstraint(fields=["consultation", "number"], name="comment_number"),
            models.CheckConstraint(
                condition=Q(handling="") | ~Q(justification=""), name="comment_handling_justified"
            ),
        ]
        indexes = [models.Index(fields=["consultation", "moderation"], name="comment_public")]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.number}"

    @property
    def unit_id(self) -> int | None:
        """The unit handling the comment: its consultation's (shared casework reads it)."""
        return self.consultation.unit_id


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"consultations/comments/{instance.comment_id}/{filename}"


class Attachment(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=120)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)


def report_path(instance: Report, filename: str) -> str:
    return f"consultations/{instance.consultation_id}/report/{filename}"


class Report(models.Model):
    """The summary report (art. 8k ust. 2), as the background job last generated it."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="report"
    )
    pdf = models.FileField(upload_to=report_path, max_length=300)
    csv = models.FileField(upload_to=report_path, max_length=300)
    comments = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
