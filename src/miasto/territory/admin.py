"""Admin for the spine. Map widgets work offline (see :mod:`miasto.territory.widgets`).

Big tables (parcels, buildings, addresses, streets, road segments) use autocomplete for
foreign keys and skip the full result count on their change lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from miasto.core.admin import AdministratorsOnly, AuditedRelations, ModelAdmin
from miasto.territory.models import (
    Address,
    Block,
    Building,
    City,
    Constraint,
    District,
    OrgUnit,
    Parcel,
    Precinct,
    PublicService,
    RoadSegment,
    Street,
)
from miasto.territory.widgets import CityMapWidget

if TYPE_CHECKING:
    GISModelAdminOfAny = GISModelAdmin[Any]  # generic in django-stubs only
else:
    GISModelAdminOfAny = GISModelAdmin


class SpineAdmin(GISModelAdminOfAny):
    # django-stubs types gis_widget as an OSMWidget; Django takes any OpenLayersWidget
    gis_widget = CityMapWidget  # type: ignore[assignment]
    list_per_page = 50


class BigTableAdmin(SpineAdmin):
    show_full_result_count = False


@admin.register(City)
class CityAdmin(SpineAdmin):
    list_display = ("name", "teryt", "voivodeship", "county", "fictional")
    search_fields = ("name", "teryt")
    list_filter = ("fictional", "voivodeship")


@admin.register(District)
class DistrictAdmin(SpineAdmin):
    list_display = ("code", "name", "character", "city")
    search_fields = ("code", "name")
    list_filter = ("character", "city")
    list_select_related = ("city",)
    autocomplete_fields = ("city",)


@admin.register(Precinct)
class PrecinctAdmin(SpineAdmin):
    list_display = ("identifier_display", "name", "district")
    search_fields = ("unit", "code", "name")
    list_filter = ("district",)
    list_select_related = ("district",)
    autocomplete_fields = ("district",)

    @admin.display(description=_("precinct identifier"), ordering="code")
    def identifier_display(self, obj: Precinct) -> str:
        return obj.identifier


@admin.register(Block)
class BlockAdmin(BigTableAdmin):
    list_display = ("code", "district")
    search_fields = ("code",)
    list_filter = ("district",)
    list_select_related = ("district",)
    autocomplete_fields = ("district",)


@admin.register(Parcel)
class ParcelAdmin(BigTableAdmin):
    list_display = ("identifier", "number", "precinct", "area", "land_use")
    search_fields = ("identifier", "number")
    list_filter = ("precinct", "land_use")
    list_select_related = ("precinct",)
    autocomplete_fields = ("precinct", "block")


@admin.register(Building)
class BuildingAdmin(BigTableAdmin):
    list_display = ("identifier", "use", "storeys", "height", "dwellings", "residents", "parcel")
    search_fields = ("identifier", "parcel__identifier")
    list_filter = ("use", "storeys")
    list_select_related = ("parcel",)
    autocomplete_fields = ("parcel",)


@admin.register(Street)
class StreetAdmin(BigTableAdmin):
    list_display = ("name", "kind", "road_class", "ulic")
    search_fields = ("name", "ulic")
    list_filter = ("road_class", "kind")


@admin.register(RoadSegment)
class RoadSegmentAdmin(BigTableAdmin):
    list_display = ("id", "street", "road_class", "walkable")
    search_fields = ("street__name",)
    list_filter = ("road_class", "walkable")
    list_select_related = ("street",)
    autocomplete_fields = ("street",)


@admin.register(Address)
class AddressAdmin(BigTableAdmin):
    list_display = ("label", "postcode", "parcel", "building")
    search_fields = ("label", "postcode", "parcel__identifier")
    list_filter = ("postcode",)
    list_select_related = ("parcel", "building")
    autocomplete_fields = ("street", "parcel", "building")
    readonly_fields = ("label",)


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedRelations, AdministratorsOnly, ModelAdmin):
    """Members of a unit see its restricted datasets, so membership is a grant of rights:
    only administrators change units (staff roles read them; see docs/roles.md), and each
    change of the members is in the audit log."""

    audited_relations = ("members",)

    list_display = ("code", "name", "kind", "parent", "email")
    search_fields = ("code", "name", "email")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    filter_horizontal = ("members",)


@admin.register(PublicService)
class PublicServiceAdmin(SpineAdmin):
    list_display = ("name", "kind", "capacity", "address", "org_unit")
    search_fields = ("name", "address__label")
    list_filter = ("kind",)
    list_select_related = ("address", "org_unit")
    autocomplete_fields = ("address", "org_unit")


@admin.register(Constraint)
class ConstraintAdmin(SpineAdmin):
    list_display = ("name", "kind", "legal_basis", "source")
    search_fields = ("name", "legal_basis", "source")
    list_filter = ("kind",)
