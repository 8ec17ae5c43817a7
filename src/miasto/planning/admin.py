"""Admin for plans and zones (offline map widget). Status changes go through the service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from miasto.planning.models import BuildingLine, LegalAct, Plan, PlanStatusChange, SpecialArea, Zone
from miasto.planning.services import PlanError, plan_change_status
from miasto.planning.statuses import PlanStatus, allowed_next
from miasto.territory.widgets import CityMapWidget

if TYPE_CHECKING:  # generic in django-stubs only
    GISModelAdminOfAny = GISModelAdmin[Any]
    TabularInline = admin.TabularInline[Any, Any]
else:
    GISModelAdminOfAny = GISModelAdmin
    TabularInline = admin.TabularInline


class MapAdmin(GISModelAdminOfAny):
    # django-stubs types gis_widget as an OSMWidget; Django takes any OpenLayersWidget
    gis_widget = CityMapWidget  # type: ignore[assignment]
    list_per_page = 50


class LegalActInline(TabularInline):
    model = LegalAct
    extra = 0


class StatusChangeInline(TabularInline):
    model = PlanStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "effective", "note", "actor_name", "created_at")
    exclude = ("legal_act",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _status_action(status: str) -> Callable[..., None]:
    def action(
        modeladmin: admin.ModelAdmin[Plan], request: HttpRequest, queryset: QuerySet[Plan]
    ) -> None:
        for plan in queryset:
            try:
                plan_change_status(plan=plan, status=status)
            except PlanError as exc:
                modeladmin.message_user(request, str(exc), messages.ERROR)
            else:
                modeladmin.message_user(request, f"{plan.local_id}: {PlanStatus(status).label}")

    action.__name__ = f"to_{status}"
    # without it Django offers the action to everyone who may only *view* plans
    action.allowed_permissions = ("change",)  # type: ignore[attr-defined]
    action.short_description = _("Change status to: %s") % PlanStatus(status).label  # type: ignore[attr-defined]
    return action


class PlanAdminForm(forms.ModelForm):
    """The boundary is required here: a plan drawn in the admin is one act with its area
    (APP: the plan's extent); a plan without one is only made by an import, which adds it."""

    # (no Meta: the admin makes the form of the plan's fields from this class)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "geom" in self.fields:
            self.fields["geom"].required = True
            self.fields["geom"].error_messages["required"] = _(
                "Draw the plan's boundary on the map (or import the plan with its boundary "
                "from an APP file): a plan without a boundary cannot be saved here."
            )


@admin.register(Plan)
class PlanAdmin(MapAdmin):
    form = PlanAdminForm
    list_display = ("local_id", "title", "kind", "status", "valid_from", "valid_to")
    list_filter = ("kind", "status")
    search_fields = ("local_id", "title", "namespace")
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = [LegalActInline, StatusChangeInline]
    actions = [_status_action(s) for s in PlanStatus.values]

    def get_form(
        self, request: HttpRequest, obj: Plan | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Plan]]:
        if obj is not None:
            self.message_user(
                request,
                _("Allowed next statuses: %s")
                % (", ".join(str(PlanStatus(s).label) for s in allowed_next(obj.status)) or "—"),
                messages.INFO,
            )
        return super().get_form(request, obj, change, **kwargs)


@admin.register(Zone)
class ZoneAdmin(MapAdmin):
    list_display = ("designation", "plan", "category", "symbol", "valid_from", "valid_to")
    list_filter = ("category", "plan__kind", "symbol")
    search_fields = ("designation", "local_id", "plan__local_id")
    list_select_related = ("plan",)
    raw_id_fields = ("plan", "supersedes")


@admin.register(SpecialArea)
class SpecialAreaAdmin(MapAdmin):
    list_display = ("local_id", "kind", "plan")
    list_filter = ("kind",)
    raw_id_fields = ("plan",)


@admin.register(BuildingLine)
class BuildingLineAdmin(MapAdmin):
    list_display = ("id", "kind", "plan", "zone")
    list_filter = ("kind",)
    raw_id_fields = ("plan", "zone")
