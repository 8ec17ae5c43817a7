"""Admin of the landscape resolution, its rule versions, zones and rules, and the register.

Rules are validated by their kind on entry (:func:`miasto.advertising.services.rule_validate`
through the forms' ``clean``); the database refuses overlapping zones and a minimum above a
maximum whoever writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from miasto.advertising.models import (
    Carrier,
    CarrierPhoto,
    FeeCap,
    FeeExemption,
    FeeRate,
    LandscapeResolution,
    Owner,
    Permit,
    ResolutionStatusChange,
    RuleSet,
    Violation,
    Zone,
    ZoneRule,
)
from miasto.territory.widgets import CityMapWidget

if TYPE_CHECKING:  # generic in django-stubs only
    GISModelAdminOfAny = GISModelAdmin[Any]
    ModelAdminOfAny = admin.ModelAdmin[Any]
    TabularInline = admin.TabularInline[Any, Any]
else:
    GISModelAdminOfAny = GISModelAdmin
    ModelAdminOfAny = admin.ModelAdmin
    TabularInline = admin.TabularInline


class MapAdmin(GISModelAdminOfAny):
    gis_widget = CityMapWidget  # type: ignore[assignment]
    list_per_page = 50


class StatusChangeInline(TabularInline):
    model = ResolutionStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "effective", "note", "actor_name", "created_at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(LandscapeResolution)
class ResolutionAdmin(MapAdmin):
    list_display = ("number", "title", "status", "valid_from", "valid_to")
    list_filter = ("status",)
    readonly_fields = ("status",)
    inlines = [StatusChangeInline]


@admin.register(RuleSet)
class RuleSetAdmin(ModelAdminOfAny):
    list_display = ("resolution", "label", "valid_from", "valid_to", "applied")
    readonly_fields = ("applied", "applied_at")


class ZoneRuleInline(TabularInline):
    model = ZoneRule
    extra = 0


@admin.register(Zone)
class ZoneAdmin(MapAdmin):
    list_display = ("code", "name", "ruleset", "adjustment_months")
    list_filter = ("ruleset",)
    inlines = [ZoneRuleInline]


class PermitInline(TabularInline):
    model = Permit
    extra = 0


class PhotoInline(TabularInline):
    model = CarrierPhoto
    extra = 0
    readonly_fields = ("content_type", "width_px", "height_px", "uploaded_by", "created_at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # photos go through the checked upload (pages), never straight in


@admin.register(Carrier)
class CarrierAdmin(MapAdmin):
    list_display = ("reference", "kind", "area", "illumination", "owner", "status")
    list_filter = ("kind", "status", "illumination", "mounting")
    search_fields = ("reference", "business", "owner__name")
    raw_id_fields = ("owner", "operator", "parcel", "building")
    inlines = [PermitInline, PhotoInline]


@admin.register(Owner)
class OwnerAdmin(ModelAdminOfAny):
    list_display = ("name", "kind", "tax_id", "fee_exempt")
    search_fields = ("name", "tax_id")


@admin.register(Violation)
class ViolationAdmin(ModelAdminOfAny):
    list_display = ("carrier", "rule_kind", "zone", "measured", "allowed", "detected_on")
    list_filter = ("rule_kind", "resolved_on")
    raw_id_fields = ("carrier", "rule", "zone")

    def has_add_permission(self, request: Any) -> bool:
        return False  # violations are found by the compliance engine, not typed in


@admin.register(FeeCap)
class FeeCapAdmin(ModelAdminOfAny):
    list_display = ("valid_from", "valid_to", "fixed_daily", "variable_daily_per_m2")


@admin.register(FeeRate)
class FeeRateAdmin(ModelAdminOfAny):
    list_display = ("valid_from", "valid_to", "fixed_daily", "variable_daily_per_m2", "resolution")


@admin.register(FeeExemption)
class FeeExemptionAdmin(ModelAdminOfAny):
    list_display = ("reason", "carrier", "owner", "valid_from", "valid_to")
    raw_id_fields = ("carrier", "owner")
