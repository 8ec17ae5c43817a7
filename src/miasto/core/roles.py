"""Roles as Django groups, with the permissions each role holds.

Each app grants its own permissions in its ``roles.py``
(``grant("planner", "planning.change_plan")``);
:func:`roles_sync` makes the groups match after every ``migrate``.

Roles: resident, planner, inspector, case officer, moderator, data steward, administrator.
Staff roles may open the admin (``is_staff`` is set for demo users of those roles).

Rights are granted only by administrators: role (group) membership and the staff flag on
users, and membership of organisational units (which opens the units' restricted datasets).
Superuser status and per-user permissions bypass the roles altogether, so only superusers set
them. The role × action matrix, with the reasons, is in ``docs/roles.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass
class Role:
    slug: str
    name: Any
    staff: bool
    permissions: set[str] = field(default_factory=set)


ROLES: dict[str, Role] = {
    r.slug: r
    for r in [
        Role("resident", _("Resident"), staff=False),
        Role("planner", _("Planner"), staff=True),
        Role("inspector", _("Inspector"), staff=True),
        Role("case_officer", _("Case officer"), staff=True),
        Role("moderator", _("Moderator"), staff=True),
        Role("data_steward", _("Data steward"), staff=True),
        Role("administrator", _("Administrator"), staff=True),
    ]
}

_discovered = False


def grant(role: str, *permissions: str) -> None:
    """Give ``role`` the permissions named ``app_label.codename``."""
    ROLES[role].permissions.update(permissions)


def is_administrator(user: Any) -> bool:
    """Superusers and members of the administrator role: those who grant rights."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached: bool | None = getattr(user, "_miasto_is_administrator", None)
    if cached is None:
        cached = bool(user.groups.filter(name="administrator").exists())
        user._miasto_is_administrator = cached
    return cached


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("roles")


def role_permissions(role: str) -> set[str]:
    _discover()
    return set(ROLES[role].permissions)


def roles_sync() -> None:
    """Create or update one group per role with exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    _discover()
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in ROLES.values():
        group, _created = Group.objects.get_or_create(name=role.slug)
        group.permissions.set([by_name[p] for p in role.permissions if p in by_name])


def roles_sync_on_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate handler: runs after each app's permissions exist; idempotent and cheap."""
    roles_sync()
