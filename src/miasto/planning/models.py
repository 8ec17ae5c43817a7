"""Planning acts (plans), their legal acts, status history, zones, special areas, building lines.

History: zones carry ``valid_from``/``valid_to`` (the period they are law). An amendment ends
the affected zone rows and adds new ones, an annulment or expiry ends them all, so
"which zones applied here on a date" is one indexed query
(:func:`miasto.planning.selectors.zones_at`). Drafts have zones with the dates they would take
effect, but only plans that were enacted count (see ``statuses.ENACTED_STATUSES``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited
from miasto.core.geo import valid_geom
from miasto.planning.statuses import PlanStatus

SRID = settings.MIASTO_SRID


def dates_ordered(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True)
        | Q(valid_from__isnull=True)
        | Q(valid_to__gt=F("valid_from")),
        name=f"{model}_dates_ordered",
    )


@audited
class Plan(models.Model):
    class Kind(models.TextChoices):
        POG = "pog", _("general plan (POG)")
        MPZP = "mpzp", _("local plan (MPZP)")
        STUDIUM = "studium", _("study of conditions and directions (legacy)")
        ZPI = "zpi", _("integrated investment plan (ZPI)")
        REVITALISATION = "revitalisation", _("local revitalisation plan")

    kind = models.CharField(_("plan type"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    #: APP idIIP: przestrzenNazw + lokalnyId (+ wersjaId)
    namespace = models.CharField(_("namespace (przestrzenNazw)"), max_length=100, blank=True)
    local_id = models.CharField(_("local identifier (lokalnyId)"), max_length=100)
    version_id = models.CharField(_("version (wersjaId)"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.INITIATED,
        db_index=True,
        editable=False,
        help_text=_("changed only through the status service"),
    )
    level = models.CharField(_("hierarchy level"), max_length=20, default="local")
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("amends plan"),
    )
    catalogue = models.CharField(
        _("configuration version"), max_length=40, blank=True, help_text=_("see catalogue.py")
    )
    description = models.TextField(_("description"), blank=True)
    geom = models.MultiPolygonField(_("boundary"), srid=SRID, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["kind", "local_id"]
        constraints = [
            valid_geom("plan"),
            dates_ordered("plan"),
            models.UniqueConstraint(fields=["namespace", "local_id"], name="plan_idiip_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.local_id} {self.title}"[:200]


@audited
class LegalAct(models.Model):
    """A formal document of the plan (APP ``DokumentFormalny``): resolution, ruling…"""

    class Kind(models.TextChoices):
        INITIATION = "initiation", _("resolution to prepare the plan")
        ADOPTION = "adoption", _("adopting resolution")
        AMENDMENT = "amendment", _("amending resolution")
        ANNULMENT = "annulment", _("annulment (ruling or supervisory decision)")
        REPEAL = "repeal", _("repealing act")
        OTHER = "other", _("other document")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="legal_acts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    local_id = models.CharField(_("local identifier"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    number = models.CharField(_("resolution number"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    journal_position = models.CharField(
        _("official journal position"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Dz. Urz. Woj. Łódzkiego 2024 poz. 1234"),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("legal act")
        verbose_name_plural = _("legal acts")
        ordering = ["plan", "date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class PlanStatusChange(models.Model):
    """One step of the plan's lifecycle (written only by the status service)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, blank=True
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=20, choices=PlanStatus.choices
    )
    effective = models.DateField(_("effective date"))
    legal_act = models.ForeignKey(
        LegalAct, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")
        ordering = ["plan", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status or '—'} → {self.to_status}"


@audited
class Zone(models.Model):
    """A planning zone of a POG (*strefa planistyczna*) or an area of a local plan (*teren*)."""

    class Category(models.TextChoices):
        POG_ZONE = "pog_zone", _("planning zone (POG)")
        PLAN_AREA = "plan_area", _("plan area (MPZP and others)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="zones")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    local_id = models.CharField(_("local identifier (lokalnyId)"), max_length=100)
    version_id = models.CharField(_("version (wersjaId)"), max_length=20, blank=True)
    designation = models.CharField(_("designation"), max_length=60, help_text=_("e.g. 1SJ, 3MN/U"))
    number = models.CharField(_("number"), max_length=20, blank=True)
    symbol = models.CharField(_("symbol"), max_length=40, help_text=_("e.g. SJ, MN/U, KD-L"))
    name = models.CharField(_("name"), max_length=250, blank=True)
    land_use_classes = models.JSONField(_("land-use classes (KPT)"), default=list, blank=True)
    basic_profile = models.JSONField(_("basic profile"), default=list, blank=True)
    additional_profile = models.JSONField(_("additional profile"), default=list, blank=True)
    min_intensity = models.DecimalField(
        _("min building intensity"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    max_intensity = models.DecimalField(
        _("max building intensity"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    max_coverage = models.DecimalField(
        _("max building coverage (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_bio_active = models.DecimalField(
        _("min biologically active share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    max_height = models.DecimalField(
        _("max building height (m)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    max_storeys = models.PositiveSmallIntegerField(_("max storeys"), null=True, blank=True)
    min_plot_area = models.DecimalField(
        _("min plot area (m²)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    parking_ratio = models.DecimalField(
        _("parking spaces ratio"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rules = models.TextField(_("other rules (text)"), blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True, db_index=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
        verbose_name=_("previous version"),
    )
    geom = models.MultiPolygonField(_("area"), srid=SRID)

    class Meta:
        verbose_name = pgettext_lazy("plan zone", "zone")
        verbose_name_plural = _("zones")
        ordering = ["plan", "designation", "id"]
        constraints = [
            valid_geom("zone"),
            dates_ordered("zone"),
            models.CheckConstraint(
                condition=Q(min_intensity__isnull=True)
                | Q(max_intensity__isnull=True)
                | Q(min_intensity__lte=F("max_intensity")),
                name="zone_intensity_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(max_coverage__isnull=True)
                | Q(max_coverage__gte=0, max_coverage__lte=100),
                name="zone_coverage_percent",
            ),
            models.CheckConstraint(
                condition=Q(min_bio_active__isnull=True)
                | Q(min_bio_active__gte=0, min_bio_active__lte=100),
                name="zone_bio_active_percent",
            ),
        ]
        indexes = [models.Index(fields=["plan", "local_id"], name="zone_plan_local_id")]

    def __str__(self) -> str:
        return f"{self.designation} (plan #{self.plan_id})"


@audited
class SpecialArea(models.Model):
    """OUZ, OZS or OSD area of a general plan."""

    class Kind(models.TextChoices):
        OUZ = "ouz", _("infill development area (OUZ)")
        OZS = "ozs", _("inner-city development area (OZS)")
        OSD = "osd", _("social infrastructure standards area (OSD)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="special_areas")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    local_id = models.CharField(_("local identifier (lokalnyId)"), max_length=100)
    version_id = models.CharField(_("version (wersjaId)"), max_length=20, blank=True)
    designation = models.CharField(_("designation"), max_length=60, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    geom = models.MultiPolygonField(_("area"), srid=SRID)

    class Meta:
        verbose_name = _("special area (OUZ/OZS/OSD)")
        verbose_name_plural = _("special areas (OUZ/OZS/OSD)")
        ordering = ["plan", "kind", "local_id"]
        constraints = [valid_geom("specialarea"), dates_ordered("specialarea")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.local_id}"


@audited
class BuildingLine(models.Model):
    class Kind(models.TextChoices):
        OBLIGATORY = "obligatory", _("obligatory building line")
        NON_EXCEEDABLE = "non_exceedable", _("non-exceedable building line")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="building_lines")
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.CASCADE, related_name="building_lines"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    geom = models.MultiLineStringField(_("line"), srid=SRID)

    class Meta:
        verbose_name = _("building line")
        verbose_name_plural = _("building lines")
        constraints = [valid_geom("buildingline"), dates_ordered("buildingline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


@audited
class Scenario(models.Model):
    """A planning *scenario*: what if these draft plans were adopted and these zone
    parameters changed? Compared with the plans in force by every analysis (capacity,
    coverage, conflicts, accessibility) through :class:`miasto.planning.zoneset.ZoneSet`."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    as_of = models.DateField(
        _("compared with the plans in force on"),
        null=True,
        blank=True,
        help_text=_("empty: today"),
    )
    drafts = models.ManyToManyField(
        Plan,
        blank=True,
        related_name="scenarios",
        verbose_name=_("draft plans"),
        help_text=_("each draft replaces, inside its boundary, the zones in force"),
    )
    #: {"<zone id>": {"max_intensity": "1.2", …}} — validated by the scenario service
    overrides = models.JSONField(_("changed zone parameters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["-updated_at", "name"]

    def __str__(self) -> str:
        return self.name


class WypisLayout(models.Model):
    """The page counts of a laid-out *wypis i wyrys* PDF, by the digest of what it is laid out
    from (:func:`miasto.planning.wypis.layout_key`): the HTML page shows the stamp duty, which
    depends on the page counts, without laying the PDF out again. A cache: rows are
    recomputable, dropped after :data:`miasto.planning.wypis.LAYOUT_KEEP_DAYS`."""

    key = models.CharField(_("layout digest"), max_length=64, primary_key=True)
    wypis_pages = models.PositiveIntegerField(_("extract (wypis) pages"))
    wyrys_pages = models.PositiveIntegerField(_("map extract (wyrys) pages"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("wypis i wyrys layout")
        verbose_name_plural = _("wypis i wyrys layouts")

    def __str__(self) -> str:
        return f"{self.key[:12]}: {self.wypis_pages} + {self.wyrys_pages}"
