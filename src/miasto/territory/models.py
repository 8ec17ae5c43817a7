"""The city spine: every module links to these by foreign key or by geometry.

Geometries are stored in ``settings.MIASTO_SRID`` (EPSG:2180 by default), carry a GiST index
and a validity check constraint. Polish register terms: *obręb* (precinct, a cadastral unit),
*działka* (parcel, identified as in EGiB), *TERYT* (the national register of territorial units).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited
from miasto.core.geo import valid_geom
from miasto.territory import identifiers
from miasto.territory.service_kinds import (
    BuiltinServiceKind,
    service_kind_label,
    validate_service_kind,
)

SRID = settings.MIASTO_SRID


@audited
class City(models.Model):
    name = models.CharField(_("name"), max_length=200)
    teryt = models.CharField(
        _("TERYT code"), max_length=7, unique=True, validators=[identifiers.validate_terc]
    )
    voivodeship = models.CharField(_("voivodeship"), max_length=100, blank=True)
    county = models.CharField(_("county"), max_length=100, blank=True)
    fictional = models.BooleanField(_("fictional (demo)"), default=False)
    geom = models.MultiPolygonField(_("boundary"), srid=SRID)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [valid_geom("city")]

    def __str__(self) -> str:
        return self.name


@audited
class District(models.Model):
    class Character(models.TextChoices):
        OLD_TOWN = "old_town", _("old town")
        TENEMENT = "tenement", _("tenement blocks")
        ESTATE = "estate", _("housing estate")
        SUBURB = "suburb", _("single-family suburb")
        INDUSTRIAL = "industrial", _("industrial zone")
        FARMLAND = "farmland", _("farmland")
        MIXED = "mixed", _("mixed")

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="districts")
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    character = models.CharField(
        _("character"), max_length=20, choices=Character.choices, default=Character.MIXED
    )
    geom = models.MultiPolygonField(_("boundary"), srid=SRID)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]
        constraints = [valid_geom("district")]

    def __str__(self) -> str:
        return self.name


@audited
class Precinct(models.Model):
    """*Obręb ewidencyjny*: the cadastral unit within which parcels are numbered."""

    unit = models.CharField(
        _("registration unit"), max_length=8, help_text=_("WWPPGG_R, e.g. 146501_1")
    )
    code = models.CharField(
        _("precinct code"), max_length=4, validators=[identifiers.validate_precinct_code]
    )
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.SET_NULL, related_name="precincts"
    )
    geom = models.MultiPolygonField(_("boundary"), srid=SRID)

    class Meta:
        verbose_name = _("precinct (obręb)")
        verbose_name_plural = _("precincts (obręby)")
        ordering = ["unit", "code"]
        constraints = [
            valid_geom("precinct"),
            models.UniqueConstraint(fields=["unit", "code"], name="precinct_unit_code_unique"),
        ]

    @property
    def identifier(self) -> str:
        return f"{self.unit}.{self.code}"

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}"


@audited
class Block(models.Model):
    """An urban block: the land between streets, subdivided into parcels."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="blocks")
    code = models.CharField(_("code"), max_length=20, unique=True)
    geom = models.PolygonField(_("outline"), srid=SRID)

    class Meta:
        verbose_name = _("urban block")
        verbose_name_plural = _("urban blocks")
        constraints = [valid_geom("block")]

    def __str__(self) -> str:
        return self.code


@audited
class Parcel(models.Model):
    """*Działka ewidencyjna* with its EGiB identifier ``WWPPGG_R.XXXX.NDZ``."""

    identifier = models.CharField(
        _("parcel identifier"),
        max_length=40,
        unique=True,
        validators=[identifiers.validate_parcel_identifier],
    )
    precinct = models.ForeignKey(Precinct, on_delete=models.PROTECT, related_name="parcels")
    number = models.CharField(
        _("parcel number"), max_length=16, validators=[identifiers.validate_parcel_number]
    )
    block = models.ForeignKey(
        Block, null=True, blank=True, on_delete=models.SET_NULL, related_name="parcels"
    )
    area = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=1, help_text=_("registered area")
    )
    land_use = models.CharField(
        _("land use class (EGiB)"), max_length=10, blank=True, help_text=_("e.g. B, Ba, R, Ł, dr")
    )
    geom = models.MultiPolygonField(_("geometry"), srid=SRID)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["identifier"]
        constraints = [valid_geom("parcel")]

    def __str__(self) -> str:
        return self.identifier


@audited
class Building(models.Model):
    class Use(models.TextChoices):
        SINGLE_FAMILY = "single_family", _("single-family house")
        MULTI_FAMILY = "multi_family", _("multi-family housing")
        MIXED = "mixed", _("housing with services")
        SERVICES = "services", _("services, offices, retail")
        PUBLIC = "public", _("public building")
        INDUSTRIAL = "industrial", _("industrial, warehouse")
        FARM = "farm", _("farm building")
        UTILITY = "utility", _("garage, utility")

    RESIDENTIAL_USES = (Use.SINGLE_FAMILY, Use.MULTI_FAMILY, Use.MIXED)

    identifier = models.CharField(_("building identifier"), max_length=60, unique=True)
    parcel = models.ForeignKey(
        Parcel, null=True, blank=True, on_delete=models.SET_NULL, related_name="buildings"
    )
    use = models.CharField(_("use"), max_length=20, choices=Use.choices)
    storeys = models.PositiveSmallIntegerField(_("storeys above ground"))
    height = models.DecimalField(_("height (m)"), max_digits=6, decimal_places=1)
    dwellings = models.PositiveIntegerField(_("dwellings"), default=0)
    residents = models.PositiveIntegerField(_("residents"), default=0)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    geom = models.PolygonField(_("footprint"), srid=SRID)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            valid_geom("building"),
            models.CheckConstraint(condition=Q(storeys__gte=0), name="building_storeys_nonneg"),
            models.CheckConstraint(condition=Q(height__gte=0), name="building_height_nonneg"),
        ]

    def __str__(self) -> str:
        return self.identifier


