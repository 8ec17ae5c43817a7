"""Problem reports (zgłoszenia problemów) and the service catalogue they are filed under.

- :class:`Service` — a kind of problem residents may report (Open311's *service*): its code,
  name, group, the attributes a report of it asks for (:class:`ServiceAttribute`, Open311's
  *service definition*) and the unit that handles it by default.
- :class:`RoutingRule` — which municipal unit (``territory.OrgUnit``) handles a report, by
  service and optionally by district or by a drawn area; the most specific rule that matches
  the report's point wins (:mod:`miasto.problems.routing`, one SQL statement).
- :class:`Report` — one report: a point, a description, an optional photo (stored without its
  EXIF metadata, :mod:`miasto.problems.photos`), the reporter's contact details (personal
  data: never public), the status (:mod:`miasto.problems.statuses`) and the unit and officer
  handling it.
- :class:`ReportUpdate` — the history: each status change or note, public or internal.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited
from miasto.core.geo import valid_geom
from miasto.core.models import Assignable
from miasto.problems.statuses import Status

SRID = settings.MIASTO_SRID


def new_token() -> str:
    return secrets.token_urlsafe(18)


@audited
class Service(models.Model):
    code = models.SlugField(
        _("service code"), max_length=40, unique=True, help_text=_("Open311 service_code")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=250, blank=True)
    unit = models.ForeignKey(
        "territory.OrgUnit",
        verbose_name=_("responsible unit (default)"),
        on_delete=models.PROTECT,
        related_name="problem_services",
    )
    active = models.BooleanField(_("accepts reports"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


@audited
class ServiceAttribute(models.Model):
    """A field a report of the service asks for (Open311 ``attribute``)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", pgettext_lazy("data type", "number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLE = "singlevaluelist", _("one of a list")
        MULTI = "multivaluelist", _("several of a list")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("question"), max_length=250)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("hint"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    #: for lists: [{"key": "…", "name": "…"}, …]
    values = models.JSONField(_("values"), default=list, blank=True)

    class Meta:
        verbose_name = _("report category attribute")
        verbose_name_plural = _("report category attributes")
        ordering = ["service", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="problems_attribute_code")
        ]

    def __str__(self) -> str:
        return self.description


@audited
class RoutingRule(models.Model):
    """Reports of ``service`` (any service when empty) inside ``district`` or ``area`` go to
    ``unit``. An area rule beats a district rule, which beats a rule for the whole city;
    among equals the lower ``priority`` wins."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="routing_rules"
    )
    district = models.ForeignKey(
        "territory.District", null=True, blank=True, on_delete=models.CASCADE
    )
    area = models.MultiPolygonField(_("area"), srid=SRID, null=True, blank=True)
    unit = models.ForeignKey(
        "territory.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "id"]
        constraints = [valid_geom("routingrule", "area")]

    def __str__(self) -> str:
        return f"{self.service or '*'} → {self.unit}"


@audited
class Report(Assignable):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    geom = models.PointField(_("location"), srid=SRID)
    #: the point in WGS 84, kept by a trigger (migration 0003) from ``geom``: Open311 answers
    #: carry it for up to 1 000 reports, and transforming each one per request cost more
    #: than the rest of the query (bench/RESULTS.md)
    lat = models.FloatField(null=True, editable=False)
    lon = models.FloatField(null=True, editable=False)
    address = models.CharField(_("address"), max_length=250, blank=True)
    description = models.TextField(_("description"))
    attributes = models.JSONField(
        pgettext_lazy("problem report", "attributes"), default=dict, blank=True
    )
    photo = models.FileField(_("photo"), upload_to="problems/%Y/%m/", blank=True)
    unit = models.ForeignKey(
        "territory.OrgUnit", on_delete=models.PROTECT, related_name="problem_reports"
    )
    district = models.ForeignKey(
        "territory.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    #: where it came from: "web" (the form), "open311" (an application with an API key)
    channel = models.CharField(max_length=10, default="web")
    api_key = models.ForeignKey(
        "core.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Open311's token: a client may look the request's id up by it
    token = models.CharField(max_length=40, unique=True, default=new_token)
    # personal data (never public; removed by the anonymiser)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_reports",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # times
    requested_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    #: the first answer (acknowledgement, a public note or a status change) by the city
    answered_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    expected_at = models.DateTimeField(_("expected"), null=True, blank=True)
    #: the latest public note (Open311's ``status_notes``), kept by the services
    public_note = models.TextField(_("latest public note"), blank=True)
    #: hidden by a moderator (the reason is shown publicly)
    hidden_reason = models.CharField(_("hidden because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_at", "id"], name="problems_report_requested"),
            models.Index(fields=["service", "requested_at"], name="problems_report_service_time"),
            models.Index(fields=["unit", "status"], name="problems_report_unit_status"),
            models.Index(fields=["status", "requested_at"], name="problems_report_status_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("requested_at")),
                name="problems_report_closed_after_requested",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service}"

    @property
    def is_public(self) -> bool:
        return not self.hidden_reason


class ReportUpdate(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    status_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(pgettext_lazy("report update", "public"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"], name="problems_update_report_at")]
