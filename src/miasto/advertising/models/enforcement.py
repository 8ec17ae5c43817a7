"""Enforcement of the landscape resolution: a case per carrier, its history, inspections,
documents and reminders.

A case (*sprawa*) follows the state machine of :mod:`miasto.advertising.enforcement`: found by
the compliance engine (``detected``), seen on site by an inspector (``inspected``), a notice to
adjust (*wezwanie*, ``notice_sent``), the proceedings on the art. 37d penalty
(*postępowanie*, ``proceedings``), the decision (``decision``), and how it ended. The state is
changed only by that module's services, each change a :class:`CaseTransition` row and an audit
log entry.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited

SRID = settings.MIASTO_SRID


class CaseState(models.TextChoices):
    DETECTED = "detected", _("detected")
    INSPECTED = "inspected", _("inspected")
    NOTICE_SENT = "notice_sent", _("notice sent")
    PROCEEDINGS = "proceedings", _("proceedings")
    DECISION = "decision", _("decision (penalty)")
    PAID = "paid", _("penalty paid")
    REMOVED = "removed", _("adjusted or removed")
    APPEALED = "appealed", _("appealed")
    CLOSED = "closed", pgettext_lazy("enforcement case status", "closed")


@audited
class EnforcementCase(models.Model):
    """One enforcement case about one carrier; at most one open (not closed) case per carrier."""

    number = models.CharField(_("case number"), max_length=40, unique=True)
    carrier = models.ForeignKey(
        "advertising.Carrier",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("carrier"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=CaseState.choices,
        default=CaseState.DETECTED,
        db_index=True,
        editable=False,
    )
    state_since = models.DateTimeField(_("in this state since"))
    #: the deadline of the current state (configuration: enforcement.DEADLINES), None: none
    due_on = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case officer"),
    )
    #: what the compliance engine found: [{"rule", "basis", "measured", "allowed"}, …]
    violations = models.JSONField(_("violations"), default=list, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    #: art. 37d: the penalty runs from the day the proceedings start …
    proceedings_started_on = models.DateField(_("proceedings started on"), null=True, blank=True)
    #: … to the day the carrier is adjusted or removed (None: not yet)
    adjusted_on = models.DateField(_("adjusted or removed on"), null=True, blank=True)
    penalty = models.DecimalField(
        _("penalty (zł)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    #: the penalty's derivation as computed for the decision (rates, area, days, formula)
    penalty_derivation = models.JSONField(_("penalty derivation"), default=dict, blank=True)

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier"],
                condition=~Q(state="closed"),
                name="advertising_one_open_case_per_carrier",
            )
        ]

    def __str__(self) -> str:
        return self.number


class CaseTransition(models.Model):
    """One change of a case's state: the history shown on the case's page."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    target = models.CharField(max_length=20, choices=CaseState.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: "system" for the application itself; kept when the account is deleted
    actor_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


def inspection_photo_path(instance: Inspection, filename: str) -> str:
    return f"advertising/inspections/{instance.taken_at:%Y/%m}/{filename}"


@audited
class Inspection(models.Model):
    """What an inspector saw on site (*protokół oględzin*): measurements, position, a photo."""

    class PositionSource(models.TextChoices):
        GPS = "gps", _("device position (GPS)")
        MANUAL = "manual", _("entered by hand")

    case = models.ForeignKey(
        EnforcementCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inspections",
    )
    carrier = models.ForeignKey(
        "advertising.Carrier", on_delete=models.PROTECT, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: the form's own identifier (made in the browser): a draft sent twice is stored once
    client_id = models.UUIDField(unique=True)
    taken_at = models.DateTimeField(_("inspected at"))
    received_at = models.DateTimeField(auto_now_add=True)
    position = models.PointField(_("position"), srid=SRID, null=True, blank=True)
    position_source = models.CharField(max_length=10, choices=PositionSource.choices, blank=True)
    accuracy_m = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    width_m = models.DecimalField(_("width (m)"), max_digits=7, decimal_places=2)
    height_m = models.DecimalField(_("height (m)"), max_digits=7, decimal_places=2)
    sides = models.PositiveSmallIntegerField(_("sides"), default=1)
    display_area_m2 = models.DecimalField(_("display area (m²)"), max_digits=9, decimal_places=2)
    bottom_edge_m = models.DecimalField(
        _("bottom edge height (m)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    illuminated = models.BooleanField(_("illuminated"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    #: the photo as published: re-encoded, without any EXIF (no position, no device)
    photo = models.ImageField(upload_to=inspection_photo_path, blank=True)
    #: where the camera said the photo was taken (EXIF GPS of the original), kept for the file
    photo_position = models.PointField(srid=SRID, null=True, blank=True)

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.carrier_id} @ {self.taken_at:%Y-%m-%d}"


def document_path(instance: CaseDocument, filename: str) -> str:
    return f"advertising/cases/{instance.case_id}/{filename}"


@audited
class CaseDocument(models.Model):
    """A PDF generated for a case (inspection protocol, notice, decision draft)."""

    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("inspection protocol")
        NOTICE = "notice", _("notice to adjust (wezwanie)")
        DECISION = "decision", _("decision draft (penalty)")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=document_path)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class CaseReminder(models.Model):
    """An in-app reminder (and an e-mail) to the officer of a case whose deadline comes."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=CaseState.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "state", "due_on"], name="advertising_reminder_once"
            )
        ]
