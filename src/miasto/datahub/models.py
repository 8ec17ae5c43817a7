"""The data hub: a catalogue of the city's datasets, each with versioned imports.

Metadata fields map one-to-one to DCAT-AP-PL (``dcat:Dataset``): title/description
(``dct:title``/``dct:description`` in pl and en), keywords (``dcat:keyword``), theme
(``dcat:theme``), owner unit (``dct:publisher``), contact point (``dcat:contactPoint``), licence
(``dct:license`` on distributions), update frequency (``dct:accrualPeriodicity``), access level
(``dct:accessRights``), spatial and temporal coverage (``dct:spatial``/``dct:temporal``), and
versions (``dcat:hasVersion``/``adms:version``).

Each version's features live in their own table in the ``datahub_data`` schema (loaded in bulk
by GDAL), so old versions stay queryable and diffs are one SQL join. The *current* version is
what the map, the API and analyses see; for spine layers it is also published into the spine.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited
from miasto.datahub.vocabularies import FREQUENCY_PERIOD, Frequency, Licence, Theme
from miasto.territory.models import OrgUnit

DATA_SCHEMA = "datahub_data"


@audited
class Dataset(models.Model):
    class Access(models.TextChoices):
        PUBLIC = "public", _("public")
        INTERNAL = "internal", _("internal (city staff)")
        RESTRICTED = "restricted", _("restricted (owner unit)")

    slug = models.SlugField(_("identifier (slug)"), max_length=80, unique=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = ArrayField(
        models.CharField(max_length=60), verbose_name=_("keywords"), default=list, blank=True
    )
    theme = models.CharField(_("theme"), max_length=4, choices=Theme.choices, default=Theme.REGI)
    owner = models.ForeignKey(
        OrgUnit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="datasets"
    )
    contact_name = models.CharField(_("contact point"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_4
    )
    frequency = models.CharField(
        _("update frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    access = models.CharField(
        _("access level"), max_length=10, choices=Access.choices, default=Access.PUBLIC
    )
    target = models.CharField(
        _("target layer"),
        max_length=30,
        default="generic",
        help_text=_("a spine layer (parcels, buildings, …) or 'generic'"),
    )
    key_field = models.CharField(
        _("key attribute"), max_length=63, blank=True, help_text=_("identifies a feature")
    )
    field_mapping = models.JSONField(_("field mapping"), default=dict, blank=True)
    quality_rules = models.JSONField(
        _("quality rules"), default=dict, blank=True, help_text=_("overrides of blocking rules")
    )
    spatial_coverage = models.MultiPolygonField(
        _("spatial coverage"), srid=settings.MIASTO_SRID, null=True, blank=True
    )
    temporal_start = models.DateField(_("temporal coverage from"), null=True, blank=True)
    temporal_end = models.DateField(_("temporal coverage to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)
    #: set when archived: hidden from the catalogue, search, APIs, tiles and exports, kept
    #: with its versions (staff find it under the catalogue's "archived" filter)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title_pl"]

    def __str__(self) -> str:
        return self.title_pl

    def title(self, language: str = "pl") -> str:
        return (self.title_en if language == "en" and self.title_en else self.title_pl) or self.slug

    def description(self, language: str = "pl") -> str:
        if language == "en" and self.description_en:
            return self.description_en
        return self.description_pl

    @property
    def current_version(self) -> DatasetVersion | None:
        return self.versions.filter(is_current=True).first()

    def stale_since(self, now: datetime | None = None) -> datetime | None:
        """When the dataset became stale (None: fresh, or its frequency has no period)."""
        period = FREQUENCY_PERIOD.get(self.frequency)
        current = self.current_version
        if period is None or current is None or current.finished_at is None:
            return None
        due = current.finished_at + period
        return due if due < (now or timezone.now()) else None


class DatasetVersion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        FAILED = "failed", pgettext_lazy("dataset version status", "failed")
        REJECTED = "rejected", _("rejected by quality rules")
        READY = "ready", _("ready")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    is_current = models.BooleanField(_("current"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    source_name = models.CharField(_("source file"), max_length=255)
    source_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    source_size = models.BigIntegerField(_("size (bytes)"), default=0)
    format = models.CharField(_("format"), max_length=20, blank=True)
    source_crs = models.CharField(_("source CRS"), max_length=40, blank=True)
    feature_count = models.PositiveIntegerField(_("features"), null=True, blank=True)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    geometry_type = models.CharField(_("geometry type"), max_length=30, blank=True)
    attributes = models.JSONField(_("attributes"), default=list, blank=True)
    quality = models.JSONField(_("quality report"), default=dict, blank=True)
    quality_score = models.FloatField(_("quality score"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=250, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["dataset"], condition=Q(is_current=True), name="one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} v{self.number}"

    @property
    def table_name(self) -> str:
        """The table holding this version's features (schema-qualified)."""
        return f"{DATA_SCHEMA}.v{self.pk}"

    @property
    def has_data(self) -> bool:
        return self.status == self.Status.READY
