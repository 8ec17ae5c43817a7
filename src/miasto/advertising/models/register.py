"""The register of advertising carriers, their owners and operators, permits and photos.

A carrier stands at a point (``location``); a façade carrier may also have the line of the
façade it covers (``facade_line``). Its parcel and building come from the spine by geometry
(:func:`miasto.advertising.services.carrier_link_spine`). Owners who are natural persons are
personal data: they never appear on public pages, in open data or in the public API.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.advertising.kinds import CATEGORY_OF, CarrierKind, Illumination, Mounting
from miasto.core.audit import audited
from miasto.core.geo import valid_geom

SRID = settings.MIASTO_SRID

#: the largest dimension of any carrier we accept (a building wrap on a tall block)
MAX_DIMENSION_M = Decimal("200")
#: the largest display area we accept (m²)
MAX_AREA_M2 = Decimal("5000")


@audited
class Owner(models.Model):
    """The owner or operator of carriers: the one who pays the fee and answers for them."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("company or organisation")
        PERSON = "person", _("natural person")
        PUBLIC = "public", _("public body")

    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    tax_id = models.CharField(_("tax identifier (NIP)"), max_length=13, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    fee_exempt = models.BooleanField(
        _("exempt from the advertising fee"),
        default=False,
        help_text=_("e.g. by the council's resolution on the fee"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("carrier owner")
        verbose_name_plural = _("carrier owners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        """The name shown publicly: a natural person's name is personal data."""
        return "" if self.kind == self.Kind.PERSON else self.name


@audited
class Carrier(models.Model):
    """An advertising carrier: board, device or sign."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("standing")
        REMOVED = "removed", pgettext_lazy("carrier status", "removed")

    reference = models.CharField(
        _("register number"), max_length=40, unique=True, help_text=_("e.g. R/2026/00123")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CarrierKind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    location = models.PointField(_("location"), srid=SRID)
    facade_line = models.LineStringField(
        _("façade line"), srid=SRID, null=True, blank=True, help_text=_("for façade carriers")
    )
    width = models.DecimalField(
        _("width (m)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_DIMENSION_M)],
    )
    height = models.DecimalField(
        _("height (m)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_DIMENSION_M)],
    )
    sides = models.PositiveSmallIntegerField(
        _("display sides"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    area = models.DecimalField(
        _("display area (m²)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AREA_M2)],
        help_text=_("the area of all display surfaces; width × height × sides when not given"),
    )
    illumination = models.CharField(
        _("illumination"), max_length=10, choices=Illumination.choices, default=Illumination.NONE
    )
    lit_from = models.PositiveSmallIntegerField(
        _("lit from (hour)"), null=True, blank=True, validators=[MaxValueValidator(24)]
    )
    lit_until = models.PositiveSmallIntegerField(
        _("lit until (hour)"), null=True, blank=True, validators=[MaxValueValidator(24)]
    )
    mounting = models.CharField(
        _("mounting"), max_length=20, choices=Mounting.choices, default=Mounting.FREESTANDING
    )
    bottom_edge = models.DecimalField(
        _("bottom edge above ground (m)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DIMENSION_M)],
    )
    facade_share = models.DecimalField(
        _("share of the façade (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    window_share = models.DecimalField(
        _("share of the window (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    window_distance = models.DecimalField(
        _("distance to the nearest window (m)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DIMENSION_M)],
        help_text=_("measured on inspection"),
    )
    business = models.CharField(
        _("business (for signs)"),
        max_length=250,
        blank=True,
        help_text=_("the business a sign informs about; signs are counted per business"),
    )
    owner = models.ForeignKey(
        Owner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carriers",
        verbose_name=_("owner"),
    )
    operator = models.ForeignKey(
        Owner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_carriers",
        verbose_name=_("operator"),
    )
    parcel = models.ForeignKey(
        "territory.Parcel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ad_carriers",
        verbose_name=_("parcel"),
    )
    building = models.ForeignKey(
        "territory.Building",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ad_carriers",
        verbose_name=_("building"),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    exposure_until = models.DateField(
        _("exposure ends"), null=True, blank=True, help_text=_("for wraps and temporary carriers")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("advertising carrier")
        verbose_name_plural = _("advertising carriers")
        ordering = ["reference"]
        constraints = [
            valid_geom("carrier", "location"),
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0) & Q(area__gt=0),
                name="carrier_dimensions_positive",
                violation_error_message=_("Dimensions and area must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True)
                | Q(installed_on__isnull=True)
                | Q(removed_on__gte=F("installed_on")),
                name="carrier_removed_after_installed",
                violation_error_message=_("A carrier cannot be removed before it was installed."),
            ),
        ]
        indexes = [models.Index(fields=["owner", "kind"], name="carrier_owner_kind")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"

    @property
    def category(self) -> str:
        return CATEGORY_OF[self.kind]


@audited
class Permit(models.Model):
    """A permit or notification behind a carrier (building law, road lane, conservator)."""

    class Kind(models.TextChoices):
        BUILDING_PERMIT = "building_permit", _("building permit")
        NOTIFICATION = "notification", _("notification of works")
        ROAD_LANE = "road_lane", _("road lane occupation permit")
        CONSERVATOR = "conservator", _("heritage conservator's permit")
        OTHER = "other", pgettext_lazy("permit kind", "other")

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100)
    authority = models.CharField(_("issued by"), max_length=250, blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("permit or notification")
        verbose_name_plural = _("permits and notifications")
        ordering = ["carrier", "issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on")),
                name="permit_dates_ordered",
                violation_error_message=_("A permit cannot expire before it was issued."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def photo_path(instance: CarrierPhoto, filename: str) -> str:
    return f"advertising/photos/{instance.carrier_id}/{filename}"


@audited
class CarrierPhoto(models.Model):
    """A photo of a carrier (checked to be an image by :mod:`miasto.advertising.photos`)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=40, editable=False)
    width_px = models.PositiveIntegerField(_("width (px)"), editable=False)
    height_px = models.PositiveIntegerField(_("height (px)"), editable=False)
    caption = models.CharField(_("caption"), max_length=250, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("carrier photo")
        verbose_name_plural = _("carrier photos")
        ordering = ["carrier", "created_at"]

    def __str__(self) -> str:
        return f"{self.carrier_id}: {self.caption or self.image.name}"