@audited
class Street(models.Model):
    """A named street (its centreline is the union of its road segments)."""

    class Kind(models.TextChoices):
        STREET = "ul.", _("street")
        AVENUE = "al.", _("avenue")
        SQUARE = "pl.", _("square")
        ROUNDABOUT = "rondo", _("roundabout")

    class RoadClass(models.TextChoices):
        """Public road classes (rozporządzenie w sprawie warunków technicznych dróg)."""

        GP = "GP", _("main road of accelerated traffic (GP)")
        G = "G", _("main road (G)")
        Z = "Z", _("collector road (Z)")
        L = "L", _("local road (L)")
        D = "D", _("access road (D)")
        PEDESTRIAN = "P", _("pedestrian way")

    ulic = models.CharField(_("TERYT ULIC code"), max_length=5, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.STREET)
    name = models.CharField(_("name"), max_length=200)
    road_class = models.CharField(_("road class"), max_length=2, choices=RoadClass.choices)
    geom = models.MultiLineStringField(_("centreline"), srid=SRID)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name"]
        constraints = [
            valid_geom("street"),
            models.UniqueConstraint(fields=["kind", "name"], name="street_kind_name_unique"),
        ]

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"

    def __str__(self) -> str:
        return self.label


@audited
class RoadSegment(models.Model):
    """A centreline segment between two junctions: the edge of the routing network."""

    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.CASCADE, related_name="segments"
    )
    road_class = models.CharField(_("road class"), max_length=2, choices=Street.RoadClass.choices)
    walkable = models.BooleanField(_("walkable"), default=True)
    geom = models.LineStringField(_("centreline"), srid=SRID)

    class Meta:
        verbose_name = _("road segment")
        verbose_name_plural = _("road segments")
        constraints = [valid_geom("roadsegment")]

    def __str__(self) -> str:
        return f"{self.street or '—'} #{self.pk}"


@audited
class Address(models.Model):
    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.PROTECT, related_name="addresses"
    )
    place = models.CharField(
        pgettext_lazy("address", "place"),
        max_length=100,
        blank=True,
        help_text=_("for addresses without a street"),
    )
    number = models.CharField(_("house number"), max_length=12)
    postcode = models.CharField(
        _("postcode"), max_length=6, validators=[identifiers.validate_postcode]
    )
    parcel = models.ForeignKey(
        Parcel, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses"
    )
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses"
    )
    label = models.CharField(
        _("label"), max_length=250, editable=False, help_text=_("e.g. ul. Długa 12")
    )
    geom = models.PointField(_("location"), srid=SRID)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["street", "place", "number"],
                name="address_street_number_unique",
                nulls_distinct=False,
            ),
        ]

    def compose_label(self) -> str:
        street = self.street if self.street_id else None
        where = street.label if street is not None else self.place
        return f"{where} {self.number}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.label = self.compose_label()
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.label or self.compose_label()


@audited
class OrgUnit(models.Model):
    """A municipal organisational unit (department, municipal company, school…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff members"),
        blank=True,
        related_name="org_units",
    )

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@audited
class PublicService(models.Model):
    #: the built-in kinds (more by configuration: :mod:`miasto.territory.service_kinds`)
    Kind = BuiltinServiceKind

    #: built-in kinds (``Kind``) or kinds configured in ``MIASTO_SERVICE_KINDS_EXTRA``
    #: (:mod:`miasto.territory.service_kinds`): no fixed choices, so a new kind needs no
    #: migration
    kind = models.CharField(
        _("kind"), max_length=30, validators=[validate_service_kind], db_index=True
    )
    name = models.CharField(_("name"), max_length=250)
    address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    geom = models.PointField(_("location"), srid=SRID)
    area_geom = models.MultiPolygonField(
        _("area"), srid=SRID, null=True, blank=True, help_text=_("for green areas, sports grounds")
    )

    class Meta:
        verbose_name = _("public service")
        verbose_name_plural = _("public services")
        ordering = ["kind", "name"]
        constraints = [valid_geom("publicservice", "area_geom")]

    def __str__(self) -> str:
        return f"{service_kind_label(self.kind)}: {self.name}"


@audited
class Constraint(models.Model):
    """A spatial constraint on land use, from law or from another authority."""

    class Kind(models.TextChoices):
        FLOOD_RISK = "flood_risk", _("flood risk area")
        # xgettext:no-python-format
        FLOOD_HAZARD_1 = "flood_1pct", _("flood hazard area (1% flood)")
        NATURE = "nature", _("nature protection")
        NATURA2000 = "natura2000", _("Natura 2000 site")
        HERITAGE = "heritage", _("heritage protection")
        MONUMENT = "monument", _("listed monument")
        NOISE = "noise", _("noise above limits")
        MINING = "mining", _("mining area")
        WATER_INTAKE = "water_intake", _("water intake protection")
        UTILITY_CORRIDOR = "utility_corridor", _("utility corridor")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=250)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=250, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    geom = models.MultiPolygonField(_("area"), srid=SRID)

    class Meta:
        verbose_name = _("constraint")
        verbose_name_plural = _("constraints")
        ordering = ["kind", "name"]
        constraints = [valid_geom("constraint")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
