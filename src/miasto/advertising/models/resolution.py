"""The landscape resolution (*uchwała krajobrazowa*, u.p.z.p. art. 37a–37d) as data.

A :class:`LandscapeResolution` is the act (legal basis, status history, dates). Its rules
are kept as :class:`RuleSet` versions — versioned configuration with a half-open validity
``[valid_from, valid_to)`` (:mod:`miasto.core.versioning`): an amendment is a new version, a
draft version can be previewed against the register before it applies. A version holds the
areas (:class:`Zone`, which may not overlap within one version — a database trigger refuses
it) and each zone its rules (:class:`ZoneRule`, one row per rule; the rule kinds are the
registry in :mod:`miasto.advertising.rules`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.advertising.kinds import CarrierKind
from miasto.advertising.statuses import ResolutionStatus
from miasto.core.audit import audited
from miasto.core.geo import valid_geom
from miasto.core.versioning import VersionedQuerySet

SRID = settings.MIASTO_SRID


def dates_ordered(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
        name=f"{model}_dates_ordered",
        violation_error_message=_("The end date must be after the start date."),
    )


@audited
class LandscapeResolution(models.Model):
    """The act: a council resolution under u.p.z.p. art. 37a."""

    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("resolution number"), max_length=100, blank=True)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=500,
        default="art. 37a ust. 1 ustawy z dnia 27 marca 2003 r. o planowaniu i "
        "zagospodarowaniu przestrzennym",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResolutionStatus.choices,
        default=ResolutionStatus.DRAFT,
        db_index=True,
        editable=False,
        help_text=_("changed only through the status service"),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    journal_position = models.CharField(
        _("official journal position"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Dz. Urz. Woj. Łódzkiego 2024 poz. 1234"),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    has_adjustment_provisions = models.BooleanField(
        _("has proper adjustment provisions"),
        default=True,
        help_text=_(
            "Whether the resolution sets the period and terms for adjusting carriers placed "
            "before it (art. 37a ust. 1). Without them no penalty may be imposed on such "
            "carriers (NSA II OSK 1602/23)."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    geom = models.MultiPolygonField(_("area"), srid=SRID, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("landscape resolution")
        verbose_name_plural = _("landscape resolutions")
        ordering = ["-valid_from", "id"]
        constraints = [
            valid_geom("landscaperesolution"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=F("valid_from")),
                name="landscaperesolution_dates_ordered",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()[:200]


class ResolutionStatusChange(models.Model):
    """One step of the resolution's lifecycle (written only by the status service)."""

    resolution = models.ForeignKey(
        LandscapeResolution, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, blank=True
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=20, choices=ResolutionStatus.choices
    )
    effective = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("resolution status change")
        verbose_name_plural = _("resolution status changes")
        ordering = ["resolution", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.resolution_id}: {self.from_status or '—'} → {self.to_status}"


@audited
class RuleSet(models.Model):
    """A version of the resolution's rules, valid over ``[valid_from, valid_to)``.

    A version is ``applied`` once staff confirm it (after a preview of its effect on the
    register); only applied versions judge carriers. Applied versions of one resolution may
    not overlap in time (checked by the service that applies them).
    """

    resolution = models.ForeignKey(
        LandscapeResolution, on_delete=models.CASCADE, related_name="rulesets"
    )
    label = models.CharField(_("version"), max_length=100)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    applied = models.BooleanField(
        _("applied"), default=False, help_text=_("set by the apply service after a preview")
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["resolution", "valid_from", "id"]
        constraints = [
            dates_ordered("ruleset"),
            models.UniqueConstraint(fields=["resolution", "label"], name="ruleset_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resolution}: {self.label}"


@audited
class Zone(models.Model):
    """An area of the resolution with its own rules (zones of one version do not overlap)."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="zones")
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. A, B1"))
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    adjustment_months = models.PositiveSmallIntegerField(
        _("adjustment period (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(600)],
        help_text=_(
            "How long carriers placed lawfully before the resolution may stay unadjusted; "
            "empty when the resolution sets no period for this area."
        ),
    )
    provision = models.CharField(
        _("provision"), max_length=200, blank=True, help_text=_("e.g. § 5 of the resolution")
    )
    geom = models.MultiPolygonField(_("area"), srid=SRID)

    class Meta:
        verbose_name = _("advertising zone")
        verbose_name_plural = _("advertising zones")
        ordering = ["ruleset", "code"]
        constraints = [
            valid_geom("adzone"),
            models.UniqueConstraint(fields=["ruleset", "code"], name="adzone_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@audited
class ZoneRule(models.Model):
    """One rule of a zone: a rule kind (:mod:`miasto.advertising.rules`) with its values.

    ``min_value``/``max_value`` carry the numbers (metres, m², %, days, counts, hours — the
    unit is the kind's); ``params`` the kind's other settings (the allowed carrier kinds, the
    object a distance is measured to), validated by the kind on entry.
    """

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule kind"), max_length=40, db_index=True)
    carrier_kinds = ArrayField(
        models.CharField(max_length=30, choices=CarrierKind.choices),
        verbose_name=_("applies to carrier kinds"),
        default=list,
        blank=True,
        help_text=_("empty: every kind"),
    )
    min_value = models.DecimalField(
        _("minimum"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    max_value = models.DecimalField(
        _("maximum"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    params = models.JSONField(_("settings"), default=dict, blank=True)
    provision = models.CharField(
        _("provision"), max_length=200, blank=True, help_text=_("e.g. § 12 ust. 3 pkt 2")
    )

    class Meta:
        verbose_name = _("zone rule")
        verbose_name_plural = _("zone rules")
        ordering = ["zone", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="zonerule_min_le_max",
                violation_error_message=_("The minimum may not exceed the maximum."),
            ),
            models.CheckConstraint(
                condition=(Q(min_value__isnull=True) | Q(min_value__gte=0))
                & (Q(max_value__isnull=True) | Q(max_value__gte=0)),
                name="zonerule_values_nonneg",
                violation_error_message=_("Values may not be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone.code}: {self.kind}"
