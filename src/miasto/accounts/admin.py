"""Admin of accounts: profiles, and the rules for allauth's and django-axes' admins.

Who sees what is in ``accounts/roles.py`` and ``docs/roles.md``. Two of the libraries' admins
are registered again here, because each offers a list action to everyone who may merely
*view* its list (Django does so for an action without ``allowed_permissions``): marking
e-mail addresses verified (a write: it skips the verification a sign-up must pass) now needs
the change permission, cleaning up sign-in attempts the delete permission. Two-factor devices
(their record holds the TOTP secret) are for superusers only, whatever a role is granted.
"""

from __future__ import annotations

from typing import Any

from allauth.account import admin as account_admin  # registers allauth's admin first
from allauth.account.models import EmailAddress
from allauth.mfa import admin as mfa_admin
from allauth.mfa.models import Authenticator
from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin

from miasto.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)


class EmailAddressAdmin(account_admin.EmailAddressAdmin):
    actions = ["make_verified"]

    @admin.action(
        description=account_admin.EmailAddressAdmin.make_verified.short_description,
        permissions=["change"],
    )
    def make_verified(self, request: Any, queryset: Any) -> None:
        super().make_verified(request, queryset)


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.action(
        description=axes_admin.AccessAttemptAdmin.cleanup_expired_attempts.short_description,
        permissions=["delete"],
    )
    def cleanup_expired_attempts(self, request: Any, queryset: Any) -> None:
        super().cleanup_expired_attempts(request, queryset)


class AuthenticatorAdmin(mfa_admin.AuthenticatorAdmin):
    """Superusers only: the record holds the secret of the person's second factor."""

    def has_module_permission(self, request: Any) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: Any) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser


for _model, _admin in (
    (EmailAddress, EmailAddressAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (Authenticator, AuthenticatorAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
