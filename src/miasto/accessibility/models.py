"""Accessibility standards (art. 13f of the planning act) as versioned configuration, and the
results of their bulk computation (one row per residential parcel × standard).

A standard is never a constant in code: each row carries its legal basis, its validity period
and its values. A change of a value is a new row (a new ``version`` of the same ``code``) valid
from a date; the old row gets ``valid_to`` = that date (periods are half-open,
``[valid_from, valid_to)``: on the changeover day only the new version applies). Versions of
one code may not overlap (:meth:`Standard.clean`). Optional municipal standards are switched
on and off with ``enabled``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from miasto.core.versioning import VersionedQuerySet
from miasto.territory.models import Parcel, PublicService
from miasto.territory.service_kinds import validate_service_kind

#: attributes of an APP 2.0 accessibility-standards area (ObszarStandardowDostepnosci…):
#: the distances (m) …
APP_DISTANCE_ELEMENTS = [
    ("odlegloscDoSzkolyPodstawowej", "odległość do szkoły podstawowej"),
    ("odlegloscDoObszarowZieleniPublicznej", "odległość do obszarów zieleni publicznej"),
    ("odlegloscDoObszaruZieleniPublicznej", "odległość do obszaru zieleni publicznej"),
    ("odlegloscDoPrzedszkola", "odległość do przedszkola"),
    ("odlegloscDoZlobka", "odległość do żłobka"),
    ("odlegloscDoAmbulatoriumPOZ", "odległość do ambulatorium POZ"),
    ("odlegloscDoBiblioteki", "odległość do biblioteki"),
    ("odlegloscDoDomuKultury", "odległość do domu kultury"),
    ("odlegloscDoDomuPomocySpolecznej", "odległość do domu pomocy społecznej"),
    ("odlegloscDoUrzadzonegoTerenuSportu", "odległość do urządzonego terenu sportu"),
    ("odlegloscDoPrzystanku", "odległość do przystanku"),
    ("odlegloscDoPlacowkiPocztowej", "odległość do placówki pocztowej"),
    ("odlegloscDoApteki", "odległość do apteki"),
    ("odlegloscDoPosterunkuPolicji", "odległość do posterunku policji"),
    ("odlegloscDoPosterunkuJednostkiOchronyPrzeciwpozarowej",
     "odległość do posterunku jednostki ochrony przeciwpożarowej"),
]  # fmt: skip
#: … and the areas (m²)
APP_AREA_ELEMENTS = [
    ("powierzchniaLacznaObszarowZieleniPublicznej",
     "łączna powierzchnia obszarów zieleni publicznej"),
    ("powierzchniaObszaruZieleniPublicznej", "powierzchnia obszaru zieleni publicznej"),
]  # fmt: skip


class StandardQuerySet(VersionedQuerySet):
    def active(self, on: datetime.date | None = None) -> VersionedQuerySet:
        """Enabled standards in force on ``on`` (default: today): ``valid_from <= on <
        valid_to`` (:mod:`miasto.core.versioning`)."""
        return self.in_force(on).filter(enabled=True)


class Standard(models.Model):
    class Aggregate(models.TextChoices):
        NEAREST = "nearest", _("nearest service within the distance")
        SUM_AREA = "sum_area", _("areas within the distance totalling at least the minimum")
        SINGLE_AREA = "single_area", _("one area of at least the minimum within the distance")

    code = models.SlugField(_("code"), max_length=40, help_text=_("e.g. school, green-3ha"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    service_kinds = models.JSONField(
        _("service kinds"), help_text=_("public service kinds that satisfy the standard")
    )
    distance_m = models.PositiveIntegerField(_("walking distance (m)"))
    min_area_ha = models.DecimalField(
        _("minimum area (ha)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    aggregate = models.CharField(
        _("rule"), max_length=12, choices=Aggregate.choices, default=Aggregate.NEAREST
    )
    mandatory = models.BooleanField(
        _("mandatory"), default=False, help_text=_("statutory (art. 13f) rather than municipal")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    #: the attributes of an OSD area of the APP schema the standard's values fill when a
    #: general plan's area has none (e.g. ``odlegloscDoSzkolyPodstawowej``)
    app_element = models.CharField(
        _("APP attribute (distance)"), max_length=80, blank=True, choices=APP_DISTANCE_ELEMENTS,
        help_text=_("attribute of the APP accessibility-standards area for the distance"),
    )  # fmt: skip
    app_area_element = models.CharField(
        _("APP attribute (area)"), max_length=80, blank=True, choices=APP_AREA_ELEMENTS,
        help_text=_("attribute of the APP accessibility-standards area for the minimum area"),
    )  # fmt: skip

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("accessibility standard")
        verbose_name_plural = _("accessibility standards")
        ordering = ["order", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="acc_standard_code_version"),
            models.CheckConstraint(
                condition=Q(distance_m__gt=0) & Q(distance_m__lte=20_000),
                name="acc_standard_distance_range",
            ),
            models.CheckConstraint(
                condition=Q(aggregate="nearest") | Q(min_area_ha__gt=0),
                name="acc_standard_area_rules_need_min_area",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="acc_standard_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def _clean_service_kinds(self) -> None:
        kinds = self.service_kinds
        if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
            raise ValidationError(
                {"service_kinds": _('A list of kinds of public services, e.g. ["primary_school"].')}
            )
        for kind in kinds:
            try:
                validate_service_kind(kind)
            except ValidationError as exc:
                raise ValidationError({"service_kinds": exc.messages}) from None

    def clean(self) -> None:
        """Refuse unknown service kinds, a period that ends before it starts, and a period
        sharing a day with another version of the same code."""
        super().clean()
        self._clean_service_kinds()
        if self.valid_from is None:
            return
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValidationError(
                {"valid_to": _("The end of validity must be after its start (the end day "
                               "itself is not included).")}
            )  # fmt: skip
        clash = (
            Standard.objects.filter(code=self.code)
            .exclude(pk=self.pk)
            .overlapping(self.valid_from, self.valid_to)
            .order_by("valid_from")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("Version %(version)s of standard %(code)s is in force in the same period "
                  "(%(start)s – %(end)s). End it on the day this version starts.")
                % {"version": clash.version, "code": self.code,
                   "start": clash.valid_from.isoformat(),
                   "end": clash.valid_to.isoformat() if clash.valid_to else "…"}
            )  # fmt: skip


class Run(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_s = models.FloatField(_("duration (s)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    config = models.JSONField(
        _("configuration"), default=list, help_text=_("the standards (code, version, values)")
    )
    stats = models.JSONField(_("statistics"), default=dict, blank=True)

    class Meta:
        verbose_name = _("accessibility computation")
        verbose_name_plural = _("accessibility computations")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class Result(models.Model):
    """One residential parcel × one standard. Replaced per standard on each run.

    No database foreign key to the parcel: millions of rows are written per run and a
    per-row referential check would double the time; readers join to the parcel table.
    """

    pk = models.CompositePrimaryKey("standard_id", "parcel_id")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="+")
    parcel = models.ForeignKey(
        Parcel, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    run = models.ForeignKey(Run, on_delete=models.CASCADE, db_constraint=False, related_name="+")
    met = models.BooleanField(_("met"))
    distance_m = models.FloatField(
        _("distance (m)"), null=True, help_text=_("empty: farther than twice the standard")
    )
    service = models.ForeignKey(
        PublicService, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("accessibility result")
        verbose_name_plural = _("accessibility results")
        indexes = [models.Index(fields=["parcel"], name="acc_result_parcel")]

    def __str__(self) -> str:
        return f"{self.parcel_id} × {self.standard_id}: {'tak' if self.met else 'nie'}"


class Share(models.Model):
    """Residents and residential parcels meeting a standard, per district and for the city
    (``district`` empty), as computed by a run. Replaced per standard on each run."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="shares")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="shares")
    district = models.ForeignKey(
        "territory.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    parcels = models.PositiveIntegerField(_("residential parcels"))
    parcels_met = models.PositiveIntegerField(_("parcels meeting the standard"))
    residents = models.PositiveIntegerField(_("residents"))
    residents_met = models.PositiveIntegerField(_("residents meeting the standard"))

    class Meta:
        verbose_name = _("accessibility share")
        verbose_name_plural = _("accessibility shares")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "district"],
                name="acc_share_standard_district",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard_id} / {self.district_id or 'miasto'}"
