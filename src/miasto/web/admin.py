"""The site's own pages in the admin: the accessibility statement and the contact and privacy
pages. Administrators edit them (``web/roles.py``); each exists once — made with its defaults
when the list is opened — so nobody adds or deletes one. Edits are audited (``core.audit``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from miasto.web import site_pages
from miasto.web.models import AccessibilityStatement, SitePage


class _FixedRowsAdmin(admin.ModelAdmin):
    """Rows that always exist: made on the list's first view, never added or deleted."""

    #: makes the rows that must exist (each subclass names its function)
    ensure_rows: Callable[[], object]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self.ensure_rows()
        return super().changelist_view(request, extra_context)


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(_FixedRowsAdmin):
    list_display = ("__str__", "entity_name", "status", "reviewed_on", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("updated_at",)
    fieldsets = (
        (_("Public body and website"), {"fields": ("entity_name", "website_name", "website_url")}),
        (_("Dates"), {"fields": ("published_on", "updated_on", "prepared_on", "reviewed_on")}),
        (
            _("Compliance"),
            {"fields": ("status", "method", "inaccessible_content", "exemptions")},
        ),
        (_("Keyboard shortcuts"), {"fields": ("keyboard_shortcuts",)}),
        (_("Contact"), {"fields": ("contact_person", "contact_email", "contact_phone")}),
        (_("Procedure, building, apps"), {"fields": ("procedure", "architecture", "mobile_apps")}),
        (None, {"fields": ("updated_at",)}),
    )

    ensure_rows = staticmethod(site_pages.accessibility_statement)


@admin.register(SitePage)
class SitePageAdmin(_FixedRowsAdmin):
    list_display = ("title", "key", "updated_at")
    fields = ("key", "title", "body", "updated_at")
    readonly_fields = ("key", "updated_at")

    ensure_rows = staticmethod(site_pages.site_pages_all)
