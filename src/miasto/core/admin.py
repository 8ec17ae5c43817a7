from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from miasto.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: administrators read the audit log, nobody edits it."""

    list_display = ("at", "actor_name", "source", "action", "model", "object_id", "object_repr")
    list_filter = ("action", "source", "model")
    search_fields = ("object_id", "object_repr", "actor_name")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields if f.name != "changes"] + [
        "changes_table"
    ]
    exclude = ("changes",)

    @admin.display(description=_("changes (before → after)"))
    def changes_table(self, obj: AuditEntry) -> str:
        rows = [
            (k, str(v.get("before"))[:300], str(v.get("after"))[:300])
            if isinstance(v, dict)
            else (k, "", str(v))
            for k, v in (obj.changes or {}).items()
        ]
        return format_html_join("", "<div><b>{}</b>: {} → {}</div>", rows)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
