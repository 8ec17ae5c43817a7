"""Admin of the API keys: administrators see every key and its use, set its limit, revoke it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from miasto.core.admin import AdministratorsOnly
from miasto.core.apikeys import api_key_revoke
from miasto.core.models import ApiKey, ApiUsage, Webhook

if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
    TabularInline = admin.TabularInline[Any, Any]
else:
    ModelAdmin = admin.ModelAdmin
    TabularInline = admin.TabularInline


class UsageInline(TabularInline):
    model = ApiUsage
    fields = ("day", "endpoint", "hits", "limited")
    readonly_fields = fields
    extra = 0
    max_num = 0
    ordering = ("-day", "-hits")
    can_delete = False


class WebhookInline(TabularInline):
    model = Webhook
    fields = ("topic", "subject", "url", "active", "created_at")
    readonly_fields = ("topic", "subject", "url", "created_at")
    extra = 0
    max_num = 0


@admin.register(ApiKey)
class ApiKeyAdmin(AdministratorsOnly, ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username", "user__email")
    fields = (
        "name",
        "description",
        "user",
        "prefix",
        "rate_per_minute",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("user", "prefix", "created_at", "last_used_at", "revoked_at")
    inlines = [WebhookInline, UsageInline]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for key in queryset:
            api_key_revoke(key)

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ApiUsage)
class ApiUsageAdmin(ModelAdmin):
    """Use of the APIs by key and endpoint per day; an empty key is anonymous use."""

    list_display = ("day", "key", "endpoint", "hits", "limited")
    list_filter = ("day", ("key", admin.EmptyFieldListFilter))
    search_fields = ("endpoint", "key__name", "key__prefix")
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
