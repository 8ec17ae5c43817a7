"""The advertising fee (*opłata reklamowa*, ustawa o podatkach i opłatach lokalnych art.
17a–17c) as versioned configuration.

:class:`FeeCap` is the statutory maximum for a year (indexed yearly by the Minister of
Finance's *obwieszczenie*); :class:`FeeRate` the council's rates. Both are valid over
``[valid_from, valid_to)`` (:mod:`miasto.core.versioning`). The art. 37d penalty is computed
from the same rates (:mod:`miasto.advertising.penalty`).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.gis.db import models
from django.core.validators import MinValueValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from miasto.advertising.models.register import Carrier, Owner
from miasto.core.audit import audited
from miasto.core.versioning import VersionedQuerySet


def _dates_ordered(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
        name=f"{model}_dates_ordered",
        violation_error_message=_("The end date must be after the start date."),
    )


_money = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


@audited
class FeeCap(models.Model):
    """The statutory maximum rates of the fee in force over a period (usually a year)."""

    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    fixed_daily = models.DecimalField(_("fixed part, per day (zł)"), **_money)  # type: ignore[arg-type]
    variable_daily_per_m2 = models.DecimalField(
        _("variable part, per m² per day (zł)"),
        **_money,  # type: ignore[arg-type]
    )
    source = models.CharField(_("source"), max_length=500)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("statutory fee cap")
        verbose_name_plural = _("statutory fee caps")
        ordering = ["valid_from"]
        constraints = [_dates_ordered("feecap")]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.fixed_daily} zł + {self.variable_daily_per_m2} zł/m²"


@audited
class FeeRate(models.Model):
    """The council's rates of the fee (never above the cap in force: checked on entry)."""

    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    fixed_daily = models.DecimalField(_("fixed part, per day (zł)"), **_money)  # type: ignore[arg-type]
    variable_daily_per_m2 = models.DecimalField(
        _("variable part, per m² per day (zł)"),
        **_money,  # type: ignore[arg-type]
    )
    resolution = models.CharField(
        _("council resolution"), max_length=250, help_text=_("e.g. Uchwała nr XII/123/2025")
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("advertising fee rate")
        verbose_name_plural = _("advertising fee rates")
        ordering = ["valid_from"]
        constraints = [_dates_ordered("feerate")]

    def __str__(self) -> str:
        return f"{self.valid_from}: {self.fixed_daily} zł + {self.variable_daily_per_m2} zł/m²"


@audited
class FeeExemption(models.Model):
    """An exemption from the fee for a carrier or an owner over a period."""

    carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.CASCADE, related_name="fee_exemptions"
    )
    owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.CASCADE, related_name="fee_exemptions"
    )
    reason = models.CharField(_("reason"), max_length=500)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee exemption")
        verbose_name_plural = _("fee exemptions")
        constraints = [
            _dates_ordered("feeexemption"),
            models.CheckConstraint(
                condition=Q(carrier__isnull=False) | Q(owner__isnull=False),
                name="feeexemption_has_subject",
                violation_error_message=_("An exemption concerns a carrier or an owner."),
            ),
        ]

    def __str__(self) -> str:
        return self.reason
