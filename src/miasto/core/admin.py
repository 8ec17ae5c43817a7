"""Admin for the audit log and users, and the guard other apps' admins use for rights.

Who may grant what (see ``docs/roles.md``): administrators assign roles (groups), the staff
flag and organisational-unit membership; only superusers set superuser status and per-user
permissions, and only superusers change or delete a superuser's account (a password reset
would be a take-over).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.models import ProcrastinateJob

from miasto.core.audit import current_actor
from miasto.core.models import AuditEntry
from miasto.core.roles import is_administrator

if TYPE_CHECKING:
    # django-stubs makes the admins generic in their model; at run time they are not
    # subscriptable, and the mixins below are plain classes put before a ModelAdmin
    ModelAdmin = admin.ModelAdmin[Any]
    BaseUserAdminOfAny = BaseUserAdmin[Any]
    _AdminMixin = admin.ModelAdmin[Any]
else:
    ModelAdmin = admin.ModelAdmin
    BaseUserAdminOfAny = BaseUserAdmin
    _AdminMixin = object


class AdministratorsOnly(_AdminMixin):
    """Mixin for a ModelAdmin whose objects grant rights: writes only for administrators.

    The model permissions stay the first check; this one holds even if a role were, by
    mistake, granted a change permission on such a model.
    """

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return is_administrator(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return is_administrator(request.user) and super().has_delete_permission(request, obj)


class AuditedRelations(_AdminMixin):
    """Mixin: record changes of many-to-many fields that grant rights (unit members, a user's
    roles) in the audit log — the save signals of :mod:`miasto.core.audit` do not see them."""

    audited_relations: tuple[str, ...] = ()

    def _related(self, obj: Any) -> dict[str, list[str]]:
        if obj.pk is None:
            return {name: [] for name in self.audited_relations}
        return {
            name: sorted(str(o) for o in getattr(obj, name).all())
            for name in self.audited_relations
        }

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        obj = form.instance
        before = self._related(obj) if change else {n: [] for n in self.audited_relations}
        super().save_related(request, form, formsets, change)
        after = self._related(obj)
        changes = {
            name: {"before": before[name], "after": after[name]}
            for name in self.audited_relations
            if before[name] != after[name]
        }
        if changes:
            actor = current_actor.get()
            AuditEntry.objects.create(
                model=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                action=AuditEntry.Action.UPDATE,
                actor_id=actor.user_id,
                actor_name=actor.username[:150],
                source=actor.source,
                changes=changes,
            )


User = get_user_model()
#: Fields that bypass the roles: set by superusers only.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


class UserAdmin(AuditedRelations, AdministratorsOnly, BaseUserAdminOfAny):
    """Users: administrators assign roles and the staff flag; superusers the rest."""

    audited_relations = ("groups", "user_permissions")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields += [f for f in SUPERUSER_ONLY_FIELDS if f not in fields]
        return fields

    def _superuser_account(self, request: Any, obj: Any) -> bool:
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        if self._superuser_account(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        if self._superuser_account(request, obj):
            return False
        return super().has_delete_permission(request, obj)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The job queue's own rows are procrastinate's: people see core.Job (the progress pages, the
# API); operators inspect the queue with ``miasto procrastinate shell``.
if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)
