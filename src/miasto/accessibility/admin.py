from django.contrib import admin

from miasto.accessibility.models import Run, Standard


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "name", "distance_m", "min_area_ha", "aggregate",
                    "mandatory", "enabled", "valid_from", "valid_to")  # fmt: skip
    list_filter = ("mandatory", "enabled", "aggregate")
    search_fields = ("code", "name", "legal_basis")


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "status", "duration_s")
    readonly_fields = ("started_at", "finished_at", "duration_s", "status", "config", "stats")
