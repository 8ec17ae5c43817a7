"""Results of the compliance engine (:mod:`miasto.advertising.compliance`).

:class:`Violation` rows are kept as history: a re-check that no longer finds a violation
sets its ``resolved_on`` instead of deleting it, so trends and the share resolved can be
counted. Each violation names its rule, the rule's provision (legal basis), the measured and
the allowed value. :class:`ComplianceResult` is the latest verdict per carrier.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from miasto.advertising.models.register import Carrier
from miasto.advertising.models.resolution import RuleSet, Zone, ZoneRule


class ComplianceRun(models.Model):
    """One run of the engine: the whole register, one carrier, or a preview of a version."""

    class Scope(models.TextChoices):
        FULL = "full", _("whole register")
        CARRIER = "carrier", _("one carrier and its neighbours")
        PREVIEW = "preview", _("preview of a rule version")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    ruleset = models.ForeignKey(
        RuleSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    on_date = models.DateField(_("rules as of"))
    carriers_checked = models.PositiveIntegerField(_("carriers checked"), default=0)
    violations_found = models.PositiveIntegerField(_("violations found"), default=0)
    new_violations = models.PositiveIntegerField(_("new violations"), default=0)
    resolved_violations = models.PositiveIntegerField(_("resolved violations"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        verbose_name = _("compliance run")
        verbose_name_plural = _("compliance runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.on_date}"


class ComplianceResult(models.Model):
    """The latest verdict on one carrier."""

    carrier = models.OneToOneField(Carrier, on_delete=models.CASCADE, related_name="compliance")
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    compliant = models.BooleanField(_("compliant"), db_index=True)
    open_violations = models.PositiveSmallIntegerField(_("open violations"), default=0)
    under_adjustment = models.BooleanField(
        _("within the adjustment period"),
        default=False,
        help_text=_("placed before the resolution, still within its adjustment period"),
    )
    checked_on = models.DateField(_("rules as of"))
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    class Meta:
        verbose_name = _("compliance result")
        verbose_name_plural = _("compliance results")

    def __str__(self) -> str:
        return f"{self.carrier_id}: {'OK' if self.compliant else '✗'}"


class Violation(models.Model):
    """A carrier found against a rule of the resolution."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="violations")
    rule = models.ForeignKey(ZoneRule, on_delete=models.CASCADE, related_name="violations")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="violations")
    rule_kind = models.CharField(_("rule kind"), max_length=40, db_index=True)
    #: the distance rule's other carrier (0 when none), part of the violation's identity
    other_id = models.BigIntegerField(_("other object"), default=0)
    other_label = models.CharField(_("measured to"), max_length=250, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    measured = models.DecimalField(
        _("measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    allowed = models.DecimalField(
        _("allowed value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    message = models.CharField(_("description"), max_length=500)
    detected_on = models.DateField(_("detected on"), db_index=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, db_index=True)
    #: the carrier stood lawfully before the resolution: the end of its adjustment period
    adjustment_until = models.DateField(_("adjustment period ends"), null=True, blank=True)
    penalisable = models.BooleanField(
        _("penalty may be imposed"),
        default=True,
        help_text=_(
            "false within the adjustment period, and for carriers placed before a resolution "
            "without proper adjustment provisions"
        ),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-detected_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "rule", "other_id"],
                condition=Q(resolved_on__isnull=True),
                name="violation_open_unique",
            )
        ]
        indexes = [models.Index(fields=["zone", "rule_kind"], name="violation_zone_kind")]

    def __str__(self) -> str:
        return f"{self.carrier_id}: {self.rule_kind}"
