"""The catalogue of report categories in the admin (reports are handled on the queue pages)."""

from django.contrib import admin

from miasto.problems.models import RoutingRule, Service, ServiceAttribute
from miasto.territory.widgets import CityMapWidget


class AttributeInline(admin.TabularInline):
    model = ServiceAttribute
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "unit", "active")
    list_filter = ("active", "group")
    search_fields = ("code", "name")
    inlines = [AttributeInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "district", "priority")
    list_filter = ("service", "unit")
    formfield_overrides = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["widget"] = CityMapWidget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)
